/**
 * Rewritten TypeScript kernel bodies against the bodies they replaced.
 *
 * The kernels of src/kernels.ts were rewritten for speed on XS and Espruino
 * (issue 10: one fused pass, products whose factors are never 0 × negative,
 * which XS turns into a double −0, int32 comparisons). They must return the
 * same bits for every input, so the previous bodies live on here, verbatim
 * but for names, and both run on the same random and edge inputs: ±2^31
 * limits, 0, −1, integer-valued reals, values next to the ±32768 range,
 * NaN, ±Infinity and non-numbers, every shift.
 */
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { POW2, Q_MAX, Q_MIN, sigmoid } from '../src/fixed.js';
import { kernelsTS, step, stepRecip } from '../src/kernels.js';

type Rng = seedrandom.PRNG;

// ---- the previous bodies (src/kernels.ts at 40a1bc9) ----------------------------

const MIN32 = 1 << 31;
const TWO32 = 4294967296;

function sumRawOld(s32: number, s16: number, s8: number, s0: number): number {
  if (s32 < 32768 && s32 >= -32768 && s16 <= Q_MAX && s16 >= Q_MIN && s8 <= Q_MAX && s0 < 2147352576) {
    return s32 * 65536 + s16 + (s8 >> 8) + ((((s8 & 255) << 8) + s0 + 32768) >> 16);
  }
  if (s32 > 68719476736 || s32 < -68719476736) return s32 > 0 ? 4503599627370496 : -4503599627370496;
  return s32 * 65536 + s16 + Math.floor((s8 * 256 + s0 + 32768) / 65536);
}

function sumQOld(s32: number, s16: number, s8: number, s0: number): number {
  const r = sumRawOld(s32, s16, s8, s0);
  return r > Q_MAX ? Q_MAX : r < Q_MIN ? Q_MIN : r;
}

function dotSOld(a: Int32Array, ao: number, as: number, b: Int32Array, bo: number, bs: number, n: number): number {
  let s32 = 0;
  let s16 = 0;
  let s8 = 0;
  let s0 = 0;
  for (let i = 0; i < n; i++) {
    const u = a[ao];
    const v = b[bo];
    ao += as;
    bo += bs;
    const ul = u & 65535;
    const vl = v & 65535;
    const uh = u >> 16;
    const vh = v >> 16;
    s32 += uh * vh;
    s16 += uh * vl + ul * vh;
    s8 += ul * (vl >> 8);
    s0 += ul * (vl & 255);
  }
  return sumQOld(s32, s16, s8, s0);
}

function axpyWideOld(w: Int32Array, f: Uint16Array, wo: number, x: Int32Array, xo: number, n: number, a: number, s: number): void {
  if (a === 0) return;
  if (s < 0) {
    bigStepsOld(w, f, wo, x, xo, n, a, s);
    return;
  }
  if (s < 16) {
    const sh = 16 - s;
    const m = (1 << s) - 1;
    const r = s > 0 ? 1 << (s - 1) : 0;
    for (let i = 0; i < n; i++) {
      const v = x[xo + i];
      const j = wo + i;
      const p = a * (v >> 16);
      const rr = ((p & m) << sh) + ((a * (v & 65535) + r) >> s);
      const fr = f[j] + (rr & 65535);
      const nw = w[j] + (p >> s) + (rr >> 16) + (fr >> 16);
      if (nw > Q_MAX) {
        w[j] = Q_MAX;
        f[j] = 65535;
      } else if (nw < Q_MIN) {
        w[j] = Q_MIN;
        f[j] = 0;
      } else {
        w[j] = nw;
        f[j] = fr & 65535;
      }
    }
    return;
  }
  const k = s - 16;
  const r = s === 16 ? 32768 : 0;
  const c = s > 16 ? 1 << (s - 17) : 0;
  for (let i = 0; i < n; i++) {
    const v = x[xo + i];
    const j = wo + i;
    const d = (a * (v >> 16) + ((a * (v & 65535) + r) >> 16) + c) >> k;
    const fr = f[j] + (d & 65535);
    const nw = w[j] + (d >> 16) + (fr >> 16);
    if (nw > Q_MAX) {
      w[j] = Q_MAX;
      f[j] = 65535;
    } else if (nw < Q_MIN) {
      w[j] = Q_MIN;
      f[j] = 0;
    } else {
      w[j] = nw;
      f[j] = fr & 65535;
    }
  }
}

function bigStepsOld(w: Int32Array, f: Uint16Array, wo: number, x: Int32Array, xo: number, n: number, a: number, s: number): void {
  const m = POW2[-s];
  for (let i = 0; i < n; i++) {
    const j = wo + i;
    const d = a * x[xo + i] * m;
    const dw = Math.floor(d / 65536);
    const fr = f[j] + (d - dw * 65536);
    const nw = w[j] + dw + (fr >= 65536 ? 1 : 0);
    if (nw > Q_MAX) {
      w[j] = Q_MAX;
      f[j] = 65535;
    } else if (nw < Q_MIN) {
      w[j] = Q_MIN;
      f[j] = 0;
    } else {
      w[j] = nw;
      f[j] = fr >= 65536 ? fr - 65536 : fr;
    }
  }
}

function stepOld(lr: number, g: number, out: Int32Array): void {
  const e = lr * g;
  if (e === 0) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  if (e < 2147483648 && e > -2147483648) {
    let t = e < 0 ? -e : e;
    let b = 1;
    if (t >= 65536) {
      t >>= 16;
      b = 17;
    }
    if (t >= 256) {
      t >>= 8;
      b += 8;
    }
    if (t >= 16) {
      t >>= 4;
      b += 4;
    }
    if (t >= 4) {
      t >>= 2;
      b += 2;
    }
    if (t >= 2) b += 1;
    let s = 31 - b;
    let a = s >= 16 ? e << (s - 16) : ((e >> (15 - s)) + 1) >> 1;
    if (a > 32767 || a < -32767) {
      s--;
      a = ((e >> (15 - s)) + 1) >> 1;
    }
    out[0] = a;
    out[1] = s;
    return;
  }
  const ae = e < 0 ? -e : e;
  let b = 31;
  while (b < 62 && ae >= POW2[b]) b++;
  let s = 31 - b;
  if (s < -15) {
    out[0] = e > 0 ? 32767 : -32767;
    out[1] = -15;
    return;
  }
  let a = roundShiftOld(e, 16 - s);
  if (a > 32767 || a < -32767) {
    s--;
    if (s < -15) {
      out[0] = e > 0 ? 32767 : -32767;
      out[1] = -15;
      return;
    }
    a = roundShiftOld(e, 16 - s);
  }
  out[0] = a;
  out[1] = s;
}

function stepRecipOld(c: number, out: Int32Array): void {
  let b = 1;
  while (b < 32 && POW2[b] <= c) b++;
  const k = b + 28 < 51 ? b + 28 : 51;
  const e = Math.floor((POW2[k + 1] + c) / (2 * c));
  out[0] = e >> 15;
  out[1] = k - 31;
  out[2] = e & 32767;
  out[3] = k - 16;
}

function roundShiftOld(e: number, k: number): number {
  if (k <= 0) return e * POW2[-k];
  if (e <= Q_MAX && e >= Q_MIN) return ((e >> (k - 1)) + 1) >> 1;
  return Math.floor(e / POW2[k] + 0.5);
}

function sgdLinearOld(w: Int32Array, f: Uint16Array, x: ArrayLike<number>, xq: Int32Array | null, n: number, y: number, lr: number, l2: number, link: number): number {
  let s32 = 0;
  let s16 = 0;
  let s8 = 0;
  let s0 = 0;
  let q: Int32Array;
  if (xq === null) q = x as Int32Array;
  else {
    q = xq;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (typeof v !== 'number') return i;
      const t = v * 65536 + 2147483648.5;
      if (!(t >= 0 && t < 4294967296)) return i;
      xq[i] = (t | 0) ^ MIN32;
    }
  }
  for (let i = 0; i < n; i++) {
    const u = w[i];
    const v = q[i];
    const ul = u & 65535;
    const vl = v & 65535;
    const uh = u >> 16;
    const vh = v >> 16;
    s32 += uh * vh;
    s16 += uh * vl + ul * vh;
    s8 += ul * (vl >> 8);
    s0 += ul * (vl & 255);
  }
  const z0 = sumQOld(s32, s16, s8, s0) + w[n];
  const z = z0 > Q_MAX ? Q_MAX : z0 < Q_MIN ? Q_MIN : z0;
  const p = link === 1 ? sigmoid(z) : z;
  const g0 = y - p;
  const g = g0 > Q_MAX ? Q_MAX : g0 < Q_MIN ? Q_MIN : g0;
  const sb = new Int32Array(2);
  if (l2 !== 0) {
    stepOld(lr, -l2, sb);
    if (sb[0] !== 0) axpyWideOld(w, f, 0, w, 0, n, sb[0], sb[1]);
  }
  stepOld(lr, g, sb);
  const a = sb[0];
  if (a !== 0) {
    const s = sb[1];
    axpyWideOld(w, f, 0, q, 0, n, a, s);
    let dw: number;
    let df: number;
    if (s <= 0) {
      dw = a << -s;
      df = 0;
    } else if (s <= 16) {
      dw = a >> s;
      df = (a << (16 - s)) & 65535;
    } else {
      const d = ((a >> (s - 17)) + 1) >> 1;
      dw = d >> 16;
      df = d & 65535;
    }
    const fr = f[n] + df;
    const nw = w[n] + dw + (fr >> 16);
    if (nw > Q_MAX) {
      w[n] = Q_MAX;
      f[n] = 65535;
    } else if (nw < Q_MIN) {
      w[n] = Q_MIN;
      f[n] = 0;
    } else {
      w[n] = nw;
      f[n] = fr & 65535;
    }
  }
  return -1;
}

function sqdistOld(a: Int32Array, ao: number, b: Int32Array, bo: number, n: number, shift: number): number {
  let s32 = 0;
  let s16 = 0;
  let s8 = 0;
  let s0 = 0;
  for (let i = 0; i < n; i++) {
    let t = a[ao + i] - b[bo + i];
    if (t > Q_MAX) t = Q_MAX;
    else if (t < Q_MIN) t = Q_MIN;
    const tl = t & 65535;
    const th = t >> 16;
    s32 += th * th;
    s16 += th * tl;
    s8 += tl * (tl >> 8);
    s0 += tl * (tl & 255);
  }
  if (shift === 0) return sumQOld(s32, 2 * s16, s8, s0);
  const s16a = 2 * s16;
  const q = Math.floor(s16a / 65536);
  const lo = (s16a - q * 65536) * 65536 + s8 * 256 + s0;
  const c = Math.floor(lo / TWO32);
  return roundSumOld(s32 + q + c, lo - c * TWO32, 16 + shift);
}

function roundSumOld(hi: number, lo: number, k: number): number {
  if (hi > 4294967296 || hi < -4294967296) return hi > 0 ? Q_MAX : Q_MIN;
  const r = hi * POW2[32 - k] + Math.floor((lo + POW2[k - 1]) / POW2[k]);
  return r > Q_MAX ? Q_MAX : r < Q_MIN ? Q_MIN : r;
}

function toRawOld(x: ArrayLike<number>, n: number, s: number, exps: Uint8Array, lim: number, out: Int32Array): number {
  const shared = exps.length === 1;
  const nlim = -lim;
  let m = POW2[s] / POW2[exps[0]];
  let small = !(m >= 1);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (typeof v !== 'number') return i;
    if (!shared) {
      m = POW2[s] / POW2[exps[i]];
      small = !(m >= 1);
    }
    if (small && !(v < 2147483648 && v > -2147483648)) return i;
    const y = v * m;
    if (!(y < 2147483648 && y > -2147483648)) return i;
    let t = y | 0;
    const f = y - t;
    if (f >= 0.5) t += 1;
    else if (f < -0.5) t -= 1;
    if (t >= lim || t <= nlim) return i;
    out[i] = t;
  }
  return -1;
}

// ---- inputs ----------------------------------------------------------------------

const EDGE_Q = [0, -1, 1, 2, -2, 65535, 65536, -65536, -65535, -65537, 32767, -32768, 32768, Q_MAX, Q_MIN, Q_MAX - 1, Q_MIN + 1, 1 << 30, -(1 << 30)];

/** An int32 of a random magnitude (bits 0..31), or an edge value. */
function q32(rng: Rng): number {
  const r = rng();
  if (r < 0.2) return EDGE_Q[Math.floor(rng() * EDGE_Q.length)];
  if (r < 0.3) return (Math.floor(rng() * 64) - 32) * 65536; // integer-valued: low half 0
  const bits = Math.floor(rng() * 32);
  const v = Math.floor(rng() * POW2[bits]);
  return (rng() < 0.5 ? -v : v) | 0;
}

const EDGE_X = [0, -0, 1, -1, 0.5, -0.5, 1.5, -1.5, 32767.99998, 32767.999992370605, 32768, -32768, -32768.000007, -32768.00001, 2 ** -17, -(2 ** -17), 3 * 2 ** -17, -3 * 2 ** -17, 2 ** -40, 1e-300];
const BAD_X: unknown[] = [NaN, Infinity, -Infinity, 32768.5, -40000, 1e10, -1e300, '1', null, undefined, {}, true];

/** A real feature: usually valid, sometimes an edge, rarely invalid (when `bad`). */
function real(rng: Rng, bad: boolean): number {
  const r = rng();
  if (bad && r < 0.03) return BAD_X[Math.floor(rng() * BAD_X.length)] as number;
  if (r < 0.15) return EDGE_X[Math.floor(rng() * EDGE_X.length)];
  if (r < 0.3) return Math.floor(rng() * 9) - 4; // integer features (0 and negatives included)
  if (r < 0.4) return (Math.floor(rng() * 2 ** 20) - 2 ** 19) / 65536 + 2 ** -17; // exact ties of the rounding
  const mag = POW2[Math.floor(rng() * 16)];
  return (rng() * 2 - 1) * mag;
}

function int32s(rng: Rng, n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = q32(rng);
  return a;
}

function uint16s(rng: Rng, n: number): Uint16Array {
  const a = new Uint16Array(n);
  for (let i = 0; i < n; i++) a[i] = rng() < 0.1 ? (rng() < 0.5 ? 0 : 65535) : Math.floor(rng() * 65536);
  return a;
}

function length(rng: Rng): number {
  const r = rng();
  return r < 0.1 ? 1 : r < 0.7 ? 1 + Math.floor(rng() * 10) : 1 + Math.floor(rng() * 100);
}

const CASES = 4000;

describe('rewritten kernels: the same bits as the bodies they replaced', function () {
  it('sgdLinear (real and Q16.16 x, both links, with and without L2)', function () {
    const rng = seedrandom('same-bits-sgd');
    for (let c = 0; c < CASES; c++) {
      const n = length(rng);
      const small = rng() < 0.6; // typical trained models: |w| < 4
      const w0 = int32s(rng, n + 1);
      if (small) for (let i = 0; i <= n; i++) w0[i] = w0[i] >> Math.floor(rng() * 14 + 1);
      if (rng() < 0.1) w0.fill(0); // an untrained model
      const f0 = uint16s(rng, n + 1);
      const real_ = rng() < 0.7;
      const x: ArrayLike<number> = real_ ? Array.from({ length: n }, () => real(rng, rng() < 0.2)) : int32s(rng, n);
      const link = rng() < 0.5 ? 1 : 0;
      const y = link === 1 ? (rng() < 0.5 ? 0 : 65536) : q32(rng);
      const lr = rng() < 0.2 ? q32(rng) & 0x7fffffff : Math.floor(rng() * POW2[Math.floor(rng() * 20)]);
      const l2 = rng() < 0.5 ? 0 : Math.floor(rng() * POW2[Math.floor(rng() * 18)]);
      const wa = w0.slice();
      const fa = f0.slice();
      const wb = w0.slice();
      const fb = f0.slice();
      const xa = real_ ? new Int32Array(n) : null;
      const xb = real_ ? new Int32Array(n) : null;
      const ra = kernelsTS.sgdLinear(wa, fa, x, xa, n, y, lr, l2, link);
      const rb = sgdLinearOld(wb, fb, x, xb, n, y, lr, l2, link);
      const what = 'case ' + c + ' n ' + n + ' link ' + link;
      assert.equal(ra, rb, what);
      assert.deepEqual(wa, wb, what);
      assert.deepEqual(fa, fb, what);
      if (xa !== null && xb !== null) assert.deepEqual(xa, xb, what);
    }
  });

  it('dot, matvec, matTvec, scale, axpy (dot products and sums of products)', function () {
    const rng = seedrandom('same-bits-dot');
    for (let c = 0; c < CASES; c++) {
      const n = length(rng);
      const a = int32s(rng, n + 3);
      const b = int32s(rng, n + 3);
      const ao = Math.floor(rng() * 4);
      const bo = Math.floor(rng() * 4);
      const m = Math.min(n, a.length - ao, b.length - bo);
      assert.equal(kernelsTS.dot(a, ao, b, bo, m), dotSOld(a, ao, 1, b, bo, 1, m), 'dot case ' + c);
      const rows = 1 + Math.floor(rng() * 5);
      const cols = 1 + Math.floor(rng() * 9);
      const W = int32s(rng, rows * cols);
      const X = int32s(rng, cols);
      const D = int32s(rng, rows);
      const out = new Int32Array(cols);
      kernelsTS.matTvec(W, D, out, rows, cols);
      for (let k = 0; k < cols; k++) assert.equal(out[k], dotSOld(W, k, cols, D, 0, 1, rows), 'matTvec case ' + c);
      const mv = new Int32Array(rows);
      kernelsTS.matvec(W, X, 0, null, mv, rows, cols);
      for (let r = 0; r < rows; r++) assert.equal(mv[r], dotSOld(W, r * cols, 1, X, 0, 1, cols), 'matvec case ' + c);
      const alpha = q32(rng);
      const y = a.slice();
      kernelsTS.scale(y, 0, a.length, alpha);
      for (let k = 0; k < a.length; k++) assert.equal(y[k], sumQOld((alpha >> 16) * (a[k] >> 16), (alpha >> 16) * (a[k] & 65535) + (alpha & 65535) * (a[k] >> 16), (alpha & 65535) * ((a[k] & 65535) >> 8), (alpha & 65535) * (a[k] & 255)), 'scale case ' + c);
    }
  });

  it('axpyWide and gerWide (every shift, saturation at both ends)', function () {
    const rng = seedrandom('same-bits-axpy');
    for (let c = 0; c < CASES; c++) {
      const n = length(rng);
      const w0 = int32s(rng, n);
      const f0 = uint16s(rng, n);
      const x = int32s(rng, n);
      const a = rng() < 0.1 ? (rng() < 0.5 ? 32767 : -32767) : Math.floor(rng() * 65535) - 32767;
      const s = Math.floor(rng() * 62) - 15; // −15 ≤ s ≤ 46
      const wa = w0.slice();
      const fa = f0.slice();
      const wb = w0.slice();
      const fb = f0.slice();
      kernelsTS.axpyWide(wa, fa, 0, x, 0, n, a, s);
      axpyWideOld(wb, fb, 0, x, 0, n, a, s);
      assert.deepEqual(wa, wb, 'case ' + c + ' a ' + a + ' s ' + s);
      assert.deepEqual(fa, fb, 'case ' + c + ' a ' + a + ' s ' + s);
      // in place (x = w), as the L2 decay calls it
      const wc = w0.slice();
      const fc = f0.slice();
      const wd = w0.slice();
      const fd = f0.slice();
      kernelsTS.axpyWide(wc, fc, 0, wc, 0, n, a, s);
      axpyWideOld(wd, fd, 0, wd, 0, n, a, s);
      assert.deepEqual(wc, wd, 'in place, case ' + c);
      assert.deepEqual(fc, fd, 'in place, case ' + c);
    }
  });

  it('step (every magnitude of lr·g, both signs, the int32 limits)', function () {
    const rng = seedrandom('same-bits-step');
    const a = new Int32Array(2);
    const b = new Int32Array(2);
    const edges = [0, 1, -1, 2, 32767, 32768, 65535, 65536, -65536, 46340, 46341, Q_MAX, Q_MIN, Q_MAX - 1];
    const check = (lr: number, g: number): void => {
      step(lr, g, a);
      stepOld(lr, g, b);
      assert.deepEqual(a, b, 'lr ' + lr + ' g ' + g);
    };
    for (const lr of edges) for (const g of edges) check(lr, g);
    // lr·g exactly ±2^31 and next to it
    check(32768, 65536);
    check(32768, -65536);
    check(65536, -32768);
    check(1, Q_MIN);
    check(-1, Q_MIN);
    check(2, -1073741824);
    check(2, 1073741824);
    check(3, 715827882);
    check(3, -715827883);
    for (let c = 0; c < 20 * CASES; c++) check(q32(rng), q32(rng));
  });

  it('stepRecip (every count bit length, powers of two and their neighbours)', function () {
    const rng = seedrandom('same-bits-recip');
    const a = new Int32Array(4);
    const b = new Int32Array(4);
    const check = (c: number): void => {
      stepRecip(c, a);
      stepRecipOld(c, b);
      assert.deepEqual(a, b, 'c ' + c);
    };
    for (let k = 1; k <= 32; k++) for (const d of [-1, 0, 1]) if (POW2[k] + d >= 2 && POW2[k] + d < POW2[32]) check(POW2[k] + d);
    for (let c = 2; c < 5000; c++) check(c);
    for (let i = 0; i < 20 * CASES; i++) check(2 + Math.floor(rng() * POW2[1 + Math.floor(rng() * 32)] * (1 - 1e-12)));
  });

  it('sqdist and sqdistMany (every shift)', function () {
    const rng = seedrandom('same-bits-sqdist');
    for (let c = 0; c < CASES; c++) {
      const n = length(rng);
      const a = int32s(rng, n);
      const b = int32s(rng, n);
      const shift = Math.floor(rng() * 17);
      assert.equal(kernelsTS.sqdist(a, 0, b, 0, n, shift), sqdistOld(a, 0, b, 0, n, shift), 'case ' + c + ' shift ' + shift);
      const rows = 1 + Math.floor(rng() * 6);
      const cols = 1 + Math.floor(rng() * 12);
      const data = int32s(rng, rows * cols);
      const x = int32s(rng, cols + 2);
      const xo = Math.floor(rng() * 3);
      const out = new Int32Array(rows);
      kernelsTS.sqdistMany(data, rows, cols, x, xo, shift, out);
      for (let r = 0; r < rows; r++) assert.equal(out[r], sqdistOld(data, r * cols, x, xo, cols, shift), 'sqdistMany case ' + c);
    }
  });

  it('toQ and toRaw (real inputs, shared and per-feature exponents, rejections)', function () {
    const rng = seedrandom('same-bits-toraw');
    // where floor(y + ½) could differ from the rounding it replaced: ties, the one y whose y + ½ rounds up
    // to an integer (½ − 2^-54), both int32 ends, tiny and subnormal values, every limit
    const edges = [0.5 - 2 ** -54, 0.5 - 2 ** -53, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, -0.5 - 2 ** -53, -(0.5 - 2 ** -54), 2 ** -60, -(2 ** -60), 5e-324, -5e-324, -0,
      2147483647.5, 2147483647.25, 2147483647.75, 2 ** 31 - 2 ** -22, -2147483647.5, -2147483647.75, -2147483648, 2147483648, 1073741823.5, -1073741823.5, 65535.5, -65536.5];
    for (const lim of [1, 2, 65536, 1073741824, 2147483648, 2147483647]) {
      for (const s of [0, 16]) {
        for (const e of [0, 16, 17]) {
          const exps = new Uint8Array([e]);
          const x = edges.map((v) => v * POW2[e] / POW2[s]);
          for (let i = 0; i < x.length; i++) {
            const oa = new Int32Array(1);
            const ob = new Int32Array(1);
            assert.equal(kernelsTS.toRaw([x[i]], 1, s, exps, lim, oa), toRawOld([x[i]], 1, s, exps, lim, ob), 'edge ' + x[i] + ' lim ' + lim);
            assert.deepEqual(oa, ob, 'edge ' + x[i] + ' lim ' + lim);
          }
        }
      }
    }
    for (let c = 0; c < CASES; c++) {
      const n = length(rng);
      const bad = rng() < 0.3;
      const x = Array.from({ length: n }, () => (rng() < 0.3 ? real(rng, bad) * POW2[Math.floor(rng() * 20)] : real(rng, bad)));
      const s = rng() < 0.5 ? 16 : 0;
      const shared = rng() < 0.5;
      const exps = new Uint8Array(shared ? 1 : n);
      for (let i = 0; i < exps.length; i++) exps[i] = rng() < 0.05 ? 64 + Math.floor(rng() * 10) : Math.floor(rng() * 40);
      const lim = rng() < 0.3 ? 2147483648 : 1 + Math.floor(rng() * POW2[Math.floor(rng() * 31) + 1]);
      const oa = new Int32Array(n);
      const ob = new Int32Array(n);
      const ra = kernelsTS.toRaw(x, n, s, exps, lim, oa);
      const rb = toRawOld(x, n, s, exps, lim, ob);
      assert.equal(ra, rb, 'toRaw case ' + c);
      assert.deepEqual(oa, ob, 'toRaw case ' + c);
    }
  });
});
