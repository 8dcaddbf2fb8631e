/**
 * Online feature scalers. Both learn one sample at a time in fixed point and
 * serialize like any model, so a Pipeline can carry them to the device. Both
 * take raw sensor ranges: each feature has its own input exponent
 * (src/range.ts), and their outputs (z-scores, [0, 1] ratios) are Q16.16.
 */
import { fail } from './errors.js';
import { ByteReader, ByteWriter, ModelType } from './format.js';
import * as K from './kernels.js';
import { MAX_FEATURES, TransformerBase, checkOptions, mutable, optInt } from './learner.js';
import { Moments, zScores } from './moments.js';
import { HEADROOM, InputScale, ScaledVector, divQ, shiftRound } from './range.js';
import { countSum, mergeMoments, statisticsInputs } from './merge.js';

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
export class StandardScaler extends TransformerBase<ScaledVector> {
  static readonly modelType = ModelType.StandardScaler;
  /** merge pools statistics (no weights): a fleet merges each device's own-data model (docs/fleet.md). */
  static readonly mergeKind = 'statistics';
  readonly stateBytes: number;
  /** Samples seen. */
  readonly count: number;
  /** @internal */ readonly m: Moments;
  /** @internal */ protected declare readonly scale: InputScale;

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
    zScores(this.m, x, out, this.nFeatures);
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

  /**
   * Exact merge of the statistics (Chan's parallel Welford): the union's
   * count, mean and variance, as one scaler that saw every model's samples
   * would hold them up to one rounding each. Models with other input
   * exponents are rescaled copies first (the inputs are untouched). Weights do
   * not apply: each model counts for its samples (E_INPUT if given).
   */
  static merge(models: ReadonlyArray<StandardScaler>, weights?: ArrayLike<number>): StandardScaler {
    const a = statisticsInputs<StandardScaler>(StandardScaler, models, weights);
    const out = StandardScaler.fromBytes(a[0].toBytes());
    const counts: number[] = [];
    for (let k = 0; k < a.length; k++) counts.push(a[k].count);
    const ms: Moments[] = [];
    for (let k = 0; k < a.length; k++) ms.push(a[k].m);
    mergeMoments(out.m, ms, counts, 0, out.nFeatures);
    mutable(out).count = countSum(counts);
    return out;
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
export class MinMaxScaler extends TransformerBase<ScaledVector> {
  static readonly modelType = ModelType.MinMaxScaler;
  /** merge pools statistics (no weights): a fleet merges each device's own-data model (docs/fleet.md). */
  static readonly mergeKind = 'statistics';
  readonly stateBytes: number;
  /** Samples seen. */
  readonly count: number;
  /** @internal */ readonly min: Int32Array;
  /** @internal */ readonly max: Int32Array;
  /** @internal */ protected declare readonly scale: InputScale;

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

  /**
   * Exact merge: each feature's extremes over the models that saw samples
   * (in common input exponents), counts added. Order-independent and
   * associative bit for bit. Weights do not apply (E_INPUT if given).
   */
  static merge(models: ReadonlyArray<MinMaxScaler>, weights?: ArrayLike<number>): MinMaxScaler {
    const a = statisticsInputs<MinMaxScaler>(MinMaxScaler, models, weights);
    const out = MinMaxScaler.fromBytes(a[0].toBytes());
    const counts: number[] = [];
    let first = true;
    for (let k = 0; k < a.length; k++) {
      counts.push(a[k].count);
      if (a[k].count === 0) continue;
      for (let i = 0; i < out.nFeatures; i++) {
        if (first || a[k].min[i] < out.min[i]) out.min[i] = a[k].min[i];
        if (first || a[k].max[i] > out.max[i]) out.max[i] = a[k].max[i];
      }
      first = false;
    }
    mutable(out).count = countSum(counts);
    return out;
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
