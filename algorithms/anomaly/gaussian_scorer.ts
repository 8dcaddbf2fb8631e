/**
 * GaussianScorer: the anomaly score is the mean squared z-score of the
 * features, from running (Welford, fixed point) means and variances of the
 * learned samples.
 */
import { Q_MAX, div, floorDiv, mul } from '../../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../../src/format.js';
import * as K from '../../src/kernels.js';
import { MAX_FEATURES, checkOptions, mutable, optInt, optReal } from '../../src/learner.js';
import { stdFromVar } from '../../src/preprocessing.js';
import { CalibrationOptions, Calibrator } from './calibrator.js';
import { Detector } from './detector.js';

/** Options of {@link GaussianScorer}. */
export interface GaussianScorerOptions extends CalibrationOptions {
  nFeatures: number;
  /** Smallest standard deviation used in a z-score (default 2^-16, one LSB): a feature constant in training still gives finite scores. */
  minStd?: number;
}

/**
 * Anomaly score = mean over features of z², z = (x − mean) / std, with the
 * running mean and variance of the learned samples (Welford, fixed point).
 *
 * @example
 * const g = new GaussianScorer({ nFeatures: 2 });
 * for (let i = 0; i < 500; i++) g.learnOne([20 + Math.sin(i), 5 + Math.cos(i)]);
 * g.isAnomaly([20.5, 5.2]); // false
 * g.isAnomaly([30, 5]);     // true
 * g.similarity([30, 5]);    // 0..100, below 50 = anomaly
 */
export class GaussianScorer extends Detector {
  static readonly modelType = ModelType.GaussianScorer;
  readonly stateBytes: number;
  /** Q16.16 */
  readonly minStd: number;
  /** Samples learned (saturates at 2^32 − 1). */
  readonly count: number;
  /** @internal */ readonly mean: Int32Array;
  /** @internal */ readonly meanF: Uint16Array;
  /** @internal */ readonly varI: Int32Array;
  /** @internal */ readonly varF: Uint32Array;
  private readonly std: Int32Array;
  private stdValid: boolean;
  private readonly z: Int32Array;

  constructor(opts: GaussianScorerOptions) {
    const o = checkOptions(opts);
    super(optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES), o, { adaptBelow: 2 });
    const n = this.nFeatures;
    this.minStd = optReal(o, 'minStd', 1 / 65536, 1 / 65536, 32767);
    this.count = 0;
    this.mean = new Int32Array(n);
    this.meanF = new Uint16Array(n);
    this.varI = new Int32Array(n);
    this.varF = new Uint32Array(n);
    this.std = new Int32Array(n);
    this.stdValid = false;
    this.z = new Int32Array(n);
    this.stateBytes = 4 + n * 14 + Calibrator.BYTES;
  }

  protected learnQ(x: Int32Array): void {
    this.cal.add(this.scoreQ(x));
    if (this.count < 4294967295) mutable(this).count++;
    K.welford(this.mean, this.meanF, this.varI, this.varF, 0, x, 0, this.nFeatures, this.count);
    this.stdValid = false;
  }

  /**
   * Drift, feature by feature: each feature whose z² (from the scoreQ just
   * done) is below the gate takes one Welford step with the count held at
   * `adapt`, an exponential memory of that many samples.
   */
  protected adaptQ(x: Int32Array, s: number): void {
    const gate = this.cal.adaptGate();
    const z = this.z;
    for (let i = 0; i < this.nFeatures; i++) {
      if (mul(z[i], z[i]) < gate) K.welford(this.mean, this.meanF, this.varI, this.varF, i, x, i, 1, this.cal.adapt);
    }
    this.stdValid = false;
  }

  protected scoreQ(x: Int32Array): number {
    const n = this.nFeatures;
    if (this.count === 0) return 0;
    if (!this.stdValid) {
      for (let i = 0; i < n; i++) {
        const s = stdFromVar(this.varI[i], this.varF[i]);
        this.std[i] = s < this.minStd ? this.minStd : s;
      }
      this.stdValid = true;
    }
    for (let i = 0; i < n; i++) {
      const d = x[i] - this.mean[i];
      this.z[i] = div(d > Q_MAX ? Q_MAX : d < -Q_MAX ? -Q_MAX : d, this.std[i]);
    }
    const ss = K.dot(this.z, 0, this.z, 0, n);
    return floorDiv(2 * ss + n, 2 * n);
  }

  /**
   * @internal Payload: `u32 nFeatures`, `i32 minStd`, calibrator, `u32 count`, `i32[n] mean`, `u16[n] meanF`,
   * `i32[n] varI`, `u32[n] varF` (as StandardScaler).
   */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.i32(this.minStd);
    this.cal.write(w);
    w.u32(this.count);
    w.i32s(this.mean);
    w.u16s(this.meanF);
    w.i32s(this.varI);
    w.u32s(this.varF);
  }

  /** @internal */
  static fromReader(r: ByteReader): GaussianScorer {
    const o: { [k: string]: unknown } = {};
    const n = (o.nFeatures = r.int(1, MAX_FEATURES));
    o.minStd = r.int(1, 32767 * 65536) / 65536;
    Calibrator.readOptions(r, o);
    const m = new GaussianScorer(o as unknown as GaussianScorerOptions);
    m.cal.readState(r);
    r.need(4 + n * 14);
    mutable(m).count = r.u32();
    r.i32s(m.mean);
    r.u16s(m.meanF);
    r.i32s(m.varI);
    r.u32s(m.varF);
    return m;
  }
}

