/**
 * Hoeffding tree classifier (VFDT, Domingos & Hulten 2000, as in MOA/River)
 * with a hard memory bound: every node and every leaf's statistics are
 * preallocated up to `maxNodes` at construction, and the tree simply stops
 * growing when the nodes, or `maxDepth`, run out.
 *
 * - Numeric attribute observers: per leaf, per class, per feature a Gaussian
 *   (count, wide mean, Q32.16 variance via `K.welford`) plus the min and max,
 *   so raw sensor ranges do not saturate.
 * - Every `gracePeriod` samples a leaf evaluates `nSplitPoints` thresholds per
 *   feature, evenly spaced between the feature's min and max at that leaf, and
 *   each class's own min (less one LSB) and max; the class weights on each
 *   side come from the Gaussians' CDFs (exactly 0 or all of a class beyond
 *   its range, so the class-boundary thresholds are exact). Merit is
 *   information gain; a split needs at least two branches with 1 % of the
 *   weight (MOA's minBranchFraction).
 * - Hoeffding bound ε = √(R²·ln(1/δ) / 2n), R = log2(nClasses): split on the
 *   best feature if best − second best > ε (the "no split" option has merit
 *   0) or ε < tieThreshold.
 * - Leaves predict the majority class ('mc'), naive Bayes over the leaf's
 *   Gaussians ('nb'), or whichever of the two has been right more often at
 *   that leaf ('nba', the default).
 *
 * Internally merits are in nats (ε and the tie threshold are scaled by ln 2
 * to match), which makes no difference to any decision.
 */
import { fail } from '../src/errors.js';
import { POW2, floorDiv, isqrtRound, log, mul, sigmoid, softmaxQ, toQ } from '../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../src/format.js';
import * as K from '../src/kernels.js';
import { MAX_CLASSES, MAX_FEATURES, Supervised, checkOptions, mutable, optChoice, optInt, optReal } from '../src/learner.js';
import { checkVariances, gaussLogLik, lnUnits, smoothingFromVar, zScore } from '../src/gaussian.js';

/** Options of {@link HoeffdingTreeClassifier}. */
export interface HoeffdingTreeOptions {
  /** Input width. */
  nFeatures: number;
  /** Number of classes (labels 0..nClasses-1). */
  nClasses: number;
  /** Maximum depth of a leaf, the root being depth 0 (default 10), 1..255: a leaf at this depth never splits. */
  maxDepth?: number;
  /** Most nodes, internal and leaves (default 31), 1..65535. Fixes the memory: see `stateBytes`. */
  maxNodes?: number;
  /** Samples a leaf sees between split attempts (default 200). */
  gracePeriod?: number;
  /** Allowed probability of choosing the wrong split, in (0, 1) (default 1e-7). */
  delta?: number;
  /** Split anyway when ε falls below this (in bits of information gain; default 0.05). */
  tieThreshold?: number;
  /** Candidate thresholds per feature (default 10). */
  nSplitPoints?: number;
  /** 'mc' (majority class), 'nb' (naive Bayes) or 'nba' (adaptive, default). */
  leafPrediction?: 'mc' | 'nb' | 'nba';
  /** Variance smoothing of the naive Bayes leaves, as in GaussianNB (default 0.01). */
  varSmoothing?: number;
}

const LEAF_MODES = ['mc', 'nb', 'nba'];
/** leafMode values: 0 majority class (MC), 1 naive Bayes, 2 adaptive. */
const NB = 1;
const NBA = 2;
/** ln 2 in Q16.16 */
const LN2_Q = 45426;
/** Φ(z) ≈ σ(1.5976·z + 0.070566·z³) (max error 1.4e-4, Bowling et al. 2009). */
const PHI_A = 104700;
const PHI_B = 4625;
/** 0.01 in Q16.16: a split branch needs at least this fraction of the weight. */
const MIN_BRANCH = 655;

/** Standard normal CDF of z (Q16.16 in and out). */
function phiQ(z: number): number {
  if (z >= 524288) return 65536;
  if (z <= -524288) return 0;
  return sigmoid(mul(PHI_A, z) + mul(PHI_B, mul(mul(z, z), z)));
}

/**
 * out[c] = d[o+c] / Σ d rounded to Q16.16 (d: non-negative integer-valued
 * doubles). Returns false (out untouched) when the sum is 0.
 */
function normalizeQ(d: Float64Array, o: number, n: number, out: Int32Array): boolean {
  let w = 0;
  for (let c = 0; c < n; c++) w += d[o + c];
  if (w <= 0) return false;
  let k = 0;
  while (w >= POW2[36 + k]) k++;
  const p = POW2[k];
  const ws = k === 0 ? w : Math.floor(w / p);
  for (let c = 0; c < n; c++) {
    const v = k === 0 ? d[o + c] : Math.floor(d[o + c] / p);
    out[c] = floorDiv(2 * v * 65536 + ws, 2 * ws);
  }
  return true;
}

/**
 * @internal Why a Hoeffding tree does not merge (E_TYPE): each device grows
 * its own splits (feature and threshold chosen by the Hoeffding bound on its
 * own stream), and a leaf's statistics mean something only under its own
 * path. Two trees agree on their structure only until the first split either
 * makes, so summing leaves would work only for trees that never split, and
 * averaging or grafting grown trees carries none of the bound's guarantees.
 */
export function refuseTreeMerge(name: string): never {
  return fail('E_TYPE', name + ' cannot be merged: every tree grows its own splits from its own stream, so leaf statistics of two trees do not describe the same regions; keep trees local, or merge a model that averages (LogisticRegression, SoftmaxRegression, MLP)');
}

/**
 * Hoeffding tree (VFDT) classifier with bounded memory.
 *
 * @example
 * const t = new HoeffdingTreeClassifier({ nFeatures: 4, nClasses: 3, maxDepth: 5, maxNodes: 15, gracePeriod: 50 });
 * t.learnOne([5.1, 3.5, 1.4, 0.2], 0);
 * t.predictOne([5.0, 3.4, 1.5, 0.2]);
 * t.stateBytes; // fixed at construction
 */
export class HoeffdingTreeClassifier extends Supervised {
  static readonly modelType = ModelType.HoeffdingTreeClassifier;
  readonly maxDepth: number;
  readonly maxNodes: number;
  readonly gracePeriod: number;
  /** δ as a real number (exactly mantissa · 2^-exponent as stored). */
  readonly delta: number;
  /** Q16.16 */
  readonly tieThreshold: number;
  readonly nSplitPoints: number;
  /** 0 mc, 1 nb, 2 nba */
  readonly leafMode: number;
  /** Q16.16 */
  readonly varSmoothing: number;
  readonly stateBytes: number;
  /** Leaf statistics slots: (maxNodes + 1) / 2, the most leaves a binary tree of maxNodes nodes has. */
  readonly nSlots: number;

  /** Nodes in use (node 0 is the root). */
  readonly nNodes: number;
  /** Leaf slots in use. */
  readonly nLeaves: number;
  /** @internal per node: split feature (-1 for a leaf), threshold (x ≤ thr goes left), and left child (right = left + 1) or, for a leaf, its slot */
  readonly feat: Int32Array;
  /** @internal */ readonly thr: Int32Array;
  /** @internal */ readonly child: Int32Array;
  /** @internal per slot·nClasses + c: class weight in units of 2^-16 (integer-valued) */
  readonly classW: Float64Array;
  /** @internal per slot·nClasses + c: samples observed at the leaf */
  readonly obs: Uint32Array;
  /** @internal per (slot·nClasses + c)·nFeatures + i: Gaussian observer and range */
  readonly mean: Int32Array;
  /** @internal */ readonly meanF: Uint16Array;
  /** @internal */ readonly varI: Int32Array;
  /** @internal */ readonly varF: Uint32Array;
  /** @internal Welford division remainders (K.welford) */ readonly varR: Int32Array;
  /** @internal */ readonly mn: Int32Array;
  /** @internal */ readonly mx: Int32Array;
  /** @internal per slot */ readonly seen: Uint32Array;
  /** @internal */ readonly mcCorrect: Uint32Array;
  /** @internal */ readonly nbCorrect: Uint32Array;
  /** Samples learned. */
  readonly total: number;
  /** @internal all-sample statistics, for the naive Bayes variance smoothing */
  readonly gMean: Int32Array;
  /** @internal */ readonly gMeanF: Uint16Array;
  /** @internal */ readonly gVarI: Int32Array;
  /** @internal */ readonly gVarF: Uint32Array;
  /** @internal */ readonly gVarR: Int32Array;

  private readonly deltaM: number;
  private readonly deltaE: number;
  /** ln(1/δ), ln(nClasses) and the tie threshold in nats, Q16.16 */
  private readonly lnInvDelta: number;
  private readonly boundNum: number;
  private readonly tieNats: number;
  private readonly epsI: Float64Array;
  private readonly epsF: Float64Array;
  private readonly scores: Float64Array;
  private readonly mask: Uint8Array;
  private readonly pq: Int32Array;
  private readonly pre: Float64Array;
  private readonly left: Float64Array;
  private readonly right: Float64Array;
  private readonly pTmp: Int32Array;
  private depthFound: number;

  constructor(opts: HoeffdingTreeOptions) {
    const o = checkOptions(opts);
    super(optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES), optInt(o, 'nClasses', undefined, 2, MAX_CLASSES));
    const n = this.nFeatures;
    const C = this.nClasses;
    this.maxDepth = optInt(o, 'maxDepth', 10, 1, 255);
    const maxNodes = (this.maxNodes = optInt(o, 'maxNodes', 31, 1, 65535));
    this.gracePeriod = optInt(o, 'gracePeriod', 200, 1, 1000000);
    this.tieThreshold = optReal(o, 'tieThreshold', 0.05, 0, 1);
    this.nSplitPoints = optInt(o, 'nSplitPoints', 10, 1, 256);
    this.leafMode = optChoice(o, 'leafPrediction', 'nba', LEAF_MODES);
    this.varSmoothing = optReal(o, 'varSmoothing', 0.01, 0, 1);
    const d = readDelta(o);
    this.deltaM = d.m;
    this.deltaE = d.e;
    this.delta = d.delta;
    this.lnInvDelta = d.lnInv;
    const r = log(C * 65536); // R = ln(nClasses) in nats
    this.boundNum = mul(mul(r, r), this.lnInvDelta);
    this.tieNats = mul(this.tieThreshold, LN2_Q);

    const S = (this.nSlots = (maxNodes + 1) >> 1);
    const cells = S * C * n;
    if (cells > 16777216) fail('E_OPTION', 'maxNodes · nClasses · nFeatures is too large (' + cells * 20 + ' bytes of statistics)');
    this.nNodes = 1;
    this.nLeaves = 1;
    this.feat = new Int32Array(maxNodes);
    this.thr = new Int32Array(maxNodes);
    this.child = new Int32Array(maxNodes);
    this.feat[0] = -1;
    this.classW = new Float64Array(S * C);
    this.obs = new Uint32Array(S * C);
    this.mean = new Int32Array(cells);
    this.meanF = new Uint16Array(cells);
    this.varI = new Int32Array(cells);
    this.varF = new Uint32Array(cells);
    this.varR = new Int32Array(cells);
    this.mn = new Int32Array(cells);
    this.mx = new Int32Array(cells);
    this.seen = new Uint32Array(S);
    this.mcCorrect = new Uint32Array(S);
    this.nbCorrect = new Uint32Array(S);
    this.total = 0;
    this.gMean = new Int32Array(n);
    this.gMeanF = new Uint16Array(n);
    this.gVarI = new Int32Array(n);
    this.gVarF = new Uint32Array(n);
    this.gVarR = new Int32Array(n);
    this.epsI = new Float64Array(n);
    this.epsF = new Float64Array(n);
    this.scores = new Float64Array(C);
    this.mask = new Uint8Array(C);
    this.pq = new Int32Array(C);
    this.pre = new Float64Array(C);
    this.left = new Float64Array(C);
    this.right = new Float64Array(C);
    this.pTmp = new Int32Array(C);
    this.depthFound = 0;
    this.stateBytes = maxNodes * 12 + 8 + S * (C * 12 + 12) + cells * 26 + 4 + n * 18;
  }

  /** The leaf node x falls into; sets depthFound. */
  private sort(x: Int32Array): number {
    const node = leafOf(this.feat, this.thr, this.child, x);
    this.depthFound = leafOfDepth();
    return node;
  }

  /** Majority class of a slot (first on ties; 0 when empty). */
  private mcClass(slot: number): number {
    const o = slot * this.nClasses;
    let best = 0;
    for (let c = 1; c < this.nClasses; c++) if (this.classW[o + c] > this.classW[o + best]) best = c;
    return best;
  }

  /**
   * Naive Bayes scores of a slot into scores/mask; returns the best class, or
   * the majority class if no class was observed there.
   */
  private nbClass(slot: number, x: Int32Array): number {
    const n = this.nFeatures;
    const C = this.nClasses;
    smoothingFromVar(this.varSmoothing, this.gVarI, this.gVarF, n, this.epsI, this.epsF);
    let best = -1;
    for (let c = 0; c < C; c++) {
      const j = slot * C + c;
      this.mask[c] = this.obs[j] > 0 ? 1 : 0;
      if (this.mask[c] === 0) continue;
      const s = lnUnits(this.classW[j], 16) + gaussLogLik(this.mean, this.meanF, this.varI, this.varF, j * n, x, n, this.epsI, this.epsF);
      this.scores[c] = s;
      if (best < 0 || s > this.scores[best]) best = c;
    }
    return best < 0 ? this.mcClass(slot) : best;
  }

  private useNB(slot: number): boolean {
    return this.leafMode === NB || (this.leafMode === NBA && this.nbCorrect[slot] > this.mcCorrect[slot]);
  }

  protected learnQ(x: Int32Array, y: number): void {
    const n = this.nFeatures;
    const C = this.nClasses;
    if (this.total < 4294967295) mutable(this).total++;
    K.welford.f(this.gMean, this.gMeanF, this.gVarI, this.gVarF, this.gVarR, 0, x, 0, n, this.total);
    const node = this.sort(x);
    const depth = this.depthFound;
    const slot = this.child[node];
    if (this.leafMode === NBA) {
      if (this.mcClass(slot) === y && this.mcCorrect[slot] < 4294967295) this.mcCorrect[slot]++;
      if (this.nbClass(slot, x) === y && this.nbCorrect[slot] < 4294967295) this.nbCorrect[slot]++;
    }
    const j = slot * C + y;
    if (this.classW[j] < 4503599627304960) this.classW[j] += 65536; // stays an exact integer below 2^52
    const first = this.obs[j] === 0;
    if (this.obs[j] < 4294967295) this.obs[j]++;
    K.welford.f(this.mean, this.meanF, this.varI, this.varF, this.varR, j * n, x, 0, n, this.obs[j]);
    const o = j * n;
    for (let i = 0; i < n; i++) {
      if (first || x[i] < this.mn[o + i]) this.mn[o + i] = x[i];
      if (first || x[i] > this.mx[o + i]) this.mx[o + i] = x[i];
    }
    if (this.seen[slot] < 4294967295) this.seen[slot]++;
    if (this.seen[slot] % this.gracePeriod === 0 && depth < this.maxDepth && this.nNodes + 2 <= this.maxNodes) this.attemptSplit(node, slot);
  }

  protected predictQ(x: Int32Array): number {
    const slot = this.child[this.sort(x)];
    return this.useNB(slot) ? this.nbClass(slot, x) : this.mcClass(slot);
  }

  protected override probaQ(x: Int32Array): Int32Array {
    const slot = this.child[this.sort(x)];
    const C = this.nClasses;
    if (this.useNB(slot)) {
      this.nbClass(slot, x);
      return softmaxQ(this.scores, C, this.mask, this.pq);
    }
    if (!normalizeQ(this.classW, slot * C, C, this.pq)) for (let c = 0; c < C; c++) this.pq[c] = floorDiv(131072 + C, 2 * C);
    return this.pq;
  }

  /** Information entropy (nats, Q16.16) of d[0..C-1]. */
  private entropy(d: Float64Array): number {
    const C = this.nClasses;
    if (!normalizeQ(d, 0, C, this.pTmp)) return 0;
    let h = 0;
    for (let c = 0; c < C; c++) {
      const p = this.pTmp[c];
      if (p > 0) h -= mul(p, log(p));
    }
    return h;
  }

  /**
   * Class weights (2^-16 units) left (x ≤ t) and right of threshold t on
   * feature i at a slot, from each class's Gaussian and range; returns the left total.
   */
  private splitWeights(slot: number, i: number, t: number): number {
    const C = this.nClasses;
    const n = this.nFeatures;
    let L = 0;
    for (let c = 0; c < C; c++) {
      const j = slot * C + c;
      const cnt = this.obs[j];
      let lw = 0;
      if (cnt > 0) {
        const o = j * n + i;
        if (t < this.mn[o]) lw = 0;
        else if (t >= this.mx[o]) lw = cnt * 65536;
        else {
          // Φ((t − μ)/σ); a zero variance (all values equal) makes Φ a step at μ
          const d = t * 65536 - (this.mean[o] * 65536 + this.meanF[o]);
          if (this.varI[o] === 0 && this.varF[o] === 0) lw = d >= 0 ? cnt * 65536 : 0;
          else lw = cnt * phiQ(zScore(d, this.varI[o], this.varF[o]));
        }
      }
      this.left[c] = lw;
      this.right[c] = cnt * 65536 - lw;
      L += lw;
    }
    return L;
  }

  private attemptSplit(node: number, slot: number): void {
    const C = this.nClasses;
    const n = this.nFeatures;
    let nonzero = 0;
    let W = 0;
    for (let c = 0; c < C; c++) {
      const v = this.obs[slot * C + c];
      this.pre[c] = v;
      W += v;
      if (v > 0) nonzero++;
    }
    if (nonzero < 2) return;
    const hPre = this.entropy(this.pre);
    const W16 = W * 65536;
    const minW = MIN_BRANCH * W; // 2^-16 units
    let best = 0; // the "no split" option has merit 0
    let second = 0;
    let bestF = -1;
    let bestT = 0;
    const sp = this.nSplitPoints;
    for (let i = 0; i < n; i++) {
      let lo = 0;
      let hi = 0;
      let any = false;
      for (let c = 0; c < C; c++) {
        const j = slot * C + c;
        if (this.obs[j] === 0) continue;
        const o = j * n + i;
        if (!any || this.mn[o] < lo) lo = this.mn[o];
        if (!any || this.mx[o] > hi) hi = this.mx[o];
        any = true;
      }
      if (!(hi > lo)) continue;
      let fBest = 0;
      let fT = 0;
      let fAny = false;
      // nSplitPoints thresholds evenly spaced over the range, then every class's own min − 1 LSB and max:
      // where one class lies wholly on one side, the split weights are exact rather than Gaussian
      // estimates, so a feature that separates the classes (lux ≥ 400 when occupied) is found at its gap
      // even when outliers stretch the range and no evenly spaced threshold falls into it.
      const nc = sp + 2 * C;
      for (let s = 1; s <= nc; s++) {
        let t: number;
        if (s <= sp) t = lo + floorDiv((hi - lo) * s, sp + 1);
        else {
          const j = slot * C + ((s - sp - 1) >> 1);
          if (this.obs[j] === 0) continue;
          t = (s - sp - 1) & 1 ? this.mx[j * n + i] : this.mn[j * n + i] - 1;
          if (t < lo || t >= hi) continue;
        }
        const L = this.splitWeights(slot, i, t);
        const R = W16 - L;
        if (L < minW || R < minW) continue;
        const fl = floorDiv(2 * L + W, 2 * W); // L / W16 in Q16.16 is L / W (L in 2^-16 units)
        const merit = hPre - mul(fl, this.entropy(this.left)) - mul(65536 - fl, this.entropy(this.right));
        if (!fAny || merit > fBest) {
          fBest = merit;
          fT = t;
          fAny = true;
        }
      }
      if (!fAny) continue;
      if (fBest > best) {
        second = best;
        best = fBest;
        bestF = i;
        bestT = fT;
      } else if (fBest > second) second = fBest;
    }
    if (bestF < 0) return;
    const eps = isqrtRound(floorDiv(this.boundNum * 65536 + W, 2 * W)); // √(R² ln(1/δ) / 2W), Q16.16
    if (!(best - second > eps || eps < this.tieNats)) return;
    this.splitWeights(slot, bestF, bestT);
    const li = this.nNodes;
    const ns = this.nLeaves;
    mutable(this).nNodes += 2;
    mutable(this).nLeaves++;
    this.feat[node] = bestF;
    this.thr[node] = bestT;
    this.child[node] = li;
    this.feat[li] = -1;
    this.feat[li + 1] = -1;
    this.thr[li] = 0;
    this.thr[li + 1] = 0;
    this.child[li] = slot;
    this.child[li + 1] = ns;
    this.resetSlot(slot, this.left);
    this.resetSlot(ns, this.right);
  }

  /** Empties a slot's statistics; its class weights start from `init` (the split's estimate). */
  private resetSlot(slot: number, init: Float64Array): void {
    const C = this.nClasses;
    const n = this.nFeatures;
    for (let c = 0; c < C; c++) {
      this.classW[slot * C + c] = init[c];
      this.obs[slot * C + c] = 0;
    }
    const a = slot * C * n;
    const b = a + C * n;
    this.mean.fill(0, a, b);
    this.meanF.fill(0, a, b);
    this.varI.fill(0, a, b);
    this.varF.fill(0, a, b);
    this.varR.fill(0, a, b);
    this.mn.fill(0, a, b);
    this.mx.fill(0, a, b);
    this.seen[slot] = 0;
    this.mcCorrect[slot] = 0;
    this.nbCorrect[slot] = 0;
  }

  /** Depth of the deepest leaf. */
  depth(): number {
    return treeDepth(this.feat, this.child, this.nNodes);
  }

  /** @internal */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.nClasses);
    w.u32(this.maxDepth);
    w.u32(this.maxNodes);
    w.u32(this.gracePeriod);
    w.i32(this.deltaM);
    w.u32(this.deltaE);
    w.i32(this.tieThreshold);
    w.u32(this.nSplitPoints);
    w.u8(this.leafMode);
    w.i32(this.varSmoothing);
    w.u32(this.nNodes);
    w.u32(this.nLeaves);
    w.u32(this.total);
    w.i32s(this.feat);
    w.i32s(this.thr);
    w.i32s(this.child);
    for (let i = 0; i < this.classW.length; i++) {
      const v = this.classW[i];
      const hi = Math.floor(v / 4294967296);
      w.u32(v - hi * 4294967296);
      w.u32(hi);
    }
    for (let i = 0; i < this.obs.length; i++) w.u32(this.obs[i]);
    for (let i = 0; i < this.nSlots; i++) {
      w.u32(this.seen[i]);
      w.u32(this.mcCorrect[i]);
      w.u32(this.nbCorrect[i]);
    }
    w.i32s(this.mean);
    w.u16s(this.meanF);
    w.i32s(this.varI);
    w.u32s(this.varF);
    w.i32s(this.varR);
    w.i32s(this.mn);
    w.i32s(this.mx);
    w.i32s(this.gMean);
    w.u16s(this.gMeanF);
    w.i32s(this.gVarI);
    w.u32s(this.gVarF);
    w.i32s(this.gVarR);
  }

  /** Always throws E_TYPE: Hoeffding trees do not merge (each grows its own splits); see docs/fleet.md. */
  static merge(models: ReadonlyArray<HoeffdingTreeClassifier>, weights?: ArrayLike<number>): HoeffdingTreeClassifier {
    return refuseTreeMerge('HoeffdingTreeClassifier');
  }

  /** @internal */
  static fromReader(r: ByteReader): HoeffdingTreeClassifier {
    const n = r.int(1, MAX_FEATURES);
    const C = r.int(2, MAX_CLASSES);
    const maxDepth = r.int(1, 255);
    const maxNodes = r.int(1, 65535);
    const grace = r.int(1, 1000000);
    const dm = r.int(32768, 65535);
    const de = r.int(0, 2000);
    const tie = r.int(0, 65536);
    const sp = r.int(1, 256);
    const mode = r.u8();
    if (mode > 2) fail('E_CORRUPT', 'unknown leaf prediction mode ' + mode);
    const vs = r.int(0, 65536);
    const S = (maxNodes + 1) >> 1;
    if (S * C * n > 16777216) fail('E_CORRUPT', 'tree statistics too large');
    const nNodes = r.int(1, maxNodes);
    const nLeaves = r.int(1, S);
    const total = r.u32();
    r.need(maxNodes * 12 + S * C * 12 + S * 12 + S * C * n * 26 + n * 18);
    let delta = dm / 65536;
    for (let i = 0; i < de; i++) delta /= 2;
    const m = new HoeffdingTreeClassifier({
      nFeatures: n, nClasses: C, maxDepth: maxDepth, maxNodes: maxNodes, gracePeriod: grace, delta: delta,
      tieThreshold: tie / 65536, nSplitPoints: sp, leafPrediction: LEAF_MODES[mode] as 'mc' | 'nb' | 'nba', varSmoothing: vs / 65536,
    });
    if (m.deltaM !== dm || m.deltaE !== de) fail('E_CORRUPT', 'delta does not round-trip');
    const mm = mutable(m);
    mm.nNodes = nNodes;
    mm.nLeaves = nLeaves;
    mm.total = total;
    r.i32s(m.feat);
    r.i32s(m.thr);
    r.i32s(m.child);
    for (let i = 0; i < m.classW.length; i++) {
      const lo = r.u32();
      const hi = r.int(0, 1048575);
      m.classW[i] = hi * 4294967296 + lo;
    }
    for (let i = 0; i < m.obs.length; i++) m.obs[i] = r.u32();
    for (let i = 0; i < S; i++) {
      m.seen[i] = r.u32();
      m.mcCorrect[i] = r.u32();
      m.nbCorrect[i] = r.u32();
    }
    r.i32s(m.mean);
    r.u16s(m.meanF);
    r.i32s(m.varI);
    r.u32s(m.varF);
    r.i32s(m.varR);
    r.i32s(m.mn);
    r.i32s(m.mx);
    r.i32s(m.gMean);
    r.u16s(m.gMeanF);
    r.i32s(m.gVarI);
    r.u32s(m.gVarF);
    r.i32s(m.gVarR);
    checkVariances(m.varI);
    checkVariances(m.gVarI);
    checkTree(m.feat, m.child, m.nNodes, m.nLeaves, m.nFeatures);
    return m;
  }
}

/**
 * δ of the Hoeffding bound from the options (default 1e-7) as m·2^-e with m
 * in [1/2, 1) held in Q16.16 (exact, so a saved tree reloads with the same
 * bound), the exact real value, and ln(1/δ) in Q16.16. @internal
 */
export function readDelta(o: { [k: string]: unknown }): { m: number; e: number; delta: number; lnInv: number } {
  const dv = o.delta === undefined ? 1e-7 : o.delta;
  if (typeof dv !== 'number' || !(dv > 0 && dv < 1)) fail('E_OPTION', 'option delta must be a number in (0, 1), got ' + dv);
  let m = dv;
  let e = 0;
  while (m < 0.5) {
    m *= 2;
    e++;
  }
  let mq = toQ(m);
  if (mq === 65536) {
    mq = 32768;
    e--;
  }
  if (mq < 32768) fail('E_OPTION', 'option delta is too small: ' + dv);
  let dd = mq / 65536;
  for (let i = 0; i < e; i++) dd /= 2; // exact: halving a dyadic number
  return { m: mq, e: e, delta: dd, lnInv: e * LN2_Q - log(mq) };
}

/** Depth of the leaf the last {@link leafOf} call reached (a module variable: objects made at load time are read-only in a preloading Moddable app). */
let walkDepth = 0;

/** Depth of the leaf the last {@link leafOf} call reached. @internal */
export function leafOfDepth(): number {
  return walkDepth;
}

/** The leaf node x falls into (x ≤ thr goes left, right = left + 1); {@link leafOfDepth} then tells its depth. @internal */
export function leafOf(feat: Int32Array, thr: Int32Array, child: Int32Array, x: Int32Array): number {
  let node = 0;
  let depth = 0;
  while (feat[node] >= 0) {
    node = x[feat[node]] <= thr[node] ? child[node] : child[node] + 1;
    depth++;
  }
  walkDepth = depth;
  return node;
}

/** Depth of the deepest leaf of a node table (children after their parent). @internal */
export function treeDepth(feat: Int32Array, child: Int32Array, nNodes: number): number {
  let d = 0;
  // children always have larger indices than their parent, so one forward pass suffices
  const dep = new Uint8Array(nNodes);
  for (let v = 0; v < nNodes; v++) {
    if (feat[v] < 0) {
      if (dep[v] > d) d = dep[v];
      continue;
    }
    dep[child[v]] = dep[v] + 1;
    dep[child[v] + 1] = dep[v] + 1;
  }
  return d;
}

/**
 * A loaded tree must be a tree: children after their parent, every node but
 * the root with exactly one parent, leaves and slots in one-to-one
 * correspondence, features in range. Then traversal always ends at a leaf.
 * @internal
 */
export function checkTree(feat: Int32Array, child: Int32Array, N: number, nLeaves: number, nFeatures: number): void {
  if (N % 2 !== 1 || nLeaves !== (N + 1) / 2) fail('E_CORRUPT', 'node and leaf counts do not match');
  const parents = new Uint8Array(N);
  const slotUsed = new Uint8Array(nLeaves);
  for (let v = 0; v < N; v++) {
    const f = feat[v];
    const ch = child[v];
    if (f >= 0) {
      if (f >= nFeatures || ch <= v || ch + 1 >= N || parents[ch] !== 0 || parents[ch + 1] !== 0) fail('E_CORRUPT', 'bad tree node ' + v);
      parents[ch] = 1;
      parents[ch + 1] = 1;
    } else {
      if (f !== -1 || ch < 0 || ch >= nLeaves || slotUsed[ch] !== 0) fail('E_CORRUPT', 'bad tree leaf ' + v);
      slotUsed[ch] = 1;
    }
  }
  for (let v = 1; v < N; v++) if (parents[v] === 0) fail('E_CORRUPT', 'unreachable tree node ' + v);
}
