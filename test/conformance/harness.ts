/**
 * The conformance harness: cases train models on fixed seeded streams and
 * hash the resulting bytes and predictions. The same bundle runs on Node, XS
 * (with and without native kernels), Moddable and Espruino; every engine must
 * print the same lines. Only library code and IEEE basic arithmetic are used
 * here, so the streams themselves are bit-identical everywhere.
 */
import { crc32 } from '../../src/crc32.js';
import { Random } from '../../src/random.js';

/** Incremental CRC-32 over int32 values (little-endian) and bytes. */
export class Hasher {
  crc = 0;
  count = 0;
  private readonly b = new Uint8Array(4);
  int(v: number): void {
    const b = this.b;
    b[0] = v & 0xff;
    b[1] = (v >> 8) & 0xff;
    b[2] = (v >> 16) & 0xff;
    b[3] = (v >>> 24) & 0xff;
    this.crc = crc32(b, 0, 4, this.crc);
    this.count++;
  }
  ints(a: ArrayLike<number>): void {
    for (let i = 0; i < a.length; i++) this.int(a[i]);
  }
  /**
   * Bytes with each one's position mixed in. A plain CRC would not do for
   * model blobs: a nested blob (Pipeline steps, the k-means inside
   * KMeansDetector) ends with its own CRC, and a CRC run over a complete
   * codeword moves the register independently of the codeword's content.
   */
  bytes(a: Uint8Array): void {
    for (let i = 0; i < a.length; i++) this.int(((i & 0xffffff) << 8) | a[i]);
  }
  /** A real number, hashed through its exact Q16.16 image when it is one, else its value × 2^32 split. */
  real(v: number): void {
    const s = Math.floor(v * 4294967296);
    this.int(s | 0);
    this.int(Math.floor(s / 4294967296) | 0);
  }
  hex(): string {
    let s = (this.crc >>> 0).toString(16);
    while (s.length < 8) s = '0' + s;
    return s;
  }
}

/** One conformance case: trains something and feeds `model` and `pred`. */
export interface Case {
  name: string;
  run(model: Hasher, pred: Hasher): void;
}

/** Deterministic real-valued streams built from the library's PRNG. */
export class Stream {
  readonly rng: Random;
  constructor(seed: number) {
    this.rng = new Random(seed);
  }
  /** Uniform real in [0, 1), exact (u32 / 2^32). */
  uniform(): number {
    return this.rng.nextU32() / 4294967296;
  }
  /** Approximately N(0, 1): sum of 12 uniforms − 6 (exact double arithmetic). */
  normal(): number {
    let s = 0;
    for (let i = 0; i < 12; i++) s += this.uniform();
    return s - 6;
  }
  /** Fills x with N(0,1)·scale + offset. */
  fill(x: Float64Array, scale: number, offset: number): Float64Array {
    for (let i = 0; i < x.length; i++) x[i] = this.normal() * scale + offset;
    return x;
  }
}

/** Formats one result line; every engine must print it identically. */
export function line(name: string, model: Hasher, pred: Hasher): string {
  return 'case ' + name + ' model=' + model.hex() + ' pred=' + pred.hex() + ' n=' + model.count + '/' + pred.count;
}

/** Runs every case, printing one line each (exceptions become a FAIL line). */
export function runCases(cases: Case[], print: (s: string) => void): number {
  let failed = 0;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const m = new Hasher();
    const p = new Hasher();
    try {
      c.run(m, p);
      print(line(c.name, m, p));
    } catch (e) {
      failed++;
      print('case ' + c.name + ' FAIL ' + String(e && (e as Error).message ? (e as Error).message : e));
    }
  }
  return failed;
}

/** Gaussian blobs: class c centred at a seeded random point; `scale` spreads features (raw sensor ranges). */
export function classStream(seed: number, nFeatures: number, nClasses: number, scale: number): (x: Float64Array) => number {
  const s = new Stream(seed);
  const centres = new Float64Array(nFeatures * nClasses);
  s.fill(centres, 1.5 * scale, 0);
  return function (x: Float64Array): number {
    const c = s.rng.nextInt(nClasses);
    for (let i = 0; i < nFeatures; i++) x[i] = centres[c * nFeatures + i] + s.normal() * scale;
    return c;
  };
}

/** Linear target with noise: y = w·x + 0.5 + N(0, 0.1²). */
export function regStream(seed: number, nFeatures: number, scale: number): (x: Float64Array) => number {
  const s = new Stream(seed);
  const w = new Float64Array(nFeatures);
  s.fill(w, 1, 0);
  return function (x: Float64Array): number {
    let y = 0.5;
    for (let i = 0; i < nFeatures; i++) {
      x[i] = s.normal() * scale;
      y += (w[i] * x[i]) / scale;
    }
    return y + s.normal() * 0.1;
  };
}
