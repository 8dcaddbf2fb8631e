/**
 * Running means and variances as K.welford keeps them (Q16.32 means, Q32.32
 * variances with the division remainder), shared by the models that keep
 * them per feature: StandardScaler, GaussianNB, GaussianScorer.
 */
import { fail } from './errors.js';
import { POW2, isqrtRound, sat } from './fixed.js';
import { ByteReader, ByteWriter } from './format.js';
import * as K from './kernels.js';
import { shiftVar, shiftWide } from './range.js';

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
    K.welford(this.mean, this.meanF, this.varI, this.varF, this.varR, o, x, 0, n, count);
  }

  /** Divides value j by 2^d (its variance by 4^d): its input exponent grew by d. */
  shift(j: number, d: number): void {
    shiftWide(this.mean, this.meanF, j, d);
    shiftVar(this.varI, this.varF, this.varR, j, d);
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
    const lim = POW2[h];
    const vmax = POW2[2 * h - 30];
    for (let j = 0; j < this.mean.length; j++) {
      const c = counts(j);
      const cap = c < 1 ? 1 : c > WELFORD_MAX_COUNT ? WELFORD_MAX_COUNT : c;
      if (this.mean[j] > lim || this.mean[j] < -lim) fail('E_CORRUPT', 'mean beyond the input scale');
      if (this.varI[j] < 0 || this.varI[j] > vmax) fail('E_CORRUPT', 'variance out of range in model data');
      const h = Math.floor(cap / 2);
      if (this.varR[j] < -h || this.varR[j] >= cap - h) fail('E_CORRUPT', 'variance remainder out of range in model data');
    }
  }
}

