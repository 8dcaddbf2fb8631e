/**
 * Running means and variances as K.welford keeps them (Q16.32 means, Q32.32
 * variances with the division remainder), shared by the models that keep
 * them per feature: StandardScaler, GaussianNB, GaussianScorer.
 */
import { fail } from './errors.js';
import { POW2, isqrtRound, sat } from './fixed.js';
import { ByteReader, ByteWriter } from './format.js';
import * as K from './kernels.js';
import { divQ, shiftVar, shiftWide } from './range.js';

/**
 * Standard deviation in Q16.16 from a variance held as Q32.32 (varI + varF/2^32),
 * as K.welford keeps it: √(var·2^32) rounded to nearest. Exact while var < 2^21;
 * above, the root of var·2^22 is taken and scaled (absolute error < 2^-11,
 * relative < 2^-21 there).
 */
export function stdFromVar(varI: number, varF: number): number {
  if (varI < 2097152) return sat(isqrtRound(varI * 4294967296 + varF));
  return sat(isqrtRound(varI * 4194304 + Math.floor(varF / 1024)) * 32);
}

/** Welford counts above this act as it (K.welford): the bound of a stored remainder. */
const WELFORD_MAX_COUNT = 524288;

/** The arrays of Welford state (a {@link Moments}, or the device API's scaler state). @internal */
export interface MomentArrays {
  readonly mean: Int32Array;
  readonly meanF: Uint16Array;
  readonly varI: Int32Array;
  readonly varF: Uint32Array;
  readonly varR: Int32Array;
}

/** Divides value j of m by 2^d (its variance by 4^d): its input exponent grew by d. @internal */
export function shiftMoment(m: MomentArrays, j: number, d: number): void {
  shiftWide(m.mean, m.meanF, j, d);
  shiftVar(m.varI, m.varF, m.varR, j, d);
}

/** z-scores of x (internal units) into out (Q16.16): (x − mean) / std, 0 where std is 0; E_RANGE beyond ±32768. @internal */
export function zScores(m: MomentArrays, x: ArrayLike<number>, out: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const s = stdFromVar(m.varI[i], m.varF[i]);
    out[i] = s === 0 ? 0 : divQ(x[i] - m.mean[i], s, 'z-score of feature ' + i);
  }
}

/**
 * Throws E_CORRUPT unless value j of m is what learning leaves: mean within
 * ±2^h, 0 ≤ variance ≤ 2^(2h−30), remainder within the range K.welford
 * leaves after `count` samples. @internal
 */
export function checkMoment(m: MomentArrays, j: number, h: number, count: number): void {
  const lim = POW2[h];
  const cap = count < 1 ? 1 : count > WELFORD_MAX_COUNT ? WELFORD_MAX_COUNT : count;
  if (m.mean[j] > lim || m.mean[j] < -lim) fail('E_CORRUPT', 'mean beyond the input scale');
  if (m.varI[j] < 0 || m.varI[j] > POW2[2 * h - 30]) fail('E_CORRUPT', 'variance out of range in model data');
  const half = Math.floor(cap / 2);
  if (m.varR[j] < -half || m.varR[j] >= cap - half) fail('E_CORRUPT', 'variance remainder out of range in model data');
}

/** Welford state of `size` values as K.welford keeps it. @internal */
export class Moments {
  readonly mean: Int32Array;
  readonly meanF: Uint16Array;
  readonly varI: Int32Array;
  readonly varF: Uint32Array;
  readonly varR: Int32Array;
  /** Bytes per value: 4 + 2 + 4 + 4 + 4. */
  static readonly BYTES = 18;

  constructor(size: number) {
    this.mean = new Int32Array(size);
    this.meanF = new Uint16Array(size);
    this.varI = new Int32Array(size);
    this.varF = new Uint32Array(size);
    this.varR = new Int32Array(size);
  }

  /** One Welford step of the row at offset o; `count` includes this sample. */
  add(o: number, x: Int32Array, n: number, count: number): void {
    K.welford.f(this.mean, this.meanF, this.varI, this.varF, this.varR, o, x, 0, n, count);
  }

  /** Divides value j by 2^d (its variance by 4^d): its input exponent grew by d. */
  shift(j: number, d: number): void {
    shiftMoment(this, j, d);
  }

  /** Mean j as a real number in internal units. */
  meanOf(j: number): number {
    return (this.mean[j] * 65536 + this.meanF[j]) / 4294967296;
  }

  /** Variance j as a real number in internal units, with the remainder of its last Welford step (`count` its row's count). */
  varOf(j: number, count: number): number {
    const c = count < 1 ? 1 : count > WELFORD_MAX_COUNT ? WELFORD_MAX_COUNT : count;
    return this.varI[j] + (this.varF[j] + this.varR[j] / c) / 4294967296;
  }

  write(w: ByteWriter): void {
    w.i32s(this.mean);
    w.u16s(this.meanF);
    w.i32s(this.varI);
    w.u32s(this.varF);
    w.i32s(this.varR);
  }

  /**
   * Reads the state and checks what learning guarantees: means within the
   * input scale's headroom 2^h, 0 ≤ variance ≤ 2^(2h+2) LSB² (squared
   * deviations of such values), remainders within the range K.welford leaves
   * for the count of their row (`counts(j)`), so that a loaded model learns
   * on and saves loadable bytes.
   */
  read(r: ByteReader, h: number, counts: (j: number) => number): void {
    r.i32s(this.mean);
    r.u16s(this.meanF);
    r.i32s(this.varI);
    r.u32s(this.varF);
    r.i32s(this.varR);
    for (let j = 0; j < this.mean.length; j++) checkMoment(this, j, h, counts(j));
  }
}

