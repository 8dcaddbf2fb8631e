/**
 * stdlib's incremental learners: binary classification and regression by
 * SGD, online k-means. Inputs in their own formats: 1-d ndarrays for the
 * classifier and k-means (a 1×d matrix for k-means' predict), plain Arrays
 * for the regression. Labels ±1 for the classifier. Library defaults except
 * the constant learning rate of the other SGD subjects.
 */
import incrBinaryClassification from '@stdlib/ml-incr-binary-classification';
import incrSGDRegression from '@stdlib/ml-incr-sgd-regression';
import incrKMeans from '@stdlib/ml-incr-kmeans';
import ndarray from '@stdlib/ndarray-ctor';
import { LEARNING_RATE } from '../rows.js';

function vector(x) {
  return new ndarray('float64', Float64Array.from(x), [x.length], [1], 0, 'row-major');
}

function matrix(x) {
  return new ndarray('float64', Float64Array.from(x), [1, x.length], [x.length, 1], 0, 'row-major');
}

export function setup(row, data) {
  const X = data.loop.X;
  const Y = data.loop.Y;
  if (row.task === 'binary') {
    const acc = incrBinaryClassification(row.d, { learningRate: ['constant', LEARNING_RATE], loss: 'log', lambda: 0 });
    const V = X.map(vector);
    const S = Y.map(function (y) { return y ? 1 : -1; });
    return {
      learn: function (x, y) { acc(vector(x), y ? 1 : -1); },
      ops: {
        learnOne: function (k) { acc(V[k], S[k]); },
        predictOne: function (k) { acc.predict(V[k]); },
      },
      touch: function (k) { V[k]; S[k]; },
      value: function (k) { return acc.predict(V[k]).get() === 1 ? 1 : 0; },
    };
  }
  if (row.task === 'regression') {
    const acc = incrSGDRegression({ learningRate: 'constant', eta0: LEARNING_RATE, lambda: 0 });
    return {
      learn: function (x, y) { acc(x, y); },
      ops: {
        learnOne: function (k) { acc(X[k], Y[k]); },
        predictOne: function (k) { acc.predict(X[k]); },
      },
      touch: function (k) { X[k]; Y[k]; },
      value: function (k) { return acc.predict(X[k]); },
    };
  }
  if (row.task === 'cluster') {
    const acc = incrKMeans(row.centers, row.d, { seed: row.seed });
    const V = X.map(vector);
    const M = X.map(matrix);
    const out = new ndarray('float64', new Float64Array(1), [1], [1], 0, 'row-major');
    return {
      learn: function (x) { acc(vector(x)); },
      ops: {
        learnOne: function (k) { acc(V[k]); },
        predictOne: function (k) { acc.predict(out, M[k]); },
      },
      touch: function (k) { V[k]; M[k]; },
      value: function (k) { return acc.predict(out, M[k]).get(0); },
    };
  }
  throw new Error('stdlib has no learner for ' + row.task);
}
