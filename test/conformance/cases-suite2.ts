/**
 * Conformance cases of algorithm suite II: the sine MLP (the TinyML "hello
 * world"), MLP classification with momentum, int8 exports, the three anomaly
 * detectors and WindowFeatures. Every stream is built from the library PRNG
 * and IEEE basic arithmetic only (no Math.sin: engines differ in its last
 * bit), so every engine sees identical inputs.
 */
import { Pipeline } from '../../src/pipeline.js';
import { MinMaxScaler, StandardScaler } from '../../src/preprocessing.js';
import { WindowFeatures } from '../../src/window.js';
import { LinearRegression, LogisticRegression } from '../../algorithms/linear.js';
import { MLP } from '../../algorithms/mlp.js';
import { toInt8 } from '../../algorithms/int8.js';
import { GaussianScorer } from '../../algorithms/anomaly/gaussian_scorer.js';
import { HalfSpaceTrees } from '../../algorithms/anomaly/half_space_trees.js';
import { KMeansDetector } from '../../algorithms/anomaly/kmeans_detector.js';
import { Case, Hasher, Stream } from './harness.js';
import { Trainable, classStream, hashModel, regStream } from './cases-learners.js';

const TWO_PI = 6.283185307179586;

/**
 * sin(x) for 0 ≤ x < 2π with basic IEEE operations in a fixed order (so
 * the same bits on every engine): reduction to [−π/2, π/2], then the Taylor
 * series to x^21 (error below 1e-15).
 */
export function detSin(x: number): number {
  let r = x;
  if (r > 4.71238898038469) r -= TWO_PI; // now in [−π/2, 3π/2)
  if (r > 1.5707963267948966) r = 3.141592653589793 - r; // sin(π − r) = sin r
  const r2 = r * r;
  let term = r;
  let sum = r;
  for (let k = 1; k <= 10; k++) {
    term = (-term * r2) / ((2 * k) * (2 * k + 1));
    sum += term;
  }
  return sum;
}

/** The sine task: x uniform in [0, 2π), y = sin x + N(0, σ²) with σ = 0.1 (Irwin–Hall normal). */
export function sineStream(seed: number): (xy: Float64Array) => void {
  const s = new Stream(seed);
  return function (xy: Float64Array): void {
    const x = s.uniform() * TWO_PI;
    xy[0] = x;
    xy[1] = detSin(x) + 0.1 * s.normal();
  };
}

/** The benchmark's sine network: 1-16-16-1, tanh, SGD with lr 0.1 / (1 + 0.001·t). */
export function sineModel(): MLP {
  return new MLP({ optimizer: 'sgd', nFeatures: 1, hidden: [16, 16], activation: 'tanh', learningRate: 0.1, decay: 0.001, seed: 1 });
}

/** Points of the clean test grid: x_i = 2π·i/(n − 1). */
export function sineGrid(i: number, n: number): number {
  return (TWO_PI * i) / (n - 1);
}

/**
 * Trains the sine network on `n` samples of stream `seed` and measures the
 * MAE against sin on a 200-point clean grid; hashes the model and the grid
 * predictions. Used by the conformance case (small n) and by the full
 * 20k-sample check on XS (test/suite2.test.ts).
 */
export function sineRun(n: number, seed: number, mh: Hasher, ph: Hasher): number {
  const m = sineModel();
  const next = sineStream(seed);
  const xy = new Float64Array(2);
  const x = new Float64Array(1);
  for (let i = 0; i < n; i++) {
    next(xy);
    x[0] = xy[0];
    m.learnOne(x, xy[1]);
  }
  let mae = 0;
  for (let i = 0; i < 200; i++) {
    x[0] = sineGrid(i, 200);
    const p = m.predictOne(x);
    ph.real(p);
    const e = p - detSin(x[0]);
    mae += e < 0 ? -e : e;
  }
  hashModel(m, mh);
  return mae / 200;
}

/** Trains `make()` on the stream, then hashes the int8 export's bytes and predictions. */
function int8Case(name: string, make: () => LinearRegression | LogisticRegression | MLP, next: () => (x: Float64Array) => number, nFeatures: number, nTrain: number, nTest: number): Case {
  return {
    name: name,
    run(mh: Hasher, ph: Hasher) {
      const m = make();
      const gen = next();
      const x = new Float64Array(nFeatures);
      for (let i = 0; i < nTrain; i++) m.learnOne(x, gen(x));
      const q = toInt8(m);
      for (let i = 0; i < nTest; i++) {
        gen(x);
        ph.real(q.predictOne(x));
        if (q.predictProbaOne && (q as { nClasses?: number }).nClasses) ph.ints(toInts(q.predictProbaOne(x)));
      }
      hashModel(q, mh);
    },
  };
}

function toInts(p: Float64Array): Int32Array {
  const r = new Int32Array(p.length);
  for (let i = 0; i < p.length; i++) r[i] = Math.floor(p[i] * 65536 + 0.5);
  return r;
}

/** Trains an MLP with a supervised stream and hashes predictions, probabilities and bytes. */
function mlpCase(name: string, make: () => MLP, next: () => (x: Float64Array) => number, nFeatures: number, nTrain: number, nTest: number): Case {
  return {
    name: name,
    run(mh: Hasher, ph: Hasher) {
      const m = make();
      const gen = next();
      const x = new Float64Array(nFeatures);
      for (let i = 0; i < nTrain; i++) m.learnOne(x, gen(x));
      for (let i = 0; i < nTest; i++) {
        gen(x);
        ph.real(m.predictOne(x));
        if (m.nClasses > 0) ph.ints(toInts(m.predictProbaOne(x)));
      }
      hashModel(m, mh);
    },
  };
}

/** What the detector cases drive. */
interface Detector {
  learnOne(x: ArrayLike<number>): void;
  scoreOne(x: ArrayLike<number>): number;
  isAnomaly(x: ArrayLike<number>): boolean;
  similarity(x: ArrayLike<number>): number;
  threshold(): number;
  toBytes(): Uint8Array;
}

/**
 * Normal data: two correlated Gaussian blobs in nFeatures dimensions with
 * feature scales from 0.01 to 100 (raw sensors); anomalies: a shifted feature.
 */
function detectorCase(name: string, make: () => Detector, nFeatures: number, scaled: boolean): Case {
  return {
    name: name,
    run(mh: Hasher, ph: Hasher) {
      const d = make();
      const s = new Stream(4242);
      const x = new Float64Array(nFeatures);
      const gen = function (anomaly: boolean): void {
        const c = s.rng.nextInt(2);
        const common = s.normal();
        for (let i = 0; i < nFeatures; i++) {
          const scale = scaled ? 0.1 : i === 0 ? 0.01 : i === 1 ? 100 : 1;
          x[i] = (c * 3 + 0.5 * common + 0.5 * s.normal()) * scale + (scaled ? 0.4 : 0);
        }
        if (anomaly) x[s.rng.nextInt(nFeatures)] += (scaled ? 0.5 : 8) * (s.rng.nextInt(2) ? 1 : -1);
      };
      for (let i = 0; i < 500; i++) {
        gen(false);
        d.learnOne(x);
      }
      ph.real(d.threshold());
      for (let i = 0; i < 120; i++) {
        gen(i % 4 === 0);
        ph.real(d.scoreOne(x));
        ph.int(d.isAnomaly(x) ? 1 : 0);
        ph.int(d.similarity(x));
      }
      hashModel(d, mh);
    },
  };
}

/** A 3-axis "accelerometer": gravity offset, two tones, noise, and a fault tone that appears halfway. */
function vibration(s: Stream, i: number, out: Float64Array): void {
  const t = i / 1000;
  const u1 = t * 50 - Math.floor(t * 50);
  const u2 = t * 180 - Math.floor(t * 180);
  const fault = i > 640 ? 0.3 * detSin((t * 330 - Math.floor(t * 330)) * TWO_PI) : 0;
  out[0] = 0.02 + 0.5 * detSin(u1 * TWO_PI) + 0.05 * s.normal() + fault;
  out[1] = -0.01 + 0.2 * detSin(u2 * TWO_PI) + 0.05 * s.normal();
  out[2] = 1 + 0.02 * s.normal() + fault * 0.5;
}

const windowCase: Case = {
  name: 'WindowFeatures',
  run(mh: Hasher, ph: Hasher) {
    const wf = new WindowFeatures({ nFeatures: 3, windowSize: 64, nBands: 4 });
    const small = new WindowFeatures({ nFeatures: 1, windowSize: 4, nBands: 2, features: ['p2p', 'mean'] });
    const s = new Stream(777);
    const x = new Float64Array(3);
    const one = new Float64Array(1);
    for (let i = 0; i < 1000; i++) {
      vibration(s, i, x);
      wf.push(x);
      one[0] = x[0] * 1000; // large values take the down-scaling path
      small.push(one);
      if (i % 16 === 15) {
        ph.ints(toInts(wf.features()));
        ph.ints(toInts(small.features()));
      }
    }
    hashModel(wf, mh);
    hashModel(small, mh);
  },
};

const windowPipelineCase: Case = {
  name: 'Pipeline.WindowFeatures.StandardScaler.GaussianScorer',
  run(mh: Hasher, ph: Hasher) {
    const g = new GaussianScorer({ nFeatures: 3 * 9, quantile: 0.99, margin: 1.5 });
    const p = new Pipeline([new WindowFeatures({ nFeatures: 3, windowSize: 32, nBands: 2 }), new StandardScaler({ nFeatures: 27 }), g]);
    const s = new Stream(778);
    const x = new Float64Array(3);
    for (let i = 0; i < 500; i++) {
      vibration(s, i, x);
      p.learnOne(x);
    }
    for (let i = 500; i < 760; i++) {
      vibration(s, i, x);
      const sc = p.scoreOne(x);
      ph.real(sc);
      ph.int(sc > g.threshold() ? 1 : 0);
    }
    hashModel(p, mh);
  },
};

export const suite2Cases: Case[] = [
  {
    name: 'MLP.sine',
    run(mh: Hasher, ph: Hasher) {
      ph.real(sineRun(1000, 99, mh, ph));
    },
  },
  mlpCase(
    'MLP.classification.relu.momentum',
    () => new MLP({ optimizer: 'sgd', nFeatures: 4, hidden: [8], activation: 'relu', task: 'classification', nOutputs: 3, learningRate: 0.02, momentum: 0.9, seed: 3 }),
    () => classStream(21, 4, 3, 1),
    4, 600, 60,
  ),
  mlpCase(
    'MLP.regression.sigmoid.two-layers',
    () => new MLP({ optimizer: 'sgd', nFeatures: 3, hidden: [6, 4], activation: 'sigmoid', learningRate: 0.05, seed: 4 }),
    () => regStream(22, 3, 1),
    3, 600, 60,
  ),
  mlpCase(
    'MLP.regression.linear.no-hidden',
    () => new MLP({ optimizer: 'sgd', nFeatures: 5, hidden: [], activation: 'linear', learningRate: 0.02, seed: 5 }),
    () => regStream(23, 5, 1),
    5, 400, 40,
  ),
  int8Case(
    'Int8MLP.classification',
    () => new MLP({ optimizer: 'sgd', nFeatures: 4, hidden: [8], activation: 'tanh', task: 'classification', nOutputs: 3, learningRate: 0.05, seed: 6 }),
    () => classStream(24, 4, 3, 1),
    4, 600, 60,
  ),
  int8Case('Int8Linear.LinearRegression', () => new LinearRegression({ nFeatures: 6, learningRate: 0.02 }), () => regStream(25, 6, 1), 6, 800, 60),
  int8Case('Int8Linear.LogisticRegression', () => new LogisticRegression({ nFeatures: 6, learningRate: 0.05 }), () => classStream(26, 6, 2, 1), 6, 800, 60),
  detectorCase('GaussianScorer', () => new GaussianScorer({ nFeatures: 5, quantile: 0.99, margin: 1.5 }), 5, false),
  detectorCase('GaussianScorer.max', () => new GaussianScorer({ nFeatures: 3, margin: 2, warmup: 0 }), 3, false),
  detectorCase('KMeansDetector', () => new KMeansDetector({ nFeatures: 4, k: 3, quantile: 0.95 }), 4, true),
  detectorCase('HalfSpaceTrees', () => new HalfSpaceTrees({ nFeatures: 4, nTrees: 6, height: 5, windowSize: 100, seed: 9, quantile: 0.9, margin: 1 }), 4, true),
  windowCase,
  windowPipelineCase,
  {
    name: 'Pipeline.MinMaxScaler.HalfSpaceTrees',
    run(mh: Hasher, ph: Hasher) {
      const h = new HalfSpaceTrees({ nFeatures: 2, nTrees: 4, height: 4, windowSize: 50, seed: 3, quantile: 0.95, margin: 1 });
      const p = new Pipeline([new MinMaxScaler({ nFeatures: 2 }), h]);
      const s = new Stream(31);
      const x = new Float64Array(2);
      for (let i = 0; i < 300; i++) {
        x[0] = 20 + s.normal();
        x[1] = 5 * s.uniform();
        p.learnOne(x);
      }
      for (let i = 0; i < 60; i++) {
        x[0] = 20 + s.normal() * (i % 5 === 0 ? 6 : 1);
        x[1] = 5 * s.uniform();
        ph.real(p.scoreOne(x));
      }
      hashModel(p, mh);
    },
  },
];
