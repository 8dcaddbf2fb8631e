/**
 * The float64 twin of algorithms/hoeffding_tree_regressor.ts for tests and
 * benchmarks: the same bins, thresholds, merit (VR / Var), Hoeffding test,
 * leaf models and adaptive choice, in plain doubles (Math.sqrt, exact means,
 * standardisation clipped to ±8 like the fixed-point z-score). Hyper-parameters
 * are copied from a freshly built model. Not library code.
 */
import { HoeffdingTreeRegressor } from '../algorithms/hoeffding_tree_regressor.js';

interface Leaf {
  seen: number;
  mean: number;
  m2: number;
  pred0: number;
  meanBetter: number;
  linBetter: number;
  ready: boolean;
  lo: Float64Array;
  hi: Float64Array;
  binN: Float64Array;
  binS: Float64Array;
  w: Float64Array;
}

export class FloatHTR {
  readonly n: number;
  readonly maxDepth: number;
  readonly maxNodes: number;
  readonly grace: number;
  readonly lnInv: number;
  readonly tie: number;
  readonly sp: number;
  readonly mode: number;
  readonly lr: number;
  nNodes = 1;
  feat: number[] = [-1];
  thr: number[] = [0];
  child: number[] = [0];
  leaves: Leaf[];
  total = 0;
  gMean: Float64Array;
  gM2: Float64Array;
  private readonly z: Float64Array;

  constructor(m: HoeffdingTreeRegressor) {
    this.n = m.nFeatures;
    this.maxDepth = m.maxDepth;
    this.maxNodes = m.maxNodes;
    this.grace = m.gracePeriod;
    this.lnInv = Math.log(1 / m.delta);
    this.tie = m.tieThreshold / 65536;
    this.sp = m.nSplitPoints;
    this.mode = m.leafMode;
    this.lr = m.lr / 65536;
    this.leaves = [this.leaf()];
    this.gMean = new Float64Array(this.n);
    this.gM2 = new Float64Array(this.n);
    this.z = new Float64Array(this.n);
  }

  private leaf(): Leaf {
    const n = this.n;
    const B = this.sp + 1;
    return {
      seen: 0, mean: 0, m2: 0, pred0: 0, meanBetter: 0, linBetter: 0, ready: false,
      lo: new Float64Array(n), hi: new Float64Array(n), binN: new Float64Array(n * B), binS: new Float64Array(n * B), w: new Float64Array(n + 1),
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

  private standardise(x: ArrayLike<number>): Float64Array {
    for (let i = 0; i < this.n; i++) {
      const v = this.total > 0 ? this.gM2[i] / this.total : 0;
      const z = v > 0 ? (x[i] - this.gMean[i]) / Math.sqrt(v) : 0;
      this.z[i] = z > 8 ? 8 : z < -8 ? -8 : z;
    }
    return this.z;
  }

  private linear(l: Leaf, z: Float64Array): number {
    let s = l.w[this.n];
    for (let i = 0; i < this.n; i++) s += l.w[i] * z[i];
    return s;
  }

  private meanPred(l: Leaf): number {
    return l.seen === 0 ? l.pred0 : l.mean;
  }

  predict(x: ArrayLike<number>): number {
    const l = this.leaves[this.child[this.sort(x)[0]]];
    const lin = this.mode === 1 || (this.mode === 2 && l.linBetter > l.meanBetter);
    return lin ? this.linear(l, this.standardise(x)) : this.meanPred(l);
  }

  learn(x: ArrayLike<number>, y: number): void {
    const n = this.n;
    const [node, depth] = this.sort(x);
    const l = this.leaves[this.child[node]];
    if (this.mode !== 0) {
      const z = this.standardise(x);
      const pl = this.linear(l, z);
      if (this.mode === 2) {
        const am = Math.abs(y - this.meanPred(l));
        const al = Math.abs(y - pl);
        if (am < al) l.meanBetter++;
        else if (al < am) l.linBetter++;
      }
      const g = this.lr * (y - pl);
      for (let i = 0; i < n; i++) l.w[i] += g * z[i];
      l.w[n] += g;
    }
    this.total++;
    for (let i = 0; i < n; i++) {
      const d = x[i] - this.gMean[i];
      this.gMean[i] += d / this.total;
      this.gM2[i] += d * (x[i] - this.gMean[i]);
    }
    l.seen++;
    const d = y - l.mean;
    l.mean += d / l.seen;
    l.m2 += d * (y - l.mean);
    const B = this.sp + 1;
    if (!l.ready) {
      for (let i = 0; i < n; i++) {
        if (l.seen === 1 || x[i] < l.lo[i]) l.lo[i] = x[i];
        if (l.seen === 1 || x[i] > l.hi[i]) l.hi[i] = x[i];
      }
    } else {
      for (let i = 0; i < n; i++) {
        let b = 0;
        while (b < this.sp && x[i] > l.lo[i] + ((l.hi[i] - l.lo[i]) * (b + 1)) / B) b++;
        l.binN[i * B + b]++;
        l.binS[i * B + b] += y;
      }
    }
    if (l.seen % this.grace === 0 && depth < this.maxDepth && this.nNodes + 2 <= this.maxNodes) {
      if (!l.ready) l.ready = true;
      else this.attempt(node, l);
    }
  }

  private attempt(node: number, l: Leaf): void {
    const n = this.n;
    const B = this.sp + 1;
    const variance = l.m2 / l.seen;
    if (!(variance > 0)) return;
    let best = 0;
    let second = 0;
    let bf = -1;
    let bt = 0;
    let bl = 0;
    let br = 0;
    let N = 0;
    for (let i = 0; i < n; i++) {
      const span = l.hi[i] - l.lo[i];
      if (!(span > 0)) continue;
      let tn = 0;
      let ts = 0;
      for (let b = 0; b < B; b++) {
        tn += l.binN[i * B + b];
        ts += l.binS[i * B + b];
      }
      N = tn;
      const minN = Math.ceil(tn / 100);
      let nl = 0;
      let sl = 0;
      let fb = -1;
      let ft = 0;
      let fl = 0;
      let fr = 0;
      for (let s = 1; s <= this.sp; s++) {
        nl += l.binN[i * B + s - 1];
        sl += l.binS[i * B + s - 1];
        const nr = tn - nl;
        if (nl < minN || nr < minN || nl === 0 || nr === 0) continue;
        const ml = sl / nl;
        const mr = (ts - sl) / nr;
        const p = nl / tn;
        const merit = Math.min(1, (p * (1 - p) * (ml - mr) * (ml - mr)) / variance);
        if (merit > fb) {
          fb = merit;
          ft = l.lo[i] + (span * s) / B;
          fl = ml;
          fr = mr;
        }
      }
      if (fb < 0) continue;
      if (fb > best) {
        second = best;
        best = fb;
        bf = i;
        bt = ft;
        bl = fl;
        br = fr;
      } else if (fb > second) second = fb;
    }
    if (bf < 0 || N === 0) return;
    const eps = Math.sqrt(this.lnInv / (2 * N));
    if (!(best - second > eps || eps < this.tie)) return;
    const li = this.nNodes;
    this.nNodes += 2;
    this.feat[node] = bf;
    this.thr[node] = bt;
    this.child[node] = li;
    const right = this.leaf();
    right.lo.set(l.lo);
    right.hi.set(l.hi);
    right.lo[bf] = bt;
    right.w.set(l.w);
    l.hi[bf] = bt;
    const slot = this.leaves.indexOf(l);
    this.feat[li] = -1;
    this.feat[li + 1] = -1;
    this.thr[li] = 0;
    this.thr[li + 1] = 0;
    this.child[li] = slot;
    this.child[li + 1] = this.leaves.length;
    this.leaves.push(right);
    for (const [leaf, pred] of [[l, bl], [right, br]] as [Leaf, number][]) {
      leaf.seen = 0;
      leaf.mean = 0;
      leaf.m2 = 0;
      leaf.pred0 = pred;
      leaf.meanBetter = 0;
      leaf.linBetter = 0;
      leaf.ready = true;
      leaf.binN.fill(0);
      leaf.binS.fill(0);
    }
  }
}
