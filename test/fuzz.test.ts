/**
 * Robustness found by fuzzing (issue 9 §6), kept in the test loop: ≥ 200,000
 * mutated blobs (length and CRC recomputed) spread over every model type,
 * plus random and truncated bytes (test/fuzz.ts). load() throws only its
 * documented MicrolearnErrors, every accepted model round-trips after it
 * learns, and load allocates at most 2 × the blob plus a small constant per
 * type. Then the same bound for large models of every type.
 */
import assert from 'node:assert/strict';
import { MicrolearnError } from '../src/errors.js';
import { MODEL_CLASSES, load, toInt8 } from '../index.js';
import * as L from '../index.js';
import { allocAllowance, countAllocation, fuzz } from './fuzz.js';

const PER_TYPE = 11200;
const EXTRA = 10000;

describe('fuzzing the model format', function () {
  it('≥ 200,000 mutated blobs of every model type: no foreign exception, no broken round trip, allocation within 2 × blob + constant', function () {
    const r = fuzz(PER_TYPE, EXTRA, 20260101);
    const t = r.total;
    console.log('      ' + t.blobs + ' blobs in ' + r.ms + ' ms: accepted ' + t.accepted + ', rejected ' + JSON.stringify(t.rejected) +
      ', max allocation ' + t.maxAlloc + ' bytes, max ratio ' + t.maxRatio.toFixed(2) + ', max beyond 2× blob ' + t.maxExcess + ' bytes');
    console.log('      type  blobs  accepted  rejected (by code)                       max alloc  max over 2×');
    for (const c of MODEL_CLASSES) {
      const s = r.byType[c.modelType];
      const name = (c as unknown as { name: string }).name;
      console.log('      ' + String(c.modelType).padStart(4) + ' ' + String(s.blobs).padStart(6) + ' ' + String(s.accepted).padStart(9) + '  ' +
        JSON.stringify(s.rejected).padEnd(40) + String(s.maxAlloc).padStart(9) + String(s.maxExcess).padStart(12) + '  ' + name);
    }
    for (const f of r.failures) console.log('      FAILURE ' + f);
    assert.equal(r.foreign, 0, 'foreign exceptions');
    assert.equal(r.brokenRoundTrips, 0, 'broken round trips');
    assert.equal(r.overBound, 0, 'loads beyond the allocation bound');
    assert.ok(t.blobs - EXTRA >= 200000, 'mutated blobs: ' + (t.blobs - EXTRA));
    for (const c of MODEL_CLASSES) {
      const s = r.byType[c.modelType];
      assert.ok(s.blobs >= 10000, 'type ' + c.modelType + ': ' + s.blobs + ' blobs');
      assert.ok(s.accepted > 0 && s.accepted < s.blobs, 'type ' + c.modelType + ' accepts some mutations and rejects others');
    }
    for (const code of ['E_CORRUPT', 'E_VERSION', 'E_TYPE']) assert.ok(t.rejected[code] > 0, code + ' seen');
  });

  it('load allocates at most 2 × the blob (+ a constant) for large models of every type', function () {
    const n = 1000;
    const models: [string, { toBytes(): Uint8Array }][] = [
      ['LinearRegression', new L.LinearRegression({ nFeatures: n })],
      ['LogisticRegression', new L.LogisticRegression({ nFeatures: n })],
      ['StandardScaler', new L.StandardScaler({ nFeatures: n })],
      ['MinMaxScaler', new L.MinMaxScaler({ nFeatures: n })],
      ['Pipeline', new L.Pipeline([new L.StandardScaler({ nFeatures: n }), new L.LogisticRegression({ nFeatures: n })])],
      ['WindowFeatures', new L.WindowFeatures({ nFeatures: 64, windowSize: 4 })],
      ['WindowFeatures (long window)', new L.WindowFeatures({ nFeatures: 4, windowSize: 4096, nBands: 16 })],
      ['SoftmaxRegression', new L.SoftmaxRegression({ nFeatures: n, nClasses: 2 })],
      ['KNNClassifier', new L.KNNClassifier({ nFeatures: n, nClasses: 2, windowSize: 1, k: 1 })],
      ['KNNRegressor', new L.KNNRegressor({ nFeatures: n, windowSize: 1, k: 1 })],
      ['KMeans', new L.KMeans({ nFeatures: n, k: 1 })],
      ['GaussianNB', new L.GaussianNB({ nFeatures: n, nClasses: 2 })],
      ['HoeffdingTreeClassifier', new L.HoeffdingTreeClassifier({ nFeatures: 100, nClasses: 2, maxNodes: 1 })],
      ['MLP', new L.MLP({ nFeatures: n, hidden: [], optimizer: 'sgd' })],
      ['MLP (Adam)', new L.MLP({ nFeatures: n, hidden: [4], optimizer: 'adam' })],
      ['LinearRegression (Adam)', new L.LinearRegression({ nFeatures: n, optimizer: 'adam' })],
      ['SoftmaxRegression (RMSprop)', new L.SoftmaxRegression({ nFeatures: n, nClasses: 3, optimizer: 'rmsprop' })],
      ['HoeffdingTreeRegressor', new L.HoeffdingTreeRegressor({ nFeatures: 100, maxNodes: 1 })],
      ['GaussianScorer', new L.GaussianScorer({ nFeatures: n })],
      ['KMeansDetector', new L.KMeansDetector({ nFeatures: n, k: 1 })],
      ['HalfSpaceTrees (wide, shallow)', new L.HalfSpaceTrees({ nFeatures: 1024, nTrees: 64, height: 1 })],
      ['HalfSpaceTrees (deep)', new L.HalfSpaceTrees({ nFeatures: 2, nTrees: 1, height: 12 })],
    ];
    // Int8 models keep 1 byte per weight; their int32 scratch row is made on first use, not by load.
    const int8: [string, { toBytes(): Uint8Array }][] = [
      ['Int8Linear', toInt8(new L.LogisticRegression({ nFeatures: n }))],
      ['Int8MLP', toInt8(new L.MLP({ nFeatures: n, hidden: [4] }))],
    ];
    for (const [name, m] of models.concat(int8)) {
      const b = m.toBytes();
      const got = countAllocation(() => load(b));
      assert.equal(got.error, undefined);
      assert.ok(got.bytes <= 2 * b.length + allocAllowance(b[5]), name + ': ' + got.bytes + ' bytes allocated for a ' + b.length + '-byte blob');
    }
  });

  it('crafted blobs that used to load and break (HalfSpaceTrees child mass above its parent) and huge claimed sizes are E_CORRUPT without allocating', function () {
    const h = new L.HalfSpaceTrees({ nFeatures: 2, nTrees: 1, height: 2, windowSize: 4, warmup: 0 });
    for (let i = 0; i < 6; i++) h.learnOne([i / 6, 1 - i / 6]);
    const b = h.toBytes();
    // lMass of tree 0 starts after the calibrator: child 1 := parent's mass + 1
    const p = b.length - 4 - 2 * 2 * 7;
    const bad = b.slice();
    bad[p + 2] = bad[p] + 1;
    expectCorrupt(recrc(bad));
    // A KNNRegressor claiming a window of 2^24 samples in 65 bytes: rejected before allocating
    const k = new L.KNNRegressor({ nFeatures: 1, windowSize: 1, k: 1 }).toBytes();
    const big = k.slice();
    big[20] = 0;
    big[21] = 0;
    big[22] = 0;
    big[23] = 1; // windowSize = 2^24
    const got = countAllocation(() => load(recrc(big)));
    assert.ok(got.error instanceof MicrolearnError && got.error.code === 'E_CORRUPT');
    assert.ok(got.bytes < 1000, 'allocated ' + got.bytes);
  });

  it('transformOneQ validates its output array like every other input', function () {
    for (const t of [new L.StandardScaler({ nFeatures: 3 }), new L.MinMaxScaler({ nFeatures: 3 })]) {
      t.learnOne([1, 2, 3]);
      const x = new Int32Array(3);
      for (const out of [new Float64Array(3), new Int32Array(2), null, undefined, [0, 0, 0]])
        assert.throws(() => t.transformOneQ(x, out as unknown as Int32Array), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_INPUT', String(out));
      t.transformOneQ(x, x); // in place is allowed
    }
  });
});

function expectCorrupt(b: Uint8Array): void {
  assert.throws(() => load(b), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT');
}

/** The blob with its CRC recomputed. */
function recrc(b: Uint8Array): Uint8Array {
  const n = b.length - 4;
  const c = L.crc32(b, 0, n);
  const out = b.slice();
  out[n] = c & 0xff;
  out[n + 1] = (c >> 8) & 0xff;
  out[n + 2] = (c >> 16) & 0xff;
  out[n + 3] = (c >>> 24) & 0xff;
  return out;
}
