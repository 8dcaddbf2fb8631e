/**
 * Merging models: `merge(models, weights?)` builds a new model from several
 * models of one class and the same options, the step a fleet coordinator
 * runs (docs/fleet.md). Each mergeable class has a static `merge`; this
 * module dispatches to it and holds the exact integer arithmetic they share.
 *
 * The SGD-trained models average (FedAvg): every parameter is the mean of the
 * models' parameters weighted by the samples each one saw. The weighted sum
 * is computed exactly in 16-bit limbs and rounded once (half up), so the
 * result is the same for any order of the inputs and the same bits on every
 * engine (only integer arithmetic below 2^53). Inputs are never modified.
 */
import { fail } from './errors.js';
import { floorDiv } from './fixed.js';
import type { Model } from './learner.js';

/** A class whose models can be merged: `Class.merge(models, weights)`. */
export interface Mergeable<T = unknown> {
  readonly modelType: number;
  /**
   * 'statistics' for a class whose merge pools sufficient statistics or
   * samples and takes no weights (the scalers, GaussianNB, GaussianScorer,
   * KMeans, …): merging a model with one of new data gives the model of all
   * the data, so a fleet merges each device's own-data model. Absent for the
   * models that average (FedAvg).
   */
  readonly mergeKind?: 'statistics';
  merge(models: ReadonlyArray<T>, weights?: ArrayLike<number>): T;
}

/** True when `model`'s class merges statistics (`mergeKind` 'statistics') rather than averaging. */
export function mergesStatistics(model: unknown): boolean {
  const c = model !== null && typeof model === 'object' ? (model as { constructor?: { mergeKind?: unknown } }).constructor : undefined;
  return c !== undefined && c.mergeKind === 'statistics';
}

/** Most models one merge takes (keeps every exact limb sum below 2^53); merge larger fleets in shards. */
export const MAX_MERGE = 524288;
/** The total weight is kept below this (2^35) by scaling every weight down by the same power of two. */
const WEIGHT_LIMIT = 34359738368;
const U32_MAX = 4294967295;

/** Propagates carries so that acc[0..n−2] are in [0, 2^16); the top limb keeps the sign. */
function carry(acc: Float64Array, n: number): void {
  for (let j = 0; j < n - 1; j++) {
    const c = Math.floor(acc[j] / 65536);
    acc[j] -= c * 65536;
    acc[j + 1] += c;
  }
}

/** The class name of m and, for a class with a ModelType id, ' (type N)': names alone may be minified away. */
function nameOf(m: unknown): string {
  const c = m !== null && typeof m === 'object' ? (m as { constructor?: { name?: unknown; modelType?: unknown } }).constructor : undefined;
  return (c && typeof c.name === 'string' ? c.name : typeof m) + (c && typeof c.modelType === 'number' ? ' (type ' + c.modelType + ')' : '');
}

/**
 * A new model merging `models` (all of one class and the same options),
 * weighted by `weights` (integers 0..2^32 − 1, one per model) or, without
 * them, by what each class counts: samples seen for the SGD models.
 * Throws E_TYPE when the models are not all of one mergeable class, E_SHAPE
 * when their options or shapes differ, E_INPUT for bad weights, E_STATE when
 * every weight is 0. The inputs are left as they were.
 *
 * @example
 * const a = new LogisticRegression({ nFeatures: 3 });
 * const b = new LogisticRegression({ nFeatures: 3 });
 * a.learnOne([1, 0, 0], 1);
 * b.learnOne([0, 1, 0], 0);
 * const global = merge([a, b]); // a LogisticRegression
 */
export function merge<T extends Model>(models: ReadonlyArray<T>, weights?: ArrayLike<number>): T {
  if (!models || typeof models.length !== 'number' || models.length < 1) fail('E_INPUT', 'merge needs a non-empty array of models');
  const first = models[0] as unknown as { constructor?: unknown };
  const cls = (first !== null && typeof first === 'object' ? first.constructor : undefined) as Mergeable<T> | undefined;
  if (cls === undefined || typeof cls.merge !== 'function') return fail('E_TYPE', nameOf(first) + ' cannot be merged');
  return cls.merge(models, weights);
}

/**
 * @internal Throws unless `models` is a non-empty array of instances of
 * exactly `cls` (not a subclass) and `weights`, if given, has one entry each.
 */
export function checkModels<T>(models: ReadonlyArray<T>, cls: Function, weights?: ArrayLike<number>): void {
  if (!models || typeof models.length !== 'number' || models.length < 1) fail('E_INPUT', 'merge needs a non-empty array of models');
  if (models.length > MAX_MERGE) fail('E_INPUT', 'at most ' + MAX_MERGE + ' models in one merge (merge larger fleets in shards)');
  for (let i = 0; i < models.length; i++) {
    const m = models[i] as unknown as { constructor?: unknown };
    if (m === null || typeof m !== 'object' || m.constructor !== cls)
      fail('E_TYPE', 'model ' + i + ' is a ' + nameOf(m) + ', not a ' + (cls as { name?: string }).name + ' (type ' + (cls as { modelType?: number }).modelType + ')');
  }
  if (weights !== undefined && (weights === null || typeof weights !== 'object' || weights.length !== models.length))
    fail('E_INPUT', 'expected ' + models.length + ' weights');
}

/** @internal Throws E_SHAPE unless a === b (an option or a size of two models to merge). */
export function same(what: string, i: number, a: number, b: number): void {
  if (a !== b) fail('E_SHAPE', 'model ' + i + ' has another ' + what + ' (' + b + ', model 0 has ' + a + ')');
}

/** @internal Throws E_SHAPE unless every array in `arrays` has `n` elements. */
export function sameLength(what: string, arrays: ReadonlyArray<ArrayLike<number>>, n: number): void {
  for (let i = 0; i < arrays.length; i++) if (arrays[i].length !== n) fail('E_SHAPE', 'model ' + i + ' has ' + arrays[i].length + ' ' + what + ', expected ' + n);
}

/**
 * The weights of one merge, validated, and the exact weighted-mean arithmetic.
 * Weights are integers 0..2^32 − 1; when their sum reaches 2^35 every weight is
 * divided by the same power of two (floor) first, the only case where the
 * mean is not weighted exactly as asked.
 * @internal
 */
export class WeightedMean {
  /** The weights as given (or the defaults), integers. */
  readonly given: Float64Array;
  /** Sum of `given` (exact, < 2^51). */
  readonly total: number;
  /** The weights used in the means (given, or scaled down). */
  private readonly c0: Float64Array;
  private readonly c1: Float64Array;
  private readonly d: number;
  private readonly k: number;
  /** limbs of every model's value for the current element: lim[k·4 + j] */
  private readonly lim: Float64Array;
  private readonly acc: Float64Array;
  private readonly q: Float64Array;

  /** @param weights one per model, or undefined for `defaults(i)` (each an integer 0..2^32 − 1) */
  constructor(k: number, weights: ArrayLike<number> | undefined, defaults: (i: number) => number) {
    const given = new Float64Array(k);
    let total = 0;
    for (let i = 0; i < k; i++) {
      const w = weights === undefined ? defaults(i) : weights[i];
      if (typeof w !== 'number' || Math.floor(w) !== w || !(w >= 0 && w <= U32_MAX)) fail('E_INPUT', 'weight ' + i + ' must be an integer 0..4294967295, got ' + w);
      given[i] = w;
      total += w;
    }
    if (total === 0) fail('E_STATE', 'every weight is 0: nothing has been learned to merge');
    let shift = 1;
    while (total / shift >= WEIGHT_LIMIT) shift *= 2;
    this.given = given;
    this.total = total;
    this.k = k;
    this.c0 = new Float64Array(k);
    this.c1 = new Float64Array(k);
    let used = 0;
    for (let i = 0; i < k; i++) {
      const c = Math.floor(given[i] / shift);
      this.c1[i] = Math.floor(c / 65536);
      this.c0[i] = c - this.c1[i] * 65536;
      used += c;
    }
    this.d = 2 * used; // < 2^36
    this.lim = new Float64Array(k * 8);
    this.acc = new Float64Array(12);
    this.q = new Float64Array(12);
  }

  /**
   * The step counter of the merged model: the largest count any model had
   * before the samples its weight stands for, plus all of them
   * (max(t_k − w_k, 0) + Σ w_k, saturating at 2^32 − 1). With the default
   * weights (t_k) that is Σ t_k; for devices that started from one global
   * model of count T and report the samples since, T + Σ w_k.
   */
  counter(t: ArrayLike<number>): number {
    let base = 0;
    for (let i = 0; i < this.k; i++) {
      const b = t[i] - this.given[i];
      if (b > base) base = b;
    }
    const s = base + this.total;
    return s > U32_MAX ? U32_MAX : s;
  }

  /**
   * Weighted mean of the values in lim (nL limbs of 16 bits each, the top one
   * signed) divided by 2^(16·shift), rounded half up once; quotient limbs into
   * q from q[shift] up (the top one signed).
   */
  private divide(nL: number, shift: number): void {
    const acc = this.acc;
    const lim = this.lim;
    const n = nL + 3;
    for (let j = 0; j < n; j++) acc[j] = 0;
    for (let i = 0; i < this.k; i++) {
      const c0 = this.c0[i];
      const c1 = this.c1[i];
      if (c0 === 0 && c1 === 0) continue;
      const o = i * 8;
      for (let j = 0; j < nL; j++) {
        const l = lim[o + j];
        acc[j] += c0 * l; // |c·l| < 2^32: with ≤ 2 products per limb and ≤ 2^19 models, |acc| < 2^53
        acc[j + 1] += c1 * l;
      }
    }
    // carries (every limb in [0, 2^16) but the top one), then 2·Σ + W for the rounding half up, carries again
    carry(acc, n);
    for (let j = 0; j < n; j++) acc[j] *= 2;
    acc[shift] += this.d / 2;
    carry(acc, n);
    // long division by d = 2W (< 2^36) from the top: remainders stay below 2^52
    const d = this.d;
    const q = this.q;
    let r = acc[n - 1];
    q[n - 1] = floorDiv(r, d);
    r -= q[n - 1] * d;
    for (let j = n - 2; j >= 0; j--) {
      r = r * 65536 + acc[j];
      q[j] = floorDiv(r, d);
      r -= q[j] * d;
    }
    // fold the quotient's high limbs into limb nL − 1 (the mean lies within the inputs' range)
    let top = 0;
    for (let j = n - 1; j >= nL - 1; j--) top = top * 65536 + q[j];
    q[nL - 1] = top;
  }

  /** out = mean of wide values (hi[i]·2^16 + lo[i]: Q16.32 weights, Adam's first moment). */
  wide(outHi: Int32Array, outLo: Uint16Array, hi: ReadonlyArray<Int32Array>, lo: ReadonlyArray<Uint16Array>, from?: number, to?: number): void {
    const n = outHi.length;
    sameLength('parameters', hi, n);
    sameLength('parameters', lo, n);
    const lim = this.lim;
    const q = this.q;
    for (let e = from === undefined ? 0 : from; e < (to === undefined ? n : to); e++) {
      for (let i = 0; i < this.k; i++) {
        const h = hi[i][e];
        lim[i * 8] = lo[i][e];
        lim[i * 8 + 1] = h & 0xffff;
        lim[i * 8 + 2] = h >> 16;
      }
      this.divide(3, 0);
      outLo[e] = q[0];
      outHi[e] = q[2] * 65536 + q[1];
    }
  }

  /** out = mean of Q32.32 values (hi[i]·2^32 + lo[i]: the second moments). */
  wide32(outHi: Int32Array, outLo: Uint32Array, hi: ReadonlyArray<Int32Array>, lo: ReadonlyArray<Uint32Array>): void {
    const n = outHi.length;
    sameLength('parameters', hi, n);
    sameLength('parameters', lo, n);
    const lim = this.lim;
    const q = this.q;
    for (let e = 0; e < n; e++) {
      for (let i = 0; i < this.k; i++) {
        const h = hi[i][e];
        const l = lo[i][e];
        lim[i * 8] = l & 0xffff;
        lim[i * 8 + 1] = l >>> 16;
        lim[i * 8 + 2] = h & 0xffff;
        lim[i * 8 + 3] = h >> 16;
      }
      this.divide(4, 0);
      outLo[e] = q[1] * 65536 + q[0];
      outHi[e] = q[3] * 65536 + q[2];
    }
  }

  /** out = mean of int32 values (momentum velocities). */
  ints(out: Int32Array, v: ReadonlyArray<Int32Array>): void {
    const n = out.length;
    sameLength('parameters', v, n);
    const lim = this.lim;
    const q = this.q;
    for (let e = 0; e < n; e++) {
      for (let i = 0; i < this.k; i++) {
        const h = v[i][e];
        lim[i * 8] = h & 0xffff;
        lim[i * 8 + 1] = h >> 16;
      }
      this.divide(2, 0);
      out[e] = q[1] * 65536 + q[0];
    }
  }

  /**
   * Chan's parallel variance of element e: round(Σ c_k·(var_k + (μ_k − μ)²) / Σ c_k)
   * with var_k Q32.32 (vI, vF), μ_k Q16.32 (mh, ml) and μ the merged mean
   * (mergedHi, mergedLo, already rounded: using it instead of the exact mean
   * adds (μ − μ̂)² < 2^-66 before the one rounding). Every square and sum is
   * exact (2^-64 units, 16-bit limbs); the result is Q32.32 into outI, outF.
   */
  variance(outI: Int32Array, outF: Uint32Array, e: number, mergedHi: number, mergedLo: number,
    mh: ReadonlyArray<Int32Array>, ml: ReadonlyArray<Uint16Array>, vI: ReadonlyArray<Int32Array>, vF: ReadonlyArray<Uint32Array>): void {
    const lim = this.lim;
    const mu = mergedHi * 65536 + mergedLo;
    for (let i = 0; i < this.k; i++) {
      let a = mh[i][e] * 65536 + ml[i][e] - mu; // |a| < 2^48, exact
      if (a < 0) a = -a;
      const a2 = Math.floor(a / 4294967296);
      const a1 = Math.floor((a - a2 * 4294967296) / 65536);
      const a0 = a - a2 * 4294967296 - a1 * 65536;
      const o = i * 8;
      const f = vF[i][e];
      const v = vI[i][e];
      const f1 = Math.floor(f / 65536);
      const v1 = Math.floor(v / 65536);
      lim[o] = a0 * a0;
      lim[o + 1] = 2 * a0 * a1;
      lim[o + 2] = a1 * a1 + 2 * a0 * a2 + (f - f1 * 65536);
      lim[o + 3] = 2 * a1 * a2 + f1;
      lim[o + 4] = a2 * a2 + (v - v1 * 65536);
      lim[o + 5] = v1;
      lim[o + 6] = 0;
      for (let j = 0; j < 6; j++) {
        const c = Math.floor(lim[o + j] / 65536);
        lim[o + j] -= c * 65536;
        lim[o + j + 1] += c;
      }
    }
    this.divide(7, 2);
    const q = this.q;
    outF[e] = q[3] * 65536 + q[2];
    outI[e] = q[6] * 4294967296 + q[5] * 65536 + q[4];
  }

  /** The mean of integers 0..2^32 − 1 (Adam's β^t products). */
  u32(v: ArrayLike<number>): number {
    const lim = this.lim;
    for (let i = 0; i < this.k; i++) {
      lim[i * 8] = v[i] % 65536;
      lim[i * 8 + 1] = Math.floor(v[i] / 65536);
      lim[i * 8 + 2] = 0;
    }
    this.divide(3, 0);
    return this.q[2] * 4294967296 + this.q[1] * 65536 + this.q[0];
  }
}

/** A model whose features have input exponents (src/range.ts) it can grow. @internal */
interface Scaled {
  inputExponents(): Uint8Array;
  rescale(i: number, d: number): void;
  toBytes(): Uint8Array;
}

/**
 * @internal The models with their statistics in common input exponents (the
 * largest each feature has in any model): a model already there as it is,
 * the others as rescaled copies (`copy(model)`), so the inputs are not touched.
 */
export function alignedScales<T extends Scaled>(models: ReadonlyArray<T>, copy: (m: T) => T): T[] {
  const n = models[0].inputExponents().length;
  const top = new Uint8Array(n);
  for (let k = 0; k < models.length; k++) {
    const e = models[k].inputExponents();
    sameLength('input exponents', [e], n);
    for (let j = 0; j < n; j++) if (e[j] > top[j]) top[j] = e[j];
  }
  const out: T[] = [];
  for (let k = 0; k < models.length; k++) {
    let m = models[k];
    let e = m.inputExponents();
    let same = true;
    for (let j = 0; j < n; j++) if (e[j] !== top[j]) same = false;
    if (!same) {
      m = copy(m);
      e = m.inputExponents();
      for (let j = 0; j < n; j++)
        if (top[j] > e[j]) {
          m.rescale(j, top[j] - e[j]);
          e[j] = top[j];
        }
    }
    out.push(m);
  }
  return out;
}

/**
 * @internal {@link alignedScales} for models whose features share one input
 * exponent (`exps(m)`, a one-entry array: KMeans, the k-NN learners,
 * KMeansDetector): the models at the largest exponent, others as rescaled copies.
 */
export function alignedShared<T extends { rescale(i: number, d: number): void; toBytes(): Uint8Array }>(
  models: ReadonlyArray<T>, exps: (m: T) => Uint8Array, copy: (m: T) => T,
): T[] {
  const view = function (m: T) {
    return {
      model: m,
      inputExponents: function () {
        return exps(m);
      },
      rescale: function (i: number, d: number) {
        m.rescale(i, d);
      },
      toBytes: function () {
        return m.toBytes();
      },
    };
  };
  const a = alignedScales(models.map(view), function (v) {
    return view(copy(v.model));
  });
  return a.map(function (v) {
    return v.model;
  });
}

/** Welford state as src/moments.ts keeps it (mean Q16.32, variance Q32.32 and its remainder). @internal */
interface MomentArrays {
  readonly mean: Int32Array;
  readonly meanF: Uint16Array;
  readonly varI: Int32Array;
  readonly varF: Uint32Array;
  readonly varR: Int32Array;
}

/**
 * @internal Chan's parallel combination of elements from..to−1 of `ins`
 * into `out`: the mean weighted by each model's count (`counts[k]`) and the
 * variance of the union, each rounded once; the remainder restarts at 0.
 * Elements whose counts are all 0 stay as they are in `out`.
 */
export function mergeMoments(out: MomentArrays, ins: ReadonlyArray<MomentArrays>, counts: ReadonlyArray<number>, from: number, to: number): void {
  let any = false;
  for (let k = 0; k < counts.length; k++) if (counts[k] > 0) any = true;
  if (!any) return;
  const mean = new WeightedMean(ins.length, counts, function () {
    return 0;
  });
  const mh: Int32Array[] = [], ml: Uint16Array[] = [], vi: Int32Array[] = [], vf: Uint32Array[] = [];
  for (let k = 0; k < ins.length; k++) {
    mh.push(ins[k].mean);
    ml.push(ins[k].meanF);
    vi.push(ins[k].varI);
    vf.push(ins[k].varF);
  }
  mean.wide(out.mean, out.meanF, mh, ml, from, to);
  for (let e = from; e < to; e++) {
    mean.variance(out.varI, out.varF, e, out.mean[e], out.meanF[e], mh, ml, vi, vf);
    out.varR[e] = 0;
  }
}

/** @internal Σ counts, saturating at 2^32 − 1 (the models' counters). */
export function countSum(counts: ReadonlyArray<number>): number {
  let s = 0;
  for (let k = 0; k < counts.length; k++) s += counts[k];
  return s > U32_MAX ? U32_MAX : s;
}

/**
 * @internal The checked inputs of a statistics merge: models of exactly
 * `cls` with the same nFeatures, no weights, in common input exponents.
 */
export function statisticsInputs<T extends { nFeatures: number; inputExponents(): Uint8Array; rescale(i: number, d: number): void; toBytes(): Uint8Array }>(
  cls: { fromBytes(b: Uint8Array): T; name?: string }, models: ReadonlyArray<T>, weights: ArrayLike<number> | undefined,
): T[] {
  checkModels(models, cls as unknown as Function);
  if (weights !== undefined) fail('E_INPUT', (cls.name || 'this model') + ' merges by its own sample counts: weights do not apply');
  for (let k = 0; k < models.length; k++) same('nFeatures', k, models[0].nFeatures, models[k].nFeatures);
  return alignedScales(models, function (m) {
    return cls.fromBytes(m.toBytes());
  });
}
