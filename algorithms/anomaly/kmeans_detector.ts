/**
 * KMeansDetector: the anomaly score is the squared distance to the nearest
 * centroid of an online k-means, per feature.
 */
import { fail } from '../../src/errors.js';
import { POW2, Q_MAX, floorDiv } from '../../src/fixed.js';
import { ByteReader, ByteWriter, ModelType, openBlob } from '../../src/format.js';
import * as K from '../../src/kernels.js';
import { MAX_FEATURES, checkOptions, mutable, optInt, optReal } from '../../src/learner.js';
import { InputScale, ScaledVector, toDistanceInput } from '../../src/range.js';
import { KMeans, MAX_CLUSTERS, nearestRow, nearestShift } from '../kmeans.js';
import { CalibrationOptions, Calibrator } from './calibrator.js';
import { alignedShared, checkModels } from '../../src/merge.js';
import { Detector } from './detector.js';

/** Options of {@link KMeansDetector}. */
export interface KMeansDetectorOptions extends CalibrationOptions {
  nFeatures: number;
  /** Number of centroids (default 8). */
  k?: number;
  /** Forgetting of the k-means (see KMeans `decay`; default 0). */
  decay?: number;
}

/**
 * Headroom of the detector's input scale: learned values within ±2^22
 * (±64 in Q16.16 units), so the score of a learned sample (a mean squared
 * distance below (2·64)²) always fits Q16.16.
 */
const DETECTOR_HEADROOM = 22;

/**
 * Anomaly score = squared Euclidean distance to the nearest centroid of an
 * online k-means, divided by nFeatures. Features should share a scale (put a
 * StandardScaler in front in a Pipeline). Raw sensor ranges are taken with
 * one input exponent e (src/range.ts): the score is then in units of 4^e
 * (`inputExponent()`), and so is the threshold. An input too far to compare
 * gets the maximal score (32768).
 *
 * @example
 * const d = new KMeansDetector({ nFeatures: 2, k: 2 });
 * for (let i = 0; i < 400; i++) d.learnOne(i % 2 ? [0, 0.1 * Math.sin(i)] : [5, 5 + 0.1 * Math.cos(i)]);
 * d.isAnomaly([0, 0]);     // false
 * d.isAnomaly([2.5, 2.5]); // true
 */
export class KMeansDetector extends Detector<ScaledVector> {
  static readonly modelType = ModelType.KMeansDetector;
  /** merge pools the models' samples/statistics: a fleet merges each device's own-data model, see docs/fleet.md. */
  static readonly mergeKind = 'statistics';
  readonly k: number;
  readonly stateBytes: number;
  /** @internal */ readonly km: KMeans;
  /** @internal the k-means' input scale */ protected declare readonly scale: InputScale;
  private readonly dist: Int32Array;

  /** @param km @internal a decoded k-means with these options, adopted instead of a new one (load) */
  constructor(opts: KMeansDetectorOptions, km?: KMeans) {
    const o = checkOptions(opts);
    super(optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES), o);
    const n = this.nFeatures;
    const k = (this.k = optInt(o, 'k', 8, 1, Math.min(MAX_CLUSTERS, Math.floor(16777216 / n))));
    const decay = optReal(o, 'decay', 0, 0, 1) / 65536;
    this.km = km !== undefined ? km : new KMeans({ nFeatures: n, k: k, decay: decay }, DETECTOR_HEADROOM);
    this.scale = this.km.scale;
    this.dist = new Int32Array(k);
    this.stateBytes = this.km.stateBytes + Calibrator.BYTES;
  }

  protected learnQ(x: Int32Array): void {
    this.cal.add(this.scoreQ(x));
    this.km.learnQ(x);
  }

  /** @internal The input exponent grew by d: centroids shrink by 2^d, scores (squared distances) by 4^d. */
  override rescale(i: number, d: number): void {
    this.km.rescale(0, d);
    this.cal.rescale(2 * d);
  }

  /** The input exponent e: scores are squared distances in units of 4^e (docs/fixed-point.md, "Raw ranges"). */
  inputExponent(): number {
    return this.scale.exps[0];
  }

  /** Drift: below the gate, the nearest centroid learns x (it follows drift only with the k-means `decay` option). */
  protected adaptQ(x: ScaledVector, s: number): void {
    if (s >= this.cal.adaptGate()) return;
    // scoreQ left x in the scale's integer buffer; a value beyond the learned range would need a rescale (and is not normal)
    const xi = this.scale.ints();
    const lim = POW2[this.scale.headroom];
    for (let i = 0; i < this.nFeatures; i++) if (xi[i] >= lim || xi[i] <= -lim) return;
    this.km.learnQ(xi);
  }

  protected scoreQ(x: ArrayLike<number>): number {
    const rows = this.km.filled;
    if (rows === 0) return 0;
    const n = this.nFeatures;
    const xi = this.scale.ints(); // may be x itself (a learned sample): the copy is then a no-op
    const j = toDistanceInput(x, n, xi) ? nearestRow(this.km.c, rows, n, xi, this.dist) : -1;
    if (j < 0) return Q_MAX; // too far to compare: the maximal score
    const v = floorDiv(2 * this.dist[j] * POW2[nearestShift()] + n, 2 * n);
    return v > Q_MAX ? Q_MAX : v;
  }

  /** @internal Payload: `u32 length` and the complete KMeans blob, then the calibrator. */
  write(w: ByteWriter): void {
    const b = this.km.toBytes();
    w.u32(b.length);
    w.u8s(b);
    this.cal.write(w);
  }

  /**
   * Merges detectors: the k-means as {@link KMeans.merge} (weighted centroid
   * matching, counts added) and the threshold calibrations as GaussianScorer
   * does (histograms added bin by bin, the largest maximum). A model in a
   * smaller input exponent is merged from a rescaled copy (centroids and its
   * histogram of squared distances). Each histogram holds the scores its
   * device saw under its own centroids: the merged threshold is the union's
   * quantile of those, an approximation where the devices' centroids differ.
   * Same nFeatures, k, decay and calibration options (E_SHAPE); weights do
   * not apply (E_INPUT). Independent of the order of the models.
   */
  static merge(models: ReadonlyArray<KMeansDetector>, weights?: ArrayLike<number>): KMeansDetector {
    checkModels(models, KMeansDetector);
    if (weights !== undefined) fail('E_INPUT', 'KMeansDetector merges by its clusters\' counts: weights do not apply');
    const kms: KMeans[] = [];
    for (let i = 0; i < models.length; i++) kms.push(models[i].km);
    KMeans.sameOptions(kms);
    const a = alignedShared(models, exponentsOf, function (m) {
      return KMeansDetector.fromBytes(m.toBytes());
    });
    const out = KMeansDetector.fromBytes(a[0].toBytes());
    const cals: Calibrator[] = [];
    for (let i = 0; i < a.length; i++) {
      kms[i] = a[i].km;
      cals.push(a[i].cal);
    }
    out.cal.mergeFrom(cals);
    KMeans.pool(out.km, kms);
    return out;
  }

  /** @internal */
  static fromReader(r: ByteReader): KMeansDetector {
    const len = r.u32();
    r.need(len);
    if (len < 17 || r.bytes[r.pos + 5] !== ModelType.KMeans) fail('E_CORRUPT', 'KMeansDetector without its k-means');
    const inner = openBlob(r.bytes, r.pos, r.pos + len);
    if (inner.end + 4 !== r.pos + len) fail('E_CORRUPT', 'bad nested k-means length');
    const km = KMeans.fromReader(inner, null, DETECTOR_HEADROOM);
    inner.done();
    r.pos += len;
    const o: { [k: string]: unknown } = { nFeatures: km.nFeatures, k: km.k, decay: km.decay / 65536 };
    Calibrator.readOptions(r, o);
    const m = new KMeansDetector(o as unknown as KMeansDetectorOptions, km);
    m.cal.readState(r);
    return m;
  }
}

/** The one input exponent of a detector (its k-means'), as alignedShared wants it. */
function exponentsOf(m: KMeansDetector): Uint8Array {
  return m.km.scale.exps;
}
