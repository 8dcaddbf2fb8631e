/**
 * Conformance cases of the optimizers (algorithms/optim.ts): Adam and
 * RMSprop in the MLP and in the SGD linear models, with L2 and decay, raw
 * and scaled features. Each hashes predictions and the saved model (moments
 * included), so every engine must reproduce the kernel gerAdam bit for bit.
 */
import { Pipeline } from '../../src/pipeline.js';
import { StandardScaler } from '../../src/preprocessing.js';
import { LinearRegression, LogisticRegression } from '../../algorithms/linear.js';
import { SoftmaxRegression } from '../../algorithms/softmax.js';
import { MLP } from '../../algorithms/mlp.js';
import { Case, Hasher } from './harness.js';
import { classStream, hashModel, regStream, supervisedCase } from './cases-learners.js';
import { sineGrid, sineStream } from './cases-suite2.js';

/** The sine network with its defaults (Adam, tanh, decaying rate), trained on 800 samples; hashes grid predictions and the model. */
const sineAdam: Case = {
  name: 'Optim.MLP.sine.adam.defaults',
  run(mh: Hasher, ph: Hasher) {
    const m = new MLP({ nFeatures: 1, hidden: [16, 16] });
    const next = sineStream(77);
    const xy = new Float64Array(2);
    const x = new Float64Array(1);
    for (let i = 0; i < 800; i++) {
      next(xy);
      x[0] = xy[0];
      m.learnOne(x, xy[1]);
    }
    for (let i = 0; i < 50; i++) {
      x[0] = sineGrid(i, 50);
      ph.real(m.predictOne(x));
    }
    hashModel(m, mh);
  },
};

export const optimCases: Case[] = [
  sineAdam,
  supervisedCase(
    'Optim.MLP.classification.rmsprop.tanh',
    () => new MLP({ nFeatures: 4, hidden: [8], activation: 'tanh', task: 'classification', nOutputs: 3, optimizer: 'rmsprop', seed: 3 }),
    () => classStream(41, 4, 3, 1),
    4, 500, 60,
  ),
  supervisedCase(
    'Optim.MLP.classification.adam.decay.betas',
    () => new MLP({ nFeatures: 5, hidden: [6, 5], task: 'classification', nOutputs: 4, learningRate: 0.003, decay: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-5, seed: 4 }),
    () => classStream(42, 5, 4, 1),
    5, 500, 60,
  ),
  supervisedCase('Optim.LinearRegression.adam', () => new LinearRegression({ nFeatures: 6, optimizer: 'adam', learningRate: 0.01 }), () => regStream(43, 6, 1), 6, 1500, 100),
  supervisedCase(
    'Optim.LinearRegression.adam.raw.l2',
    () => new LinearRegression({ nFeatures: 3, optimizer: 'adam', learningRate: 0.05, l2: 0.001 }),
    () => regStream(44, 3, 300), // raw-range inputs: gradients saturate Q16.16, moments must not wrap
    3, 1500, 100,
  ),
  supervisedCase('Optim.LogisticRegression.rmsprop', () => new LogisticRegression({ nFeatures: 8, optimizer: 'rmsprop', learningRate: 0.005 }), () => classStream(45, 8, 2, 1), 8, 1500, 100),
  supervisedCase(
    'Optim.Pipeline.StandardScaler.SoftmaxRegression.adam.l2.decay',
    () => new Pipeline([new StandardScaler({ nFeatures: 5 }), new SoftmaxRegression({ nFeatures: 5, nClasses: 3, optimizer: 'adam', learningRate: 0.01, l2: 0.001, decay: 0.001 })]),
    () => classStream(46, 5, 3, 200),
    5, 1000, 100,
  ),
];
