/**
 * The Hoeffding trees of issue 15: the classifier finds a raw-range split at
 * its class gap (lux ≈ 400) within its first grace periods and scores within
 * a point of naive Bayes; the regressor's protocol, bounds, round trips and
 * its float64 twin (bench/float-htr.ts).
 */
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { expectCode } from './util.js';
import { load } from '../index.js';
import { GaussianNB } from '../algorithms/naive_bayes.js';
import { HoeffdingTreeClassifier } from '../algorithms/hoeffding_tree.js';
import { HoeffdingTreeRegressor } from '../algorithms/hoeffding_tree_regressor.js';
import { LinearRegression } from '../algorithms/linear.js';
import { ModelType } from '../src/format.js';
import { FloatHTR } from '../bench/float-htr.js';
import { friedmanStream, roomStream } from './conformance/cases-trees.js';


describe('HoeffdingTreeClassifier: a feature that separates at a raw-range threshold', function () {
  this.timeout(60000);

  it('splits on light in the lux gap within two grace periods and scores within 1 point of GaussianNB', function () {
    const acc: string[] = [];
    for (let seed = 1; seed <= 5; seed++) {
      const tree = new HoeffdingTreeClassifier({ nFeatures: 5, nClasses: 2, maxDepth: 5, maxNodes: 63 });
      const nb = new GaussianNB({ nFeatures: 5, nClasses: 2 });
      const next = roomStream(seed);
      const x = new Float64Array(5);
      let firstSplit = 0;
      for (let i = 1; i <= 4000; i++) {
        const y = next(x);
        tree.learnOne(x, y);
        nb.learnOne(x, y);
        if (firstSplit === 0 && tree.nNodes > 1) firstSplit = i;
      }
      assert.ok(firstSplit > 0 && firstSplit <= 2 * tree.gracePeriod, 'seed ' + seed + ': first split after ' + firstSplit + ' samples');
      assert.equal(tree.feat[0], 2, 'seed ' + seed + ': the root splits on light');
      // in the gap as the tree has seen it at its first split: above the empty room's daylight (≤ 380 lux),
      // at most at the lowest occupied reading seen by then (the true gap starts at 420 lux)
      const t = tree.thr[0] / 65536;
      assert.ok(t >= 380 && t < 460, 'seed ' + seed + ': threshold ' + t + ' lux is not in the gap');
      // held-out: the next 10,000 minutes
      let rt = 0;
      let rn = 0;
      for (let i = 0; i < 10000; i++) {
        const y = next(x);
        if (tree.predictOne(x) === y) rt++;
        if (nb.predictOne(x) === y) rn++;
      }
      assert.ok(rt / 100 >= rn / 100 - 1, 'seed ' + seed + ': tree ' + rt / 100 + ' %, naive Bayes ' + rn / 100 + ' %');
      acc.push(rt / 100 + ' vs ' + rn / 100 + ' (split after ' + firstSplit + ' at ' + t.toFixed(0) + ' lux)');
    }
    console.log('      held-out accuracy, tree vs naive Bayes, seeds 1–5: ' + acc.join('; '));
  });
});

describe('HoeffdingTreeRegressor', function () {
  this.timeout(120000);

  it('matches its float64 twin and beats the mean and a linear model on Friedman #1', function () {
    for (const mode of ['adaptive', 'mean', 'linear'] as const) {
      const m = new HoeffdingTreeRegressor({ nFeatures: 10, leafPrediction: mode });
      const f = new FloatHTR(m);
      const lin = new LinearRegression({ nFeatures: 10 });
      const next = friedmanStream(61);
      const x = new Float64Array(10);
      let a = 0;
      let b = 0;
      let c = 0;
      let base = 0;
      let mean = 0;
      for (let i = 0; i < 12000; i++) {
        const y = next(x);
        if (i >= 6000) {
          a += Math.abs(m.predictOne(x) - y);
          b += Math.abs(f.predict(x) - y);
          c += Math.abs(lin.predictOne(x) - y);
          base += Math.abs(mean - y);
        }
        mean += (y - mean) / (i + 1);
        m.learnOne(x, y);
        f.learn(x, y);
        lin.learnOne(x, y);
      }
      assert.equal(m.nNodes, f.nNodes, mode + ': the twin grew another tree');
      assert.ok(Math.abs(a / b - 1) < 0.01, mode + ': MAE ' + a / 6000 + ', twin ' + b / 6000);
      assert.ok(a < (mode === 'mean' ? 0.8 : 0.5) * base, mode + ': MAE ' + a / 6000 + ' vs the mean ' + base / 6000);
      if (mode !== 'mean') assert.ok(a < c, mode + ': MAE ' + a / 6000 + ' vs LinearRegression ' + c / 6000);
      assert.ok(m.nNodes > 1);
    }
  });

  it('stays within maxNodes and maxDepth, keeps stateBytes and the saved size, reloads bit for bit', function () {
    const m = new HoeffdingTreeRegressor({ nFeatures: 10, maxNodes: 9, maxDepth: 2, gracePeriod: 50, delta: 0.01 });
    const S = 5;
    assert.equal(m.stateBytes, 9 * 12 + 12 + S * 31 + S * 10 * 8 + S * 10 * 11 * 12 + S * 11 * 6 + 10 * 14);
    const size = m.toBytes().length;
    const next = friedmanStream(62);
    const x = new Float64Array(10);
    for (let i = 0; i < 3000; i++) {
      m.learnOne(x, next(x));
      if (i === 1500) {
        const b = m.toBytes();
        const again = load(b, HoeffdingTreeRegressor);
        assert.deepEqual(again.toBytes(), b);
        for (let k = 0; k < 300; k++) {
          const y = next(x);
          m.learnOne(x, y);
          again.learnOne(x, y);
        }
        assert.deepEqual(again.toBytes(), m.toBytes(), 'a reloaded tree learns identically');
      }
    }
    assert.ok(m.nNodes <= 9 && m.depth() <= 2, 'nodes ' + m.nNodes + ', depth ' + m.depth());
    assert.equal(m.toBytes().length, size);
    assert.equal(m.toBytes()[5], ModelType.HoeffdingTreeRegressor);
  });

  it('rejects bad options and bad input, leaving the model as it was; damaged blobs are E_CORRUPT', function () {
    expectCode(() => new HoeffdingTreeRegressor({ nFeatures: 0 }), 'E_OPTION');
    expectCode(() => new HoeffdingTreeRegressor({ nFeatures: 2, leafPrediction: 'nb' as 'mean' }), 'E_OPTION');
    expectCode(() => new HoeffdingTreeRegressor({ nFeatures: 2, delta: 1 }), 'E_OPTION');
    expectCode(() => new HoeffdingTreeRegressor({ nFeatures: 2, nSplitPoints: 65 }), 'E_OPTION');
    expectCode(() => new HoeffdingTreeRegressor({ nFeatures: 2, maxNodes: 0 }), 'E_OPTION');
    const m = new HoeffdingTreeRegressor({ nFeatures: 2, gracePeriod: 20 });
    const rng = seedrandom('htr-bad');
    for (let i = 0; i < 200; i++) {
      const x = [rng() * 10, rng()];
      m.learnOne(x, x[0] > 5 ? 3 : -1);
    }
    const before = m.toBytes();
    expectCode(() => m.learnOne([1, NaN], 0), 'E_INPUT');
    expectCode(() => m.learnOne([1, 2], NaN), 'E_LABEL');
    expectCode(() => m.learnOne([1, 2], 1e6), 'E_RANGE');
    expectCode(() => m.learnOne([1], 0), 'E_INPUT');
    assert.deepEqual(m.toBytes(), before);
    assert.ok(Math.abs(m.predictOne([8, 0.5]) - 3) < 0.3 && Math.abs(m.predictOne([2, 0.5]) + 1) < 0.3, 'learns a step');
    // every single-bit flip is caught (CRC), every truncation too
    for (let i = 0; i < before.length; i += 7) {
      const c = before.slice();
      c[i] ^= 1 << i % 8;
      expectCode(() => load(c), 'E_CORRUPT');
    }
    for (let n = 0; n < before.length; n += 13) expectCode(() => load(before.subarray(0, n)), 'E_CORRUPT');
  });
});
