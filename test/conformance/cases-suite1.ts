/**
 * Conformance cases of algorithm suite I: softmax regression, k-NN, k-means,
 * Gaussian naive Bayes and the Hoeffding tree. Each trains on a seeded
 * stream (some on raw, wide-range features to exercise the saturation
 * paths), then hashes predictions, probabilities and the saved model.
 * Kept small: the whole family runs well under a second on Node.
 */
import { SoftmaxRegression } from '../../algorithms/softmax.js';
import { KNNClassifier, KNNRegressor } from '../../algorithms/knn.js';
import { KMeans } from '../../algorithms/kmeans.js';
import { GaussianNB } from '../../algorithms/naive_bayes.js';
import { HoeffdingTreeClassifier } from '../../algorithms/hoeffding_tree.js';
import { StandardScaler } from '../../src/preprocessing.js';
import { Pipeline } from '../../src/pipeline.js';
import { Case, Hasher } from './harness.js';
import { classStream, hashModel, regStream, supervisedCase } from './cases-learners.js';

/** k-means on the features of a class stream: hashes assignments during and after training, the centroids and the model. */
function kmeansCase(name: string, make: () => KMeans, seed: number, nFeatures: number, scale: number, nTrain: number, nTest: number): Case {
  return {
    name: name,
    run(mh: Hasher, ph: Hasher) {
      const m = make();
      const gen = classStream(seed, nFeatures, m.k, scale);
      const x = new Float64Array(nFeatures);
      for (let i = 0; i < nTrain; i++) {
        gen(x);
        if (i % 10 === 0) ph.int(m.predictOne(x));
        m.learnOne(x);
      }
      for (let i = 0; i < nTest; i++) {
        gen(x);
        ph.int(m.predictOne(x));
      }
      const c = m.centroids();
      for (let i = 0; i < c.length; i++) ph.real(c[i]);
      hashModel(m, mh);
    },
  };
}

export const suite1Cases: Case[] = [
  supervisedCase(
    'SoftmaxRegression',
    () => new SoftmaxRegression({ nFeatures: 6, nClasses: 4, learningRate: 0.05 }),
    () => classStream(21, 6, 4, 1),
    6, 800, 100,
  ),
  supervisedCase(
    'SoftmaxRegression.l2.decay.scaled-raw',
    () => new Pipeline([new StandardScaler({ nFeatures: 5 }), new SoftmaxRegression({ nFeatures: 5, nClasses: 3, learningRate: 0.1, l2: 0.001, decay: 0.01 })]),
    () => classStream(22, 5, 3, 500),
    5, 800, 100,
  ),
  supervisedCase(
    'KNNClassifier',
    () => new KNNClassifier({ nFeatures: 5, nClasses: 3, k: 5, windowSize: 64 }),
    () => classStream(23, 5, 3, 1),
    5, 600, 120,
  ),
  supervisedCase(
    'KNNClassifier.reservoir.raw',
    () => new KNNClassifier({ nFeatures: 4, nClasses: 3, k: 3, windowSize: 40, policy: 'reservoir', seed: 7 }),
    () => classStream(24, 4, 3, 3000), // squared distances far beyond Q16.16: the shift path
    4, 500, 120,
  ),
  supervisedCase(
    'KNNRegressor',
    () => new KNNRegressor({ nFeatures: 4, k: 4, windowSize: 64 }),
    () => regStream(25, 4, 1),
    4, 600, 120,
  ),
  kmeansCase('KMeans', () => new KMeans({ nFeatures: 4, k: 4 }), 26, 4, 1, 1200, 100),
  kmeansCase('KMeans.decay.raw', () => new KMeans({ nFeatures: 3, k: 3, decay: 0.02 }), 27, 3, 2000, 800, 100),
  supervisedCase('GaussianNB', () => new GaussianNB({ nFeatures: 6, nClasses: 3 }), () => classStream(28, 6, 3, 1), 6, 800, 100),
  supervisedCase(
    'GaussianNB.raw.tiny-smoothing',
    () => new GaussianNB({ nFeatures: 4, nClasses: 4, varSmoothing: 1e-4 }),
    () => classStream(29, 4, 4, 5000), // variances ~1e7: beyond Q16.16
    4, 1000, 100,
  ),
  supervisedCase(
    'HoeffdingTreeClassifier.nba',
    () => new HoeffdingTreeClassifier({ nFeatures: 4, nClasses: 3, maxDepth: 4, maxNodes: 15, gracePeriod: 50, delta: 0.01, tieThreshold: 0.1 }),
    () => classStream(30, 4, 3, 1),
    4, 1000, 100,
  ),
  supervisedCase(
    'HoeffdingTreeClassifier.mc.raw',
    () =>
      new HoeffdingTreeClassifier({
        nFeatures: 3, nClasses: 2, maxDepth: 6, maxNodes: 9, gracePeriod: 40, delta: 1e-5, tieThreshold: 0.2, nSplitPoints: 6, leafPrediction: 'mc',
      }),
    () => classStream(31, 3, 2, 800),
    3, 1500, 100,
  ),
];
