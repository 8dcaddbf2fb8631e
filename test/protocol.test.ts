/**
 * The learner protocol and the model format, on the foundation's models:
 * bad input leaves a model bit-for-bit unchanged, load() never returns a
 * model from damaged bytes and never throws anything but MicrolearnError,
 * no allocation-dependent behaviour, tree-shaking.
 */
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { rollup } from 'rollup';
import { join } from 'node:path';
import { MicrolearnError } from '../src/errors.js';
import { FORMAT_VERSION, ModelType } from '../src/format.js';
import { load } from '../index.js';
import { MinMaxScaler, StandardScaler } from '../src/preprocessing.js';
import { Pipeline } from '../src/pipeline.js';
import { WindowFeatures } from '../src/window.js';
import { Transformer, readVector } from '../src/learner.js';
import { Accuracy, ConfusionMatrix, MAE, RMSE, prequential } from '../src/metrics.js';
import { LinearRegression, LogisticRegression } from '../algorithms/linear.js';
import { ROOT } from './util.js';

type AnyModel = { toBytes(): Uint8Array; learnOne(x: ArrayLike<number>, y?: number): void; predictOne(x: ArrayLike<number>): number; stateBytes: number };

function trained(): AnyModel[] {
  const rng = seedrandom('protocol');
  const models: AnyModel[] = [
    new LinearRegression({ nFeatures: 4, learningRate: 0.05, l2: 0.001 }),
    new LogisticRegression({ nFeatures: 4, learningRate: 0.1, decay: 0.01 }),
    new Pipeline([new StandardScaler({ nFeatures: 4 }), new LogisticRegression({ nFeatures: 4 })]),
    new Pipeline([new MinMaxScaler({ nFeatures: 4 }), new LinearRegression({ nFeatures: 4 })]),
  ];
  for (let i = 0; i < 300; i++) {
    const x = [rng() * 10, rng() - 0.5, rng() * 100, rng()];
    for (const m of models) m.learnOne(x, x[1] > 0 ? 1 : 0);
  }
  return models;
}

function expectCode(f: () => unknown, code: string): void {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof MicrolearnError, 'not a MicrolearnError: ' + e);
    assert.ok(e instanceof Error);
    assert.equal((e as MicrolearnError).code, code, (e as Error).message);
    return;
  }
  assert.fail('expected ' + code);
}

describe('learner protocol', function () {
  it('rejects bad input with MicrolearnError and leaves the model bit-for-bit unchanged', function () {
    for (const m of trained()) {
      const before = m.toBytes();
      const bad: [unknown, unknown, string][] = [
        [[1, 2, 3], 0, 'E_INPUT'],
        [[1, 2, 3, 4, 5], 0, 'E_INPUT'],
        [[1, NaN, 3, 4], 0, 'E_INPUT'],
        [[1, 2, Infinity, 4], 0, 'E_INPUT'],
        [[1, 2, 3, -Infinity], 0, 'E_INPUT'],
        [[1, 2, '3', 4], 0, 'E_INPUT'],
        [null, 0, 'E_INPUT'],
        [[1, 2, 3, 4], NaN, 'E_LABEL'],
      ];
      if (m instanceof LogisticRegression || (m instanceof Pipeline && m.nClasses)) {
        bad.push([[1, 2, 3, 4], 2, 'E_LABEL'], [[1, 2, 3, 4], -1, 'E_LABEL'], [[1, 2, 3, 4], 0.5, 'E_LABEL']);
      } else bad.push([[1, 2, 3, 4], Infinity, 'E_LABEL']);
      for (const [x, y, code] of bad) {
        expectCode(() => m.learnOne(x as number[], y as number), code);
        assert.deepEqual(m.toBytes(), before);
      }
      expectCode(() => m.predictOne([1, 2]), 'E_INPUT');
    }
  });

  it('rejects bad options with E_OPTION', function () {
    expectCode(() => new LinearRegression({ nFeatures: 0 }), 'E_OPTION');
    expectCode(() => new LinearRegression({ nFeatures: 2.5 }), 'E_OPTION');
    expectCode(() => new LinearRegression({} as { nFeatures: number }), 'E_OPTION');
    expectCode(() => new LogisticRegression({ nFeatures: 3, learningRate: -1 }), 'E_OPTION');
    expectCode(() => new LogisticRegression({ nFeatures: 3, learningRate: NaN }), 'E_OPTION');
    expectCode(() => new Pipeline([new StandardScaler({ nFeatures: 3 }), new LogisticRegression({ nFeatures: 4 })]), 'E_OPTION');
  });

  it('reports exact stateBytes and keeps it constant while learning', function () {
    const m = new LogisticRegression({ nFeatures: 8 });
    assert.equal(m.stateBytes, 9 * 4 + 9 * 2 + 4);
    const p = new Pipeline([new StandardScaler({ nFeatures: 8 }), m]);
    assert.equal(p.stateBytes, 4 + 8 * 19 + m.stateBytes); // count; per feature mean, meanF, varI, varF, varR, input exponent
    const size = p.toBytes().length;
    for (let i = 0; i < 1000; i++) p.learnOne([i, 1, 2, 3, 4, 5, 6, i % 7], i % 2);
    assert.equal(p.stateBytes, 4 + 8 * 19 + m.stateBytes); // count; per feature mean, meanF, varI, varF, varR, input exponent
    assert.equal(p.toBytes().length, size);
  });

  it('accepts the zero-allocation Q16.16 path and gives the same model as the real path', function () {
    const a = new LinearRegression({ nFeatures: 3, learningRate: 0.05 });
    const b = new LinearRegression({ nFeatures: 3, learningRate: 0.05 });
    const xq = new Int32Array(3);
    for (let i = 0; i < 200; i++) {
      const x = [i % 5, (i * 7) % 3, 0.25 * (i % 4)];
      a.learnOne(x, x[0] - x[1]);
      for (let j = 0; j < 3; j++) xq[j] = Math.floor(x[j] * 65536 + 0.5);
      b.learnOneQ(xq, (x[0] - x[1]) * 65536);
    }
    assert.deepEqual(a.toBytes(), b.toBytes());
    expectCode(() => b.learnOneQ(new Int32Array(2), 0), 'E_INPUT');
    expectCode(() => b.learnOneQ(xq, 0.5), 'E_LABEL');
  });

  it('learns: logistic regression separates, linear regression fits', function () {
    const rng = seedrandom('learn');
    const lr = new LinearRegression({ nFeatures: 2, learningRate: 0.05 });
    const mae = new MAE();
    const stream = () => {
      const x = [rng() * 2 - 1, rng() * 2 - 1];
      return [x, 3 * x[0] - 2 * x[1] + 0.5] as [number[], number];
    };
    for (let i = 0; i < 3000; i++) {
      const [x, y] = stream();
      lr.learnOne(x, y);
    }
    for (let i = 0; i < 200; i++) {
      const [x, y] = stream();
      mae.update(y, lr.predictOne(x));
    }
    assert.ok(mae.get() < 0.01, 'MAE ' + mae.get());
    assert.ok(Math.abs(lr.weights()[0] - 3) < 0.02 && Math.abs(lr.weights()[1] + 2) < 0.02 && Math.abs(lr.bias() - 0.5) < 0.02);
    const clf = new LogisticRegression({ nFeatures: 2, learningRate: 0.1 });
    const a = new Accuracy();
    const c = new ConfusionMatrix(2);
    let n = 0;
    prequential(clf, () => (n++ < 2000 ? ((x) => [x, x[0] + x[1] > 0 ? 1 : 0] as [number[], number])([rng() * 2 - 1, rng() * 2 - 1]) : null), [a, c]);
    assert.ok(a.get() > 0.95, 'accuracy ' + a.get());
    assert.equal(c.get(), a.get());
    const p = clf.predictProbaOne([1, 1]);
    assert.ok(p[1] > 0.9 && Math.abs(p[0] + p[1] - 1) < 1e-4);
  });
});

describe('Pipeline with a clusterer', function () {
  it('learns without labels and predicts cluster indices; serializes', async function () {
    const { KMeans } = await import('../algorithms/kmeans.js');
    const p = new Pipeline([new StandardScaler({ nFeatures: 2 }), new KMeans({ nFeatures: 2, k: 2 })]);
    const rng = seedrandom('km');
    for (let i = 0; i < 400; i++) p.learnOne(i % 2 ? [1000 + rng() * 10, 5 + rng()] : [20 + rng() * 10, -5 + rng()]);
    const a = p.predictOne([1005, 5.5]);
    const b = p.predictOne([25, -4.5]);
    assert.notEqual(a, b);
    assert.ok(a === 0 || a === 1);
    assert.deepEqual((load(p.toBytes()) as unknown as AnyModel).toBytes(), p.toBytes());
    expectCode(() => p.learnOne([1, NaN]), 'E_INPUT');
  });
});

describe('Pipeline.learnTransformersOne', function () {
  it('learns the transformers as learnOne does and leaves the final step as it was; bad input changes nothing', function () {
    const make = () => new Pipeline([new StandardScaler({ nFeatures: 2 }), new StandardScaler({ nFeatures: 2 }), new LogisticRegression({ nFeatures: 2 })]);
    const full = make();
    const only = make();
    const untrained = make().steps[2].toBytes();
    const rng = seedrandom('lt');
    for (let i = 0; i < 200; i++) {
      const x = [rng() * 40 - 3, rng() * 0.5 + 7];
      full.learnOne(x, i % 2);
      only.learnTransformersOne(x);
    }
    assert.deepEqual(only.steps[0].toBytes(), full.steps[0].toBytes());
    assert.deepEqual(only.steps[1].toBytes(), full.steps[1].toBytes());
    assert.deepEqual(only.steps[2].toBytes(), untrained);
    const before = only.toBytes();
    expectCode(() => only.learnTransformersOne([1, NaN]), 'E_INPUT');
    expectCode(() => only.learnTransformersOne([1]), 'E_INPUT');
    assert.deepEqual(only.toBytes(), before);
  });
});

describe('TransformerBase.forwardOne (a Pipeline\'s first step)', function () {
  it('gives the bits of learnOne + transformOne + readVector, and of transformOne + readVector, as scales grow over raw sensor ranges', function () {
    const makers: Array<() => Transformer> = [
      () => new StandardScaler({ nFeatures: 3 }),
      () => new MinMaxScaler({ nFeatures: 3 }),
      () => new WindowFeatures({ nFeatures: 3, windowSize: 8 }),
    ];
    for (const make of makers) {
      const a = make();
      const b = make();
      const rng = seedrandom('fw');
      const viaReal = new Int32Array(a.nOutputs);
      const direct = new Int32Array(a.nOutputs);
      for (let i = 0; i < 400; i++) {
        // ranges that grow: the scale's exponents rise several times on the way
        const g = Math.pow(2, Math.floor(i / 40));
        const x = [(rng() - 0.5) * g, rng() * 3 * g + 1000, (rng() - 0.3) * 0.01 * g];
        const learn = i % 3 !== 2;
        if (learn) a.learnOne(x);
        readVector(a.transformOne(x), a.nOutputs, viaReal);
        b.forwardOne(x, direct, learn);
        assert.deepEqual(direct, viaReal, 'sample ' + i);
      }
      assert.deepEqual(b.toBytes(), a.toBytes());
      const before = b.toBytes();
      expectCode(() => b.forwardOne([1, NaN, 2], direct, true), 'E_INPUT');
      expectCode(() => b.forwardOne([1, 2], direct, true), 'E_INPUT');
      assert.deepEqual(b.toBytes(), before);
    }
  });
});

describe('metrics', function () {
  it('compute accuracy, MAE, RMSE and the confusion matrix', function () {
    const a = new Accuracy();
    const m = new MAE();
    const r = new RMSE();
    const c = new ConfusionMatrix(3);
    const t = [0, 1, 2, 2, 1];
    const p = [0, 2, 2, 2, 1];
    for (let i = 0; i < t.length; i++) {
      a.update(t[i], p[i]);
      m.update(t[i], p[i]);
      r.update(t[i], p[i]);
      c.update(t[i], p[i]);
    }
    assert.equal(a.get(), 0.8);
    assert.equal(m.get(), 0.2);
    assert.ok(Math.abs(r.get() - Math.sqrt(0.2)) < 1e-12);
    assert.equal(c.at(1, 2), 1);
    assert.equal(c.precision(2), 2 / 3);
    assert.equal(c.recall(1), 0.5);
    assert.ok(isNaN(new Accuracy().get()));
  });
});

describe('model format', function () {
  const models = trained();

  it('round-trips every model through load() bit-exactly, with its type', function () {
    const types = [ModelType.LinearRegression, ModelType.LogisticRegression, ModelType.Pipeline, ModelType.Pipeline];
    models.forEach((m, i) => {
      const b = m.toBytes();
      assert.equal(b[5], types[i]);
      const back = load(b) as unknown as AnyModel;
      assert.deepEqual(back.toBytes(), b);
      assert.equal(back.predictOne([1, 0.2, 30, 0.5]), m.predictOne([1, 0.2, 30, 0.5]));
      assert.equal(back.stateBytes, m.stateBytes);
    });
  });

  it('detects every single-bit flip, truncation and extension', function () {
    for (const m of models) {
      const b = m.toBytes();
      for (let i = 0; i < b.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const c = b.slice();
          c[i] ^= 1 << bit;
          expectCode(() => load(c), i === 4 ? 'E_CORRUPT' : 'E_CORRUPT');
        }
      }
      for (let n = 0; n < b.length; n++) expectCode(() => load(b.slice(0, n)), 'E_CORRUPT');
      const longer = new Uint8Array(b.length + 3);
      longer.set(b);
      assert.deepEqual((load(longer) as unknown as AnyModel).toBytes(), b, 'trailing bytes after the CRC are ignored (storage pads)');
    }
  });

  it('never returns a model from random bytes and never throws anything but MicrolearnError', function () {
    const rng = seedrandom('fuzz');
    const seeds = models.map((m) => m.toBytes());
    for (let t = 0; t < 20000; t++) {
      let b: Uint8Array;
      if (t % 2 === 0) {
        b = new Uint8Array(Math.floor(rng() * 200));
        for (let i = 0; i < b.length; i++) b[i] = Math.floor(rng() * 256);
        if (t % 4 === 0 && b.length > 4) b.set([0x4d, 0x4c, 0x52, 0x4e]);
      } else {
        b = seeds[t % seeds.length].slice();
        const k = 1 + Math.floor(rng() * 4);
        for (let j = 0; j < k; j++) b[Math.floor(rng() * b.length)] = Math.floor(rng() * 256);
        if (b.every((v, i) => v === seeds[t % seeds.length][i])) continue;
      }
      try {
        load(b);
        assert.fail('load returned a model from damaged bytes');
      } catch (e) {
        assert.ok(e instanceof MicrolearnError, String(e));
      }
    }
  });

  it('validates the contents of blobs whose CRC is valid (crafted data)', async function () {
    const { encode } = await import('../src/format.js');
    // nFeatures out of range, claimed state larger than the payload, unknown type, wrong version
    expectCode(() => load(encode(ModelType.LinearRegression, (w) => w.u32(0))), 'E_CORRUPT');
    expectCode(() => load(encode(ModelType.LinearRegression, (w) => { w.u32(60000); w.i32(655); w.i32(0); w.i32(0); })), 'E_CORRUPT');
    expectCode(() => load(encode(ModelType.LinearRegression, (w) => { w.u32(2); w.i32(-5); w.i32(0); w.i32(0); w.u32(0); for (let i = 0; i < 3; i++) w.i32(0); for (let i = 0; i < 3; i++) w.u16(0); })), 'E_CORRUPT');
    expectCode(() => load(encode(99, () => undefined)), 'E_TYPE');
    const ok = new LinearRegression({ nFeatures: 2 }).toBytes();
    expectCode(() => load(ok, LogisticRegression), 'E_TYPE');
    const v2 = ok.slice();
    v2[4] = FORMAT_VERSION + 1;
    const { crc32 } = await import('../src/crc32.js');
    const c = crc32(v2, 0, v2.length - 4);
    v2[v2.length - 4] = c & 0xff;
    v2[v2.length - 3] = (c >>> 8) & 0xff;
    v2[v2.length - 2] = (c >>> 16) & 0xff;
    v2[v2.length - 1] = c >>> 24;
    expectCode(() => load(v2), 'E_VERSION');
    expectCode(() => load('not bytes' as unknown as Uint8Array), 'E_CORRUPT');
  });
});

describe('packaging', function () {
  it('is tree-shakeable: importing one learner does not pull in the others', async function () {
    const entry = join(ROOT, 'build', 'treeshake-entry.mjs');
    const fs = await import('node:fs');
    fs.writeFileSync(entry, "import { LogisticRegression } from '../dist/esm/index.js';\nglobalThis.x = new LogisticRegression({ nFeatures: 2 });\n");
    const b = await rollup({ input: entry, onwarn() {}, treeshake: { moduleSideEffects: (id) => !id.includes('/dist/esm/') || /kernels\.js$/.test(id) } });
    const { output } = await b.generate({ format: 'es' });
    await b.close();
    const code = output[0].code;
    assert.ok(code.includes('LogisticRegression'));
    for (const other of ['StandardScaler', 'MinMaxScaler', 'class Pipeline', 'ConfusionMatrix', 'function load(']) assert.ok(!code.includes(other), other + ' was bundled');
  });

  it('loads as CommonJS too', async function () {
    const { createRequire } = await import('node:module');
    const req = createRequire(join(ROOT, 'package.json'));
    const m = req(join(ROOT, 'dist', 'cjs', 'index.cjs'));
    const lr = new m.LinearRegression({ nFeatures: 1 });
    lr.learnOne([1], 2);
    assert.ok(m.load(lr.toBytes()) instanceof m.LinearRegression);
  });
});

describe('blobHash', function () {
  it('tells apart two pipelines of one shape, which a CRC over their bytes cannot (each step ends in its own CRC)', async function () {
    const { crc32, blobHash } = await import('../src/crc32.js');
    const { LogisticRegression } = await import('../algorithms/linear.js');
    const make = () => new Pipeline([new StandardScaler({ nFeatures: 2 }), new LogisticRegression({ nFeatures: 2 })]);
    const a = make();
    const b = make();
    a.learnOne([1, 2], 1);
    b.learnOne([3, -1], 0);
    const ba = a.toBytes();
    const bb = b.toBytes();
    assert.equal(ba.length, bb.length);
    assert.notDeepEqual(Array.from(ba), Array.from(bb));
    // the flaw: all but the outer CRC, whose inside is made of blobs ending in their CRCs
    assert.equal(crc32(ba, 0, ba.length - 4), crc32(bb, 0, bb.length - 4));
    assert.notEqual(blobHash(ba), blobHash(bb));
    assert.equal(blobHash(ba), blobHash(a.toBytes()));
  });
});
