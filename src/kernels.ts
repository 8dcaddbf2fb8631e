/**
 * The kernel interface: every loop over a vector or matrix in microlearn goes
 * through one of these functions. `kernelsTS` is the reference (this file);
 * native/ holds C twins that must give the same bits. Algorithms call
 * `K.name(...)`, so swapping implementations needs no change anywhere else.
 *
 * Arrays are Int32Array of Q16.16 values; offsets are passed explicitly so
 * that callers never allocate a subarray in a hot path.
 * The numeric contract of each kernel is in docs/fixed-point.md.
 */
import { POW2, Q_MAX, Q_MIN, floorDiv, isqrtRound, mul } from './fixed.js';

export interface Kernels {
  /** Σ a[ao+i]·b[bo+i] for i < n: exact sum, rounded half up to Q16.16, saturated. */
  dot(a: Int32Array, ao: number, b: Int32Array, bo: number, n: number): number;
  /** out[r] = sat(dot(w[r·cols ..], x[xo ..], cols) + bias[r]) for r < rows; bias may be null (0). */
  matvec(w: Int32Array, x: Int32Array, xo: number, bias: Int32Array | null, out: Int32Array, rows: number, cols: number): void;
  /** out[c] = Σ_r w[r·cols + c]·d[r] (exact, rounded, saturated) for c < cols: the transposed product, for back-propagation. */
  matTvec(w: Int32Array, d: Int32Array, out: Int32Array, rows: number, cols: number): void;
  /** y[yo+i] = sat(y[yo+i] + round(alpha·x[xo+i])) for i < n. */
  axpy(y: Int32Array, yo: number, x: Int32Array, xo: number, n: number, alpha: number): void;
  /**
   * Wide-weight update: (w[wo+i], f[wo+i]) += a·2^-(16+s) · x[xo+i], where a
   * weight is w + f/65536 (Q16.32 split as int32 + uint16), the product is
   * rounded half up to 2^-32 and the weight saturates. 0 ≤ s ≤ 16.
   * This is what keeps SGD steps below one Q16.16 LSB from vanishing.
   */
  axpyWide(w: Int32Array, f: Uint16Array, wo: number, x: Int32Array, xo: number, n: number, a: number, s: number): void;
  /**
   * Rank-1 wide update of a rows×cols matrix: for every row r,
   * axpyWide(w, f, r·cols, x, xo, cols, step(lr, d[r])), step as in {@link step}.
   */
  gerWide(w: Int32Array, f: Uint16Array, rows: number, cols: number, d: Int32Array, x: Int32Array, xo: number, lr: number): void;
  /** y[yo+i] = round(alpha·y[yo+i]) for i < n (saturating). */
  scale(y: Int32Array, yo: number, n: number, alpha: number): void;
  /** Σ (sat(a[ao+i] − b[bo+i]))² / 2^shift: exact sum, rounded half up to Q16.16, saturated. */
  sqdist(a: Int32Array, ao: number, b: Int32Array, bo: number, n: number, shift: number): number;
  /** out[r] = sqdist(data, r·cols, x, xo, cols, shift) for r < rows. */
  sqdistMany(data: Int32Array, rows: number, cols: number, x: Int32Array, xo: number, shift: number, out: Int32Array): void;
  /**
   * One Welford step for n features at offset o: running mean (Q16.32 as
   * mean + meanF/2^16, in Q16.16 units) and population variance (Q32.32 as
   * varI + varF/2^32: integer part and 32-bit fraction, so both a variance of
   * 1e-6 and one of 1e9 keep full precision) updated with x[xo ..], where
   * `count` is the number of samples including this one; counts above 2^19
   * act as 2^19 (the statistics then become an exponential moving average).
   * Exact definition in docs/fixed-point.md ("welford").
   * NOTE for helpers working in parallel (lead, 04:30): this replaced the
   * earlier Q32.16 variance with a Uint16Array fraction, which lost variances
   * below 1.5e-5 (breast-cancer features). Adapt to it; do not revert.
   */
  welford(mean: Int32Array, meanF: Uint16Array, varI: Int32Array, varF: Uint32Array, o: number, x: Int32Array, xo: number, n: number, count: number): void;
  /** Index (0..n-1) of the first smallest a[ao+i]. n ≥ 1. */
  argmin(a: Int32Array, ao: number, n: number): number;
  /** Index (0..n-1) of the first largest a[ao+i]. n ≥ 1. */
  argmax(a: Int32Array, ao: number, n: number): number;
  /**
   * Adam (or, with m = mf = null, RMSprop) step on a rows×cols matrix of wide
   * weights for the rank-1 negative gradient d·xᵀ: per element, in row-major
   * order, G = mul(d[r], x[xo+c]); the first moment m + mf/2^16 (Q16.32)
   * becomes β1·m + (1 − β1)·G, the second moment vI + vF/2^32 (Q32.32)
   * becomes β2·v + (1 − β2)·G², and the weight gains
   * (a·2^-(k+8)) · m / (√v + e·2^-24). β1, β2 are Q16.16 (0..65535),
   * 0 ≤ a < 2^21, 0 ≤ k ≤ 62, e ≥ 0. The optimizer computes a, k and e once
   * per step (learning rate, bias correction, ε: algorithms/optim.ts).
   * Exact definition in docs/fixed-point.md ("gerAdam").
   */
  gerAdam(
    w: Int32Array, f: Uint16Array, m: Int32Array | null, mf: Uint16Array | null, vI: Int32Array, vF: Uint32Array,
    rows: number, cols: number, d: Int32Array, x: Int32Array, xo: number, a: number, k: number, e: number, b1: number, b2: number,
  ): void;
}

/** Names of all kernels, in a fixed order (used by backend detection and tests). */
export const KERNEL_NAMES = ['dot', 'matvec', 'matTvec', 'axpy', 'axpyWide', 'gerWide', 'scale', 'sqdist', 'sqdistMany', 'welford', 'argmin', 'argmax', 'gerAdam'];

const TWO52 = 4503599627370496;
const TWO32 = 4294967296;

/**
 * Exact Σ a[ao+i·as]·b[bo+i·bs]: products below 2^52 are exact doubles and
 * are summed into `lo`, which is folded into `hi` (units of 2^32) before it
 * can lose a bit; larger products are split in 16-bit halves. Returns the
 * sum rounded half up to Q16.16, saturated.
 */
function dotStrided(a: Int32Array, ao: number, as: number, b: Int32Array, bo: number, bs: number, n: number): number {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < n; i++) {
    const u = a[ao + i * as];
    const v = b[bo + i * bs];
    const p = u * v;
    if (p < TWO52 && p > -TWO52) lo += p;
    else {
      const uh = u >> 16;
      const ul = u & 0xffff;
      const vh = v >> 16;
      const vl = v & 0xffff;
      hi += uh * vh;
      lo += (uh * vl + ul * vh) * 65536 + ul * vl;
    }
    if (lo >= TWO52 || lo <= -TWO52) {
      const c = Math.floor(lo / TWO32);
      hi += c;
      lo -= c * TWO32;
    }
  }
  return roundSum(hi, lo, 16);
}

/** sat(round_half_up((hi·2^32 + lo) / 2^k)) for 16 ≤ k ≤ 32, |lo| < 2^52. */
function roundSum(hi: number, lo: number, k: number): number {
  // |hi| > 2^32 means |sum| > 2^64 − 2^52 (|lo| < 2^52): beyond Q16.16 even for k = 32.
  // (A 2^31 threshold is wrong for k = 32: lo may be near −2^52.)
  if (hi > 4294967296 || hi < -4294967296) return hi > 0 ? Q_MAX : Q_MIN;
  const r = hi * POW2[32 - k] + Math.floor((lo + POW2[k - 1]) / POW2[k]);
  return r > Q_MAX ? Q_MAX : r < Q_MIN ? Q_MIN : r;
}

function dot(a: Int32Array, ao: number, b: Int32Array, bo: number, n: number): number {
  return dotStrided(a, ao, 1, b, bo, 1, n);
}

function matvec(w: Int32Array, x: Int32Array, xo: number, bias: Int32Array | null, out: Int32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const v = dotStrided(w, r * cols, 1, x, xo, 1, cols) + (bias === null ? 0 : bias[r]);
    out[r] = v > Q_MAX ? Q_MAX : v < Q_MIN ? Q_MIN : v;
  }
}

function matTvec(w: Int32Array, d: Int32Array, out: Int32Array, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) out[c] = dotStrided(w, c, cols, d, 0, 1, rows);
}

function axpy(y: Int32Array, yo: number, x: Int32Array, xo: number, n: number, alpha: number): void {
  const ah = alpha >> 16;
  const al = alpha & 0xffff;
  for (let i = 0; i < n; i++) {
    const v = x[xo + i];
    const p = alpha * v;
    let m: number;
    if (p < TWO52 && p > -TWO52) m = Math.floor((p + 32768) / 65536);
    else m = ah * (v >> 16) * 65536 + (ah * (v & 0xffff) + al * (v >> 16)) + Math.floor((al * (v & 0xffff) + 32768) / 65536);
    const r = y[yo + i] + m;
    y[yo + i] = r > Q_MAX ? Q_MAX : r < Q_MIN ? Q_MIN : r;
  }
}

function axpyWide(w: Int32Array, f: Uint16Array, wo: number, x: Int32Array, xo: number, n: number, a: number, s: number): void {
  const half = s > 0 ? POW2[s - 1] : 0;
  const d = POW2[s];
  const hs = POW2[16 - s];
  const ah = a >> 16;
  const al = a & 0xffff;
  for (let i = 0; i < n; i++) {
    const v = x[xo + i];
    const p = a * v; // units of 2^-(32+s)
    let big = 0; // the part of the product that is a whole multiple of 2^-16
    let low: number; // f + the rest, in units of 2^-32
    if (p < TWO52 && p > -TWO52) low = f[wo + i] + Math.floor((p + half) / d);
    else {
      // a·v = H·2^32 + T with every piece exact; see docs/fixed-point.md
      const vh = v >> 16;
      const vl = v & 0xffff;
      big = ah * vh * hs;
      low = f[wo + i] + Math.floor(((ah * vl + al * vh) * 65536 + al * vl + half) / d);
    }
    const carry = Math.floor(low / 65536);
    w[wo + i] = clampWide(w[wo + i] + big + carry, f, wo + i, low - carry * 65536);
  }
}

/** Stores the fraction and returns the saturated integer part of a wide weight. */
function clampWide(v: number, f: Uint16Array, i: number, frac: number): number {
  if (v > Q_MAX) {
    f[i] = 65535;
    return Q_MAX;
  }
  if (v < Q_MIN) {
    f[i] = 0;
    return Q_MIN;
  }
  f[i] = frac;
  return v;
}

/**
 * The SGD step lr·g (both Q16.16) as a mantissa and shift for
 * {@link Kernels.axpyWide}: writes a = round(lr·g / 2^(16−s)) into out[0]
 * and s into out[1], with the largest s ≤ 16 for which a fits in int32.
 * |lr·g| ≥ 2^47 saturates to a = ±Q_MAX, s = 0.
 */
export function step(lr: number, g: number, out: Int32Array): void {
  const e = lr * g; // units of 2^-32, exact below 2^53
  if (e >= 140737488355328 || e <= -140737488355328) {
    out[0] = e > 0 ? Q_MAX : Q_MIN;
    out[1] = 0;
    return;
  }
  for (let k = 0; k <= 16; k++) {
    const a = k === 0 ? e : Math.floor(e / POW2[k] + 0.5);
    if (a <= Q_MAX && a >= Q_MIN) {
      out[0] = a;
      out[1] = 16 - k;
      return;
    }
  }
  out[0] = e > 0 ? Q_MAX : Q_MIN;
  out[1] = 0;
}

const stepBuf = new Int32Array(2);

function gerWide(w: Int32Array, f: Uint16Array, rows: number, cols: number, d: Int32Array, x: Int32Array, xo: number, lr: number): void {
  for (let r = 0; r < rows; r++) {
    step(lr, d[r], stepBuf);
    if (stepBuf[0] !== 0) axpyWide(w, f, r * cols, x, xo, cols, stepBuf[0], stepBuf[1]);
  }
}

function scale(y: Int32Array, yo: number, n: number, alpha: number): void {
  const ah = alpha >> 16;
  const al = alpha & 0xffff;
  for (let i = 0; i < n; i++) {
    const v = y[yo + i];
    const p = alpha * v;
    let m: number;
    if (p < TWO52 && p > -TWO52) m = Math.floor((p + 32768) / 65536);
    else m = ah * (v >> 16) * 65536 + (ah * (v & 0xffff) + al * (v >> 16)) + Math.floor((al * (v & 0xffff) + 32768) / 65536);
    y[yo + i] = m > Q_MAX ? Q_MAX : m < Q_MIN ? Q_MIN : m;
  }
}

function sqdist(a: Int32Array, ao: number, b: Int32Array, bo: number, n: number, shift: number): number {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < n; i++) {
    let t = a[ao + i] - b[bo + i];
    if (t > Q_MAX) t = Q_MAX;
    else if (t < Q_MIN) t = Q_MIN;
    const p = t * t;
    if (p < TWO52) lo += p;
    else {
      const th = t >> 16;
      const tl = t & 0xffff;
      hi += th * th;
      lo += 2 * th * tl * 65536 + tl * tl;
    }
    if (lo >= TWO52 || lo <= -TWO52) {
      // the split path can add negative terms (th < 0), so lo can fall too
      const c = Math.floor(lo / TWO32);
      hi += c;
      lo -= c * TWO32;
    }
  }
  return roundSum(hi, lo, 16 + shift);
}

function sqdistMany(data: Int32Array, rows: number, cols: number, x: Int32Array, xo: number, shift: number, out: Int32Array): void {
  for (let r = 0; r < rows; r++) out[r] = sqdist(data, r * cols, x, xo, cols, shift);
}

/** floor((2a + b) / 2b): a / b rounded half up, for integer-valued a, b > 0, |a| < 2^51. */
function roundDiv(a: number, b: number): number {
  return floorDiv(2 * a + b, 2 * b);
}

/** round_half_up(a · b / 2^16) without saturation (|result| < 2^47). */
function mulWide(a: number, b: number): number {
  const p = a * b;
  if (p < TWO52 && p > -TWO52) return Math.floor((p + 32768) / 65536);
  const ah = a >> 16;
  const al = a & 0xffff;
  const bh = b >> 16;
  const bl = b & 0xffff;
  return ah * bh * 65536 + (ah * bl + al * bh) + Math.floor((al * bl + 32768) / 65536);
}

/** Counts above this act as this in welford: keeps every intermediate below 2^53. */
const WELFORD_MAX_COUNT = 524288;

function welford(mean: Int32Array, meanF: Uint16Array, varI: Int32Array, varF: Uint32Array, o: number, x: Int32Array, xo: number, n: number, count: number): void {
  const c = count > WELFORD_MAX_COUNT ? WELFORD_MAX_COUNT : count;
  const c2 = 2 * c;
  for (let i = 0; i < n; i++) {
    const j = o + i;
    const xx = x[xo + i] * 65536; // units of 2^-32
    const m = mean[j] * 65536 + meanF[j];
    const d1 = xx - m;
    let m2 = m + roundDiv(d1, c);
    if (m2 > 140737488355327) m2 = 140737488355327;
    else if (m2 < -140737488355328) m2 = -140737488355328;
    const d2 = xx - m2;
    // P = a·b in units of 2^-32 (a, b: the deviations in Q16.16) = hh·2^32 + t, exactly.
    const a = satInt(Math.floor((d1 + 32768) / 65536));
    const b = satInt(Math.floor((d2 + 32768) / 65536));
    const ah = a >> 16;
    const al = a & 0xffff;
    const bh = b >> 16;
    const bl = b & 0xffff;
    const t = (ah * bl + al * bh) * 65536 + al * bl;
    // V' = V + round((P − V) / c): long division of 2(P − V) + c = hi·2^32 + lo by 2c.
    let hi = 2 * (ah * bh - varI[j]);
    let lo = 2 * (t - varF[j]) + c;
    const k = Math.floor(lo / TWO32);
    hi += k;
    lo -= k * TWO32;
    const qa = floorDiv(hi, c2);
    const qb = floorDiv((hi - qa * c2) * TWO32 + lo, c2);
    let vi = varI[j] + qa;
    let vf = varF[j] + qb;
    const k2 = Math.floor(vf / TWO32);
    vi += k2;
    vf -= k2 * TWO32;
    if (vi < 0) {
      vi = 0;
      vf = 0;
    } else if (vi > Q_MAX) {
      vi = Q_MAX;
      vf = 4294967295;
    }
    const mh = Math.floor(m2 / 65536);
    mean[j] = mh;
    meanF[j] = m2 - mh * 65536;
    varI[j] = vi;
    varF[j] = vf;
  }
}

function satInt(v: number): number {
  return v > Q_MAX ? Q_MAX : v < Q_MIN ? Q_MIN : v;
}

function argmin(a: Int32Array, ao: number, n: number): number {
  let best = 0;
  let v = a[ao];
  for (let i = 1; i < n; i++) {
    if (a[ao + i] < v) {
      v = a[ao + i];
      best = i;
    }
  }
  return best;
}

function argmax(a: Int32Array, ao: number, n: number): number {
  let best = 0;
  let v = a[ao];
  for (let i = 1; i < n; i++) {
    if (a[ao + i] > v) {
      v = a[ao + i];
      best = i;
    }
  }
  return best;
}

/**
 * √(V·2^-32) in units of 2^-24 for V = hi·2^32 + lo (0 ≤ lo < 2^32):
 * isqrtRound(floor(V·2^16 / 4^j))·2^j with the smallest j ≥ 0 that brings
 * the radicand below 2^52 (so at least 26 significant bits, exact rounding
 * when V < 2^36); 0 for V ≤ 0.
 */
function sqrtMoment(hi: number, lo: number): number {
  if (hi < 0 || (hi === 0 && lo === 0)) return 0;
  if (hi < 1048576) {
    const v = hi * TWO32 + lo; // < 2^52, exact
    if (v < 68719476736) return isqrtRound(v * 65536); // V < 2^36: j = 0
    let j = 1;
    while (v >= POW2[36 + 2 * j]) j++;
    return isqrtRound(v * POW2[16 - 2 * j]) * POW2[j];
  }
  // V ≥ 2^52: the radicand is floor(V / 2^e) with e = 2j − 16 ≥ 2
  let e = 2;
  while (hi >= POW2[20 + e]) e += 2;
  return isqrtRound(hi * POW2[32 - e] + Math.floor(lo / POW2[e])) * POW2[(e + 16) / 2];
}

/** sat(rnd(M·2^16 / D)) for an integer |M| < 2^47 and 1 ≤ D < 2^45, exactly (long division in 8-bit digits). */
function momentRatio(M: number, D: number): number {
  const A = M < 0 ? -M : M;
  let q: number;
  let r: number;
  if (A < 137438953472) {
    // A·2^16 < 2^53
    q = floorDiv(A * 65536, D);
    r = A * 65536 - q * D;
  } else {
    const q0 = floorDiv(A, D);
    if (q0 >= 32768) return M < 0 ? Q_MIN : Q_MAX;
    const r0 = A - q0 * D;
    const q1 = floorDiv(r0 * 256, D);
    const r1 = r0 * 256 - q1 * D;
    const q2 = floorDiv(r1 * 256, D);
    r = r1 * 256 - q2 * D;
    q = q0 * 65536 + q1 * 256 + q2;
  }
  if (M >= 0) {
    const u = q + (2 * r >= D ? 1 : 0);
    return u > Q_MAX ? Q_MAX : u;
  }
  const u = -(q + (2 * r > D ? 1 : 0));
  return u < Q_MIN ? Q_MIN : u;
}

function gerAdam(
  w: Int32Array, f: Uint16Array, m: Int32Array | null, mf: Uint16Array | null, vI: Int32Array, vF: Uint32Array,
  rows: number, cols: number, d: Int32Array, x: Int32Array, xo: number, a: number, k: number, e: number, b1: number, b2: number,
): void {
  const c1 = 65536 - b1;
  const c2 = 65536 - b2;
  const half = k > 0 ? POW2[k - 1] : 0;
  const div = POW2[k];
  for (let r = 0; r < rows; r++) {
    const dr = d[r];
    for (let c = 0; c < cols; c++) {
      const j = r * cols + c;
      const G = mul(dr, x[xo + c]); // the negative gradient, Q16.16
      // first moment, units of 2^-32: β1·M + (1 − β1)·G·2^16, rounded
      let M: number;
      if (m === null || mf === null) M = G * 65536;
      else {
        M = b1 * m[j] + c1 * G + Math.floor((b1 * mf[j] + 32768) / 65536);
        const mh = Math.floor(M / 65536);
        m[j] = mh;
        mf[j] = M - mh * 65536;
      }
      // second moment, units of 2^-32: β2·V + (1 − β2)·G², rounded; G² = pH·2^32 + pL
      const g = G < 0 ? -G : G;
      const gh = Math.floor(g / 65536);
      const gl = g - gh * 65536;
      const t = 2 * gh * gl * 65536 + gl * gl;
      const tc = Math.floor(t / TWO32);
      const YH = b2 * vI[j] + c2 * (gh * gh + tc);
      const Z = Math.floor((b2 * vF[j] + c2 * (t - tc * TWO32) + 32768) / 65536);
      const yh = Math.floor(YH / 65536);
      let lo = (YH - yh * 65536) * 65536 + Z;
      const carry = Math.floor(lo / TWO32);
      const hi = yh + carry;
      lo -= carry * TWO32;
      vI[j] = hi;
      vF[j] = lo;
      // the step a·2^-(k+8)·M/(√V + e), applied to the wide weight at 2^-32
      let D = sqrtMoment(hi, lo) + e;
      if (D < 1) D = 1;
      const p = a * momentRatio(M, D); // |p| < 2^52
      const delta = k === 0 ? p : k > 52 ? 0 : Math.floor((p + half) / div);
      const W = w[j] * 65536 + f[j] + delta;
      const wh = Math.floor(W / 65536);
      w[j] = clampWide(wh, f, j, W - wh * 65536);
    }
  }
}

/** The TypeScript reference kernels. Never modified; tests hold native twins to them. */
export const kernelsTS: Kernels = { dot, matvec, matTvec, axpy, axpyWide, gerWide, scale, sqdist, sqdistMany, welford, argmin, argmax, gerAdam };

/** The kernels in use. Algorithms call through this object. */
export const K: Kernels = {
  dot, matvec, matTvec, axpy, axpyWide, gerWide, scale, sqdist, sqdistMany, welford, argmin, argmax, gerAdam,
};

const source: { [name: string]: string } = {};

/**
 * Installs the functions of `impl` that exist (a partial set is fine: an older
 * firmware may lack some kernels, and those keep the TypeScript version).
 * `impl === null` restores the TypeScript reference for every kernel.
 */
export function useKernels(impl: { [name: string]: unknown } | null, label?: string): void {
  for (let i = 0; i < KERNEL_NAMES.length; i++) {
    const name = KERNEL_NAMES[i];
    const fn = impl === null ? undefined : impl[name];
    if (typeof fn === 'function') {
      (K as unknown as { [n: string]: unknown })[name] = fn;
      source[name] = label === undefined ? 'native' : label;
    } else {
      (K as unknown as { [n: string]: unknown })[name] = (kernelsTS as unknown as { [n: string]: unknown })[name];
      source[name] = 'ts';
    }
  }
}

/**
 * Which kernels are active: 'native' when every kernel is native, 'ts' when
 * none is, 'partial' otherwise ({@link backendDetail} says which).
 */
export function backend(): 'native' | 'ts' | 'partial' {
  let nNative = 0;
  for (let i = 0; i < KERNEL_NAMES.length; i++) if (source[KERNEL_NAMES[i]] !== 'ts') nNative++;
  return nNative === 0 ? 'ts' : nNative === KERNEL_NAMES.length ? 'native' : 'partial';
}

/** Kernel name → 'ts' or the label of the native implementation in use. */
export function backendDetail(): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  for (let i = 0; i < KERNEL_NAMES.length; i++) out[KERNEL_NAMES[i]] = source[KERNEL_NAMES[i]];
  return out;
}

/**
 * Native kernels are found without any change to user code: the XS host and
 * the Moddable target publish them as `globalThis.__microlearnNative`, an
 * Espruino firmware built with jswrap_microlearn.c as the global `Microlearn`.
 */
function detectNative(): void {
  const g: { [k: string]: unknown } | undefined =
    typeof globalThis !== 'undefined' ? (globalThis as unknown as { [k: string]: unknown }) : undefined;
  let impl: unknown = g ? g.__microlearnNative : undefined;
  if (impl === undefined && g && typeof g.Microlearn !== 'undefined') impl = g.Microlearn;
  useKernels(impl ? (impl as { [name: string]: unknown }) : null);
}
detectNative();
