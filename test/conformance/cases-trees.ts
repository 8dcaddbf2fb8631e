/**
 * Conformance cases of the Hoeffding trees: the classifier on a room stream
 * whose light level separates occupancy at a raw-range gap (lux ≈ 400), and
 * the regressor (mean, linear and adaptive leaves) on Friedman #1 and on raw
 * sensor ranges. The streams are shared with test/trees.test.ts and bench/trees.ts.
 */
import { HoeffdingTreeClassifier } from '../../algorithms/hoeffding_tree.js';
import { HoeffdingTreeRegressor } from '../../algorithms/hoeffding_tree_regressor.js';
import { Case, Stream } from './harness.js';
import { regStream, supervisedCase } from './cases-learners.js';

/**
 * A room sampled every minute, 5 raw features as in the UCI occupancy data:
 * temperature (°C), humidity (%), light (lux), CO2 (ppm), humidity ratio.
 * Occupied: lamps on, 420–700 lux. Empty: dark (60 %), daylight 0–380 lux
 * (38 %) or sun glare on the sensor, 600–1200 lux (2 %), which stretches the
 * light range so that no evenly spaced threshold falls into the gap. The
 * other features overlap heavily (CO2 follows occupancy with a lag).
 */
export function roomStream(seed: number): (x: Float64Array) => number {
  const s = new Stream(seed);
  let occ = 0;
  let co2 = 450;
  return function (x: Float64Array): number {
    if (occ ? s.uniform() < 0.03 : s.uniform() < 0.01) occ = 1 - occ;
    co2 += ((occ ? 800 : 450) - co2) * 0.05 + 15 * s.normal();
    x[0] = 21 + 0.5 * occ + 0.7 * s.normal();
    x[1] = 27 + 0.5 * occ + 3 * s.normal();
    const u = s.uniform();
    x[2] = occ ? 420 + 280 * s.uniform() : u < 0.6 ? 10 * s.uniform() : u < 0.98 ? 380 * s.uniform() : 600 + 600 * s.uniform();
    x[3] = co2;
    x[4] = 0.0042 + 0.00002 * occ + 0.0003 * s.normal();
    return occ;
  };
}

/** Friedman #1: y = 10 sin(π x1 x2) + 20 (x3 − ½)² + 10 x4 + 5 x5 + N(0, 1), x ∈ U[0, 1]^10 (sin by the IEEE-only series). */
export function friedmanStream(seed: number): (x: Float64Array) => number {
  const s = new Stream(seed);
  return function (x: Float64Array): number {
    for (let i = 0; i < 10; i++) x[i] = s.uniform();
    return 10 * sinPi(x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4] + s.normal();
  };
}

/** sin(π t) for t in [0, 1] with basic IEEE operations only (Taylor to t^21 around ½). */
function sinPi(t: number): number {
  const r = (t - 0.5) * 3.141592653589793; // sin(π t) = cos(r)
  const r2 = r * r;
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= 10; k++) {
    term = (-term * r2) / ((2 * k - 1) * (2 * k));
    sum += term;
  }
  return sum;
}

export const treeCases: Case[] = [
  supervisedCase(
    'HoeffdingTreeClassifier.room.lux-gap',
    () => new HoeffdingTreeClassifier({ nFeatures: 5, nClasses: 2, maxDepth: 5, maxNodes: 63 }),
    () => roomStream(51),
    5, 3000, 200,
  ),
  supervisedCase('HoeffdingTreeRegressor.friedman.adaptive', () => new HoeffdingTreeRegressor({ nFeatures: 10, maxNodes: 15, gracePeriod: 100 }), () => friedmanStream(52), 10, 2500, 150),
  supervisedCase(
    'HoeffdingTreeRegressor.friedman.mean.tie',
    () => new HoeffdingTreeRegressor({ nFeatures: 10, maxNodes: 31, maxDepth: 4, gracePeriod: 50, delta: 0.01, tieThreshold: 0.2, nSplitPoints: 6, leafPrediction: 'mean' }),
    () => friedmanStream(53),
    10, 2000, 150,
  ),
  supervisedCase(
    'HoeffdingTreeRegressor.raw.linear',
    () => new HoeffdingTreeRegressor({ nFeatures: 4, maxNodes: 9, gracePeriod: 80, leafPrediction: 'linear', learningRate: 0.02 }),
    () => regStream(54, 4, 1000), // raw-range inputs: the leaf models standardise them
    4, 2000, 150,
  ),
];
