/**
 * The optimizers (algorithms/optim.ts): Adam and RMSprop in the linear
 * models, SoftmaxRegression and the MLP. The first steps against their closed
 * form, whole runs against float64 twins, options, exact stateBytes, the
 * optimizer section of the blob (round trip, SGD blobs without it, damage),
 * bad input leaving the bytes unchanged, and the defaults that learn.
 */
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { expectCode } from './util.js';
import { crc32 } from '../src/crc32.js';
import { load } from '../index.js';
import { LinearRegression, LogisticRegression } from '../algorithms/linear.js';
import { SoftmaxRegression } from '../algorithms/softmax.js';
import { MLP } from '../algorithms/mlp.js';
import { FloatMLP } from '../bench/float-mlp.js';
import { detSin, sineGrid, sineStream } from './conformance/cases-suite2.js';


/** A copy of a blob with payload byte `at` (offset from the blob start) set to v, CRC recomputed. */
function patched(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = b.slice();
  c[at] = v;
  const n = c.length - 4;
  const crc = crc32(c, 0, n);
  c[n] = crc & 0xff;
  c[n + 1] = (crc >>> 8) & 0xff;
  c[n + 2] = (crc >>> 16) & 0xff;
  c[n + 3] = (crc >>> 24) & 0xff;
  return c;
}

/** A blob cut to its first `len` payload bytes, header length and CRC fixed. */
function truncated(b: Uint8Array, len: number): Uint8Array {
  const c = new Uint8Array(12 + len + 4);
  c.set(b.subarray(0, 12 + len));
  c[8] = len & 0xff;
  c[9] = (len >> 8) & 0xff;
  c[10] = (len >> 16) & 0xff;
  c[11] = (len >>> 24) & 0xff;
  const crc = crc32(c, 0, 12 + len);
  c[12 + len] = crc & 0xff;
  c[13 + len] = (crc >>> 8) & 0xff;
  c[14 + len] = (crc >>> 16) & 0xff;
  c[15 + len] = (crc >>> 24) & 0xff;
  return c;
}

describe('optimizers: Adam and RMSprop', function () {
  this.timeout(120000);

  it('the first Adam step moves every weight with a gradient by lr (bias correction), RMSprop by lr·√10', function () {
    for (const opt of ['adam', 'rmsprop'] as const) {
      const m = new LinearRegression({ nFeatures: 3, optimizer: opt, learningRate: 0.01 });
      m.learnOne([1, -2, 0], 3); // gradient −(3·x): weights move along sign(x), the bias up; x = 0 leaves w[2]
      const lr = m.core.lr / 65536;
      // RMSprop with ρ = 0.9 (held as 58982/65536): v = (1 − ρ)·g², so g/√v = 1/√(1 − ρ) ≈ √10
      const k = opt === 'adam' ? 1 : 1 / Math.sqrt(1 - m.core.opt.beta2 / 65536);
      // the wide (Q16.32) weights: w + f/2^16 LSB
      const c = m.core;
      const w = Array.from(c.w, (v, i) => (v * 65536 + c.f[i]) / 4294967296);
      const tol = k * lr * 1e-6 + 1e-9; // ε (1.2e-7 against |g| ≥ 1) and the 2^-24 resolution of the ratio
      assert.ok(Math.abs(w[0] - k * lr) < tol, opt + ' w0 ' + w[0]);
      assert.ok(Math.abs(w[1] + k * lr) < tol, opt + ' w1 ' + w[1]);
      assert.equal(w[2], 0);
      assert.ok(Math.abs(w[3] - k * lr) < tol, opt + ' bias ' + w[3]);
    }
  });

  it('LinearRegression and SoftmaxRegression with Adam follow a float64 Adam step for step', function () {
    const rng = seedrandom('optim-twin');
    const n = 4;
    const m = new LinearRegression({ nFeatures: n, optimizer: 'adam', learningRate: 0.02 });
    const o = m.core.opt;
    const b1 = o.beta1 / 65536;
    const b2 = o.beta2 / 65536;
    const eps = o.epsilon / 16777216;
    const lr = m.core.lr / 65536;
    const w = new Float64Array(n + 1);
    const mm = new Float64Array(n + 1);
    const vv = new Float64Array(n + 1);
    const truth = [0.5, -1.5, 2, 0.25];
    let worst = 0;
    for (let t = 1; t <= 3000; t++) {
      const x = truth.map(() => rng() * 2 - 1);
      const y = truth.reduce((s, c, i) => s + c * x[i], 0.3) + (rng() - 0.5) * 0.1;
      let p = w[n];
      for (let i = 0; i < n; i++) p += w[i] * x[i];
      worst = Math.max(worst, Math.abs(p - m.predictOne(x)));
      m.learnOne(x, y);
      const g = y - p;
      const c2 = Math.sqrt(1 - Math.pow(b2, t));
      const lrT = (lr * c2) / (1 - Math.pow(b1, t));
      for (let i = 0; i <= n; i++) {
        const gi = g * (i < n ? x[i] : 1);
        mm[i] = b1 * mm[i] + (1 - b1) * gi;
        vv[i] = b2 * vv[i] + (1 - b2) * gi * gi;
        w[i] += (lrT * mm[i]) / (Math.sqrt(vv[i]) + eps * c2);
      }
    }
    assert.ok(worst < 0.01, 'largest prediction difference ' + worst);
    const wq = m.weights();
    for (let i = 0; i < n; i++) assert.ok(Math.abs(wq[i] - truth[i]) < 0.05, 'w' + i + ' = ' + wq[i]);
    // softmax: learns a separable 3-class problem with Adam
    const s = new SoftmaxRegression({ nFeatures: 2, nClasses: 3, optimizer: 'adam', learningRate: 0.01 });
    let right = 0;
    for (let t = 0; t < 3000; t++) {
      const c = Math.floor(rng() * 3);
      const x = [c === 0 ? 2 : -1 + rng() * 0.5, c === 2 ? 2 : -1 + rng() * 0.5];
      if (t >= 2000 && s.predictOne(x) === c) right++;
      s.learnOne(x, c);
    }
    assert.ok(right >= 990, 'softmax with Adam: ' + right + ' / 1000 right');
  });

  it('the default MLP (Adam, tanh, decaying rate) learns the sine to MAE ≤ 0.05 within 10 % of its float64 twin; SGD with momentum 0.9 at its default rate does not diverge', function () {
    const run = (m: MLP) => {
      const f = new FloatMLP(m);
      const next = sineStream(99);
      const xy = new Float64Array(2);
      const x = new Float64Array(1);
      for (let i = 0; i < 20000; i++) {
        next(xy);
        x[0] = xy[0];
        m.learnOne(x, xy[1]);
        f.learn(x, xy[1]);
      }
      let a = 0;
      let b = 0;
      for (let i = 0; i < 200; i++) {
        x[0] = sineGrid(i, 200);
        a += Math.abs(m.predictOne(x) - detSin(x[0]));
        b += Math.abs(f.forward(x)[0] - detSin(x[0]));
      }
      return [a / 200, b / 200];
    };
    const [qa, fa] = run(new MLP({ nFeatures: 1, hidden: [16, 16] }));
    console.log('      sine, defaults (Adam lr 0.01, decay 0.001, tanh): MAE ' + qa.toFixed(4) + ', float64 twin ' + fa.toFixed(4));
    assert.ok(qa <= 0.05, 'MAE ' + qa);
    assert.ok(Math.abs(qa / fa - 1) < 0.1, 'twin ' + fa);
    const [qm, fm] = run(new MLP({ nFeatures: 1, hidden: [16, 16], activation: 'relu', optimizer: 'sgd', momentum: 0.9 }));
    console.log('      sine, SGD momentum 0.9 at its default rate: MAE ' + qm.toFixed(4) + ', float64 twin ' + fm.toFixed(4));
    assert.ok(qm < 0.2, 'momentum MAE ' + qm);
    assert.ok(Math.abs(qm / fm - 1) < 0.1, 'momentum twin ' + fm);
  });

  it('checks its options', function () {
    expectCode(() => new MLP({ nFeatures: 1, optimizer: 'nadam' as 'adam' }), 'E_OPTION');
    expectCode(() => new MLP({ nFeatures: 1, momentum: 0.9 }), 'E_OPTION'); // momentum is SGD's
    expectCode(() => new MLP({ nFeatures: 1, beta1: 1 }), 'E_OPTION');
    expectCode(() => new MLP({ nFeatures: 1, beta2: -0.1 }), 'E_OPTION');
    expectCode(() => new MLP({ nFeatures: 1, epsilon: 0 }), 'E_OPTION');
    expectCode(() => new MLP({ nFeatures: 1, epsilon: 2 }), 'E_OPTION');
    expectCode(() => new MLP({ nFeatures: 1, optimizer: 'rmsprop', beta1: 0.9 }), 'E_OPTION');
    expectCode(() => new LinearRegression({ nFeatures: 1, beta2: 0.9 }), 'E_OPTION'); // the linear default is SGD
    expectCode(() => new SoftmaxRegression({ nFeatures: 1, nClasses: 2, optimizer: 'sgd', epsilon: 1e-7 }), 'E_OPTION');
    // defaults
    assert.equal(new MLP({ nFeatures: 1 }).opt.kind, 1);
    assert.equal(new MLP({ nFeatures: 1 }).lr, 655); // 0.01
    assert.equal(new MLP({ nFeatures: 1 }).decay, 66); // 0.001
    assert.equal(new MLP({ nFeatures: 1, optimizer: 'rmsprop' }).decay, 66);
    assert.equal(new MLP({ nFeatures: 1 }).activation, 1); // tanh
    assert.equal(new MLP({ nFeatures: 1, optimizer: 'sgd' }).lr, 655); // 0.01
    assert.equal(new MLP({ nFeatures: 1, optimizer: 'sgd' }).decay, 0);
    assert.equal(new MLP({ nFeatures: 1, optimizer: 'sgd', momentum: 0.9 }).lr, 66); // 0.01·(1 − 0.9)
    assert.equal(new LinearRegression({ nFeatures: 1 }).core.opt.kind, 0);
    assert.equal(new LogisticRegression({ nFeatures: 1, optimizer: 'rmsprop' }).core.lr, 66);
    const o = new MLP({ nFeatures: 1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }).opt;
    assert.deepEqual([o.beta1, o.beta2, o.epsilon], [52429, 64881, 17]);
  });

  it('reports exact stateBytes and keeps them and the saved size over a stream', function () {
    assert.equal(new LinearRegression({ nFeatures: 5, optimizer: 'adam' }).stateBytes, 6 * 20 + 4 + 8);
    assert.equal(new LogisticRegression({ nFeatures: 5, optimizer: 'rmsprop' }).stateBytes, 6 * 14 + 4 + 8);
    assert.equal(new SoftmaxRegression({ nFeatures: 4, nClasses: 3, optimizer: 'adam' }).stateBytes, 5 * 3 * 20 + 4 + 8);
    assert.equal(new MLP({ nFeatures: 3, hidden: [4], optimizer: 'rmsprop' }).stateBytes, (12 + 4 + 4 + 1) * 14 + 4 + 8);
    const rng = seedrandom('optim-mem');
    const ms = [
      new LinearRegression({ nFeatures: 3, optimizer: 'adam' }),
      new SoftmaxRegression({ nFeatures: 3, nClasses: 3, optimizer: 'rmsprop' }),
      new MLP({ nFeatures: 3, hidden: [5], task: 'classification', nOutputs: 3 }),
    ];
    const sizes = ms.map((m) => m.toBytes().length);
    // every payload byte is state the model counts, plus its hyper-parameters
    for (let i = 0; i < 2000; i++) {
      const x = [rng() * 4 - 2, rng() * 4 - 2, rng() * 4 - 2];
      const c = x[0] > 0 ? 1 : x[1] > 0 ? 2 : 0;
      ms[0].learnOne(x, x[0] - x[2]);
      ms[1].learnOne(x, c);
      ms[2].learnOne(x, c);
    }
    assert.deepEqual(ms.map((m) => m.toBytes().length), sizes);
  });

  it('saves the optimizer section, reloads bit for bit and goes on learning identically; SGD blobs have none', function () {
    const rng = seedrandom('optim-rt');
    const make = [
      () => new LinearRegression({ nFeatures: 3, optimizer: 'adam', l2: 0.001, decay: 0.01 }),
      () => new LogisticRegression({ nFeatures: 3, optimizer: 'rmsprop', beta2: 0.95 }),
      () => new SoftmaxRegression({ nFeatures: 3, nClasses: 3, optimizer: 'adam', beta1: 0.5 }),
      () => new MLP({ nFeatures: 3, hidden: [4, 3], task: 'classification', nOutputs: 3, optimizer: 'rmsprop' }),
      () => new MLP({ nFeatures: 3, hidden: [4] }),
    ];
    for (const mk of make) {
      const a = mk();
      const data: [number[], number][] = [];
      for (let i = 0; i < 600; i++) {
        const x = [rng() * 2 - 1, rng() * 2 - 1, rng() * 2 - 1];
        data.push([x, a instanceof LinearRegression || (a instanceof MLP && a.nClasses === 0) ? x[0] * 2 - x[1] : x[0] > x[1] ? 1 : 0]);
      }
      for (let i = 0; i < 300; i++) a.learnOne(data[i][0], data[i][1]);
      const saved = a.toBytes();
      const b = load(saved) as typeof a;
      assert.deepEqual(b.toBytes(), saved);
      for (let i = 300; i < 600; i++) {
        a.learnOne(data[i][0], data[i][1]);
        b.learnOne(data[i][0], data[i][1]);
      }
      assert.deepEqual(b.toBytes(), a.toBytes(), a.constructor.name + ': the reloaded model diverged');
      // damage in the optimizer section is detected
      const n = saved.length - 4;
      expectCode(() => load(truncated(saved, n - 12 - 1)), 'E_CORRUPT');
      const sgdLen = a instanceof MLP ? -1 : 0;
      if (sgdLen === 0) {
        // the section starts right after the SGD payload: an unknown optimizer id there is corrupt
        const sgd = (a instanceof LinearRegression ? new LinearRegression({ nFeatures: 3 }) : a instanceof LogisticRegression ? new LogisticRegression({ nFeatures: 3 }) : new SoftmaxRegression({ nFeatures: 3, nClasses: 3 })).toBytes();
        const at = sgd.length - 4; // first byte of the optimizer section
        expectCode(() => load(patched(saved, at, 7)), 'E_CORRUPT');
        // and cutting the whole section off leaves a valid SGD model: blobs without the section are SGD
        const plain = load(truncated(saved, at - 12));
        assert.equal((plain as LinearRegression).stateBytes, load(sgd).stateBytes);
      }
    }
    // an SGD model's blob is its SGD payload only
    assert.equal(new LinearRegression({ nFeatures: 5 }).toBytes().length, 12 + 4 + 12 + 4 + 6 * 6 + 4);
  });

  it('bad input leaves an Adam model bit for bit as it was', function () {
    const m = new MLP({ nFeatures: 2, hidden: [3], task: 'classification', nOutputs: 2 });
    m.learnOne([0.5, 0.2], 1);
    const before = m.toBytes();
    expectCode(() => m.learnOne([NaN, 1], 0), 'E_INPUT');
    expectCode(() => m.learnOne([1, 1], 2), 'E_LABEL');
    expectCode(() => m.learnOne([1e6, 1], 0), 'E_RANGE');
    assert.deepEqual(m.toBytes(), before);
    const l = new LinearRegression({ nFeatures: 2, optimizer: 'adam' });
    l.learnOne([1, 2], 3);
    const lb = l.toBytes();
    expectCode(() => l.learnOne([1, 2], Infinity), 'E_LABEL');
    expectCode(() => l.learnOne([1], 2), 'E_INPUT');
    assert.deepEqual(l.toBytes(), lb);
  });
});
