/**
 * Online feature scalers. Both learn one sample at a time in fixed point and
 * serialize like any model, so a Pipeline can carry them to the device.
 */
import { Q_MAX, Q_MIN, div, fromQ, isqrtRound, sat } from './fixed.js';
import { ByteReader, ByteWriter, ModelType } from './format.js';
import * as K from './kernels.js';
import { MAX_FEATURES, TransformerBase, checkOptions, mutable, optInt } from './learner.js';

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

/**
 * Online standardisation z = (x − mean) / std with Welford's algorithm in
 * fixed point (Q16.32 mean, Q32.32 variance: raw sensor ranges do not
 * saturate and tiny variances keep their precision).
 *
 * @example
 * const s = new StandardScaler({ nFeatures: 3 });
 * s.learnOne([400, 21.5, 0.3]);
 * s.transformOne([420, 22.0, 0.2]);
 */
export class StandardScaler extends TransformerBase {
  static readonly modelType = ModelType.StandardScaler;
  readonly stateBytes: number;
  /** Samples seen. */
  readonly count: number;
  /** @internal */ readonly mean: Int32Array;
  /** @internal */ readonly meanF: Uint16Array;
  /** @internal */ readonly varI: Int32Array;
  /** @internal */ readonly varF: Uint32Array;

  constructor(opts: { nFeatures: number }) {
    const o = checkOptions(opts);
    const n = optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES);
    super(n, n);
    this.count = 0;
    this.mean = new Int32Array(n);
    this.meanF = new Uint16Array(n);
    this.varI = new Int32Array(n);
    this.varF = new Uint32Array(n);
    this.stateBytes = 4 + n * 14;
  }

  protected learnQ(x: Int32Array): void {
    if (this.count < 4294967295) mutable(this).count++;
    K.welford(this.mean, this.meanF, this.varI, this.varF, 0, x, 0, this.nFeatures, this.count);
  }

  protected transformQ(x: Int32Array, out: Int32Array): void {
    for (let i = 0; i < this.nFeatures; i++) {
      const s = stdFromVar(this.varI[i], this.varF[i]);
      const d = x[i] - this.mean[i];
      out[i] = s === 0 ? 0 : div(d > Q_MAX ? Q_MAX : d < Q_MIN ? Q_MIN : d, s);
    }
  }

  /** Running means as real numbers. */
  means(): Float64Array {
    const r = new Float64Array(this.nFeatures);
    for (let i = 0; i < this.nFeatures; i++) r[i] = (this.mean[i] * 65536 + this.meanF[i]) / 4294967296;
    return r;
  }

  /** Running population variances as real numbers. */
  variances(): Float64Array {
    const r = new Float64Array(this.nFeatures);
    for (let i = 0; i < this.nFeatures; i++) r[i] = this.varI[i] + this.varF[i] / 4294967296;
    return r;
  }

  /** @internal */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.count);
    w.i32s(this.mean);
    w.u16s(this.meanF);
    w.i32s(this.varI);
    w.u32s(this.varF);
  }

  /** @internal */
  static fromReader(r: ByteReader): StandardScaler {
    const n = r.int(1, MAX_FEATURES);
    r.need(4 + n * 14);
    const m = new StandardScaler({ nFeatures: n });
    mutable(m).count = r.u32();
    r.i32s(m.mean);
    r.u16s(m.meanF);
    r.i32s(m.varI);
    r.u32s(m.varF);
    return m;
  }
}

/**
 * Online min-max scaling to [0, 1] using the extremes seen so far
 * (0 for a feature whose range is still empty).
 */
export class MinMaxScaler extends TransformerBase {
  static readonly modelType = ModelType.MinMaxScaler;
  readonly stateBytes: number;
  /** Samples seen. */
  readonly count: number;
  /** @internal */ readonly min: Int32Array;
  /** @internal */ readonly max: Int32Array;

  constructor(opts: { nFeatures: number }) {
    const o = checkOptions(opts);
    const n = optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES);
    super(n, n);
    this.count = 0;
    this.min = new Int32Array(n);
    this.max = new Int32Array(n);
    this.stateBytes = 4 + n * 8;
  }

  protected learnQ(x: Int32Array): void {
    const first = this.count === 0;
    if (this.count < 4294967295) mutable(this).count++;
    for (let i = 0; i < this.nFeatures; i++) {
      const v = x[i];
      if (first || v < this.min[i]) this.min[i] = v;
      if (first || v > this.max[i]) this.max[i] = v;
    }
  }

  protected transformQ(x: Int32Array, out: Int32Array): void {
    for (let i = 0; i < this.nFeatures; i++) {
      const range = this.max[i] - this.min[i];
      const d = x[i] - this.min[i];
      // range and d can exceed int32 (up to 2^32); halving both keeps the ratio and fits.
      out[i] = range <= 0 ? 0 : range > Q_MAX ? div(Math.floor(d / 2), Math.floor(range / 2)) : div(sat(d), range);
    }
  }

  /** @internal */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.count);
    w.i32s(this.min);
    w.i32s(this.max);
  }

  /** @internal */
  static fromReader(r: ByteReader): MinMaxScaler {
    const n = r.int(1, MAX_FEATURES);
    r.need(4 + n * 8);
    const m = new MinMaxScaler({ nFeatures: n });
    mutable(m).count = r.u32();
    r.i32s(m.min);
    r.i32s(m.max);
    return m;
  }
}
