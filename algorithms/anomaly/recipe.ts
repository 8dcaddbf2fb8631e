/**
 * Recipes: a complete anomaly-monitoring chain described as plain data
 * (JSON), so that the device, the benchmark and `microlearn
 * evaluate-anomaly` build exactly the same thing. The default, {@link
 * MONITOR_RECIPE}, is the vibration monitor's; its detector and threshold
 * settings were chosen by leave-one-file-out cross-validation on SKAB
 * (bench/anomaly-cv.ts, docs/benchmarks.md).
 */
import { fail } from '../../src/errors.js';
import { Transformer } from '../../src/learner.js';
import { MinMaxScaler, StandardScaler } from '../../src/preprocessing.js';
import { Band, WindowFeatureName, WindowFeatures } from '../../src/window.js';
import { Detector } from './detector.js';
import { GaussianScorer } from './gaussian_scorer.js';
import { HalfSpaceTrees } from './half_space_trees.js';
import { KMeansDetector } from './kmeans_detector.js';
import { AnomalyMonitor } from './monitor.js';

/** Front end for rows of slow process data (a CSV): a rolling window over the rows. */
export interface RowFrontEnd {
  /** Rolling window in rows, 1 (none) or a power of two up to 4096. */
  window: number;
  /** Features of the window per column (default ['mean']). */
  features?: WindowFeatureName[];
}

/** Front end for a raw signal (one channel or several, at `rate`). */
export interface SignalFrontEnd {
  /** Samples per window, a power of two 4..4096. */
  windowSize: number;
  /** Samples between verdicts (default windowSize). */
  hop?: number;
  /** Scalar features (see WindowFeatures). */
  features?: WindowFeatureName[];
  /** Equal FFT bands. */
  nBands?: number;
  /** Given frequency bands [low, high] Hz. */
  bands?: Band[];
  /** Envelope analysis (see WindowFeatures). */
  envelope?: { band: Band; bands: Band[] };
  /**
   * Detector options that differ for raw signals, over the recipe's
   * `options` (e.g. `adapt` counts verdicts: a row a second in a CSV, several
   * windows a second here).
   */
  options?: { [k: string]: unknown };
  /** Share of the learning phase whose scores set the threshold, over the recipe's `calibrateLast`. */
  calibrateLast?: number;
  /** Debouncing for raw signals, over the recipe's `alarm` (windows come several a second). */
  alarm?: { k: number; n: number };
}

/** A complete recipe. Every field but `detector` has a default (the monitor's). */
export interface Recipe {
  /** A name for reports. */
  name?: string;
  /** 'gaussian' (GaussianScorer), 'kmeans' (KMeansDetector), 'hst' (HalfSpaceTrees). */
  detector?: 'gaussian' | 'kmeans' | 'hst';
  /** The detector's options (calibration, adaptation, k, nTrees, …) besides nFeatures. */
  options?: { [k: string]: unknown };
  /** A scaler between the features and the detector: 'none', 'standard' or 'minmax'. */
  scaler?: 'none' | 'standard' | 'minmax';
  /** k-of-n debouncing of the alarm. */
  alarm?: { k: number; n: number };
  /**
   * Share of the learning phase, at its end, whose scores set the threshold
   * (0..1, default 1: all of it). 0.5: the model learns from the start, the
   * threshold comes from its second half (see AnomalyMonitor.restartCalibration).
   */
  calibrateLast?: number;
  /** Front end for rows (CSV mode). */
  rows?: RowFrontEnd;
  /** Front end for raw signals (signal mode, the device). */
  signal?: SignalFrontEnd;
}

/**
 * The vibration monitor's recipe. Detector, threshold, adaptation, alarm and
 * the row window: chosen by leave-one-file-out cross-validation on SKAB
 * valve1 + anomaly-free (see docs/benchmarks.md, "anomaly-cv"). Signal
 * front end: RMS, kurtosis and crest factor (impacts), spectral centroid and
 * 8 equal bands (where the energy moves), one verdict per window; its margin,
 * adaptation memory and calibration share were set on the simulator
 * (bench/vibration.ts) and checked on the CWRU recordings.
 */
export const MONITOR_RECIPE: Recipe = {
  name: 'monitor',
  detector: 'gaussian',
  options: { quantile: 1, margin: 0.9, adapt: 200, adaptBelow: 2 },
  scaler: 'none',
  alarm: { k: 1, n: 1 },
  calibrateLast: 1,
  rows: { window: 32, features: ['mean'] },
  signal: {
    windowSize: 1024, features: ['rms', 'kurtosis', 'crest', 'centroid'], nBands: 8,
    // several windows a second: a memory of 12,000 windows is about an hour at 3.2 kHz; the
    // threshold from the second half of the learning phase, which has seen every load
    options: { margin: 1.5, adapt: 12000, adaptBelow: 2 }, calibrateLast: 0.5, alarm: { k: 3, n: 5 },
  },
};

/** Recipes by name (`--recipe NAME`). */
export const RECIPES: { [name: string]: Recipe } = {
  monitor: MONITOR_RECIPE,
  // the suite's earlier documented recipes, for comparison
  'gaussian-mean16': { name: 'gaussian-mean16', detector: 'gaussian', options: { quantile: 0.99, margin: 2 }, alarm: { k: 1, n: 1 }, rows: { window: 16 } },
  'kmeans-mean16': { name: 'kmeans-mean16', detector: 'kmeans', options: { k: 4, margin: 2.5 }, scaler: 'standard', alarm: { k: 1, n: 1 }, rows: { window: 16 } },
  'hst-mean16': {
    name: 'hst-mean16', detector: 'hst', options: { nTrees: 16, height: 4, windowSize: 200, quantile: 0.9, margin: 0.8 }, scaler: 'minmax', alarm: { k: 1, n: 1 }, rows: { window: 16 },
  },
};

/** The recipe with every missing field taken from the monitor's. */
export function completeRecipe(r: Recipe): Recipe {
  if (r === null || typeof r !== 'object') fail('E_OPTION', 'a recipe must be an object');
  const m = MONITOR_RECIPE;
  const same = r.detector === undefined || r.detector === m.detector;
  return {
    name: r.name === undefined ? 'custom' : r.name,
    detector: r.detector === undefined ? m.detector : r.detector,
    // the monitor's detector options only make sense for its own detector
    options: r.options === undefined ? (same ? m.options : {}) : r.options,
    scaler: r.scaler === undefined ? 'none' : r.scaler,
    alarm: r.alarm === undefined ? m.alarm : r.alarm,
    calibrateLast: r.calibrateLast === undefined ? (m.calibrateLast as number) : checkShare(r.calibrateLast),
    rows: r.rows === undefined ? m.rows : r.rows,
    signal: r.signal === undefined ? m.signal : r.signal,
  };
}

function checkShare(v: unknown): number {
  if (typeof v !== 'number' || !(v > 0 && v <= 1)) fail('E_OPTION', 'recipe calibrateLast must be a number in (0, 1], got ' + v);
  return v as number;
}

function makeDetector(r: Recipe, n: number, extra?: { [k: string]: unknown }): Detector {
  const o: { [k: string]: unknown } = {};
  const src = r.options === undefined ? {} : r.options;
  for (const k in src) o[k] = src[k];
  if (extra !== undefined) for (const k in extra) o[k] = extra[k];
  o.nFeatures = n;
  if (r.detector === 'gaussian') return new GaussianScorer(o as never);
  if (r.detector === 'kmeans') return new KMeansDetector(o as never);
  if (r.detector === 'hst') return new HalfSpaceTrees(o as never);
  return fail('E_OPTION', 'unknown detector ' + r.detector + ' (gaussian, kmeans, hst)');
}

function makeScaler(r: Recipe, n: number): Transformer[] {
  if (r.scaler === undefined || r.scaler === 'none') return [];
  if (r.scaler === 'standard') return [new StandardScaler({ nFeatures: n })];
  if (r.scaler === 'minmax') return [new MinMaxScaler({ nFeatures: n })];
  return fail('E_OPTION', 'unknown scaler ' + r.scaler + ' (none, standard, minmax)');
}

/** The monitor for rows of `nColumns` values (CSV mode). */
export function rowMonitor(recipe: Recipe, nColumns: number): AnomalyMonitor {
  const r = completeRecipe(recipe);
  const fe = r.rows as RowFrontEnd;
  let window: WindowFeatures | undefined;
  let width = nColumns;
  if (fe.window > 1) {
    window = new WindowFeatures({ nFeatures: nColumns, windowSize: fe.window, nBands: 0, features: fe.features === undefined ? ['mean'] : fe.features });
    width = window.nOutputs;
  }
  return new AnomalyMonitor({ window, hop: 1, stages: makeScaler(r, width), detector: makeDetector(r, width), alarm: r.alarm });
}

/** The monitor for a raw signal of `channels` channels sampled at `rate` Hz (signal mode, the device). */
export function signalMonitor(recipe: Recipe, channels: number, rate: number): AnomalyMonitor {
  const r = completeRecipe(recipe);
  const fe = r.signal as SignalFrontEnd;
  const window = new WindowFeatures({
    nFeatures: channels, windowSize: fe.windowSize, rate: rate, nBands: fe.nBands === undefined ? 0 : fe.nBands,
    features: fe.features, bands: fe.bands, envelope: fe.envelope,
  });
  return new AnomalyMonitor({
    window, hop: fe.hop === undefined ? fe.windowSize : fe.hop, stages: makeScaler(r, window.nOutputs), detector: makeDetector(r, window.nOutputs, fe.options),
    alarm: fe.alarm === undefined ? r.alarm : fe.alarm,
  });
}
