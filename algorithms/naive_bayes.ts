/**
 * Gaussian naive Bayes, learned one sample at a time: per class a running
 * mean and variance of every feature (`K.welford`: Q16.32 means, Q32.32
 * variances with the division remainder, each feature in its own input
 * scale, so raw sensor ranges such as CO2 in ppm, lux or Pa do not saturate
 * and variances of 1e-6 keep their precision), priors from class counts, and
 * log-likelihoods with the fixed-point log. Variances enter the likelihood
 * as a 26-bit mantissa and a power of two, so neither end of that range
 * loses precision.
 *
 * The Gaussian log-likelihood helpers (shared with the Hoeffding tree's naive
 * Bayes leaves) are in src/gaussian.ts.
 */
import { fail } from '../src/errors.js';
import { softmaxQ } from '../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../src/format.js';
import * as K from '../src/kernels.js';
import { MAX_CLASSES, MAX_FEATURES, Supervised, checkOptions, mutable, optInt, optReal } from '../src/learner.js';
import { Moments } from '../src/moments.js';
import { HEADROOM, InputScale, ScaledVector } from '../src/range.js';
import { gaussLogLik, lnUnits, smoothingFromVar } from '../src/gaussian.js';
import { countSum, mergeMoments, same, statisticsInputs } from '../src/merge.js';

export { checkVariances, gaussLogLik, lnUnits, smoothingFromVar, zScore } from '../src/gaussian.js';

/** Options of {@link GaussianNB}. */
export interface GaussianNBOptions {
  /** Input width. */
  nFeatures: number;
  /** Number of classes (labels 0..nClasses-1). */
  nClasses: number;
  /**
   * Added to every class variance of feature i: varSmoothing × the variance of
   * feature i over all samples (default 0.01, range 0..1). Keeps a feature that
   * is constant within one class from dominating the decision.
   */
  varSmoothing?: number;
}

/**
 * A deviation this large (internal units) makes every Gaussian term reach its
 * 32768-nat cap (variances of learned values are below 2^55 LSB²), so
 * predictions take inputs beyond it as ±2^36 with the same result.
 */
const FAR = 68719476736;

/**
 * Gaussian naive Bayes classifier.
 *
 * @example
 * const nb = new GaussianNB({ nFeatures: 3, nClasses: 2 });
 * nb.learnOne([420, 21.0, 120], 0);   // raw CO2 ppm, °C and lux are fine
 * nb.learnOne([1500, 24.5, 40000], 1);
 * nb.predictOne([1400, 24.0, 35000]); // 1
 */
export class GaussianNB extends Supervised<ScaledVector> {
  static readonly modelType = ModelType.GaussianNB;
  /** merge pools statistics (no weights): a fleet merges each device's own-data model (docs/fleet.md). */
  static readonly mergeKind = 'statistics';
  readonly stateBytes: number;
  /** Q16.16 */
  readonly varSmoothing: number;
  /** Samples seen per class. */
  readonly counts: Uint32Array;
  /** @internal per-class statistics, class c at offset c·nFeatures */
  readonly st: Moments;
  /** Samples seen in all. */
  readonly total: number;
  /** @internal statistics over all classes (for varSmoothing) */
  readonly g: Moments;
  /** @internal */ protected declare readonly scale: InputScale;
  private readonly epsI: Float64Array;
  private readonly epsF: Float64Array;
  private readonly scores: Float64Array;
  private readonly mask: Uint8Array;
  private readonly pq: Int32Array;

  constructor(opts: GaussianNBOptions) {
    const o = checkOptions(opts);
    super(optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES), optInt(o, 'nClasses', undefined, 2, MAX_CLASSES));
    const n = this.nFeatures;
    const c = this.nClasses;
    this.varSmoothing = optReal(o, 'varSmoothing', 0.01, 0, 1);
    this.counts = new Uint32Array(c);
    this.st = new Moments(c * n);
    this.total = 0;
    this.g = new Moments(n);
    this.scale = new InputScale(n, false, HEADROOM);
    this.epsI = new Float64Array(n);
    this.epsF = new Float64Array(n);
    this.scores = new Float64Array(c);
    this.mask = new Uint8Array(c);
    this.pq = new Int32Array(c);
    this.stateBytes = GaussianNB.bytesFor(n, c);
  }

  /** Bytes of state (and of the saved payload after its 12 bytes of hyper-parameters). */
  private static bytesFor(n: number, c: number): number {
    return 4 + c * 4 + n + (c * n + n) * Moments.BYTES;
  }

  protected learnQ(x: Int32Array, y: number): void {
    const n = this.nFeatures;
    // Counters saturate; past 2^32 − 1 samples the statistics keep a fixed 1/(2^32 − 1) weight.
    if (this.total < 4294967295) mutable(this).total++;
    this.g.add(0, x, n, this.total);
    if (this.counts[y] < 4294967295) this.counts[y]++;
    this.st.add(y * n, x, n, this.counts[y]);
  }

  /** @internal */
  override rescale(i: number, d: number): void {
    for (let c = 0; c < this.nClasses; c++) this.st.shift(c * this.nFeatures + i, d);
    this.g.shift(i, d);
  }

  /** Joint log-likelihood ln(count_c) + Σ log N(x_i) of every seen class into scores; returns the best class or -1. */
  private score(x: ScaledVector): number {
    const n = this.nFeatures;
    for (let i = 0; i < n; i++) if (x[i] > FAR) x[i] = FAR;
    else if (x[i] < -FAR) x[i] = -FAR;
    const st = this.st;
    smoothingFromVar(this.varSmoothing, this.g.varI, this.g.varF, n, this.epsI, this.epsF);
    let best = -1;
    for (let c = 0; c < this.nClasses; c++) {
      this.mask[c] = this.counts[c] > 0 ? 1 : 0;
      if (this.mask[c] === 0) continue;
      // Each feature's input exponent adds the same ln 2^e to every class: it cancels.
      const s = lnUnits(this.counts[c], 0) + gaussLogLik(st.mean, st.meanF, st.varI, st.varF, c * n, x, n, this.epsI, this.epsF);
      this.scores[c] = s;
      if (best < 0 || s > this.scores[best]) best = c;
    }
    return best;
  }

  /** The class with the largest joint log-likelihood (first on ties; class 0 before any sample). */
  protected predictQ(x: ScaledVector): number {
    const b = this.score(x);
    return b < 0 ? 0 : b;
  }

  /** Posterior probabilities, Q16.16 (0 for unseen classes; uniform before any sample). */
  protected override probaQ(x: ScaledVector): Int32Array {
    this.score(x);
    return softmaxQ(this.scores, this.nClasses, this.mask, this.pq);
  }

  /** Per-class means as real numbers (class c: entries c·nFeatures …). */
  means(): Float64Array {
    const n = this.nFeatures;
    const r = new Float64Array(this.st.mean.length);
    for (let j = 0; j < r.length; j++) r[j] = this.scale.real(this.st.meanOf(j) * 65536, j % n);
    return r;
  }

  /** Per-class population variances as real numbers. */
  variances(): Float64Array {
    const n = this.nFeatures;
    const r = new Float64Array(this.st.varI.length);
    for (let j = 0; j < r.length; j++) r[j] = this.scale.real(this.scale.real(this.st.varOf(j, this.counts[Math.floor(j / n)]) * 65536, j % n) * 65536, j % n);
    return r;
  }

  /** Input exponent of each feature (docs/fixed-point.md, "Raw ranges"). */
  inputExponents(): Uint8Array {
    return this.scale.exps;
  }

  /** @internal */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.nClasses);
    w.i32(this.varSmoothing);
    w.u32(this.total);
    w.u32s(this.counts);
    w.u8s(this.scale.exps);
    this.st.write(w);
    this.g.write(w);
  }

  /**
   * Exact merge of the sufficient statistics: class counts added, each
   * class's per-feature means and variances combined by Chan's parallel
   * Welford (weighted by that class's counts), the overall moments likewise.
   * Same nFeatures, nClasses and varSmoothing (E_SHAPE); weights do not apply.
   */
  static merge(models: ReadonlyArray<GaussianNB>, weights?: ArrayLike<number>): GaussianNB {
    const a = statisticsInputs<GaussianNB>(GaussianNB, models, weights);
    for (let k = 0; k < a.length; k++) {
      same('nClasses', k, a[0].nClasses, a[k].nClasses);
      same('varSmoothing (Q16.16)', k, a[0].varSmoothing, a[k].varSmoothing);
    }
    const out = GaussianNB.fromBytes(a[0].toBytes());
    const n = out.nFeatures;
    const st: Moments[] = [];
    const g: Moments[] = [];
    const totals: number[] = [];
    for (let k = 0; k < a.length; k++) {
      st.push(a[k].st);
      g.push(a[k].g);
      totals.push(a[k].total);
    }
    for (let c = 0; c < out.nClasses; c++) {
      const counts: number[] = [];
      for (let k = 0; k < a.length; k++) counts.push(a[k].counts[c]);
      mergeMoments(out.st, st, counts, c * n, (c + 1) * n);
      out.counts[c] = countSum(counts);
    }
    mergeMoments(out.g, g, totals, 0, n);
    mutable(out).total = countSum(totals);
    return out;
  }

  /** @internal */
  static fromReader(r: ByteReader): GaussianNB {
    const n = r.int(1, MAX_FEATURES);
    const c = r.int(2, MAX_CLASSES);
    const vs = r.int(0, 65536);
    r.need(GaussianNB.bytesFor(n, c));
    const m = new GaussianNB({ nFeatures: n, nClasses: c, varSmoothing: vs / 65536 });
    const total = (mutable(m).total = r.u32());
    r.u32s(m.counts);
    let sum = 0;
    for (let k = 0; k < c; k++) sum += m.counts[k];
    // class counts add up to the total until the total saturates
    if (total < 4294967295 ? sum !== total : sum < total) fail('E_CORRUPT', 'class counts do not add up to the total');
    r.u8s(m.scale.exps);
    m.scale.checkExps();
    const h = m.scale.headroom;
    m.st.read(r, h, function (j) {
      return m.counts[Math.floor(j / n)];
    });
    m.g.read(r, h, function () {
      return total;
    });
    return m;
  }
}
