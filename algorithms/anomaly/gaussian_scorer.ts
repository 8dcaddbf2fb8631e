/**
 * GaussianScorer: the anomaly score is the mean squared z-score of the
 * features, from running (Welford, fixed point) means and variances of the
 * learned samples.
 */
import { POW2, Q_MAX, floorDiv, mul } from '../../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../../src/format.js';
import * as K from '../../src/kernels.js';
import { MAX_FEATURES, checkOptions, mutable, optInt, optReal } from '../../src/learner.js';
import { Moments, stdFromVar } from '../../src/moments.js';
import { HEADROOM, InputScale, ScaledVector, shiftRound, wideDiv } from '../../src/range.js';
import { CalibrationOptions, Calibrator } from './calibrator.js';
import { Detector } from './detector.js';
import { countSum, mergeMoments, same, statisticsInputs } from '../../src/merge.js';

/** Options of {@link GaussianScorer}. */
export interface GaussianScorerOptions extends CalibrationOptions {
  nFeatures: number;
  /** Smallest standard deviation used in a z-score (default 2^-16, one LSB): a feature constant in training still gives finite scores. */
  minStd?: number;
}

/**
 * Anomaly score = mean over features of z², z = (x − mean) / std, with the
 * running mean and variance of the learned samples (Welford, fixed point),
 * each feature in its own input scale (raw sensor ranges). An input so far
 * away that Σz² exceeds 32768 gets the maximal score (32768).
 *
 * @example
 * const g = new GaussianScorer({ nFeatures: 2 });
 * for (let i = 0; i < 500; i++) g.learnOne([20 + Math.sin(i), 5 + Math.cos(i)]);
 * g.isAnomaly([20.5, 5.2]); // false
 * g.isAnomaly([30, 5]);     // true
 * g.similarity([30, 5]);    // 0..100, below 50 = anomaly
 */
export class GaussianScorer extends Detector<ScaledVector> {
  static readonly modelType = ModelType.GaussianScorer;
  /** merge pools statistics (no weights): a fleet merges each device's own-data model (docs/fleet.md). */
  static readonly mergeKind = 'statistics';
  readonly stateBytes: number;
  /** Q16.16 */
  readonly minStd: number;
  /** Samples learned (saturates at 2^32 − 1). */
  readonly count: number;
  /** @internal */ readonly m: Moments;
  /** @internal */ protected declare readonly scale: InputScale;
  private readonly std: Int32Array;
  private stdValid: boolean;
  private readonly z: Int32Array;
  /** adaptQ's one-value buffer (no allocation per sample) */
  private readonly one = new Int32Array(1);

  constructor(opts: GaussianScorerOptions) {
    const o = checkOptions(opts);
    super(optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES), o, { adaptBelow: 2 });
    const n = this.nFeatures;
    this.minStd = optReal(o, 'minStd', 1 / 65536, 1 / 65536, 32767);
    this.count = 0;
    this.m = new Moments(n);
    this.scale = new InputScale(n, false, HEADROOM);
    this.std = new Int32Array(n);
    this.stdValid = false;
    this.z = new Int32Array(n);
    this.stateBytes = 4 + n * (Moments.BYTES + 1) + Calibrator.BYTES;
  }

  protected learnQ(x: Int32Array): void {
    this.cal.add(this.scoreQ(x));
    if (this.count < 4294967295) mutable(this).count++;
    this.m.add(0, x, this.nFeatures, this.count);
    this.stdValid = false;
  }

  /** @internal */
  override rescale(i: number, d: number): void {
    this.m.shift(i, d);
    this.stdValid = false;
  }

  /** Input exponent of each feature (docs/fixed-point.md, "Raw ranges"). */
  inputExponents(): Uint8Array {
    return this.scale.exps;
  }

  /** Running means of the learned samples, as real numbers. */
  means(): Float64Array {
    const r = new Float64Array(this.nFeatures);
    for (let i = 0; i < this.nFeatures; i++) r[i] = this.scale.real(this.m.meanOf(i) * 65536, i);
    return r;
  }

  /** Running population variances of the learned samples, as real numbers. */
  variances(): Float64Array {
    const r = new Float64Array(this.nFeatures);
    const c = this.welfordCount();
    for (let i = 0; i < this.nFeatures; i++) r[i] = this.scale.real(this.scale.real(this.m.varOf(i, c) * 65536, i) * 65536, i);
    return r;
  }

  /**
   * The largest count a Welford step of this scorer uses: learning steps use
   * 1..count, adaptation steps `adapt`. K.welford leaves a remainder in
   * −⌊c/2⌋ ≤ R < c − ⌊c/2⌋ for the c of its step, and these ranges nest, so
   * this count bounds every stored remainder (the load check). Reported
   * variances divide the remainder by it too: exact for the steps that used
   * it, within one 2^-32 unit of the stored variance for the others.
   */
  private welfordCount(): number {
    return this.count > this.cal.adapt ? this.count : this.cal.adapt;
  }

  /**
   * Drift, feature by feature: each feature whose z² (from the scoreQ just
   * done) is below the gate takes one Welford step with the count held at
   * `adapt`, an exponential memory of that many samples. A value outside the
   * learned range (±2^headroom internal units) would need a rescale; it is far
   * from normal anyway and teaches nothing.
   */
  protected adaptQ(x: ScaledVector, s: number): void {
    if (this.count === 0 || s >= Q_MAX) return; // no z-scores were computed
    const gate = this.cal.adaptGate();
    const z = this.z;
    const one = this.one;
    const lim = POW2[this.scale.headroom];
    for (let i = 0; i < this.nFeatures; i++) {
      const v = x[i];
      if (mul(z[i], z[i]) < gate && v < lim && v > -lim) {
        one[0] = v;
        this.m.add(i, one, 1, this.cal.adapt);
      }
    }
    this.stdValid = false;
  }

  protected scoreQ(x: ArrayLike<number>): number {
    const n = this.nFeatures;
    if (this.count === 0) return 0;
    if (!this.stdValid) {
      for (let i = 0; i < n; i++) {
        const s = stdFromVar(this.m.varI[i], this.m.varF[i]);
        // minStd is in real units: in feature i's internal units it is minStd / 2^e (at least one LSB)
        const e = this.scale.exps[i];
        const lo = e === 0 ? this.minStd : shiftRound(this.minStd, e);
        this.std[i] = s < lo ? lo : s < 1 ? 1 : s;
      }
      this.stdValid = true;
    }
    for (let i = 0; i < n; i++) {
      const z = wideDiv(x[i] - this.m.mean[i], this.std[i]);
      if (z > Q_MAX || z < -Q_MAX) return Q_MAX; // too far to represent: the maximal score
      this.z[i] = z;
    }
    const ss = K.dot.f(this.z, 0, this.z, 0, n);
    // Σz² beyond Q16.16: the input is too far for the score to say how far; the maximal score
    return ss === Q_MAX ? Q_MAX : floorDiv(2 * ss + n, 2 * n);
  }

  /**
   * @internal Payload: `u32 nFeatures`, `i32 minStd`, calibrator, `u32 count`, `i32[n] mean`, `u16[n] meanF`,
   * `u8[n]` input exponents, `i32[n] varI`, `u32[n] varF`, `u32[n] varR` (as StandardScaler).
   */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.i32(this.minStd);
    this.cal.write(w);
    w.u32(this.count);
    w.u8s(this.scale.exps);
    this.m.write(w);
  }

  /**
   * Exact merge of the statistics (Chan's parallel Welford, as
   * StandardScaler) and of the threshold calibrations (histograms added).
   * The histograms hold the scores each device saw under its own model: the
   * merged threshold is their union's quantile, an approximation where the
   * devices' models differ. Same minStd and calibration options (E_SHAPE);
   * weights do not apply (E_INPUT).
   */
  static merge(models: ReadonlyArray<GaussianScorer>, weights?: ArrayLike<number>): GaussianScorer {
    const a = statisticsInputs<GaussianScorer>(GaussianScorer, models, weights);
    const out = GaussianScorer.fromBytes(a[0].toBytes());
    const counts: number[] = [];
    const ms: Moments[] = [];
    const cals: Calibrator[] = [];
    for (let k = 0; k < a.length; k++) {
      same('minStd (Q16.16)', k, a[0].minStd, a[k].minStd);
      counts.push(a[k].count);
      ms.push(a[k].m);
      cals.push(a[k].cal);
    }
    out.cal.mergeFrom(cals);
    mergeMoments(out.m, ms, counts, 0, out.nFeatures);
    mutable(out).count = countSum(counts);
    return out;
  }


  /** @internal */
  static fromReader(r: ByteReader): GaussianScorer {
    const o: { [k: string]: unknown } = {};
    const n = (o.nFeatures = r.int(1, MAX_FEATURES));
    o.minStd = r.int(1, 32767 * 65536) / 65536;
    Calibrator.readOptions(r, o);
    r.need(Calibrator.BYTES + 4 + n * (Moments.BYTES + 1));
    const m = new GaussianScorer(o as unknown as GaussianScorerOptions);
    m.cal.readState(r);
    mutable(m).count = r.u32();
    r.u8s(m.scale.exps);
    m.scale.checkExps();
    const c = m.welfordCount();
    m.m.read(r, m.scale.headroom, function () {
      return c;
    });
    return m;
  }
}

