/// <reference lib="es2020.bigint" />
/**
 * Every kernel of kernelsTS against a BigInt model of its exact definition in
 * docs/fixed-point.md (section 5), on random cases that include huge values
 * (the >2^52 split paths, saturation), offsets ≠ 0, n = 1 and n up to a few
 * hundred; plus the backend switch (useKernels / backend).
 */
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { POW2, Q_MAX, Q_MIN } from '../src/fixed.js';
import * as K from '../src/kernels.js';
import { activeKernels, KERNEL_NAMES, Kernels, backend, backendDetail, kernelsTS, step, useKernels } from '../src/kernels.js';

type Rng = seedrandom.PRNG;

// ---- BigInt helpers --------------------------------------------------------------

const B = BigInt;
const B0 = B(0);
const B1 = B(1);
const B2 = B(2);
const BQMAX = B(Q_MAX);
const BQMIN = B(Q_MIN);
const TWO16 = B(65536);
const TWO32 = B(4294967296);

function pow2(k: number): bigint {
  return B1 << B(k);
}
function fdiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d < B0 ? q - B1 : q;
}
function rnd(n: bigint, k: number): bigint {
  return fdiv(n + pow2(k - 1), pow2(k));
}
function satB(v: bigint): bigint {
  return v > BQMAX ? BQMAX : v < BQMIN ? BQMIN : v;
}
function clampB(v: bigint, lo: bigint, hi: bigint): bigint {
  return v < lo ? lo : v > hi ? hi : v;
}
function roundDiv(a: bigint, b: bigint): bigint {
  return fdiv(B2 * a + b, B2 * b);
}

// ---- reference kernels (section 5 of the doc) ----------------------------------

function dotRef(a: Int32Array, ao: number, as: number, b: Int32Array, bo: number, bs: number, n: number): bigint {
  let s = B0;
  for (let i = 0; i < n; i++) s += B(a[ao + i * as]) * B(b[bo + i * bs]);
  return satB(rnd(s, 16));
}

function sqdistRef(a: Int32Array, ao: number, b: Int32Array, bo: number, n: number, shift: number): bigint {
  let s = B0;
  for (let i = 0; i < n; i++) {
    const t = satB(B(a[ao + i]) - B(b[bo + i]));
    s += t * t;
  }
  return satB(rnd(s, 16 + shift));
}

/** (w, f) += round(a·x / 2^s) in units of 2^-32 (2^-s exact when s < 0), element-wise; mutates. Reads x[i] before writing w[i]. */
function axpyWideRef(w: Int32Array, f: Uint16Array, wo: number, x: Int32Array, xo: number, n: number, a: number, s: number): void {
  for (let i = 0; i < n; i++) {
    const P = B(a) * B(x[xo + i]);
    const D = s < 0 ? P * pow2(-s) : s === 0 ? P : fdiv(P + pow2(s - 1), pow2(s));
    const W = B(w[wo + i]) * TWO16 + B(f[wo + i]) + D;
    const wi = fdiv(W, TWO16);
    if (wi > BQMAX) {
      w[wo + i] = Q_MAX;
      f[wo + i] = 65535;
    } else if (wi < BQMIN) {
      w[wo + i] = Q_MIN;
      f[wo + i] = 0;
    } else {
      w[wo + i] = Number(wi);
      f[wo + i] = Number(W - wi * TWO16);
    }
  }
}

/**
 * The step of docs/fixed-point.md: lr·g = a·2^-(s−16)·2^-32... that is
 * a = round(lr·g·2^(s−16)) with the largest s ≤ 30 for which |a| ≤ 32767;
 * saturated at (±32767, −15); (0, 0) for lr·g = 0.
 */
function stepRef(lr: number, g: number): [number, number] {
  const e = B(lr) * B(g);
  if (e === B0) return [0, 0];
  const at = (s: number): bigint => (s >= 16 ? e * pow2(s - 16) : rnd(e, 16 - s));
  for (let s = 30; s >= -15; s--) {
    const a = at(s);
    if (a <= B(32767) && a >= B(-32767)) return [Number(a), s];
  }
  return [e > B0 ? 32767 : -32767, -15];
}

function welfordRef(
  mean: Int32Array, meanF: Uint16Array, varI: Int32Array, varF: Uint32Array, varR: Int32Array,
  o: number, x: Int32Array, xo: number, n: number, count: number,
): void {
  const c = B(count > 524288 ? 524288 : count);
  for (let i = 0; i < n; i++) {
    const j = o + i;
    const X = B(x[xo + i]) * TWO16;
    const M = B(mean[j]) * TWO16 + B(meanF[j]);
    const d1 = X - M;
    const M2 = clampB(M + roundDiv(d1, c), -pow2(47), pow2(47) - B1);
    const d2 = X - M2;
    const A = satB(rnd(d1, 16));
    const Bv = satB(rnd(d2, 16));
    const P = A * Bv;
    const V = B(varI[j]) * TWO32 + B(varF[j]);
    const N = P - V + (c > B1 ? B(varR[j]) : B0);
    const q = fdiv(N + c / B2, c); // round half up
    let V2 = V + q;
    let R = N - q * c;
    if (V2 < B0 || V2 > pow2(63) - B1) {
      V2 = clampB(V2, B0, pow2(63) - B1);
      R = B0;
    }
    const mh = fdiv(M2, TWO16);
    mean[j] = Number(mh);
    meanF[j] = Number(M2 - mh * TWO16);
    const vh = fdiv(V2, TWO32);
    varI[j] = Number(vh);
    varF[j] = Number(V2 - vh * TWO32);
    varR[j] = Number(R);
  }
}

// ---- random data ---------------------------------------------------------------

/** A random int32 value: full range, huge, small, log-uniform, or an edge. */
function randQ(r: Rng): number {
  const u = r();
  if (u < 0.25) return r.int32();
  if (u < 0.4) return (r() < 0.5 ? Q_MAX - Math.floor(r() * 65536 * 4) : Q_MIN + Math.floor(r() * 65536 * 4)) | 0;
  if (u < 0.6) return Math.floor((r() - 0.5) * 16 * 65536) | 0;
  if (u < 0.95) {
    const v = Math.floor(r() * POW2[Math.floor(r() * 32)]);
    return (r() < 0.5 ? -v : v) | 0;
  }
  const e = [0, 1, -1, 65536, -65536, Q_MAX, Q_MIN, Q_MIN + 1, 32768, -32768];
  return e[Math.floor(r() * e.length)];
}

/** Vector style per case: mixed, all huge (saturation, split paths), small, or cancelling pairs. */
function fill(r: Rng, a: Int32Array, style: number): void {
  for (let i = 0; i < a.length; i++) {
    if (style === 0) a[i] = randQ(r);
    else if (style === 1) a[i] = (r() < 0.5 ? Q_MAX - Math.floor(r() * 1000000) : Q_MIN + Math.floor(r() * 1000000)) | 0;
    else if (style === 2) a[i] = Math.floor((r() - 0.5) * 4 * 65536) | 0;
    else a[i] = i % 2 === 1 ? -a[i - 1] | 0 : r.int32(); // for b: makes huge products cancel
  }
}

function randN(r: Rng): number {
  const u = r();
  if (u < 0.25) return 1;
  if (u < 0.6) return 2 + Math.floor(r() * 15);
  if (u < 0.9) return 17 + Math.floor(r() * 48);
  return 65 + Math.floor(r() * 236); // up to 300
}

function randVec(r: Rng, n: number, off: number, style: number): Int32Array {
  const a = new Int32Array(off + n + Math.floor(r() * 3));
  fill(r, a, 0); // junk around the range
  const v = new Int32Array(n);
  fill(r, v, style);
  a.set(v, off);
  return a;
}

function randOff(r: Rng): number {
  return r() < 0.3 ? 0 : 1 + Math.floor(r() * 5);
}

function pickStyle(r: Rng): number {
  return Math.floor(r() * 4);
}

let cases = 0;

function eq(got: number, want: bigint | number, what: string): void {
  if (got !== Number(want)) assert.fail(what + ': got ' + got + ', exact ' + want);
}
function eqArr(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) assert.fail(what + ' [' + i + ']: got ' + got[i] + ', exact ' + want[i]);
  assert.equal(got.length, want.length);
}

// ---- tests ------------------------------------------------------------------------

describe('kernels: TypeScript reference vs exact BigInt definitions', function () {
  this.timeout(30000);

  it('dot', function () {
    const r = seedrandom('dot');
    for (let t = 0; t < 3000; t++) {
      const n = randN(r);
      const ao = randOff(r);
      const bo = randOff(r);
      const style = pickStyle(r);
      const a = randVec(r, n, ao, style === 3 ? 0 : style);
      const b = randVec(r, n, bo, style);
      if (style === 3) for (let i = 1; i < n; i += 2) a[ao + i] = a[ao + i - 1]; // a·b pairs cancel exactly
      eq(kernelsTS.dot(a, ao, b, bo, n), dotRef(a, ao, 1, b, bo, 1, n), 'dot n=' + n);
      cases++;
    }
    const z = new Int32Array(4);
    assert.equal(kernelsTS.dot(z, 0, z, 0, 0), 0);
  });

  it('dot: exact cancellation of huge products, and saturation', function () {
    const n = 301;
    const a = new Int32Array(n);
    const b = new Int32Array(n);
    for (let i = 0; i < 300; i++) {
      a[i] = i % 2 ? Q_MIN : Q_MAX;
      b[i] = i % 2 ? Q_MAX - 7 : Q_MAX;
    }
    a[300] = 3;
    b[300] = 5;
    eq(kernelsTS.dot(a, 0, b, 0, n), dotRef(a, 0, 1, b, 0, 1, n), 'cancelling');
    a.fill(Q_MIN);
    b.fill(Q_MIN);
    assert.equal(kernelsTS.dot(a, 0, b, 0, n), Q_MAX);
    b.fill(Q_MAX);
    assert.equal(kernelsTS.dot(a, 0, b, 0, n), Q_MIN);
    cases += 3;
  });

  it('matvec (double saturation with bias) and matTvec', function () {
    const r = seedrandom('matvec');
    for (let t = 0; t < 1500; t++) {
      const rows = 1 + Math.floor(r() * 6);
      const cols = r() < 0.8 ? 1 + Math.floor(r() * 24) : 25 + Math.floor(r() * 200);
      const style = Math.floor(r() * 3);
      const w = new Int32Array(rows * cols);
      fill(r, w, style);
      const xo = randOff(r);
      const x = randVec(r, cols, xo, style);
      const bias = r() < 0.3 ? null : randVec(r, rows, 0, Math.floor(r() * 3));
      const out = new Int32Array(rows + 2).fill(12345);
      kernelsTS.matvec(w, x, xo, bias, out, rows, cols);
      for (let i = 0; i < rows; i++) {
        const d = dotRef(w, i * cols, 1, x, xo, 1, cols);
        eq(out[i], satB(d + B(bias === null ? 0 : bias[i])), 'matvec row ' + i);
      }
      assert.equal(out[rows], 12345, 'matvec writes only rows outputs');
      const d = randVec(r, rows, 0, style);
      const outT = new Int32Array(cols + 1).fill(777);
      kernelsTS.matTvec(w, d, outT, rows, cols);
      for (let c = 0; c < cols; c++) eq(outT[c], dotRef(w, c, cols, d, 0, 1, rows), 'matTvec col ' + c);
      assert.equal(outT[cols], 777);
      cases += 2;
    }
    // the dot saturates before the bias is added
    const w = new Int32Array([Q_MAX, Q_MAX]);
    const x = new Int32Array([Q_MAX, Q_MAX]);
    const out = new Int32Array(1);
    kernelsTS.matvec(w, x, 0, new Int32Array([Q_MIN]), out, 1, 2);
    assert.equal(out[0], -1); // sat(Q_MAX + Q_MIN), not sat(huge + Q_MIN) = Q_MAX
  });

  it('axpy and scale', function () {
    const r = seedrandom('axpy');
    for (let t = 0; t < 2500; t++) {
      const n = randN(r);
      const yo = randOff(r);
      const xo = randOff(r);
      const style = Math.floor(r() * 3);
      const y = randVec(r, n, yo, Math.floor(r() * 3));
      const x = randVec(r, n, xo, style);
      const alpha = randQ(r);
      const want = Int32Array.from(y);
      for (let i = 0; i < n; i++) want[yo + i] = Number(satB(B(y[yo + i]) + rnd(B(alpha) * B(x[xo + i]), 16)));
      kernelsTS.axpy(y, yo, x, xo, n, alpha);
      eqArr(y, want, 'axpy n=' + n + ' alpha=' + alpha);
      const want2 = Int32Array.from(y);
      const beta = randQ(r);
      for (let i = 0; i < n; i++) want2[yo + i] = Number(satB(rnd(B(beta) * B(y[yo + i]), 16)));
      kernelsTS.scale(y, yo, n, beta);
      eqArr(y, want2, 'scale n=' + n + ' alpha=' + beta);
      cases += 2;
    }
    // the product is not saturated before the addition
    const y = new Int32Array([Q_MIN]);
    kernelsTS.axpy(y, 0, new Int32Array([Q_MAX]), 0, 1, 131072); // + 2·Q_MAX
    assert.equal(y[0], Q_MAX - 1); // −2^31 + 2^32 − 2; a saturated product would give −1
  });

  it('step: mantissa and shift of lr·g', function () {
    const r = seedrandom('step');
    const out = new Int32Array(2);
    const check = function (lr: number, g: number) {
      step(lr, g, out);
      const want = stepRef(lr, g);
      if (out[0] !== want[0] || out[1] !== want[1]) assert.fail('step(' + lr + ', ' + g + ') = ' + out[0] + ', ' + out[1] + ', exact ' + want);
      cases++;
    };
    for (let t = 0; t < 3000; t++) check(randQ(r), randQ(r));
    // zero, tiny, the 15-bit rounding carry and the saturation band
    const edges: [number, number][] = [
      [1, 1], [0, 5], [-1, 1], [65536, 65536], [Q_MAX, Q_MAX], [Q_MIN, Q_MIN], [Q_MIN, Q_MAX], [1 << 16, 1 << 31 | 0],
      [2147483647, 65536], [2147483647, -65536], [65535, 2147483647], [-65535, 2147483647], [2147450880, 65536], [-2147450880, 65536],
      [2147450881, 65536], [2147483647, 65535], [10610063, 13264529], [-10610063, 13264529], [1 << 15, 1 << 16], [1 << 16, 1 << 15],
      [32767, 1], [65535, 1], [32767, 2], [65535, 65535], [2047, 32767], [1 << 23, 1 << 23], [(1 << 23) + 1, 1 << 23],
    ];
    for (let i = 0; i < edges.length; i++) check(edges[i][0], edges[i][1]);
    step(1, 1, out); // the smallest step, 2^-32: exact at s = 30
    assert.deepEqual([out[0], out[1]], [16384, 30]);
    step(655, 32768, out); // lr 0.01, g 0.5: η = 655·2^-17 = 20960·2^-22
    assert.deepEqual([out[0], out[1]], [20960, 6]);
    step(Q_MAX, Q_MAX, out); // far beyond: saturates
    assert.deepEqual([out[0], out[1]], [32767, -15]);
  });

  it('axpyWide (incl. x aliasing w) and gerWide', function () {
    const r = seedrandom('axpyWide');
    const sb = new Int32Array(2);
    for (let t = 0; t < 3000; t++) {
      const n = randN(r);
      const wo = randOff(r);
      const xo = randOff(r);
      const w = randVec(r, n, wo, Math.floor(r() * 3));
      const f = new Uint16Array(w.length);
      for (let i = 0; i < f.length; i++) f[i] = Math.floor(r() * 65536);
      const alias = r() < 0.15;
      const x = alias ? w : randVec(r, n, xo, Math.floor(r() * 3));
      const xoff = alias ? wo : xo;
      let a: number;
      let s: number;
      if (r() < 0.5) {
        step(randQ(r), randQ(r), sb);
        a = sb[0];
        s = sb[1];
      } else {
        a = Math.floor(r() * 65535) - 32767;
        s = Math.floor(r() * 46) - 15;
      }
      const w2 = Int32Array.from(w);
      const f2 = Uint16Array.from(f);
      const x2 = alias ? w2 : x;
      axpyWideRef(w2, f2, wo, x2, xoff, n, a, s);
      kernelsTS.axpyWide(w, f, wo, x, xoff, n, a, s);
      eqArr(w, w2, 'axpyWide w, a=' + a + ' s=' + s + (alias ? ' aliased' : ''));
      eqArr(f, f2, 'axpyWide f, a=' + a + ' s=' + s);
      cases++;
    }
    for (let t = 0; t < 800; t++) {
      const rows = 1 + Math.floor(r() * 5);
      const cols = 1 + Math.floor(r() * 40);
      const w = new Int32Array(rows * cols);
      fill(r, w, Math.floor(r() * 3));
      const f = new Uint16Array(rows * cols);
      for (let i = 0; i < f.length; i++) f[i] = Math.floor(r() * 65536);
      const xo = randOff(r);
      const x = randVec(r, cols, xo, Math.floor(r() * 3));
      const d = randVec(r, rows, 0, Math.floor(r() * 3));
      const lr = r() < 0.5 ? Math.floor(r() * 6554) : randQ(r);
      const w2 = Int32Array.from(w);
      const f2 = Uint16Array.from(f);
      for (let i = 0; i < rows; i++) {
        const st = stepRef(lr, d[i]);
        axpyWideRef(w2, f2, i * cols, x, xo, cols, st[0], st[1]);
      }
      kernelsTS.gerWide(w, f, rows, cols, d, x, xo, lr);
      eqArr(w, w2, 'gerWide w');
      eqArr(f, f2, 'gerWide f');
      cases++;
    }
  });

  it('axpyWide saturation sets the fraction to 65535 at the top and 0 at the bottom', function () {
    const w = new Int32Array([Q_MAX - 1, Q_MIN + 1]);
    const f = new Uint16Array([100, 100]);
    kernelsTS.axpyWide(w, f, 0, new Int32Array([Q_MAX, Q_MIN]), 0, 2, 32767, 0);
    assert.deepEqual([w[0], f[0], w[1], f[1]], [Q_MAX, 65535, Q_MIN, 0]);
  });

  it('sqdist (difference saturation, shift 0..16) and sqdistMany', function () {
    const r = seedrandom('sqdist');
    for (let t = 0; t < 3000; t++) {
      const n = randN(r);
      const ao = randOff(r);
      const bo = randOff(r);
      const style = Math.floor(r() * 3);
      const a = randVec(r, n, ao, style);
      const b = randVec(r, n, bo, r() < 0.5 ? style : Math.floor(r() * 3));
      const shift = Math.floor(r() * 17);
      eq(kernelsTS.sqdist(a, ao, b, bo, n, shift), sqdistRef(a, ao, b, bo, n, shift), 'sqdist n=' + n + ' shift=' + shift);
      cases++;
    }
    for (let t = 0; t < 500; t++) {
      const rows = 1 + Math.floor(r() * 6);
      const cols = 1 + Math.floor(r() * 30);
      const data = new Int32Array(rows * cols);
      fill(r, data, Math.floor(r() * 3));
      const xo = randOff(r);
      const x = randVec(r, cols, xo, Math.floor(r() * 3));
      const shift = Math.floor(r() * 17);
      const out = new Int32Array(rows);
      kernelsTS.sqdistMany(data, rows, cols, x, xo, shift, out);
      for (let i = 0; i < rows; i++) eq(out[i], sqdistRef(data, i * cols, x, xo, cols, shift), 'sqdistMany row ' + i);
      cases++;
    }
    const a = new Int32Array([Q_MAX]);
    const b = new Int32Array([Q_MIN]);
    // Q_MAX − Q_MIN saturates to Q_MAX first: Q_MAX² / 2^32 = 2^30 − 1 + 2^-32 → 2^30 − 1
    assert.equal(kernelsTS.sqdist(a, 0, b, 0, 1, 16), 1073741823);
  });

  it('sqdist: long vectors of large negative differences stay exact (regressions)', function () {
    // Many t = −(2^26 + 1) terms push the low accumulator below −2^53 unless it
    // is folded on both signs; and with shift 16 a sum just below 2^63 must not
    // be taken for an overflow.
    const t = -(67108864 + 1);
    // (1) S ≡ 2^31 (mod 2^32): a rounding tie decided by the low bits
    const n1 = 1100;
    const tail = tieTail(n1, t);
    const a1 = new Int32Array(n1 + tail.length);
    for (let i = 0; i < n1; i++) a1[i] = t;
    for (let i = 0; i < tail.length; i++) a1[n1 + i] = tail[i];
    const z1 = new Int32Array(a1.length);
    eq(kernelsTS.sqdist(a1, 0, z1, 0, a1.length, 16), sqdistRef(a1, 0, z1, 0, a1.length, 16), 'tie');
    // (2) S = 2^63 − 2^40 roughly: result 2^31 − 256, not Q_MAX
    for (const m of [1024, 1027, 1030]) {
      let S = B0;
      for (let i = 0; i < m; i++) S += B(t) * B(t);
      const rest = pow2(63) - pow2(40) - S;
      const first = Math.floor(Math.sqrt(Number(rest)));
      const a = new Int32Array(m + 1);
      a[0] = first;
      for (let i = 1; i <= m; i++) a[i] = t;
      const z = new Int32Array(m + 1);
      const got = kernelsTS.sqdist(a, 0, z, 0, m + 1, 16);
      eq(got, sqdistRef(a, 0, z, 0, m + 1, 16), 'near 2^63, m=' + m);
      assert.ok(got < Q_MAX - 200);
    }
    cases += 4;
  });

  it('welford (mean Q16.32, variance Q32.32 with the carried remainder, count cap 2^19, clamps)', function () {
    const r = seedrandom('welford');
    for (let t = 0; t < 250; t++) {
      const n = randN(r);
      const o = randOff(r);
      const len = o + n + 2;
      const mean = new Int32Array(len);
      const meanF = new Uint16Array(len);
      const varI = new Int32Array(len);
      const varF = new Uint32Array(len);
      const varR = new Int32Array(len);
      const kind = Math.floor(r() * 4);
      if (kind === 3) {
        // arbitrary stored state: the definition covers it (clamps, remainders beyond the count)
        fill(r, mean, 0);
        for (let i = 0; i < len; i++) {
          meanF[i] = Math.floor(r() * 65536);
          varI[i] = randQ(r);
          varF[i] = Math.floor(r() * 4294967296);
          varR[i] = randQ(r);
        }
      }
      const m2 = Int32Array.from(mean);
      const mf2 = Uint16Array.from(meanF);
      const v2 = Int32Array.from(varI);
      const vf2 = Uint32Array.from(varF);
      const vr2 = Int32Array.from(varR);
      const steps = 1 + Math.floor(r() * 12);
      let count = r() < 0.2 ? 524280 + Math.floor(r() * 20) : r() < 0.1 ? 4294967295 - 20 : 0;
      const center = kind === 2 ? 0 : randQ(r) >> 1;
      for (let s = 0; s < steps; s++) {
        count++;
        const xo = randOff(r);
        const x = new Int32Array(xo + n);
        for (let i = 0; i < n; i++) {
          if (kind === 0) x[xo + i] = randQ(r); // anything, incl. ±32768 swings
          else if (kind === 1) x[xo + i] = (center + Math.floor((r() - 0.5) * 64)) | 0; // variance ≪ 1 LSB²
          else x[xo + i] = Math.floor((r() - 0.5) * 2 * 65536 * 100) | 0;
        }
        welfordRef(m2, mf2, v2, vf2, vr2, o, x, xo, n, count);
        kernelsTS.welford(mean, meanF, varI, varF, varR, o, x, xo, n, count);
        eqArr(mean, m2, 'welford mean, kind ' + kind + ' count ' + count);
        eqArr(meanF, mf2, 'welford meanF');
        eqArr(varI, v2, 'welford varI');
        eqArr(varF, vf2, 'welford varF');
        eqArr(varR, vr2, 'welford varR');
        const cap = Math.min(count, 524288);
        for (let i = 0; i < n; i++) assert.ok(varR[o + i] >= -Math.floor(cap / 2) && varR[o + i] < cap - Math.floor(cap / 2), 'remainder within the count');
        cases++;
      }
    }
    // a constant stream has variance exactly 0; two points ±1 have variance 1
    const mean = new Int32Array(1);
    const mf = new Uint16Array(1);
    const vi = new Int32Array(1);
    const vf = new Uint32Array(1);
    const vr = new Int32Array(1);
    kernelsTS.welford(mean, mf, vi, vf, vr, 0, new Int32Array([65536]), 0, 1, 1);
    kernelsTS.welford(mean, mf, vi, vf, vr, 0, new Int32Array([-65536]), 0, 1, 2);
    assert.deepEqual([mean[0], mf[0], vi[0], vf[0], vr[0]], [0, 0, 1, 0, 0]);
  });

  it('welford keeps the exact population variance of a long stream of tiny deviations (remainder carry)', function () {
    // x cycling through a, a + 30 LSB, a + 60 LSB has a population variance of
    // 600 LSB² (units of 2^-32); without the carried remainder each step's
    // (P − V)/count rounds to 0 once count > 2·|P − V| and the variance freezes.
    const mean = new Int32Array(1);
    const mf = new Uint16Array(1);
    const vi = new Int32Array(1);
    const vf = new Uint32Array(1);
    const vr = new Int32Array(1);
    const x = new Int32Array(1);
    const N = 30000;
    for (let c = 1; c <= N; c++) {
      x[0] = 1000000 + 30 * ((c - 1) % 3);
      kernelsTS.welford(mean, mf, vi, vf, vr, 0, x, 0, 1, c);
    }
    const v = vi[0] * 4294967296 + vf[0] + vr[0] / N; // LSB²
    assert.ok(Math.abs(v - 600) < 0.5, 'variance ' + v + ' LSB², exact 600');
  });

  it('argmin and argmax (first index on ties)', function () {
    const r = seedrandom('argminmax');
    for (let t = 0; t < 2000; t++) {
      const n = randN(r);
      const ao = randOff(r);
      const a = randVec(r, n, ao, 0);
      if (r() < 0.5) for (let i = 0; i < n; i++) a[ao + i] = Math.floor(r() * 4) - 2; // many ties
      let mi = 0;
      let ma = 0;
      for (let i = 1; i < n; i++) {
        if (a[ao + i] < a[ao + mi]) mi = i;
        if (a[ao + i] > a[ao + ma]) ma = i;
      }
      assert.equal(kernelsTS.argmin(a, ao, n), mi);
      assert.equal(kernelsTS.argmax(a, ao, n), ma);
      cases += 2;
    }
    const e = new Int32Array([5, 1, 9, 1, 9]);
    assert.equal(kernelsTS.argmin(e, 0, 5), 1);
    assert.equal(kernelsTS.argmax(e, 0, 5), 2);
    assert.equal(kernelsTS.argmin(e, 3, 1), 0);
  });

  it('gerAdam: Adam / RMSprop moments and step on wide weights', function () {
    const r = seedrandom('gerAdam');
    const isqrtB = (n: bigint): bigint => {
      if (n <= B0) return B0;
      let x = B(Math.floor(Math.sqrt(Number(n))));
      while (x * x > n) x -= B1;
      while ((x + B1) * (x + B1) <= n) x += B1;
      return n - x * x > x ? x + B1 : x; // round to nearest
    };
    const pick = (vals: number[]) => vals[Math.floor(r() * vals.length)];
    for (let t = 0; t < 3000; t++) {
      const rows = 1 + Math.floor(r() * 3);
      const cols = 1 + Math.floor(r() * 6);
      const xo = randOff(r);
      const len = rows * cols;
      const style = pickStyle(r);
      const first = r() < 0.75;
      const w = randVec(r, len, 0, style);
      const f = new Uint16Array(len).map(() => Math.floor(r() * 65536));
      const m = first ? randVec(r, len, 0, pickStyle(r)) : null;
      const mf = first ? new Uint16Array(len).map(() => Math.floor(r() * 65536)) : null;
      const vI = new Int32Array(len).map(() => (r() < 0.5 ? Math.floor(r() * 1024) : r() < 0.8 ? Math.floor(r() * 1073741825) : Math.floor(r() * 4294967296) - 2147483648));
      const vF = new Uint32Array(len).map(() => Math.floor(r() * 4294967296));
      const d = randVec(r, rows, 0, pickStyle(r));
      const x = randVec(r, cols, xo, style);
      const a = r() < 0.7 ? 1048576 + Math.floor(r() * 1048576) : Math.floor(r() * 2097152);
      const k = r() < 0.8 ? Math.floor(r() * 53) : Math.floor(r() * 63);
      const e = r() < 0.7 ? Math.floor(r() * 1025) : Math.floor(r() * 2147483648);
      const b1 = r() < 0.8 ? pick([58982, 62259, 65535, 0]) : Math.floor(r() * 65536);
      const b2 = r() < 0.8 ? pick([65470, 58982, 65535, 0]) : Math.floor(r() * 65536);
      // the definition (docs/fixed-point.md, gerAdam), element by element
      const W = Array.from(w), F = Array.from(f), Mi = m ? Array.from(m) : [], Mf = mf ? Array.from(mf) : [], VI = Array.from(vI), VF = Array.from(vF);
      for (let rr = 0; rr < rows; rr++) {
        for (let c = 0; c < cols; c++) {
          const j = rr * cols + c;
          const G = satB(rnd(B(d[rr]) * B(x[xo + c]), 16));
          let M: bigint;
          if (m) {
            M = fdiv(B(b1) * (B(Mi[j]) * TWO16 + B(Mf[j])) + B(65536 - b1) * G * TWO16 + pow2(15), TWO16);
            Mi[j] = Number(fdiv(M, TWO16));
            Mf[j] = Number(M - fdiv(M, TWO16) * TWO16);
          } else M = G * TWO16;
          const V = B(VI[j]) * TWO32 + B(VF[j]);
          const V2 = fdiv(B(b2) * V + B(65536 - b2) * G * G + pow2(15), TWO16);
          VI[j] = Number(fdiv(V2, TWO32));
          VF[j] = Number(V2 - fdiv(V2, TWO32) * TWO32);
          let S = B0;
          if (V2 > B0) {
            let jj = 0;
            while (fdiv(V2 * TWO16, pow2(2 * jj)) >= pow2(52)) jj++;
            S = isqrtB(fdiv(V2 * TWO16, pow2(2 * jj))) * pow2(jj);
          }
          let D = S + B(e);
          if (D < B1) D = B1;
          const U = satB(fdiv(B2 * M * TWO16 + D, B2 * D)); // round half up
          const delta = k === 0 ? B(a) * U : rnd(B(a) * U, k);
          let Wn = B(W[j]) * TWO16 + B(F[j]) + delta;
          let wh = fdiv(Wn, TWO16);
          if (wh > BQMAX) {
            W[j] = Q_MAX;
            F[j] = 65535;
          } else if (wh < BQMIN) {
            W[j] = Q_MIN;
            F[j] = 0;
          } else {
            W[j] = Number(wh);
            F[j] = Number(Wn - wh * TWO16);
          }
        }
      }
      kernelsTS.gerAdam(w, f, m, mf, vI, vF, rows, cols, d, x, xo, a, k, e, b1, b2);
      const what = 'gerAdam case ' + t;
      eqArr(w, W, what + ' w');
      eqArr(f, F, what + ' f');
      if (m && mf) {
        eqArr(m, Mi, what + ' m');
        eqArr(mf, Mf, what + ' mf');
      }
      eqArr(vI, VI, what + ' vI');
      eqArr(vF, VF, what + ' vF');
      cases++;
    }
  });

  it('toRaw: x·2^(s−e) rounded half up, exactly, with its rejects (reals and Q16.16, shared and per-feature exponents)', function () {
    const r = seedrandom('toRaw');
    const f64 = new Float64Array(1);
    const bits = new Uint32Array(f64.buffer);
    /** The double v as M·2^E exactly (M an integer). */
    function split(v: number): [bigint, number] {
      f64[0] = v;
      const hi = bits[1];
      const ex = (hi >>> 20) & 2047;
      let m = (B(hi & 0xfffff) << B(32)) + B(bits[0]);
      if (ex !== 0) m += pow2(52);
      return [hi >>> 31 ? -m : m, (ex === 0 ? 1 : ex) - 1075];
    }
    /** round_half_up(v·2^k) exactly. */
    function exact(v: number, k: number): bigint {
      const [m, e] = split(v);
      const sh = e + k;
      return sh >= 0 ? m << B(sh) : fdiv(m + pow2(-sh - 1), pow2(-sh));
    }
    const specials = [0, -0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 2147483647.5, -2147483647.5, 2147483648, -2147483648, 2147483647, -2147483647,
      1e-300, -1e-300, 5e-324, -5e-324, NaN, Infinity, -Infinity, 1073741823.75, 65535.99999, 0.49999999999999994, -0.49999999999999994];
    function value(): unknown {
      const k = Math.floor(r() * 8);
      if (k === 0) return specials[Math.floor(r() * specials.length)];
      if (k === 1) return Math.floor((r() - 0.5) * 2 ** 32) + (Math.floor(r() * 3) - 1) * 0.5; // integers and ties
      if (k === 2) return (r() - 0.5) * 2 ** Math.floor(r() * 33);
      if (k === 3) return (Math.floor(r() * 2 ** 30) - 2 ** 29) / 2 ** Math.floor(r() * 60);
      if (k === 4 && r() < 0.1) return r() < 0.5 ? 'x' : undefined;
      return (r() - 0.5) * 2000;
    }
    const lims = [2147483648, 1073741824, 134217728, 65536, 1];
    for (let t = 0; t < 4000; t++) {
      const n = Math.floor(r() * 12);
      const s = r() < 0.5 ? 16 : 0;
      const shared = r() < 0.5;
      const exps = new Uint8Array(shared ? 1 : n);
      for (let i = 0; i < exps.length; i++) exps[i] = r() < 0.05 ? 64 + Math.floor(r() * 192) : r() < 0.5 ? Math.floor(r() * 4) : Math.floor(r() * 64);
      const lim = r() < 0.2 ? 1 + Math.floor(r() * 2147483648) : lims[Math.floor(r() * lims.length)];
      const x: unknown[] = [];
      for (let i = 0; i < n; i++) x.push(s === 0 && r() < 0.7 ? Math.floor((r() - 0.5) * 2 ** 32) : value());
      const xs = r() < 0.3 && x.every((v) => typeof v === 'number') ? new Float64Array(x as number[]) : (x as number[]);
      const out = new Int32Array(n + 2).fill(12345);
      const want = out.slice();
      let wantRet = -1;
      for (let i = 0; i < n; i++) {
        const v = xs[i];
        const e = exps[shared ? 0 : i];
        if (typeof v !== 'number' || !(v < 2147483648 && v > -2147483648) || e > 63) {
          wantRet = i;
          break;
        }
        const q = exact(v, s - e);
        if (q >= B(lim) || q <= -B(lim)) {
          wantRet = i;
          break;
        }
        want[i] = Number(q);
      }
      const what = 'toRaw ' + JSON.stringify({ x: Array.from(xs as ArrayLike<unknown>, String), s, exps: Array.from(exps), lim });
      assert.equal(kernelsTS.toRaw(xs, n, s, exps, lim, out), wantRet, what);
      eqArr(out, want, what);
      cases++;
    }
  });

  it('ran at least 20,000 random cases', function () {
    assert.ok(cases >= 20000, 'cases: ' + cases);
  });
});

/** Four squares (of values below 2^26, so on the fast path) that bring n·t² to ≡ 2^31 (mod 2^32). */
function tieTail(n: number, t: number): number[] {
  const S = B(n) * B(t) * B(t);
  const R = (((pow2(31) - S) % TWO32) + TWO32) % TWO32;
  const isq = (v: bigint) => {
    let x = B(Math.floor(Math.sqrt(Number(v))));
    while (x * x > v) x -= B1;
    while ((x + B1) * (x + B1) <= v) x += B1;
    return x;
  };
  for (let t1 = isq(R); t1 >= B0; t1--) {
    const r1 = R - t1 * t1;
    for (let t2 = isq(r1), k = 0; t2 >= B0 && k < 64; t2--, k++) {
      const r2 = r1 - t2 * t2;
      for (let t3 = isq(r2), k3 = 0; t3 >= B0 && k3 < 64; t3--, k3++) {
        const r3 = r2 - t3 * t3;
        const t4 = isq(r3);
        if (t4 * t4 === r3) return [-Number(t1), -Number(t2), -Number(t3), -Number(t4)];
      }
    }
  }
  throw new Error('no four-square tail');
}

describe('kernels: backend switch', function () {
  let saved: { [k: string]: unknown };
  let savedBackend: string;

  before(function () {
    saved = {};
    for (const name of KERNEL_NAMES) saved[name] = (activeKernels() as unknown as { [k: string]: unknown })[name];
    savedBackend = backend();
  });

  after(function () {
    if (savedBackend === 'ts') useKernels(null);
    else useKernels(saved);
  });

  // the exports call through holders; activeKernels() gives the functions installed
  const table = () => activeKernels() as unknown as { [k: string]: unknown };
  const ts = kernelsTS as unknown as { [k: string]: unknown };

  it('a partial object replaces only those kernels; backend() reports partial', function () {
    useKernels(null);
    assert.equal(backend(), 'ts');
    let calls = 0;
    const myDot: Kernels['dot'] = function (a, ao, b, bo, n) {
      calls++;
      return kernelsTS.dot(a, ao, b, bo, n);
    };
    const myArgmax: Kernels['argmax'] = function (a, ao, n) {
      calls++;
      return kernelsTS.argmax(a, ao, n);
    };
    useKernels({ dot: myDot, argmax: myArgmax, notAKernel: function () {}, sqdist: 42 }, 'fake');
    assert.equal(backend(), 'partial');
    const detail = backendDetail();
    for (const name of KERNEL_NAMES) {
      const replaced = name === 'dot' || name === 'argmax';
      assert.equal(table()[name], replaced ? (name === 'dot' ? myDot : myArgmax) : ts[name], name);
      assert.equal(detail[name], replaced ? 'fake' : 'ts', name);
    }
    const v = new Int32Array([65536, 2 * 65536]);
    assert.equal(K.dot.f(v, 0, v, 0, 2), 5 * 65536);
    assert.equal(K.argmax.f(v, 0, 2), 1);
    assert.equal(calls, 2);
    assert.equal(K.argmin.f(v, 0, 2), 0); // TypeScript version, not counted
    assert.equal(calls, 2);
  });

  it('a complete object gives native; useKernels(null) restores ts; kernelsTS is never modified', function () {
    const all: { [k: string]: unknown } = {};
    for (const name of KERNEL_NAMES) all[name] = function () {
      return (ts[name] as (...args: unknown[]) => unknown).apply(null, Array.prototype.slice.call(arguments));
    };
    useKernels(all);
    assert.equal(backend(), 'native');
    for (const name of KERNEL_NAMES) {
      assert.equal(table()[name], all[name]);
      assert.equal(backendDetail()[name], 'native');
    }
    assert.equal(K.sqdist.f(new Int32Array([3 * 65536]), 0, new Int32Array([65536]), 0, 1, 0), 4 * 65536);
    useKernels(null);
    assert.equal(backend(), 'ts');
    for (const name of KERNEL_NAMES) {
      assert.equal(table()[name], ts[name], name);
      assert.equal(backendDetail()[name], 'ts');
    }
    assert.equal(Object.keys(kernelsTS).length, KERNEL_NAMES.length);
  });
});
