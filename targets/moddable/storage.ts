/**
 * The Moddable storage adapters for {@link ModelStore}: `preference` (NVS),
 * ECMA-419 `embedded:storage/key-value`, and a raw `flash` partition
 * (docs/storage.md).
 */
import { fail } from '../../src/errors.js';
import { StorageAdapter, bufferOf, copyOf, putU32, u32At } from '../../src/storage.js';

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
