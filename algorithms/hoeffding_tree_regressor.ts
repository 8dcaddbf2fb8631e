/**
 * Hoeffding tree regressor (after FIMT, Ikonomovska et al. 2011, and River's
 * HoeffdingTreeRegressor) with a hard memory bound: every node, every leaf's
 * statistics and every leaf model are preallocated for `maxNodes` at
 * construction; the tree stops growing when the nodes, or `maxDepth`, run out.
 * Kept beside the classifier (algorithms/hoeffding_tree.ts), whose δ, tree
 * check and depth it shares, because its observers and leaves are its own.
 *
 * - Numeric observers: per leaf and feature, `nSplitPoints` thresholds evenly
 *   spaced over a range fixed when the leaf is made (the root learns its
 *   ranges during its first grace period; a child inherits its parent's,
 *   narrowed on the split feature), and per bin between them the sample count
 *   and the exact sum of the targets. The variance reduction of a split
 *   depends only on the two sides' counts and means,
 *   VR = pL·pR·(μL − μR)², so these sums are all it needs.
 * - Merit = VR / Var(y at the leaf), in [0, 1]; with R = 1 the Hoeffding
 *   bound is ε = √(ln(1/δ) / 2n), and a leaf splits on the best feature when
 *   best − second best > ε (the "no split" option has merit 0) or ε < τ,
 *   each branch holding at least 1 % of the samples.
 * - Leaves predict the mean of their targets ('mean'), a linear model on
 *   standardised features trained by SGD and copied into the children at a
 *   split as FIMT does ('linear'), or whichever of the two has been closer
 *   more often at that leaf ('adaptive', the default).
 */
import { fail } from '../src/errors.js';
import { Q_MAX, Q_MIN, floorDiv, isqrtRound, mul } from '../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../src/format.js';
import * as K from '../src/kernels.js';
import { step } from '../src/kernels.js';
import { MAX_FEATURES, Supervised, checkOptions, mutable, optChoice, optInt, optReal } from '../src/learner.js';
import { checkVariances, zScore } from '../src/gaussian.js';
import { checkTree, leafOf, leafOfDepth, readDelta, refuseTreeMerge, treeDepth } from './hoeffding_tree.js';

/** Options of {@link HoeffdingTreeRegressor}. */
export interface HoeffdingTreeRegressorOptions {
  /** Input width. */
  nFeatures: number;
  /** Maximum depth of a leaf, the root being depth 0 (default 10), 1..255. */
  maxDepth?: number;
  /** Most nodes, internal and leaves (default 31), 1..65535. Fixes the memory: see `stateBytes`. */
  maxNodes?: number;
  /** Samples a leaf sees between split attempts (default 200). */
  gracePeriod?: number;
  /** Allowed probability of choosing the wrong split, in (0, 1) (default 1e-7). */
  delta?: number;
  /** Split anyway when ε falls below this (fraction of the variance; default 0.05). */
  tieThreshold?: number;
  /** Candidate thresholds per feature (default 10), 1..64. */
  nSplitPoints?: number;
  /** 'mean', 'linear' or 'adaptive' (default). */
  leafPrediction?: 'mean' | 'linear' | 'adaptive';
  /** SGD step of the linear leaves, on standardised features (default 0.01). */
  learningRate?: number;
}

const LEAF_MODES = ['mean', 'linear', 'adaptive'];
const MEAN = 0;
const LINEAR = 1;
const ADAPTIVE = 2;
/** Bin counts of a leaf are halved (with their sums) when a bin reaches this, keeping every sum exact. */
const BIN_CAP = 1048576;
const ONE_VEC = new Int32Array([65536]);

/**
 * Hoeffding tree regressor with bounded memory (variance-reduction splits,
 * mean or linear leaves).
 *
 * @example
 * const t = new HoeffdingTreeRegressor({ nFeatures: 3, maxDepth: 6, maxNodes: 31, gracePeriod: 100 });
 * t.learnOne([21.5, 40, 3], 0.7);
 * t.predictOne([22, 41, 3]);
 * t.stateBytes; // fixed at construction
 */
export class HoeffdingTreeRegressor extends Supervised {
  static readonly modelType = ModelType.HoeffdingTreeRegressor;
  readonly maxDepth: number;
  readonly maxNodes: number;
  readonly gracePeriod: number;
  /** δ as a real number (exactly mantissa · 2^-exponent as stored). */
  readonly delta: number;
  /** Q16.16 */
  readonly tieThreshold: number;
  readonly nSplitPoints: number;
  /** 0 mean, 1 linear, 2 adaptive */
  readonly leafMode: number;
  /** Q16.16 */
  readonly lr: number;
  readonly stateBytes: number;
  /** Leaf slots: (maxNodes + 1) / 2. */
  readonly nSlots: number;
  /** Nodes in use (node 0 is the root). */
  readonly nNodes: number;
  /** Leaf slots in use. */
  readonly nLeaves: number;
  /** Samples learned. */
  readonly total: number;
  /** @internal per node: split feature (-1 for a leaf), threshold (x ≤ thr goes left), left child (right = left + 1) or the leaf's slot */
  readonly feat: Int32Array;
  /** @internal */ readonly thr: Int32Array;
  /** @internal */ readonly child: Int32Array;
  /** @internal per slot: samples seen, target statistics (Welford), the prediction of an empty leaf, adaptive counters */
  readonly seen: Uint32Array;
  /** @internal */ readonly yMean: Int32Array;
  /** @internal */ readonly yMeanF: Uint16Array;
  /** @internal */ readonly yVarI: Int32Array;
  /** @internal */ readonly yVarF: Uint32Array;
  /** @internal Welford division remainders (K.welford) */ readonly yVarR: Int32Array;
  /** @internal */ readonly pred0: Int32Array;
  /** @internal */ readonly meanBetter: Uint32Array;
  /** @internal */ readonly linBetter: Uint32Array;
  /** @internal per slot: 1 when the bins are laid out (the root waits one grace period for its ranges) */
  readonly ready: Uint8Array;
  /** @internal per slot·nFeatures + i: the range the bins cover */
  readonly lo: Int32Array;
  /** @internal */ readonly hi: Int32Array;
  /** @internal per (slot·nFeatures + i)·(nSplitPoints + 1) + b: samples and target sum (Q16.16 units, integer-valued) per bin */
  readonly binN: Uint32Array;
  /** @internal */ readonly binS: Float64Array;
  /** @internal per slot·(nFeatures + 1): linear leaf weights then bias (wide) */
  readonly lw: Int32Array;
  /** @internal */ readonly lf: Uint16Array;
  /** @internal all-sample feature statistics, for standardising the linear leaves' inputs */
  readonly gMean: Int32Array;
  /** @internal */ readonly gMeanF: Uint16Array;
  /** @internal */ readonly gVarI: Int32Array;
  /** @internal */ readonly gVarF: Uint32Array;
  /** @internal */ readonly gVarR: Int32Array;

  private readonly deltaM: number;
  private readonly deltaE: number;
  private readonly lnInvDelta: number;
  private readonly z: Int32Array;
  private readonly yq: Int32Array;
  private readonly stepBuf: Int32Array;
  private depthFound: number;

  constructor(opts: HoeffdingTreeRegressorOptions) {
    const o = checkOptions(opts);
    super(optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES), 0);
    const n = this.nFeatures;
    this.maxDepth = optInt(o, 'maxDepth', 10, 1, 255);
    const maxNodes = (this.maxNodes = optInt(o, 'maxNodes', 31, 1, 65535));
    this.gracePeriod = optInt(o, 'gracePeriod', 200, 1, 1000000);
    this.tieThreshold = optReal(o, 'tieThreshold', 0.05, 0, 1);
    const sp = (this.nSplitPoints = optInt(o, 'nSplitPoints', 10, 1, 64));
    this.leafMode = optChoice(o, 'leafPrediction', 'adaptive', LEAF_MODES);
    this.lr = optReal(o, 'learningRate', 0.01, 0, 1000);
    const d = readDelta(o);
    this.deltaM = d.m;
    this.deltaE = d.e;
    this.delta = d.delta;
    this.lnInvDelta = d.lnInv;
    const S = (this.nSlots = (maxNodes + 1) >> 1);
    const bins = S * n * (sp + 1);
    if (bins > 16777216) fail('E_OPTION', 'maxNodes · nFeatures · nSplitPoints is too large (' + bins * 12 + ' bytes of statistics)');
    this.nNodes = 1;
    this.nLeaves = 1;
    this.total = 0;
    this.feat = new Int32Array(maxNodes);
    this.thr = new Int32Array(maxNodes);
    this.child = new Int32Array(maxNodes);
    this.feat[0] = -1;
    this.seen = new Uint32Array(S);
    this.yMean = new Int32Array(S);
    this.yMeanF = new Uint16Array(S);
    this.yVarI = new Int32Array(S);
    this.yVarF = new Uint32Array(S);
    this.yVarR = new Int32Array(S);
    this.pred0 = new Int32Array(S);
    this.meanBetter = new Uint32Array(S);
    this.linBetter = new Uint32Array(S);
    this.ready = new Uint8Array(S);
    this.lo = new Int32Array(S * n);
    this.hi = new Int32Array(S * n);
    this.binN = new Uint32Array(bins);
    this.binS = new Float64Array(bins);
    this.lw = new Int32Array(S * (n + 1));
    this.lf = new Uint16Array(S * (n + 1));
    this.gMean = new Int32Array(n);
    this.gMeanF = new Uint16Array(n);
    this.gVarI = new Int32Array(n);
    this.gVarF = new Uint32Array(n);
    this.gVarR = new Int32Array(n);
    this.z = new Int32Array(n);
    this.yq = new Int32Array(1);
    this.stepBuf = new Int32Array(2);
    this.depthFound = 0;
    this.stateBytes = maxNodes * 12 + 12 + S * 35 + S * n * 8 + bins * 12 + S * (n + 1) * 6 + n * 18;
  }

  /** The leaf node x falls into; sets depthFound. */
  private sort(x: Int32Array): number {
    const node = leafOf(this.feat, this.thr, this.child, x);
    this.depthFound = leafOfDepth();
    return node;
  }

  /** x standardised with the all-sample statistics into z (Q16.16, each within ±8). */
  private standardise(x: Int32Array): Int32Array {
    for (let i = 0; i < this.nFeatures; i++) {
      const dev = x[i] * 65536 - (this.gMean[i] * 65536 + this.gMeanF[i]);
      this.z[i] = this.gVarI[i] === 0 && this.gVarF[i] === 0 ? 0 : zScore(dev, this.gVarI[i], this.gVarF[i]);
    }
    return this.z;
  }

  private meanPred(slot: number): number {
    return this.seen[slot] === 0 ? this.pred0[slot] : this.yMean[slot];
  }

  private linearPred(slot: number, z: Int32Array): number {
    const o = slot * (this.nFeatures + 1);
    const v = K.dot.f(this.lw, o, z, 0, this.nFeatures) + this.lw[o + this.nFeatures];
    return v > Q_MAX ? Q_MAX : v < Q_MIN ? Q_MIN : v;
  }

  private useLinear(slot: number): boolean {
    return this.leafMode === LINEAR || (this.leafMode === ADAPTIVE && this.linBetter[slot] > this.meanBetter[slot]);
  }

  protected predictQ(x: Int32Array): number {
    const slot = this.child[this.sort(x)];
    return this.useLinear(slot) ? this.linearPred(slot, this.standardise(x)) : this.meanPred(slot);
  }

  protected learnQ(x: Int32Array, y: number): void {
    const n = this.nFeatures;
    const node = this.sort(x);
    const depth = this.depthFound;
    const slot = this.child[node];
    // the linear leaf, tested then trained (standardised with the statistics before this sample)
    if (this.leafMode !== MEAN) {
      const z = this.standardise(x);
      const pl = this.linearPred(slot, z);
      if (this.leafMode === ADAPTIVE) {
        const em = y - this.meanPred(slot);
        const el = y - pl;
        const am = em < 0 ? -em : em;
        const al = el < 0 ? -el : el;
        if (am < al && this.meanBetter[slot] < 4294967295) this.meanBetter[slot]++;
        else if (al < am && this.linBetter[slot] < 4294967295) this.linBetter[slot]++;
      }
      const e = y - pl;
      step(this.lr, e > Q_MAX ? Q_MAX : e < Q_MIN ? Q_MIN : e, this.stepBuf);
      const o = slot * (n + 1);
      if (this.stepBuf[0] !== 0) {
        K.axpyWide.f(this.lw, this.lf, o, z, 0, n, this.stepBuf[0], this.stepBuf[1]);
        K.axpyWide.f(this.lw, this.lf, o + n, ONE_VEC, 0, 1, this.stepBuf[0], this.stepBuf[1]);
      }
    }
    if (this.total < 4294967295) mutable(this).total++;
    K.welford.f(this.gMean, this.gMeanF, this.gVarI, this.gVarF, this.gVarR, 0, x, 0, n, this.total);
    if (this.seen[slot] < 4294967295) this.seen[slot]++;
    this.yq[0] = y;
    K.welford.f(this.yMean, this.yMeanF, this.yVarI, this.yVarF, this.yVarR, slot, this.yq, 0, 1, this.seen[slot]);
    this.observe(slot, x, y);
    if (this.seen[slot] % this.gracePeriod === 0 && depth < this.maxDepth && this.nNodes + 2 <= this.maxNodes) {
      if (this.ready[slot] === 0) this.layOut(slot);
      else this.attemptSplit(node, slot);
    }
  }

  /** Adds (x, y) to the slot's bins, or widens its ranges while they are being learned. */
  private observe(slot: number, x: Int32Array, y: number): void {
    const n = this.nFeatures;
    const sp = this.nSplitPoints;
    const B = sp + 1;
    if (this.ready[slot] === 0) {
      for (let i = 0; i < n; i++) {
        const j = slot * n + i;
        if (this.seen[slot] === 1 || x[i] < this.lo[j]) this.lo[j] = x[i];
        if (this.seen[slot] === 1 || x[i] > this.hi[j]) this.hi[j] = x[i];
      }
      return;
    }
    let halve = false;
    for (let i = 0; i < n; i++) {
      const j = slot * n + i;
      const lo = this.lo[j];
      const span = this.hi[j] - lo;
      // bin b holds the values above the first b thresholds
      let b = 0;
      while (b < sp && x[i] > lo + floorDiv(span * (b + 1), B)) b++;
      const k = j * B + b;
      this.binN[k]++;
      this.binS[k] += y;
      if (this.binN[k] >= BIN_CAP) halve = true;
    }
    if (halve) {
      // keeps every sum below 2^52: the slot's bins then weigh recent samples more
      const a = slot * n * B;
      for (let k = a; k < a + n * B; k++) {
        this.binN[k] = Math.floor(this.binN[k] / 2);
        this.binS[k] = Math.floor(this.binS[k] / 2);
      }
    }
  }

  /** The root's ranges are known after its first grace period: the bins start from there. */
  private layOut(slot: number): void {
    this.ready[slot] = 1;
  }

  private attemptSplit(node: number, slot: number): void {
    const n = this.nFeatures;
    const sp = this.nSplitPoints;
    const B = sp + 1;
    const vI = this.yVarI[slot];
    const vF = this.yVarF[slot];
    if (vI === 0 && vF === 0) return;
    let best = 0;
    let second = 0;
    let bestF = -1;
    let bestT = 0;
    let bestL = 0;
    let bestR = 0;
    let N = 0;
    for (let i = 0; i < n; i++) {
      const j = slot * n + i;
      const span = this.hi[j] - this.lo[j];
      if (span <= 0) continue;
      let tn = 0;
      let ts = 0;
      for (let b = 0; b < B; b++) {
        tn += this.binN[j * B + b];
        ts += this.binS[j * B + b];
      }
      N = tn;
      const minN = Math.floor((tn + 99) / 100);
      let nl = 0;
      let sl = 0;
      let fBest = -1;
      let fT = 0;
      let fL = 0;
      let fR = 0;
      for (let s = 1; s <= sp; s++) {
        nl += this.binN[j * B + s - 1];
        sl += this.binS[j * B + s - 1];
        const nr = tn - nl;
        if (nl < minN || nr < minN || nl === 0 || nr === 0) continue;
        const ml = floorDiv(2 * sl + nl, 2 * nl); // side means, Q16.16, rounded
        const mr = floorDiv(2 * (ts - sl) + nr, 2 * nr);
        const pl = floorDiv(2 * nl * 65536 + tn, 2 * tn);
        const zd = zScore((ml - mr) * 65536, vI, vF); // (μL − μR)/σ, within ±8
        let merit = mul(mul(pl, 65536 - pl), mul(zd, zd)); // VR / Var
        if (merit > 65536) merit = 65536;
        if (merit > fBest) {
          fBest = merit;
          fT = this.lo[j] + floorDiv(span * s, B);
          fL = ml;
          fR = mr;
        }
      }
      if (fBest < 0) continue;
      if (fBest > best) {
        second = best;
        best = fBest;
        bestF = i;
        bestT = fT;
        bestL = fL;
        bestR = fR;
      } else if (fBest > second) second = fBest;
    }
    if (bestF < 0 || N === 0) return;
    const eps = isqrtRound(floorDiv(this.lnInvDelta * 65536 + N, 2 * N)); // √(ln(1/δ) / 2N), Q16.16
    if (!(best - second > eps || eps < this.tieThreshold)) return;
    this.split(node, slot, bestF, bestT, bestL, bestR);
  }

  private split(node: number, slot: number, f: number, t: number, meanL: number, meanR: number): void {
    const n = this.nFeatures;
    const li = this.nNodes;
    const ns = this.nLeaves;
    mutable(this).nNodes += 2;
    mutable(this).nLeaves++;
    this.feat[node] = f;
    this.thr[node] = t;
    this.child[node] = li;
    this.feat[li] = -1;
    this.feat[li + 1] = -1;
    this.thr[li] = 0;
    this.thr[li + 1] = 0;
    this.child[li] = slot;
    this.child[li + 1] = ns;
    // the right child inherits the ranges (narrowed on f) and the linear model
    for (let i = 0; i < n; i++) {
      this.lo[ns * n + i] = this.lo[slot * n + i];
      this.hi[ns * n + i] = this.hi[slot * n + i];
    }
    this.lo[ns * n + f] = t;
    this.hi[slot * n + f] = t;
    const w = n + 1;
    for (let k = 0; k < w; k++) {
      this.lw[ns * w + k] = this.lw[slot * w + k];
      this.lf[ns * w + k] = this.lf[slot * w + k];
    }
    this.resetSlot(slot, meanL);
    this.resetSlot(ns, meanR);
  }

  /** Empties a slot's statistics; an empty leaf predicts `pred` (the split's estimate of its mean). */
  private resetSlot(slot: number, pred: number): void {
    const n = this.nFeatures;
    const B = this.nSplitPoints + 1;
    this.seen[slot] = 0;
    this.yMean[slot] = 0;
    this.yMeanF[slot] = 0;
    this.yVarI[slot] = 0;
    this.yVarF[slot] = 0;
    this.yVarR[slot] = 0;
    this.pred0[slot] = pred;
    this.meanBetter[slot] = 0;
    this.linBetter[slot] = 0;
    this.ready[slot] = 1;
    this.binN.fill(0, slot * n * B, (slot + 1) * n * B);
    this.binS.fill(0, slot * n * B, (slot + 1) * n * B);
  }

  /** Depth of the deepest leaf. */
  depth(): number {
    return treeDepth(this.feat, this.child, this.nNodes);
  }

  /**
   * @internal Payload: `u32 nFeatures`, `u32 maxDepth`, `u32 maxNodes`, `u32 gracePeriod`, `i32 deltaM`, `u32 deltaE`,
   * `i32 tieThreshold`, `u32 nSplitPoints`, `u8 leafPrediction`, `i32 learningRate`, `u32 nNodes`, `u32 nLeaves`, `u32 total`,
   * `i32[maxNodes] feat, thr, child`, per slot `u32 seen`, `i32 yMean`, `u16 yMeanF`, `i32 yVarI`, `u32 yVarF`, `i32 yVarR`, `i32 pred0`,
   * `u32 meanBetter`, `u32 linBetter`, `u8 ready` (as arrays in that order), `i32[S·n] lo, hi`, `u32[bins] binN`,
   * `i64[bins] binS` (u32 low, i32 high), `i32[S·(n+1)] lw`, `u16[S·(n+1)] lf`, then the feature statistics
   * `i32[n] gMean`, `u16[n] gMeanF`, `i32[n] gVarI`, `u32[n] gVarF`, `i32[n] gVarR`.
   */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.maxDepth);
    w.u32(this.maxNodes);
    w.u32(this.gracePeriod);
    w.i32(this.deltaM);
    w.u32(this.deltaE);
    w.i32(this.tieThreshold);
    w.u32(this.nSplitPoints);
    w.u8(this.leafMode);
    w.i32(this.lr);
    w.u32(this.nNodes);
    w.u32(this.nLeaves);
    w.u32(this.total);
    w.i32s(this.feat);
    w.i32s(this.thr);
    w.i32s(this.child);
    w.u32s(this.seen);
    w.i32s(this.yMean);
    w.u16s(this.yMeanF);
    w.i32s(this.yVarI);
    w.u32s(this.yVarF);
    w.i32s(this.yVarR);
    w.i32s(this.pred0);
    w.u32s(this.meanBetter);
    w.u32s(this.linBetter);
    w.u8s(this.ready);
    w.i32s(this.lo);
    w.i32s(this.hi);
    w.u32s(this.binN);
    for (let i = 0; i < this.binS.length; i++) {
      const v = this.binS[i];
      const h = Math.floor(v / 4294967296);
      w.u32(v - h * 4294967296);
      w.i32(h);
    }
    w.i32s(this.lw);
    w.u16s(this.lf);
    w.i32s(this.gMean);
    w.u16s(this.gMeanF);
    w.i32s(this.gVarI);
    w.u32s(this.gVarF);
    w.i32s(this.gVarR);
  }

  /** Always throws E_TYPE: Hoeffding trees do not merge (each grows its own splits); see docs/fleet.md. */
  static merge(models: ReadonlyArray<HoeffdingTreeRegressor>, weights?: ArrayLike<number>): HoeffdingTreeRegressor {
    return refuseTreeMerge('HoeffdingTreeRegressor');
  }

  /** @internal */
  static fromReader(r: ByteReader): HoeffdingTreeRegressor {
    const n = r.int(1, MAX_FEATURES);
    const maxDepth = r.int(1, 255);
    const maxNodes = r.int(1, 65535);
    const grace = r.int(1, 1000000);
    const dm = r.int(32768, 65535);
    const de = r.int(0, 2000);
    const tie = r.int(0, 65536);
    const sp = r.int(1, 64);
    const mode = r.u8();
    if (mode > 2) fail('E_CORRUPT', 'unknown leaf prediction mode ' + mode);
    const lr = r.int(0, 1000 * 65536);
    const S = (maxNodes + 1) >> 1;
    const bins = S * n * (sp + 1);
    if (bins > 16777216) fail('E_CORRUPT', 'tree statistics too large');
    const nNodes = r.int(1, maxNodes);
    const nLeaves = r.int(1, S);
    const total = r.u32();
    r.need(maxNodes * 12 + S * 35 + S * n * 8 + bins * 12 + S * (n + 1) * 6 + n * 18);
    let delta = dm / 65536;
    for (let i = 0; i < de; i++) delta /= 2;
    const m = new HoeffdingTreeRegressor({
      nFeatures: n, maxDepth: maxDepth, maxNodes: maxNodes, gracePeriod: grace, delta: delta, tieThreshold: tie / 65536,
      nSplitPoints: sp, leafPrediction: LEAF_MODES[mode] as 'mean' | 'linear' | 'adaptive', learningRate: lr / 65536,
    });
    if (m.deltaM !== dm || m.deltaE !== de) fail('E_CORRUPT', 'delta does not round-trip');
    const mm = mutable(m);
    mm.nNodes = nNodes;
    mm.nLeaves = nLeaves;
    mm.total = total;
    r.i32s(m.feat);
    r.i32s(m.thr);
    r.i32s(m.child);
    r.u32s(m.seen);
    r.i32s(m.yMean);
    r.u16s(m.yMeanF);
    r.i32s(m.yVarI);
    r.u32s(m.yVarF);
    r.i32s(m.yVarR);
    r.i32s(m.pred0);
    r.u32s(m.meanBetter);
    r.u32s(m.linBetter);
    r.u8s(m.ready);
    for (let i = 0; i < S; i++) if (m.ready[i] > 1) fail('E_CORRUPT', 'bad leaf flag');
    r.i32s(m.lo);
    r.i32s(m.hi);
    r.u32s(m.binN);
    for (let i = 0; i < bins; i++) {
      if (m.binN[i] >= BIN_CAP) fail('E_CORRUPT', 'bin count beyond its cap');
      const lo = r.u32();
      const h = r.i32();
      const v = h * 4294967296 + lo;
      // |sum| ≤ count·2^31 keeps it exact
      if (v > m.binN[i] * 2147483648 || v < -m.binN[i] * 2147483648) fail('E_CORRUPT', 'bin sum beyond its count');
      m.binS[i] = v;
    }
    r.i32s(m.lw);
    r.u16s(m.lf);
    r.i32s(m.gMean);
    r.u16s(m.gMeanF);
    r.i32s(m.gVarI);
    r.u32s(m.gVarF);
    r.i32s(m.gVarR);
    checkVariances(m.yVarI);
    checkVariances(m.gVarI);
    checkTree(m.feat, m.child, m.nNodes, m.nLeaves, m.nFeatures);
    return m;
  }
}
