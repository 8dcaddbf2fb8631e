/**
 * On-device anomaly detection: learn "normal" from a sensor stream, then
 * answer "OK" or "anomaly" without sending raw data anywhere.
 *
 * Three detectors share the anomaly protocol (learnOne(x), scoreOne(x):
 * higher = more anomalous) and a threshold calibrated from the learned data
 * ({@link Calibrator}): isAnomaly(x) and similarity(x) in 0..100.
 *
 * - GaussianScorer: mean squared per-feature z-score (running Welford mean and variance).
 * - KMeansDetector: squared distance to the nearest centroid of an online k-means.
 * - HalfSpaceTrees: streaming half-space trees (Tan, Ting & Liu 2011), as in River.
 *
 * Details and measured results: docs/anomaly.md.
 */
import { fail } from '../src/errors.js';
import { Q_MAX, Q_ONE, div, floorDiv, fromQ, mul, POW2 } from '../src/fixed.js';
import { ByteReader, ByteWriter, ModelType, encode, openBlob } from '../src/format.js';
import { K } from '../src/kernels.js';
import { AnomalyDetector, MAX_FEATURES, checkOptions, checkVectorQ, optInt, optReal, readVector } from '../src/learner.js';
import { stdFromVar } from '../src/preprocessing.js';
import { KMeans, MAX_CLUSTERS } from './kmeans.js';

/** Threshold options shared by every detector. */
export interface CalibrationOptions {
  /**
   * Which quantile of the learned scores is the reference, 0.5..1 (default 1:
   * the largest score seen on learned data). Below 1 it is read from a
   * 93-bin logarithmic histogram (4 bins per octave, linear within a bin).
   */
  quantile?: number;
  /**
   * Sensitivity knob: threshold = margin × reference quantile, 0.01..1000
   * (default 1.5). Smaller flags more (fewer missed anomalies, more false
   * alarms); larger flags less.
   */
  margin?: number;
  /** Learned samples whose score is not recorded while the model is still immature (default 16). */
  warmup?: number;
}

/** Bins of the score histogram: [0, 2^-8), then 4 per octave up to 2^15. */
export const CAL_BINS = 93;

/** Histogram bin of a non-negative Q16.16 score. */
function binOf(s: number): number {
  if (s < 256) return 0;
  let e = 8;
  while (e < 30 && POW2[e + 1] <= s) e++;
  return 1 + (e - 8) * 4 + (Math.floor(s / POW2[e - 2]) - 4);
}

/** Lower edge of bin b (Q16.16); the upper edge is binLo(b + 1). */
function binLo(b: number): number {
  if (b === 0) return 0;
  const e = 8 + Math.floor((b - 1) / 4);
  return (4 + ((b - 1) % 4)) * POW2[e - 2];
}

/**
 * Running high quantile of the scores of learned samples, for the
 * automatic threshold: a bounded histogram of Uint16 counts (halved when one
 * would overflow, which also slowly forgets old scores) plus the exact max.
 */
export class Calibrator {
  /** Q16.16 */
  readonly quantile: number;
  /** Q16.16 */
  readonly margin: number;
  readonly warmup: number;
  /** @internal */ readonly hist: Uint16Array;
  /** Scores recorded (after halvings: the histogram's total). */
  total: number;
  /** Largest recorded score (Q16.16). */
  max: number;
  /** Learned samples seen, saturating at `warmup`. */
  seen: number;
  /** Bytes of state: histogram, max, seen. */
  static readonly BYTES = CAL_BINS * 2 + 8;

  constructor(o: { [k: string]: unknown }) {
    this.quantile = optReal(o, 'quantile', 1, 0.5, 1);
    this.margin = optReal(o, 'margin', 1.5, 0.01, 1000);
    this.warmup = optInt(o, 'warmup', 16, 0, 1000000);
    this.hist = new Uint16Array(CAL_BINS);
    this.total = 0;
    this.max = 0;
    this.seen = 0;
  }

  /** Records the score of a learned sample (ignored during warm-up). */
  add(s: number): void {
    if (this.seen < this.warmup) {
      this.seen++;
      return;
    }
    if (s < 0) s = 0;
    const b = binOf(s);
    if (this.hist[b] === 65535) {
      let t = 0;
      for (let i = 0; i < CAL_BINS; i++) {
        this.hist[i] = this.hist[i] >> 1;
        t += this.hist[i];
      }
      this.total = t;
    }
    this.hist[b]++;
    this.total++;
    if (s > this.max) this.max = s;
  }

  /** The q-quantile (Q16.16) of the recorded scores, q in Q16.16; 0 if none. */
  quantileOf(q: number): number {
    if (this.total === 0) return 0;
    if (q >= Q_ONE) return this.max;
    const r = q * this.total; // rank in 2^-16 units
    let cum = 0;
    for (let b = 0; b < CAL_BINS; b++) {
      const c = this.hist[b] * 65536;
      if (c > 0 && cum + c > r) {
        const lo = binLo(b);
        const hi = b + 1 < CAL_BINS ? binLo(b + 1) : Q_MAX;
        const frac = floorDiv(r - cum, this.hist[b]); // 0 .. 65535
        const v = lo + floorDiv((hi - lo) * frac, 65536);
        return v < this.max ? v : this.max;
      }
      cum += c;
    }
    return this.max;
  }

  /** The anomaly threshold (Q16.16); throws E_STATE before any score was recorded. */
  threshold(): number {
    if (this.total === 0) fail('E_STATE', 'no learned data yet: learn normal samples before asking for anomalies');
    return mul(this.quantileOf(this.quantile), this.margin);
  }

  /**
   * 0..100: 100 up to the median learned score, 50 exactly at the threshold,
   * falling toward 0 beyond it (100 / (1 + (s − median) / (threshold − median))).
   */
  similarity(s: number): number {
    const t = this.threshold();
    const m = this.quantileOf(32768);
    if (s <= m) return 100;
    const span = t > m ? t - m : 1;
    const d = div(s - m > Q_MAX ? Q_MAX : s - m, span);
    return floorDiv(2 * 100 * 65536 + (65536 + d), 2 * (65536 + d));
  }

  /** `i32 quantile`, `i32 margin` (Q16.16), `u32 warmup`, `u32 seen`, `i32 max`, `u16[93] histogram`. */
  write(w: ByteWriter): void {
    w.i32(this.quantile);
    w.i32(this.margin);
    w.u32(this.warmup);
    w.u32(this.seen);
    w.i32(this.max);
    w.u16s(this.hist);
  }

  /** Options as written by {@link write} (for the detector's constructor). */
  static readOptions(r: ByteReader, o: { [k: string]: unknown }): void {
    o.quantile = r.int(32768, 65536) / 65536;
    o.margin = r.int(655, 1000 * 65536) / 65536;
    o.warmup = r.int(0, 1000000);
  }

  readState(r: ByteReader): void {
    this.seen = r.int(0, this.warmup);
    this.max = r.int(0, Q_MAX);
    r.u16s(this.hist);
    let t = 0;
    for (let i = 0; i < CAL_BINS; i++) t += this.hist[i];
    if (t > 0 && this.seen < this.warmup) fail('E_CORRUPT', 'scores recorded during warm-up');
    if (t === 0 && this.max !== 0) fail('E_CORRUPT', 'threshold maximum without scores');
    this.total = t;
  }
}

/** Protocol helpers every detector below shares (composition, not inheritance). */
interface Scoring {
  readonly nFeatures: number;
  readonly cal: Calibrator;
  scoreOneQ(x: Int32Array): number;
}

function isAnomalyQ(d: Scoring, x: Int32Array): boolean {
  const s = d.scoreOneQ(x);
  return s > d.cal.threshold();
}

// ---- GaussianScorer -----------------------------------------------------------

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
export class GaussianScorer implements AnomalyDetector {
  readonly nFeatures: number;
  readonly stateBytes: number;
  /** Q16.16 */
  readonly minStd: number;
  /** Samples learned (saturates at 2^32 − 1). */
  count: number;
  /** @internal */ readonly mean: Int32Array;
  /** @internal */ readonly meanF: Uint16Array;
  /** @internal */ readonly varI: Int32Array;
  /** @internal */ readonly varF: Uint32Array;
  /** @internal */ readonly cal: Calibrator;
  private readonly std: Int32Array;
  private stdValid: boolean;
  private readonly z: Int32Array;
  private readonly xq: Int32Array;

  constructor(opts: GaussianScorerOptions) {
    const o = checkOptions(opts);
    const n = (this.nFeatures = optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES));
    this.minStd = optReal(o, 'minStd', 1 / 65536, 1 / 65536, 32767);
    this.cal = new Calibrator(o);
    this.count = 0;
    this.mean = new Int32Array(n);
    this.meanF = new Uint16Array(n);
    this.varI = new Int32Array(n);
    this.varF = new Uint32Array(n);
    this.std = new Int32Array(n);
    this.stdValid = false;
    this.z = new Int32Array(n);
    this.xq = new Int32Array(n);
    this.stateBytes = 4 + n * 14 + Calibrator.BYTES;
  }

  learnOne(x: ArrayLike<number>): void {
    this.learnOneQ(readVector(x, this.nFeatures, this.xq));
  }

  scoreOne(x: ArrayLike<number>): number {
    return fromQ(this.scoreOneQ(readVector(x, this.nFeatures, this.xq)));
  }

  /** True if x scores above the calibrated threshold (E_STATE before enough learned data). */
  isAnomaly(x: ArrayLike<number>): boolean {
    return isAnomalyQ(this, readVector(x, this.nFeatures, this.xq));
  }

  isAnomalyQ(x: Int32Array): boolean {
    return isAnomalyQ(this, x);
  }

  /** 0..100 (50 = at the threshold); see {@link Calibrator.similarity}. */
  similarity(x: ArrayLike<number>): number {
    return this.cal.similarity(this.scoreOneQ(readVector(x, this.nFeatures, this.xq)));
  }

  /** The current threshold on scoreOne (real number). */
  threshold(): number {
    return fromQ(this.cal.threshold());
  }

  learnOneQ(x: Int32Array): void {
    checkVectorQ(x, this.nFeatures);
    this.cal.add(this.scoreOneQ(x));
    if (this.count < 4294967295) this.count++;
    K.welford(this.mean, this.meanF, this.varI, this.varF, 0, x, 0, this.nFeatures, this.count);
    this.stdValid = false;
  }

  scoreOneQ(x: Int32Array): number {
    checkVectorQ(x, this.nFeatures);
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
   * Payload: `u32 nFeatures`, `i32 minStd`, calibrator, `u32 count`, `i32[n] mean`, `u16[n] meanF`,
   * `i32[n] varI`, `u32[n] varF` (as StandardScaler).
   */
  toBytes(): Uint8Array {
    const m = this;
    return encode(ModelType.GaussianScorer, function (w) {
      w.u32(m.nFeatures);
      w.i32(m.minStd);
      m.cal.write(w);
      w.u32(m.count);
      w.i32s(m.mean);
      w.u16s(m.meanF);
      w.i32s(m.varI);
      w.u32s(m.varF);
    });
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
    m.count = r.u32();
    r.i32s(m.mean);
    r.u16s(m.meanF);
    r.i32s(m.varI);
    r.u32s(m.varF);
    return m;
  }
}

// ---- KMeansDetector -----------------------------------------------------------

/** Options of {@link KMeansDetector}. */
export interface KMeansDetectorOptions extends CalibrationOptions {
  nFeatures: number;
  /** Number of centroids (default 8). */
  k?: number;
  /** Forgetting of the k-means (see KMeans `decay`; default 0). */
  decay?: number;
}

/**
 * Anomaly score = squared Euclidean distance to the nearest centroid of an
 * online k-means, divided by nFeatures. Features should share a scale (put a
 * StandardScaler in front in a Pipeline).
 *
 * @example
 * const d = new KMeansDetector({ nFeatures: 2, k: 2 });
 * for (let i = 0; i < 400; i++) d.learnOne(i % 2 ? [0, 0.1 * Math.sin(i)] : [5, 5 + 0.1 * Math.cos(i)]);
 * d.isAnomaly([0, 0]);     // false
 * d.isAnomaly([2.5, 2.5]); // true
 */
export class KMeansDetector implements AnomalyDetector {
  readonly nFeatures: number;
  readonly k: number;
  readonly stateBytes: number;
  /** @internal */ readonly km: KMeans;
  /** @internal */ readonly cal: Calibrator;
  private readonly dist: Int32Array;
  private readonly xq: Int32Array;

  constructor(opts: KMeansDetectorOptions) {
    const o = checkOptions(opts);
    const n = (this.nFeatures = optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES));
    const k = (this.k = optInt(o, 'k', 8, 1, Math.min(MAX_CLUSTERS, Math.floor(16777216 / n))));
    this.km = new KMeans({ nFeatures: n, k: k, decay: optReal(o, 'decay', 0, 0, 1) / 65536 });
    this.cal = new Calibrator(o);
    this.dist = new Int32Array(k);
    this.xq = new Int32Array(n);
    this.stateBytes = this.km.stateBytes + Calibrator.BYTES;
  }

  learnOne(x: ArrayLike<number>): void {
    this.learnOneQ(readVector(x, this.nFeatures, this.xq));
  }

  scoreOne(x: ArrayLike<number>): number {
    return fromQ(this.scoreOneQ(readVector(x, this.nFeatures, this.xq)));
  }

  isAnomaly(x: ArrayLike<number>): boolean {
    return isAnomalyQ(this, readVector(x, this.nFeatures, this.xq));
  }

  isAnomalyQ(x: Int32Array): boolean {
    return isAnomalyQ(this, x);
  }

  similarity(x: ArrayLike<number>): number {
    return this.cal.similarity(this.scoreOneQ(readVector(x, this.nFeatures, this.xq)));
  }

  threshold(): number {
    return fromQ(this.cal.threshold());
  }

  learnOneQ(x: Int32Array): void {
    checkVectorQ(x, this.nFeatures);
    this.cal.add(this.scoreOneQ(x));
    this.km.learnOneQ(x);
  }

  scoreOneQ(x: Int32Array): number {
    checkVectorQ(x, this.nFeatures);
    const rows = this.km.filled;
    if (rows === 0) return 0;
    const n = this.nFeatures;
    K.sqdistMany(this.km.c, rows, n, x, 0, 0, this.dist);
    const d = this.dist[K.argmin(this.dist, 0, rows)];
    return floorDiv(2 * d + n, 2 * n);
  }

  /** Payload: `u32 length` and the complete KMeans blob, then the calibrator. */
  toBytes(): Uint8Array {
    const m = this;
    return encode(ModelType.KMeansDetector, function (w) {
      const b = m.km.toBytes();
      w.u32(b.length);
      w.u8s(b);
      m.cal.write(w);
    });
  }

  /** @internal */
  static fromReader(r: ByteReader): KMeansDetector {
    const len = r.u32();
    r.need(len);
    if (len < 17 || r.bytes[r.pos + 5] !== ModelType.KMeans) fail('E_CORRUPT', 'KMeansDetector without its k-means');
    const inner = openBlob(r.bytes, r.pos, r.pos + len);
    if (inner.end + 4 !== r.pos + len) fail('E_CORRUPT', 'bad nested k-means length');
    const km = KMeans.fromReader(inner);
    inner.done();
    r.pos += len;
    const o: { [k: string]: unknown } = { nFeatures: km.nFeatures, k: km.k, decay: km.decay / 65536 };
    Calibrator.readOptions(r, o);
    const m = new KMeansDetector(o as unknown as KMeansDetectorOptions);
    m.cal.readState(r);
    m.km.c.set(km.c);
    m.km.cf.set(km.cf);
    m.km.counts.set(km.counts);
    m.km.filled = km.filled;
    return m;
  }
}

// ---- HalfSpaceTrees -----------------------------------------------------------

/** Options of {@link HalfSpaceTrees}. */
export interface HalfSpaceTreesOptions extends CalibrationOptions {
  /** Input width, 1..1024. Features are expected in about [0, 1] (MinMaxScaler in front). */
  nFeatures: number;
  /** Number of trees, 1..64 (default 8). */
  nTrees?: number;
  /** Depth of every tree, 1..12 (default 6). */
  height?: number;
  /** Samples per mass window, 2..65535 (default 128). */
  windowSize?: number;
  /** Seed of the random splits (default 1). */
  seed?: number;
}

/**
 * Streaming half-space trees. Every tree splits a random workspace around
 * [0, 1] in half along random features; each node counts the learned samples
 * that reach it in the current window, and the counts of the last full window
 * are the reference. With mass = Σ_trees Σ_path mass·2^depth as in River,
 * the score is (max − mass) / mass: River's 1 − mass/max re-expressed as odds,
 * so that the threshold margin is a ratio as for the other detectors
 * (higher = fewer reference samples nearby = more anomalous).
 *
 * Splits are a pure function of the seed, so they are recomputed when a model
 * is loaded and only the masses are state: nTrees · (2^(height+1) − 1) · 4 bytes.
 *
 * @example
 * const h = new HalfSpaceTrees({ nFeatures: 2, windowSize: 64, seed: 7 });
 * for (let i = 0; i < 256; i++) h.learnOne([0.5 + 0.05 * Math.sin(i), 0.5 + 0.05 * Math.cos(i)]);
 * h.scoreOne([0.5, 0.52]) < h.scoreOne([0.95, 0.05]); // true
 */
export class HalfSpaceTrees implements AnomalyDetector {
  readonly nFeatures: number;
  readonly nTrees: number;
  readonly height: number;
  readonly windowSize: number;
  readonly seed: number;
  readonly stateBytes: number;
  /** Samples learned in the current window. */
  inWindow: number;
  /** Completed windows (saturates at 2^32 − 1); scores exist from the first one on. */
  windows: number;
  /** @internal masses of the current window, tree t at t·nodes */
  readonly lMass: Uint16Array;
  /** @internal masses of the reference window */
  readonly rMass: Uint16Array;
  /** @internal */ readonly cal: Calibrator;
  private readonly nodes: number;
  private readonly mix: number;
  private readonly sizeLimit: number;
  private readonly maxScore: number;
  /** Centre of each tree's workspace per feature (Q16.16 in [0, 1)). */
  private readonly centre: Int32Array;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private readonly xq: Int32Array;

  constructor(opts: HalfSpaceTreesOptions) {
    const o = checkOptions(opts);
    const n = (this.nFeatures = optInt(o, 'nFeatures', undefined, 1, 1024));
    const t = (this.nTrees = optInt(o, 'nTrees', 8, 1, 64));
    const h = (this.height = optInt(o, 'height', 6, 1, 12));
    const w = (this.windowSize = optInt(o, 'windowSize', 128, 2, 65535));
    this.seed = optInt(o, 'seed', 1, -2147483648, 2147483647);
    this.cal = new Calibrator(o);
    this.nodes = POW2[h + 1] - 1;
    this.sizeLimit = Math.floor(w / 10) > 1 ? Math.floor(w / 10) : 1;
    this.maxScore = t * w * this.nodes;
    this.inWindow = 0;
    this.windows = 0;
    this.lMass = new Uint16Array(t * this.nodes);
    this.rMass = new Uint16Array(t * this.nodes);
    this.centre = new Int32Array(t * n);
    let s = (this.seed ^ 0x5bd1e995) | 0;
    if (s === 0) s = 0x6d2b79f5;
    for (let i = 0; i < 8; i++) s = xorshift(s);
    this.mix = s;
    for (let i = 0; i < t * n; i++) {
      s = xorshift(s);
      this.centre[i] = s >>> 16;
    }
    this.lo = new Int32Array(n);
    this.hi = new Int32Array(n);
    this.xq = new Int32Array(n);
    this.stateBytes = 8 + 2 * t * this.nodes * 2 + Calibrator.BYTES;
  }

  learnOne(x: ArrayLike<number>): void {
    this.learnOneQ(readVector(x, this.nFeatures, this.xq));
  }

  scoreOne(x: ArrayLike<number>): number {
    return fromQ(this.scoreOneQ(readVector(x, this.nFeatures, this.xq)));
  }

  isAnomaly(x: ArrayLike<number>): boolean {
    return isAnomalyQ(this, readVector(x, this.nFeatures, this.xq));
  }

  isAnomalyQ(x: Int32Array): boolean {
    return isAnomalyQ(this, x);
  }

  similarity(x: ArrayLike<number>): number {
    return this.cal.similarity(this.scoreOneQ(readVector(x, this.nFeatures, this.xq)));
  }

  threshold(): number {
    return fromQ(this.cal.threshold());
  }

  /** Feature split at heap node `node` of tree t (a hash of seed, tree and node). */
  private feature(t: number, node: number): number {
    // odd input: never the all-zero state xorshift cannot leave
    const s = xorshift(xorshift(xorshift(xorshift((this.mix ^ (t << 20) ^ (node << 1)) | 1))));
    return (s >>> 0) % this.nFeatures;
  }

  /** Resets the workspace of tree t: centre c, half-width r = 2·max(c, 1 − c). */
  private resetWorkspace(t: number): void {
    const n = this.nFeatures;
    for (let i = 0; i < n; i++) {
      const c = this.centre[t * n + i];
      const r = 2 * (c > Q_ONE - c ? c : Q_ONE - c);
      this.lo[i] = c - r;
      this.hi[i] = c + r;
    }
  }

  /** Walks tree t for x; calls back per node (learn adds mass, score sums it). Returns the leaf-or-stop contribution. */
  private walk(t: number, x: Int32Array, learn: boolean): number {
    this.resetWorkspace(t);
    const base = t * this.nodes;
    let node = 0;
    let sum = 0;
    for (let d = 0; ; d++) {
      if (learn) {
        if (this.lMass[base + node] < 65535) this.lMass[base + node]++;
      } else {
        const r = this.rMass[base + node];
        sum += r * POW2[d];
        if (r < this.sizeLimit) return sum;
      }
      if (d === this.height) return sum;
      const f = this.feature(t, node);
      const mid = Math.floor((this.lo[f] + this.hi[f]) / 2);
      if (x[f] < mid) {
        this.hi[f] = mid;
        node = 2 * node + 1;
      } else {
        this.lo[f] = mid;
        node = 2 * node + 2;
      }
    }
  }

  learnOneQ(x: Int32Array): void {
    checkVectorQ(x, this.nFeatures);
    if (this.windows > 0) this.cal.add(this.scoreOneQ(x));
    for (let t = 0; t < this.nTrees; t++) this.walk(t, x, true);
    this.inWindow++;
    if (this.inWindow === this.windowSize) {
      const m = this.lMass.length;
      for (let i = 0; i < m; i++) {
        this.rMass[i] = this.lMass[i];
        this.lMass[i] = 0;
      }
      this.inWindow = 0;
      if (this.windows < 4294967295) this.windows++;
    }
  }

  /**
   * Q16.16 score (max − mass) / mass, where mass = Σ_trees Σ_path rMass·2^depth
   * and max is its largest possible value; 0 until the first window is complete.
   */
  scoreOneQ(x: Int32Array): number {
    checkVectorQ(x, this.nFeatures);
    if (this.windows === 0) return 0;
    let total = 0;
    for (let t = 0; t < this.nTrees; t++) total += this.walk(t, x, false);
    if (total === 0) return Q_MAX;
    const v = floorDiv(2 * (this.maxScore - total) * 65536 + total, 2 * total);
    return v > Q_MAX ? Q_MAX : v;
  }

  /**
   * Payload: `u32 nFeatures`, `u32 nTrees`, `u32 height`, `u32 windowSize`, `i32 seed`, calibrator,
   * `u32 inWindow`, `u32 windows`, `u16[nTrees·nodes] lMass`, `u16[nTrees·nodes] rMass`.
   */
  toBytes(): Uint8Array {
    const m = this;
    return encode(ModelType.HalfSpaceTrees, function (w) {
      w.u32(m.nFeatures);
      w.u32(m.nTrees);
      w.u32(m.height);
      w.u32(m.windowSize);
      w.i32(m.seed);
      m.cal.write(w);
      w.u32(m.inWindow);
      w.u32(m.windows);
      for (let i = 0; i < m.lMass.length; i++) w.u16(m.lMass[i]);
      for (let i = 0; i < m.rMass.length; i++) w.u16(m.rMass[i]);
    });
  }

  /** @internal */
  static fromReader(r: ByteReader): HalfSpaceTrees {
    const o: { [k: string]: unknown } = {};
    o.nFeatures = r.int(1, 1024);
    const t = (o.nTrees = r.int(1, 64));
    const h = (o.height = r.int(1, 12));
    const w = (o.windowSize = r.int(2, 65535));
    o.seed = r.i32();
    Calibrator.readOptions(r, o);
    const nodes = POW2[h + 1] - 1;
    const m = new HalfSpaceTrees(o as unknown as HalfSpaceTreesOptions);
    m.cal.readState(r);
    m.inWindow = r.int(0, w - 1);
    m.windows = r.u32();
    r.need(4 * t * nodes);
    r.u16s(m.lMass);
    r.u16s(m.rMass);
    // every learned sample passes every root: the masses must agree with the counters
    for (let i = 0; i < t; i++) {
      if (m.lMass[i * nodes] !== m.inWindow || m.rMass[i * nodes] !== (m.windows > 0 ? w : 0)) fail('E_CORRUPT', 'half-space tree masses do not match the window counters');
    }
    for (let i = 0; i < t * nodes; i++) if (m.lMass[i] > w || m.rMass[i] > w) fail('E_CORRUPT', 'half-space tree mass above the window size');
    return m;
  }
}

/** One xorshift32 step on an int32 (shifts and xors only: the same on every engine). */
function xorshift(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x | 0;
}
