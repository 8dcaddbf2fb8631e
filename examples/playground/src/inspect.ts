/**
 * What the view shows of a model's insides: its learned Q16.16 parameters
 * and the structures drawn on the plane (centroids, tree splits, the k-NN
 * window, Gaussians).
 *
 * The library has public accessors for some of this (weights(), centroids(),
 * means()…) and not yet for the rest, so this is the one module that reads
 * fields marked @internal. Each read goes through `field`, which throws a
 * clear error if the library renamed the field, instead of showing nothing.
 */
import {
  GaussianNB, GaussianScorer, HalfSpaceTrees, HoeffdingTreeClassifier, KMeans, KMeansDetector, KNNClassifier,
  LinearRegression, LogisticRegression, MLP, SoftmaxRegression, StandardScaler, toQ,
} from 'microlearn';
import { DatasetInfo } from './datasets.js';
import { Built } from './learners.js';

export interface Param {
  name: string;
  /** The raw value: a Q16.16 int32 unless `unit` says otherwise. */
  raw: number;
  /** 'q16' (value = raw / 65536) or 'count'. */
  unit: 'q16' | 'count';
}

/** A tree as arrays over nodes: split feature (-1: leaf), threshold (real), left child (right = left + 1). */
export interface Tree {
  feat: ArrayLike<number>;
  thr: ArrayLike<number>;
  child: ArrayLike<number>;
  nNodes: number;
}

export interface Inspection {
  params: Param[];
  centroids: number[][];
  tree: Tree | null;
  /** Samples the model keeps (k-NN's window). */
  window: { x: number[]; y: number }[];
  /** Per class (or one for a GaussianScorer): mean and standard deviation per feature. */
  gaussians: { mean: number[]; sd: number[]; label: number }[];
}

type Obj = { [k: string]: unknown };

/** Reads a field the library marks @internal; throws if it is gone (the library changed). */
function field<T>(o: object, name: string, owner: string): T {
  const v = (o as Obj)[name];
  if (v === undefined) throw new Error('playground/inspect.ts: ' + owner + '.' + name + ' is missing (the library changed; update inspect.ts)');
  return v as T;
}

function q16(out: Param[], name: string, raw: number): void {
  out.push({ name, raw, unit: 'q16' });
}

function rows(a: ArrayLike<number>, n: number, count: number): number[][] {
  const out: number[][] = [];
  for (let j = 0; j < count; j++) out.push(Array.prototype.slice.call(a, j * n, j * n + n) as number[]);
  return out;
}

function empty(): Inspection {
  return { params: [], centroids: [], tree: null, window: [], gaussians: [] };
}

/** Parameters of a scaler in front of the learner (the room's Pipeline). */
function scalerParams(s: object, f: string[], out: Param[]): void {
  const name = s instanceof StandardScaler ? 'StandardScaler' : 'MinMaxScaler';
  if (s instanceof StandardScaler) {
    const mean = field<Int32Array>(s, 'mean', name);
    for (let i = 0; i < mean.length; i++) q16(out, 'scaler mean[' + f[i] + ']', mean[i]);
  } else {
    const mn = field<Int32Array>(s, 'min', name);
    const mx = field<Int32Array>(s, 'max', name);
    for (let i = 0; i < mn.length; i++) {
      q16(out, 'scaler min[' + f[i] + ']', mn[i]);
      q16(out, 'scaler max[' + f[i] + ']', mx[i]);
    }
  }
}

const KINDS: [string, Function][] = [
  ['LinearRegression', LinearRegression], ['LogisticRegression', LogisticRegression], ['SoftmaxRegression', SoftmaxRegression],
  ['KNNClassifier', KNNClassifier], ['KMeans', KMeans], ['KMeansDetector', KMeansDetector], ['GaussianNB', GaussianNB],
  ['HoeffdingTreeClassifier', HoeffdingTreeClassifier], ['MLP', MLP], ['GaussianScorer', GaussianScorer], ['HalfSpaceTrees', HalfSpaceTrees],
];

/** The learner's class name (by instanceof: a bundler may rename classes). */
export function kindOf(m: object): string {
  for (const [name, C] of KINDS) if (m instanceof C) return name;
  throw new Error('playground/inspect.ts: not a learner the playground knows');
}

/** Inspects the fixed-point model. */
export function inspect(b: Built, d: DatasetInfo): Inspection {
  const r = empty();
  const p = r.params;
  const m = b.core as Obj & object;
  const f = d.features;
  const n = d.nFeatures;
  const name = kindOf(m);
  const steps = (b.model as unknown as { steps?: object[] }).steps;
  if (steps && steps.length > 1) scalerParams(steps[0], f, p);
  switch (name) {
    case 'LinearRegression':
    case 'LogisticRegression': {
      const w = field<Int32Array>(field<object>(m, 'core', name), 'w', name + '.core');
      for (let i = 0; i < n; i++) q16(p, 'w[' + f[i] + ']', w[i]);
      q16(p, 'bias', w[n]);
      break;
    }
    case 'SoftmaxRegression': {
      const w = field<Int32Array>(m, 'w', name);
      const bias = field<Int32Array>(m, 'b', name);
      for (let c = 0; c < bias.length; c++) {
        for (let i = 0; i < n; i++) q16(p, 'w[' + c + '][' + f[i] + ']', w[c * n + i]);
        q16(p, 'b[' + c + ']', bias[c]);
      }
      break;
    }
    case 'KNNClassifier': {
      const win = field<object>(m, 'win', name);
      const data = field<Int32Array>(win, 'data', name + '.win');
      const ys = field<Int32Array>(win, 'ys', name + '.win');
      const filled = field<number>(win, 'filled', name + '.win');
      for (let s = 0; s < filled; s++) {
        const x: number[] = [];
        for (let i = 0; i < n; i++) {
          x.push(data[s * n + i] / 65536);
          q16(p, 'sample ' + s + ' ' + f[i], data[s * n + i]);
        }
        r.window.push({ x, y: ys[s] });
      }
      break;
    }
    case 'KMeans':
    case 'KMeansDetector': {
      const km = (name === 'KMeans' ? m : field<object>(m, 'km', name)) as { centroids(): Float64Array; filled: number };
      r.centroids = rows(km.centroids(), n, km.filled);
      r.centroids.forEach((c, j) => c.forEach((v, i) => q16(p, 'centroid ' + j + ' ' + f[i], toQ(v))));
      break;
    }
    case 'GaussianNB': {
      const nb = m as unknown as { means(): Float64Array; variances(): Float64Array; counts: Uint32Array; nClasses: number };
      const mean = nb.means();
      const v = nb.variances();
      for (let c = 0; c < nb.nClasses; c++) {
        p.push({ name: 'count[' + c + ']', raw: nb.counts[c], unit: 'count' });
        if (nb.counts[c] === 0) continue;
        const mu: number[] = [];
        const sd: number[] = [];
        for (let i = 0; i < n; i++) {
          q16(p, 'mean[' + c + '][' + f[i] + ']', toQ(mean[c * n + i]));
          q16(p, 'var[' + c + '][' + f[i] + ']', toQ(v[c * n + i]));
          mu.push(mean[c * n + i]);
          sd.push(Math.sqrt(v[c * n + i]));
        }
        r.gaussians.push({ mean: mu, sd, label: c });
      }
      break;
    }
    case 'HoeffdingTreeClassifier': {
      const feat = field<Int32Array>(m, 'feat', name);
      const thr = field<Int32Array>(m, 'thr', name);
      const child = field<Int32Array>(m, 'child', name);
      const nNodes = m.nNodes as number;
      const t = new Float64Array(nNodes);
      for (let v = 0; v < nNodes; v++) {
        t[v] = thr[v] / 65536;
        if (feat[v] >= 0) q16(p, 'node ' + v + ': ' + f[feat[v]] + ' ≤', thr[v]);
      }
      r.tree = { feat, thr: t, child, nNodes };
      // what each leaf has counted: class weights in units of 2^-16 (integer-valued doubles)
      const classW = field<Float64Array>(m, 'classW', name);
      const C = d.nClasses;
      for (let v = 0; v < nNodes; v++) {
        if (feat[v] >= 0) continue;
        for (let c = 0; c < C; c++) p.push({ name: 'leaf ' + v + ' class ' + c, raw: classW[child[v] * C + c] / 65536, unit: 'count' });
      }
      break;
    }
    case 'MLP': {
      const layers = field<{ w: Int32Array; b: Int32Array; nIn: number; nOut: number }[]>(m, 'layers', name);
      layers.forEach((l, k) => {
        for (let o = 0; o < l.nOut; o++) {
          for (let i = 0; i < l.nIn; i++) q16(p, 'L' + k + ' w[' + o + '][' + i + ']', l.w[o * l.nIn + i]);
          q16(p, 'L' + k + ' b[' + o + ']', l.b[o]);
        }
      });
      break;
    }
    case 'GaussianScorer': {
      const mean = field<Int32Array>(m, 'mean', name);
      const varI = field<Int32Array>(m, 'varI', name);
      const varF = field<Uint32Array>(m, 'varF', name);
      const mu: number[] = [];
      const sd: number[] = [];
      for (let i = 0; i < n; i++) {
        // the variance is Q32.32: integer part varI, fraction varF / 2^32 (shown rounded to Q16.16)
        const v = varI[i] + varF[i] / 4294967296;
        q16(p, 'mean[' + f[i] + ']', mean[i]);
        q16(p, 'var[' + f[i] + ']', toQ(v));
        mu.push(mean[i] / 65536);
        sd.push(Math.sqrt(v));
      }
      r.gaussians.push({ mean: mu, sd, label: -1 });
      break;
    }
    case 'HalfSpaceTrees': {
      const mass = field<Uint16Array>(m, 'rMass', name);
      const nodes = mass.length / (m.nTrees as number);
      for (let t = 0; t < (m.nTrees as number); t++) for (let v = 0; v < Math.min(nodes, 7); v++) p.push({ name: 'tree ' + t + ' node ' + v + ' mass', raw: mass[t * nodes + v], unit: 'count' });
      break;
    }
    default:
      throw new Error('playground/inspect.ts: no inspection for ' + name);
  }
  if (b.fixed.threshold() === b.fixed.threshold()) q16(p, 'threshold', toQ(b.fixed.threshold()));
  return r;
}

/** The same structures of the float64 twin (bench/float-*.ts objects: plain public fields). */
export function inspectTwin(b: Built, d: DatasetInfo): Inspection {
  const r = empty();
  const t = b.twinState as Obj | null;
  if (!t) return r;
  const n = d.nFeatures;
  const km = (t.km ? t.km : t) as Obj;
  if (km.c instanceof Float64Array && typeof km.filled === 'number' && km.counts) r.centroids = rows(km.c, n, km.filled);
  if (Array.isArray(t.feat)) r.tree = { feat: t.feat as number[], thr: t.thr as number[], child: t.child as number[], nNodes: t.nNodes as number };
  if (t.data instanceof Float64Array && t.ys instanceof Float64Array) {
    for (let s = 0; s < (t.filled as number); s++) r.window.push({ x: Array.prototype.slice.call(t.data, s * n, s * n + n) as number[], y: (t.ys as Float64Array)[s] });
  }
  return r;
}
