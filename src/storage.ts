/**
 * Power-safe model persistence: {@link ModelStore} keeps each named model in
 * two slots, each a record with a sequence number and a CRC-32. A save always
 * overwrites the slot that does not hold the newest model, so a power cut at
 * any byte of a save leaves the previous model (or, once the write is
 * complete, the new one) loadable. A slot that fails its checks is reported
 * and never loaded. Record layout and guarantees: docs/storage.md.
 *
 * The adapters connect the store to a device's storage:
 * {@link MemoryStorage}, {@link NodeFileStorage} (files, written to a temporary
 * name, fsync'd and renamed), {@link EspruinoStorage} (`require("Storage")`,
 * binary), {@link PreferenceStorage} (Moddable `preference`, up to 4000-byte
 * values), {@link KeyValueStorage} (ECMA-419 `embedded:storage/key-value`) and
 * {@link FlashStorage} (a raw Moddable `flash` partition). None of them imports
 * a runtime module: the caller passes the runtime's object in, so this file
 * runs (and is tested) everywhere.
 */
import { MicrolearnError, fail } from './errors.js';
import { crc32 } from './crc32.js';

/**
 * Byte storage under string keys. `write` replaces a value and may be cut
 * short by a power loss at any byte; the store never relies on it being
 * atomic. `read` may return a view that is only valid until the next write.
 */
export interface StorageAdapter {
  /** The bytes stored under `key`, or null when there are none. */
  read(key: string): Uint8Array | null;
  /** Replaces the value under `key` with `data`. */
  write(key: string, data: Uint8Array): void;
  /** Deletes `key`; no error when it does not exist. */
  remove(key: string): void;
  /** Largest value (in bytes) this storage accepts. */
  readonly maxBytes: number;
}

/** What {@link ModelStore.inspect} finds in one slot. */
export interface SlotInfo {
  /** The slot's storage key (`name + ".0"` or `name + ".1"`). */
  key: string;
  /** 'empty': nothing stored; 'ok': a valid record; 'corrupt': bytes that fail a check. */
  state: 'empty' | 'ok' | 'corrupt';
  /** Sequence number of a valid record (else -1). */
  seq: number;
  /** Length of the model data in a valid record, or of the raw bytes found otherwise. */
  bytes: number;
  /** Why the slot is corrupt ('' otherwise). */
  reason: string;
}

/** Options of {@link ModelStore}. */
export interface ModelStoreOptions {
  /**
   * Called for every corrupt slot met while loading or saving (a save that a
   * power cut interrupted leaves one), before the store falls back to the
   * other slot. Corrupt bytes are never returned.
   */
  onCorrupt?: (key: string, reason: string) => void;
  /** Read every save back and compare it (default true). */
  verify?: boolean;
}

/** Bytes a slot record adds around the model data. */
export const RECORD_OVERHEAD = 16;
const MAGIC0 = 0x4d; // "MLS1"
const MAGIC1 = 0x4c;
const MAGIC2 = 0x53;
const MAGIC3 = 0x31;
/** Longest model name: short enough for NVS keys (15 chars) and old Espruino Storage names with the slot suffix. */
export const MAX_NAME = 12;

function u32At(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

function putU32(b: Uint8Array, p: number, v: number): void {
  b[p] = v & 0xff;
  b[p + 1] = (v >> 8) & 0xff;
  b[p + 2] = (v >> 16) & 0xff;
  b[p + 3] = (v >>> 24) & 0xff;
}

/** One record: "MLS1", u32 seq, u32 length L, L data bytes, u32 CRC-32 of everything before it. */
function makeRecord(seq: number, data: Uint8Array): Uint8Array {
  const n = data.length;
  const r = new Uint8Array(n + RECORD_OVERHEAD);
  r[0] = MAGIC0;
  r[1] = MAGIC1;
  r[2] = MAGIC2;
  r[3] = MAGIC3;
  putU32(r, 4, seq);
  putU32(r, 8, n);
  r.set(data, 12);
  putU32(r, 12 + n, crc32(r, 0, 12 + n));
  return r;
}

/** Why `r` is not a valid record ('' when it is). */
function checkRecord(r: Uint8Array): string {
  if (r.length < RECORD_OVERHEAD) return 'truncated record (' + r.length + ' bytes)';
  if (r[0] !== MAGIC0 || r[1] !== MAGIC1 || r[2] !== MAGIC2 || r[3] !== MAGIC3) return 'bad magic';
  const n = u32At(r, 8);
  if (n !== r.length - RECORD_OVERHEAD) return 'length ' + n + ' does not match the ' + r.length + ' bytes stored';
  if (crc32(r, 0, 12 + n) !== u32At(r, 12 + n)) return 'checksum mismatch';
  return '';
}

/** True when sequence number a is newer than b (serial-number arithmetic, so wrap-around is harmless). */
function newer(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** Throws E_OPTION unless `name` is 1..12 characters of A-Z a-z 0-9 _ -. */
function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > MAX_NAME)
    fail('E_OPTION', 'model name must be a string of 1..' + MAX_NAME + ' characters');
  const s = name as string;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
    if (!ok) fail('E_OPTION', 'model name may only use A-Z a-z 0-9 _ - (got ' + JSON.stringify(s) + ')');
  }
  return s;
}

/** Wraps a storage back-end failure as E_STORAGE (MicrolearnErrors pass through). */
function storageError(what: string, e: unknown): MicrolearnError {
  if (e instanceof MicrolearnError) return e;
  return new MicrolearnError('E_STORAGE', what + ' failed: ' + String(e && (e as Error).message ? (e as Error).message : e));
}

/**
 * Saves and loads models by name so that a power cut at any moment of a save
 * leaves either the previous or the new model loadable, never neither.
 * Each name uses two storage keys (slots) `name.0` and `name.1`.
 *
 * @example
 * const store = new ModelStore(new EspruinoStorage(require("Storage")));
 * store.save("tilt", model);                 // after some learnOne() calls
 * const again = store.load("tilt", load);    // null if never saved
 */
export class ModelStore {
  readonly adapter: StorageAdapter;
  private readonly onCorrupt: ((key: string, reason: string) => void) | null;
  private readonly verify: boolean;

  constructor(adapter: StorageAdapter, options?: ModelStoreOptions) {
    if (!adapter || typeof adapter.read !== 'function' || typeof adapter.write !== 'function' || typeof adapter.remove !== 'function')
      fail('E_OPTION', 'ModelStore needs a storage adapter with read, write and remove');
    this.adapter = adapter;
    const o = options === undefined ? {} : options;
    this.onCorrupt = typeof o.onCorrupt === 'function' ? o.onCorrupt : null;
    this.verify = o.verify !== false;
  }

  /** Reads and checks one slot. */
  private slot(name: string, i: number): { info: SlotInfo; raw: Uint8Array | null } {
    const key = name + '.' + i;
    let raw: Uint8Array | null;
    try {
      raw = this.adapter.read(key);
    } catch (e) {
      throw storageError('reading ' + key, e);
    }
    if (raw === null || raw === undefined) return { info: { key: key, state: 'empty', seq: -1, bytes: 0, reason: '' }, raw: null };
    const reason = raw instanceof Uint8Array ? checkRecord(raw) : 'not a byte array';
    if (reason !== '') return { info: { key: key, state: 'corrupt', seq: -1, bytes: raw.length | 0, reason: reason }, raw: null };
    return { info: { key: key, state: 'ok', seq: u32At(raw, 4), bytes: raw.length - RECORD_OVERHEAD, reason: '' }, raw: raw };
  }

  /** The state of both slots of `name`, without loading anything. */
  inspect(name: string): SlotInfo[] {
    checkName(name);
    return [this.slot(name, 0).info, this.slot(name, 1).info];
  }

  /** Index of the slot holding the newest valid record, or -1. */
  private static newest(a: SlotInfo, b: SlotInfo): number {
    if (a.state === 'ok' && b.state === 'ok') return newer(b.seq, a.seq) ? 1 : 0;
    if (a.state === 'ok') return 0;
    if (b.state === 'ok') return 1;
    return -1;
  }

  private report(s: SlotInfo): void {
    if (s.state === 'corrupt' && this.onCorrupt !== null) this.onCorrupt(s.key, s.reason);
  }

  /**
   * Saves a model (anything with `toBytes()`) or raw bytes under `name` and
   * returns the record's sequence number. Throws E_STORAGE if the storage
   * fails or the data is too large for it, E_OPTION for a bad name.
   */
  save(name: string, model: { toBytes(): Uint8Array } | Uint8Array): number {
    checkName(name);
    const data = model instanceof Uint8Array ? model : model && typeof model.toBytes === 'function' ? model.toBytes() : null;
    if (!(data instanceof Uint8Array)) return fail('E_OPTION', 'save() needs a model with toBytes() or a Uint8Array');
    if (data.length + RECORD_OVERHEAD > this.adapter.maxBytes)
      fail('E_STORAGE', 'model of ' + data.length + ' bytes (+' + RECORD_OVERHEAD + ' record bytes) exceeds this storage limit of ' + this.adapter.maxBytes + ' bytes');
    const a = this.slot(name, 0).info;
    const b = this.slot(name, 1).info;
    this.report(a);
    this.report(b);
    const cur = ModelStore.newest(a, b);
    // Never touch the slot with the newest valid record: it is what survives a power cut.
    const target = cur === 0 ? 1 : 0;
    const seq = cur < 0 ? 1 : ((cur === 0 ? a.seq : b.seq) + 1) >>> 0;
    const record = makeRecord(seq, data);
    const key = name + '.' + target;
    try {
      this.adapter.write(key, record);
    } catch (e) {
      throw storageError('writing ' + key, e);
    }
    if (this.verify) {
      const back = this.slot(name, target);
      let same = back.raw !== null && back.raw.length === record.length;
      for (let i = 0; same && i < record.length; i++) if ((back.raw as Uint8Array)[i] !== record[i]) same = false;
      if (!same) fail('E_STORAGE', 'verifying ' + key + ' failed: storage returned different bytes');
    }
    return seq;
  }

  /**
   * The newest valid model bytes saved under `name` (a copy), or null when
   * nothing was ever saved. Throws E_CORRUPT when data exists but no slot
   * passes its checks.
   */
  read(name: string): Uint8Array | null {
    const r = this.newestRecord(name);
    return r === null ? null : copyOf(r.subarray(12, r.length - 4));
  }

  /**
   * Loads the newest valid model saved under `name` through `decode` (the
   * top-level `load`, or a class's decoder), or returns null when nothing was
   * saved. Throws E_CORRUPT when data exists but no slot passes its checks.
   */
  load<T>(name: string, decode: (bytes: Uint8Array) => T): T | null {
    if (typeof decode !== 'function') fail('E_OPTION', 'load() needs a decode function, e.g. the top-level load');
    const r = this.newestRecord(name);
    return r === null ? null : decode(r.subarray(12, r.length - 4));
  }

  private newestRecord(name: string): Uint8Array | null {
    checkName(name);
    const a = this.slot(name, 0);
    const b = this.slot(name, 1);
    this.report(a.info);
    this.report(b.info);
    const cur = ModelStore.newest(a.info, b.info);
    if (cur === 0) return a.raw;
    if (cur === 1) return b.raw;
    if (a.info.state === 'empty' && b.info.state === 'empty') return null;
    const why = a.info.state === 'corrupt' ? a.info.key + ': ' + a.info.reason : b.info.key + ': ' + b.info.reason;
    return fail('E_CORRUPT', 'no valid copy of model "' + name + '" (' + why + ')');
  }

  /** Deletes both slots of `name`. */
  remove(name: string): void {
    checkName(name);
    try {
      this.adapter.remove(name + '.1');
      this.adapter.remove(name + '.0');
    } catch (e) {
      throw storageError('removing ' + name, e);
    }
  }
}

function copyOf(data: Uint8Array): Uint8Array {
  const c = new Uint8Array(data.length);
  c.set(data);
  return c;
}

/** An ArrayBuffer holding exactly `data` (the view's own buffer when it spans all of it). */
function bufferOf(data: Uint8Array): ArrayBuffer {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) return data.buffer as ArrayBuffer;
  return copyOf(data).buffer as ArrayBuffer;
}

/**
 * Storage in RAM (lost at reset): for tests, and for a device that
 * persists by other means.
 * @example
 * const store = new ModelStore(new MemoryStorage());
 */
export class MemoryStorage implements StorageAdapter {
  readonly maxBytes: number;
  private readonly values: { [key: string]: Uint8Array };

  constructor(maxBytes?: number) {
    this.maxBytes = maxBytes === undefined ? 0x7fffffff : maxBytes;
    this.values = {};
  }

  read(key: string): Uint8Array | null {
    const v = this.values['k' + key];
    return v === undefined ? null : copyOf(v);
  }

  write(key: string, data: Uint8Array): void {
    this.values['k' + key] = copyOf(data);
  }

  remove(key: string): void {
    delete this.values['k' + key];
  }
}

/** The part of Node's `fs` that {@link NodeFileStorage} uses. */
export interface NodeFs {
  readFileSync(path: string): Uint8Array;
  openSync(path: string, flags: string): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  mkdirSync(path: string, options: { recursive: boolean }): unknown;
}

function isMissing(e: unknown): boolean {
  return !!e && (e as { code?: string }).code === 'ENOENT';
}

/**
 * One file per key in a directory (Node). A write goes to `key.tmp`, is
 * fsync'd, then renamed over `key` and the directory is fsync'd: readers see
 * the old file or the new one, never a mixture.
 * @example
 * import * as fs from 'node:fs';
 * const store = new ModelStore(new NodeFileStorage('./models', fs));
 */
export class NodeFileStorage implements StorageAdapter {
  readonly maxBytes: number;
  readonly dir: string;
  private readonly fs: NodeFs;

  /** @param fs Node's `fs` module; when omitted it is taken from `process.getBuiltinModule` (Node ≥ 20.16). */
  constructor(dir: string, fs?: NodeFs) {
    if (typeof dir !== 'string' || dir.length === 0) fail('E_OPTION', 'NodeFileStorage needs a directory path');
    let f = fs;
    if (f === undefined) {
      const p = (globalThis as unknown as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
      if (p && typeof p.getBuiltinModule === 'function') f = p.getBuiltinModule('fs') as NodeFs;
    }
    if (!f || typeof f.renameSync !== 'function') fail('E_OPTION', "NodeFileStorage needs Node's fs module: new NodeFileStorage(dir, fs)");
    this.fs = f as NodeFs;
    this.dir = dir;
    this.maxBytes = 0x7fffffff;
    try {
      this.fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw storageError('creating ' + dir, e);
    }
  }

  private path(key: string): string {
    return this.dir + '/' + key;
  }

  read(key: string): Uint8Array | null {
    try {
      const b = this.fs.readFileSync(this.path(key));
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  write(key: string, data: Uint8Array): void {
    const fs = this.fs;
    const tmp = this.path(key) + '.tmp';
    const fd = fs.openSync(tmp, 'w');
    try {
      let done = 0;
      while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.path(key));
    // Make the rename itself durable; not every platform can fsync a directory.
    try {
      const d = fs.openSync(this.dir, 'r');
      try {
        fs.fsyncSync(d);
      } finally {
        fs.closeSync(d);
      }
    } catch (e) {
      // best effort
    }
  }

  remove(key: string): void {
    try {
      this.fs.unlinkSync(this.path(key));
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
  }
}

/** The part of Espruino's `require("Storage")` that {@link EspruinoStorage} uses. */
export interface EspruinoStorageModule {
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  write(name: string, data: Uint8Array): boolean | void;
  erase(name: string): void;
}

/**
 * Espruino's flash `Storage`, written as binary (never JSON: Espruino prints
 * floats with 11 significant digits). `read` returns a view of the flash
 * itself, so loading needs no second copy of the model in RAM.
 * @example
 * const store = new ModelStore(new EspruinoStorage(require("Storage")));
 */
export class EspruinoStorage implements StorageAdapter {
  readonly maxBytes: number;
  private readonly s: EspruinoStorageModule;

  constructor(storage: EspruinoStorageModule, maxBytes?: number) {
    if (!storage || typeof storage.readArrayBuffer !== 'function')
      fail('E_OPTION', 'EspruinoStorage needs the Storage module: new EspruinoStorage(require("Storage"))');
    this.s = storage;
    this.maxBytes = maxBytes === undefined ? 0x7fffffff : maxBytes;
  }

  read(key: string): Uint8Array | null {
    const ab = this.s.readArrayBuffer(key);
    return ab === undefined || ab === null ? null : new Uint8Array(ab);
  }

  write(key: string, data: Uint8Array): void {
    if (this.s.write(key, data) === false) fail('E_STORAGE', 'Storage.write("' + key + '") returned false (flash full?)');
  }

  remove(key: string): void {
    this.s.erase(key);
  }
}

/** Moddable's `preference` module (import Preference from "preference"). */
export interface PreferenceModule {
  get(domain: string, key: string): unknown;
  set(domain: string, key: string, value: ArrayBuffer): void;
  delete(domain: string, key: string): void;
}

/**
 * Moddable `Preference` (NVS on ESP32): values up to 4000 bytes, so models
 * up to 3984 bytes. Keys and the domain are at most 15 characters there.
 * @example
 * import Preference from "preference";
 * const store = new ModelStore(new PreferenceStorage(Preference, "models"));
 */
export class PreferenceStorage implements StorageAdapter {
  readonly maxBytes: number;
  readonly domain: string;
  private readonly p: PreferenceModule;

  constructor(preference: PreferenceModule, domain: string, maxBytes?: number) {
    if (!preference || typeof preference.get !== 'function') fail('E_OPTION', 'PreferenceStorage needs the Preference class');
    if (typeof domain !== 'string' || domain.length < 1 || domain.length > 15) fail('E_OPTION', 'Preference domain must be 1..15 characters');
    this.p = preference;
    this.domain = domain;
    this.maxBytes = maxBytes === undefined ? 4000 : maxBytes;
  }

  read(key: string): Uint8Array | null {
    const v = this.p.get(this.domain, key);
    if (v === undefined || v === null) return null;
    // Anything but a buffer under our key is not ours; report it as corrupt, not missing.
    return v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(0);
  }

  write(key: string, data: Uint8Array): void {
    this.p.set(this.domain, key, bufferOf(data));
  }

  remove(key: string): void {
    this.p.delete(this.domain, key);
  }
}

/** An ECMA-419 key-value store opened with format "buffer" (`embedded:storage/key-value`). */
export interface KeyValueStore {
  read(key: string): unknown;
  write(key: string, value: ArrayBuffer): void;
  delete(key: string): void;
}

/**
 * ECMA-419 key-value storage (Moddable's `embedded:storage/key-value`), for
 * models beyond Preference's 4000 bytes where the host supports it.
 * @example
 * import KV from "embedded:storage/key-value";
 * const store = new ModelStore(new KeyValueStorage(KV.open({ path: "models", format: "buffer" })));
 */
export class KeyValueStorage implements StorageAdapter {
  readonly maxBytes: number;
  private readonly kv: KeyValueStore;

  constructor(kv: KeyValueStore, maxBytes?: number) {
    if (!kv || typeof kv.read !== 'function' || typeof kv.write !== 'function') fail('E_OPTION', 'KeyValueStorage needs an opened key-value store');
    this.kv = kv;
    this.maxBytes = maxBytes === undefined ? 0x7fffffff : maxBytes;
  }

  read(key: string): Uint8Array | null {
    const v = this.kv.read(key);
    if (v === undefined || v === null) return null;
    return v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(0);
  }

  write(key: string, data: Uint8Array): void {
    this.kv.write(key, bufferOf(data));
  }

  remove(key: string): void {
    this.kv.delete(key);
  }
}

/** A raw flash partition as Moddable's `flash` module opens it (`new Flash("partition")`). */
export interface FlashPartition {
  readonly byteLength: number;
  readonly blockSize: number;
  erase(block: number): void;
  read(offset: number, byteLength: number): ArrayBuffer;
  write(offset: number, byteLength: number, buffer: ArrayBuffer): void;
}

const REGION_HEADER = 32;
const MAX_FLASH_KEY = 23;

/**
 * A raw flash partition (Moddable `flash`, NOR semantics: erase sets a block
 * to 0xFF) split into equal regions of whole blocks, one key per region. A
 * region starts with a 32-byte header ("MLFR", key length, key, data length)
 * followed by the data. Writing a key erases only its own region, so the
 * other slot of a model is never touched.
 * @example
 * import Flash from "flash";
 * const store = new ModelStore(new FlashStorage(new Flash("storage"), 8192));
 */
export class FlashStorage implements StorageAdapter {
  readonly maxBytes: number;
  /** Bytes per region (a whole number of blocks). */
  readonly regionBytes: number;
  /** Number of regions, i.e. keys the partition can hold. */
  readonly regions: number;
  private readonly f: FlashPartition;
  private readonly head: Uint8Array;

  /** @param regionBytes space for one key (header included), rounded up to whole blocks. */
  constructor(flash: FlashPartition, regionBytes: number) {
    if (!flash || typeof flash.erase !== 'function') fail('E_OPTION', 'FlashStorage needs a flash partition');
    const bs = flash.blockSize;
    if (!(regionBytes > REGION_HEADER)) fail('E_OPTION', 'regionBytes must exceed ' + REGION_HEADER);
    this.f = flash;
    this.regionBytes = Math.ceil(regionBytes / bs) * bs;
    this.regions = Math.floor(flash.byteLength / this.regionBytes);
    if (this.regions < 2) fail('E_OPTION', 'flash partition of ' + flash.byteLength + ' bytes holds fewer than 2 regions of ' + this.regionBytes);
    this.maxBytes = this.regionBytes - REGION_HEADER;
    this.head = new Uint8Array(REGION_HEADER);
  }

  /** Region holding `key`, or -1; with `free`, the first region holding no valid header instead. */
  private find(key: string, free: boolean): number {
    for (let r = 0; r < this.regions; r++) {
      const h = new Uint8Array(this.f.read(r * this.regionBytes, REGION_HEADER));
      const valid = h[0] === 0x4d && h[1] === 0x4c && h[2] === 0x46 && h[3] === 0x52 && h[4] >= 1 && h[4] <= MAX_FLASH_KEY;
      if (free) {
        if (!valid) return r;
        continue;
      }
      if (!valid || h[4] !== key.length) continue;
      let same = true;
      for (let i = 0; same && i < key.length; i++) if (h[5 + i] !== key.charCodeAt(i)) same = false;
      if (same) return r;
    }
    return -1;
  }

  read(key: string): Uint8Array | null {
    const r = this.find(key, false);
    if (r < 0) return null;
    const h = new Uint8Array(this.f.read(r * this.regionBytes, REGION_HEADER));
    const n = u32At(h, 28);
    // A torn header can carry any length: hand back what the region can hold and let the record checks reject it.
    if (n > this.maxBytes) return new Uint8Array(0);
    return new Uint8Array(this.f.read(r * this.regionBytes + REGION_HEADER, n));
  }

  write(key: string, data: Uint8Array): void {
    if (key.length < 1 || key.length > MAX_FLASH_KEY) fail('E_STORAGE', 'flash key "' + key + '" longer than ' + MAX_FLASH_KEY);
    if (data.length > this.maxBytes) fail('E_STORAGE', data.length + ' bytes do not fit a flash region of ' + this.maxBytes);
    let r = this.find(key, false);
    if (r < 0) r = this.find(key, true);
    if (r < 0) fail('E_STORAGE', 'flash partition full: all ' + this.regions + ' regions are in use');
    const bs = this.f.blockSize;
    const first = (r * this.regionBytes) / bs;
    for (let b = 0; b < this.regionBytes / bs; b++) this.f.erase(first + b);
    const h = this.head;
    h.fill(0xff);
    h[0] = 0x4d; // "MLFR"
    h[1] = 0x4c;
    h[2] = 0x46;
    h[3] = 0x52;
    h[4] = key.length;
    for (let i = 0; i < key.length; i++) h[5 + i] = key.charCodeAt(i);
    putU32(h, 28, data.length);
    const base = r * this.regionBytes;
    if (data.length > 0) this.f.write(base + REGION_HEADER, data.length, bufferOf(data));
    // The header goes last: until it is written the region reads as free, not as a torn value.
    this.f.write(base, REGION_HEADER, copyOf(h).buffer as ArrayBuffer);
  }

  remove(key: string): void {
    const r = this.find(key, false);
    if (r < 0) return;
    // Erasing the first block clears the header, which frees the region.
    this.f.erase((r * this.regionBytes) / this.f.blockSize);
  }
}
