/**
 * Algorithm suite I: SoftmaxRegression, KNNClassifier, KNNRegressor, KMeans,
 * GaussianNB, HoeffdingTreeClassifier. Protocol behaviour, bad input, the
 * format, the hard memory bound over 100k samples, determinism, the
 * documented tie-breaking rules, raw sensor ranges, and sanity accuracy.
 */
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { MicrolearnError } from '../src/errors.js';
import type { ModelClass } from '../src/learner.js';
import { crc32 } from '../src/crc32.js';
import { ModelType } from '../src/format.js';
import { load } from '../index.js';
import { StandardScaler } from '../src/preprocessing.js';
import { Pipeline } from '../src/pipeline.js';
import { SoftmaxRegression } from '../algorithms/softmax.js';
import { KNNClassifier, KNNRegressor } from '../algorithms/knn.js';
import { KMeans } from '../algorithms/kmeans.js';
import { GaussianNB, gaussLogLik, lnUnits, zScore } from '../algorithms/naive_bayes.js';
import { HoeffdingTreeClassifier } from '../algorithms/hoeffding_tree.js';

interface Learner {
  toBytes(): Uint8Array;
  learnOne(x: ArrayLike<number>, y?: number): void;
  predictOne(x: ArrayLike<number>): number;
  predictProbaOne?(x: ArrayLike<number>): Float64Array;
  learnOneQ(x: Int32Array, y?: number): void;
  predictOneQ(x: Int32Array): number;
  stateBytes: number;
  nFeatures: number;
}

interface Spec {
  name: string;
  type: number;
  /** 'class' (labels 0..nClasses-1), 'reg' (real target) or 'none' (k-means). */
  kind: 'class' | 'reg' | 'none';
  nClasses: number;
  make(nFeatures: number): Learner;
}

const SPECS: Spec[] = [
  { name: 'SoftmaxRegression', type: ModelType.SoftmaxRegression, kind: 'class', nClasses: 3, make: (n) => new SoftmaxRegression({ nFeatures: n, nClasses: 3, learningRate: 0.05, l2: 0.0001 }) },
  { name: 'KNNClassifier', type: ModelType.KNNClassifier, kind: 'class', nClasses: 3, make: (n) => new KNNClassifier({ nFeatures: n, nClasses: 3, k: 3, windowSize: 32 }) },
  {
    name: 'KNNClassifier.reservoir', type: ModelType.KNNClassifier, kind: 'class', nClasses: 3,
    make: (n) => new KNNClassifier({ nFeatures: n, nClasses: 3, k: 3, windowSize: 32, policy: 'reservoir', seed: 5 }),
  },
  { name: 'KNNRegressor', type: ModelType.KNNRegressor, kind: 'reg', nClasses: 0, make: (n) => new KNNRegressor({ nFeatures: n, k: 3, windowSize: 32 }) },
  { name: 'KMeans', type: ModelType.KMeans, kind: 'none', nClasses: 0, make: (n) => new KMeans({ nFeatures: n, k: 3, decay: 0.001 }) },
  { name: 'GaussianNB', type: ModelType.GaussianNB, kind: 'class', nClasses: 3, make: (n) => new GaussianNB({ nFeatures: n, nClasses: 3 }) },
  {
    name: 'HoeffdingTreeClassifier', type: ModelType.HoeffdingTreeClassifier, kind: 'class', nClasses: 3,
    make: (n) => new HoeffdingTreeClassifier({ nFeatures: n, nClasses: 3, maxDepth: 4, maxNodes: 11, gracePeriod: 30, delta: 0.01, tieThreshold: 0.2 }),
  },
];

/** Three Gaussian blobs (class c centred at 3c on every feature), optionally on a raw sensor scale. */
function blobs(seed: string, n: number, scale: number): () => [number[], number] {
  const rng = seedrandom(seed);
  const normal = () => {
    let s = 0;
    for (let i = 0; i < 12; i++) s += rng();
    return s - 6;
  };
  return () => {
    const c = Math.floor(rng() * 3);
    const x: number[] = [];
    for (let i = 0; i < n; i++) x.push((3 * c + (i % 2 ? 1 : -1) * c + normal()) * scale);
    return [x, c];
  };
}

function target(spec: Spec, x: number[], c: number): number | undefined {
  return spec.kind === 'class' ? c : spec.kind === 'reg' ? x[0] * 2 + 1 : undefined;
}

function trained(spec: Spec, n: number, samples: number, seed: string): Learner {
  const m = spec.make(n);
  const gen = blobs(seed, n, 1);
  for (let i = 0; i < samples; i++) {
    const [x, c] = gen();
    m.learnOne(x, target(spec, x, c));
  }
  return m;
}

function expectCode(f: () => unknown, code: string): void {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof MicrolearnError, 'not a MicrolearnError: ' + e);
    assert.equal((e as MicrolearnError).code, code, (e as Error).message);
    return;
  }
  assert.fail('expected ' + code);
}

/** Byte lengths of every typed array reachable from the model (two levels deep). */
function typedSizes(m: object): string {
  const out: string[] = [];
  const visit = (o: { [k: string]: unknown }, path: string, depth: number) => {
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (ArrayBuffer.isView(v)) out.push(path + k + ':' + v.byteLength);
      else if (v && typeof v === 'object' && depth > 0 && !Array.isArray(v)) visit(v as { [k: string]: unknown }, path + k + '.', depth - 1);
    }
  };
  visit(m as { [k: string]: unknown }, '', 2);
  return out.sort().join(',');
}

function sameBytes(a: Uint8Array, b: Uint8Array, msg: string): void {
  assert.equal(a.length, b.length, msg + ': length');
  assert.ok(Buffer.from(a).equals(Buffer.from(b)), msg + ': bytes differ');
}

describe('suite I learners', function () {
  for (const spec of SPECS) {
    describe(spec.name, function () {
      it('follows the protocol (types, reused probability arrays, Q paths agree)', function () {
        const m = trained(spec, 4, 300, 'proto-' + spec.name);
        const gen = blobs('proto-test', 4, 1);
        for (let i = 0; i < 50; i++) {
          const [x] = gen();
          const p = m.predictOne(x);
          assert.equal(typeof p, 'number');
          assert.ok(Number.isFinite(p));
          const xq = Int32Array.from(x, (v) => Math.floor(v * 65536 + 0.5));
          const pq = m.predictOneQ(xq);
          if (spec.kind === 'reg') assert.equal(pq / 65536, p);
          else assert.equal(pq, p);
          if (spec.kind !== 'reg') assert.ok(Number.isInteger(p) && p >= 0 && p < 3, 'label ' + p);
          if (spec.kind === 'class' && m.predictProbaOne) {
            const pr = m.predictProbaOne(x);
            assert.equal(pr.length, spec.nClasses);
            const sum = pr.reduce((s, v) => s + v, 0);
            assert.ok(Math.abs(sum - 1) < 1e-3, 'probabilities sum to ' + sum);
            for (const v of pr) assert.ok(v >= 0 && v <= 1);
            assert.equal(m.predictProbaOne(x), pr, 'the probability array is reused');
          }
        }
      });

      it('rejects bad input with MicrolearnError and leaves the model bit-for-bit unchanged', function () {
        const m = trained(spec, 4, 200, 'bad-' + spec.name);
        const before = m.toBytes();
        const y = spec.kind === 'none' ? undefined : 0;
        const badX: unknown[] = [[1, 2, 3], [1, 2, 3, 4, 5], [1, NaN, 3, 4], [1, 2, Infinity, 4], [-Infinity, 2, 3, 4], [1, 2, '3', 4], null, undefined, 5];
        for (const x of badX) {
          expectCode(() => m.learnOne(x as number[], y), 'E_INPUT');
          expectCode(() => m.predictOne(x as number[]), 'E_INPUT');
          if (spec.kind === 'class' && m.predictProbaOne) expectCode(() => m.predictProbaOne!(x as number[]), 'E_INPUT');
        }
        expectCode(() => m.learnOneQ(new Int32Array(3), y), 'E_INPUT');
        expectCode(() => m.learnOneQ(new Float64Array(4) as unknown as Int32Array, y), 'E_INPUT');
        expectCode(() => m.predictOneQ(new Int32Array(5)), 'E_INPUT');
        if (spec.kind === 'class') {
          for (const bad of [-1, 3, 1.5, NaN, Infinity, '1', undefined, null]) {
            expectCode(() => m.learnOne([1, 2, 3, 4], bad as number), 'E_LABEL');
            expectCode(() => m.learnOneQ(new Int32Array(4), bad as number), 'E_LABEL');
          }
        }
        if (spec.kind === 'reg') {
          for (const bad of [NaN, Infinity, -Infinity, '1', undefined]) expectCode(() => m.learnOne([1, 2, 3, 4], bad as number), 'E_LABEL');
          expectCode(() => m.learnOneQ(new Int32Array(4), 0.5), 'E_LABEL');
        }
        sameBytes(m.toBytes(), before, 'after bad input');
      });

      it('rejects bad options with E_OPTION', function () {
        expectCode(() => spec.make(0), 'E_OPTION');
        expectCode(() => spec.make(1.5), 'E_OPTION');
      });

      it('saves and loads: same bytes, same predictions, right type', function () {
        const m = trained(spec, 5, 400, 'save-' + spec.name);
        const b = m.toBytes();
        assert.equal(b[5], spec.type);
        const m2 = load(b) as unknown as Learner;
        assert.equal(m2.constructor, m.constructor);
        assert.equal(m2.stateBytes, m.stateBytes);
        sameBytes(m2.toBytes(), b, 'round trip');
        const again = load(b, m.constructor as unknown as ModelClass<Learner>);
        assert.ok(again);
        expectCode(() => load(b, (spec.type === ModelType.KMeans ? GaussianNB : KMeans) as ModelClass), 'E_TYPE');
        const gen = blobs('save-test', 5, 1);
        for (let i = 0; i < 40; i++) {
          const [x, c] = gen();
          assert.equal(m2.predictOne(x), m.predictOne(x));
          if (spec.kind === 'class' && m.predictProbaOne) assert.deepEqual(m2.predictProbaOne!(x), m.predictProbaOne(x));
          // and both keep learning identically
          m.learnOne(x, target(spec, x, c));
          m2.learnOne(x, target(spec, x, c));
        }
        sameBytes(m2.toBytes(), m.toBytes(), 'after further learning');
      });

      it('load() of damaged bytes throws only MicrolearnError (payload edits with a valid CRC included)', function () {
        const b = trained(spec, 3, 150, 'fuzz-' + spec.name).toBytes();
        const rng = seedrandom('fuzz-' + spec.name);
        for (let len = 0; len < b.length; len += 1 + Math.floor(b.length / 60)) expectCode(() => load(b.subarray(0, len)), 'E_CORRUPT');
        for (let t = 0; t < 300; t++) {
          const c = b.slice();
          const at = 12 + Math.floor(rng() * (c.length - 16));
          c[at] = Math.floor(rng() * 256);
          if (t % 3 === 0 && at + 4 < c.length - 4) c[at + 1] = 0xff; // big values in counts and sizes
          const crc = crc32(c, 0, c.length - 4);
          c[c.length - 4] = crc & 0xff;
          c[c.length - 3] = (crc >>> 8) & 0xff;
          c[c.length - 2] = (crc >>> 16) & 0xff;
          c[c.length - 1] = (crc >>> 24) & 0xff;
          let m: Learner | null = null;
          try {
            m = load(c) as unknown as Learner;
          } catch (e) {
            assert.ok(e instanceof MicrolearnError, 'load threw ' + e);
            continue;
          }
          // A blob that passes validation is a working model.
          const x = [0.5, -1, 2];
          try {
            m.predictOne(x);
            m.learnOne(x, target(spec, x, 1));
            m.predictOne(x);
            m.toBytes();
          } catch (e) {
            assert.ok(e instanceof MicrolearnError, 'a loaded model threw ' + e + ' (byte ' + at + ')');
          }
        }
      });

      it('never grows: stateBytes, typed arrays and toBytes() length are fixed over 100k samples', function () {
        this.timeout(60000);
        const m = spec.make(3);
        const sizes = typedSizes(m);
        const bytes0 = m.toBytes().length;
        const sb = m.stateBytes;
        const rng = seedrandom('memory-' + spec.name);
        const x = new Float64Array(3);
        for (let i = 0; i < 100000; i++) {
          // drifting, wide-range stream: keeps the tree splitting and the window turning over
          const c = Math.floor(rng() * 3);
          const drift = (i / 100000) * 50;
          x[0] = c * 10 + drift + rng() * 8;
          x[1] = (rng() - 0.5) * (i % 7 === 0 ? 20000 : 2);
          x[2] = c === 2 ? 400 + rng() * 100 : 800 + rng() * 3000;
          m.learnOne(x, spec.kind === 'class' ? c : spec.kind === 'reg' ? x[0] : undefined);
          if (i % 20000 === 0) assert.equal(m.toBytes().length, bytes0, 'toBytes length at ' + i);
        }
        assert.equal(m.stateBytes, sb);
        assert.equal(typedSizes(m), sizes);
        assert.equal(m.toBytes().length, bytes0);
        if (m instanceof HoeffdingTreeClassifier) {
          assert.ok(m.nNodes > 1 && m.nNodes <= m.maxNodes, 'nodes ' + m.nNodes);
          assert.ok(m.depth() <= m.maxDepth);
        }
      });

      it('is deterministic: the same stream gives the same bytes', function () {
        const a = trained(spec, 4, 500, 'det');
        const b = trained(spec, 4, 500, 'det');
        sameBytes(a.toBytes(), b.toBytes(), 'two runs');
        const c = trained(spec, 4, 500, 'det-other');
        assert.ok(!Buffer.from(a.toBytes()).equals(Buffer.from(c.toBytes())), 'another stream should give another model');
      });
    });
  }

  describe('sanity accuracy on separable blobs', function () {
    const classifiers: [string, () => { learnOne(x: number[], y: number): void; predictOne(x: number[]): number }][] = [
      ['SoftmaxRegression', () => new Pipeline([new StandardScaler({ nFeatures: 4 }), new SoftmaxRegression({ nFeatures: 4, nClasses: 3, learningRate: 0.1 })])],
      ['KNNClassifier', () => new KNNClassifier({ nFeatures: 4, nClasses: 3, k: 5, windowSize: 100 })],
      ['GaussianNB', () => new GaussianNB({ nFeatures: 4, nClasses: 3 })],
      ['HoeffdingTreeClassifier', () => new HoeffdingTreeClassifier({ nFeatures: 4, nClasses: 3, gracePeriod: 50, delta: 0.01, tieThreshold: 0.1, leafPrediction: 'mc' })],
      ['HoeffdingTreeClassifier.nba', () => new HoeffdingTreeClassifier({ nFeatures: 4, nClasses: 3 })],
    ];
    for (const [name, make] of classifiers) {
      for (const scale of [1, 500]) {
        it(name + (scale === 1 ? '' : ' on raw features ×' + scale), function () {
          const m = make();
          const gen = blobs('acc-' + name, 4, scale);
          let correct = 0;
          for (let i = 0; i < 3000; i++) {
            const [x, c] = gen();
            if (i >= 1000 && m.predictOne(x) === c) correct++;
            m.learnOne(x, c);
          }
          // axis-parallel majority-class leaves need more splits than these diagonal blobs allow early on
          const bar = name === 'HoeffdingTreeClassifier' ? 0.85 : 0.9;
          assert.ok(correct / 2000 > bar, name + ' prequential accuracy ' + correct / 2000);
        });
      }
    }

    it('KNNRegressor follows a smooth function', function () {
      const m = new KNNRegressor({ nFeatures: 1, k: 4, windowSize: 200 });
      const rng = seedrandom('knnreg');
      let err = 0;
      for (let i = 0; i < 2000; i++) {
        const x = rng() * 10;
        const y = Math.sin(x) * 3;
        if (i >= 1000) err += Math.abs(m.predictOne([x]) - y);
        m.learnOne([x], y);
      }
      assert.ok(err / 1000 < 0.1, 'MAE ' + err / 1000);
    });

    it('KMeans recovers the blobs (seeded with one sample of each)', function () {
      // Seeds are the first distinct samples: start from one per blob, as a device would during set-up.
      const m = new KMeans({ nFeatures: 4, k: 3 });
      m.learnOne([0, 0, 0, 0]);
      m.learnOne([2, 4, 2, 4]);
      m.learnOne([4, 8, 4, 8]);
      const gen = blobs('kmeans', 4, 1);
      const counts = new Map<string, number>();
      for (let i = 0; i < 3000; i++) {
        const [x, c] = gen();
        if (i >= 1000) {
          const k = c + '/' + m.predictOne(x);
          counts.set(k, (counts.get(k) || 0) + 1);
        }
        m.learnOne(x);
      }
      // purity: each true class mostly in one cluster
      let pure = 0;
      for (let c = 0; c < 3; c++) {
        let best = 0;
        for (let j = 0; j < 3; j++) best = Math.max(best, counts.get(c + '/' + j) || 0);
        pure += best;
      }
      assert.ok(pure / 2000 > 0.9, 'purity ' + pure / 2000);
    });
  });

  describe('documented behaviour', function () {
    it('k-NN: equal distances → lower slot; equal votes → class of the nearer neighbour', function () {
      const m = new KNNClassifier({ nFeatures: 1, nClasses: 3, k: 1, windowSize: 4 });
      m.learnOne([1], 2);
      m.learnOne([-1], 1);
      assert.equal(m.predictOne([0]), 2, 'tie at distance 1: slot 0 wins');
      const v = new KNNClassifier({ nFeatures: 1, nClasses: 3, k: 4, windowSize: 4 });
      v.learnOne([5], 0);
      v.learnOne([6], 0);
      v.learnOne([1], 1);
      v.learnOne([10], 1);
      // votes 2 : 2; the nearest neighbour of 1.2 is the class-1 sample at 1
      assert.equal(v.predictOne([1.2]), 1);
      assert.deepEqual(Array.from(v.predictProbaOne([1.2])), [0.5, 0.5, 0]);
    });

    it('k-NN: FIFO forgets the oldest sample; reservoir keeps a uniform sample', function () {
      const m = new KNNRegressor({ nFeatures: 1, k: 1, windowSize: 3 });
      for (let i = 0; i < 4; i++) m.learnOne([i * 10], i);
      assert.equal(m.size(), 3);
      assert.equal(m.predictOne([0]), 1, 'sample 0 was overwritten by sample 3');
      const r = new KNNRegressor({ nFeatures: 1, k: 1, windowSize: 100, policy: 'reservoir', seed: 3 });
      for (let i = 0; i < 10000; i++) r.learnOne([i], i);
      // the kept samples span the whole stream, not just its end
      let old = 0;
      for (let i = 0; i < 100; i++) if (r.predictOne([i * 50]) < 5000) old++;
      assert.ok(old > 20, 'old samples kept: ' + old);
    });

    it('k-NN ranks raw wide-range neighbours correctly when squared distances exceed Q16.16', function () {
      const m = new KNNClassifier({ nFeatures: 2, nClasses: 3, k: 1, windowSize: 8 });
      m.learnOne([-30000, 30000], 0);
      m.learnOne([30000, -30000], 1);
      m.learnOne([29000, 30000], 2);
      assert.equal(m.predictOne([30000, 29000]), 2); // squared distances ~2e6 and ~3.6e9
      assert.equal(m.predictOne([29990, -29000]), 1);
      assert.equal(m.predictOne([-29000, 29990]), 0);
    });

    it('KMeans seeds from the first distinct samples and then keeps running means', function () {
      const m = new KMeans({ nFeatures: 2, k: 2 });
      m.learnOne([1, 1]);
      m.learnOne([1, 1]); // duplicate: joins the first seed
      assert.equal(m.filled, 1);
      m.learnOne([9, 9]);
      assert.equal(m.filled, 2);
      m.learnOne([2, 1]);
      m.learnOne([8, 9]);
      m.learnOne([8, 8]);
      const c = m.centroids();
      const want = [4 / 3, 1, 25 / 3, 26 / 3];
      for (let i = 0; i < 4; i++) assert.ok(Math.abs(c[i] - want[i]) < 1e-9, 'centroid ' + i + ': ' + c[i]);
      assert.deepEqual(Array.from(m.counts), [3, 3]);
      assert.equal(m.predictOne([0, 0]), 0);
      assert.equal(m.predictOne([7, 7]), 1);
    });

    it('KMeans with decay follows a drifting cluster', function () {
      const plain = new KMeans({ nFeatures: 1, k: 1 });
      const decayed = new KMeans({ nFeatures: 1, k: 1, decay: 0.05 });
      for (let i = 0; i < 2000; i++) {
        const x = [i < 1000 ? 0 : 100];
        plain.learnOne(x);
        decayed.learnOne(x);
      }
      assert.ok(Math.abs(plain.centroids()[0] - 50) < 0.1, 'running mean ' + plain.centroids()[0]);
      assert.ok(Math.abs(decayed.centroids()[0] - 100) < 0.1, 'decayed ' + decayed.centroids()[0]);
    });

    it('GaussianNB keeps raw sensor statistics (CO2 ppm, lux) without saturating', function () {
      const m = new GaussianNB({ nFeatures: 3, nClasses: 2 });
      const rng = seedrandom('sensor');
      const sums = [new Float64Array(3), new Float64Array(3)];
      const sq = [new Float64Array(3), new Float64Array(3)];
      const n = [0, 0];
      let correct = 0;
      for (let i = 0; i < 4000; i++) {
        const occ = rng() < 0.5 ? 1 : 0;
        // CO2 ppm (std up to 300), light in lux (std up to 7000: variance far beyond Q16.16), temperature (std 0.03 °C)
        const x = [occ ? 1200 + (rng() - 0.5) * 1000 : 450 + (rng() - 0.5) * 200, occ ? 20000 + (rng() - 0.5) * 25000 : 3000 + (rng() - 0.5) * 5000, 21 + occ * 0.1 + (rng() - 0.5) * 0.1];
        if (i >= 100 && m.predictOne(x) === occ) correct++;
        m.learnOne(x, occ);
        n[occ]++;
        for (let j = 0; j < 3; j++) {
          sums[occ][j] += x[j];
          sq[occ][j] += x[j] * x[j];
        }
      }
      const v = m.variances();
      for (let c = 0; c < 2; c++) {
        for (let j = 0; j < 3; j++) {
          const mean = sums[c][j] / n[c];
          const want = sq[c][j] / n[c] - mean * mean;
          assert.ok(Math.abs(v[c * 3 + j] - want) / want < 2e-3, 'variance ' + c + '/' + j + ': ' + v[c * 3 + j] + ' vs ' + want);
        }
      }
      assert.ok(v[4] > 32768 * 1000, 'lux variance of class 1 is far beyond the Q16.16 range: ' + v[4]);
      assert.ok(correct / 3900 > 0.99, 'accuracy ' + correct / 3900);
    });

    it('Gaussian helpers keep ~24 significant bits for variances from 1e-8 to 1e9', function () {
      const rng = seedrandom('gauss-helpers');
      const mean = new Int32Array(1);
      const meanF = new Uint16Array(1);
      const varI = new Int32Array(1);
      const varF = new Uint32Array(1);
      const x = new Int32Array(1);
      const zero = new Float64Array(1);
      for (let t = 0; t < 20000; t++) {
        const v = Math.pow(10, -8 + rng() * 17); // variance
        const vi = Math.floor(v);
        const vf = Math.floor((v - vi) * 4294967296);
        varI[0] = vi;
        varF[0] = vf;
        const vq = vi + vf / 4294967296; // the variance as stored
        const mu = (rng() - 0.5) * 60000;
        const mw = Math.floor(mu * 4294967296 / 65536); // Q16.32 in units of 2^-32
        mean[0] = Math.floor(mw / 65536);
        meanF[0] = mw - mean[0] * 65536;
        const muq = (mean[0] * 65536 + meanF[0]) / 4294967296;
        const xr = muq + (rng() - 0.5) * 8 * Math.sqrt(vq);
        x[0] = Math.max(-2147483648, Math.min(2147483647, Math.floor(xr * 65536 + 0.5)));
        const xq = x[0] / 65536;
        if (vq === 0) continue;
        const d = xq - muq;
        const want = -0.5 * Math.log(vq) - Math.min((d * d) / (2 * vq), 32768);
        const got = gaussLogLik(mean, meanF, varI, varF, 0, x, 1, zero, zero) / 65536;
        assert.ok(Math.abs(got - want) < 3e-4 + 1e-6 * Math.abs(want), 'loglik v=' + vq + ' d=' + d + ': ' + got + ' vs ' + want);
        const z = zScore(x[0] * 65536 - (mean[0] * 65536 + meanF[0]), vi, vf) / 65536;
        const zw = Math.max(-8, Math.min(8, d / Math.sqrt(vq)));
        assert.ok(Math.abs(z - zw) < 1e-4 + 1e-6 * Math.abs(zw), 'z v=' + vq + ': ' + z + ' vs ' + zw);
      }
      for (const w of [1, 2, 3, 1000, 65536 * 3.5, 4294967295, 2 ** 52]) {
        assert.ok(Math.abs(lnUnits(w, 0) / 65536 - Math.log(w)) < 4e-5, 'ln ' + w);
        assert.ok(Math.abs(lnUnits(w, 16) / 65536 - Math.log(w / 65536)) < 4e-5, 'ln ' + w + '/2^16');
      }
    });

    it('HoeffdingTree splits on the informative feature and respects maxNodes and maxDepth', function () {
      const t = new HoeffdingTreeClassifier({ nFeatures: 3, nClasses: 2, maxDepth: 2, maxNodes: 101, gracePeriod: 50, delta: 1e-4, leafPrediction: 'mc' });
      const rng = seedrandom('tree');
      for (let i = 0; i < 20000; i++) {
        const x = [rng() * 10, rng() * 10, rng() * 10];
        t.learnOne(x, x[1] > 6 ? 1 : 0);
      }
      assert.equal(t.feat[0], 1, 'root splits on feature 1');
      assert.ok(Math.abs(t.thr[0] / 65536 - 6) < 1, 'threshold ' + t.thr[0] / 65536);
      assert.ok(t.depth() <= 2);
      assert.ok(t.nNodes <= 7);
      const small = new HoeffdingTreeClassifier({ nFeatures: 3, nClasses: 2, maxDepth: 20, maxNodes: 5, gracePeriod: 20, delta: 0.1, tieThreshold: 0.5 });
      for (let i = 0; i < 20000; i++) {
        const x = [rng() * 10, rng() * 10, rng() * 10];
        small.learnOne(x, (x[0] > 5 ? 1 : 0) ^ (x[2] > 5 ? 1 : 0));
      }
      assert.equal(small.nNodes, 5);
      assert.equal(small.nLeaves, 3);
    });

    it('SoftmaxRegression probabilities follow the logits', function () {
      const m = new SoftmaxRegression({ nFeatures: 2, nClasses: 3, learningRate: 0.2 });
      const rng = seedrandom('smx');
      for (let i = 0; i < 3000; i++) {
        const c = Math.floor(rng() * 3);
        m.learnOne([c === 1 ? 2 : 0, c === 2 ? 2 : 0], c);
      }
      const p = m.predictProbaOne([2, 0]);
      assert.equal(m.predictOne([2, 0]), 1);
      assert.ok(p[1] > 0.9, 'p = ' + Array.from(p));
      assert.ok(Math.abs(p[0] + p[1] + p[2] - 1) < 3 / 65536);
    });
  });
});
