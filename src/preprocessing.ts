/**
 * Online feature scalers. Both learn one sample at a time in fixed point and
 * serialize like any model, so a Pipeline can carry them to the device. Both
 * take raw sensor ranges: each feature has its own input exponent
 * (src/range.ts), and their outputs (z-scores, [0, 1] ratios) are Q16.16.
 */
import { POW2, isqrtRound, sat } from './fixed.js';
import { fail } from './errors.js';
import { ByteReader, ByteWriter, ModelType } from './format.js';
import { K } from './kernels.js';
import { MAX_FEATURES, TransformerBase, checkOptions, mutable, optInt } from './learner.js';
import { HEADROOM, InputScale, divQ, shiftRound, shiftVar, shiftWide } from './range.js';

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

/**
 * Welford state of `n` rows of features as K.welford keeps it (mean Q16.32,
 * variance Q32.32 with the division remainder), shared by the models that
 * keep running means and variances. @internal
 */
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

/**
 * Online standardisation z = (x − mean) / std with Welford's algorithm in
 * fixed point (Q16.32 mean, Q32.32 variance with the division remainder, in
 * each feature's input scale: raw sensor ranges up to ±2^31 do not saturate
 * and tiny variances keep their precision). z is Q16.16: a z beyond ±32768
 * is E_RANGE.
 *
 * @example
 * const s = new StandardScaler({ nFeatures: 3 });
 * s.learnOne([400, 21.5, 101325]);
 * s.transformOne([420, 22.0, 101300]);
 */
export class StandardScaler extends TransformerBase<Float64Array> {
  static readonly modelType = ModelType.StandardScaler;
  readonly stateBytes: number;
  /** Samples seen. */
  readonly count: number;
  /** @internal */ readonly m: Moments;
  /** @internal */ protected override readonly scale: InputScale;

  constructor(opts: { nFeatures: number }) {
    const o = checkOptions(opts);
    const n = optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES);
    super(n, n);
    this.count = 0;
    this.m = new Moments(n);
    this.scale = new InputScale(n, false, HEADROOM);
    this.stateBytes = 4 + n * (Moments.BYTES + 1);
  }

  protected learnQ(x: Int32Array): void {
    if (this.count < 4294967295) mutable(this).count++;
    this.m.add(0, x, this.nFeatures, this.count);
  }

  protected transformQ(x: ArrayLike<number>, out: Int32Array): void {
    const m = this.m;
    for (let i = 0; i < this.nFeatures; i++) {
      const s = stdFromVar(m.varI[i], m.varF[i]);
      out[i] = s === 0 ? 0 : divQ(x[i] - m.mean[i], s, 'z-score of feature ' + i);
    }
  }

  /** @internal */
  override rescale(i: number, d: number): void {
    this.m.shift(i, d);
  }

  /** Running means as real numbers. */
  means(): Float64Array {
    const r = new Float64Array(this.nFeatures);
    for (let i = 0; i < this.nFeatures; i++) r[i] = this.scale.real(this.m.meanOf(i) * 65536, i);
    return r;
  }

  /** Running population variances as real numbers. */
  variances(): Float64Array {
    const r = new Float64Array(this.nFeatures);
    for (let i = 0; i < this.nFeatures; i++) r[i] = this.scale.real(this.scale.real(this.m.varOf(i, this.count) * 65536, i) * 65536, i);
    return r;
  }

  /** Input exponent of each feature: the model holds feature i as x·2^(16−e) (docs/fixed-point.md, "Raw ranges"). */
  inputExponents(): Uint8Array {
    return this.scale.exps;
  }

  /** @internal */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.count);
    w.u8s(this.scale.exps);
    this.m.write(w);
  }

  /** @internal */
  static fromReader(r: ByteReader): StandardScaler {
    const n = r.int(1, MAX_FEATURES);
    r.need(4 + n * (Moments.BYTES + 1));
    const m = new StandardScaler({ nFeatures: n });
    const count = (mutable(m).count = r.u32());
    r.u8s(m.scale.exps);
    m.scale.checkExps();
    m.m.read(r, m.scale.headroom, function () {
      return count;
    });
    return m;
  }
}

/**
 * Online min-max scaling to [0, 1] using the extremes seen so far
 * (0 for a feature whose range is still empty), each feature in its own
 * input scale. A ratio beyond ±32768 (x far outside the learned range) is
 * E_RANGE.
 */
export class MinMaxScaler extends TransformerBase<Float64Array> {
  static readonly modelType = ModelType.MinMaxScaler;
  readonly stateBytes: number;
  /** Samples seen. */
  readonly count: number;
  /** @internal */ readonly min: Int32Array;
  /** @internal */ readonly max: Int32Array;
  /** @internal */ protected override readonly scale: InputScale;

  constructor(opts: { nFeatures: number }) {
    const o = checkOptions(opts);
    const n = optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES);
    super(n, n);
    this.count = 0;
    this.min = new Int32Array(n);
    this.max = new Int32Array(n);
    this.scale = new InputScale(n, false, HEADROOM);
    this.stateBytes = 4 + n * 9;
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

  protected transformQ(x: ArrayLike<number>, out: Int32Array): void {
    for (let i = 0; i < this.nFeatures; i++) {
      const range = this.max[i] - this.min[i]; // < 2^28: min and max lie within the headroom
      out[i] = range <= 0 ? 0 : divQ(x[i] - this.min[i], range, 'min-max ratio of feature ' + i);
    }
  }

  /** @internal */
  override rescale(i: number, d: number): void {
    this.min[i] = shiftRound(this.min[i], d);
    this.max[i] = shiftRound(this.max[i], d);
  }

  /** Input exponent of each feature (docs/fixed-point.md, "Raw ranges"). */
  inputExponents(): Uint8Array {
    return this.scale.exps;
  }

  /** @internal */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.count);
    w.u8s(this.scale.exps);
    w.i32s(this.min);
    w.i32s(this.max);
  }

  /** @internal */
  static fromReader(r: ByteReader): MinMaxScaler {
    const n = r.int(1, MAX_FEATURES);
    r.need(4 + n * 9);
    const m = new MinMaxScaler({ nFeatures: n });
    mutable(m).count = r.u32();
    r.u8s(m.scale.exps);
    m.scale.checkExps();
    r.i32s(m.min);
    r.i32s(m.max);
    m.scale.checkValues(m.min, 0, n);
    m.scale.checkValues(m.max, 0, n);
    if (m.count > 0) for (let i = 0; i < n; i++) if (m.min[i] > m.max[i]) fail('E_CORRUPT', 'min above max in model data');
    return m;
  }
}
