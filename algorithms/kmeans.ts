/**
 * Sequential (online) k-means. Each sample moves its nearest centroid toward
 * it by 1/count of that cluster (the running mean of the samples it won), or
 * by `decay` once 1/count is smaller, so that centroids can follow drift.
 * The first k distinct samples seed the centroids, so the result depends only
 * on the stream. Memory: k · nFeatures wide centroids plus k counters.
 */
import { fail } from '../src/errors.js';
import { POW2, Q_MAX } from '../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../src/format.js';
import * as K from '../src/kernels.js';
import { Learner, MAX_FEATURES, checkOptions, mutable, optInt, optReal } from '../src/learner.js';
import { DISTANCE_LIMIT, InputScale, ScaledVector, distanceHeadroom, shiftWide, toDistanceInput } from '../src/range.js';
import { WeightedMean, alignedShared, checkModels, same } from '../src/merge.js';

/** Options of {@link KMeans}. */
export interface KMeansOptions {
  /** Input width. */
  nFeatures: number;
  /** Number of clusters (default 3), 1..4096. */
  k?: number;
  /**
   * Smallest step toward a new sample, in 0..1 (default 0: plain running
   * means, no forgetting). With decay d > 0 a cluster that has won more than
   * 1/d samples moves by d each time: an exponential forgetting window of
   * about 1/d samples.
   */
  decay?: number;
}

/** Largest number of clusters. */
export const MAX_CLUSTERS = 4096;

/** What a clusterer offers (learnOne takes no label; predictOne returns a cluster index). */
export interface Clusterer {
  readonly nFeatures: number;
  readonly stateBytes: number;
  learnOne(x: ArrayLike<number>): void;
  predictOne(x: ArrayLike<number>): number;
  learnOneQ(x: Int32Array): void;
  predictOneQ(x: Int32Array): number;
  toBytes(): Uint8Array;
}

/** The shift at which the last {@link nearestRow} call found its nearest centroid. */
let lastShift = 0;

/** The shift (0, 8 or 16) of the distances the last {@link nearestRow} call left in `dist`. @internal */
export function nearestShift(): number {
  return lastShift;
}

/**
 * Index of the centroid (among the first `rows`) nearest to x; ties → lowest
 * index. Squared distances are computed at shift 0 and recomputed at 2^-8,
 * 2^-16 scale only while the nearest one saturates (wide-range features);
 * dist holds the distances at {@link nearestShift}(). Returns -1 when even
 * at 2^-16 every distance saturates (x too far to rank the centroids); the
 * headroom of the input scale rules that out for learned samples.
 * @internal
 */
export function nearestRow(c: Int32Array, rows: number, n: number, x: Int32Array, dist: Int32Array): number {
  for (let shift = 0; ; shift += 8) {
    K.sqdistMany.f(c, rows, n, x, 0, shift, dist);
    const j = K.argmin.f(dist, 0, rows);
    lastShift = shift;
    if (dist[j] !== Q_MAX) return j;
    if (shift === 16) return -1;
  }
}

/**
 * Online k-means clustering. Takes raw sensor ranges: all features share one
 * input exponent (src/range.ts), since a Euclidean distance is dominated by
 * the largest features anyway; predicting an input so far away that its
 * distances cannot be compared exactly is E_RANGE.
 *
 * @example
 * const km = new KMeans({ nFeatures: 2, k: 2 });
 * km.learnOne([0, 0]);
 * km.learnOne([10, 10]);
 * km.learnOne([0.5, 0]);
 * km.predictOne([9, 9]); // 1
 * km.centroids();        // Float64Array [0.25, 0, 10, 10]
 */
export class KMeans extends Learner<ScaledVector> implements Clusterer {
  static readonly modelType = ModelType.KMeans;
  /** merge pools statistics (no weights): a fleet merges each device's own-data model (docs/fleet.md). */
  static readonly mergeKind = 'statistics';
  readonly k: number;
  /** Q16.16 */
  readonly decay: number;
  readonly stateBytes: number;
  /** @internal centroid j = c[j·nFeatures …] (+ cf fraction bits: Q16.32) */
  readonly c: Int32Array;
  /** @internal */ readonly cf: Uint16Array;
  /** Samples won by each cluster (saturates at 2^32 − 1). */
  readonly counts: Uint32Array;
  /** Clusters seeded so far (k once k distinct samples were seen). */
  readonly filled: number;
  /** @internal */ declare readonly scale: InputScale;
  /** The learning kernel's scratch: k distances, then x − centroid. */
  private readonly work: Int32Array;
  /** The distances of a prediction (work's first k entries). */
  private readonly dist: Int32Array;
  /** Learned values stay strictly inside ±lim (the input scale's headroom). */
  private readonly lim: number;

  /** @param headroom @internal the input scale's headroom (KMeansDetector keeps its squared distances smaller) */
  constructor(opts: KMeansOptions, headroom?: number) {
    const o = checkOptions(opts);
    super(optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES));
    const n = this.nFeatures;
    const k = (this.k = optInt(o, 'k', 3, 1, Math.min(MAX_CLUSTERS, Math.floor(16777216 / n))));
    this.decay = optReal(o, 'decay', 0, 0, 1);
    this.c = new Int32Array(k * n);
    this.cf = new Uint16Array(k * n);
    this.counts = new Uint32Array(k);
    this.filled = 0;
    this.work = new Int32Array(k + n);
    this.dist = this.work.subarray(0, k);
    const h = distanceHeadroom(n);
    this.scale = new InputScale(n, true, headroom !== undefined && headroom < h ? headroom : h);
    this.lim = POW2[this.scale.headroom];
    this.stateBytes = KMeans.bytesFor(n, k) + 4;
  }

  /** Bytes of state (and of the saved payload after its 16 bytes of hyper-parameters). */
  private static bytesFor(n: number, k: number): number {
    return k * n * 6 + k * 4 + 1;
  }

  /** Learns one sample: once every cluster is seeded, one fused kernel call converts x and learns it. */
  learnOne(x: ArrayLike<number>): void {
    // checkShape's test inline (src/learner.ts): the fused call needs exactly n elements, anything else takes the scale's road
    if (this.filled === this.k && x !== null && x !== undefined && typeof x === 'object' && x.length === this.nFeatures) {
      const s = this.scale;
      if (K.kmeansLearn.f(this.c, this.cf, this.counts, this.k, this.nFeatures, x, s.ints(), s.exps, this.lim, this.decay, this.work) < 0) return;
    }
    // seeding, or an input the kernel rejected (not a number, or a growing exponent): the scale's own road
    this.learnQ(this.learnX(x));
  }

  /** Index of the nearest centroid (0 before any sample): one kernel call converts x and finds it. */
  predictOne(x: ArrayLike<number>): number {
    if (this.filled > 0 && x !== null && x !== undefined && typeof x === 'object' && x.length === this.nFeatures) {
      const s = this.scale;
      const j = K.kmeansNearest.f(this.c, this.filled, this.nFeatures, x, s.ints(), s.exps, DISTANCE_LIMIT, this.dist);
      if (j >= 0) return j;
    }
    // an input the kernel rejected (not a number, beyond the scale, too far to rank): the scale's own road
    return this.predictQ(this.readX(x));
  }

  learnOneQ(x: Int32Array): void {
    this.learnQ(this.learnXQ(x));
  }

  predictOneQ(x: Int32Array): number {
    return this.predictQ(this.readXQ(x));
  }

  /** @internal The input exponent grew by d: every centroid is divided by 2^d. */
  override rescale(i: number, d: number): void {
    for (let j = 0; j < this.c.length; j++) shiftWide(this.c, this.cf, j, d);
  }

  /** The shared input exponent: the model holds x as x·2^(16−e) (docs/fixed-point.md, "Raw ranges"). */
  inputExponent(): number {
    return this.scale.exps[0];
  }

  /** @internal Learns x in internal units. */
  learnQ(x: Int32Array): void {
    const n = this.nFeatures;
    if (this.filled < this.k) {
      // Seeding: a sample equal to a seed joins it (the seed cannot move), any other becomes a new seed.
      for (let j = 0; j < this.filled; j++) {
        if (this.equals(j, x)) {
          if (this.counts[j] < 4294967295) this.counts[j]++;
          return;
        }
      }
      const j = mutable(this).filled++;
      this.c.set(x, j * n);
      for (let i = 0; i < n; i++) this.cf[j * n + i] = 0;
      this.counts[j] = 1;
      return;
    }
    // x and the centroids lie within the headroom: the kernel finds the nearest centroid
    K.kmeansLearn.f(this.c, this.cf, this.counts, this.k, n, x, null, this.scale.exps, this.lim, this.decay, this.work);
  }

  private predictQ(x: ScaledVector): number {
    if (this.filled === 0) return 0;
    const xi = this.scale.ints();
    const j = toDistanceInput(x, this.nFeatures, xi) ? nearestRow(this.c, this.filled, this.nFeatures, xi, this.dist) : -1;
    if (j < 0) fail('E_RANGE', 'input too far from every centroid to rank them (beyond the model\'s input scale)');
    return j;
  }

  private equals(j: number, x: Int32Array): boolean {
    const o = j * this.nFeatures;
    for (let i = 0; i < this.nFeatures; i++) if (this.c[o + i] !== x[i] || this.cf[o + i] !== 0) return false;
    return true;
  }

  /** Centroids as real numbers, row-major (cluster j: entries j·nFeatures …); rows ≥ `filled` are 0. */
  centroids(): Float64Array {
    const out = new Float64Array(this.c.length);
    for (let i = 0; i < out.length; i++) out[i] = this.scale.real((this.c[i] * 65536 + this.cf[i]) / 65536, 0);
    return out;
  }

  /** @internal */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.k);
    w.i32(this.decay);
    w.u32(this.filled);
    w.u8(this.scale.exps[0]);
    w.u32s(this.counts);
    w.i32s(this.c);
    w.u16s(this.cf);
  }

  /**
   * Weighted centroid matching: every model's seeded centroids are pooled
   * with their counts and clustered into k, deterministically: the seeds are
   * the k distinct pooled centroids with the largest counts (ties by their
   * values), then rounds of assigning each pooled centroid to the nearest
   * centre (the learning distance kernel) and moving each centre to the
   * count-weighted mean of its members (exact, rounded once), until nothing
   * moves (at most 20 rounds). Counts add. The result depends only on the
   * set of models, not on their order. Same nFeatures, k and decay (E_SHAPE);
   * weights do not apply (E_INPUT): the counts are the weights.
   */
  static merge(models: ReadonlyArray<KMeans>, weights?: ArrayLike<number>): KMeans {
    checkModels(models, KMeans);
    if (weights !== undefined) fail('E_INPUT', 'KMeans merges by its clusters\' counts: weights do not apply');
    KMeans.sameOptions(models);
    const a = alignedShared(models, exponentsOf, function (m) {
      return KMeans.fromBytes(m.toBytes());
    });
    const out = KMeans.fromBytes(a[0].toBytes());
    KMeans.pool(out, a);
    return out;
  }

  /** @internal Throws E_SHAPE unless the models have the same nFeatures, k and decay. */
  static sameOptions(models: ReadonlyArray<KMeans>): void {
    const m0 = models[0];
    for (let i = 0; i < models.length; i++) {
      same('nFeatures', i, m0.nFeatures, models[i].nFeatures);
      same('k', i, m0.k, models[i].k);
      same('decay (Q16.16)', i, m0.decay, models[i].decay);
    }
  }

  /**
   * @internal The weighted centroid matching of {@link KMeans.merge}: `a`
   * (same options, one input exponent) pooled into `out` (a model with those
   * options and exponent, whose learned state is replaced).
   */
  static pool(out: KMeans, a: ReadonlyArray<KMeans>): void {
    const n = out.nFeatures;
    const k = out.k;
    // the pool: (model, row) of every seeded centroid, in an order that depends only on the values
    const pool: { m: KMeans; r: number; c: number }[] = [];
    for (let i = 0; i < a.length; i++) for (let r = 0; r < a[i].filled; r++) pool.push({ m: a[i], r: r, c: a[i].counts[r] });
    const cmp = function (x: { m: KMeans; r: number; c: number }, y: { m: KMeans; r: number; c: number }): number {
      if (x.c !== y.c) return y.c - x.c;
      for (let j = 0; j < n; j++) {
        const u = x.m.c[x.r * n + j] * 65536 + x.m.cf[x.r * n + j];
        const v = y.m.c[y.r * n + j] * 65536 + y.m.cf[y.r * n + j];
        if (u !== v) return u - v;
      }
      return 0;
    };
    pool.sort(cmp);
    out.c.fill(0);
    out.cf.fill(0);
    out.counts.fill(0);
    // seeds, greedily: the largest count first, then each time the pooled centroid with the largest
    // count × squared distance to its nearest seed (IEEE double arithmetic: the same on every engine)
    const val = function (p: number, i: number): number {
      return pool[p].m.c[pool[p].r * n + i] + pool[p].m.cf[pool[p].r * n + i] / 65536;
    };
    const near = new Float64Array(pool.length).fill(Infinity);
    let filled = 0;
    let pick = pool.length > 0 ? 0 : -1;
    while (pick >= 0 && filled < k) {
      for (let i = 0; i < n; i++) {
        out.c[filled * n + i] = pool[pick].m.c[pool[pick].r * n + i];
        out.cf[filled * n + i] = pool[pick].m.cf[pool[pick].r * n + i];
      }
      filled++;
      pick = -1;
      let best = 0;
      for (let p = 0; p < pool.length; p++) {
        let d = 0;
        for (let i = 0; i < n; i++) {
          const e = val(p, i) - (out.c[(filled - 1) * n + i] + out.cf[(filled - 1) * n + i] / 65536);
          d += e * e;
        }
        if (d < near[p]) near[p] = d;
        const score = near[p] * pool[p].c;
        if (score > best) {
          best = score;
          pick = p; // the first of equal scores: the pool's order is by value
        }
      }
    }
    mutable(out).filled = filled;
    if (filled === 0) return;
    const assign = new Int32Array(pool.length);
    const x = new Int32Array(n);
    const dist = new Int32Array(k);
    const his: Int32Array[] = [], los: Uint16Array[] = [];
    for (let p = 0; p < pool.length; p++) {
      his.push(pool[p].m.c.subarray(pool[p].r * n, (pool[p].r + 1) * n));
      los.push(pool[p].m.cf.subarray(pool[p].r * n, (pool[p].r + 1) * n));
    }
    for (let round = 0; round < 20; round++) {
      let moved = round === 0;
      for (let p = 0; p < pool.length; p++) {
        // the pooled centroid rounded to Q16.16, as learning rounds a sample's difference
        for (let i = 0; i < n; i++) x[i] = his[p][i] + (los[p][i] > 32768 ? 1 : 0);
        const j = nearestRow(out.c, filled, n, x, dist);
        if (j !== assign[p]) moved = true;
        assign[p] = j < 0 ? 0 : j;
      }
      if (!moved) break;
      for (let j = 0; j < filled; j++) {
        const w: number[] = [];
        let any = false;
        for (let p = 0; p < pool.length; p++) {
          w.push(assign[p] === j ? pool[p].c : 0);
          if (assign[p] === j && pool[p].c > 0) any = true;
        }
        if (!any) continue;
        const mean = new WeightedMean(pool.length, w, function () {
          return 0;
        });
        mean.wide(out.c.subarray(j * n, (j + 1) * n), out.cf.subarray(j * n, (j + 1) * n), his, los);
      }
    }
    for (let p = 0; p < pool.length; p++) {
      const j = assign[p];
      const s = out.counts[j] + pool[p].c;
      out.counts[j] = s > 4294967295 ? 4294967295 : s;
    }
    // a centre left without members is dropped (a seeded cluster has won samples)
    let kept = 0;
    for (let j = 0; j < filled; j++) {
      if (out.counts[j] === 0) continue;
      if (kept !== j) {
        out.c.copyWithin(kept * n, j * n, (j + 1) * n);
        out.cf.copyWithin(kept * n, j * n, (j + 1) * n);
        out.counts[kept] = out.counts[j];
      }
      kept++;
    }
    for (let j = kept; j < filled; j++) {
      out.counts[j] = 0;
      out.c.fill(0, j * n, (j + 1) * n);
      out.cf.fill(0, j * n, (j + 1) * n);
    }
    mutable(out).filled = kept;
  }

  /** @internal `headroom` as in the constructor. */
  static fromReader(r: ByteReader, classes?: unknown, headroom?: number): KMeans {
    const n = r.int(1, MAX_FEATURES);
    const k = r.int(1, Math.min(MAX_CLUSTERS, Math.floor(16777216 / n)));
    const decay = r.int(0, 65536);
    const filled = r.int(0, k);
    r.need(KMeans.bytesFor(n, k));
    const m = new KMeans({ nFeatures: n, k: k, decay: decay / 65536 }, headroom);
    m.scale.exps[0] = r.u8();
    m.scale.checkExps();
    for (let j = 0; j < k; j++) {
      const cnt = r.u32();
      if ((j < filled) !== (cnt > 0)) fail('E_CORRUPT', 'k-means counts do not match the seeded clusters');
      m.counts[j] = cnt;
    }
    mutable(m).filled = filled;
    r.i32s(m.c);
    r.u16s(m.cf);
    m.scale.checkValues(m.c, 0, m.c.length);
    return m;
  }
}

/** The one input exponent of a KMeans, as alignedShared wants it. */
function exponentsOf(m: KMeans): Uint8Array {
  return m.scale.exps;
}
