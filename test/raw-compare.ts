/**
 * Raw sensor readings against the same readings pre-scaled (issue 9 §5):
 * the occupancy-style RawRoom stream (lux 0–100,000, Pa ≈ 101,325, ppm,
 * particles up to ~1e6) learned prequentially by the statistics learners,
 * once in raw units and once divided into Q16.16-friendly ranges. Shared by
 * test/raw-ranges.test.ts (asserts the loss) and bench/raw-ranges.ts (the
 * table in docs/benchmarks.md).
 */
import { Pipeline } from '../src/pipeline.js';
import { MinMaxScaler, StandardScaler } from '../src/preprocessing.js';
import { LogisticRegression } from '../algorithms/linear.js';
import { GaussianNB } from '../algorithms/naive_bayes.js';
import { KNNClassifier } from '../algorithms/knn.js';
import { KMeans } from '../algorithms/kmeans.js';
import { RAW_ROOM_FEATURES, RawRoom } from './conformance/cases-raw.js';

/** Per-feature pre-scaling for the scale-invariant learners: lux, Pa and particles in thousands. */
export const PER_FEATURE = [1, 1, 1, 1000, 1000, 1000];
/** One common factor for the distance learners (a per-feature one would change their metric). */
export const COMMON = [100, 100, 100, 100, 100, 100];

interface Classifier {
  learnOne(x: ArrayLike<number>, y?: number): void;
  predictOne(x: ArrayLike<number>): number;
}

export interface Comparison {
  name: string;
  prescale: string;
  raw: number;
  scaled: number;
}

/** Prequential accuracy (test, then train) on n samples of RawRoom(seed), with x divided by `div`. */
export function prequentialRoom(make: () => Classifier, div: number[] | null, n: number, seed: number): number {
  const room = new RawRoom(seed);
  const x = new Float64Array(RAW_ROOM_FEATURES);
  const m = make();
  let right = 0;
  for (let i = 0; i < n; i++) {
    const y = room.next(x);
    if (div) for (let j = 0; j < x.length; j++) x[j] /= div[j];
    if (m.predictOne(x) === y) right++;
    m.learnOne(x, y);
  }
  return right / n;
}

/**
 * Cluster purity: k-means learns n samples, then each of the next n/4 is
 * assigned to its cluster, and every cluster votes its majority label;
 * purity = the share of samples whose label is their cluster's majority.
 */
export function kmeansPurity(div: number[] | null, n: number, seed: number): number {
  const room = new RawRoom(seed);
  const x = new Float64Array(RAW_ROOM_FEATURES);
  const km = new KMeans({ nFeatures: RAW_ROOM_FEATURES, k: 6 });
  for (let i = 0; i < n; i++) {
    room.next(x);
    if (div) for (let j = 0; j < x.length; j++) x[j] /= div[j];
    km.learnOne(x);
  }
  const counts = new Float64Array(12);
  for (let i = 0; i < n / 4; i++) {
    const y = room.next(x);
    if (div) for (let j = 0; j < x.length; j++) x[j] /= div[j];
    counts[2 * km.predictOne(x) + y]++;
  }
  let s = 0;
  for (let c = 0; c < 6; c++) s += Math.max(counts[2 * c], counts[2 * c + 1]);
  return s / (n / 4);
}

/** Every learner of raw features on the RawRoom stream, raw and pre-scaled. */
export function roomComparisons(n: number, seed: number): Comparison[] {
  const F = RAW_ROOM_FEATURES;
  const rows: [string, string, () => Classifier, number[]][] = [
    ['Pipeline(StandardScaler, LogisticRegression)', 'lux, Pa, particles / 1000', () => new Pipeline([new StandardScaler({ nFeatures: F }), new LogisticRegression({ nFeatures: F, learningRate: 0.05 })]), PER_FEATURE],
    ['Pipeline(MinMaxScaler, LogisticRegression)', 'lux, Pa, particles / 1000', () => new Pipeline([new MinMaxScaler({ nFeatures: F }), new LogisticRegression({ nFeatures: F, learningRate: 0.1 })]), PER_FEATURE],
    ['GaussianNB', 'lux, Pa, particles / 1000', () => new GaussianNB({ nFeatures: F, nClasses: 2 }), PER_FEATURE],
    ['Pipeline(StandardScaler, KNNClassifier k 5, window 200)', 'lux, Pa, particles / 1000', () => new Pipeline([new StandardScaler({ nFeatures: F }), new KNNClassifier({ nFeatures: F, nClasses: 2, k: 5, windowSize: 200 })]), PER_FEATURE],
    ['KNNClassifier k 5, window 200 (raw metric)', 'all / 100', () => new KNNClassifier({ nFeatures: F, nClasses: 2, k: 5, windowSize: 200 }), COMMON],
  ];
  const out: Comparison[] = [];
  for (const [name, pre, make, div] of rows) out.push({ name: name, prescale: pre, raw: prequentialRoom(make, null, n, seed), scaled: prequentialRoom(make, div, n, seed) });
  out.push({ name: 'KMeans k 6 (cluster purity)', prescale: 'all / 100', raw: kmeansPurity(null, n, seed), scaled: kmeansPurity(COMMON, n, seed) });
  return out;
}
