/** ml-kmeans (batch: fitted once on the train samples); predict one sample with nearest([x]). */
import { kmeans } from 'ml-kmeans';

export function setup(row, data) {
  const fit = kmeans(data.train.X, row.centers, { seed: row.seed, initialization: 'kmeans++' });
  const X = data.loop.X;
  const B = X.map(function (x) { return [x]; });
  return {
    info: { iterations: fit.iterations },
    ops: { predictOne: function (k) { fit.nearest(B[k]); } },
    touch: function (k) { B[k]; },
    value: function (k) { return fit.nearest(B[k])[0]; },
  };
}
