/**
 * The binary model format (docs/format.md):
 *
 *   offset 0  "MLRN"                 magic
 *          4  u8   format version    (FORMAT_VERSION)
 *          5  u8   model type        (ModelType)
 *          6  u16  reserved, 0
 *          8  u32  payload length P
 *         12  P bytes payload        (hyper-parameters, then learned state)
 *     12 + P  u32  CRC-32 of bytes 0 .. 12+P
 *
 * All integers little-endian. Readers check every bound and throw
 * MicrolearnError('E_CORRUPT' | 'E_VERSION' | 'E_TYPE'); nothing else.
 */
import { fail } from './errors.js';
import { crc32 } from './crc32.js';

export const FORMAT_VERSION = 2;
export const HEADER_BYTES = 12;

/** Model type ids stored in byte 5. Never renumber: saved models depend on them. */
export const ModelType = {
  LinearRegression: 1,
  LogisticRegression: 2,
  StandardScaler: 3,
  MinMaxScaler: 4,
  Pipeline: 5,
  WindowFeatures: 6,
  SoftmaxRegression: 10,
  KNNClassifier: 11,
  KNNRegressor: 12,
  KMeans: 13,
  GaussianNB: 14,
  HoeffdingTreeClassifier: 15,
  HoeffdingTreeRegressor: 16,
  MLP: 20,
  Int8Linear: 21,
  Int8MLP: 22,
  GaussianScorer: 30,
  KMeansDetector: 31,
  HalfSpaceTrees: 32,
};

/** Appends little-endian values to a growing byte buffer. */
export class ByteWriter {
  bytes: Uint8Array;
  length: number;

  constructor(capacity?: number) {
    this.bytes = new Uint8Array(capacity === undefined ? 64 : capacity);
    this.length = 0;
  }

  private reserve(n: number): number {
    const at = this.length;
    if (at + n > this.bytes.length) {
      let cap = this.bytes.length * 2;
      while (cap < at + n) cap *= 2;
      const b = new Uint8Array(cap);
      b.set(this.bytes.subarray(0, at));
      this.bytes = b;
    }
    this.length = at + n;
    return at;
  }

  u8(v: number): void {
    this.bytes[this.reserve(1)] = v & 0xff;
  }

  u16(v: number): void {
    const at = this.reserve(2);
    this.bytes[at] = v & 0xff;
    this.bytes[at + 1] = (v >> 8) & 0xff;
  }

  u32(v: number): void {
    const at = this.reserve(4);
    this.bytes[at] = v & 0xff;
    this.bytes[at + 1] = (v >> 8) & 0xff;
    this.bytes[at + 2] = (v >> 16) & 0xff;
    this.bytes[at + 3] = (v >>> 24) & 0xff;
  }

  i32(v: number): void {
    this.u32(v | 0);
  }

  /** Raw elements, no length prefix (the reader knows the length from the hyper-parameters). */
  i32s(a: Int32Array): void {
    for (let i = 0; i < a.length; i++) this.u32(a[i] | 0);
  }

  u16s(a: Uint16Array): void {
    for (let i = 0; i < a.length; i++) this.u16(a[i]);
  }

  u32s(a: Uint32Array): void {
    for (let i = 0; i < a.length; i++) this.u32(a[i]);
  }

  u8s(a: Uint8Array): void {
    const at = this.reserve(a.length);
    this.bytes.set(a, at);
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    // Not slice(): on Espruino a typed array's slice() returns a plain Array.
    const out = new Uint8Array(this.length);
    out.set(this.bytes.subarray(0, this.length));
    return out;
  }
}

/** Reads little-endian values with bounds checks; every failure is E_CORRUPT. */
export class ByteReader {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;

  constructor(bytes: Uint8Array, start: number, end: number) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  /** Throws E_CORRUPT unless at least n more bytes remain. Call before allocating state from read sizes. */
  need(n: number): void {
    if (!(n >= 0) || this.pos + n > this.end) fail('E_CORRUPT', 'truncated model data');
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  u16(): number {
    this.need(2);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 2;
    return b[p] | (b[p + 1] << 8);
  }

  u32(): number {
    return this.i32() >>> 0;
  }

  i32(): number {
    this.need(4);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 4;
    return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  }

  /** An integer in lo..hi (inclusive), else E_CORRUPT. */
  int(lo: number, hi: number): number {
    const v = this.i32();
    if (v < lo || v > hi) fail('E_CORRUPT', 'value ' + v + ' out of range ' + lo + '..' + hi);
    return v;
  }

  /** Fills `out` with Int32 values. */
  i32s(out: Int32Array): void {
    this.need(out.length * 4);
    for (let i = 0; i < out.length; i++) out[i] = this.i32();
  }

  u16s(out: Uint16Array): void {
    this.need(out.length * 2);
    for (let i = 0; i < out.length; i++) out[i] = this.u16();
  }

  u32s(out: Uint32Array): void {
    this.need(out.length * 4);
    for (let i = 0; i < out.length; i++) out[i] = this.u32();
  }

  u8s(out: Uint8Array): void {
    this.need(out.length);
    out.set(this.bytes.subarray(this.pos, this.pos + out.length));
    this.pos += out.length;
  }

  /** Throws E_CORRUPT if bytes are left over. */
  done(): void {
    if (this.pos !== this.end) fail('E_CORRUPT', 'unexpected trailing bytes in model data');
  }
}

/** Little-endian u32 at b[p]. @internal */
export function u32At(b: ArrayLike<number>, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

/** Writes v as a little-endian u32 at b[p]. @internal */
export function putU32(b: Uint8Array, p: number, v: number): void {
  b[p] = v & 0xff;
  b[p + 1] = (v >> 8) & 0xff;
  b[p + 2] = (v >> 16) & 0xff;
  b[p + 3] = (v >>> 24) & 0xff;
}

/** Writes the 12-byte header of a blob of `type` with a payload of p bytes at b[0]. @internal (also the device API's writer) */
export function writeHeader(b: Uint8Array, type: number, p: number): void {
  b[0] = 0x4d; // M
  b[1] = 0x4c; // L
  b[2] = 0x52; // R
  b[3] = 0x4e; // N
  b[4] = FORMAT_VERSION;
  b[5] = type;
  b[6] = 0;
  b[7] = 0;
  putU32(b, 8, p);
}

/** Builds a complete blob: header, the payload `write` produces, CRC. */
export function encode(type: number, write: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(256);
  w.u32(0); // the header, written below once the payload length is known
  w.u32(0);
  w.u32(0);
  write(w);
  writeHeader(w.bytes, type, w.length - HEADER_BYTES);
  w.u32(crc32(w.bytes, 0, w.length));
  return w.finish();
}

/**
 * Checks magic, length, CRC, version and reserved bytes of a blob starting at
 * `start` (E_CORRUPT, E_VERSION) and returns the end of its payload (the CRC
 * follows). The model type is `bytes[start + 5]`. @internal (also the device API's reader)
 */
export function blobEnd(bytes: Uint8Array, start: number, limit: number): number {
  if (!(bytes instanceof Uint8Array)) fail('E_CORRUPT', 'model data must be a Uint8Array');
  if (limit - start < HEADER_BYTES + 4) fail('E_CORRUPT', 'model data too short');
  if (bytes[start] !== 0x4d || bytes[start + 1] !== 0x4c || bytes[start + 2] !== 0x52 || bytes[start + 3] !== 0x4e)
    fail('E_CORRUPT', 'not a microlearn model (bad magic)');
  const p = u32At(bytes, start + 8);
  if (p > limit - start - HEADER_BYTES - 4) fail('E_CORRUPT', 'payload length exceeds the data');
  const end = start + HEADER_BYTES + p;
  if (crc32(bytes, start, end) !== u32At(bytes, end)) fail('E_CORRUPT', 'checksum mismatch');
  if (bytes[start + 4] !== FORMAT_VERSION)
    fail('E_VERSION', 'format version ' + bytes[start + 4] + ' (this build reads ' + FORMAT_VERSION + ')');
  if (bytes[start + 6] !== 0 || bytes[start + 7] !== 0) fail('E_CORRUPT', 'reserved header bytes are not zero');
  return end;
}

/**
 * Checks a blob starting at `start` ({@link blobEnd}) and returns a reader
 * over its payload; `reader.end + 4` is the blob's end. The model type is
 * `bytes[start + 5]`.
 */
export function openBlob(bytes: Uint8Array, start: number, limit: number): ByteReader {
  return new ByteReader(bytes, start + HEADER_BYTES, blobEnd(bytes, start, limit));
}
