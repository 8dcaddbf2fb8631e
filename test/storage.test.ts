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
import { LinearRegression, LogisticRegression } from '../algorithms/linear.js';

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
    const store = new ModelStore(s);
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
    const after = new ModelStore(s, { onCorrupt: (key, why) => corrupt.push(key + ' ' + why) });
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
    assert.ok(same(new ModelStore(s).read('m'), next));
  }
  return counts;
}

describe('ModelStore', function () {
  const a = modelBytes('a', 3, false);
  const a2 = modelBytes('a2', 6, true);
  const b = modelBytes('b', 5, true);

  it('saves and loads by name, bit-exact, alternating slots with rising sequence numbers', function () {
    const store = new ModelStore(new MemoryStorage());
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
    const store = new ModelStore(s, { onCorrupt: (key, why) => reports.push(key + ': ' + why) });
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

  it('throws E_CORRUPT (and never loads) when no slot is valid', function () {
    const s = new CuttingStorage('truncate');
    const store = new ModelStore(s);
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
    const store = new ModelStore(new MemoryStorage(200));
    for (const bad of ['', 'has space', 'x'.repeat(13), 'a/b', 'ü', 7 as unknown as string])
      assert.throws(() => store.save(bad, a), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_OPTION', String(bad));
    assert.throws(() => store.save('big', new Uint8Array(185)), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_STORAGE');
    store.save('fits', new Uint8Array(184));
    assert.throws(() => store.save('x', {} as unknown as Uint8Array), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_OPTION');
    const broken: StorageAdapter = {
      maxBytes: 1000,
      read: () => null,
      write: () => {
        throw new Error('disk on fire');
      },
      remove: () => undefined,
    };
    assert.throws(() => new ModelStore(broken).save('m', a), /E_STORAGE: writing m\.0 failed: disk on fire/);
    const liar: StorageAdapter = { maxBytes: 1000, read: () => new Uint8Array(3), write: () => undefined, remove: () => undefined };
    assert.throws(() => new ModelStore(liar).save('m', a), /E_STORAGE: verifying m\.0 failed/);
  });
});

describe('storage adapters', function () {
  const a = modelBytes('a', 3, false);
  const b = modelBytes('b', 5, true);

  it('NodeFileStorage writes a temp file, fsyncs and renames; a crash mid-write keeps the old file', function () {
    const dir = fs.mkdtempSync(join(os.tmpdir(), 'microlearn-store-'));
    try {
      const store = new ModelStore(new NodeFileStorage(dir, fs as unknown as NodeFs));
      store.save('m', a);
      store.save('m', b);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['m.0', 'm.1']);
      assert.ok(same(new ModelStore(new NodeFileStorage(dir)).read('m'), b), 'fs found through process.getBuiltinModule');

      // Record the calls of one save, then crash at each of them.
      const calls: string[] = [];
      const spy = Object.assign({}, fs, {
        writeSync: (fd: number, d: Uint8Array, o: number, l: number) => (calls.push('write'), fs.writeSync(fd, d, o, l)),
        fsyncSync: (fd: number) => (calls.push('fsync'), fs.fsyncSync(fd)),
        renameSync: (x: string, y: string) => (calls.push('rename ' + y.slice(dir.length + 1)), fs.renameSync(x, y)),
      });
      new ModelStore(new NodeFileStorage(dir, spy as unknown as NodeFs)).save('m', a);
      assert.deepEqual(calls.slice(0, 3), ['write', 'fsync', 'rename m.0'], 'write, fsync, then rename');
      assert.ok(same(new ModelStore(new NodeFileStorage(dir)).read('m'), a));

      for (const failAt of ['writeSync', 'fsyncSync', 'renameSync']) {
        const crashing = Object.assign({}, fs, {
          [failAt]: () => {
            throw new Error('crash in ' + failAt);
          },
        });
        assert.throws(() => new ModelStore(new NodeFileStorage(dir, crashing as unknown as NodeFs)).save('m', b), /E_STORAGE.*crash in/);
        assert.ok(same(new ModelStore(new NodeFileStorage(dir)).read('m'), a), 'old model after a crash in ' + failAt);
      }
      // A leftover .tmp file is harmless.
      fs.writeFileSync(join(dir, 'm.1.tmp'), 'garbage');
      new ModelStore(new NodeFileStorage(dir)).save('m', b);
      assert.ok(same(new ModelStore(new NodeFileStorage(dir)).read('m'), b));
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
    const store = new ModelStore(new EspruinoStorage(Storage));
    store.save('gesture', a);
    store.save('gesture', b);
    assert.deepEqual(Object.keys(files).sort(), ['gesture.0', 'gesture.1']);
    assert.ok(same(new ModelStore(new EspruinoStorage(Storage)).read('gesture'), b));
    store.remove('gesture');
    assert.deepEqual(Object.keys(files), []);
    const full = Object.assign({}, Storage, { write: () => false });
    assert.throws(() => new ModelStore(new EspruinoStorage(full)).save('m', a), /E_STORAGE.*returned false/);
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
    const store = new ModelStore(new PreferenceStorage(Preference, 'models'));
    store.save('abcdefghijkl', a);
    store.save('abcdefghijkl', b);
    assert.ok(same(store.read('abcdefghijkl'), b));
    store.save('edge', new Uint8Array(4000 - RECORD_OVERHEAD));
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
    const kvStore = new ModelStore(new KeyValueStorage(kv));
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
      const store = new ModelStore(new FlashStorage(flash, 600));
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
      const got = new ModelStore(new FlashStorage(flash, 600)).read('m');
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
    const store = new ModelStore(fsx);
    store.save('m', a);
    store.save('m', b);
    assert.throws(() => store.save('n', a), /E_STORAGE.*full/);
    store.remove('m');
    store.save('n', a);
    assert.ok(same(store.read('n'), a));
    assert.throws(() => new FlashStorage(flash, 600), /E_OPTION/);
  });
});
