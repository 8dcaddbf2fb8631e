/** ml-knn (batch: a k-d tree built once) over the same 100 samples the window holds; predict one sample. */
import KNN from 'ml-knn';

export function setup(row, data) {
  const n = data.train.X.length;
  const knn = new KNN(data.train.X.slice(n - row.window), data.train.Y.slice(n - row.window), { k: row.k });
  const X = data.loop.X;
  return {
    ops: { predictOne: function (k) { knn.predict(X[k]); } },
    touch: function (k) { X[k]; },
    value: function (k) { return knn.predict(X[k]); },
  };
}
