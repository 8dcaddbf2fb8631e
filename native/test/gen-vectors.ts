/**
 * Writes the shared test vectors for the C kernels: seeded random inputs,
 * run through the TypeScript reference kernels (src/kernels.ts), with every
 * array before and after the call and the return value. native/test/
 * test_kernels.c replays each case through the C kernels and requires the
 * same bits.
 *
 *   node build/native/test/gen-vectors.js [out.bin] [seed]
 *
 * File layout (little-endian):
 *   "MLKV" u32 version(1) u32 caseCount, then per case:
 *   u8 kernel (index in KERNEL_NAMES, then the scalar helpers of EXTRA_IDS, then the signal kernels: SIG), u8 nScalars, u8 nArrays,
 *   nScalars × i64 (u32 low, i32 high),
 *   nArrays × { u8 kind: 0 Int32Array | 1 Uint16Array | 2 null | 3 alias | 4 Uint32Array | 5 Float64Array | 6 Uint8Array;
 *               kind 0/1/4/5/6: u32 length, before[length], after[length];
 *               kind 3: u8 index of the earlier array it is },
 *   i64 return value (0 for void kernels).
 * Scalars and arrays are in the TypeScript argument order of each kernel.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import seedrandom from 'seedrandom';
import { KERNEL_NAMES, kernelsTS, step, signalKernelsTS } from '../../src/kernels.js';
import { twiddles } from '../../src/window.js';
import { sigmoid, tanh } from '../../src/fixed.js';

const Q_MAX = 2147483647;
const Q_MIN = -2147483648;
const EDGES = [Q_MIN, Q_MIN + 1, -65537, -65536, -32768, -1, 0, 1, 32767, 32768, 65535, 65536, Q_MAX - 1, Q_MAX];

type Arr = Int32Array | Uint16Array | Uint32Array | Float64Array | Uint8Array | null;

class Writer {
  private chunks: Buffer[] = [];
  count = 0;
  u8(v: number): void {
    const b = Buffer.alloc(1);
    b.writeUInt8(v);
    this.chunks.push(b);
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.chunks.push(b);
  }
  i64(v: number): void {
    if (Math.floor(v) !== v || Math.abs(v) > 9007199254740991) throw new Error('not a safe integer: ' + v);
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(v));
    this.chunks.push(b);
  }
  array(a: Int32Array | Uint16Array | Uint32Array | Float64Array | Uint8Array): void {
    const b = Buffer.from(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
    this.chunks.push(b);
  }
  bytes(): Buffer {
    const head = Buffer.alloc(12);
    head.write('MLKV', 0, 'latin1');
    head.writeUInt32LE(1, 4);
    head.writeUInt32LE(this.count, 8);
    return Buffer.concat([head as Buffer].concat(this.chunks));
  }
}

/**
 * Runs `call` on copies of `arrays` and records one case. An array that is
 * the same object as an earlier one is recorded as an alias of it.
 */
function record(w: Writer, kernel: number, scalars: number[], arrays: Arr[], call: (a: Arr[]) => number | void): void {
  const copies: Arr[] = [];
  const alias: number[] = [];
  for (let i = 0; i < arrays.length; i++) {
    const a = arrays[i];
    const j = a === null ? -1 : arrays.indexOf(a);
    alias.push(j >= 0 && j < i ? j : -1);
    copies.push(a === null ? null : j >= 0 && j < i ? copies[j] : a.slice());
  }
  const r = call(copies);
  w.count++;
  w.u8(kernel);
  w.u8(scalars.length);
  w.u8(arrays.length);
  for (const s of scalars) w.i64(s);
  for (let i = 0; i < arrays.length; i++) {
    const a = arrays[i];
    if (a === null) w.u8(2);
    else if (alias[i] >= 0) {
      w.u8(3);
      w.u8(alias[i]);
    } else {
      w.u8(a instanceof Int32Array ? 0 : a instanceof Uint16Array ? 1 : a instanceof Float64Array ? 5 : a instanceof Uint8Array ? 6 : 4);
      w.u32(a.length);
      w.array(a);
      w.array(copies[i] as Int32Array | Uint16Array | Uint32Array | Float64Array | Uint8Array);
    }
  }
  w.i64(typeof r === 'number' ? r : 0);
}

/** Seeded generators of int32 values in a few regimes: typical Q16.16 sizes, large, full range and edges. */
class Gen {
  private rng: () => number;
  constructor(seed: string) {
    this.rng = seedrandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.rng() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  /** One int32 in regime r (0 small, 1 medium, 2 full range, 3 edges, 4 any of these). */
  value(r: number): number {
    if (r === 4) r = this.int(4);
    if (r === 0) return this.range(-262144, 262144);
    if (r === 1) return this.range(-16777216, 16777216);
    if (r === 2) return this.range(Q_MIN, Q_MAX);
    return EDGES[this.int(EDGES.length)];
  }
  regime(): number {
    return this.int(5);
  }
  i32(len: number, r: number): Int32Array {
    const a = new Int32Array(len);
    for (let i = 0; i < len; i++) a[i] = this.value(r);
    return a;
  }
  u16(len: number): Uint16Array {
    const a = new Uint16Array(len);
    const edge = this.int(4) === 0;
    for (let i = 0; i < len; i++) a[i] = edge ? (this.int(2) ? 65535 : 0) : this.int(65536);
    return a;
  }
  u32(len: number): Uint32Array {
    const a = new Uint32Array(len);
    const edge = this.int(4) === 0;
    for (let i = 0; i < len; i++) a[i] = edge ? (this.int(2) ? 4294967295 : 0) : this.int(4294967296);
    return a;
  }
  /** A length: mostly short, sometimes up to 300. */
  len(): number {
    return this.int(8) === 0 ? this.int(301) : this.int(33);
  }
  off(): number {
    return this.int(3) === 0 ? this.int(6) : 0;
  }
  extra(): number {
    return this.int(3);
  }
  shift(): number {
    return this.int(3) === 0 ? EDGES_SHIFT[this.int(EDGES_SHIFT.length)] : this.int(17);
  }
  /** A shift of step() or stepRecip(): −15..46, edges often. */
  stepShift(): number {
    return this.int(3) === 0 ? [-15, -1, 0, 1, 15, 16, 17, 29, 30, 35, 46][this.int(11)] : this.range(-15, 46);
  }
  count(): number {
    const k = this.int(6);
    if (k === 0) return 1;
    if (k === 1) return this.range(2, 20);
    if (k === 2) return this.range(1, 100000);
    if (k === 3) return this.range(1, 4294967295);
    if (k === 4) return 524288 + this.range(-3, 3); // around the count cap (2^19)
    return this.range(1, 9007199254740991);
  }
}
const EDGES_SHIFT = [0, 1, 15, 16];

const ID: { [name: string]: number } = {};
KERNEL_NAMES.forEach(function (n, i) {
  ID[n] = i;
});
/** Scalar helpers after the kernels: step, and sigmoid / tanh applied to every element of an array. */
const STEP_ID = KERNEL_NAMES.length;
const SIGMOID_ID = STEP_ID + 1;
const TANH_ID = STEP_ID + 2;
const K = kernelsTS;

/** Real inputs for toQ: typical values, ties and their neighbours, the range edges, non-finite ones. */
function reals(g: Gen, len: number): Float64Array {
  const a = new Float64Array(len);
  const special = [0, -0, 0.5 / 65536, -0.5 / 65536, 32767.999992370605, 32767.99998474121, 32768, -32768, -32768.0000076, NaN, Infinity, -Infinity, 1e300, -1e-300];
  for (let i = 0; i < len; i++) {
    const k = g.int(6);
    if (k === 0) a[i] = special[g.int(special.length)];
    else if (k === 1) a[i] = (g.range(-2147483648, 2147483647) + 0.5) / 65536 + (g.int(3) - 1) * 1e-12;
    else if (k === 2) a[i] = (g.int(1000000) - 500000) / 97.0;
    else a[i] = (g.int(2 ** 30) - 2 ** 29) / 2 ** g.int(40);
  }
  return a;
}

/** Raw readings for toRaw: ties at every scale, the ±2^31 edges, tiny and non-finite values, typical sensor ranges. */
function rawReals(g: Gen, len: number): Float64Array {
  const a = new Float64Array(len);
  const special = [0, -0, 0.5, -0.5, 1.5, -2.5, 2147483647.5, -2147483647.5, 2147483648, -2147483648, 2147483647, 1e-300, -1e-300, 5e-324, NaN, Infinity, -Infinity, 0.49999999999999994];
  for (let i = 0; i < len; i++) {
    const k = g.int(6);
    if (k === 0) a[i] = special[g.int(special.length)];
    else if (k === 1) a[i] = (g.range(-2147483648, 2147483647) + 0.5) / 2 ** g.int(40);
    else if (k === 2) a[i] = (g.int(1000000) - 500000) / 97.0;
    else if (k === 3) a[i] = g.range(-2147483648, 2147483647) + g.int(2) * 0.5;
    else a[i] = (g.int(2 ** 30) - 2 ** 29) / 2 ** g.int(50);
  }
  return a;
}

function randomCases(w: Writer, g: Gen, perKernel: number): void {
  for (let c = 0; c < perKernel; c++) {
    // dot
    {
      const n = g.len(), ao = g.off(), bo = g.off(), r = g.regime();
      const a = g.i32(ao + n + g.extra(), r), b = g.i32(bo + n + g.extra(), g.int(3) ? r : g.regime());
      record(w, ID.dot, [ao, bo, n], [a, b], (x) => K.dot(x[0] as Int32Array, ao, x[1] as Int32Array, bo, n));
    }
    // matvec (sometimes out is x, sometimes no bias)
    {
      const rows = g.int(9), cols = g.int(c % 10 === 0 ? 70 : 17), xo = g.off(), r = g.regime();
      const wm = g.i32(rows * cols + g.extra(), r), x = g.i32(xo + cols + g.extra(), r);
      const bias = g.int(4) === 0 ? null : g.i32(rows + g.extra(), g.regime());
      const aliasOut = g.int(8) === 0 && xo + cols >= rows;
      const out = aliasOut ? x : g.i32(rows + g.extra(), 4);
      record(w, ID.matvec, [xo, rows, cols], [wm, x, bias, out], (a) =>
        K.matvec(a[0] as Int32Array, a[1] as Int32Array, xo, a[2] as Int32Array | null, a[3] as Int32Array, rows, cols),
      );
    }
    // matTvec
    {
      const rows = g.int(17), cols = g.int(9), r = g.regime();
      const wm = g.i32(rows * cols + g.extra(), r), d = g.i32(rows + g.extra(), r), out = g.i32(cols + g.extra(), 4);
      record(w, ID.matTvec, [rows, cols], [wm, d, out], (a) => K.matTvec(a[0] as Int32Array, a[1] as Int32Array, a[2] as Int32Array, rows, cols));
    }
    // axpy (sometimes y and x are one array)
    {
      const n = g.len(), yo = g.off(), xo = g.off(), alpha = g.value(4), r = g.regime();
      const same = g.int(6) === 0;
      const y = g.i32(Math.max(yo, xo) + n + g.extra(), r), x = same ? y : g.i32(xo + n + g.extra(), r);
      record(w, ID.axpy, [yo, xo, n, alpha], [y, x], (a) => K.axpy(a[0] as Int32Array, yo, a[1] as Int32Array, xo, n, alpha));
    }
    // axpyWide (sometimes x is w, as in the L2 shrink step): the mantissas and shifts step() makes
    {
      const n = g.len(), wo = g.off(), xo = g.off(), av = g.range(-32767, 32767), s = g.stepShift(), r = g.regime();
      const same = g.int(5) === 0;
      const len = Math.max(wo, xo) + n + g.extra();
      const wv = g.i32(len, r), f = g.u16(len), x = same ? wv : g.i32(xo + n + g.extra(), r);
      record(w, ID.axpyWide, [wo, xo, n, av, s], [wv, f, x], (a) =>
        K.axpyWide(a[0] as Int32Array, a[1] as Uint16Array, wo, a[2] as Int32Array, xo, n, av, s),
      );
    }
    // gerWide
    {
      const rows = g.int(9), cols = g.int(17), xo = g.off(), r = g.regime();
      const lr = g.int(2) ? g.range(0, 65536) : g.value(4);
      const len = rows * cols + g.extra();
      const wm = g.i32(len, r), f = g.u16(len), d = g.i32(rows + g.extra(), g.regime()), x = g.i32(xo + cols + g.extra(), r);
      record(w, ID.gerWide, [rows, cols, xo, lr], [wm, f, d, x], (a) =>
        K.gerWide(a[0] as Int32Array, a[1] as Uint16Array, rows, cols, a[2] as Int32Array, a[3] as Int32Array, xo, lr),
      );
    }
    // scale
    {
      const n = g.len(), yo = g.off(), alpha = g.value(4);
      const y = g.i32(yo + n + g.extra(), g.regime());
      record(w, ID.scale, [yo, n, alpha], [y], (a) => K.scale(a[0] as Int32Array, yo, n, alpha));
    }
    // sqdist
    {
      const n = g.len(), ao = g.off(), bo = g.off(), shift = g.shift(), r = g.regime();
      const a = g.i32(ao + n + g.extra(), r), b = g.i32(bo + n + g.extra(), g.int(3) ? r : g.regime());
      record(w, ID.sqdist, [ao, bo, n, shift], [a, b], (x) => K.sqdist(x[0] as Int32Array, ao, x[1] as Int32Array, bo, n, shift));
    }
    // sqdistMany
    {
      const rows = g.int(12), cols = g.int(c % 10 === 0 ? 70 : 17), xo = g.off(), shift = g.shift(), r = g.regime();
      const data = g.i32(rows * cols + g.extra(), r), x = g.i32(xo + cols + g.extra(), r), out = g.i32(rows + g.extra(), 4);
      record(w, ID.sqdistMany, [rows, cols, xo, shift], [data, x, out], (a) =>
        K.sqdistMany(a[0] as Int32Array, rows, cols, a[1] as Int32Array, xo, shift, a[2] as Int32Array),
      );
    }
    // welford
    {
      const n = g.len(), o = g.off(), xo = g.off(), count = g.count(), r = g.regime();
      const len = o + n + g.extra();
      const mean = g.i32(len, r), meanF = g.u16(len), varI = g.i32(len, g.int(2) ? 0 : g.regime()), varF = g.u32(len);
      if (g.int(2)) for (let i = 0; i < len; i++) varI[i] = Math.abs(varI[i]) | 0; // variances are normally ≥ 0
      const x = g.i32(xo + n + g.extra(), r);
      // remainders below the count as learning leaves them, or anything (the definition covers any stored state)
      const cap = count < 524288 ? count : 524288;
      const varR = g.int(2) ? g.i32(len, r) : new Int32Array(len).map(() => g.int(cap) - Math.floor(cap / 2));
      record(w, ID.welford, [o, xo, n, count], [mean, meanF, varI, varF, varR, x], (a) =>
        K.welford(a[0] as Int32Array, a[1] as Uint16Array, a[2] as Int32Array, a[3] as Uint32Array, a[4] as Int32Array, o, a[5] as Int32Array, xo, n, count),
      );
    }
    // argmin, argmax (small regimes make ties likely)
    for (const name of ['argmin', 'argmax']) {
      const n = 1 + g.len(), ao = g.off(), r = g.int(2) ? 3 : g.regime();
      const a = g.i32(ao + n + g.extra(), r);
      if (r !== 3 && g.int(2)) for (let i = 0; i < a.length; i++) a[i] = a[i] & 7;
      const fn = name === 'argmin' ? K.argmin : K.argmax;
      record(w, ID[name], [ao, n], [a], (x) => fn(x[0] as Int32Array, ao, n));
    }
    // gerAdam (m null: RMSprop)
    {
      const rows = g.int(5), cols = g.int(c % 10 === 0 ? 40 : 9), xo = g.off(), r = g.regime();
      const len = rows * cols + g.extra();
      const first = g.int(4) !== 0;
      const wv = g.i32(len, r), f = g.u16(len), m = first ? g.i32(len, g.regime()) : null, mf = first ? g.u16(len) : null;
      const vI = g.i32(len, g.int(2) ? 0 : g.regime());
      if (g.int(3)) for (let i = 0; i < len; i++) vI[i] = Math.abs(vI[i]) % 1073741825; // moments are normally in 0..2^30
      const vF = g.u32(len), d = g.i32(rows + g.extra(), g.regime()), x = g.i32(xo + cols + g.extra(), r);
      const a = g.int(3) ? g.range(1048576, 2097151) : g.int(2097152);
      const k = g.int(4) ? g.range(0, 52) : g.range(0, 62);
      const e = g.int(3) ? g.range(0, 1024) : g.value(4) & 0x7fffffff;
      const b1 = g.int(4) ? g.range(55000, 65535) : g.int(65536), b2 = g.int(4) ? g.range(60000, 65535) : g.int(65536);
      record(w, ID.gerAdam, [rows, cols, xo, a, k, e, b1, b2], [wv, f, m, mf, vI, vF, d, x], (q) =>
        K.gerAdam(q[0] as Int32Array, q[1] as Uint16Array, q[2] as Int32Array | null, q[3] as Uint16Array | null, q[4] as Int32Array, q[5] as Uint32Array,
          rows, cols, q[6] as Int32Array, q[7] as Int32Array, xo, a, k, e, b1, b2),
      );
    }
    // step
    {
      const lr = g.int(2) ? g.range(0, 65536) : g.value(4), gv = g.value(4);
      record(w, STEP_ID, [lr, gv], [new Int32Array(2)], (a) => step(lr, gv, a[0] as Int32Array));
    }
    // toQ on real inputs (returns the first rejected index)
    {
      const n = g.len();
      const x = reals(g, n + g.extra()), out = g.i32(n + g.extra(), 4);
      record(w, ID.toQ, [n], [x, out], (a) => K.toQ(a[0] as Float64Array, n, a[1] as Int32Array));
    }
    // toRaw: reals (s 16) or Q16.16 (s 0), a shared exponent or one per feature, limits of every learner
    {
      const n = g.len(), s = g.int(2) ? 16 : 0, shared = g.int(2) === 0;
      const x = s === 16 ? rawReals(g, n + g.extra()) : Float64Array.from(g.i32(n + g.extra(), 4));
      const exps = new Uint8Array(shared ? 1 : n + g.extra());
      for (let i = 0; i < exps.length; i++) exps[i] = g.int(20) === 0 ? 64 + g.int(192) : g.int(2) ? g.int(4) : g.int(64);
      const lims = [2147483648, 1073741824, 134217728, 65536, 1];
      const lim = g.int(5) === 0 ? g.range(1, 2147483647) + 1 : lims[g.int(lims.length)];
      const out = g.i32(n + g.extra(), 4);
      record(w, ID.toRaw, [n, s, lim], [x, exps, out], (a) => K.toRaw(a[0] as Float64Array, n, s, a[1] as Uint8Array, lim, a[2] as Int32Array));
    }
    // kmeansLearn: centroids inside a headroom (sometimes anywhere: saturated distances, every shift),
    // x in internal units or raw reals converted on the way, counts near 1 and at the cap, decay or none
    {
      const k = 1 + g.int(c % 10 === 0 ? 12 : 5), n = 1 + g.int(c % 10 === 0 ? 40 : 12);
      const h = g.int(4) ? g.range(10, 27) : 30;
      const wild = g.int(6) === 0;
      const inside = function (len: number): Int32Array {
        const a = new Int32Array(len);
        for (let i = 0; i < len; i++) a[i] = wild ? g.value(4) : g.range(-(2 ** h) + 1, 2 ** h - 1);
        return a;
      };
      const cv = inside(k * n), cf = g.u16(k * n), counts = g.u32(k);
      if (g.int(2)) for (let i = 0; i < k; i++) counts[i] = g.int(3) ? 1 + g.int(1000) : 4294967295 - g.int(2);
      const decay = [0, 0, 0, 1, 655, 32768, 65535, 65536, g.range(0, 65536)][g.int(9)];
      const lim = 2 ** h;
      const exps = new Uint8Array(1);
      exps[0] = g.int(3) ? g.int(8) : g.int(70);
      const raw = g.int(2) === 0;
      const x = raw ? rawReals(g, n + g.extra()) : inside(n + g.extra());
      if (raw && g.int(2)) for (let i = 0; i < n; i++) x[i] = ((g.range(-(2 ** 20), 2 ** 20) + 0.5 * g.int(2)) * 2 ** exps[0]) / 2 ** (16 + g.int(8));
      const xq = raw ? g.i32(n + g.extra(), 4) : null;
      const work = g.i32(k + n + g.extra(), 4);
      record(w, ID.kmeansLearn, [k, n, lim, decay], [cv, cf, counts, x, xq, exps, work], (a) =>
        K.kmeansLearn(a[0] as Int32Array, a[1] as Uint16Array, a[2] as Uint32Array, k, n, a[3] as Int32Array | Float64Array, a[4] as Int32Array | null,
          a[5] as Uint8Array, lim, decay, a[6] as Int32Array),
      );
    }
    // kmeansNearest: raw reals (ties, edges, rejects) against centroids inside a headroom or anywhere
    {
      const rows = 1 + g.int(c % 10 === 0 ? 12 : 5), n = 1 + g.int(c % 10 === 0 ? 40 : 12);
      const h = g.int(4) ? g.range(10, 27) : 30;
      const cv = g.int(6) === 0 ? g.i32(rows * n, 4) : new Int32Array(rows * n).map(() => g.range(-(2 ** h) + 1, 2 ** h - 1));
      const exps = Uint8Array.of(g.int(3) ? g.int(8) : g.int(70));
      const x = rawReals(g, n + g.extra());
      if (g.int(2)) for (let i = 0; i < n; i++) x[i] = ((g.range(-(2 ** 20), 2 ** 20) + 0.5 * g.int(2)) * 2 ** exps[0]) / 2 ** (16 + g.int(8));
      const lim = [1073741824, 2 ** h, g.range(1, 2147483647)][g.int(3)];
      record(w, ID.kmeansNearest, [rows, n, lim], [cv, x, g.i32(n + g.extra(), 4), exps, g.i32(rows + g.extra(), 4)], (a) =>
        K.kmeansNearest(a[0] as Int32Array, rows, n, a[1] as Float64Array, a[2] as Int32Array, a[3] as Uint8Array, lim, a[4] as Int32Array),
      );
    }
    // sgdLinearReal: real x and a real target (toQ's reals: ties, edges, rejects), with and without L2
    {
      const n = 1 + g.len(), r = g.regime();
      const wv = g.i32(n + 1, g.int(2) ? 0 : r), f = g.u16(n + 1);
      const x = g.int(4) ? Float64Array.from(g.i32(n, 0), (v) => v / 65536) : reals(g, n);
      const y = g.int(3) ? Float64Array.of((g.value(0) + (g.int(2) ? 0.5 : 0)) / 65536) : reals(g, 1);
      const lr = g.int(3) ? g.range(0, 65536) : g.value(4);
      const l2 = g.int(3) === 0 ? g.range(0, 65536) : 0;
      record(w, ID.sgdLinearReal, [n, lr, l2], [wv, f, x, g.i32(n + g.extra(), 4), y], (a) =>
        K.sgdLinearReal(a[0] as Int32Array, a[1] as Uint16Array, a[2] as Float64Array, a[3] as Int32Array, n, (a[4] as Float64Array)[0], lr, l2),
      );
    }
    // denseForward / denseBackward: every activation, sometimes no bias, activations at the edges of sigmoid and tanh
    {
      const rows = g.int(9), cols = g.int(c % 10 === 0 ? 40 : 17), xo = g.off(), r = g.regime(), act = g.int(4);
      const wm = g.i32(rows * cols + g.extra(), r), x = g.i32(xo + cols + g.extra(), r);
      const bias = g.int(4) === 0 ? null : g.i32(rows + g.extra(), g.regime());
      const z = g.i32(rows + g.extra(), 4), a = g.i32(rows + g.extra(), 4);
      record(w, ID.denseForward, [xo, rows, cols, act], [wm, x, bias, z, a], (q) =>
        K.denseForward(q[0] as Int32Array, q[1] as Int32Array, xo, q[2] as Int32Array | null, q[3] as Int32Array, q[4] as Int32Array, rows, cols, act),
      );
    }
    {
      const rows = g.int(9), cols = g.int(c % 10 === 0 ? 40 : 17), r = g.regime(), act = g.int(4);
      const wm = g.i32(rows * cols + g.extra(), r), gv = g.i32(rows + g.extra(), r), gp = g.i32(cols + g.extra(), 4);
      const zp = g.i32(cols + g.extra(), 4);
      // activations as the forward pass leaves them (in [0, 1] or [−1, 1]), or anything
      const ap = g.int(4) ? zp.map((v) => (act === 1 ? tanh(v) : act === 2 ? sigmoid(v) : v > 0 ? v : 0)) : g.i32(cols + g.extra(), 4);
      record(w, ID.denseBackward, [rows, cols, act], [wm, gv, gp, ap, zp], (q) =>
        K.denseBackward(q[0] as Int32Array, q[1] as Int32Array, q[2] as Int32Array, q[3] as Int32Array, q[4] as Int32Array, rows, cols, act),
      );
    }
    // sgdLinear on Q16.16 input (identity and logistic link, with and without L2)
    {
      const n = 1 + g.len(), r = g.regime();
      const wv = g.i32(n + 1, g.int(2) ? 0 : r), f = g.u16(n + 1), x = g.i32(n, r);
      const link = g.int(2);
      const y = link === 1 ? (g.int(2) ? 65536 : 0) : g.value(4);
      const lr = g.int(3) ? g.range(0, 65536) : g.value(4);
      const l2 = g.int(3) === 0 ? g.range(0, 65536) : 0;
      record(w, ID.sgdLinear, [n, y, lr, l2, link], [wv, f, x], (a) =>
        K.sgdLinear(a[0] as Int32Array, a[1] as Uint16Array, a[2] as Int32Array, null, n, y, lr, l2, link),
      );
    }
  }
}

/** sigmoid and tanh on every input of [−15, 15] (step 3) and on the int32 edges. */
function activationCases(w: Writer): void {
  for (const [id, fn] of [[SIGMOID_ID, sigmoid], [TANH_ID, tanh]] as [number, (x: number) => number][]) {
    for (let lo = -15 * 65536; lo < 15 * 65536; lo += 3 * 65536) {
      const x = new Int32Array(65536);
      for (let i = 0; i < x.length; i++) x[i] = lo + 3 * i;
      record(w, id, [], [x], (a) => {
        const v = a[0] as Int32Array;
        for (let i = 0; i < v.length; i++) v[i] = fn(v[i]);
      });
    }
    const e = new Int32Array(EDGES.concat([786431, 786432, 458751, 458752, -786432, -458752, 917503, -917503]));
    record(w, id, [], [e], (a) => {
      const v = a[0] as Int32Array;
      for (let i = 0; i < v.length; i++) v[i] = fn(v[i]);
    });
  }
}

/** Long sums whose partial sums leave int64, exact cancellation, every saturation edge. */
function edgeCases(w: Writer, g: Gen): void {
  const n = 65535;
  const big = new Int32Array(n).fill(Q_MIN);
  // Σ of 65535 products of 2^62: far beyond int64, saturates.
  record(w, ID.dot, [0, 0, n], [big, big.slice()], (x) => K.dot(x[0] as Int32Array, 0, x[1] as Int32Array, 0, n));
  // +2^62 forty thousand times, then (−2^62 + 2^31) forty thousand times: the
  // partial sums pass 2^77 but the total, 40000·2^31, fits after rounding.
  {
    const a = new Int32Array(80000).fill(Q_MIN);
    const b = new Int32Array(80000);
    for (let i = 0; i < 80000; i++) b[i] = i < 40000 ? Q_MIN : Q_MAX;
    record(w, ID.dot, [0, 0, 80000], [a, b], (x) => K.dot(x[0] as Int32Array, 0, x[1] as Int32Array, 0, 80000));
    const c = new Int32Array(80000);
    for (let i = 0; i < 80000; i++) c[i] = i % 2 ? Q_MAX : Q_MIN;
    record(w, ID.dot, [0, 0, 80000], [a, c], (x) => K.dot(x[0] as Int32Array, 0, x[1] as Int32Array, 0, 80000));
  }
  // Sums that land right at the saturation boundary and at rounding ties.
  for (const target of [Q_MAX, Q_MAX + 1, Q_MIN, Q_MIN - 1]) {
    for (const frac of [-32769, -32768, -32767, 32767, 32768, 32769]) {
      // target·2^16 + frac = Σ a·b with a few terms
      const s = target * 65536 + frac;
      const a = new Int32Array([65536, 65536, 1]);
      const hi = Math.trunc(s / 65536 / 2);
      const rest = s - 2 * hi * 65536;
      const b = new Int32Array([hi, hi, rest]);
      if ((b[2] | 0) !== rest || b[0] !== hi) continue;
      record(w, ID.dot, [0, 0, 3], [a, b], (x) => K.dot(x[0] as Int32Array, 0, x[1] as Int32Array, 0, 3));
    }
  }
  // sqdist: full-range differences (saturated at ±2^31), long, every shift.
  for (let shift = 0; shift <= 16; shift++) {
    if (shift === 0 || shift === 16) {
      const a = new Int32Array(n).fill(Q_MAX), b = new Int32Array(n).fill(Q_MIN);
      record(w, ID.sqdist, [0, 0, n, shift], [a, b], (x) => K.sqdist(x[0] as Int32Array, 0, x[1] as Int32Array, 0, n, shift));
    }
    const c = g.i32(3000, 2), d = g.i32(3000, 2);
    record(w, ID.sqdist, [0, 0, 3000, shift], [c, d], (x) => K.sqdist(x[0] as Int32Array, 0, x[1] as Int32Array, 0, 3000, shift));
    const e = g.i32(40, 0), f2 = g.i32(40, 0);
    record(w, ID.sqdist, [0, 0, 40, shift], [e, f2], (x) => K.sqdist(x[0] as Int32Array, 0, x[1] as Int32Array, 0, 40, shift));
  }
  // matTvec down a long column of huge values.
  {
    const rows = 70000, cols = 2;
    const wm = new Int32Array(rows * cols);
    const d = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      wm[2 * i] = Q_MIN;
      wm[2 * i + 1] = i < rows / 2 ? Q_MIN : Q_MAX;
      d[i] = Q_MIN;
    }
    record(w, ID.matTvec, [rows, cols], [wm, d, new Int32Array(cols)], (a) => K.matTvec(a[0] as Int32Array, a[1] as Int32Array, a[2] as Int32Array, rows, cols));
  }
  // step: every power of two and its neighbours around the shift boundaries.
  for (let k = 0; k <= 48; k++) {
    const e = Math.pow(2, k);
    for (const lr of [1, 65536, 2, 3, 32768, 65535, Q_MAX]) {
      for (const dv of [-1, 0, 1]) {
        const gv = Math.round((e + dv) / lr);
        for (const gg of [gv, -gv, gv + 1, -gv - 1]) {
          if (gg > Q_MAX || gg < Q_MIN) continue;
          record(w, STEP_ID, [lr, gg], [new Int32Array(2)], (a) => step(lr, gg, a[0] as Int32Array));
        }
      }
    }
  }
  for (const lr of EDGES)
    for (const gv of EDGES) record(w, STEP_ID, [lr, gv], [new Int32Array(2)], (a) => step(lr, gv, a[0] as Int32Array));
  // axpyWide / axpy / scale with every edge mantissa and shift on edge values.
  const ev = new Int32Array(EDGES);
  for (const av of EDGES) {
    const am = av > 32767 ? 32767 : av < -32767 ? -32767 : av;
    for (let s = -15; s <= 30; s++) {
      const wv = new Int32Array(EDGES.length).fill(0);
      for (let i = 0; i < wv.length; i++) wv[i] = EDGES[(i * 5 + s + 15) % EDGES.length];
      const f = g.u16(EDGES.length);
      record(w, ID.axpyWide, [0, 0, EDGES.length, am, s], [wv, f, ev], (a) =>
        K.axpyWide(a[0] as Int32Array, a[1] as Uint16Array, 0, a[2] as Int32Array, 0, EDGES.length, am, s),
      );
    }
    const y = new Int32Array(EDGES.length);
    for (let i = 0; i < y.length; i++) y[i] = EDGES[(i * 3 + 1) % EDGES.length];
    record(w, ID.axpy, [0, 0, EDGES.length, av], [y, ev], (a) => K.axpy(a[0] as Int32Array, 0, a[1] as Int32Array, 0, EDGES.length, av));
    record(w, ID.scale, [0, EDGES.length, av], [ev.slice()], (a) => K.scale(a[0] as Int32Array, 0, EDGES.length, av));
  }
  // welford at the clamps: extreme means, variances and inputs, count 1 and 2^51.
  for (const count of [1, 2, 3, 524287, 524288, 524289, 4294967295, 9007199254740991]) {
    const len = EDGES.length * EDGES.length;
    const mean = new Int32Array(len), x = new Int32Array(len), varI = new Int32Array(len);
    for (let i = 0; i < len; i++) {
      mean[i] = EDGES[i % EDGES.length];
      x[i] = EDGES[Math.floor(i / EDGES.length)];
      varI[i] = EDGES[(i * 7) % EDGES.length];
    }
    record(w, ID.welford, [0, 0, len, count], [mean, g.u16(len), varI, g.u32(len), g.i32(len, 0), x], (a) =>
      K.welford(a[0] as Int32Array, a[1] as Uint16Array, a[2] as Int32Array, a[3] as Uint32Array, a[4] as Int32Array, 0, a[5] as Int32Array, 0, len, count),
    );
  }
  // gerAdam on edge values: extreme gradients, moments, weights, step sizes and shifts.
  for (const a of [0, 1, 1048576, 2097151]) {
    for (const k of [0, 1, 8, 30, 52, 53, 62]) {
      const n = EDGES.length;
      const wv = new Int32Array(n * n), f = g.u16(n * n), m = new Int32Array(n * n), mf = g.u16(n * n), vI = new Int32Array(n * n), vF = g.u32(n * n);
      for (let i = 0; i < n * n; i++) {
        wv[i] = EDGES[(i * 3 + k) % n];
        m[i] = EDGES[(i * 5 + a) % n];
        vI[i] = i % 3 === 0 ? 0 : i % 3 === 1 ? 1073741824 : EDGES[i % n];
      }
      const d = new Int32Array(EDGES), x = new Int32Array(EDGES);
      for (const e of [0, 1, 2147483647]) {
        record(w, ID.gerAdam, [n, n, 0, a, k, e, 58982, 65470], [wv, f, m, mf, vI, vF, d, x], (q) =>
          K.gerAdam(q[0] as Int32Array, q[1] as Uint16Array, q[2] as Int32Array, q[3] as Uint16Array, q[4] as Int32Array, q[5] as Uint32Array,
            n, n, q[6] as Int32Array, q[7] as Int32Array, 0, a, k, e, 58982, 65470),
        );
        record(w, ID.gerAdam, [n, n, 0, a, k, e, 0, 0], [wv, f, null, null, vI, vF, d, x], (q) =>
          K.gerAdam(q[0] as Int32Array, q[1] as Uint16Array, null, null, q[4] as Int32Array, q[5] as Uint32Array, n, n, q[6] as Int32Array, q[7] as Int32Array, 0, a, k, e, 0, 0),
        );
      }
    }
  }
  // n = 0 everywhere it is allowed.
  const e0 = new Int32Array(0);
  record(w, ID.dot, [0, 0, 0], [e0, e0], (x) => K.dot(x[0] as Int32Array, 0, x[1] as Int32Array, 0, 0));
  record(w, ID.sqdist, [0, 0, 0, 3], [e0, e0], (x) => K.sqdist(x[0] as Int32Array, 0, x[1] as Int32Array, 0, 0, 3));
}

/** Ids of the signal kernels in the vector file (after the scalar helpers). */
const SIG = { ringWrite: TANH_ID + 1, winStats: TANH_ID + 2, fft: TANH_ID + 3, centroid: TANH_ID + 4, analytic: TANH_ID + 5, magnitude: TANH_ID + 6 };
const KS = signalKernelsTS;

/** The signal kernels of WindowFeatures: random windows in every regime, real twiddles, aliased buffers. */
function signalCases(w: Writer, g: Gen, count: number): void {
  for (let c = 0; c < count; c++) {
    const bits = c % 13;
    const n = 1 << bits;
    // ringWrite: any position, stride, wrap-around
    {
      const ro = g.off(), pos = g.int(n), stride = 1 + g.int(4), cnt = g.int(3 * n + 2), so = g.off();
      const ring = g.i32(ro + n + g.extra(), 4), src = g.i32(so + (cnt > 0 ? (cnt - 1) * stride + 1 : 0) + g.extra(), g.regime());
      record(w, SIG.ringWrite, [ro, n, pos, so, stride, cnt], [ring, src], (a) => KS.ringWrite(a[0] as Int32Array, ro, n, pos, a[1] as Int32Array, so, stride, cnt));
    }
    // winStats: full-range and small windows, constant windows, in place on the ring
    {
      const inPlace = g.int(6) === 0;
      const ro = inPlace ? 0 : g.off(), pos = inPlace ? 0 : g.int(n), r = g.regime();
      const ring = g.i32(ro + n + g.extra(), r);
      if (g.int(10) === 0) for (let i = 0; i < ring.length; i++) ring[i] = ring[0];
      const re = inPlace ? ring : g.i32(n + g.extra(), 4), im = g.i32(n + g.extra(), 4), out = g.i32(7 + g.extra(), 4);
      record(w, SIG.winStats, [ro, n, pos, bits], [ring, re, im, out], (a) =>
        KS.winStats(a[0] as Int32Array, ro, n, pos, bits, a[1] as Int32Array, a[2] as Int32Array, a[3] as Int32Array),
      );
    }
    // fft: inputs below 2^30, real twiddles (or random ones within ±1)
    if (n >= 2) {
      const cs = new Int32Array(n / 2), sn = new Int32Array(n / 2);
      if (g.int(4) === 0) for (let i = 0; i < n / 2; i++) (cs[i] = g.range(-65536, 65536)), (sn[i] = g.range(-65536, 65536));
      else if (n >= 8) twiddles(n, cs, sn);
      else {
        const c8 = new Int32Array(4), s8 = new Int32Array(4);
        twiddles(8, c8, s8);
        for (let k = 0; k < n / 2; k++) (cs[k] = c8[(2 * k * 4) / n]), (sn[k] = s8[(2 * k * 4) / n]);
      }
      const lim = g.int(3) === 0 ? 1073741823 : 8388607;
      const re = new Int32Array(n + g.extra()), im = new Int32Array(n + g.extra());
      const cplx = g.int(2) === 0;
      for (let i = 0; i < n; i++) {
        re[i] = g.range(-lim, lim);
        im[i] = cplx ? g.range(-lim, lim) : 0;
      }
      record(w, SIG.fft, [n, bits], [re, im, cs, sn], (a) => KS.fft(a[0] as Int32Array, a[1] as Int32Array, n, bits, a[2] as Int32Array, a[3] as Int32Array));
    }
    // centroid: any values (saturating powers, the halving of big sums)
    {
      const hi = 1 + g.int(g.int(4) === 0 ? 4096 : 300), lo = g.int(hi), r = g.regime();
      const re = g.i32(hi + g.extra(), r), im = g.i32(hi + g.extra(), g.int(2) ? r : 0);
      if (g.int(8) === 0) im.fill(0), re.fill(0);
      record(w, SIG.centroid, [lo, hi], [re, im], (a) => KS.centroid(a[0] as Int32Array, a[1] as Int32Array, lo, hi));
    }
    // analytic: bands anywhere, zero bands, full-range values
    {
      const hi = 1 + g.int(n), lo = g.int(hi), r = g.regime();
      const re = g.i32(n + g.extra(), r), im = g.i32(n + g.extra(), r);
      if (g.int(8) === 0) for (let k = lo; k < hi; k++) (re[k] = 0), (im[k] = 0);
      record(w, SIG.analytic, [n, lo, hi], [re, im], (a) => KS.analytic(a[0] as Int32Array, a[1] as Int32Array, n, lo, hi));
    }
    // magnitude: full range, sometimes into re itself
    {
      const len = g.len(), r = g.regime();
      const re = g.i32(len + g.extra(), r), im = g.i32(len + g.extra(), r);
      const out = g.int(4) === 0 ? re : g.i32(len + g.extra(), 4);
      record(w, SIG.magnitude, [len], [re, im, out], (a) => KS.magnitude(a[0] as Int32Array, a[1] as Int32Array, len, a[2] as Int32Array));
    }
  }
}

/** Generates the vectors; returns the number of cases. */
export function writeVectors(file: string, seed: string, perKernel: number): number {
  const w = new Writer();
  const g = new Gen(seed);
  edgeCases(w, g);
  activationCases(w);
  randomCases(w, g, perKernel);
  signalCases(w, g, Math.ceil(perKernel / 10));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, w.bytes());
  return w.count;
}

if (process.argv[1] && /gen-vectors\.js$/.test(process.argv[1])) {
  const file = process.argv[2] || 'build/native/vectors.bin';
  const seed = process.argv[3] || 'microlearn-native';
  const n = writeVectors(file, seed, 3000);
  console.log('wrote ' + n + ' cases to ' + file);
}
