/**
 * Conformance cases of merge (src/merge.ts): devices train on their own
 * seeded streams, then flat merges (default and explicit weights), a merge of
 * merges, and three fleet rounds (adopt the global model, learn, merge by the
 * samples since). Hashes every merged model and its predictions, so every
 * engine must reproduce the limb arithmetic bit for bit.
 */
import { load } from '../../index.js';
import { merge } from '../../src/merge.js';
import { Pipeline } from '../../src/pipeline.js';
import { LinearRegression, LogisticRegression } from '../../algorithms/linear.js';
import { SoftmaxRegression } from '../../algorithms/softmax.js';
import { MLP } from '../../algorithms/mlp.js';
import { GaussianNB } from '../../algorithms/naive_bayes.js';
import { MinMaxScaler, StandardScaler } from '../../src/preprocessing.js';
import { GaussianScorer } from '../../algorithms/anomaly/gaussian_scorer.js';
import { KMeans } from '../../algorithms/kmeans.js';
import { KMeansDetector } from '../../algorithms/anomaly/kmeans_detector.js';
import { KNNClassifier, KNNRegressor } from '../../algorithms/knn.js';
import { Case, Hasher } from './harness.js';
import { Trainable, classStream, hashModel, regStream } from './cases-learners.js';

type Stream = (x: Float64Array) => number;

function learn(m: Trainable, next: Stream, x: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const y = next(x);
    m.learnOne(x, y);
  }
}

function predict(m: Trainable, next: Stream, x: Float64Array, ph: Hasher): void {
  for (let i = 0; i < 40; i++) {
    next(x);
    ph.real(m.predictOne(x));
  }
}

function mergeCase(name: string, make: () => Trainable, stream: (seed: number) => Stream, nf: number): Case {
  return {
    name: 'Merge.' + name,
    run(mh: Hasher, ph: Hasher) {
      const x = new Float64Array(nf);
      const devices: Trainable[] = [];
      for (let d = 0; d < 4; d++) {
        const m = make();
        learn(m, stream(200 + d), x, 150 + 70 * d);
        devices.push(m);
      }
      const test = stream(299);
      const flat = merge(devices as never[]) as Trainable;
      hashModel(flat, mh);
      predict(flat, test, x, ph);
      hashModel(merge(devices as never[], [5, 1, 0, 9]) as Trainable, mh);
      const tree = merge([merge([devices[0], devices[1]] as never[]), merge([devices[2], devices[3]] as never[])]) as Trainable;
      hashModel(tree, mh);
      // fleet rounds: every device adopts the global model, learns, reports its new samples
      let global = flat;
      for (let r = 0; r < 3; r++) {
        const local: Trainable[] = [];
        const counts: number[] = [];
        for (let d = 0; d < 4; d++) {
          const m = load(global.toBytes()) as unknown as Trainable;
          learn(m, stream(300 + 10 * r + d), x, 40 + 13 * d);
          local.push(m);
          counts.push(40 + 13 * d);
        }
        global = merge(local as never[], counts) as Trainable;
      }
      hashModel(global, mh);
      predict(global, test, x, ph);
    },
  };
}

/** Statistics merges (no weights): flat, permuted, merge of merges; raw sensor ranges, so inputs have different exponents. */
function statsCase(name: string, make: () => Trainable, stream: (seed: number) => Stream, nf: number, scales: number[]): Case {
  return {
    name: 'Merge.' + name,
    run(mh: Hasher, ph: Hasher) {
      const x = new Float64Array(nf);
      const devices: Trainable[] = [];
      for (let d = 0; d < scales.length; d++) {
        const m = make();
        const next = stream(400 + d);
        for (let i = 0; i < 100 + 50 * d; i++) {
          const y = next(x);
          for (let j = 0; j < nf; j++) x[j] *= scales[d];
          m.learnOne(x, y);
        }
        devices.push(m);
      }
      const flat = merge(devices as never[]) as Trainable;
      hashModel(flat, mh);
      hashModel(merge([devices[2], devices[0], devices[1]] as never[]) as Trainable, mh);
      hashModel(merge([merge([devices[0], devices[1]] as never[]), devices[2]] as never[]) as Trainable, mh);
      if ((flat as { predictOne?: unknown }).predictOne) predict(flat, stream(499), x, ph);
      else if (flat.scoreOne) {
        const next = stream(499);
        for (let i = 0; i < 40; i++) {
          next(x);
          ph.real(flat.scoreOne(x));
        }
      }
    },
  };
}

export const mergeCases: Case[] = [
  statsCase('StandardScaler.raw', () => new StandardScaler({ nFeatures: 4 }) as unknown as Trainable, (s) => regStream(s, 4, 1), 4, [1, 3000, 0.01]),
  statsCase('MinMaxScaler.raw', () => new MinMaxScaler({ nFeatures: 3 }) as unknown as Trainable, (s) => regStream(s, 3, 1), 3, [1, 50000, 0.001]),
  statsCase('GaussianScorer.raw', () => new GaussianScorer({ nFeatures: 3, quantile: 0.99 }) as unknown as Trainable, (s) => regStream(s, 3, 1), 3, [1, 800, 0.02]),
  statsCase('KMeans.raw', () => new KMeans({ nFeatures: 3, k: 4 }) as unknown as Trainable, (s) => classStream(s, 3, 4, 1), 3, [1, 1, 300]),
  statsCase('KMeansDetector.raw', () => new KMeansDetector({ nFeatures: 3, k: 4, quantile: 0.95 }) as unknown as Trainable, (s) => classStream(s, 3, 4, 1), 3, [1, 1, 300]),
  statsCase('KNNClassifier.raw', () => new KNNClassifier({ nFeatures: 3, nClasses: 4, k: 5, windowSize: 64 }), (s) => classStream(s, 3, 4, 1), 3, [1, 2000, 0.01]),
  statsCase('KNNClassifier.fits', () => new KNNClassifier({ nFeatures: 3, nClasses: 4, k: 3, windowSize: 500 }), (s) => classStream(s, 3, 4, 1), 3, [1, 1, 1]),
  statsCase('KNNRegressor.reservoir.raw', () => new KNNRegressor({ nFeatures: 4, k: 4, windowSize: 80, policy: 'reservoir', seed: 3 }), (s) => regStream(s, 4, 1), 4, [1, 500, 0.1]),
  statsCase('GaussianNB.raw', () => new GaussianNB({ nFeatures: 4, nClasses: 3 }), (s) => classStream(s, 4, 3, 1), 4, [1, 2000, 0.05]),
  mergeCase('Pipeline.StandardScaler.LogisticRegression', () => new Pipeline([new StandardScaler({ nFeatures: 4 }), new LogisticRegression({ nFeatures: 4 })]), (s) => classStream(s, 4, 2, 300), 4),
  mergeCase('LinearRegression', () => new LinearRegression({ nFeatures: 6, learningRate: 0.02 }), (s) => regStream(s, 6, 1), 6),
  mergeCase('LinearRegression.adam.raw', () => new LinearRegression({ nFeatures: 3, optimizer: 'adam', learningRate: 0.05, decay: 0.01 }), (s) => regStream(s, 3, 300), 3),
  mergeCase('LogisticRegression', () => new LogisticRegression({ nFeatures: 5, learningRate: 0.05, l2: 0.001 }), (s) => classStream(s, 5, 2, 1), 5),
  mergeCase('LogisticRegression.rmsprop', () => new LogisticRegression({ nFeatures: 4, optimizer: 'rmsprop', learningRate: 0.01 }), (s) => classStream(s, 4, 2, 20), 4),
  mergeCase('SoftmaxRegression.adam', () => new SoftmaxRegression({ nFeatures: 4, nClasses: 3, optimizer: 'adam', learningRate: 0.01 }), (s) => classStream(s, 4, 3, 1), 4),
  mergeCase('MLP.adam', () => new MLP({ nFeatures: 3, hidden: [8, 4], seed: 9 }), (s) => regStream(s, 3, 1), 3),
  mergeCase('MLP.sgd.momentum.classification', () => new MLP({ nFeatures: 4, hidden: [6], task: 'classification', nOutputs: 3, optimizer: 'sgd', momentum: 0.9, seed: 4 }), (s) => classStream(s, 4, 3, 1), 4),
  mergeCase('Pipeline.LogisticRegression', () => new Pipeline([new LogisticRegression({ nFeatures: 5 })]), (s) => classStream(s, 5, 2, 1), 5),
];
