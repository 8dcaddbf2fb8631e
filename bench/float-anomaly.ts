/**
 * Float64 twins of the anomaly detectors (algorithms/anomaly.ts) and of
 * MinMaxScaler, for the playground's fixed-vs-float comparison (never
 * shipped): the same statistics, warm-up, histogram calibration and
 * half-space-tree splits, in double arithmetic.
 */
import { FKMeans, FStandardScaler } from './float-suite1.js';
import { hstCentre, hstFeature, hstMix } from '../algorithms/anomaly/half_space_trees.js';

const BINS = 93;

/** Histogram bin of a non-negative score, as Calibrator's binOf (4 bins per octave from 2^-8). */
function binOf(s: number): number {
  if (s < 1 / 256) return 0;
  let e = -8;
  while (e < 14 && Math.pow(2, e + 1) <= s) e++;
  return 1 + (e + 8) * 4 + (Math.floor(s / Math.pow(2, e - 2)) - 4);
}

function binLo(b: number): number {
  if (b === 0) return 0;
  const e = -8 + Math.floor((b - 1) / 4);
  return (4 + ((b - 1) % 4)) * Math.pow(2, e - 2);
}

/** The threshold rule of Calibrator: margin × a high quantile of the scores of learned samples. */
export class FCalibrator {
  hist = new Float64Array(BINS);
  total = 0;
  max = 0;
  seen = 0;
  constructor(readonly quantile: number, readonly margin: number, readonly warmup: number) {}
  add(s: number): void {
    if (this.seen < this.warmup) {
      this.seen++;
      return;
    }
    if (s < 0) s = 0;
    const b = binOf(s);
    if (this.hist[b] === 65535) {
      let t = 0;
      for (let i = 0; i < BINS; i++) t += this.hist[i] = Math.floor(this.hist[i] / 2);
      this.total = t;
    }
    this.hist[b]++;
    this.total++;
    if (s > this.max) this.max = s;
  }
  quantileOf(q: number): number {
    if (this.total === 0) return 0;
    if (q >= 1) return this.max;
    const r = q * this.total;
    let cum = 0;
    for (let b = 0; b < BINS; b++) {
      const c = this.hist[b];
      if (c > 0 && cum + c > r) {
        const lo = binLo(b);
        const hi = b + 1 < BINS ? binLo(b + 1) : 32768;
        const v = lo + ((hi - lo) * (r - cum)) / c;
        return v < this.max ? v : this.max;
      }
      cum += c;
    }
    return this.max;
  }
  /** NaN before any score was recorded (the fixed-point one throws E_STATE). */
  threshold(): number {
    return this.total === 0 ? NaN : this.quantileOf(this.quantile) * this.margin;
  }
}

/** Options every twin detector takes (the defaults are the library's). */
export interface FCalibration {
  quantile?: number;
  margin?: number;
  warmup?: number;
}

function calibrator(o: FCalibration): FCalibrator {
  return new FCalibrator(o.quantile === undefined ? 1 : o.quantile, o.margin === undefined ? 1.5 : o.margin, o.warmup === undefined ? 16 : o.warmup);
}

/** A twin detector: learn, score, and the calibrated threshold. */
export interface FDetector {
  readonly cal: FCalibrator;
  learnOne(x: ArrayLike<number>): void;
  scoreOne(x: ArrayLike<number>): number;
}

/** Mean squared z-score against the running (Welford, population) mean and variance of the learned samples. */
export class FGaussianScorer implements FDetector {
  readonly cal: FCalibrator;
  readonly minStd: number;
  /** The running statistics: StandardScaler's twin keeps exactly these. */
  readonly stats: FStandardScaler;
  constructor(readonly n: number, o: FCalibration & { minStd?: number }) {
    this.cal = calibrator(o);
    this.stats = new FStandardScaler(n);
    this.minStd = o.minStd === undefined ? 1 / 65536 : o.minStd;
  }
  learnOne(x: ArrayLike<number>): void {
    this.cal.add(this.scoreOne(x));
    this.stats.learnOne(x);
  }
  scoreOne(x: ArrayLike<number>): number {
    const st = this.stats;
    if (st.count === 0) return 0;
    let s = 0;
    for (let i = 0; i < this.n; i++) {
      const sd = Math.max(Math.sqrt(st.m2[i] / st.count), this.minStd);
      const z = (x[i] - st.mean[i]) / sd;
      s += z * z;
    }
    return s / this.n;
  }
}

/** Squared distance to the nearest centroid of an online k-means, per feature. */
export class FKMeansDetector implements FDetector {
  readonly cal: FCalibrator;
  readonly km: FKMeans;
  constructor(readonly n: number, o: FCalibration & { k?: number; decay?: number }) {
    this.cal = calibrator(o);
    this.km = new FKMeans(n, o.k === undefined ? 8 : o.k, o.decay === undefined ? 0 : o.decay);
  }
  learnOne(x: ArrayLike<number>): void {
    this.cal.add(this.scoreOne(x));
    this.km.learnOne(x);
  }
  scoreOne(x: ArrayLike<number>): number {
    const km = this.km;
    if (km.filled === 0) return 0;
    const j = km.nearest(x);
    let s = 0;
    for (let i = 0; i < this.n; i++) {
      const d = km.c[j * this.n + i] - x[i];
      s += d * d;
    }
    return s / this.n;
  }
}

/** Streaming half-space trees with the library's splits (the same seed hash), masses and (max − mass) / mass score. */
export class FHalfSpaceTrees implements FDetector {
  readonly cal: FCalibrator;
  readonly nTrees: number;
  readonly height: number;
  readonly windowSize: number;
  inWindow = 0;
  windows = 0;
  lMass: Float64Array;
  rMass: Float64Array;
  private readonly nodes: number;
  /** Split feature of every inner node, tree t at t·(2^height − 1), computed once as the library does. */
  private readonly feat: Uint16Array;
  private readonly centre: Float64Array;
  private readonly sizeLimit: number;
  private readonly maxScore: number;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  constructor(readonly n: number, o: FCalibration & { nTrees?: number; height?: number; windowSize?: number; seed?: number }) {
    this.cal = calibrator(o);
    const t = (this.nTrees = o.nTrees === undefined ? 8 : o.nTrees);
    const h = (this.height = o.height === undefined ? 6 : o.height);
    const w = (this.windowSize = o.windowSize === undefined ? 128 : o.windowSize);
    this.nodes = Math.pow(2, h + 1) - 1;
    this.sizeLimit = Math.max(Math.floor(w / 10), 1);
    this.maxScore = t * w * this.nodes;
    this.lMass = new Float64Array(t * this.nodes);
    this.rMass = new Float64Array(t * this.nodes);
    this.centre = new Float64Array(t * n);
    // the library's splits and workspace centres (the same hashes), in doubles
    const mix = hstMix(o.seed === undefined ? 1 : o.seed);
    for (let i = 0; i < t; i++) for (let f = 0; f < n; f++) this.centre[i * n + f] = hstCentre(mix, i, f) / 65536;
    const inner = Math.pow(2, h) - 1;
    this.feat = new Uint16Array(t * inner);
    for (let i = 0; i < t; i++) for (let node = 0; node < inner; node++) this.feat[i * inner + node] = hstFeature(mix, i, node, n);
    this.lo = new Float64Array(n);
    this.hi = new Float64Array(n);
  }
  private feature(t: number, node: number): number {
    return this.feat[t * (this.nodes >> 1) + node];
  }
  private walk(t: number, x: ArrayLike<number>, learn: boolean): number {
    for (let i = 0; i < this.n; i++) {
      const c = this.centre[t * this.n + i];
      const r = 2 * Math.max(c, 1 - c);
      this.lo[i] = c - r;
      this.hi[i] = c + r;
    }
    const base = t * this.nodes;
    let node = 0;
    let sum = 0;
    for (let d = 0; ; d++) {
      if (learn) {
        if (this.lMass[base + node] < 65535) this.lMass[base + node]++;
      } else {
        const r = this.rMass[base + node];
        sum += r * Math.pow(2, d);
        if (r < this.sizeLimit) return sum;
      }
      if (d === this.height) return sum;
      const f = this.feature(t, node);
      const mid = (this.lo[f] + this.hi[f]) / 2;
      if (x[f] < mid) {
        this.hi[f] = mid;
        node = 2 * node + 1;
      } else {
        this.lo[f] = mid;
        node = 2 * node + 2;
      }
    }
  }
  learnOne(x: ArrayLike<number>): void {
    if (this.windows > 0) this.cal.add(this.scoreOne(x));
    for (let t = 0; t < this.nTrees; t++) this.walk(t, x, true);
    if (++this.inWindow === this.windowSize) {
      this.rMass.set(this.lMass);
      this.lMass.fill(0);
      this.inWindow = 0;
      this.windows++;
    }
  }
  scoreOne(x: ArrayLike<number>): number {
    if (this.windows === 0) return 0;
    let total = 0;
    for (let t = 0; t < this.nTrees; t++) total += this.walk(t, x, false);
    return total === 0 ? 32768 : Math.min((this.maxScore - total) / total, 32768);
  }
}

/** Online min-max scaling to [0, 1] with the extremes seen so far (0 while a range is empty), as MinMaxScaler. */
export class FMinMaxScaler {
  count = 0;
  min: Float64Array;
  max: Float64Array;
  out: Float64Array;
  constructor(readonly n: number) {
    this.min = new Float64Array(n);
    this.max = new Float64Array(n);
    this.out = new Float64Array(n);
  }
  learnOne(x: ArrayLike<number>): void {
    const first = this.count++ === 0;
    for (let i = 0; i < this.n; i++) {
      if (first || x[i] < this.min[i]) this.min[i] = x[i];
      if (first || x[i] > this.max[i]) this.max[i] = x[i];
    }
  }
  transformOne(x: ArrayLike<number>): Float64Array {
    for (let i = 0; i < this.n; i++) {
      const r = this.max[i] - this.min[i];
      this.out[i] = r <= 0 ? 0 : (x[i] - this.min[i]) / r;
    }
    return this.out;
  }
}
