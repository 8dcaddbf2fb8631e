/**
 * Cost of learnOne and predictOne for the suite I learners at 8 features and
 * 3 classes, measured inside whatever engine runs this bundle: XS metering
 * units (if the host has `meter()`) and wall time. Prints
 * `cost <name> <stateBytes> <learn meter/sample> <learn ns/sample> <predict meter/sample> <predict ns/sample>`.
 */
import { SoftmaxRegression } from '../algorithms/softmax.js';
import { KNNClassifier, KNNRegressor } from '../algorithms/knn.js';
import { KMeans } from '../algorithms/kmeans.js';
import { GaussianNB } from '../algorithms/naive_bayes.js';
import { HoeffdingTreeClassifier } from '../algorithms/hoeffding_tree.js';
import { Random } from '../src/random.js';

/** Output and clocks of the engine running the measurement. */
export interface CostHost {
  print(s: string): void;
  /** XS metering count so far, if the engine has one. */
  meter: (() => number) | null;
  /** Milliseconds, as precise as the engine offers. */
  now(): number;
}

let host: CostHost;

const N = 8;
const C = 3;
const ROWS = 256;
const WARM = 400;

interface M {
  stateBytes: number;
  learnOneQ(x: Int32Array, y?: number): void;
  predictOneQ(x: Int32Array): number;
}

/** ROWS samples of three Gaussian-ish blobs in Q16.16, labels in ys. */
const xs = new Int32Array(N * ROWS);
const ys = new Int32Array(ROWS);
(function () {
  const r = new Random(11);
  for (let i = 0; i < ROWS; i++) {
    const c = r.nextInt(C);
    ys[i] = c;
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += r.nextQ();
      xs[i * N + j] = c * 65536 * ((j % 3) + 1) + s - 131072; // centre c·(1..3), noise ±2
    }
  }
})();

function run(name: string, m: M, samples: number, target: (i: number) => number | undefined): void {
  const x = new Int32Array(N);
  const meter = host.meter;
  const hasMeter = meter !== null;
  const now = host.now;
  for (let i = 0; i < WARM; i++) {
    const o = (i % ROWS) * N;
    for (let j = 0; j < N; j++) x[j] = xs[o + j];
    m.learnOneQ(x, target(i % ROWS));
  }
  let m0 = hasMeter ? (meter as () => number)() : 0;
  let t0 = now();
  for (let i = 0; i < samples; i++) {
    const o = (i % ROWS) * N;
    for (let j = 0; j < N; j++) x[j] = xs[o + j];
    m.learnOneQ(x, target(i % ROWS));
  }
  let t1 = now();
  let m1 = hasMeter ? (meter as () => number)() : 0;
  const learnM = (m1 - m0) / samples;
  const learnT = ((t1 - t0) * 1e6) / samples;
  m0 = hasMeter ? (meter as () => number)() : 0;
  t0 = now();
  let sink = 0;
  for (let i = 0; i < samples; i++) {
    const o = (i % ROWS) * N;
    for (let j = 0; j < N; j++) x[j] = xs[o + j];
    sink += m.predictOneQ(x);
  }
  t1 = now();
  m1 = hasMeter ? (meter as () => number)() : 0;
  host.print('cost ' + name + ' ' + m.stateBytes + ' ' + learnM + ' ' + learnT + ' ' + (m1 - m0) / samples + ' ' + ((t1 - t0) * 1e6) / samples + (sink < 0 ? '!' : ''));
}

/** Runs every measurement, printing one `cost …` line per learner. */
export function runCosts(h: CostHost): void {
  host = h;
  const cls = function (i: number): number {
    return ys[i];
  };

  run('SoftmaxRegression', new SoftmaxRegression({ nFeatures: N, nClasses: C, learningRate: 0.05 }), 2000, cls);
  run('KNNClassifier (k 5, window 100)', new KNNClassifier({ nFeatures: N, nClasses: C, k: 5, windowSize: 100 }), 1000, cls);
  run('KNNRegressor (k 5, window 100)', new KNNRegressor({ nFeatures: N, k: 5, windowSize: 100 }), 1000, function (i) {
    return xs[i * N] + 65536;
  });
  run('KMeans (k 3)', new KMeans({ nFeatures: N, k: C }), 2000, function () {
    return undefined;
  });
  run('GaussianNB', new GaussianNB({ nFeatures: N, nClasses: C }), 2000, cls);
  run('HoeffdingTreeClassifier (mc, maxNodes 31)', new HoeffdingTreeClassifier({ nFeatures: N, nClasses: C, maxNodes: 31, gracePeriod: 100, leafPrediction: 'mc' }), 2000, cls);
  run('HoeffdingTreeClassifier (nba, maxNodes 31)', new HoeffdingTreeClassifier({ nFeatures: N, nClasses: C, maxNodes: 31, gracePeriod: 100 }), 2000, cls);
}
