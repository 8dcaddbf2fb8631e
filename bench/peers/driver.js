/**
 * The measuring loop of bench/peers, bundled into every subject's script for
 * the XS host. The orchestrator (run.mjs) runs the script three ways, with a
 * prelude that sets globalThis.BENCH = { mode, n: { op: iterations }, reps }:
 *
 *   'callgrind'  under valgrind --dump-before=mlxs_meter: meter() is called
 *                right before and right after each loop, so each loop gets a
 *                dump of its own (instructions)
 *   'instrument' on the -DmxInstrument host: floatOps() and gcCount() around
 *                each loop, and the prelude's Math wrappers count Math.* calls
 *                (globalThis.__mathCalls)
 *   'time'       on the default host: Date.now() around each loop
 *
 * Each op runs N iterations, and so does an "empty" loop that reads the same
 * stream items and calls nothing: (op − empty) / N cancels both the per-loop
 * constants (the readings around the loop are the same code) and the loop's own
 * cost per iteration. With config.n2 every loop also runs at 2N, to check that.
 * Output: one JSON line per loop on stdout.
 *
 * Order: the model learns the train samples first (unmeasured), then the
 * predict ops run (the model does not change), then the learn ops (it goes on
 * learning the cycled loop samples).
 */
import { stream, LOOP } from './stream.js';

/* eslint-disable no-undef */
const g = globalThis;
const config = g.BENCH || { mode: 'time', n: {} };
const readMeter = typeof meter === 'function' ? meter : function () { return 0; };
const readFloats = typeof floatOps === 'function' ? floatOps : function () { return 0; };
const readGC = typeof gcCount === 'function' ? gcCount : function () { return 0; };

function mathCalls() {
  const c = g.__mathCalls;
  if (!c) return null;
  const out = {};
  for (const name in c) if (c[name]) out[name] = c[name];
  return out;
}

function loop(subject, op, scale, count, body) {
  // An integer slot: XS compares an integer with a number slot (Math.max's result) in doubles, once per iteration.
  const n = count | 0;
  const g0 = readGC();
  const f0 = readFloats();
  const c0 = mathCalls();
  const t0 = Date.now();
  const m0 = readMeter();
  for (let i = 0, k = 0; i < n; i++) {
    body(k);
    if (++k === LOOP) k = 0;
  }
  const m1 = readMeter();
  const t1 = Date.now();
  const f1 = readFloats();
  const c1 = mathCalls();
  const g1 = readGC();
  const line = {
    subject: subject, op: op, scale: scale, n: n, meter: m1 - m0, ms: t1 - t0,
    floats: (f1 - f0 + 4294967296) % 4294967296, gc: (g1 - g0 + 65536) % 65536,
  };
  if (c1) {
    const math = {};
    for (const name in c1) if (c1[name] !== (c0[name] || 0)) math[name] = c1[name] - (c0[name] || 0);
    line.math = math;
  }
  print(JSON.stringify(line));
}

/**
 * How well the subject learned the loop samples (a sanity check that every
 * subject solves the same problem, not a benchmark): accuracy for labels,
 * mean absolute error for values, purity for clusters.
 */
function quality(row, data, predict) {
  const Y = data.loop.Y;
  let sum = 0;
  if (row.task === 'cluster') {
    const votes = {};
    for (let k = 0; k < LOOP; k++) {
      const c = predict(k);
      votes[c] = votes[c] || {};
      votes[c][Y[k]] = (votes[c][Y[k]] || 0) + 1;
    }
    for (const c in votes) sum += Math.max.apply(null, Object.keys(votes[c]).map(function (y) { return votes[c][y]; }));
    return { purity: sum / LOOP, clusters: Object.keys(votes).length };
  }
  if (row.task === 'binary' || row.task === 'knn') {
    for (let k = 0; k < LOOP; k++) if (predict(k) === Y[k]) sum++;
    return { accuracy: sum / LOOP };
  }
  for (let k = 0; k < LOOP; k++) sum += Math.abs(predict(k) - Y[k]);
  return { mae: Math.round((1e4 * sum) / LOOP) / 1e4 };
}

/**
 * Runs one subject on one row. `setup(row, data)` returns
 * { info?, learn?(x, y) for the train samples, ops: { name: body(k) }, touch(k),
 *   value(k): the prediction for loop sample k as a label, value or cluster }.
 */
export function run(subject, row, setup) {
  const data = stream(row);
  const s = setup(row, data);
  for (let i = 0; i < data.train.X.length; i++) if (s.learn) s.learn(data.train.X[i], data.train.Y[i]);
  print(JSON.stringify({ subject: subject, info: s.info || {} }));
  const names = Object.keys(s.ops).filter(function (op) { return config.n[op] > 0; });
  // Predict ops first: they leave the model as it is.
  names.sort(function (a, b) { return (a.indexOf('predict') === 0 ? 0 : 1) - (b.indexOf('predict') === 0 ? 0 : 1); });
  const reps = config.mode === 'time' ? config.reps || 1 : 1;
  // Each loop also at 2N when asked (run.mjs --n2): checks that the empty loop cancels every constant.
  const scales = config.mode !== 'time' && config.n2 ? [1, 2] : [1];
  let nEmpty = 0;
  for (const op of names) if (config.n[op] > nEmpty) nEmpty = config.n[op];
  for (let r = 0; r < reps; r++) {
    for (const m of scales) loop(subject, 'empty', m, m * nEmpty, s.touch);
    for (const op of names) for (const m of scales) loop(subject, op, m, m * config.n[op], s.ops[op]);
  }
  print(JSON.stringify({ subject: subject, quality: quality(row, data, s.value) }));
}
