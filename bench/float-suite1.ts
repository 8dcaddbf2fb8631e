/**
 * Plain float64 twins of the suite I learners, for the accuracy benchmark
 * only (never shipped): the same algorithms, hyper-parameters, update order,
 * initialisation and tie-breaking rules as algorithms/*.ts, but in ordinary
 * double arithmetic with Math.exp/log/sqrt and an accurate erf. The
 * benchmark reports how far the fixed-point learners are from these.
 */

import { FOptimizer } from './float-optim.js';

export interface FloatLearner {
  learnOne(x: ArrayLike<number>, y: number): void;
  predictOne(x: ArrayLike<number>): number;
}

/** Online standardisation (Welford, population variance) as StandardScaler does it; std 0 maps to 0. */
export class FStandardScaler {
  n: number;
  count = 0;
  mean: Float64Array;
  m2: Float64Array;
  out: Float64Array;
  constructor(n: number) {
    this.n = n;
    this.mean = new Float64Array(n);
    this.m2 = new Float64Array(n);
    this.out = new Float64Array(n);
  }
  learnOne(x: ArrayLike<number>): void {
    this.count++;
    for (let i = 0; i < this.n; i++) {
      const d = x[i] - this.mean[i];
      this.mean[i] += d / this.count;
      this.m2[i] += d * (x[i] - this.mean[i]);
    }
  }
  transformOne(x: ArrayLike<number>): Float64Array {
    for (let i = 0; i < this.n; i++) {
      const s = this.count > 0 ? Math.sqrt(this.m2[i] / this.count) : 0;
      this.out[i] = s === 0 ? 0 : (x[i] - this.mean[i]) / s;
    }
    return this.out;
  }
}

/** Scaler then learner, the way Pipeline does it (learn: scaler learns, then transforms for the learner). */
export class FPipeline implements FloatLearner {
  constructor(public scaler: FStandardScaler, public model: FloatLearner) {}
  learnOne(x: ArrayLike<number>, y: number): void {
    this.scaler.learnOne(x);
    this.model.learnOne(this.scaler.transformOne(x), y);
  }
  predictOne(x: ArrayLike<number>): number {
    return this.model.predictOne(this.scaler.transformOne(x));
  }
}

function argmaxF(a: ArrayLike<number>, n: number): number {
  let b = 0;
  for (let i = 1; i < n; i++) if (a[i] > a[b]) b = i;
  return b;
}

// ---- softmax regression -------------------------------------------------------

/** SGD, or Adam / RMSprop (`opt`, from the model's `opt.options()`) after the same decoupled L2 step. */
export class FSoftmax implements FloatLearner {
  w: Float64Array;
  b: Float64Array;
  z: Float64Array;
  p: Float64Array;
  t = 0;
  /** Adam / RMSprop moments of the weights (mw, vw) and biases (mb, vb); empty for SGD. */
  private readonly mw: Float64Array;
  private readonly vw: Float64Array;
  private readonly mb: Float64Array;
  private readonly vb: Float64Array;
  constructor(public n: number, public C: number, public lr: number, public l2 = 0, public decay = 0, readonly opt: FOptimizer | null = null) {
    this.w = new Float64Array(n * C);
    this.b = new Float64Array(C);
    this.z = new Float64Array(C);
    this.p = new Float64Array(C);
    this.mw = new Float64Array(opt ? n * C : 0);
    this.vw = new Float64Array(opt ? n * C : 0);
    this.mb = new Float64Array(opt ? C : 0);
    this.vb = new Float64Array(opt ? C : 0);
  }
  private forward(x: ArrayLike<number>): void {
    for (let c = 0; c < this.C; c++) {
      let s = this.b[c];
      for (let i = 0; i < this.n; i++) s += this.w[c * this.n + i] * x[i];
      this.z[c] = s;
    }
    const m = this.z[argmaxF(this.z, this.C)];
    let sum = 0;
    for (let c = 0; c < this.C; c++) sum += this.p[c] = Math.exp(this.z[c] - m);
    for (let c = 0; c < this.C; c++) this.p[c] /= sum;
  }
  learnOne(x: ArrayLike<number>, y: number): void {
    this.forward(x);
    const lr = this.lr / (1 + this.decay * this.t);
    if (this.l2 !== 0) for (let j = 0; j < this.w.length; j++) this.w[j] -= lr * this.l2 * this.w[j];
    const opt = this.opt;
    if (opt !== null) opt.begin(lr);
    for (let c = 0; c < this.C; c++) {
      const g = (c === y ? 1 : 0) - this.p[c];
      if (opt !== null) {
        for (let i = 0; i < this.n; i++) this.w[c * this.n + i] += opt.delta(this.mw, this.vw, c * this.n + i, g * x[i]);
        this.b[c] += opt.delta(this.mb, this.vb, c, g);
      } else {
        for (let i = 0; i < this.n; i++) this.w[c * this.n + i] += lr * g * x[i];
        this.b[c] += lr * g;
      }
    }
    this.t++;
  }
  predictOne(x: ArrayLike<number>): number {
    this.forward(x);
    return argmaxF(this.z, this.C);
  }
}

// ---- k-NN ---------------------------------------------------------------------

/** FIFO window; neighbours by squared distance, equal distances → lower slot; class ties → class of the nearer neighbour. */
export class FKNN implements FloatLearner {
  data: Float64Array;
  ys: Float64Array;
  filled = 0;
  pos = 0;
  dist: Float64Array;
  nbr: Int32Array;
  taken: Uint8Array;
  votes: Float64Array;
  constructor(public n: number, public C: number, public k: number, public W: number) {
    this.data = new Float64Array(W * n);
    this.ys = new Float64Array(W);
    this.dist = new Float64Array(W);
    this.nbr = new Int32Array(k);
    this.taken = new Uint8Array(W);
    this.votes = new Float64Array(Math.max(C, 1));
  }
  learnOne(x: ArrayLike<number>, y: number): void {
    const s = this.pos;
    for (let i = 0; i < this.n; i++) this.data[s * this.n + i] = x[i];
    this.ys[s] = y;
    this.pos = (this.pos + 1) % this.W;
    if (this.filled < this.W) this.filled++;
  }
  /** Fills nbr with the min(k, filled) nearest slots in order; returns that count. */
  neighbours(x: ArrayLike<number>): number {
    const m = Math.min(this.k, this.filled);
    for (let r = 0; r < this.filled; r++) {
      let s = 0;
      for (let i = 0; i < this.n; i++) {
        const d = this.data[r * this.n + i] - x[i];
        s += d * d;
      }
      this.dist[r] = s;
      this.taken[r] = 0;
    }
    for (let j = 0; j < m; j++) {
      let best = -1;
      for (let r = 0; r < this.filled; r++) if (!this.taken[r] && (best < 0 || this.dist[r] < this.dist[best])) best = r;
      this.taken[best] = 1;
      this.nbr[j] = best;
    }
    return m;
  }
  predictOne(x: ArrayLike<number>): number {
    const m = this.neighbours(x);
    if (m === 0) return 0;
    if (this.C === 0) {
      let s = 0;
      for (let j = 0; j < m; j++) s += this.ys[this.nbr[j]];
      return s / m;
    }
    this.votes.fill(0);
    for (let j = 0; j < m; j++) this.votes[this.ys[this.nbr[j]]]++;
    let best = this.ys[this.nbr[0]];
    for (let j = 1; j < m; j++) {
      const c = this.ys[this.nbr[j]];
      if (this.votes[c] > this.votes[best]) best = c;
    }
    return best;
  }
}

// ---- k-means ------------------------------------------------------------------

/** Sequential k-means: first k distinct samples seed the centroids; step max(1/count, decay). */
export class FKMeans {
  c: Float64Array;
  counts: Float64Array;
  filled = 0;
  constructor(public n: number, public k: number, public decay = 0) {
    this.c = new Float64Array(n * k);
    this.counts = new Float64Array(k);
  }
  nearest(x: ArrayLike<number>): number {
    let best = 0;
    let bd = Infinity;
    for (let j = 0; j < this.filled; j++) {
      let s = 0;
      for (let i = 0; i < this.n; i++) {
        const d = this.c[j * this.n + i] - x[i];
        s += d * d;
      }
      if (s < bd) {
        bd = s;
        best = j;
      }
    }
    return best;
  }
  learnOne(x: ArrayLike<number>): void {
    if (this.filled < this.k) {
      for (let j = 0; j < this.filled; j++) {
        let same = true;
        for (let i = 0; i < this.n; i++) if (this.c[j * this.n + i] !== x[i]) same = false;
        if (same) {
          this.counts[j]++;
          return;
        }
      }
      for (let i = 0; i < this.n; i++) this.c[this.filled * this.n + i] = x[i];
      this.counts[this.filled++] = 1;
      return;
    }
    const j = this.nearest(x);
    this.counts[j]++;
    const eta = Math.max(1 / this.counts[j], this.decay);
    for (let i = 0; i < this.n; i++) this.c[j * this.n + i] += eta * (x[i] - this.c[j * this.n + i]);
  }
  predictOne(x: ArrayLike<number>): number {
    return this.filled === 0 ? 0 : this.nearest(x);
  }
  /** Σ squared distance of each x to its nearest centroid. */
  inertia(X: ArrayLike<number>[]): number {
    let s = 0;
    for (const x of X) {
      const j = this.nearest(x);
      for (let i = 0; i < this.n; i++) {
        const d = this.c[j * this.n + i] - x[i];
        s += d * d;
      }
    }
    return s;
  }
}

// ---- Gaussian naive Bayes -----------------------------------------------------

/** Welford statistics of one stream of vectors. */
class FStats {
  count = 0;
  mean: Float64Array;
  m2: Float64Array;
  constructor(n: number) {
    this.mean = new Float64Array(n);
    this.m2 = new Float64Array(n);
  }
  add(x: ArrayLike<number>): void {
    this.count++;
    for (let i = 0; i < this.mean.length; i++) {
      const d = x[i] - this.mean[i];
      this.mean[i] += d / this.count;
      this.m2[i] += d * (x[i] - this.mean[i]);
    }
  }
  variance(i: number): number {
    return this.count > 0 ? this.m2[i] / this.count : 0;
  }
}

/** Smallest variance GaussianNB uses (one Q32.32 LSB): part of the algorithm's definition. */
export const MIN_VAR = 1 / 4294967296;

/**
 * Σ_i log N(x_i; μ_i, v_i) without the ½·log(2π) constant, v_i = var_i + eps_i (≥ MIN_VAR).
 * Each feature's term is floored at −32768 nats, as the fixed-point version does.
 */
function gaussLogLik(s: FStats, eps: Float64Array, x: ArrayLike<number>): number {
  let ll = 0;
  for (let i = 0; i < eps.length; i++) {
    let v = s.variance(i) + eps[i];
    if (v < MIN_VAR) v = MIN_VAR;
    const d = x[i] - s.mean[i];
    ll -= 0.5 * Math.log(v) + Math.min((d * d) / (2 * v), 32768);
  }
  return ll;
}

export class FGaussianNB implements FloatLearner {
  cls: FStats[] = [];
  all: FStats;
  eps: Float64Array;
  scores: Float64Array;
  constructor(public n: number, public C: number, public varSmoothing: number) {
    for (let c = 0; c < C; c++) this.cls.push(new FStats(n));
    this.all = new FStats(n);
    this.eps = new Float64Array(n);
    this.scores = new Float64Array(C);
  }
  learnOne(x: ArrayLike<number>, y: number): void {
    this.all.add(x);
    this.cls[y].add(x);
  }
  predictOne(x: ArrayLike<number>): number {
    for (let i = 0; i < this.n; i++) this.eps[i] = this.varSmoothing * this.all.variance(i);
    let best = 0;
    let bs = -Infinity;
    for (let c = 0; c < this.C; c++) {
      const s = this.cls[c];
      if (s.count === 0) continue;
      const sc = Math.log(s.count) + gaussLogLik(s, this.eps, x);
      if (sc > bs) {
        bs = sc;
        best = c;
      }
    }
    return best;
  }
}

// ---- Hoeffding tree -----------------------------------------------------------

/** Standard normal CDF, accurate to ~1e-7 (Abramowitz–Stegun 7.1.26 erf). */
export function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const e = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + e) : 0.5 * (1 - e);
}

function entropy(d: Float64Array, C: number): number {
  let W = 0;
  for (let c = 0; c < C; c++) W += d[c];
  if (W <= 0) return 0;
  let h = 0;
  for (let c = 0; c < C; c++) if (d[c] > 0) h -= (d[c] / W) * Math.log2(d[c] / W);
  return h;
}

interface FLeaf {
  classW: Float64Array;
  obs: FStats[];
  min: Float64Array;
  max: Float64Array;
  seen: number;
  mcCorrect: number;
  nbCorrect: number;
}

export interface FTreeOptions {
  maxDepth: number;
  maxNodes: number;
  gracePeriod: number;
  delta: number;
  tau: number;
  nSplitPoints: number;
  leafPrediction: 'mc' | 'nb' | 'nba';
  varSmoothing: number;
  minBranchFraction: number;
}

/** VFDT with Gaussian observers, binary numeric splits; see algorithms/hoeffding_tree.ts for the rules mirrored here. */
export class FHoeffdingTree implements FloatLearner {
  feat: number[] = [-1];
  thr: number[] = [0];
  child: number[] = [0];
  leaves: FLeaf[] = [];
  all: FStats;
  eps: Float64Array;
  left: Float64Array;
  right: Float64Array;
  bestL: Float64Array;
  bestR: Float64Array;
  nNodes = 1;
  constructor(public n: number, public C: number, public o: FTreeOptions) {
    this.leaves.push(this.newLeaf(null));
    this.all = new FStats(n);
    this.eps = new Float64Array(n);
    this.left = new Float64Array(C);
    this.right = new Float64Array(C);
    this.bestL = new Float64Array(C);
    this.bestR = new Float64Array(C);
  }
  private newLeaf(init: Float64Array | null): FLeaf {
    const obs: FStats[] = [];
    for (let c = 0; c < this.C; c++) obs.push(new FStats(this.n));
    return {
      classW: init ? Float64Array.from(init) : new Float64Array(this.C),
      obs,
      min: new Float64Array(this.C * this.n),
      max: new Float64Array(this.C * this.n),
      seen: 0,
      mcCorrect: 0,
      nbCorrect: 0,
    };
  }
  private sort(x: ArrayLike<number>): [number, number] {
    let node = 0;
    let depth = 0;
    while (this.feat[node] >= 0) {
      node = x[this.feat[node]] <= this.thr[node] ? this.child[node] : this.child[node] + 1;
      depth++;
    }
    return [node, depth];
  }
  private mc(l: FLeaf): number {
    return argmaxF(l.classW, this.C);
  }
  private nb(l: FLeaf, x: ArrayLike<number>): number {
    for (let i = 0; i < this.n; i++) this.eps[i] = this.o.varSmoothing * this.all.variance(i);
    let best = -1;
    let bs = -Infinity;
    for (let c = 0; c < this.C; c++) {
      if (l.obs[c].count === 0 || l.classW[c] <= 0) continue;
      const sc = Math.log(l.classW[c]) + gaussLogLik(l.obs[c], this.eps, x);
      if (sc > bs) {
        bs = sc;
        best = c;
      }
    }
    return best < 0 ? this.mc(l) : best;
  }
  private leafPredict(l: FLeaf, x: ArrayLike<number>): number {
    const lp = this.o.leafPrediction;
    if (lp === 'mc' || (lp === 'nba' && !(l.nbCorrect > l.mcCorrect))) return this.mc(l);
    return this.nb(l, x);
  }
  predictOne(x: ArrayLike<number>): number {
    return this.leafPredict(this.leaves[this.child[this.sort(x)[0]]], x);
  }
  learnOne(x: ArrayLike<number>, y: number): void {
    this.all.add(x);
    const [node, depth] = this.sort(x);
    const l = this.leaves[this.child[node]];
    if (this.o.leafPrediction === 'nba') {
      if (this.mc(l) === y) l.mcCorrect++;
      if (this.nb(l, x) === y) l.nbCorrect++;
    }
    l.classW[y] += 1;
    const s = l.obs[y];
    const first = s.count === 0;
    s.add(x);
    for (let i = 0; i < this.n; i++) {
      const j = y * this.n + i;
      if (first || x[i] < l.min[j]) l.min[j] = x[i];
      if (first || x[i] > l.max[j]) l.max[j] = x[i];
    }
    l.seen++;
    if (l.seen % this.o.gracePeriod === 0 && depth < this.o.maxDepth && this.nNodes + 2 <= this.o.maxNodes) this.attemptSplit(node, l);
  }
  private attemptSplit(node: number, l: FLeaf): void {
    const C = this.C;
    const pre = new Float64Array(C);
    let nonzero = 0;
    for (let c = 0; c < C; c++) {
      pre[c] = l.obs[c].count;
      if (pre[c] > 0) nonzero++;
    }
    if (nonzero < 2) return;
    const W = l.seen;
    const hPre = entropy(pre, C);
    let best = 0; // the null split has merit 0
    let second = 0;
    let bestF = -1;
    let bestT = 0;
    for (let i = 0; i < this.n; i++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let c = 0; c < C; c++) {
        if (l.obs[c].count === 0) continue;
        lo = Math.min(lo, l.min[c * this.n + i]);
        hi = Math.max(hi, l.max[c * this.n + i]);
      }
      if (!(hi > lo)) continue;
      let fBest = -Infinity;
      let fT = 0;
      // nSplitPoints evenly spaced thresholds, then every class's own min (less the model's one LSB, 2^-16) and max
      const sp = this.o.nSplitPoints;
      for (let j = 1; j <= sp + 2 * C; j++) {
        let t: number;
        if (j <= sp) t = lo + ((hi - lo) * j) / (sp + 1);
        else {
          const c = (j - sp - 1) >> 1;
          if (l.obs[c].count === 0) continue;
          t = (j - sp - 1) & 1 ? l.max[c * this.n + i] : l.min[c * this.n + i] - 1 / 65536;
          if (t < lo || t >= hi) continue;
        }
        let L = 0;
        for (let c = 0; c < C; c++) {
          const s = l.obs[c];
          let lw = 0;
          if (s.count > 0) {
            if (t < l.min[c * this.n + i]) lw = 0;
            else if (t >= l.max[c * this.n + i]) lw = s.count;
            else {
              const sd = Math.sqrt(s.variance(i));
              lw = sd > 0 ? s.count * phi((t - s.mean[i]) / sd) : t >= s.mean[i] ? s.count : 0;
            }
          }
          this.left[c] = lw;
          this.right[c] = s.count - lw;
          L += lw;
        }
        const R = W - L;
        const minW = this.o.minBranchFraction * W;
        if (L < minW || R < minW) continue;
        const m = hPre - (L / W) * entropy(this.left, C) - (R / W) * entropy(this.right, C);
        if (m > fBest) {
          fBest = m;
          fT = t;
        }
      }
      if (fBest === -Infinity) continue;
      if (fBest > best) {
        second = best;
        best = fBest;
        bestF = i;
        bestT = fT;
      } else if (fBest > second) second = fBest;
    }
    if (bestF < 0) return;
    const R = Math.log2(C);
    const eps = Math.sqrt((R * R * Math.log(1 / this.o.delta)) / (2 * W));
    if (!(best - second > eps || eps < this.o.tau)) return;
    // children distributions from the chosen split
    for (let c = 0; c < C; c++) {
      const s = l.obs[c];
      let lw = 0;
      if (s.count > 0) {
        if (bestT < l.min[c * this.n + bestF]) lw = 0;
        else if (bestT >= l.max[c * this.n + bestF]) lw = s.count;
        else {
          const sd = Math.sqrt(s.variance(bestF));
          lw = sd > 0 ? s.count * phi((bestT - s.mean[bestF]) / sd) : bestT >= s.mean[bestF] ? s.count : 0;
        }
      }
      this.bestL[c] = lw;
      this.bestR[c] = s.count - lw;
    }
    const slot = this.child[node];
    const li = this.nNodes;
    this.nNodes += 2;
    this.feat[node] = bestF;
    this.thr[node] = bestT;
    this.child[node] = li;
    this.leaves[slot] = this.newLeaf(this.bestL);
    this.leaves.push(this.newLeaf(this.bestR));
    this.feat[li] = -1;
    this.feat[li + 1] = -1;
    this.child[li] = slot;
    this.child[li + 1] = this.leaves.length - 1;
  }
}
