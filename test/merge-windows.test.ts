/**
 * The pooling merges of the k-NN windows (KNNClassifier, KNNRegressor) and of
 * KMeansDetector: against one model trained on the union where the math says
 * they agree (windows that together fit), the most recent samples by each
 * model's own order and sample count otherwise, raw ranges with different
 * input exponents, order independence, inputs left as they were, bad input.
 */
import assert from 'node:assert/strict';
import { expectCode } from './util.js';
import { merge } from '../src/merge.js';
import { KNNClassifier, KNNRegressor } from '../algorithms/knn.js';
import { KMeans } from '../algorithms/kmeans.js';
import { KMeansDetector } from '../algorithms/anomaly/kmeans_detector.js';
import { load } from '../index.js';
import { Stream } from './conformance/harness.js';

const same = (a: Uint8Array, b: Uint8Array) => assert.deepEqual(Buffer.from(a), Buffer.from(b));

type KNN = KNNClassifier | KNNRegressor;

/** The window's samples as strings (internal units, then the label or Q16.16 target), sorted: the multiset. */
function samples(m: KNN): string[] {
  const w = m.win;
  const out: string[] = [];
  for (let s = 0; s < w.filled; s++) out.push(Array.from(w.data.subarray(s * w.n, (s + 1) * w.n)).join(',') + ':' + w.ys[s]);
  return out.sort();
}

/** The window's samples from the most recent to the oldest (FIFO order). */
function recent(m: KNN): string[] {
  const w = m.win;
  const out: string[] = [];
  const start = w.filled === w.size ? w.pos : w.filled;
  for (let r = 0; r < w.filled; r++) {
    const s = (start - 1 - r + w.size) % w.size;
    out.push(Array.from(w.data.subarray(s * w.n, (s + 1) * w.n)).join(',') + ':' + w.ys[s]);
  }
  return out;
}

/** n labelled rows around class centres, offset per device (non-IID). */
function rows(seed: number, n: number, shift: number, scale = 1): { x: number[]; y: number }[] {
  const s = new Stream(seed);
  const out: { x: number[]; y: number }[] = [];
  for (let i = 0; i < n; i++) {
    const y = Math.floor(s.uniform() * 3);
    out.push({ x: [(s.normal() + 2 * y + shift) * scale, (s.normal() - y) * scale], y: y });
  }
  return out;
}

function classifier(data: { x: number[]; y: number }[], opts?: object): KNNClassifier {
  const m = new KNNClassifier({ nFeatures: 2, nClasses: 3, k: 5, windowSize: 300, ...opts });
  for (const r of data) m.learnOne(r.x, r.y);
  return m;
}

describe('merge: k-NN windows', function () {
  const parts = [rows(1, 120, 0), rows(2, 80, 1), rows(3, 50, -1)];

  it('windows that fit together: exactly the union\'s samples, predictions of one model trained on all of them', function () {
    const ms = parts.map((p) => classifier(p));
    const before = ms.map((m) => m.toBytes());
    const out = merge(ms);
    const central = classifier(parts.flat());
    assert.equal(out.size(), 250);
    assert.equal(out.win.seen, 250);
    assert.deepEqual(samples(out), samples(central));
    const q = new Stream(7);
    for (let i = 0; i < 300; i++) {
      const x = [q.normal() * 3 + 1, q.normal() * 2 - 1];
      assert.equal(out.predictOne(x), central.predictOne(x));
      assert.deepEqual(Array.from(out.predictProbaOne(x)), Array.from(central.predictProbaOne(x)));
    }
    ms.forEach((m, k) => same(m.toBytes(), before[k]));
    // order-independent bit for bit; a merge of merges holds the same samples (their slots may differ)
    same(merge([ms[2], ms[0], ms[1]]).toBytes(), out.toBytes());
    same(merge([ms[1], ms[2], ms[0]]).toBytes(), out.toBytes());
    assert.deepEqual(samples(merge([merge([ms[0], ms[1]]), ms[2]])), samples(out));
    same((load(out.toBytes()) as KNNClassifier).toBytes(), out.toBytes());
  });

  it('FIFO beyond the window: the most recent of each model in proportion to the samples it saw; the oldest kept is overwritten first', function () {
    const reg = (data: { x: number[]; y: number }[]) => {
      const m = new KNNRegressor({ nFeatures: 2, k: 3, windowSize: 40 });
      for (const r of data) m.learnOne(r.x, r.x[0] - r.x[1]);
      return m;
    };
    const da = rows(11, 300, 0), db = rows(12, 100, 2);
    const a = reg(da), b = reg(db);
    const out = merge([a, b]);
    assert.equal(out.size(), 40);
    assert.equal(out.win.seen, 400);
    // 300 : 100 samples seen → the 30 most recent of a and the 10 most recent of b
    assert.deepEqual(samples(out), samples(reg(da.slice(270))).concat(samples(reg(db.slice(90)))).sort());
    same(merge([b, a]).toBytes(), out.toBytes());
    // equal counts: round robin, half of each
    const c = reg(rows(13, 300, 1));
    const ac = merge([a, c]);
    assert.deepEqual(samples(ac), samples(reg(da.slice(280))).concat(samples(reg(rows(13, 300, 1).slice(280)))).sort());
    // the oldest kept by time is a's 30th most recent (59/600 before now): the next sample overwrites it
    const oldest = recent(out)[39];
    assert.equal(oldest, recent(a)[29]);
    out.learnOne([0.5, 0.5], 0);
    assert.equal(out.size(), 40);
    assert.ok(samples(out).indexOf(oldest) < 0);
    assert.equal(recent(out)[0], recent(reg([{ x: [0.5, 0.5], y: 0 }]))[0]);
  });

  it('reservoir windows: pooled in proportion to the samples seen, seen added, loadable', function () {
    const res = (seed: number, n: number) => {
      const m = new KNNRegressor({ nFeatures: 2, windowSize: 50, policy: 'reservoir', seed: 5 });
      for (const r of rows(seed, n, 0)) m.learnOne(r.x, r.y);
      return m;
    };
    const ms = [res(21, 400), res(22, 100), res(23, 30)];
    const out = merge(ms);
    assert.equal(out.win.seen, 530);
    assert.equal(out.size(), 50);
    assert.equal(out.win.pos, 0);
    const pooled = samples(out);
    const counts = ms.map((m) => samples(m).filter((s) => pooled.indexOf(s) >= 0).length);
    // 50 · 400/530 ≈ 37.7, 50 · 100/530 ≈ 9.4, 50 · 30/530 ≈ 2.8
    assert.deepEqual(counts, [38, 9, 3]);
    same(merge([ms[2], ms[1], ms[0]]).toBytes(), out.toBytes());
    same((load(out.toBytes()) as KNNRegressor).toBytes(), out.toBytes());
    out.learnOne([0, 0], 1); // goes on learning
    assert.equal(out.win.seen, 531);
  });

  it('raw ranges: a model in a smaller input exponent is merged from a rescaled copy, as a model that learned both would hold it', function () {
    // b's largest value comes first, so a model learning a then b grows its exponent once, as the merge rescales a once
    const da = rows(31, 60, 0);
    const db = [{ x: [40000, -30000], y: 2 }].concat(rows(32, 60, 1, 5000));
    const a = classifier(da), b = classifier(db);
    assert.ok(b.inputExponent() > a.inputExponent());
    const before = a.toBytes();
    const out = merge([a, b]);
    const central = classifier(da.concat(db));
    assert.equal(out.inputExponent(), central.inputExponent());
    assert.deepEqual(samples(out), samples(central));
    same(merge([b, a]).toBytes(), out.toBytes());
    same(a.toBytes(), before);
  });

  it('bad input: other options E_SHAPE naming the option, another class E_TYPE, weights E_INPUT; nothing modified', function () {
    const a = classifier(parts[0]);
    const before = a.toBytes();
    const shape = (m: KNNClassifier, what: string) => {
      expectCode(() => merge([a, m]), 'E_SHAPE');
      assert.throws(() => merge([a, m]), (e: Error) => e.message.indexOf('another ' + what + ' (') >= 0);
    };
    shape(classifier(parts[1], { windowSize: 200 }), 'windowSize');
    shape(classifier(parts[1], { k: 3 }), 'k');
    shape(classifier(parts[1], { policy: 'reservoir' }), 'policy');
    shape(classifier(parts[1], { seed: 2 }), 'seed');
    shape(new KNNClassifier({ nFeatures: 2, nClasses: 4, k: 5, windowSize: 300 }), 'nClasses');
    shape(new KNNClassifier({ nFeatures: 3, nClasses: 3, k: 5, windowSize: 300 }), 'nFeatures');
    expectCode(() => merge([a, new KNNRegressor({ nFeatures: 2, k: 5, windowSize: 300 })] as never[]), 'E_TYPE');
    expectCode(() => KNNRegressor.merge([a] as never[]), 'E_TYPE');
    expectCode(() => merge([a, a], [1, 1]), 'E_INPUT');
    same(a.toBytes(), before);
    // empty models merge into an empty one
    const e = merge([classifier([]), classifier([])]);
    assert.equal(e.size(), 0);
    same(e.toBytes(), classifier([]).toBytes());
    assert.equal(KNNClassifier.mergeKind, 'statistics');
    assert.equal(KNNRegressor.mergeKind, 'statistics');
  });
});

describe('merge: KMeansDetector', function () {
  const centres = [[0, 0], [10, 10], [-8, 12]];
  // three devices, each seeing two of the three clusters (non-IID)
  function device(d: number, pair: number[], scale = 1, opts?: object): KMeansDetector {
    const s = new Stream(40 + d);
    const m = new KMeansDetector({ nFeatures: 2, k: 3, ...opts });
    for (let i = 0; i < 300; i++) {
      const c = centres[pair[i % 2]];
      m.learnOne([(c[0] + s.normal() * 0.5) * scale, (c[1] + s.normal() * 0.5) * scale]);
    }
    return m;
  }
  const pairs = [[0, 1], [1, 2], [0, 2]];

  it('the k-means as KMeans.merge, calibration histograms added; order-independent, loadable, inputs untouched', function () {
    const ms = pairs.map((p, d) => device(d, p));
    const before = ms.map((m) => m.toBytes());
    const out = merge(ms);
    same(out.km.toBytes(), merge(ms.map((m) => m.km)).toBytes());
    assert.equal(out.km.filled, 3);
    assert.equal(Array.from(out.km.counts).reduce((a, b) => a + b, 0), 900);
    const got = out.km.centroids();
    for (const c of centres) {
      let best = Infinity;
      for (let j = 0; j < 3; j++) best = Math.min(best, Math.hypot(got[2 * j] - c[0], got[2 * j + 1] - c[1]));
      assert.ok(best < 0.5, 'no merged centroid near ' + c + ': ' + Array.from(got));
    }
    assert.deepEqual(Array.from(out.cal.hist), Array.from(out.cal.hist).map((_, b) => ms.reduce((a, m) => a + m.cal.hist[b], 0)));
    assert.equal(out.cal.total, ms.reduce((a, m) => a + m.cal.total, 0));
    assert.equal(out.cal.max, Math.max(...ms.map((m) => m.cal.max)));
    // every cluster is normal for the merged detector, though each device knew only two; between them is not
    for (const c of centres) assert.equal(out.isAnomaly(c), false, 'centre ' + c);
    assert.equal(out.isAnomaly([1, 11]), true);
    assert.equal(ms[0].isAnomaly([-8, 12]), true); // device 0 never saw that cluster
    same(merge([ms[2], ms[0], ms[1]]).toBytes(), out.toBytes());
    same((load(out.toBytes()) as KMeansDetector).toBytes(), out.toBytes());
    ms.forEach((m, k) => same(m.toBytes(), before[k]));
    assert.equal(KMeansDetector.mergeKind, 'statistics');
  });

  it('raw ranges: a detector in a smaller exponent is merged from a copy with its centroids and score histogram rescaled', function () {
    const small = device(0, [0, 1]);
    const big = device(1, [1, 2], 1000);
    const d = big.inputExponent() - small.inputExponent();
    assert.ok(d > 0);
    const copy = KMeansDetector.fromBytes(small.toBytes());
    copy.rescale(0, d);
    copy.km.scale.exps[0] = big.inputExponent();
    const before = small.toBytes();
    const out = merge([small, big]);
    same(out.toBytes(), merge([copy, big]).toBytes());
    assert.equal(out.inputExponent(), big.inputExponent());
    same(small.toBytes(), before);
  });

  it('bad input: other options E_SHAPE, another class E_TYPE, weights E_INPUT; nothing modified', function () {
    const a = device(0, [0, 1]);
    const before = a.toBytes();
    expectCode(() => merge([a, device(1, [1, 2], 1, { k: 4 })]), 'E_SHAPE');
    expectCode(() => merge([a, device(1, [1, 2], 1, { decay: 0.01 })]), 'E_SHAPE');
    expectCode(() => merge([a, device(1, [1, 2], 1, { quantile: 0.9 })]), 'E_SHAPE');
    expectCode(() => merge([a, new KMeans({ nFeatures: 2, k: 3 })] as never[]), 'E_TYPE');
    expectCode(() => merge([a, a], [1, 2]), 'E_INPUT');
    same(a.toBytes(), before);
    // detectors that learned nothing merge into one that learned nothing
    const fresh = () => new KMeansDetector({ nFeatures: 2, k: 3 });
    same(merge([fresh(), fresh()]).toBytes(), fresh().toBytes());
  });
});
