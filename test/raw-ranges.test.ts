/**
 * Raw sensor readings (issue 9 §5): nothing clips. The failures
 * (a StandardScaler that reported mean 32767.99998 and variance 0 after 40,000
 * and 90,000; a k-means centroid of air pressure pinned at 32768; raw lux
 * losing ~15–45 accuracy points) are checked directly, then every learner of
 * raw features is held to within 0.5 point of the same data pre-scaled.
 */
import assert from 'node:assert/strict';
import { MicrolearnError } from '../src/errors.js';
import * as L from '../index.js';
import { roomComparisons } from './raw-compare.js';

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof MicrolearnError, String(e));
    return e.code;
  }
  return '';
}

describe('raw sensor ranges', function () {
  it('StandardScaler after 40,000 and 90,000: mean 65,000, variance 6.25e8 (exact), z-scores ±1', function () {
    const s = new L.StandardScaler({ nFeatures: 1 });
    s.learnOne([40000]);
    s.learnOne([90000]);
    assert.equal(s.means()[0], 65000);
    assert.equal(s.variances()[0], 625000000);
    assert.deepEqual(Array.from(s.transformOne([40000])), [-1]);
    assert.deepEqual(Array.from(s.transformOne([90000])), [1]);
    // the same after a save and a load, and on the Q16.16 path (scaled by 1/64: z is scale-free)
    const again = L.load(s.toBytes(), L.StandardScaler);
    assert.deepEqual(Array.from(again.transformOne([65000 + 25000])), [1]);
  });

  it('k-means centroids of air pressure (≈ 101,325 Pa) sit at the data, not at 32768', function () {
    const km = new L.KMeans({ nFeatures: 2, k: 2 });
    const r = new L.Random(3);
    for (let i = 0; i < 500; i++) {
      const low = i % 2 === 0;
      km.learnOne([(low ? 100800 : 101800) + (r.nextU32() / 4294967296 - 0.5) * 200, 20 + r.nextU32() / 4294967296]);
    }
    const c = Array.from(km.centroids());
    const pa = [c[0], c[2]].sort((a, b) => a - b);
    assert.ok(Math.abs(pa[0] - 100800) < 20 && Math.abs(pa[1] - 101800) < 20, 'centroids ' + c.join(' '));
    assert.ok(Math.abs(c[1] - 20.5) < 0.1 && Math.abs(c[3] - 20.5) < 0.1, 'the small feature keeps its value');
    assert.equal(km.predictOne([100850, 20]), c[0] < c[2] ? 0 : 1);
  });

  it('every learner of raw features loses ≤ 0.5 point on raw readings against the same readings pre-scaled', function () {
    for (const c of roomComparisons(20000, 2026)) {
      console.log('      ' + c.name.padEnd(58) + ' raw ' + (100 * c.raw).toFixed(2) + ' %   pre-scaled (' + c.prescale + ') ' + (100 * c.scaled).toFixed(2) + ' %');
      assert.ok(c.raw >= c.scaled - 0.005, c.name + ': raw ' + c.raw + ' vs pre-scaled ' + c.scaled);
      assert.ok(c.scaled > (c.name.indexOf('KMeans') === 0 ? 0.7 : 0.9), c.name + ' learns the task: ' + c.scaled);
    }
  });

  it('what cannot be represented is E_RANGE, never a clip; detectors give their maximal score', function () {
    const s = new L.StandardScaler({ nFeatures: 1 });
    for (let i = 0; i < 10; i++) s.learnOne([i]);
    const before = s.toBytes();
    assert.equal(code(() => s.learnOne([2147483648])), 'E_RANGE'); // learnable: |x| < 2^31
    assert.deepEqual(s.toBytes(), before, 'a refused sample changes nothing');
    assert.equal(code(() => s.learnOne([NaN])), 'E_INPUT');
    // a z-score beyond ±32768 (std ≈ 2.9 here) is E_RANGE; one within is computed wide and exact
    assert.equal(code(() => s.transformOne([1e6])), 'E_RANGE');
    // (the std is a Q16.16 value: 0.5 LSB of 2.87 is 2.7e-6 relative, 0.05 at z = 17,400)
    assert.ok(Math.abs(s.transformOne([50000])[0] - (50000 - 4.5) / Math.sqrt(8.25)) < 0.1);
    const g = new L.GaussianScorer({ nFeatures: 2 });
    for (let i = 0; i < 50; i++) g.learnOne([i % 5, 100000 + (i % 7)]);
    assert.equal(g.scoreOne([2, 9e12]), L.fromQ(L.Q_MAX), "the maximal score");
    assert.equal(g.isAnomaly([2, 9e12]), true);
    const p = new L.Pipeline([new L.StandardScaler({ nFeatures: 2 }), new L.GaussianScorer({ nFeatures: 2 })]);
    for (let i = 0; i < 50; i++) p.learnOne([i % 5, 100000 + (i % 7)]);
    assert.equal(p.scoreOne([2, 1e12]), L.fromQ(L.Q_MAX), 'a transformer that cannot represent x gives the detector maximal score');
    assert.equal(p.isAnomaly([2, 1e12]), true);
    const km = new L.KMeans({ nFeatures: 1, k: 2 });
    km.learnOne([1]);
    km.learnOne([2]);
    assert.equal(code(() => km.predictOne([1e6])), 'E_RANGE', 'too far to rank the centroids exactly');
    const knn = new L.KNNRegressor({ nFeatures: 1, k: 1, windowSize: 4 });
    knn.learnOne([1], 1);
    assert.equal(code(() => knn.learnOne([1], 40000)), 'E_RANGE', 'targets are Q16.16');
  });

  it('rescales its state when an exponent grows: statistics stay those of the data, a detector score histogram follows exactly', function () {
    const s = new L.StandardScaler({ nFeatures: 2 });
    const r = new L.Random(8);
    const xs: number[][] = [];
    for (let i = 0; i < 3000; i++) {
      // feature 0 grows from ~10 to ~1e6 (its exponent grows step by step), feature 1 stays small
      const x = [Math.pow(10, 1 + (5 * i) / 3000) * (1 + r.nextU32() / 4294967296), r.nextU32() / 4294967296];
      xs.push(x);
      s.learnOne(x);
    }
    assert.ok(s.inputExponents()[0] >= 8 && s.inputExponents()[1] === 0, 'exponents ' + Array.from(s.inputExponents()));
    for (let j = 0; j < 2; j++) {
      let m = 0;
      for (const x of xs) m += x[j] / xs.length;
      let v = 0;
      for (const x of xs) v += ((x[j] - m) * (x[j] - m)) / xs.length;
      assert.ok(Math.abs(s.means()[j] - m) <= 1e-5 * Math.abs(m) + 1e-4, 'mean ' + j + ': ' + s.means()[j] + ' vs ' + m);
      assert.ok(Math.abs(s.variances()[j] - v) <= 1e-4 * v, 'variance ' + j + ': ' + s.variances()[j] + ' vs ' + v);
    }
    // KMeansDetector's scores are squared distances in units of 4^e: when e grows by d its calibrator's histogram moves
    // down 2d octaves, exactly (bin edges are powers of two apart), and every quantile follows within one LSB
    const c = new L.Calibrator({ warmup: 0 });
    const rc = new L.Random(4);
    for (let i = 0; i < 5000; i++) c.add(4096 + Math.floor((rc.nextU32() / 4294967296) * (rc.nextU32() / 4294967296) * 3e8));
    const before = [32768, 58982, 64880, 65536].map((q) => c.quantileOf(q));
    c.rescale(4); // e grew by 2: scores / 16
    const after = [32768, 58982, 64880, 65536].map((q) => c.quantileOf(q));
    for (let k = 0; k < before.length; k++) assert.ok(Math.abs(after[k] - before[k] / 16) <= 1, 'quantile ' + k + ': ' + after[k] + ' vs ' + before[k] / 16);
  });

  it('learns raw readings on the Q16.16 path too, and exponents only grow', function () {
    const nb = new L.GaussianNB({ nFeatures: 2, nClasses: 2 });
    const q = new Int32Array(2);
    const seen: number[] = [];
    for (let i = 0; i < 200; i++) {
      const big = i < 100 ? 10 : 1e6;
      q[0] = L.toQ(i % 2 ? 1.5 : -1.5);
      nb.learnOne([i % 2 ? 1.5 : -1.5, (i % 2 ? 0.6 : 0.4) * big], i % 2);
      nb.learnOneQ(q.map((v, j) => (j === 0 ? v : L.toQ(((i % 2 ? 0.6 : 0.4) * big) / 64))) as Int32Array, i % 2);
      seen.push(nb.inputExponents()[1]);
    }
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1]);
    assert.equal(nb.inputExponents()[0], 0, 'a small feature keeps exponent 0');
    assert.ok(seen[seen.length - 1] > 0);
    assert.equal(nb.predictOne([1.5, 600000]), 1);
    assert.equal(nb.predictOne([-1.5, 400000]), 0);
  });
});
