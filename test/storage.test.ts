/**
 * ModelStore: a save cut by a power loss at every byte leaves the old or the
 * new model loadable, bit-exact; corrupt slots are reported, never loaded.
 * Every adapter is driven through fakes of its runtime API (and the Node one
 * through the real file system).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { MemoryStorage, ModelStore, RECORD_OVERHEAD, StorageAdapter } from '../src/storage.js';
import { NodeFileStorage, NodeFs } from '../targets/node/storage.js';
import { EspruinoStorage } from '../targets/espruino/storage.js';
import { FlashStorage, FlashPartition, KeyValueStorage, PreferenceStorage } from '../targets/moddable/storage.js';
import { load } from '../index.js';
import { MicrolearnError } from '../src/errors.js';
import { crc32 } from '../src/crc32.js';
import { LinearRegression, LogisticRegression } from '../algorithms/linear.js';
import { Pipeline } from '../src/pipeline.js';
import { StandardScaler } from '../src/preprocessing.js';

/** A trained model's bytes (different seeds and widths give different sizes and contents). */
function modelBytes(seed: string, nFeatures: number, logistic: boolean): Uint8Array {
  const rng = seedrandom(seed);
  const m = logistic ? new LogisticRegression({ nFeatures: nFeatures, learningRate: 0.05 }) : new LinearRegression({ nFeatures: nFeatures });
  const x = new Float64Array(nFeatures);
  for (let i = 0; i < 40; i++) {
    for (let j = 0; j < nFeatures; j++) x[j] = rng() * 4 - 2;
    m.learnOne(x, logistic ? (x[0] > 0 ? 1 : 0) : x[0] * 2 + 1);
  }
  return m.toBytes();
}

function same(a: Uint8Array | null, b: Uint8Array): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A blob with its CRC recomputed (so only its payload is wrong). */
function rewrapCrc(blob: Uint8Array): Uint8Array {
  const out = blob.slice();
  const n = out.length - 4;
  const c = crc32(out, 0, n);
  out[n] = c & 0xff;
  out[n + 1] = (c >> 8) & 0xff;
  out[n + 2] = (c >> 16) & 0xff;
  out[n + 3] = (c >>> 24) & 0xff;
  return out;
}

/** A valid slot record ("MLS1", seq, length, data, CRC) holding `data`, as ModelStore writes it. */
function recordOf(seq: number, data: Uint8Array): Uint8Array {
  const r = new Uint8Array(data.length + RECORD_OVERHEAD);
  r.set([0x4d, 0x4c, 0x53, 0x31]);
  const put = (p: number, v: number) => {
    r[p] = v & 0xff;
    r[p + 1] = (v >> 8) & 0xff;
    r[p + 2] = (v >> 16) & 0xff;
    r[p + 3] = (v >>> 24) & 0xff;
  };
  put(4, seq);
  put(8, data.length);
  r.set(data, 12);
  put(12 + data.length, crc32(r, 0, 12 + data.length));
  return r;
}

class PowerCut extends Error {}

type CutMode = 'truncate' | 'overwrite' | 'erased';

/**
 * Key-value storage whose next write stops after `budget` bytes, the way a
 * power cut leaves it: 'truncate' (a file rewritten from scratch), 'overwrite'
 * (old bytes past the cut survive), 'erased' (flash erased to 0xFF first).
 */
class CuttingStorage implements StorageAdapter {
  readonly maxBytes = 1 << 20;
  values: { [k: string]: Uint8Array } = {};
  budget = Infinity;
  writes = 0;
  constructor(readonly mode: CutMode) {}
  read(key: string): Uint8Array | null {
    const v = this.values[key];
    return v === undefined ? null : v.slice();
  }
  write(key: string, data: Uint8Array): void {
    this.writes++;
    if (data.length <= this.budget) {
      this.budget -= data.length;
      this.values[key] = data.slice();
      return;
    }
    const k = this.budget;
    this.budget = 0;
    const old = this.values[key];
    let v: Uint8Array;
    if (this.mode === 'truncate') v = data.slice(0, k);
    else if (this.mode === 'erased') {
      v = new Uint8Array(data.length).fill(0xff);
      v.set(data.subarray(0, k));
    } else {
      v = new Uint8Array(Math.max(data.length, old ? old.length : 0));
      if (old) v.set(old);
      v.set(data.subarray(0, k));
    }
    this.values[key] = v;
    throw new PowerCut('power cut after ' + k + ' bytes');
  }
  remove(key: string): void {
    delete this.values[key];
  }
}

/** Saves `next` with the power cut after k bytes for every k; the store must then load `old` or `next`. */
function cutEverywhere(mode: CutMode, history: Uint8Array[], next: Uint8Array): { old: number; neu: number } {
  const expectOld = history[history.length - 1];
  const counts = { old: 0, neu: 0 };
  const recordBytes = next.length + RECORD_OVERHEAD;
  for (let k = 0; k <= recordBytes; k++) {
    const s = new CuttingStorage(mode);
    const store = new ModelStore(s, { decode: load });
    for (const h of history) store.save('m', h);
    s.budget = k;
    let cut = false;
    try {
      store.save('m', next);
    } catch (e) {
      assert.ok(e instanceof MicrolearnError && e.code === 'E_STORAGE', String(e));
      assert.match((e as Error).message, /power cut/);
      cut = true;
    }
    assert.equal(cut, k < recordBytes, 'cut at ' + k);
    s.budget = Infinity;
    // A fresh store, as after a reboot.
    const corrupt: string[] = [];
    const after = new ModelStore(s, { decode: load, onCorrupt: (key, why) => corrupt.push(key + ' ' + why) });
    const got = after.read('m');
    const model = after.load('m', load);
    assert.ok(model !== null);
    assert.ok(same(model.toBytes(), got as Uint8Array), 'decoded model re-encodes bit-exact');
    if (same(got, next)) counts.neu++;
    else {
      assert.ok(same(got, expectOld), mode + ': cut at byte ' + k + ' loaded neither the old nor the new model');
      counts.old++;
    }
    // Until the last byte is written the old model must win.
    if (k < recordBytes) assert.ok(same(got, expectOld), 'cut at ' + k + ' must keep the old model');
    // A torn slot holding bytes is reported (with k = 0 in truncate mode the slot is empty or holds an older record).
    if (k > 0 && k < recordBytes) assert.ok(corrupt.length > 0 || mode === 'overwrite', 'torn slot reported at ' + k);
    // The next save after a cut succeeds and wins.
    after.save('m', next);
    assert.ok(same(new ModelStore(s, { decode: load }).read('m'), next));
  }
  return counts;
}

describe('ModelStore', function () {
  const a = modelBytes('a', 3, false);
  const a2 = modelBytes('a2', 6, true);
  const b = modelBytes('b', 5, true);

  it('saves and loads by name, bit-exact, alternating slots with rising sequence numbers', function () {
    const store = new ModelStore(new MemoryStorage(), { decode: load });
    assert.equal(store.read('m'), null);
    assert.equal(store.load('m', load), null);
    assert.equal(store.save('m', a), 1);
    assert.equal(store.save('m', b), 2);
    assert.equal(store.save('other', a2), 1);
    assert.ok(same(store.read('m'), b));
    assert.ok(same(store.read('other'), a2));
    const info = store.inspect('m');
    assert.deepEqual(
      info.map((s) => [s.state, s.seq, s.bytes]),
      [['ok', 1, a.length], ['ok', 2, b.length]],
    );
    assert.equal(store.save('m', a2), 3);
    assert.equal(store.inspect('m')[0].seq, 3, 'third save replaces the older slot');
    const m = store.load('m', load) as LogisticRegression;
    assert.ok(m instanceof LogisticRegression);
    assert.ok(same(m.toBytes(), a2));
    // A model object is accepted as well as bytes.
    store.save('obj', m);
    assert.ok(same(store.read('obj'), a2));
    store.remove('m');
    assert.equal(store.read('m'), null);
  });

  for (const mode of ['truncate', 'overwrite', 'erased'] as CutMode[]) {
    it('survives a power cut at every byte of a save (' + mode + ')', function () {
      // One slot used (the other empty), then both slots full.
      const c1 = cutEverywhere(mode, [a], b);
      const c2 = cutEverywhere(mode, [a, a2], b);
      assert.equal(c1.neu, 1);
      assert.equal(c1.old, b.length + RECORD_OVERHEAD);
      assert.equal(c2.neu, 1);
      // Shrinking model: the new record is shorter than the one it overwrites.
      cutEverywhere(mode, [b, a2], a);
    });
  }

  it('detects every single-byte corruption of the newest slot and falls back to the other', function () {
    const s = new CuttingStorage('truncate');
    const reports: string[] = [];
    const store = new ModelStore(s, { decode: load, onCorrupt: (key, why) => reports.push(key + ': ' + why) });
    store.save('m', a);
    store.save('m', b); // slot 1
    const good = s.values['m.1'].slice();
    for (let i = 0; i < good.length; i++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        s.values['m.1'] = good.slice();
        s.values['m.1'][i] ^= flip;
        reports.length = 0;
        assert.ok(same(store.read('m'), a), 'byte ' + i + ' ^ ' + flip);
        assert.equal(reports.length, 1);
        assert.match(reports[0], /^m\.1: /);
      }
    }
    s.values['m.1'] = good;
    assert.ok(same(store.read('m'), b));
  });

  it('falls back to the older slot when the newest record passes its CRC but holds no loadable model', function () {
    const s = new CuttingStorage('truncate');
    const reports: string[] = [];
    const store = new ModelStore(s, { decode: load, onCorrupt: (key, why) => reports.push(key + ': ' + why) });
    store.save('m', a);
    store.save('m', b); // slot 1, the newest
    // A model blob with a valid CRC whose payload does not decode (nFeatures 0), in a valid record:
    // what a buggy or foreign writer could leave. It is written through the adapter, past the checks of save.
    const bad = b.slice();
    bad[12] = 0;
    bad[13] = 0;
    const fixed = rewrapCrc(bad);
    assert.throws(() => load(fixed), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT');
    const rec = recordOf(3, fixed);
    s.values['m.1'] = rec;
    const m = store.load('m');
    assert.ok(m !== null && same((m as LinearRegression).toBytes(), a), 'the older model loads');
    assert.equal(reports.length, 1);
    assert.match(reports[0], /^m\.1: does not decode: E_CORRUPT/);
    assert.deepEqual(store.inspect('m').map((x) => x.state), ['ok', 'ok'], 'both records pass their own checks');
    // With neither slot decodable the decoder's error comes out; nothing is returned.
    s.values['m.0'] = recordOf(2, fixed);
    assert.throws(() => store.load('m'), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT');
    // A decoder for another type: E_TYPE from both slots (the newest slot's error is the one thrown).
    s.values['m.0'] = recordOf(2, a);
    s.values['m.1'] = recordOf(3, a);
    assert.throws(() => store.load('m', LogisticRegression), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_TYPE');
  });

  it('refuses to save bytes that are not a loadable model, and raw bytes it cannot check', function () {
    const s = new CuttingStorage('truncate');
    const store = new ModelStore(s, { decode: load });
    store.save('m', a);
    const bad = b.slice();
    bad[12] = 0;
    bad[13] = 0;
    const notModels = [rewrapCrc(bad), b.slice(0, b.length - 1), new Uint8Array(40), (() => { const x = b.slice(); x[20] ^= 1; return x; })()];
    for (const x of notModels) {
      assert.throws(() => store.save('m', x), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT', 'refused');
      assert.ok(same(store.read('m'), a), 'nothing written');
      assert.equal(s.values['m.1'], undefined);
    }
    // A decoder that knows only LogisticRegression refuses a LinearRegression (E_TYPE means not loadable for it).
    assert.throws(() => store.save('m', a, LogisticRegression), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT');
    store.save('m', b, LogisticRegression);
    // Without any decoder, raw bytes cannot be checked: E_OPTION. A model object is checked (envelope) and saved.
    const plain = new ModelStore(new MemoryStorage());
    assert.throws(() => plain.save('m', a), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_OPTION');
    assert.equal(plain.save('m', load(a) as LinearRegression), 1);
    assert.ok(same(plain.read('m'), a));
  });

  it('a save over a newest record that does not decode keeps the older, loadable one, through a power cut at every byte', function () {
    const bad = b.slice();
    bad[12] = 0;
    bad[13] = 0;
    const undecodable = rewrapCrc(bad);
    for (const mode of ['truncate', 'overwrite', 'erased'] as CutMode[]) {
      const recordBytes = a2.length + RECORD_OVERHEAD;
      let landed = 0;
      for (let k = 0; k <= recordBytes; k++) {
        const s = new CuttingStorage(mode);
        s.values['m.0'] = recordOf(7, a); // the model load returns
        s.values['m.1'] = recordOf(8, undecodable); // newest by sequence, passes its CRC, holds no model
        const reports: string[] = [];
        const store = new ModelStore(s, { decode: load, onCorrupt: (key, why) => reports.push(key + ': ' + why) });
        assert.ok(same((store.load('m') as LinearRegression).toBytes(), a));
        reports.length = 0;
        s.budget = k;
        let cut = false;
        try {
          assert.equal(store.save('m', a2), 9);
        } catch (e) {
          assert.ok(e instanceof MicrolearnError && e.code === 'E_STORAGE' && /power cut/.test(e.message), String(e));
          cut = true;
        }
        assert.equal(cut, k < recordBytes, 'cut at ' + k);
        assert.match(reports[0], /^m\.1: does not decode: E_CORRUPT/);
        s.budget = Infinity;
        assert.ok(same(s.values['m.0'], recordOf(7, a)), mode + ' ' + k + ': the loadable slot is never written');
        const got = (new ModelStore(s, { decode: load }).load('m') as LinearRegression | LogisticRegression).toBytes();
        if (cut) assert.ok(same(got, a), mode + ': cut at ' + k + ' keeps the previous model');
        else {
          assert.ok(same(got, a2));
          landed++;
        }
      }
      assert.equal(landed, 1);
    }
    // Without any decoder the store checks with the saved model's own class: the same slot choice.
    const s = new CuttingStorage('truncate');
    s.values['m.0'] = recordOf(7, a);
    s.values['m.1'] = recordOf(8, undecodable);
    new ModelStore(s).save('m', load(b) as LogisticRegression);
    assert.ok(same(s.values['m.0'], recordOf(7, a)));
    assert.ok(same(s.values['m.1'], recordOf(9, b)));
  });

  it('refuses a model object whose bytes its own class cannot load, and decodes a pipeline with its steps', function () {
    const s = new CuttingStorage('truncate');
    const plain = new ModelStore(s);
    plain.save('m', load(a) as LinearRegression);
    const broken = load(b) as LogisticRegression;
    const bad = b.slice();
    bad[12] = 0;
    bad[13] = 0;
    const undecodable = rewrapCrc(bad);
    // What a writer with a bug would produce: a valid envelope around a payload that does not decode.
    broken.toBytes = () => undecodable;
    assert.throws(() => plain.save('m', broken), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT' && /refusing to save/.test(e.message));
    assert.equal(s.values['m.1'], undefined, 'nothing written');
    assert.ok(same(plain.read('m'), a));
    const p = new Pipeline([new StandardScaler({ nFeatures: 3 }), load(a) as LinearRegression]);
    p.learnOne([1, 20000, -3], 4);
    assert.equal(plain.save('pipe', p), 1);
    assert.ok(same((plain.load('pipe', load) as Pipeline).toBytes(), p.toBytes()));
  });

  it('saves an app\'s own format (not a microlearn blob) with its decoder, and refuses it without one', function () {
    // What an app may store: a header of its own before a model blob, read back by its own decoder.
    const wrap = (m: Uint8Array) => {
      const out = new Uint8Array(2 + m.length);
      out[0] = 0x41;
      out[1] = 0x50;
      out.set(m, 2);
      return out;
    };
    const decodeApp = (x: Uint8Array) => {
      if (x.length < 2 || x[0] !== 0x41 || x[1] !== 0x50) throw new MicrolearnError('E_CORRUPT', 'not an app record');
      return load(x.subarray(2));
    };
    const app = { toBytes: () => wrap(a) };
    const s = new MemoryStorage();
    const plain = new ModelStore(s);
    assert.throws(() => plain.save('app', app), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT' && /bad magic/.test(e.message), 'no decoder: only the envelope is checked');
    assert.equal(plain.read('app'), null, 'nothing written');
    assert.equal(plain.save('app', app, decodeApp), 1);
    assert.ok(same((plain.load('app', decodeApp) as LinearRegression).toBytes(), a));
    // the app's decoder still refuses what it cannot read, whatever the envelope
    const bad = b.slice();
    bad[12] = 0;
    bad[13] = 0;
    assert.throws(() => plain.save('app', { toBytes: () => wrap(rewrapCrc(bad)) }, decodeApp), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT');
    assert.throws(() => plain.save('app', a, decodeApp), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT', 'a bare model blob is not an app record');
    assert.ok(same((plain.load('app', decodeApp) as LinearRegression).toBytes(), a), 'the saved record stays');
  });

  it('throws E_CORRUPT (and never loads) when no slot is valid', function () {
    const s = new CuttingStorage('truncate');
    const store = new ModelStore(s, { decode: load });
    store.save('m', a);
    store.save('m', b);
    s.values['m.0'][20] ^= 1;
    s.values['m.1'] = s.values['m.1'].slice(0, 30);
    let decoded = false;
    assert.throws(
      () => store.load('m', (x) => ((decoded = true), x)),
      (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT' && /no valid copy of model "m"/.test(e.message),
    );
    assert.equal(decoded, false);
    const info = store.inspect('m');
    assert.deepEqual(info.map((x) => x.state), ['corrupt', 'corrupt']);
    assert.match(info[0].reason, /checksum/);
    assert.match(info[1].reason, /length/);
    // Saving over a fully corrupt store works.
    store.save('m', a2);
    assert.ok(same(store.read('m'), a2));
  });

  it('rejects bad names and oversize models, and wraps back-end failures as E_STORAGE', function () {
    const store = new ModelStore(new MemoryStorage(200), { decode: load });
    for (const bad of ['', 'has space', 'x'.repeat(13), 'a/b', 'ü', 7 as unknown as string])
      assert.throws(() => store.save(bad, a), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_OPTION', String(bad));
    assert.throws(() => store.save('big', new Uint8Array(185)), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_STORAGE');
    const padded = new Uint8Array(184); // bytes after a blob's CRC are ignored (a padded flash page)
    padded.set(a);
    store.save('fits', padded);
    assert.throws(() => store.save('x', {} as unknown as Uint8Array), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_OPTION');
    const broken: StorageAdapter = {
      maxBytes: 1000,
      read: () => null,
      write: () => {
        throw new Error('disk on fire');
      },
      remove: () => undefined,
    };
    assert.throws(() => new ModelStore(broken, { decode: load }).save('m', a), /E_STORAGE: writing m\.0 failed: disk on fire/);
    const liar: StorageAdapter = { maxBytes: 1000, read: () => new Uint8Array(3), write: () => undefined, remove: () => undefined };
    assert.throws(() => new ModelStore(liar, { decode: load }).save('m', a), /E_STORAGE: verifying m\.0 failed/);
  });
});

describe('storage adapters', function () {
  const a = modelBytes('a', 3, false);
  const b = modelBytes('b', 5, true);

  it('NodeFileStorage writes a temp file, fsyncs and renames; a crash mid-write keeps the old file', function () {
    const dir = fs.mkdtempSync(join(os.tmpdir(), 'microlearn-store-'));
    try {
      const store = new ModelStore(new NodeFileStorage(dir, fs as unknown as NodeFs), { decode: load });
      store.save('m', a);
      store.save('m', b);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['m.0', 'm.1']);
      assert.ok(same(new ModelStore(new NodeFileStorage(dir), { decode: load }).read('m'), b), 'fs found through process.getBuiltinModule');

      // Record the calls of one save, then crash at each of them.
      const calls: string[] = [];
      const spy = Object.assign({}, fs, {
        writeSync: (fd: number, d: Uint8Array, o: number, l: number) => (calls.push('write'), fs.writeSync(fd, d, o, l)),
        fsyncSync: (fd: number) => (calls.push('fsync'), fs.fsyncSync(fd)),
        renameSync: (x: string, y: string) => (calls.push('rename ' + y.slice(dir.length + 1)), fs.renameSync(x, y)),
      });
      new ModelStore(new NodeFileStorage(dir, spy as unknown as NodeFs), { decode: load }).save('m', a);
      assert.deepEqual(calls.slice(0, 3), ['write', 'fsync', 'rename m.0'], 'write, fsync, then rename');
      assert.ok(same(new ModelStore(new NodeFileStorage(dir), { decode: load }).read('m'), a));

      for (const failAt of ['writeSync', 'fsyncSync', 'renameSync']) {
        const crashing = Object.assign({}, fs, {
          [failAt]: () => {
            throw new Error('crash in ' + failAt);
          },
        });
        assert.throws(() => new ModelStore(new NodeFileStorage(dir, crashing as unknown as NodeFs), { decode: load }).save('m', b), /E_STORAGE.*crash in/);
        assert.ok(same(new ModelStore(new NodeFileStorage(dir), { decode: load }).read('m'), a), 'old model after a crash in ' + failAt);
      }
      // A leftover .tmp file is harmless.
      fs.writeFileSync(join(dir, 'm.1.tmp'), 'garbage');
      new ModelStore(new NodeFileStorage(dir), { decode: load }).save('m', b);
      assert.ok(same(new ModelStore(new NodeFileStorage(dir), { decode: load }).read('m'), b));
      assert.ok(!fs.existsSync(join(dir, 'm.1.tmp')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('EspruinoStorage stores binary through the Storage API', function () {
    // The subset of Espruino's Storage semantics we rely on: readArrayBuffer → undefined when missing, no empty files.
    const files: { [k: string]: Uint8Array } = {};
    const Storage = {
      readArrayBuffer: (n: string) => (files[n] ? files[n].slice().buffer : undefined),
      write: (n: string, d: Uint8Array) => {
        if (!(d instanceof Uint8Array)) throw new Error('expected binary, got ' + typeof d);
        if (d.length === 0) throw new Error("Can't create zero length file");
        files[n] = d.slice();
        return true;
      },
      erase: (n: string) => {
        delete files[n];
      },
    };
    const store = new ModelStore(new EspruinoStorage(Storage), { decode: load });
    store.save('gesture', a);
    store.save('gesture', b);
    assert.deepEqual(Object.keys(files).sort(), ['gesture.0', 'gesture.1']);
    assert.ok(same(new ModelStore(new EspruinoStorage(Storage), { decode: load }).read('gesture'), b));
    store.remove('gesture');
    assert.deepEqual(Object.keys(files), []);
    const full = Object.assign({}, Storage, { write: () => false });
    assert.throws(() => new ModelStore(new EspruinoStorage(full), { decode: load }).save('m', a), /E_STORAGE.*returned false/);
  });

  it('PreferenceStorage and KeyValueStorage store ArrayBuffers and enforce the 4000-byte Preference limit', function () {
    const prefs: { [k: string]: unknown } = {};
    const Preference = {
      get: (d: string, k: string) => prefs[d + '/' + k],
      set: (d: string, k: string, v: ArrayBuffer) => {
        assert.ok(v instanceof ArrayBuffer);
        assert.ok(k.length <= 15, 'NVS keys are at most 15 characters');
        if (v.byteLength > 4000) throw new Error('ESP_ERR_NVS_VALUE_TOO_LONG');
        prefs[d + '/' + k] = v.slice(0);
      },
      delete: (d: string, k: string) => {
        delete prefs[d + '/' + k];
      },
    };
    const store = new ModelStore(new PreferenceStorage(Preference, 'models'), { decode: load });
    store.save('abcdefghijkl', a);
    store.save('abcdefghijkl', b);
    assert.ok(same(store.read('abcdefghijkl'), b));
    const edge = new Uint8Array(4000 - RECORD_OVERHEAD); // a model padded to the limit (bytes after its CRC are ignored)
    edge.set(a);
    store.save('edge', edge);
    assert.throws(() => store.save('big', new Uint8Array(4000 - RECORD_OVERHEAD + 1)), /E_STORAGE.*limit of 4000/);
    prefs['models/x.0'] = 'a string, not ours';
    assert.throws(() => store.read('x'), /E_CORRUPT/);
    assert.throws(() => new PreferenceStorage(Preference, 'a-domain-too-long'), /E_OPTION/);

    const kvValues: { [k: string]: ArrayBuffer } = {};
    const kv = {
      read: (k: string) => kvValues[k],
      write: (k: string, v: ArrayBuffer) => {
        kvValues[k] = v.slice(0);
      },
      delete: (k: string) => {
        delete kvValues[k];
      },
    };
    const big = modelBytes('big', 900, false);
    assert.ok(big.length > 4000);
    const kvStore = new ModelStore(new KeyValueStorage(kv), { decode: load });
    kvStore.save('big', big);
    kvStore.save('big', a);
    assert.ok(same(kvStore.read('big'), a));
    assert.deepEqual(Object.keys(kvValues).sort(), ['big.0', 'big.1']);
  });

  /** NOR flash: erase sets a block to 0xFF, programming can only clear bits; `budget` counts erases and bytes. */
  class FakeFlash implements FlashPartition {
    readonly blockSize = 256;
    readonly mem: Uint8Array;
    budget = Infinity;
    constructor(readonly byteLength: number) {
      this.mem = new Uint8Array(byteLength).fill(0xff);
    }
    private spend(): void {
      if (this.budget <= 0) throw new PowerCut('power cut');
      this.budget--;
    }
    erase(block: number): void {
      assert.ok(block >= 0 && block < this.byteLength / this.blockSize);
      // A cut during an erase leaves the block half erased.
      for (let i = 0; i < this.blockSize; i += 64) {
        this.spend();
        this.mem.fill(0xff, block * this.blockSize + i, block * this.blockSize + i + 64);
      }
    }
    read(offset: number, n: number): ArrayBuffer {
      assert.ok(offset >= 0 && offset + n <= this.byteLength, 'read in bounds');
      return this.mem.slice(offset, offset + n).buffer;
    }
    write(offset: number, n: number, buffer: ArrayBuffer): void {
      assert.ok(offset >= 0 && offset + n <= this.byteLength, 'write in bounds');
      const d = new Uint8Array(buffer, 0, n);
      for (let i = 0; i < n; i++) {
        this.spend();
        this.mem[offset + i] &= d[i];
      }
    }
  }

  it('FlashStorage survives a power cut at every erase and byte write', function () {
    const sizes = { old: 0, neu: 0 };
    let total = -1;
    for (let k = 0; total < 0 || k <= total; k++) {
      const flash = new FakeFlash(4096);
      const store = new ModelStore(new FlashStorage(flash, 600), { decode: load });
      store.save('m', a);
      store.save('m', modelBytes('a2', 6, true));
      const old = store.read('m') as Uint8Array;
      store.save('other', a); // a third key in its own region
      flash.budget = k;
      try {
        store.save('m', b);
        if (total < 0) total = k; // the first k that completes is the save's full cost
      } catch (e) {
        assert.match(String(e), /power cut/);
      }
      flash.budget = Infinity;
      const got = new ModelStore(new FlashStorage(flash, 600), { decode: load }).read('m');
      if (same(got, b)) sizes.neu++;
      else {
        assert.ok(same(got, old), 'cut after ' + k + ' flash operations');
        sizes.old++;
      }
      assert.ok(same(store.read('other'), a), 'other keys untouched');
      if (k > 4 * b.length) assert.fail('save never completed');
    }
    assert.equal(sizes.neu, 1);
    assert.ok(sizes.old > b.length);
  });

  it('FlashStorage checks its geometry and reports a full partition', function () {
    const flash = new FakeFlash(1024);
    const fsx = new FlashStorage(flash, 300); // rounded up to 512: two regions
    assert.equal(fsx.regionBytes, 512);
    assert.equal(fsx.regions, 2);
    assert.equal(fsx.maxBytes, 480);
    const store = new ModelStore(fsx, { decode: load });
    store.save('m', a);
    store.save('m', b);
    assert.throws(() => store.save('n', a), /E_STORAGE.*full/);
    store.remove('m');
    store.save('n', a);
    assert.ok(same(store.read('n'), a));
    assert.throws(() => new FlashStorage(flash, 600), /E_OPTION/);
  });
});
