/**
 * KMeansDetector: the anomaly score is the squared distance to the nearest
 * centroid of an online k-means, per feature.
 */
import { fail } from '../../src/errors.js';
import { floorDiv } from '../../src/fixed.js';
import { ByteReader, ByteWriter, ModelType, openBlob } from '../../src/format.js';
import * as K from '../../src/kernels.js';
import { MAX_FEATURES, checkOptions, mutable, optInt, optReal } from '../../src/learner.js';
import { KMeans, MAX_CLUSTERS } from '../kmeans.js';
import { CalibrationOptions, Calibrator } from './calibrator.js';
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
export class KMeansDetector extends Detector {
  static readonly modelType = ModelType.KMeansDetector;
  readonly k: number;
  readonly stateBytes: number;
  /** @internal */ readonly km: KMeans;
  private readonly dist: Int32Array;

  constructor(opts: KMeansDetectorOptions) {
    const o = checkOptions(opts);
    super(optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES), o);
    const n = this.nFeatures;
    const k = (this.k = optInt(o, 'k', 8, 1, Math.min(MAX_CLUSTERS, Math.floor(16777216 / n))));
    this.km = new KMeans({ nFeatures: n, k: k, decay: optReal(o, 'decay', 0, 0, 1) / 65536 });
    this.dist = new Int32Array(k);
    this.stateBytes = this.km.stateBytes + Calibrator.BYTES;
  }

  protected learnQ(x: Int32Array): void {
    this.cal.add(this.scoreQ(x));
    this.km.learnOneQ(x);
  }

  /** Drift: below the gate, the nearest centroid learns x (it follows drift only with the k-means `decay` option). */
  protected adaptQ(x: Int32Array, s: number): void {
    if (s < this.cal.adaptGate()) this.km.learnOneQ(x);
  }

  protected scoreQ(x: Int32Array): number {
    const rows = this.km.filled;
    if (rows === 0) return 0;
    const n = this.nFeatures;
    K.sqdistMany(this.km.c, rows, n, x, 0, 0, this.dist);
    const d = this.dist[K.argmin(this.dist, 0, rows)];
    return floorDiv(2 * d + n, 2 * n);
  }

  /** @internal Payload: `u32 length` and the complete KMeans blob, then the calibrator. */
  write(w: ByteWriter): void {
    const b = this.km.toBytes();
    w.u32(b.length);
    w.u8s(b);
    this.cal.write(w);
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
    mutable(m.km).filled = km.filled;
    return m;
  }
}

