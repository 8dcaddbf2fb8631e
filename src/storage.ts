/**
 * Power-safe model persistence: {@link ModelStore} keeps each named model in
 * two slots, each a record with a sequence number and a CRC-32. A save always
 * overwrites the slot that does not hold the newest model, so a power cut at
 * any byte of a save leaves the previous model (or, once the write is
 * complete, the new one) loadable. A slot that fails its checks is reported
 * and never loaded. Record layout and guarantees: docs/storage.md.
 *
 * The store talks to a {@link StorageAdapter}. {@link MemoryStorage} is here;
 * the adapters of each runtime live with the runtime: targets/node/storage.ts
 * (files), targets/espruino/storage.ts (`require("Storage")`),
 * targets/moddable/storage.ts (`preference`, ECMA-419 key-value, raw flash).
 * None imports a runtime module: the caller passes the runtime's object in.
 */
import { MicrolearnError, fail } from './errors.js';
import { crc32 } from './crc32.js';
import { openBlob, putU32, u32At } from './format.js';
import type { ModelClass } from './learner.js';
import { loadModel } from './load.js';

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
  /**
   * Decodes model bytes (a model class, or a function such as the package's
   * `load`). With it, `save` decodes what it is given before writing and
   * refuses what does not decode, and `load(name)` needs no decoder.
   * Saving raw bytes needs a decoder (here or as save's third argument).
   */
  decode?: ModelClass | ((bytes: Uint8Array) => unknown);
}

/** A model class or a decode function as a decode function. */
function decoder<T>(d: ModelClass<T> | ((bytes: Uint8Array) => T) | null | undefined): ((bytes: Uint8Array) => T) | null {
  if (d === null || d === undefined) return null;
  if (typeof (d as ModelClass<T>).fromReader === 'function') {
    const cls = d as ModelClass<T>;
    return function (b: Uint8Array): T {
      return loadModel(b, [cls as ModelClass], cls);
    };
  }
  if (typeof d === 'function') return d as (bytes: Uint8Array) => T;
  return fail('E_OPTION', 'expected a model class or a decode function, e.g. the top-level load');
}

/**
 * A decoder for a model object's own blob: its class, with the classes of
 * the models nested in it (a Pipeline's steps). Null when the object is not
 * an instance of a model class.
 */
function ownDecoder(model: unknown): ((bytes: Uint8Array) => unknown) | null {
  const classes: ModelClass[] = [];
  if (!ownClasses(model, classes, 0)) return null;
  const cls = classes[0];
  return function (b: Uint8Array): unknown {
    return loadModel(b, classes, cls);
  };
}

/** Appends the classes `model` needs to decode (itself first) to `out`; false when one is not a model class. */
function ownClasses(model: unknown, out: ModelClass[], depth: number): boolean {
  const cls = model ? ((model as { constructor?: unknown }).constructor as ModelClass | undefined) : undefined;
  if (!cls || typeof cls.fromReader !== 'function' || typeof cls.modelType !== 'number' || depth > 4) return false;
  if (out.indexOf(cls) < 0) out.push(cls);
  const steps = (model as { steps?: ArrayLike<unknown> }).steps;
  if (steps && typeof steps.length === 'number') for (let i = 0; i < steps.length; i++) if (!ownClasses(steps[i], out, depth + 1)) return false;
  return true;
}

/** True for the errors that mean "these bytes hold no model this decoder can load". @internal */
export function undecodable(e: unknown): boolean {
  return e instanceof MicrolearnError && (e.code === 'E_CORRUPT' || e.code === 'E_VERSION' || e.code === 'E_TYPE');
}

/**
 * Why `data` holds no model `dec` loads: the decoder's message, or '' when it
 * loads. The decoder alone judges (an app's decoder may read its own format,
 * such as a header before a model blob); without one only the blob's
 * envelope (magic, version, length, CRC) is checked.
 */
function loadFailure(data: Uint8Array, dec: ((bytes: Uint8Array) => unknown) | null): string {
  try {
    if (dec !== null) dec(data);
    else openBlob(data, 0, data.length);
  } catch (e) {
    if (undecodable(e)) return (e as Error).message;
    throw e;
  }
  return '';
}

/** The model bytes inside a valid record. @internal */
export function recordData(r: Uint8Array): Uint8Array {
  return r.subarray(12, r.length - 4);
}

/** Bytes a slot record adds around the model data. */
export const RECORD_OVERHEAD = 16;
const MAGIC0 = 0x4d; // "MLS1"
const MAGIC1 = 0x4c;
const MAGIC2 = 0x53;
const MAGIC3 = 0x31;
/** Longest model name: short enough for NVS keys (15 chars) and old Espruino Storage names with the slot suffix. */
export const MAX_NAME = 12;

// Re-exported for the runtime adapters (targets/moddable/storage.ts), which have always imported them from here.
export { putU32, u32At };

/** One record: "MLS1", u32 seq, u32 length L, L data bytes, u32 CRC-32 of everything before it. @internal (also the device API's store) */
export function makeRecord(seq: number, data: Uint8Array): Uint8Array {
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

/** Why `r` is not a valid record ('' when it is). @internal */
export function checkRecord(r: Uint8Array): string {
  if (r.length < RECORD_OVERHEAD) return 'truncated record (' + r.length + ' bytes)';
  if (r[0] !== MAGIC0 || r[1] !== MAGIC1 || r[2] !== MAGIC2 || r[3] !== MAGIC3) return 'bad magic';
  const n = u32At(r, 8);
  if (n !== r.length - RECORD_OVERHEAD) return 'length ' + n + ' does not match the ' + r.length + ' bytes stored';
  if (crc32(r, 0, 12 + n) !== u32At(r, 12 + n)) return 'checksum mismatch';
  return '';
}

/** True when sequence number a is newer than b (serial-number arithmetic, so wrap-around is harmless). @internal */
export function newer(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** Throws E_OPTION unless `name` is 1..12 characters of A-Z a-z 0-9 _ -. @internal */
export function checkName(name: unknown): string {
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
/** @internal */
export function storageError(what: string, e: unknown): MicrolearnError {
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
  private readonly decode: ((bytes: Uint8Array) => unknown) | null;

  constructor(adapter: StorageAdapter, options?: ModelStoreOptions) {
    if (!adapter || typeof adapter.read !== 'function' || typeof adapter.write !== 'function' || typeof adapter.remove !== 'function')
      fail('E_OPTION', 'ModelStore needs a storage adapter with read, write and remove');
    this.adapter = adapter;
    const o = options === undefined ? {} : options;
    this.onCorrupt = typeof o.onCorrupt === 'function' ? o.onCorrupt : null;
    this.verify = o.verify !== false;
    this.decode = decoder(o.decode);
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
   * returns the record's sequence number. Only loadable models are written:
   * the bytes are decoded first with `decode` (a model class or a function
   * such as `load`; the store's option when omitted; for a model object
   * without either, its own class and those of its steps); what fails is
   * refused with E_CORRUPT and nothing is written. The save never overwrites
   * the slot `load` would return: normally the newest record, but the older
   * one when the newest does not decode (reported through `onCorrupt`).
   * Throws E_STORAGE if the storage fails or the data is too large for it,
   * E_OPTION for a bad name or raw bytes without a decoder.
   */
  save(name: string, model: { toBytes(): Uint8Array } | Uint8Array, decode?: ModelClass | ((bytes: Uint8Array) => unknown)): number {
    checkName(name);
    const raw = model instanceof Uint8Array;
    const data = raw ? (model as Uint8Array) : model && typeof (model as { toBytes?: unknown }).toBytes === 'function' ? (model as { toBytes(): Uint8Array }).toBytes() : null;
    if (!(data instanceof Uint8Array)) return fail('E_OPTION', 'save() needs a model with toBytes() or a Uint8Array');
    if (data.length + RECORD_OVERHEAD > this.adapter.maxBytes)
      fail('E_STORAGE', 'model of ' + data.length + ' bytes (+' + RECORD_OVERHEAD + ' record bytes) exceeds this storage limit of ' + this.adapter.maxBytes + ' bytes');
    let dec = decode === undefined ? this.decode : decoder(decode);
    if (dec === null && !raw) dec = ownDecoder(model);
    if (raw && dec === null) fail('E_OPTION', 'saving raw bytes needs a decoder to check them: save(name, bytes, load) or the decode option');
    const why = loadFailure(data, dec);
    if (why !== '') fail('E_CORRUPT', 'refusing to save bytes that hold no loadable model (' + why + ')');
    const sa = this.slot(name, 0);
    const sb = this.slot(name, 1);
    const a = sa.info;
    const b = sb.info;
    this.report(a);
    this.report(b);
    const cur = ModelStore.newest(a, b);
    // Never touch the slot that load would return: it is what survives a power cut. That is the newest valid
    // record, unless it holds no loadable model while the other slot does (load then falls back to the other).
    let target = cur === 0 ? 1 : 0;
    if (cur >= 0 && (cur === 0 ? b : a).state === 'ok') {
      const newestWhy = loadFailure(recordData((cur === 0 ? sa : sb).raw as Uint8Array), dec);
      if (newestWhy !== '') {
        if (this.onCorrupt !== null) this.onCorrupt((cur === 0 ? a : b).key, 'does not decode: ' + newestWhy);
        target = cur;
      }
    }
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
    return r === null ? null : copyOf(recordData(r));
  }

  /**
   * Loads the newest model saved under `name` that `decode` can load: a model
   * class (`store.load('m', LogisticRegression)`) or a function such as the
   * package's `load` (the store's `decode` option when omitted). A newest
   * record that passes its CRC but does not decode (E_CORRUPT, E_VERSION,
   * E_TYPE) is reported through `onCorrupt` and the other slot is loaded
   * instead. Returns null when nothing was saved. Throws E_CORRUPT when data
   * exists but no slot passes its checks, or the decoder's error when no
   * valid slot decodes.
   */
  load<T>(name: string, decode?: ModelClass<T> | ((bytes: Uint8Array) => T)): T | null {
    const fn = (decode === undefined ? this.decode : decoder(decode)) as ((bytes: Uint8Array) => T) | null;
    if (fn === null) return fail('E_OPTION', 'load() needs a model class or a decode function, e.g. the top-level load');
    const recs = this.records(name);
    if (recs === null) return null;
    let first: unknown = null;
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i].raw as Uint8Array;
      try {
        return fn(recordData(r));
      } catch (e) {
        if (!undecodable(e)) throw e;
        if (this.onCorrupt !== null) this.onCorrupt(recs[i].info.key, 'does not decode: ' + (e as Error).message);
        if (first === null) first = e;
      }
    }
    throw first;
  }

  /** The newest valid record of `name`, or null when nothing was saved; E_CORRUPT when no slot is valid. */
  private newestRecord(name: string): Uint8Array | null {
    const recs = this.records(name);
    return recs === null ? null : recs[0].raw;
  }

  /** The valid slots of `name`, newest first; null when nothing was saved; E_CORRUPT when data exists but no slot is valid. */
  private records(name: string): { info: SlotInfo; raw: Uint8Array | null }[] | null {
    checkName(name);
    const a = this.slot(name, 0);
    const b = this.slot(name, 1);
    this.report(a.info);
    this.report(b.info);
    const cur = ModelStore.newest(a.info, b.info);
    if (cur >= 0) {
      const newest = cur === 0 ? a : b;
      const other = cur === 0 ? b : a;
      return other.info.state === 'ok' ? [newest, other] : [newest];
    }
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

/** @internal a copy of data */
export function copyOf(data: Uint8Array): Uint8Array {
  const c = new Uint8Array(data.length);
  c.set(data);
  return c;
}

/** An ArrayBuffer holding exactly `data` (the view's own buffer when it spans all of it). */
/** @internal */
export function bufferOf(data: Uint8Array): ArrayBuffer {
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
