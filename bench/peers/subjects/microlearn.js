/**
 * microlearn itself, through its public API (the tsc output's index, bundled
 * by rollup: the module specifier 'microlearn' is resolved by run.mjs).
 * The same script measures the TypeScript kernels on build/xs/mlxs and the C
 * kernels on build/xs/mlxs-native (detected by the library, as for any user).
 *
 * learnOne / predictOne take plain Arrays, as users write them; learnOneQ /
 * predictOneQ take Int32Array Q16.16 vectors converted beforehand.
 */
import { KMeans, KNNClassifier, LinearRegression, LogisticRegression, MLP, backend, toQ } from 'microlearn';
import { LEARNING_RATE } from '../rows.js';

function make(row) {
  switch (row.task) {
    case 'binary':
      return new LogisticRegression({ nFeatures: row.d, learningRate: LEARNING_RATE });
    case 'regression':
      return new LinearRegression({ nFeatures: row.d, learningRate: LEARNING_RATE });
    case 'cluster':
      return new KMeans({ nFeatures: row.d, k: row.centers });
    case 'mlp':
      // Plain SGD like synaptic and the float64 loop (the MLP default is Adam since issue 15, which costs a sqrt and a division per weight).
      return new MLP({ nFeatures: row.d, hidden: [row.hidden], activation: 'sigmoid', optimizer: 'sgd', learningRate: LEARNING_RATE });
    case 'knn':
      return new KNNClassifier({ nFeatures: row.d, nClasses: row.centers, k: row.k, windowSize: row.window });
  }
  throw new Error('no microlearn model for ' + row.task);
}

export function setup(row, data) {
  const m = make(row);
  const X = data.loop.X;
  const Y = data.loop.Y;
  const XQ = X.map(function (x) { return Int32Array.from(x, toQ); });
  // Real-valued targets go in as Q16.16 to learnOneQ; labels as they are.
  const YQ = row.task === 'regression' || row.task === 'mlp' ? Y.map(toQ) : Y;
  const unsupervised = row.task === 'cluster';
  const ops = unsupervised
    ? {
        learnOne: function (k) { m.learnOne(X[k]); },
        predictOne: function (k) { m.predictOne(X[k]); },
        learnOneQ: function (k) { m.learnOneQ(XQ[k]); },
        predictOneQ: function (k) { m.predictOneQ(XQ[k]); },
      }
    : {
        learnOne: function (k) { m.learnOne(X[k], Y[k]); },
        predictOne: function (k) { m.predictOne(X[k]); },
        learnOneQ: function (k) { m.learnOneQ(XQ[k], YQ[k]); },
        predictOneQ: function (k) { m.predictOneQ(XQ[k]); },
      };
  return {
    info: { backend: backend() },
    learn: unsupervised ? function (x) { m.learnOne(x); } : function (x, y) { m.learnOne(x, y); },
    ops: ops,
    // The same reads as the widest op (x, y and their Q twins are distinct arrays of equal cost to index).
    touch: function (k) { X[k]; Y[k]; },
    value: function (k) { return m.predictOne(X[k]); },
  };
}
