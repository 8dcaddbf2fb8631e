/**
 * The exact sufficient-statistic merges: StandardScaler and GaussianNB
 * (Chan's parallel Welford in fixed point) and MinMaxScaler (extremes),
 * against an exact BigInt reference of Chan's formula, against one model
 * trained on the union of the data (raw ranges: models with other input
 * exponents are aligned first), order independence, inputs unchanged,
 * merge of merges, and bad input.
 */
import assert from 'node:assert/strict';
import { expectCode } from './util.js';
import { merge } from '../src/merge.js';
import { Pipeline } from '../src/pipeline.js';
import { MinMaxScaler, StandardScaler } from '../src/preprocessing.js';
import { GaussianNB } from '../algorithms/naive_bayes.js';
import { LogisticRegression } from '../algorithms/linear.js';
import { GaussianScorer } from '../algorithms/anomaly/gaussian_scorer.js';
import { KMeans } from '../algorithms/kmeans.js';
import { load } from '../index.js';
import { Stream } from './conformance/harness.js';

const N0 = BigInt(0);
const N1 = BigInt(1);
const N2 = BigInt(2);
const N32 = BigInt(32);
const N16 = BigInt(16);

/** Rows of nf features: feature i ~ N(offset_i, scale_i). */
function data(seed: number, n: number, scale: number[], offset: number[]): Float64Array[] {
  const s = new Stream(seed);
  const out: Float64Array[] = [];
  for (let i = 0; i < n; i++) out.push(Float64Array.from(scale, (sc, j) => s.normal() * sc + offset[j]));
  return out;
}

function scaler(rows: Float64Array[]): StandardScaler {
  const m = new StandardScaler({ nFeatures: rows[0].length });
  for (const r of rows) m.learnOne(r);
  return m;
}

const same = (a: Uint8Array, b: Uint8Array) => assert.deepEqual(Buffer.from(a), Buffer.from(b));

function floorDivBig(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== N0 && (n < N0) !== (d < N0) ? q - N1 : q;
}

describe('merge: exact statistics', function () {
  const parts = [
    data(1, 300, [2, 0.01, 50], [20, 0.5, 400]),
    data(2, 170, [3, 0.02, 80], [23, 0.45, 900]),
    data(3, 520, [1, 0.01, 30], [18, 0.55, 600]),
  ];
  const all = parts.flat();

  it('StandardScaler: mean and variance are Chan\'s formula computed exactly and rounded once (BigInt reference)', function () {
    const ms = parts.map(scaler);
    for (const m of ms) assert.deepEqual(Array.from(m.inputExponents()), Array.from(ms[0].inputExponents())); // same exponents here
    const out = merge(ms);
    const c = ms.map((m) => BigInt(m.count));
    const C = c.reduce((a, b) => a + b, N0);
    for (let j = 0; j < 3; j++) {
      const mu = ms.map((m) => (BigInt(m.m.mean[j]) << N16) + BigInt(m.m.meanF[j]));
      const mhat = floorDivBig(N2 * mu.reduce((a, v, k) => a + v * c[k], N0) + C, N2 * C);
      assert.equal((BigInt(out.m.mean[j]) << N16) + BigInt(out.m.meanF[j]), mhat);
      let s = N0;
      ms.forEach((m, k) => {
        const v = (BigInt(m.m.varI[j]) << N32) + BigInt(m.m.varF[j]);
        const d = mu[k] - mhat;
        s += c[k] * ((v << N32) + d * d);
      });
      const D = C << N32;
      const vhat = floorDivBig(N2 * s + D, N2 * D);
      assert.equal((BigInt(out.m.varI[j]) << N32) + BigInt(out.m.varF[j]), vhat, 'variance ' + j);
      assert.equal(out.m.varR[j], 0);
    }
    assert.equal(out.count, 990);
  });

  it('StandardScaler: equals one scaler trained on all the data, across input exponents (raw ranges)', function () {
    const raw = [data(4, 400, [5, 1e4], [10, 2e5]), data(5, 300, [0.5, 10], [11, 50])];
    const ms = raw.map(scaler);
    assert.notDeepEqual(Array.from(ms[0].inputExponents()), Array.from(ms[1].inputExponents()));
    const before = ms.map((m) => m.toBytes());
    const out = merge(ms);
    const central = scaler(raw.flat());
    assert.deepEqual(Array.from(out.inputExponents()), Array.from(central.inputExponents()));
    const rows = raw.flat();
    for (let j = 0; j < 2; j++) {
      const mean = rows.reduce((a, r) => a + r[j], 0) / rows.length;
      const vr = rows.reduce((a, r) => a + (r[j] - mean) ** 2, 0) / rows.length;
      assert.ok(Math.abs(out.means()[j] - mean) <= 1e-6 * Math.abs(mean) + 1e-3, 'mean ' + j + ': ' + out.means()[j] + ' vs ' + mean);
      assert.ok(Math.abs(out.variances()[j] - vr) <= 1e-4 * vr, 'variance ' + j + ': ' + out.variances()[j] + ' vs ' + vr);
      // as close as the scaler that learned them one by one
      assert.ok(Math.abs(out.variances()[j] - central.variances()[j]) <= 1e-6 * vr, 'variance ' + j);
    }
    ms.forEach((m, k) => same(m.toBytes(), before[k]));
  });

  it('StandardScaler: order-independent; a merge of merges: the mean within 1 unit, the variance within 2 + the shard mean\'s distance (docs/fleet.md)', function () {
    const ms = parts.map(scaler);
    const flat = merge(ms);
    same(merge([ms[2], ms[0], ms[1]]).toBytes(), flat.toBytes());
    const tree = merge([merge([ms[0], ms[1]]), ms[2]]);
    assert.equal(tree.count, flat.count);
    for (let j = 0; j < 3; j++) {
      assert.ok(Math.abs(tree.m.mean[j] * 65536 + tree.m.meanF[j] - (flat.m.mean[j] * 65536 + flat.m.meanF[j])) <= 1);
      const shard = merge([ms[0], ms[1]]);
      const dist = Math.abs(shard.m.mean[j] * 65536 + shard.m.meanF[j] - (flat.m.mean[j] * 65536 + flat.m.meanF[j])) / 4294967296; // internal units
      const dv = Math.abs(tree.m.varI[j] * 4294967296 + tree.m.varF[j] - (flat.m.varI[j] * 4294967296 + flat.m.varF[j]));
      assert.ok(dv <= 2 + dist, 'variance ' + j + ' differs by ' + dv + ' (bound ' + (2 + dist) + ')');
    }
  });

  it('MinMaxScaler: the extremes of the union, exact, order-independent and associative bit for bit', function () {
    const ms = parts.map((p) => {
      const m = new MinMaxScaler({ nFeatures: 3 });
      for (const r of p) m.learnOne(r);
      return m;
    });
    const central = new MinMaxScaler({ nFeatures: 3 });
    for (const r of all) central.learnOne(r);
    const flat = merge(ms);
    same(flat.toBytes(), central.toBytes());
    same(merge([merge([ms[1], ms[2]]), ms[0]]).toBytes(), flat.toBytes());
    same(merge([ms[2], new MinMaxScaler({ nFeatures: 3 }), ms[0], ms[1]]).toBytes(), flat.toBytes()); // an empty one adds nothing
  });

  it('GaussianNB: counts add, per-class statistics merge exactly; predictions as one model trained on everything', function () {
    const s = new Stream(9);
    const make = () => new GaussianNB({ nFeatures: 3, nClasses: 3 });
    const sample = (x: Float64Array, room: number) => {
      const y = Math.floor(s.uniform() * 3);
      for (let j = 0; j < 3; j++) x[j] = s.normal() * (1 + j) + 3 * y + room;
      return y;
    };
    const ms = [make(), make(), make()];
    const central = make();
    const x = new Float64Array(3);
    for (let k = 0; k < 3; k++)
      for (let i = 0; i < 200 + 100 * k; i++) {
        const y = sample(x, k * 0.5);
        ms[k].learnOne(x, y);
        central.learnOne(x, y);
      }
    const out = merge(ms);
    assert.deepEqual(Array.from(out.counts), Array.from(central.counts));
    assert.equal(out.total, central.total);
    same(merge([ms[1], ms[2], ms[0]]).toBytes(), out.toBytes());
    let agree = 0;
    for (let i = 0; i < 500; i++) {
      sample(x, 0.5);
      if (out.predictOne(x) === central.predictOne(x)) agree++;
    }
    assert.ok(agree >= 495, agree + ' / 500');
    expectCode(() => merge([make(), new GaussianNB({ nFeatures: 3, nClasses: 4 })]), 'E_SHAPE');
  });

  it('GaussianScorer: statistics as one scorer of the union, calibration histograms added, order-independent', function () {
    const ms = parts.map((p) => {
      const m = new GaussianScorer({ nFeatures: 3 });
      for (const r of p) m.learnOne(r);
      return m;
    });
    const before = ms.map((m) => m.toBytes());
    const out = merge(ms);
    const central = new GaussianScorer({ nFeatures: 3 });
    for (const r of all) central.learnOne(r);
    assert.equal(out.count, central.count);
    for (let j = 0; j < 3; j++) {
      assert.ok(Math.abs(out.means()[j] - central.means()[j]) <= 1e-6 * Math.abs(central.means()[j]) + 1e-6);
      assert.ok(Math.abs(out.variances()[j] - central.variances()[j]) <= 1e-5 * central.variances()[j]);
    }
    assert.equal(out.cal.total, ms.reduce((a, m) => a + m.cal.total, 0));
    assert.deepEqual(Array.from(out.cal.hist), Array.from(out.cal.hist).map((_, b) => ms.reduce((a, m) => a + m.cal.hist[b], 0)));
    assert.equal(out.cal.max, Math.max(...ms.map((m) => m.cal.max)));
    same(merge([ms[1], ms[2], ms[0]]).toBytes(), out.toBytes());
    ms.forEach((m, k) => same(m.toBytes(), before[k]));
    // The threshold is median + margin·(max − median) of the histogram: for the union it is at least the
    // smallest device's and may pass the largest by a little (the union's maximum with a lower median).
    const th = ms.map((m) => m.threshold());
    assert.ok(out.threshold() >= Math.min(...th) && out.threshold() <= 1.01 * Math.max(...th), out.threshold() + ' vs ' + th);
    assert.ok(out.isAnomaly([40, 0.9, 3000]));
    expectCode(() => merge([ms[0], new GaussianScorer({ nFeatures: 3, margin: 2 })]), 'E_SHAPE');
  });

  it('KMeans: pooled centroids matched into k clusters, counts added, independent of the order, loadable', function () {
    const s = new Stream(21);
    const centres = [[0, 0], [10, 10], [-8, 12]];
    // three devices, each seeing two of the three true clusters (non-IID), one in raw units 1000× larger
    const devices = [[0, 1], [1, 2], [0, 2]].map((pair, d) => {
      const m = new KMeans({ nFeatures: 2, k: 3 });
      for (let i = 0; i < 300; i++) {
        const c = centres[pair[i % 2]];
        const sc = d === 2 ? 1000 : 1;
        m.learnOne([(c[0] + s.normal() * 0.5) * sc, (c[1] + s.normal() * 0.5) * sc]);
      }
      return m;
    });
    // device 2 learned in other units: bring it to the same scale for this test by training another in units
    const same2 = new KMeans({ nFeatures: 2, k: 3 });
    for (let i = 0; i < 300; i++) {
      const c = centres[[0, 2][i % 2]];
      same2.learnOne([c[0] + s.normal() * 0.5, c[1] + s.normal() * 0.5]);
    }
    const ms = [devices[0], devices[1], same2];
    const before = ms.map((m) => m.toBytes());
    const out = merge(ms);
    assert.equal(out.filled, 3);
    assert.equal(Array.from(out.counts).reduce((a, b) => a + b, 0), 900);
    const got = out.centroids();
    for (const c of centres) {
      let best = Infinity;
      for (let j = 0; j < 3; j++) best = Math.min(best, Math.hypot(got[2 * j] - c[0], got[2 * j + 1] - c[1]));
      assert.ok(best < 0.5, 'no merged centroid near ' + c + ': ' + Array.from(got));
    }
    same(merge([ms[2], ms[0], ms[1]]).toBytes(), out.toBytes());
    same((load(out.toBytes()) as KMeans).toBytes(), out.toBytes());
    ms.forEach((m, k) => same(m.toBytes(), before[k]));
    // a model in other units is aligned (its exponent is larger), not refused
    const mixed = merge([devices[0], devices[2]]);
    assert.equal(mixed.inputExponent(), devices[2].inputExponent());
    expectCode(() => merge([devices[0], new KMeans({ nFeatures: 2, k: 4 })]), 'E_SHAPE');
    expectCode(() => merge([devices[0], devices[1]], [1, 1]), 'E_INPUT');
  });

  it('weights do not apply to statistics; a Pipeline gives its weights to the final step only', function () {
    const a = scaler(parts[0]);
    expectCode(() => merge([a, a], [1, 2]), 'E_INPUT');
    expectCode(() => merge([a, new StandardScaler({ nFeatures: 2 })]), 'E_SHAPE');
    const pipes = parts.map((p, k) => {
      const m = new Pipeline([new StandardScaler({ nFeatures: 3 }), new LogisticRegression({ nFeatures: 3 })]);
      for (const r of p) m.learnOne(r, r[0] > 20 ? 1 : 0);
      return m;
    });
    const out = merge(pipes, [1, 2, 3]);
    same(out.steps[0].toBytes(), merge(pipes.map((p) => p.steps[0] as StandardScaler)).toBytes());
    same(out.steps[1].toBytes(), merge(pipes.map((p) => p.steps[1] as LogisticRegression), [1, 2, 3]).toBytes());
  });
});
