/** CRC-32 (IEEE 802.3, the zlib/PNG one), used by the model format and the conformance hashes. */
let table: Int32Array | null = null;

function makeTable(): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}

/**
 * CRC-32 of `bytes[start .. end)`, continuing from `crc` (pass the previous
 * result to hash data in pieces). Returns an unsigned 32-bit number.
 */
export function crc32(bytes: ArrayLike<number>, start?: number, end?: number, crc?: number): number {
  const t = table || (table = makeTable());
  let c = crc === undefined ? -1 : ~crc;
  const e = end === undefined ? bytes.length : end;
  for (let i = start === undefined ? 0 : start; i < e; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * CRC-32 of `bytes` with each byte's position mixed in: a hash of a model
 * blob for comparing runs. A plain CRC cannot be used for that: a blob
 * embeds the blobs of its parts (a Pipeline's steps), each ending in its own
 * CRC, and a CRC run over such a part depends on its length only.
 */
export function blobHash(bytes: ArrayLike<number>): number {
  const q = [0, 0, 0, 0];
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) {
    q[0] = bytes[i];
    q[1] = i & 0xff;
    q[2] = (i >> 8) & 0xff;
    q[3] = (i >> 16) & 0xff;
    crc = crc32(q, 0, 4, crc);
  }
  return crc;
}
