/**
 * merge (src/merge.ts) and the per-class static merges: FedAvg of the SGD
 * models against an exact BigInt reference of the weighted mean (every
 * parameter, every optimizer moment), order independence, inputs left
 * unchanged, the step counter rule, merge of merges against the flat merge
 * within the proven bound, the weight scaling path, Pipeline step by step,
 * the trees' refusal, and every kind of bad input.
 */
import assert from 'node:assert/strict';
import { expectCode } from './util.js';
import { merge, MAX_MERGE } from '../src/merge.js';
import { Pipeline } from '../src/pipeline.js';
import { WindowFeatures } from '../src/window.js';
import { LinearRegression, LogisticRegression } from '../algorithms/linear.js';
import { SoftmaxRegression } from '../algorithms/softmax.js';
import { MLP } from '../algorithms/mlp.js';
import { Moments, Optimizer } from '../algorithms/optim.js';
import { HoeffdingTreeClassifier } from '../algorithms/hoeffding_tree.js';
import { HoeffdingTreeRegressor } from '../algorithms/hoeffding_tree_regressor.js';
import { classStream, regStream } from './conformance/cases-learners.js';

// BigInt() rather than literals: the project compiles for ES2017
const N0 = BigInt(0);
const N1 = BigInt(1);
const N2 = BigInt(2);
const N16 = BigInt(16);
const N32 = BigInt(32);
const N4294967295 = BigInt(4294967295);

type Any = LinearRegression | LogisticRegression | SoftmaxRegression | MLP;

/** Every averaged value of a model as an exact integer (wide weights in 2^-32 units, v in 2^-32, β^t in 2^-31). */
function values(m: Any): bigint[] {
  const out: bigint[] = [];
  const wide = (hi: Int32Array, lo: ArrayLike<number>, bits: bigint) => {
    for (let i = 0; i < hi.length; i++) out.push((BigInt(hi[i]) << bits) + BigInt(lo[i]));
  };
  const ints = (a: Int32Array) => {
    for (let i = 0; i < a.length; i++) out.push(BigInt(a[i]));
  };
  const opt = (o: Optimizer, ms: Moments[]) => {
    if (o.kind === 0) return;
    out.push(BigInt(o.p1), BigInt(o.p2));
    for (const s of ms) {
      if (s.m !== null && s.mf !== null) wide(s.m, s.mf, N16);
      wide(s.vI, s.vF, N32);
    }
  };
  if (m instanceof LinearRegression || m instanceof LogisticRegression) {
    wide(m.core.w, m.core.f, N16);
    opt(m.core.opt, m.core.moments());
  } else if (m instanceof SoftmaxRegression) {
    wide(m.w, m.wf, N16);
    wide(m.b, m.bf, N16);
    opt(m.opt, m.moments());
  } else {
    for (const d of m.layers) {
      wide(d.w, d.wf, N16);
      wide(d.b, d.bf, N16);
      if (d.vw !== null && d.vb !== null) {
        ints(d.vw);
        ints(d.vb);
      }
    }
    opt(m.opt, m.moments());
  }
  return out;
}

/** round(Σ c·v / Σ c), half up, exactly. */
function refMean(vs: bigint[], c: bigint[]): bigint {
  let s = N0;
  let w = N0;
  for (let i = 0; i < vs.length; i++) {
    s += vs[i] * c[i];
    w += c[i];
  }
  const n = N2 * s + w;
  const d = N2 * w;
  let q = n / d;
  if (n % d !== N0 && n < N0) q -= N1; // BigInt division truncates; we want floor
  return q;
}

function counter(m: Any): number {
  return m instanceof LinearRegression || m instanceof LogisticRegression ? m.core.t : m.t;
}

/** Trains a copy of `make()` on `n` samples of `next` (x of width nf). */
function trained<T extends Any>(make: () => T, next: (x: Float64Array) => number, nf: number, n: number): T {
  const m = make();
  const x = new Float64Array(nf);
  for (let i = 0; i < n; i++) {
    const y = next(x);
    m.learnOne(x, y);
  }
  return m;
}

const same = (a: Uint8Array, b: Uint8Array) => assert.deepEqual(Buffer.from(a), Buffer.from(b));

interface Kind {
  name: string;
  make: () => Any;
  stream: (seed: number) => (x: Float64Array) => number;
  nf: number;
}

const kinds: Kind[] = [
  { name: 'LinearRegression sgd', make: () => new LinearRegression({ nFeatures: 5, learningRate: 0.02 }), stream: (s) => regStream(s, 5, 1), nf: 5 },
  { name: 'LinearRegression adam l2 decay', make: () => new LinearRegression({ nFeatures: 4, optimizer: 'adam', learningRate: 0.01, l2: 0.001, decay: 0.01 }), stream: (s) => regStream(s, 4, 30), nf: 4 },
  { name: 'LogisticRegression sgd', make: () => new LogisticRegression({ nFeatures: 6, learningRate: 0.05 }), stream: (s) => classStream(s, 6, 2, 1), nf: 6 },
  { name: 'LogisticRegression rmsprop', make: () => new LogisticRegression({ nFeatures: 3, optimizer: 'rmsprop', learningRate: 0.01 }), stream: (s) => classStream(s, 3, 2, 5), nf: 3 },
  { name: 'SoftmaxRegression sgd', make: () => new SoftmaxRegression({ nFeatures: 4, nClasses: 3, learningRate: 0.05 }), stream: (s) => classStream(s, 4, 3, 1), nf: 4 },
  { name: 'SoftmaxRegression adam', make: () => new SoftmaxRegression({ nFeatures: 4, nClasses: 3, optimizer: 'adam', learningRate: 0.01 }), stream: (s) => classStream(s, 4, 3, 1), nf: 4 },
  { name: 'MLP adam', make: () => new MLP({ nFeatures: 3, hidden: [6, 4], seed: 5 }), stream: (s) => regStream(s, 3, 1), nf: 3 },
  { name: 'MLP classification rmsprop tanh', make: () => new MLP({ nFeatures: 4, hidden: [5], task: 'classification', nOutputs: 3, activation: 'tanh', optimizer: 'rmsprop', seed: 2 }), stream: (s) => classStream(s, 4, 3, 1), nf: 4 },
  { name: 'MLP sgd momentum', make: () => new MLP({ nFeatures: 3, hidden: [5], optimizer: 'sgd', momentum: 0.9, seed: 3 }), stream: (s) => regStream(s, 3, 1), nf: 3 },
];

describe('merge: FedAvg of the SGD models', function () {
  for (const k of kinds) {
    describe(k.name, function () {
      const sizes = [120, 301, 57, 400];
      let models: Any[];
      before(function () {
        models = sizes.map((n, i) => trained(k.make, k.stream(100 + i), k.nf, n));
      });

      it('every parameter and moment is the exact weighted mean, rounded half up (default weights: samples seen)', function () {
        const m = merge(models);
        assert.equal(m.constructor, models[0].constructor);
        const vs = models.map(values);
        const got = values(m);
        const c = models.map((x) => BigInt(counter(x)));
        assert.equal(got.length, vs[0].length);
        for (let e = 0; e < got.length; e++) assert.equal(got[e], refMean(vs.map((v) => v[e]), c), 'value ' + e);
        assert.equal(counter(m), sizes.reduce((a, b) => a + b, 0));
      });

      it('explicit weights, the step counter rule, a single model', function () {
        const w = [3, 0, 1, 7];
        const m = merge(models, w);
        const vs = models.map(values);
        const got = values(m);
        for (let e = 0; e < got.length; e++) assert.equal(got[e], refMean(vs.map((v) => v[e]), w.map(BigInt)), 'value ' + e);
        // max(t_k − w_k, 0) + Σ w_k
        const base = Math.max(...models.map((x, i) => Math.max(0, counter(x) - w[i])));
        assert.equal(counter(m), base + 11);
        // one model: the same parameters and counter, a new object
        const one = merge([models[1]]);
        assert.notEqual(one, models[1]);
        same(one.toBytes(), models[1].toBytes());
      });

      it('is independent of the order of the models and leaves them unchanged', function () {
        const before = models.map((m) => m.toBytes());
        const a = merge(models, [5, 6, 7, 8]).toBytes();
        const b = merge([models[2], models[0], models[3], models[1]], [7, 5, 8, 6]).toBytes();
        same(a, b);
        models.forEach((m, i) => same(m.toBytes(), before[i]));
      });

      it('a merge of merges is the flat merge within one unit of the last place (2^-32), the counter exactly', function () {
        const flat = merge(models);
        const left = merge([models[0], models[1]]);
        const right = merge([models[2], models[3]]);
        const tree = merge([left, right]);
        assert.equal(counter(tree), counter(flat));
        const a = values(flat);
        const b = values(tree);
        let maxd = N0;
        for (let e = 0; e < a.length; e++) {
          const d = a[e] > b[e] ? a[e] - b[e] : b[e] - a[e];
          if (d > maxd) maxd = d;
        }
        assert.ok(maxd <= N1, 'difference ' + maxd);
        // three levels: at most 2
        const deep = merge([merge([merge([models[0], models[1]]), models[2]]), models[3]]);
        const c = values(deep);
        for (let e = 0; e < a.length; e++) {
          const d = a[e] > c[e] ? a[e] - c[e] : c[e] - a[e];
          assert.ok(d <= N2, 'value ' + e + ' differs by ' + d);
        }
      });

      it('the merged model loads, predicts and keeps learning', function () {
        const m = merge(models);
        const copy = (m.constructor as unknown as { fromBytes(b: Uint8Array): Any }).fromBytes(m.toBytes());
        same(copy.toBytes(), m.toBytes());
        const next = k.stream(999);
        const x = new Float64Array(k.nf);
        for (let i = 0; i < 50; i++) m.learnOne(x, next(x));
        assert.equal(counter(m), sizes.reduce((a, b) => a + b, 0) + 50);
      });
    });
  }

  it('a fleet round: devices that adopted one global model of count T and report their new samples give T + Σ new', function () {
    const global = trained(() => new LogisticRegression({ nFeatures: 6 }), classStream(7, 6, 2, 1), 6, 500);
    const devices = [30, 40, 50].map((n, i) => {
      const d = LogisticRegression.fromBytes(global.toBytes());
      const next = classStream(20 + i, 6, 2, 1);
      const x = new Float64Array(6);
      for (let j = 0; j < n; j++) d.learnOne(x, next(x));
      return d;
    });
    const g2 = merge(devices, [30, 40, 50]);
    assert.equal(g2.core.t, 500 + 120);
  });

  it('total weights from 2^35 on are scaled down by one power of two for all (exact against the scaled reference)', function () {
    const ms = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => trained(() => new LinearRegression({ nFeatures: 3 }), regStream(300 + i, 3, 1), 3, 50 + i));
    const w = ms.map((_, i) => 4294967295 - i * 1000); // Σ ≈ 2^35.3: every weight is halved (floor)
    const m = merge(ms, w);
    const vs = ms.map(values);
    const got = values(m);
    const scaled = w.map((x) => BigInt(Math.floor(x / 2)));
    for (let e = 0; e < got.length; e++) assert.equal(got[e], refMean(vs.map((v) => v[e]), scaled));
    assert.equal(m.core.t, 4294967295); // the counter saturates
  });

  it('extreme weights and values: the full Q16.32 range of the parameters is averaged without loss', function () {
    const a = new LinearRegression({ nFeatures: 2 });
    const b = new LinearRegression({ nFeatures: 2 });
    a.core.w.set([2147483647, -2147483648, 1]);
    a.core.f.set([65535, 0, 1]);
    b.core.w.set([2147483647, -2147483648, -1]);
    b.core.f.set([65535, 0, 65535]);
    const m = merge([a, b], [4294967295, 4294967295]);
    assert.deepEqual(Array.from(m.core.w), [2147483647, -2147483648, 0]);
    assert.deepEqual(Array.from(m.core.f), [65535, 0, 32768]); // bias (65537 + (−1)) / 2 = 32768 units of 2^-32
    const v = values(m);
    const ref = [0, 1, 2].map((e) => refMean([values(a)[e], values(b)[e]], [N4294967295, N4294967295]));
    assert.deepEqual(v, ref);
  });
});

describe('merge: Pipeline, trees, bad input', function () {
  it('merges a Pipeline step by step', function () {
    const make = () => new Pipeline([new LogisticRegression({ nFeatures: 4 })]);
    const ps = [0, 1, 2].map((i) => {
      const p = make();
      const next = classStream(50 + i, 4, 2, 1);
      const x = new Float64Array(4);
      for (let j = 0; j < 100 + 10 * i; j++) p.learnOne(x, next(x));
      return p;
    });
    const m = merge(ps, [1, 2, 3]);
    assert.ok(m instanceof Pipeline);
    const direct = merge(ps.map((p) => p.steps[0] as LogisticRegression), [1, 2, 3]);
    same(m.steps[0].toBytes(), direct.toBytes());
    expectCode(() => merge([ps[0], new Pipeline([new LogisticRegression({ nFeatures: 5 })])]), 'E_SHAPE');
    try {
      merge([ps[0], new Pipeline([new LinearRegression({ nFeatures: 4 })])]);
      assert.fail('no error');
    } catch (e) {
      assert.equal((e as { code: string }).code, 'E_TYPE');
      assert.match((e as Error).message, /^E_TYPE: step 0: model 1 is a LinearRegression/);
    }
  });

  it('refuses the Hoeffding trees with a reason', function () {
    const t = new HoeffdingTreeClassifier({ nFeatures: 2, nClasses: 2 });
    expectCode(() => merge([t, new HoeffdingTreeClassifier({ nFeatures: 2, nClasses: 2 })]), 'E_TYPE');
    assert.throws(() => merge([t]), /grows its own splits/);
    expectCode(() => merge([new HoeffdingTreeRegressor({ nFeatures: 2 })]), 'E_TYPE');
  });

  it('rejects mixed types, other options, bad weights and nothing learned, leaving every model as it was', function () {
    const a = trained(() => new LogisticRegression({ nFeatures: 3 }), classStream(1, 3, 2, 1), 3, 20);
    const before = a.toBytes();
    expectCode(() => merge([]), 'E_INPUT');
    expectCode(() => merge(null as unknown as LogisticRegression[]), 'E_INPUT');
    expectCode(() => merge([a, new LinearRegression({ nFeatures: 3 }) as unknown as LogisticRegression]), 'E_TYPE');
    expectCode(() => merge([{} as LogisticRegression]), 'E_TYPE');
    expectCode(() => merge([new WindowFeatures({ nFeatures: 1, windowSize: 4 })]), 'E_TYPE');
    expectCode(() => LogisticRegression.merge([a, new LogisticRegression({ nFeatures: 4 })]), 'E_SHAPE');
    expectCode(() => merge([a, new LogisticRegression({ nFeatures: 3, learningRate: 0.02 })]), 'E_SHAPE');
    expectCode(() => merge([a, new LogisticRegression({ nFeatures: 3, l2: 0.1 })]), 'E_SHAPE');
    expectCode(() => merge([a, new LogisticRegression({ nFeatures: 3, optimizer: 'adam', learningRate: 0.01 })]), 'E_SHAPE');
    expectCode(() => merge([new SoftmaxRegression({ nFeatures: 3, nClasses: 3 }), new SoftmaxRegression({ nFeatures: 3, nClasses: 4 })]), 'E_SHAPE');
    expectCode(() => merge([new MLP({ nFeatures: 2, hidden: [4] }), new MLP({ nFeatures: 2, hidden: [5] })]), 'E_SHAPE');
    expectCode(() => merge([new MLP({ nFeatures: 2, hidden: [4] }), new MLP({ nFeatures: 2, hidden: [4, 4] })]), 'E_SHAPE');
    expectCode(() => merge([new MLP({ nFeatures: 2, seed: 1 }), new MLP({ nFeatures: 2, seed: 2 })], [1, 1]), 'E_SHAPE');
    expectCode(() => merge([new MLP({ nFeatures: 2, beta1: 0.8 }), new MLP({ nFeatures: 2 })], [1, 1]), 'E_SHAPE');
    expectCode(() => merge([a, a], [1]), 'E_INPUT');
    expectCode(() => merge([a, a], [1, -1]), 'E_INPUT');
    expectCode(() => merge([a, a], [1, 0.5]), 'E_INPUT');
    expectCode(() => merge([a, a], [1, NaN]), 'E_INPUT');
    expectCode(() => merge([a, a], [1, 4294967296]), 'E_INPUT');
    expectCode(() => merge([a, a], [0, 0]), 'E_STATE');
    expectCode(() => merge([new LogisticRegression({ nFeatures: 3 })]), 'E_STATE'); // nothing learned: no default weight
    same(a.toBytes(), before);
    assert.ok(MAX_MERGE >= 100000);
  });
});
