/**
 * The Espruino device API (targets/espruino/lite.ts): the same bytes as the
 * class API on the same stream, blobs and Storage slots that cross between
 * the two APIs both ways, bad input that changes nothing, corrupt blobs
 * refused, and a save cut by a power loss at every byte that leaves the old
 * or the new model loadable.
 */
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import * as lite from '../targets/espruino/lite.js';
import { LinearRegression, LogisticRegression } from '../algorithms/linear.js';
import { Pipeline } from '../src/pipeline.js';
import { StandardScaler, MinMaxScaler } from '../src/preprocessing.js';
import { ModelStore, RECORD_OVERHEAD } from '../src/storage.js';
import { EspruinoStorage, EspruinoStorageModule } from '../targets/espruino/storage.js';
import { MicrolearnError } from '../src/errors.js';
import { ModelType, putU32, writeHeader } from '../src/format.js';
import { crc32 } from '../src/crc32.js';
import { backend } from '../src/kernels.js';
import { load, KMeans } from '../index.js';
import { ROOT, expectCode } from './util.js';
import { codeBlocks } from './docs-blocks.js';
import { join } from 'node:path';
import vm from 'node:vm';

interface Case {
  name: string;
  logistic: boolean;
  scaler: boolean;
  opts: { learningRate?: number; l2?: number; decay?: number };
}

const CASES: Case[] = [
  { name: 'Pipeline([StandardScaler, LogisticRegression]), defaults', logistic: true, scaler: true, opts: {} },
  { name: 'Pipeline([StandardScaler, LogisticRegression]), lr 0.05, l2 0.001', logistic: true, scaler: true, opts: { learningRate: 0.05, l2: 0.001 } },
  { name: 'Pipeline([StandardScaler, LinearRegression]), lr 0.02, decay 0.01', logistic: false, scaler: true, opts: { learningRate: 0.02, decay: 0.01 } },
  { name: 'LogisticRegression, lr 0.1, l2 0.01', logistic: true, scaler: false, opts: { learningRate: 0.1, l2: 0.01 } },
  { name: 'LinearRegression, defaults', logistic: false, scaler: false, opts: {} },
  { name: 'LinearRegression, lr 0.005, l2 0.0001, decay 0.001', logistic: false, scaler: false, opts: { learningRate: 0.005, l2: 0.0001, decay: 0.001 } },
];

/** The class API's model for a case. */
function classModel(c: Case, n: number): LinearRegression | LogisticRegression | Pipeline {
  const o = { nFeatures: n, ...c.opts };
  const last = c.logistic ? new LogisticRegression(o) : new LinearRegression(o);
  return c.scaler ? new Pipeline([new StandardScaler({ nFeatures: n }), last]) : last;
}

/**
 * A seeded sensor-like stream: with a scaler, raw ranges (lux in thousands,
 * pressure near 1e5 that jumps later, so the input exponents grow mid-stream);
 * without, values of a few units.
 */
function stream(seed: string, n: number, count: number, scaled: boolean, logistic: boolean): { x: number[]; y: number }[] {
  const rng = seedrandom(seed);
  const out: { x: number[]; y: number }[] = [];
  for (let i = 0; i < count; i++) {
    const x: number[] = [];
    for (let j = 0; j < n; j++) {
      const u = rng() * 2 - 1;
      x.push(scaled ? (j === 0 ? 2000 + 1500 * u : j === 1 ? (i < count / 2 ? 101325 : 40000000) + 300 * u : u * 0.01) : u * 3);
    }
    const s = (scaled ? (x[0] - 2000) / 1500 : x[0]) - (scaled ? x[n - 1] * 100 : x[n - 1]) + (rng() - 0.5) * 0.2;
    out.push({ x, y: logistic ? (s > 0 ? 1 : 0) : s * 2 + 0.5 });
  }
  return out;
}

function same(a: Uint8Array | null, b: Uint8Array): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A copy of the whole state of a device-API model (to check that a refused call changed nothing). */
function snapshot(m: lite.Model): string {
  return Buffer.from(lite.toBytes(m)).toString('hex') + '/' + (m.scaler ? Buffer.from(m.scaler.exps).toString('hex') : '');
}

class PowerCut extends Error {}

/**
 * A fake of Espruino's `require("Storage")` (readArrayBuffer → undefined when
 * missing) whose next write stops after `budget` bytes the way a power cut
 * leaves a Storage file: 'truncate' (a short file) or 'erased' (the file's
 * full length, the rest still 0xFF).
 */
class FakeStorage implements EspruinoStorageModule {
  files: { [k: string]: Uint8Array } = {};
  budget = Infinity;
  constructor(readonly mode: 'truncate' | 'erased') {}
  readArrayBuffer(name: string): ArrayBuffer | undefined {
    const f = this.files[name];
    return f === undefined ? undefined : (f.slice().buffer as ArrayBuffer);
  }
  write(name: string, data: Uint8Array): boolean {
    if (data.length <= this.budget) {
      this.budget -= data.length;
      this.files[name] = data.slice();
      return true;
    }
    const k = this.budget;
    this.budget = 0;
    let v: Uint8Array;
    if (this.mode === 'truncate') v = data.slice(0, k);
    else {
      v = new Uint8Array(data.length).fill(0xff);
      v.set(data.subarray(0, k));
    }
    this.files[name] = v;
    throw new PowerCut('power cut after ' + k + ' bytes');
  }
  erase(name: string): void {
    delete this.files[name];
  }
}

describe('Espruino device API (targets/espruino/lite.ts)', function () {
  it('runs on the active kernels, the ones the class API uses', function () {
    assert.equal(lite.backend(), backend());
  });

  for (const c of CASES) {
    it('learns the class API\'s bytes and predictions: ' + c.name, function () {
      const n = 4;
      const m = lite.create({ nFeatures: n, logistic: c.logistic, scaler: c.scaler, ...c.opts });
      const k = classModel(c, n);
      const data = stream(c.name, n, 600, c.scaler, c.logistic);
      for (let i = 0; i < data.length; i++) {
        const { x, y } = data[i];
        if (i % 7 === 0) assert.equal(lite.predict(m, x), k.predictOne(x), 'prediction before sample ' + i);
        if (c.logistic && i % 11 === 0) assert.equal(lite.proba(m, x), k.predictProbaOne(x)[1], 'probability before sample ' + i);
        lite.learn(m, x, y);
        k.learnOne(x, y);
        if (i % 97 === 0) assert.ok(same(lite.toBytes(m), k.toBytes()), 'bytes after sample ' + i);
      }
      const bytes = lite.toBytes(m);
      assert.ok(same(bytes, k.toBytes()), 'bytes after the stream');
      assert.equal(bytes[5], c.scaler ? ModelType.Pipeline : c.logistic ? ModelType.LogisticRegression : ModelType.LinearRegression);
      if (c.scaler) assert.ok((m.scaler as lite.Scaler).exps[1] > 0, 'the stream grew an input exponent');
      // Cross-loading both ways, and learning on after a reload stays equal.
      const host = load(bytes) as typeof k;
      assert.ok(same(host.toBytes(), bytes));
      const back = lite.fromBytes(k.toBytes());
      assert.ok(same(lite.toBytes(back), bytes));
      for (const { x, y } of stream(c.name + ' more', n, 50, c.scaler, c.logistic)) {
        lite.learn(back, x, y);
        host.learnOne(x, y);
      }
      assert.ok(same(lite.toBytes(back), host.toBytes()), 'learning on after reloading');
    });
  }

  it('refuses bad input with a code and changes nothing', function () {
    for (const c of CASES) {
      const m = lite.create({ nFeatures: 3, logistic: c.logistic, scaler: c.scaler, ...c.opts });
      for (const { x, y } of stream('bad ' + c.name, 3, 20, c.scaler, c.logistic)) lite.learn(m, x, y);
      const before = snapshot(m);
      const bad: [unknown, unknown, string][] = [
        [[1, 2], 1, 'E_INPUT'],
        [[1, 2, 3, 4], 1, 'E_INPUT'],
        [[1, NaN, 3], 1, 'E_INPUT'],
        [[1, 2, Infinity], 0, 'E_INPUT'],
        [[1, '2', 3], 0, 'E_INPUT'],
        [null, 1, 'E_INPUT'],
        [[1, c.scaler ? 3e9 : 40000, 3], 1, 'E_RANGE'],
        [[1, 2, 3], c.logistic ? 2 : NaN, 'E_LABEL'],
        [[1, 2, 3], c.logistic ? 0.5 : Infinity, 'E_LABEL'],
      ];
      if (!c.logistic) bad.push([[1, 2, 3], 40000, 'E_RANGE']);
      for (const [x, y, code] of bad) {
        expectCode(() => lite.learn(m, x as number[], y as number), code);
        assert.equal(snapshot(m), before, c.name + ': ' + JSON.stringify([x, y]) + ' changed the model');
      }
      expectCode(() => lite.predict(m, [1, 2]), 'E_INPUT');
      expectCode(() => lite.predict(m, [1, NaN, 2]), 'E_INPUT');
      if (!c.logistic) expectCode(() => lite.proba(m, [1, 2, 3]), 'E_STATE');
      assert.equal(snapshot(m), before);
    }
    expectCode(() => lite.create({ nFeatures: 0 }), 'E_OPTION');
    expectCode(() => lite.create({ nFeatures: 2.5 }), 'E_OPTION');
    expectCode(() => lite.create({ nFeatures: 2, learningRate: -1 }), 'E_OPTION');
    expectCode(() => lite.create({ nFeatures: 2, l2: 2000 }), 'E_OPTION');
    expectCode(() => lite.create(null as unknown as lite.Options), 'E_OPTION');
  });

  it('detects corrupt blobs and refuses the models it does not learn (E_TYPE)', function () {
    const m = lite.create({ nFeatures: 3, logistic: true, scaler: true });
    for (const { x, y } of stream('corrupt', 3, 30, true, true)) lite.learn(m, x, y);
    const good = lite.toBytes(m);
    // Every single flipped bit is caught (the CRC of the envelope, or of a step's own blob).
    for (let i = 0; i < good.length; i++) {
      for (const bit of [0, 7]) {
        const b = good.slice();
        b[i] ^= 1 << bit;
        assert.throws(() => lite.fromBytes(b), (e: unknown) => e instanceof MicrolearnError && (e.code === 'E_CORRUPT' || e.code === 'E_VERSION'), 'byte ' + i);
        assert.throws(() => load(b), MicrolearnError);
      }
    }
    for (let k = 0; k < good.length; k++) expectCode(() => lite.fromBytes(good.slice(0, k)), 'E_CORRUPT');
    expectCode(() => lite.fromBytes(null as unknown as Uint8Array), 'E_CORRUPT');
    // A blob whose CRC is right but whose contents learning cannot produce is E_CORRUPT, as load() says.
    const host = lite.fromBytes(good);
    (host.scaler as lite.Scaler).varI[0] = -1;
    const forged = lite.toBytes(host);
    expectCode(() => lite.fromBytes(forged), 'E_CORRUPT');
    expectCode(() => load(forged), 'E_CORRUPT');
    // A huge nFeatures in a tiny blob is refused before anything is allocated.
    const tiny = lite.toBytes(lite.create({ nFeatures: 1 }));
    const big = lite.fromBytes(tiny);
    (big as { n: number }).n = 65535;
    const claimsBig = lite.toBytes(big);
    const scaled = lite.fromBytes(good);
    (scaled as { n: number }).n = 60000; // the scaler's n stays 3: its blob is checked against its own n first
    const pipeBig = lite.toBytes(scaled);
    // Count what Int32Array allocates meanwhile (every per-feature array of a model has one).
    const Real = globalThis.Int32Array;
    let elements = 0;
    class Counting extends Real {
      constructor(n: number) {
        super(n);
        if (typeof n === 'number') elements += n;
      }
    }
    globalThis.Int32Array = Counting as unknown as Int32ArrayConstructor;
    try {
      expectCode(() => lite.fromBytes(claimsBig), 'E_CORRUPT');
      expectCode(() => lite.fromBytes(pipeBig), 'E_CORRUPT');
    } finally {
      globalThis.Int32Array = Real;
    }
    assert.ok(elements < 16, elements + ' Int32Array elements allocated for blobs that claim 65,535 and 60,000 features');
    // Other kinds of model: E_TYPE.
    const n = 3;
    const others: Uint8Array[] = [
      new StandardScaler({ nFeatures: n }).toBytes(),
      new KMeans({ nFeatures: n, k: 2 }).toBytes(),
      new LogisticRegression({ nFeatures: n, optimizer: 'adam' }).toBytes(),
      new Pipeline([new MinMaxScaler({ nFeatures: n }), new LogisticRegression({ nFeatures: n })]).toBytes(),
      new Pipeline([new LogisticRegression({ nFeatures: n })]).toBytes(),
    ];
    for (const b of others) expectCode(() => lite.fromBytes(b), 'E_TYPE');
  });

  it('accepts exactly the forged blobs the class API\'s load() accepts, and reads them as it does', function () {
    // Payload bytes changed at random and the CRCs made right again, so that the structural checks decide.
    const reseal = (b: Uint8Array): Uint8Array => {
      putU32(b, b.length - 4, crc32(b, 0, b.length - 4));
      return b;
    };
    const pipeline = (sc: Uint8Array, lin: Uint8Array): Uint8Array => {
      const b = new Uint8Array(12 + 1 + 8 + sc.length + lin.length + 4);
      writeHeader(b, ModelType.Pipeline, b.length - 16);
      b[12] = 2;
      putU32(b, 13, sc.length);
      b.set(sc, 17);
      putU32(b, 17 + sc.length, lin.length);
      b.set(lin, 21 + sc.length);
      return reseal(b);
    };
    const k = new Pipeline([new StandardScaler({ nFeatures: 3 }), new LogisticRegression({ nFeatures: 3, learningRate: 0.05 })]);
    for (const { x, y } of stream('forged', 3, 200, true, true)) k.learnOne(x, y);
    const sc = k.steps[0].toBytes();
    const lin = k.steps[1].toBytes();
    assert.ok(same(pipeline(sc, lin), k.toBytes()), 'the test\'s own pipeline writer');
    const rng = seedrandom('forge');
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 6000; i++) {
      const which = i % 3;
      const inner = (which === 1 ? sc : lin).slice();
      for (let m = 1 + Math.floor(rng() * 2); m > 0; m--) {
        // mostly the hyper-parameters and statistics near the start of the payload, where the checks are
        const at = 12 + Math.floor((rng() < 0.7 ? rng() * 24 : rng() * (inner.length - 16)));
        inner[at] = rng() < 0.3 ? inner[at] ^ (1 << Math.floor(rng() * 8)) : Math.floor(rng() * 256);
      }
      reseal(inner);
      const b = which === 0 ? inner : which === 1 ? pipeline(inner, lin) : pipeline(sc, inner);
      let mine: lite.Model | null = null;
      let theirs: { toBytes(): Uint8Array } | null = null;
      let code = '';
      try {
        mine = lite.fromBytes(b);
      } catch (e) {
        assert.ok(e instanceof MicrolearnError, String(e));
        code = e.code;
      }
      try {
        theirs = load(b) as { toBytes(): Uint8Array };
      } catch (e) {
        assert.ok(e instanceof MicrolearnError, String(e));
      }
      assert.equal(mine !== null, theirs !== null, 'forgery ' + i + ' (' + ['linear', 'scaler', 'pipeline\'s linear'][which] + '): device API ' + (mine ? 'loads' : code) + ', load() ' + (theirs ? 'loads' : 'refuses'));
      if (mine !== null && theirs !== null) {
        assert.ok(same(lite.toBytes(mine), theirs.toBytes()) && same(lite.toBytes(mine), b));
        accepted++;
      } else {
        assert.ok(['E_CORRUPT', 'E_VERSION', 'E_TYPE'].indexOf(code) >= 0, code);
        refused++;
      }
    }
    assert.ok(accepted > 500 && refused > 500, accepted + ' accepted, ' + refused + ' refused');
  });

  it('saves into ModelStore\'s slots: either API loads what the other saved', function () {
    const st = new FakeStorage('truncate');
    const store = new ModelStore(new EspruinoStorage(st), { decode: load });
    const m = lite.create({ nFeatures: 2, logistic: true, scaler: true, learningRate: 0.05 });
    assert.equal(lite.load(st, 'tilt'), null);
    for (const { x, y } of stream('slots', 2, 40, true, true)) lite.learn(m, x, y);
    assert.equal(lite.save(st, 'tilt', m), 1);
    assert.ok(same(store.read('tilt'), lite.toBytes(m)), 'ModelStore reads the device API\'s record');
    const k = store.load('tilt', load) as Pipeline;
    for (const { x, y } of stream('slots 2', 2, 40, true, true)) k.learnOne(x, y);
    assert.equal(store.save('tilt', k), 2);
    const back = lite.load(st, 'tilt') as lite.Model;
    assert.ok(same(lite.toBytes(back), k.toBytes()), 'the device API loads ModelStore\'s newest record');
    assert.equal(lite.save(st, 'tilt', back), 3);
    assert.deepEqual(store.inspect('tilt').map((s) => [s.state, s.seq]), [['ok', 3], ['ok', 2]]);
    expectCode(() => lite.save(st, 'no/slash', m), 'E_OPTION');
    expectCode(() => lite.load(st, 'waytoolongname'), 'E_OPTION');
    // Flash full: Storage.write returns false.
    const full: EspruinoStorageModule = { readArrayBuffer: () => undefined, write: () => false, erase: () => undefined };
    expectCode(() => lite.save(full, 'm', m), 'E_STORAGE');
    // Both slots corrupt: E_CORRUPT, never a model.
    const bad = new FakeStorage('truncate');
    bad.files['m.0'] = new Uint8Array([1, 2, 3]);
    bad.files['m.1'] = new Uint8Array(40);
    expectCode(() => lite.load(bad, 'm'), 'E_CORRUPT');
    // A newest record the device API cannot load (a KMeans saved under the same name) gives way to the older one, which a save keeps.
    const mixed = new FakeStorage('truncate');
    lite.save(mixed, 'm', m);
    new ModelStore(new EspruinoStorage(mixed), { decode: load }).save('m', new KMeans({ nFeatures: 2, k: 2 }));
    assert.ok(same(lite.toBytes(lite.load(mixed, 'm') as lite.Model), lite.toBytes(m)));
    lite.save(mixed, 'm', back);
    assert.ok(same(lite.toBytes(lite.load(mixed, 'm') as lite.Model), lite.toBytes(back)));
    lite.save(mixed, 'm', m);
    assert.ok(same(lite.toBytes(lite.load(mixed, 'm') as lite.Model), lite.toBytes(m)), 'the older loadable record survived the first save');
  });

  it('the device script of docs/espruino.md runs: learns, saves every 500 samples, and reloads after a reset', function () {
    const block = codeBlocks(join(ROOT, 'docs', 'espruino.md')).find((b) => b.lang === 'js' && b.code.includes('ml.learn('));
    assert.ok(block, 'docs/espruino.md has the device API example');
    const st = new FakeStorage('truncate');
    let tick: (() => void) | null = null;
    let button = 0;
    let t = 0;
    const board = () => ({
      require: (name: string) => (name === 'Storage' ? st : name === 'microlearn' ? lite : undefined),
      E: { getTemperature: () => 20 + ((t * 7) % 13) / 2 },
      analogRead: () => ((t * 31) % 100) / 100,
      getTime: () => 1700000000 + t * 37,
      A0: 'A0',
      BTN: { read: () => button },
      LED1: { set: () => undefined, reset: () => undefined },
      setInterval: (f: () => void) => (tick = f),
      Float64Array: Float64Array,
    });
    vm.runInContext(block!.code, vm.createContext(board()));
    for (; t < 1000; t++) {
      button = ((t * 7) % 13) / 2 > 3 ? 1 : 0; // the "user" presses when it is warm
      tick!();
    }
    const saved = lite.load(st, 'tilt') as lite.Model;
    assert.equal(saved.t, 1000, 'the second save (sample 1000) is the newest');
    assert.deepEqual(new ModelStore(new EspruinoStorage(st), { decode: load }).inspect('tilt').map((s) => s.seq), [1, 2]);
    // After a "reset" the script starts from the saved model.
    const ctx = vm.createContext(board());
    vm.runInContext(block!.code + '\n;this.model = model;', ctx);
    assert.ok(same(lite.toBytes(ctx.model as lite.Model), lite.toBytes(saved)));
  });

  for (const mode of ['truncate', 'erased'] as ('truncate' | 'erased')[]) {
    it('a save cut by a power loss at every byte leaves the old or the new model (' + mode + ')', function () {
      const a = lite.create({ nFeatures: 3, logistic: true, scaler: true });
      const b = lite.create({ nFeatures: 3, logistic: true, scaler: true });
      for (const { x, y } of stream('cut a', 3, 20, true, true)) lite.learn(a, x, y);
      for (const { x, y } of stream('cut b', 3, 30, true, true)) lite.learn(b, x, y);
      const older = lite.toBytes(a);
      const newer = lite.toBytes(b);
      const recordBytes = newer.length + RECORD_OVERHEAD;
      for (const history of [1, 2]) {
        let sawNew = 0;
        for (let k = 0; k <= recordBytes; k++) {
          const st = new FakeStorage(mode);
          for (let h = 0; h < history; h++) lite.save(st, 'm', a);
          st.budget = k;
          let cut = false;
          try {
            lite.save(st, 'm', b);
          } catch (e) {
            assert.ok(e instanceof MicrolearnError && e.code === 'E_STORAGE' && /power cut/.test(e.message), String(e));
            cut = true;
          }
          assert.equal(cut, k < recordBytes);
          st.budget = Infinity;
          const got = lite.toBytes(lite.load(st, 'm') as lite.Model);
          const viaStore = new ModelStore(new EspruinoStorage(st), { decode: load }).read('m');
          assert.ok(same(viaStore, got), 'ModelStore agrees at ' + k);
          if (k < recordBytes) assert.ok(same(got, older), 'cut at ' + k + ' keeps the old model');
          else {
            assert.ok(same(got, newer));
            sawNew++;
          }
          // the next save after a cut succeeds and wins
          lite.save(st, 'm', b);
          assert.ok(same(lite.toBytes(lite.load(st, 'm') as lite.Model), newer));
        }
        assert.equal(sawNew, 1);
      }
    });
  }
});
