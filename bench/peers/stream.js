/**
 * The seeded sample stream every subject of bench/peers is fed, as plain
 * arrays of doubles; each subject converts it to its own input format before
 * any measured loop. Its own xorshift32 (not microlearn's Random) so that a
 * peer's bundle carries no microlearn code.
 *
 * stream(row) → { train: { X, Y }, loop: { X, Y } }
 *   train: samples learned before anything is measured (k-means seeding, the
 *          k-NN window, a batch peer's fit)
 *   loop:  LOOP samples, cycled through by every measured loop
 */

/** Samples in the measured cycle. */
export const LOOP = 64;
/** Samples learned before the measured loops (≥ the k-NN window of 100). */
export const TRAIN = 128;

function rng(seed) {
  let s = seed | 0 || 1;
  return function () {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** A value in -2..2 on a grid of 1/500 (exact decimals, the same in every format). */
function feature(r) {
  return (Math.floor(r() * 2001) - 1000) / 500;
}

function samples(row, r, count, w, centers) {
  const X = [];
  const Y = [];
  const d = row.d;
  for (let i = 0; i < count; i++) {
    const x = new Array(d);
    let y;
    if (row.task === 'cluster' || row.task === 'knn') {
      const c = Math.floor(r() * centers.length);
      for (let j = 0; j < d; j++) x[j] = Math.round((centers[c][j] + (r() - 0.5)) * 500) / 500;
      y = c;
    } else {
      let s = 0;
      for (let j = 0; j < d; j++) {
        x[j] = feature(r);
        s += w[j] * x[j];
      }
      const noise = (r() - 0.5) * 0.2;
      if (row.task === 'binary') y = s + noise > 0 ? 1 : 0;
      else if (row.task === 'regression') y = Math.round((s + 0.5 + noise) * 1000) / 1000;
      else y = Math.round((0.5 + 0.4 * Math.tanh(s + noise)) * 1000) / 1000; // 'mlp': a smooth target in 0.1..0.9
    }
    X.push(x);
    Y.push(y);
  }
  return { X: X, Y: Y };
}

export function stream(row) {
  const r = rng(row.seed);
  const w = [];
  for (let j = 0; j < row.d; j++) w.push(feature(r) / Math.sqrt(row.d));
  const centers = [];
  for (let c = 0; c < (row.centers || 0); c++) {
    const m = [];
    for (let j = 0; j < row.d; j++) m.push(feature(r) * 1.5);
    centers.push(m);
  }
  return { train: samples(row, r, TRAIN, w, centers), loop: samples(row, r, LOOP, w, centers) };
}
