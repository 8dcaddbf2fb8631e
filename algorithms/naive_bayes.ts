/**
 * Gaussian naive Bayes, learned one sample at a time: per class a running
 * mean and variance of every feature (`K.welford`: Q16.32 means, Q32.32
 * variances, so raw sensor ranges such as CO2 in ppm or lux do not saturate
 * and variances of 1e-6 keep their precision), priors from class counts, and
 * log-likelihoods with the fixed-point log. Variances enter the likelihood
 * as a 26-bit mantissa and a power of two, so neither end of that range
 * loses precision.
 *
 * Also exports the Gaussian log-likelihood helpers the Hoeffding tree's naive
 * Bayes leaves share.
 */
import { fail } from '../src/errors.js';
import { POW2, Q_MAX, Q_MIN, floorDiv, isqrtRound, log, softmaxQ } from '../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../src/format.js';
import * as K from '../src/kernels.js';
import { MAX_CLASSES, MAX_FEATURES, Supervised, checkOptions, mutable, optInt, optReal } from '../src/learner.js';

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

/** ln 2 · 2^24, rounded (k·ln 2 is rounded to Q16.16 from this). */
const LN2_F = 11629080;
const TWO32 = 4294967296;

/** k·ln 2 in Q16.16, rounded half up (|k| < 2^20). */
function kLn2(k: number): number {
  return Math.floor((k * LN2_F + 128) / 256);
}

/** floor(log2 v) for an integer 1 ≤ v < 2^53. */
function bitLen(v: number): number {
  let b = 0;
  if (v >= TWO32) {
    b = 32;
    v = Math.floor(v / TWO32);
  }
  if (v >= 65536) {
    b += 16;
    v = Math.floor(v / 65536);
  }
  if (v >= 256) {
    b += 8;
    v = Math.floor(v / 256);
  }
  if (v >= 16) {
    b += 4;
    v = Math.floor(v / 16);
  }
  if (v >= 4) {
    b += 2;
    v = Math.floor(v / 4);
  }
  return v >= 2 ? b + 1 : b;
}

/** Exponent of the last {@link normalize} call. */
let normE = 0;

/**
 * A non-negative integer V = hi·2^32 + lo (hi < 2^33, lo < 2^32) as a 26-bit
 * mantissa m in [2^25, 2^26) with V ≈ m·2^normE (truncated: relative error
 * < 2^-25, exact when normE ≤ 0). Returns 0 for V = 0.
 */
function normalize(hi: number, lo: number): number {
  if (hi === 0) {
    if (lo === 0) {
      normE = 0;
      return 0;
    }
    const e = bitLen(lo) - 25;
    normE = e;
    return e >= 0 ? Math.floor(lo / POW2[e]) : lo * POW2[-e];
  }
  const e = bitLen(hi) + 7; // the top bit of V is 32 + bitLen(hi); move it to bit 25
  normE = e;
  if (e <= 32) return hi * POW2[32 - e] + Math.floor(lo / POW2[e]);
  return Math.floor(hi / POW2[e - 32]);
}

/**
 * ln of a positive count or weight w (an integer-valued double < 2^53, in
 * units of 2^-u), Q16.16: ln(m·2^(e−u)) with w = m·2^e normalised.
 */
export function lnUnits(w: number, u: number): number {
  if (w <= 0) return Q_MIN;
  const m = normalize(Math.floor(w / TWO32), w - Math.floor(w / TWO32) * TWO32);
  return log(m) + kLn2(normE + 16 - u); // log(m) is ln(m·2^-16)
}

/**
 * The variance smoothing of feature i in Q32.32, eps = vs · (gvI + gvF/2^32)
 * with vs in Q16.16, as integer and fraction parts (epsI[i], epsF[i]); exact
 * (the product is split so every piece stays below 2^53).
 */
export function smoothingFromVar(vs: number, gvI: Int32Array, gvF: Uint32Array, n: number, epsI: Float64Array, epsF: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const h = gvI[i] * vs; // units of 2^-16 of the integer part: h·2^16 / 2^32
    const hh = Math.floor(h / 65536);
    let f = (h - hh * 65536) * 65536 + Math.floor((gvF[i] * vs + 32768) / 65536);
    let hi = hh;
    if (f >= TWO32) {
      const c = Math.floor(f / TWO32);
      hi += c;
      f -= c * TWO32;
    }
    epsI[i] = hi;
    epsF[i] = f;
  }
}

/** Mantissa and exponent of the smoothed variance (set by {@link smoothedVar}). */
let varM = 0;
let varE = 0;

/** Normalises V = (vI + eI)·2^32 + vF + eF (units of 2^-32) into varM·2^varE; V is at least 1 (2^-32). */
function smoothedVar(vI: number, vF: number, eI: number, eF: number): void {
  let hi = vI + eI;
  let lo = vF + eF;
  if (lo >= TWO32) {
    hi += 1;
    lo -= TWO32;
  }
  if (hi === 0 && lo === 0) lo = 1;
  varM = normalize(hi, lo);
  varE = normE;
}

/**
 * round(Δ²/(2V)) in Q16.16, capped at Q_MAX, for a deviation D = Δ·2^32
 * (integer) and the variance in varM·2^varE (units of 2^-32); 24 significant bits.
 */
function halfSquare(d: number): number {
  if (d === 0) return 0;
  const a = d < 0 ? -d : d;
  const dm = normalize(Math.floor(a / TWO32), a - Math.floor(a / TWO32) * TWO32);
  const q = floorDiv(dm * dm, varM); // (2^24, 2^27)
  // Δ²/(2V) in Q16.16 = D²/(2V)·2^-16 = q · 2^(2f − e − 17)
  const k = 2 * normE - varE - 17;
  if (k >= 7) return Q_MAX;
  if (k >= 0) {
    const t = q * POW2[k];
    return t > Q_MAX ? Q_MAX : t;
  }
  if (k < -60) return 0;
  return Math.floor((q + POW2[-k - 1]) / POW2[-k]);
}

/**
 * z = Δ/σ in Q16.16 for the deviation D = Δ·2^32 and the (unsmoothed, at
 * least 2^-32) variance vI + vF/2^32, saturated to ±8 (beyond, Φ is 0 or 1
 * to 1e-15).
 */
export function zScore(d: number, vI: number, vF: number): number {
  if (d === 0) return 0;
  smoothedVar(vI, vF, 0, 0);
  const a = d < 0 ? -d : d;
  const dm = normalize(Math.floor(a / TWO32), a - Math.floor(a / TWO32) * TWO32);
  const q = floorDiv(dm * dm, varM);
  // z² in units of 2^-32 is D²/V = q·2^(2f − e); z in Q16.16 is its square root
  const k = 2 * normE - varE;
  let z: number;
  if (k >= 14) z = 524288; // q·2^k > 2^38: z > 8
  else {
    const z2 = k >= 0 ? q * POW2[k] : k < -60 ? 0 : Math.floor(q / POW2[-k]);
    z = z2 >= 274877906944 ? 524288 : isqrtRound(z2); // z ≥ 8
  }
  return d < 0 ? -z : z;
}

/**
 * Σ_i log N(x_i; μ_i, v_i) without the constant ½·ln 2π, in Q16.16 units (an
 * integer-valued double), for the features of one class stored at offset o:
 * v_i = var_i + eps_i (at least 2^-32), μ_i the Q16.32 mean. Each feature's
 * quadratic term Δ²/(2v) is capped at 32768 nats, so one absurd feature
 * cannot overflow the sum.
 */
export function gaussLogLik(
  mean: Int32Array, meanF: Uint16Array, varI: Int32Array, varF: Uint32Array, o: number, x: Int32Array, n: number,
  epsI: Float64Array, epsF: Float64Array,
): number {
  let quad = 0;
  let logs = 0;
  for (let i = 0; i < n; i++) {
    const j = o + i;
    smoothedVar(varI[j], varF[j], epsI[i], epsF[i]);
    quad += halfSquare(x[i] * 65536 - (mean[j] * 65536 + meanF[j]));
    logs += log(varM) + kLn2(varE - 16); // ln(varM·2^varE·2^-32)
  }
  return -quad - floorDiv(logs + 1, 2);
}

/**
 * Gaussian naive Bayes classifier.
 *
 * @example
 * const nb = new GaussianNB({ nFeatures: 2, nClasses: 2 });
 * nb.learnOne([420, 21.0], 0);   // raw CO2 ppm and °C are fine
 * nb.learnOne([1500, 24.5], 1);
 * nb.predictOne([1400, 24.0]);   // 1
 */
export class GaussianNB extends Supervised {
  static readonly modelType = ModelType.GaussianNB;
  readonly stateBytes: number;
  /** Q16.16 */
  readonly varSmoothing: number;
  /** Samples seen per class. */
  readonly counts: Uint32Array;
  /** @internal per-class statistics, class c at offset c·nFeatures */
  readonly mean: Int32Array;
  /** @internal */ readonly meanF: Uint16Array;
  /** @internal */ readonly varI: Int32Array;
  /** @internal */ readonly varF: Uint32Array;
  /** Samples seen in all. */
  readonly total: number;
  /** @internal statistics over all classes (for varSmoothing) */
  readonly gMean: Int32Array;
  /** @internal */ readonly gMeanF: Uint16Array;
  /** @internal */ readonly gVarI: Int32Array;
  /** @internal */ readonly gVarF: Uint32Array;
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
    this.mean = new Int32Array(c * n);
    this.meanF = new Uint16Array(c * n);
    this.varI = new Int32Array(c * n);
    this.varF = new Uint32Array(c * n);
    this.total = 0;
    this.gMean = new Int32Array(n);
    this.gMeanF = new Uint16Array(n);
    this.gVarI = new Int32Array(n);
    this.gVarF = new Uint32Array(n);
    this.epsI = new Float64Array(n);
    this.epsF = new Float64Array(n);
    this.scores = new Float64Array(c);
    this.mask = new Uint8Array(c);
    this.pq = new Int32Array(c);
    this.stateBytes = c * 4 + c * n * 14 + 4 + n * 14;
  }

  protected learnQ(x: Int32Array, y: number): void {
    const n = this.nFeatures;
    // Counters saturate; past 2^32 − 1 samples the statistics keep a fixed 1/(2^32 − 1) weight.
    if (this.total < 4294967295) mutable(this).total++;
    K.welford(this.gMean, this.gMeanF, this.gVarI, this.gVarF, 0, x, 0, n, this.total);
    if (this.counts[y] < 4294967295) this.counts[y]++;
    K.welford(this.mean, this.meanF, this.varI, this.varF, y * n, x, 0, n, this.counts[y]);
  }

  /** Joint log-likelihood ln(count_c) + Σ log N(x_i) of every seen class into scores; returns the best class or -1. */
  private score(x: Int32Array): number {
    const n = this.nFeatures;
    smoothingFromVar(this.varSmoothing, this.gVarI, this.gVarF, n, this.epsI, this.epsF);
    let best = -1;
    for (let c = 0; c < this.nClasses; c++) {
      this.mask[c] = this.counts[c] > 0 ? 1 : 0;
      if (this.mask[c] === 0) continue;
      const s = lnUnits(this.counts[c], 0) + gaussLogLik(this.mean, this.meanF, this.varI, this.varF, c * n, x, n, this.epsI, this.epsF);
      this.scores[c] = s;
      if (best < 0 || s > this.scores[best]) best = c;
    }
    return best;
  }

  /** The class with the largest joint log-likelihood (first on ties; class 0 before any sample). */
  protected predictQ(x: Int32Array): number {
    const b = this.score(x);
    return b < 0 ? 0 : b;
  }

  /** Posterior probabilities, Q16.16 (0 for unseen classes; uniform before any sample). */
  protected override probaQ(x: Int32Array): Int32Array {
    this.score(x);
    return softmaxQ(this.scores, this.nClasses, this.mask, this.pq);
  }

  /** Per-class means as real numbers (class c: entries c·nFeatures …). */
  means(): Float64Array {
    const r = new Float64Array(this.mean.length);
    for (let i = 0; i < r.length; i++) r[i] = (this.mean[i] * 65536 + this.meanF[i]) / 4294967296;
    return r;
  }

  /** Per-class population variances as real numbers. */
  variances(): Float64Array {
    const r = new Float64Array(this.varI.length);
    for (let i = 0; i < r.length; i++) r[i] = this.varI[i] + this.varF[i] / 4294967296;
    return r;
  }

  /** @internal */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.nClasses);
    w.i32(this.varSmoothing);
    w.u32(this.total);
    w.u32s(this.counts);
    w.i32s(this.mean);
    w.u16s(this.meanF);
    w.i32s(this.varI);
    w.u32s(this.varF);
    w.i32s(this.gMean);
    w.u16s(this.gMeanF);
    w.i32s(this.gVarI);
    w.u32s(this.gVarF);
  }

  /** @internal */
  static fromReader(r: ByteReader): GaussianNB {
    const n = r.int(1, MAX_FEATURES);
    const c = r.int(2, MAX_CLASSES);
    const vs = r.int(0, 65536);
    r.need(4 + c * 4 + c * n * 14 + n * 14);
    const m = new GaussianNB({ nFeatures: n, nClasses: c, varSmoothing: vs / 65536 });
    mutable(m).total = r.u32();
    r.u32s(m.counts);
    r.i32s(m.mean);
    r.u16s(m.meanF);
    r.i32s(m.varI);
    r.u32s(m.varF);
    r.i32s(m.gMean);
    r.u16s(m.gMeanF);
    r.i32s(m.gVarI);
    r.u32s(m.gVarF);
    checkVariances(m.varI);
    checkVariances(m.gVarI);
    return m;
  }
}

/** Variances are never negative; a negative one means a corrupt blob. @internal */
export function checkVariances(v: Int32Array): void {
  for (let i = 0; i < v.length; i++) if (v[i] < 0) fail('E_CORRUPT', 'negative variance in model data');
}
