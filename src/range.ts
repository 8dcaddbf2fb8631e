/**
 * Raw input ranges (docs/fixed-point.md, "Raw ranges"). A learner that keeps
 * statistics of raw features (lux, Pa, ppm, particle counts) holds each
 * feature, or all of them for a distance learner, with a power-of-two input
 * exponent e: the internal value of x is round(x · 2^(16−e)), an int32, and
 * the learner's state lives in those units. e starts at 0 (plain Q16.16) and
 * grows, never shrinks, whenever a value to be learned would reach the
 * headroom limit 2^h; the learner then rescales that feature's state
 * (`rescale`). Every conversion is an exact power-of-two scaling followed by
 * one round half up, so every engine gets the same bits.
 */
import { fail } from './errors.js';
import { POW2, Q_MAX, Q_MIN, floorDiv } from './fixed.js';
import * as K from './kernels.js';
import { checkShape } from './errors.js';

/** Raw values a model can learn lie strictly inside ±RAW_LIMIT (2^31 ≈ 2.1e9). */
export const RAW_LIMIT = 2147483648;

/** Headroom of the per-feature statistics learners: learned values stay below 2^27 (so ×16 still fits int32). */
export const HEADROOM = 27;

/** What {@link InputScale.learn} calls back when the exponent of feature i (0: the shared one) grows by d. */
export interface Rescalable {
  rescale(i: number, d: number): void;
}

/** v rounded half up to an integer (v an exact double); −0 becomes 0. */
function rnd(v: number): number {
  let q = Math.floor(v);
  if (v - q >= 0.5) q += 1;
  return q === 0 ? 0 : q;
}

/**
 * round(v · 2^-d) half up for an integer-valued v with |v| < 2^53 and d ≥ 1:
 * the rescaling of one learned value when its exponent grows by d.
 */
export function shiftRound(v: number, d: number): number {
  return Math.floor((v + POW2[d - 1]) / POW2[d]);
}

/** A wide value (v[j] + f[j]/2^16, Q16.32 as in K.axpyWide and K.welford) divided by 2^d, rounded half up. */
export function shiftWide(v: Int32Array, f: Uint16Array, j: number, d: number): void {
  const r = shiftRound(v[j] * 65536 + f[j], d); // |v| ≤ 2^27 here, so every step is exact
  const h = Math.floor(r / 65536);
  v[j] = h;
  f[j] = r - h * 65536;
}

/**
 * A Q32.32 variance (vi[j] + vf[j]/2^32, vi ≥ 0) divided by 4^d, rounded half
 * up; the Welford remainder vr[j] restarts at 0 (the fraction it held is
 * below 2^-32 of the new unit).
 */
export function shiftVar(vi: Int32Array, vf: Uint32Array, vr: Int32Array, j: number, d: number): void {
  const k = 2 * d;
  let lo = vf[j] + POW2[k - 1];
  let hi = vi[j];
  if (lo >= 4294967296) {
    hi += 1;
    lo -= 4294967296;
  }
  if (k <= 32) {
    const qh = Math.floor(hi / POW2[k]);
    vi[j] = qh;
    vf[j] = (hi - qh * POW2[k]) * POW2[32 - k] + Math.floor(lo / POW2[k]);
  } else {
    // hi·2^32 + lo over 2^k: lo's share is below 1
    vi[j] = 0;
    vf[j] = Math.floor(hi / POW2[k - 32]);
  }
  vr[j] = 0;
}

/**
 * A prediction input in internal units: the scale's Int32Array when every
 * value fits (the common case, converted by the kernel `toRaw`), else exact
 * integers beyond int32 in a Float64Array.
 */
export type ScaledVector = Int32Array | Float64Array;

/**
 * The input exponents of one learner and the conversion of its inputs.
 * `shared` learners (k-means, k-NN: a Euclidean distance is dominated by its
 * largest features anyway) use one exponent for every feature, the others one
 * per feature. The exponents are state (saved with the model).
 */
export class InputScale {
  readonly n: number;
  /** Exponent of each feature (one entry when shared). */
  readonly exps: Uint8Array;
  /** Learned values stay strictly inside ±2^headroom (internal units). */
  readonly headroom: number;
  /** Largest exponent: 48 − headroom, so that every raw value inside ±RAW_LIMIT can be learned. */
  readonly maxExp: number;
  /**
   * Prediction inputs strictly inside ±readLimit (internal units) come back
   * in the Int32Array: 2^31, or {@link DISTANCE_LIMIT} for a shared scale
   * (the distance learners'), so that they can compare those exactly.
   */
  private readonly readLimit: number;
  /** Scratch vectors (allocated on first use, so `load` allocates only state). */
  private xi: Int32Array | null;
  private xw: Float64Array | null;

  constructor(n: number, shared: boolean, headroom: number) {
    this.n = n;
    this.exps = new Uint8Array(shared ? 1 : n);
    this.headroom = headroom;
    this.maxExp = 48 - headroom;
    this.readLimit = shared ? DISTANCE_LIMIT : 2147483648;
    this.xi = null;
    this.xw = null;
  }

  /** Scratch: a learned sample in internal units (also where distance learners copy a query). */
  ints(): Int32Array {
    return this.xi === null ? (this.xi = new Int32Array(this.n)) : this.xi;
  }

  /** The exponent feature i uses. */
  private expOf(i: number): number {
    return this.exps[this.exps.length === 1 ? 0 : i];
  }

  /**
   * Validates x (real numbers, or Q16.16 when `q`) for learning, grows the
   * exponents it needs (calling `owner.rescale` for each, only once all of x
   * is known to be valid) and returns x in internal units. Throws E_INPUT
   * (not a vector of n finite numbers) or E_RANGE (|x| ≥ 2^31) before any
   * change.
   */
  learn(x: ArrayLike<number>, q: boolean, owner: Rescalable): Int32Array {
    return learnScaled(this.exps, this.n, this.headroom, x, q, this.ints(), owner);
  }

  /**
   * x (real numbers, or Q16.16 when `q`) in internal units for a prediction,
   * exact integers: in the Int32Array of {@link ints} when all lie inside
   * ±readLimit, else in a Float64Array (x far beyond the learned range).
   * Raw values beyond ±2^31 are taken as ±2^31: every learner's output is
   * already E_RANGE or saturated there (docs/fixed-point.md). Throws E_INPUT.
   */
  read(x: ArrayLike<number>, q: boolean): ScaledVector {
    const v = readScaled(this.exps, this.n, this.readLimit, x, q, this.ints(), this.xw);
    if (v !== this.xi) this.xw = v as Float64Array;
    return v;
  }

  /** Real value of internal value v of feature i (v·2^(e−16)). */
  real(v: number, i: number): number {
    return (v * POW2[this.expOf(i)]) / 65536;
  }

  /** Checks stored exponents (E_CORRUPT beyond maxExp). */
  checkExps(): void {
    for (let j = 0; j < this.exps.length; j++) if (this.exps[j] > this.maxExp) fail('E_CORRUPT', 'input exponent ' + this.exps[j] + ' out of range');
  }

  /** Throws E_CORRUPT unless every value of a (internal units) lies within ±2^headroom: what learning guarantees. */
  checkValues(a: Int32Array, from: number, to: number): void {
    const lim = POW2[this.headroom];
    for (let i = from; i < to; i++) if (a[i] > lim || a[i] < -lim) fail('E_CORRUPT', 'learned value beyond the input scale');
  }
}

/** x_i (real, or Q16.16 when q) in internal units at exponent e. */
function at(v: number, q: boolean, e: number): number {
  return rnd((v * (q ? 1 : 65536)) / POW2[e]);
}

/**
 * {@link InputScale.learn} over plain state: `exps` the exponents (one entry:
 * shared), learned values strictly inside ±2^headroom, `xi` the n-element
 * result. Also the device API's (targets/espruino/lite.ts) scaler input.
 * @internal
 */
export function learnScaled(exps: Uint8Array, n: number, headroom: number, x: ArrayLike<number>, q: boolean, xi: Int32Array, owner: Rescalable): Int32Array {
  if (!q) checkShape(x, n);
  const lim = POW2[headroom];
  const shared = exps.length === 1;
  // the common case in one kernel call: every value valid and inside the headroom
  if (K.toRaw.f(x, n, q ? 0 : 16, exps, lim, xi) < 0) return xi;
  if (!q) checkReal(x, n);
  let grow = false;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!q && (v >= RAW_LIMIT || v <= -RAW_LIMIT)) fail('E_RANGE', 'feature ' + i + ' = ' + v + ' is outside the learnable range ±2^31');
    const t = at(v, q, exps[shared ? 0 : i]);
    if (t >= lim || t <= -lim) grow = true;
    xi[i] = t;
  }
  if (!grow) return xi;
  // x is valid: grow each exponent to the smallest that holds its values within the headroom
  for (let i = 0; i < n; i++) {
    const j = shared ? 0 : i;
    let e = exps[j];
    while (true) {
      const t = at(x[i], q, e);
      if (t < lim && t > -lim) break;
      e++; // ends by maxExp: |x| < 2^31
    }
    if (e > exps[j]) {
      owner.rescale(j, e - exps[j]);
      exps[j] = e;
    }
  }
  // a shared exponent may have grown after earlier features were converted
  for (let i = 0; i < n; i++) xi[i] = at(x[i], q, exps[shared ? 0 : i]);
  return xi;
}

/**
 * {@link InputScale.read} over plain state: x in internal units in `xi` when
 * every value lies inside ±limit, else in `xw` (a new Float64Array when
 * null), which is returned. @internal
 */
export function readScaled(exps: Uint8Array, n: number, limit: number, x: ArrayLike<number>, q: boolean, xi: Int32Array, xw: Float64Array | null): ScaledVector {
  if (!q) checkShape(x, n);
  if (K.toRaw.f(x, n, q ? 0 : 16, exps, limit, xi) < 0) return xi;
  if (!q) checkReal(x, n);
  const w = xw === null ? new Float64Array(n) : xw;
  for (let i = 0; i < n; i++) {
    let v = x[i];
    if (v > RAW_LIMIT) v = RAW_LIMIT;
    else if (v < -RAW_LIMIT) v = -RAW_LIMIT;
    w[i] = at(v, q, exps[exps.length === 1 ? 0 : i]);
  }
  return w;
}

/** Throws E_INPUT unless x is an array-like of n finite numbers. */
function checkReal(x: ArrayLike<number>, n: number): void {
  checkShape(x, n);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (typeof v !== 'number' || v !== v || v === Infinity || v === -Infinity) fail('E_INPUT', 'feature ' + i + ' is not a finite number: ' + v);
  }
}

/**
 * round(a · 2^16 / b) half up, exactly, for integer-valued a (|a| < 2^53) and
 * 0 < b < 2^31: the Q16.16 quotient of two values in internal units (a
 * z-score, a min-max ratio), not saturated. Equal to `div(a, b)` whenever the
 * result fits Q16.16.
 */
export function wideDiv(a: number, b: number): number {
  const q = floorDiv(a, b);
  const r = a - q * b; // 0 ≤ r < b
  return q * 65536 + floorDiv(2 * r * 65536 + b, 2 * b);
}

/** {@link wideDiv} as Q16.16, E_RANGE when the quotient is beyond ±32768 (`what` names it). */
export function divQ(a: number, b: number, what: string): number {
  const v = wideDiv(a, b);
  if (v > Q_MAX || v < Q_MIN) fail('E_RANGE', what + ' = ' + v / 65536 + ' is outside the Q16.16 range ±32768');
  return v;
}

/**
 * Headroom of the distance learners (k-means, k-NN) for n features: learned
 * values within ±2^h with n·(2^(h+1))² ≤ 2^62, so a squared distance between
 * learned values never saturates at the kernels' coarsest shift; at most
 * {@link HEADROOM}.
 */
export function distanceHeadroom(n: number): number {
  let b = 0;
  while (POW2[b] < n) b++;
  const h = Math.floor((60 - b) / 2);
  return h < HEADROOM ? h : HEADROOM;
}

/** Internal values a distance learner predicts from stay inside ±2^30, so x − centroid never saturates int32. */
export const DISTANCE_LIMIT = 1073741824;

/**
 * Copies a prediction input (internal units) into out for the distance
 * kernels; false when some |x_i| ≥ 2^30 (too far to compare exactly).
 */
export function toDistanceInput(x: ArrayLike<number>, n: number, out: Int32Array): boolean {
  // x is out when the scale converted it (or it was learned): its values are then inside ±DISTANCE_LIMIT already
  if (x === out) return true;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v >= DISTANCE_LIMIT || v <= -DISTANCE_LIMIT) return false;
    out[i] = v;
  }
  return true;
}
