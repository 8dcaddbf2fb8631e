/**
 * The kernel interface: every loop over a vector or matrix in microlearn goes
 * through one of these functions. `kernelsTS` is the reference (this file);
 * native/ holds C twins that must give the same bits. Algorithms
 * `import * as K` and call `K.name.f(...)` (the active implementation held by
 * each kernel's holder), so swapping implementations needs no change anywhere else.
 *
 * Arrays are Int32Array of Q16.16 values; offsets are passed explicitly so
 * that callers never allocate a subarray in a hot path.
 * The numeric contract of each kernel is in docs/fixed-point.md.
 */
import { POW2, Q_MAX, Q_MIN, floorDiv, isqrtRound, mul, sat, sigmoid, tanh } from './fixed.js';

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
   * rounded half up to 2^-32 and the weight saturates. |a| ≤ 32767 and
   * −15 ≤ s ≤ 46 ({@link step} makes s ≤ 30, {@link stepRecip} up to 35).
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
   * `varR` carries the remainder of the variance division, so that
   * varI + (varF + varR/c)/2^32 is Welford's exact recursion (c = min(count,
   * 2^19)) and the stored variance is that value rounded to 2^-32: tiny
   * variances neither drift nor freeze on long streams.
   * -⌊c/2⌋ ≤ varR < c − ⌊c/2⌋.
   * Exact definition in docs/fixed-point.md ("welford").
   */
  welford(
    mean: Int32Array, meanF: Uint16Array, varI: Int32Array, varF: Uint32Array, varR: Int32Array,
    o: number, x: Int32Array, xo: number, n: number, count: number,
  ): void;
  /** Index (0..n-1) of the first smallest a[ao+i]. n ≥ 1. */
  argmin(a: Int32Array, ao: number, n: number): number;
  /** Index (0..n-1) of the first largest a[ao+i]. n ≥ 1. */
  argmax(a: Int32Array, ao: number, n: number): number;
  /** Real numbers → Q16.16 into out; −1, or the index of the first element that is not a number in [−32768, 32768). */
  toQ(x: ArrayLike<number>, n: number, out: Int32Array): number;
  /**
   * Raw inputs → the internal units of an input scale (src/range.ts):
   * out[i] = round_half_up(x[i] · 2^(s − e)) for i < n, with e = exps[0]
   * when exps has one element (a shared exponent), else exps[i]; s = 16 for
   * real numbers, 0 for Q16.16. Returns −1, or the index of the first element
   * that is not a number in (−2^31, 2^31) or whose result is not inside
   * ±lim (1 ≤ lim ≤ 2^31; an exponent above 63 rejects too); elements before
   * it are converted, the rest are not touched. The learner's own TypeScript
   * then handles that input (errors, clamping, a growing exponent).
   */
  toRaw(x: ArrayLike<number>, n: number, s: number, exps: Uint8Array, lim: number, out: Int32Array): number;
  /**
   * One online k-means step, fused: the centroids c (k rows of n, wide: plus
   * cf/2^16) with their counts; x in the model's internal units when xq is
   * null, else raw real numbers converted as toRaw(x, n, 16, exps, lim, xq)
   * first (a rejected element: returns its index, nothing has changed). The
   * nearest centroid j (squared distances at shift 0, else 8, else 16, the
   * first smallest; work[0..k) holds them) gains one count (saturating at
   * 2^32 − 1) and moves toward x by max(1/count, decay) (decay Q16.16,
   * 0..65536): d = sat(x − round(c_j)) in work[k..k+n), then axpyWide with
   * stepRecip(count), or step(decay, 65536) once count·decay ≥ 65536.
   * Returns −1 (also, learning nothing, when every distance saturates even at
   * shift 16, which values inside the model's headroom rule out).
   */
  kmeansLearn(
    c: Int32Array, cf: Uint16Array, counts: Uint32Array, k: number, n: number, x: ArrayLike<number>, xq: Int32Array | null,
    exps: Uint8Array, lim: number, decay: number, work: Int32Array,
  ): number;
  /** One fused SGD step of a linear model (identity or logistic link), converting a real-valued x on the way; −1, or the index of a rejected element. */
  sgdLinear(w: Int32Array, f: Uint16Array, x: ArrayLike<number>, xq: Int32Array | null, n: number, y: number, lr: number, l2: number, link: number): number;
  /**
   * sgdLinear with the identity link on real numbers: x converted into xq
   * and the target y converted as toQ (LinearRegression.learnOne in one
   * call). Returns −1, n when y is not a number in [−32768, 32768) (checked
   * first), or the index of a rejected element of x; nothing changes unless −1.
   */
  sgdLinearReal(w: Int32Array, f: Uint16Array, x: ArrayLike<number>, xq: Int32Array, n: number, y: number, lr: number, l2: number): number;
  /**
   * A dense layer's forward pass: z = matvec(w, x, xo, b, rows, cols), then
   * a[r] = act(z[r]) with act 0 relu, 1 tanh, 2 sigmoid, 3 linear (the
   * order of the MLP's activations; tanh and sigmoid as in src/fixed.ts).
   */
  /**
   * The nearest of `rows` k-means centroids (c, rows of n) to raw real
   * numbers x, converted as toRaw(x, n, 16, exps, lim, xq) first: squared
   * distances into dist at shift 0, else 8, else 16 while the smallest
   * saturates, as kmeansLearn finds it. Returns its index (the first of
   * equal distances), or −1 when an element is rejected or every distance
   * saturates even at shift 16 (the caller then takes its slow road).
   */
  kmeansNearest(c: Int32Array, rows: number, n: number, x: ArrayLike<number>, xq: Int32Array, exps: Uint8Array, lim: number, dist: Int32Array): number;
  denseForward(w: Int32Array, x: Int32Array, xo: number, b: Int32Array | null, z: Int32Array, a: Int32Array, rows: number, cols: number, act: number): void;
  /**
   * Back-propagation through a dense layer of rows×cols weights w: gp =
   * matTvec(w, g, rows, cols), then each gp[c] times the derivative of the
   * previous layer's activation act (codes as in denseForward) at its
   * output ap[c] / pre-activation zp[c]: relu 1 when zp > 0 else 0, tanh
   * 1 − ap², sigmoid ap·sat(1 − ap), linear 1 (products by mul, unchanged when
   * the derivative is 1).
   */
  denseBackward(w: Int32Array, g: Int32Array, gp: Int32Array, ap: Int32Array, zp: Int32Array, rows: number, cols: number, act: number): void;
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

/**
 * Names of all kernels, in a fixed order. A function rather than an array
 * that `backend()` keeps: on Espruino a module-level array of 21 strings stays
 * in RAM (the device API bundle: 840 → 790 blocks without it), while this literal stays in the
 * code, which a board runs from flash.
 */
function kernelNames(): string[] {
  return 'dot matvec matTvec axpy axpyWide gerWide scale sqdist sqdistMany welford argmin argmax toQ sgdLinear gerAdam toRaw kmeansLearn sgdLinearReal denseForward denseBackward kmeansNearest'.split(' ');
}

/** Names of all kernels, in a fixed order (backend detection and tests). */
export const KERNEL_NAMES: string[] = /*#__PURE__*/ kernelNames();

const TWO32 = 4294967296;
const TWO52 = 4503599627370496;
/** −2^31 as an int32 (the literal −2147483648 is a double in XS). */
const MIN32 = 1 << 31;

// The TypeScript kernels keep every hot-path intermediate an int32: XS and
// Espruino hold such values as integers, while anything beyond int32 becomes
// a (software, on an ESP32) double. Products of two Q16.16 values are
// therefore formed from 16-bit halves (and one 8-bit split), each piece below
// 2^31, and summed into separate accumulators. The values are the exact
// integers the contracts define; a sum that outgrows int32 (long or extreme
// inputs) continues exactly as a double, only slower.

/**
 * round_half_up((s32·2^32 + s16·2^16 + s8·2^8 + s0) / 2^16), not saturated:
 * the value of an exact sum of products kept in four accumulators (s8, s0 ≥ 0).
 */
function sumRaw(s32: number, s16: number, s8: number, s0: number): number {
  if (s32 < 32768 && s32 >= -32768 && s16 <= Q_MAX && s16 >= Q_MIN && s8 <= Q_MAX && s0 < 2147352576) {
    // every piece is an int32 (and s0 + 2^15 + 2^16 too): the shifts are exact floors
    return s32 * 65536 + s16 + (s8 >> 8) + ((((s8 & 255) << 8) + s0 + 32768) >> 16);
  }
  // exact in doubles: |s32| ≤ 2^36 keeps s32·2^16 below 2^52; beyond, the sum is far outside Q16.16
  if (s32 > 68719476736 || s32 < -68719476736) return s32 > 0 ? 4503599627370496 : -4503599627370496;
  return s32 * 65536 + s16 + Math.floor((s8 * 256 + s0 + 32768) / 65536);
}

/** sumRaw, saturated to Q16.16 (sumRaw's int32 case inline: one call per dot product, not two). */
function sumQ(s32: number, s16: number, s8: number, s0: number): number {
  const r = s32 < 32768 && s32 >= -32768 && s16 <= Q_MAX && s16 >= Q_MIN && s8 <= Q_MAX && s0 < 2147352576
    ? s32 * 65536 + s16 + (s8 >> 8) + ((((s8 & 255) << 8) + s0 + 32768) >> 16)
    : sumRaw(s32, s16, s8, s0);
  return r > Q_MAX ? Q_MAX : r < Q_MIN ? Q_MIN : r;
}

/** Σ a[ao+i·as]·b[bo+i·bs] for i < n, exact, rounded half up to Q16.16, saturated. */
function dotS(a: Int32Array, ao: number, as: number, b: Int32Array, bo: number, bs: number, n: number): number {
  let s32 = 0;
  let s16 = 0;
  let s8 = 0;
  let s0 = 0;
  let su = 0;
  for (let i = 0; i < n; i++) {
    const u = a[ao];
    const v = b[bo];
    ao += as;
    bo += bs;
    const ul = u & 65535;
    const vl = v & 65535;
    const uh = u >> 16;
    const vh = v >> 16;
    su += uh; // no 0 × negative: see sgdLinearTS
    s32 += uh * (vh + 32768);
    s16 += uh * (vl + 1) + ul * vh;
    s8 += ul * (vl >> 8);
    s0 += ul * (vl & 255);
  }
  return sumQ(s32 - su * 32768, s16 - su, s8, s0);
}

function dotTS(a: Int32Array, ao: number, b: Int32Array, bo: number, n: number): number {
  return dotS(a, ao, 1, b, bo, 1, n);
}

function matvecTS(w: Int32Array, x: Int32Array, xo: number, bias: Int32Array | null, out: Int32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const v = dotS(w, r * cols, 1, x, xo, 1, cols) + (bias === null ? 0 : bias[r]);
    out[r] = v > Q_MAX ? Q_MAX : v < Q_MIN ? Q_MIN : v;
  }
}

function matTvecTS(w: Int32Array, d: Int32Array, out: Int32Array, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) out[c] = dotS(w, c, cols, d, 0, 1, rows);
}

function axpyTS(y: Int32Array, yo: number, x: Int32Array, xo: number, n: number, alpha: number): void {
  const ah = alpha >> 16;
  const al = alpha & 65535;
  for (let i = 0; i < n; i++) {
    const v = x[xo + i];
    const vl = v & 65535;
    const vh = v >> 16;
    const m = sumRaw(ah * vh, ah * vl + al * vh, al * (vl >> 8), al * (vl & 255));
    const r = y[yo + i] + m;
    y[yo + i] = r > Q_MAX ? Q_MAX : r < Q_MIN ? Q_MIN : r;
  }
}

/** Largest mantissa of a step (see {@link step}). */
const STEP_MAX = 32767;

/**
 * Wide-weight update (w[j], f[j]) += δ with δ = round_half_up(a·x[i] / 2^s)
 * in units of 2^-32, j = wo + i: a weight is w + f/65536 (Q16.32 as int32 +
 * uint16). The step a·2^-(16+s) comes from {@link step} or {@link stepRecip}:
 * |a| ≤ 32767, −15 ≤ s ≤ 46. Saturates at (Q_MAX, 65535) and (Q_MIN, 0).
 */
function axpyWideTS(w: Int32Array, f: Uint16Array, wo: number, x: Int32Array, xo: number, n: number, a: number, s: number): void {
  if (a === 0) return;
  if (s < 0) {
    bigSteps(w, f, wo, x, xo, n, a, s);
    return;
  }
  if (s < 16) {
    // δ = (a·xh)·2^(16−s) + round(a·xl / 2^s), split into whole Q16.16 units (dw) and a 16-bit fraction
    const sh = 16 - s;
    const m = (1 << s) - 1;
    const r = s > 0 ? 1 << (s - 1) : 0;
    const dx = xo - wo;
    const end = wo + n;
    for (let j = wo; j < end; j++) {
      const v = x[j + dx];
      const p = a * (v >> 16); // |p| < 2^30
      const fr = f[j] + ((p & m) << sh) + ((a * (v & 65535) + r) >> s); // |fr| < 2^31: one carry for both parts
      const nw = w[j] + (p >> s) + (fr >> 16);
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
  // tiny steps (s ≥ 16): δ = floor((a·xh·2^16 + a·xl + 2^(s−1)) / 2^s), |δ| < 2^30
  const k = s - 16;
  const r = s === 16 ? 32768 : 0;
  const c = s > 16 ? 1 << (s - 17) : 0;
  const dx = xo - wo;
  const end = wo + n;
  for (let j = wo; j < end; j++) {
    const v = x[j + dx];
    const fr = f[j] + ((a * (v >> 16) + ((a * (v & 65535) + r) >> 16) + c) >> k); // f + δ < 2^31
    const nw = w[j] + (fr >> 16);
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

/** axpyWide for s < 0 (steps of 1/2 per unit and more): δ = a·x·2^-s, exact in doubles. Rare. */
function bigSteps(w: Int32Array, f: Uint16Array, wo: number, x: Int32Array, xo: number, n: number, a: number, s: number): void {
  const m = POW2[-s];
  for (let i = 0; i < n; i++) {
    const j = wo + i;
    const d = a * x[xo + i] * m; // |d| < 2^61: exact (a multiple of 2^-s)
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

/** Bit length of t, 0 < t < 2^31, by halving in int32 (no Math.floor, no doubles). */
function bitLength(t: number): number {
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
  return b;
}

/**
 * The SGD step η = lr·g (both Q16.16) as a mantissa and shift for
 * {@link Kernels.axpyWide}: η = a·2^-(16+s) with |a| ≤ 32767, writes a into
 * out[0] and s into out[1]. s is the largest value ≤ 46 for which
 * a = round_half_up(lr·g·2^(s−16)) fits (a 15-bit mantissa: 3·10^-5 relative
 * precision, plenty for a gradient step, and small enough that a·x splits
 * into int32 products). Steps below 2^-63 give a = 0; steps beyond
 * 32767·2^-1 per unit saturate at s = −15.
 */
export function step(lr: number, g: number, out: Int32Array): void {
  const e = lr * g; // η·2^32, exact below 2^53 (larger ones saturate below)
  if (e === 0) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  if (e <= Q_MAX && e > Q_MIN) {
    // |e| < 2^31, an int32: bit length by halving, then the mantissa by shifts
    const b = bitLength(e < 0 ? -e : e);
    let s = 31 - b; // 0..30: |e|·2^(s−16) ∈ [2^14, 2^15)
    let a = s >= 16 ? e << (s - 16) : ((e >> (15 - s)) + 1) >> 1;
    if (a > STEP_MAX || a < -STEP_MAX) {
      s--; // rounding reached 2^15 (s may become −1: a step of half a unit and more)
      a = ((e >> (15 - s)) + 1) >> 1;
    }
    out[0] = a;
    out[1] = s;
    return;
  }
  // |e| ≥ 2^31: s ≤ 0, the mantissa from exact double arithmetic
  const ae = e < 0 ? -e : e;
  let b = 31;
  while (b < 62 && ae >= POW2[b]) b++;
  let s = 31 - b;
  if (s < -15) {
    out[0] = e > 0 ? STEP_MAX : -STEP_MAX;
    out[1] = -15;
    return;
  }
  let a = roundShift(e, 16 - s);
  if (a > STEP_MAX || a < -STEP_MAX) {
    s--;
    if (s < -15) {
      out[0] = e > 0 ? STEP_MAX : -STEP_MAX;
      out[1] = -15;
      return;
    }
    a = roundShift(e, 16 - s);
  }
  out[0] = a;
  out[1] = s;
}

/** round_half_up(e / 2^k) for an integer-valued e (|e| < 2^53) and −30 ≤ k ≤ 31. */
function roundShift(e: number, k: number): number {
  if (k <= 0) return e * POW2[-k];
  if (e <= Q_MAX && e >= Q_MIN) return ((e >> (k - 1)) + 1) >> 1; // floor(e/2^(k−1)) then halve: round half up
  return Math.floor(e / POW2[k] + 0.5);
}

/**
 * The step η = 1/c (c ≥ 2 an integer < 2^32, a running-mean count) as two
 * axpyWide steps with 15-bit mantissas that together carry 30 bits:
 * η ≈ a1·2^-(16+s1) + a2·2^-(16+s2), out = [a1, s1, a2, s2]. With
 * K = min(bitLength(c) + 28, 51) and e = round(2^K / c) (< 2^29),
 * a1 = e >> 15, a2 = e & 32767, s1 = K − 31, s2 = K − 16: running means
 * stay within 2^-28 (relative) of the exact mean.
 */
export function stepRecip(c: number, out: Int32Array): void {
  let b = 32; // bit length of c, by halving in int32 (c ≥ 2^31 has 32)
  if (c <= Q_MAX) b = bitLength(c);
  const k = b + 28 < 51 ? b + 28 : 51;
  const e = ((POW2[k + 1] + c) / (2 * c)) | 0; // 2^(k+1) + c < 2^53: exact; the quotient < 2^30, so | 0 is its floor
  out[0] = e >> 15;
  out[1] = k - 31;
  out[2] = e & 32767;
  out[3] = k - 16;
}

/**
 * The kernels' step scratch, made on first use: a typed array created while
 * the module loads is in flash (read-only) in a Moddable app that preloads
 * the library.
 */
let stepBuf: Int32Array | null = null;
function stepScratch(): Int32Array {
  return stepBuf === null ? (stepBuf = new Int32Array(2)) : stepBuf;
}

function gerWideTS(w: Int32Array, f: Uint16Array, rows: number, cols: number, d: Int32Array, x: Int32Array, xo: number, lr: number): void {
  const sb = stepBuf !== null ? stepBuf : stepScratch();
  for (let r = 0; r < rows; r++) {
    step(lr, d[r], sb);
    if (sb[0] !== 0) axpyWideTS(w, f, r * cols, x, xo, cols, sb[0], sb[1]);
  }
}

function scaleTS(y: Int32Array, yo: number, n: number, alpha: number): void {
  const ah = alpha >> 16;
  const al = alpha & 65535;
  for (let i = 0; i < n; i++) {
    const v = y[yo + i];
    const vl = v & 65535;
    const vh = v >> 16;
    y[yo + i] = sumQ(ah * vh, ah * vl + al * vh, al * (vl >> 8), al * (vl & 255));
  }
}

/**
 * Σ (sat(a[ao+i] − b[bo+i]))² / 2^shift: exact sum, rounded half up to
 * Q16.16, saturated. t² = th²·2^32 + 2·th·tl·2^16 + tl² with t = th·2^16 + tl.
 */
function sqdistTS(a: Int32Array, ao: number, b: Int32Array, bo: number, n: number, shift: number): number {
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
  if (shift === 0) return sumQ(s32, 2 * s16, s8, s0);
  // the squared distance in units of 2^-32 as hi·2^32 + lo, then rounded by 2^(16+shift)
  const s16a = 2 * s16;
  const q = Math.floor(s16a / 65536);
  const lo = (s16a - q * 65536) * 65536 + s8 * 256 + s0; // < 2^53
  const c = Math.floor(lo / TWO32);
  return roundSum(s32 + q + c, lo - c * TWO32, 16 + shift);
}

/** sat(round_half_up((hi·2^32 + lo) / 2^k)) for 16 ≤ k ≤ 32, 0 ≤ lo < 2^32. */
function roundSum(hi: number, lo: number, k: number): number {
  if (hi > 4294967296 || hi < -4294967296) return hi > 0 ? Q_MAX : Q_MIN;
  const r = hi * POW2[32 - k] + Math.floor((lo + POW2[k - 1]) / POW2[k]);
  return r > Q_MAX ? Q_MAX : r < Q_MIN ? Q_MIN : r;
}

function sqdistManyTS(data: Int32Array, rows: number, cols: number, x: Int32Array, xo: number, shift: number, out: Int32Array): void {
  for (let r = 0; r < rows; r++) out[r] = sqdistTS(data, r * cols, x, xo, cols, shift);
}

/**
 * Real numbers → Q16.16: out[i] = round_half_up(x[i]·65536) for i < n,
 * computed as floor(x·65536 + 2^31 + ½) − 2^31 in IEEE doubles (the same bits
 * on every engine; it differs from exact rounding only when x·65536 lies
 * within 2^-22 of a tie). Returns −1, or the index of the first element that
 * is not a number or not in [−32768, 32768) (NaN and ±Infinity included);
 * elements before it are converted, the rest are not touched.
 */
function toQTS(x: ArrayLike<number>, n: number, out: Int32Array): number {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (typeof v !== 'number') return i;
    const t = v * 65536 + 2147483648.5;
    if (!(t >= 0 && t < 4294967296)) return i;
    out[i] = (t | 0) ^ MIN32; // ToInt32 wraps t ≥ 2^31; flipping bit 31 removes the 2^31 offset
  }
  return -1;
}

/**
 * Raw inputs → internal units (see {@link Kernels.toRaw}). y = x·2^(s−e) is
 * one IEEE product by the exact power of two m = 2^(s−e), so it equals
 * (x·2^s)/2^e (both round the same exact value once, and only below
 * 2^-1022). Few double operations per element (XS and Espruino count each):
 * no Math.floor, and with m ≥ 1 the check |y| < 2^31 implies |x| < 2^31.
 * The rounding is floor(y + ½), exactly: for y < 0, y + ½ is exact (y is a
 * multiple of its ulp ≤ 2^-22, and so is the sum); for y ≥ 0 the sum rounds
 * only where it crosses a power of two, which moves its floor only below ½
 * (0.5 − 2^-54 gives 1). The limits compare as int32 (lim is a double, a
 * power of two read from POW2).
 */
function toRawTS(x: ArrayLike<number>, n: number, s: number, exps: Uint8Array, lim: number, out: Int32Array): number {
  const shared = exps.length === 1;
  const hi = (lim - 1) | 0; // t ≥ lim ⇔ t > hi for an integer t
  const lo = 0 - hi; // not −hi: XS makes −0 a double
  let m = POW2[s] / POW2[exps[0]];
  let small = !(m >= 1); // also NaN: an exponent beyond POW2
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (typeof v !== 'number') return i;
    if (!shared) {
      m = POW2[s] / POW2[exps[i]];
      small = !(m >= 1);
    }
    if (small && !(v < 2147483648 && v > -2147483648)) return i;
    const y = v * m;
    let t: number;
    if (y >= 0) {
      if (!(y < 2147483648)) return i;
      t = (y + 0.5) | 0; // y ≥ 2^31 − ½ wraps to −2^31, beyond the limit as 2^31 is
      if (t === 1 && y < 0.5) t = 0;
    } else {
      if (!(y > -2147483648)) return i; // NaN too
      const z = y + 0.5;
      t = z | 0; // truncated toward 0
      if (t > z) t -= 1;
    }
    if (t > hi || t < lo) return i;
    out[i] = t;
  }
  return -1;
}

/**
 * One SGD step of a linear model, fused (one kernel call per learnOne): with
 * w[0..n-1] the weights and w[n] the bias (wide: plus f),
 * z = sat(dot(w, x) + w[n]); p = z (link 0) or sigmoid(z) (link 1);
 * g = sat(y − p); then, when l2 ≠ 0, the weights (not the bias) take the
 * decay step(lr, −l2)·w; then w += step(lr, g)·x and the bias += step(lr, g).
 * y is a Q16.16 target, or 0 / 65536 for a logistic label.
 * x is Q16.16 when `xq` is null; otherwise x holds real numbers, converted
 * as {@link toQ} into xq on the way. Returns −1 when the model learned, or
 * the index of the first element of a real x that {@link toQ} rejects (then
 * nothing has changed).
 */
function sgdLinearTS(w: Int32Array, f: Uint16Array, x: ArrayLike<number>, xq: Int32Array | null, n: number, y: number, lr: number, l2: number, link: number): number {
  let q: Int32Array;
  let r: number; // dot(w, q)
  if (xq === null) {
    q = x as Int32Array;
    r = dotS(w, 0, 1, q, 0, 1, n);
  } else {
    // one pass: each element converted as toQ, then summed as dotS sums it
    q = xq;
    let s32 = 0;
    let s16 = 0;
    let s8 = 0;
    let s0 = 0;
    let su = 0;
    for (let i = 0; i < n; i++) {
      const e = x[i];
      if (typeof e !== 'number') return i;
      const t = e * 65536 + 2147483648.5;
      if (!(t >= 0 && t < 4294967296)) return i;
      const v = (t | 0) ^ MIN32;
      xq[i] = v;
      const u = w[i];
      const ul = u & 65535;
      const vl = v & 65535;
      const uh = u >> 16;
      const vh = v >> 16;
      // XS makes 0 × negative a double −0 (and every sum after it a double): the signed
      // factors uh, vh meet vh + 32768 ≥ 0 and vl + 1 ≥ 1 instead; su takes the offsets back out
      su += uh;
      s32 += uh * (vh + 32768);
      s16 += uh * (vl + 1) + ul * vh;
      s8 += ul * (vl >> 8);
      s0 += ul * (vl & 255);
    }
    s32 -= su * 32768;
    s16 -= su;
    // sumQ, its int32 case inline (two calls fewer per sample)
    r = s32 < 32768 && s32 >= -32768 && s16 <= Q_MAX && s16 >= Q_MIN && s8 <= Q_MAX && s0 < 2147352576
      ? s32 * 65536 + s16 + (s8 >> 8) + ((((s8 & 255) << 8) + s0 + 32768) >> 16)
      : sumRaw(s32, s16, s8, s0);
    if (r > Q_MAX) r = Q_MAX;
    else if (r < Q_MIN) r = Q_MIN;
  }
  const z0 = r + w[n];
  const z = z0 > Q_MAX ? Q_MAX : z0 < Q_MIN ? Q_MIN : z0;
  const p = link === 1 ? sigmoid(z) : z;
  const g0 = y - p;
  const g = g0 > Q_MAX ? Q_MAX : g0 < Q_MIN ? Q_MIN : g0;
  const sb = stepBuf !== null ? stepBuf : stepScratch();
  if (l2 !== 0) {
    step(lr, -l2, sb);
    if (sb[0] !== 0) axpyWideTS(w, f, 0, w, 0, n, sb[0], sb[1]);
  }
  step(lr, g, sb);
  const a = sb[0];
  if (a !== 0) {
    const s = sb[1];
    axpyWideTS(w, f, 0, q, 0, n, a, s);
    // the bias: the same step with x = 1, δ = round(a·2^(16−s)) (units of 2^-32) split into whole and fraction
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

function welfordTS(
  mean: Int32Array, meanF: Uint16Array, varI: Int32Array, varF: Uint32Array, varR: Int32Array,
  o: number, x: Int32Array, xo: number, n: number, count: number,
): void {
  const c = count > WELFORD_MAX_COUNT ? WELFORD_MAX_COUNT : count;
  const half = Math.floor(c / 2);
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
    const a = sat(Math.floor((d1 + 32768) / 65536));
    const b = sat(Math.floor((d2 + 32768) / 65536));
    const ah = a >> 16;
    const al = a & 0xffff;
    const bh = b >> 16;
    const bl = b & 0xffff;
    const t = (ah * bl + al * bh) * 65536 + al * bl;
    // V' + R'/c = V + (P − V + R)/c with V' = V + round(N / c), N = P − V + R: long division of
    // N + ⌊c/2⌋ = hi·2^32 + lo by c, where V + R/(c − 1) was the exact previous value
    // (a count of 1 starts afresh).
    let hi = ah * bh - varI[j];
    let lo = t - varF[j] + (c > 1 ? varR[j] : 0) + half;
    const k = Math.floor(lo / TWO32);
    hi += k;
    lo -= k * TWO32;
    const qa = floorDiv(hi, c);
    const rest = (hi - qa * c) * TWO32 + lo; // 0 ≤ rest < c·2^32 ≤ 2^51
    const qb = floorDiv(rest, c);
    let r = rest - qb * c - half;
    let vi = varI[j] + qa;
    let vf = varF[j] + qb;
    const k2 = Math.floor(vf / TWO32);
    vi += k2;
    vf -= k2 * TWO32;
    if (vi < 0) {
      vi = 0;
      vf = 0;
      r = 0;
    } else if (vi > Q_MAX) {
      vi = Q_MAX;
      vf = 4294967295;
      r = 0;
    }
    const mh = Math.floor(m2 / 65536);
    mean[j] = mh;
    meanF[j] = m2 - mh * 65536;
    varI[j] = vi;
    varF[j] = vf;
    varR[j] = r;
  }
}

function argminTS(a: Int32Array, ao: number, n: number): number {
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

function argmaxTS(a: Int32Array, ao: number, n: number): number {
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

function gerAdamTS(
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
      if (wh > Q_MAX) {
        w[j] = Q_MAX;
        f[j] = 65535;
      } else if (wh < Q_MIN) {
        w[j] = Q_MIN;
        f[j] = 0;
      } else {
        w[j] = wh;
        f[j] = W - wh * 65536;
      }
    }
  }
}

/** The nearest of `rows` centroids to x (internal units), or −1: the search of kmeansLearn and kmeansNearest. */
function nearest(c: Int32Array, rows: number, n: number, x: Int32Array, dist: Int32Array): number {
  for (let shift = 0; shift <= 16; shift += 8) {
    sqdistMany.f(c, rows, n, x, 0, shift, dist);
    const b = argmin.f(dist, 0, rows);
    if (dist[b] !== Q_MAX) return b;
  }
  return -1;
}

/** {@link Kernels.kmeansNearest}: the active toRaw, then the search of kmeansLearn. */
function kmeansNearestTS(c: Int32Array, rows: number, n: number, x: ArrayLike<number>, xq: Int32Array, exps: Uint8Array, lim: number, dist: Int32Array): number {
  return toRaw.f(x, n, 16, exps, lim, xq) < 0 ? nearest(c, rows, n, xq, dist) : -1;
}

/** Scratch of kmeansLearnTS's step (four entries for stepRecip), made on first use like stepScratch. */
let kmStepBuf: Int32Array | null = null;

/**
 * One online k-means step, fused (one kernel call per learnOne): x joins its
 * nearest centroid (see {@link Kernels.kmeansLearn}). It is the sequence of
 * the separate kernels, called as the active ones (so that a firmware
 * without this kernel still runs its native pieces; they give the same bits
 * as the TypeScript ones): toRaw, sqdistMany + argmin at shifts 0, 8, 16
 * until the smallest distance does not saturate, the count,
 * d = x − round(centroid), then one or two axpyWide steps (stepRecip of the
 * count, or step(decay, 1)).
 */
function kmeansLearnTS(
  c: Int32Array, cf: Uint16Array, counts: Uint32Array, k: number, n: number, x: ArrayLike<number>, xq: Int32Array | null,
  exps: Uint8Array, lim: number, decay: number, work: Int32Array,
): number {
  let q: Int32Array;
  if (xq === null) q = x as Int32Array;
  else {
    const bad = toRaw.f(x, n, 16, exps, lim, xq);
    if (bad >= 0) return bad;
    q = xq;
  }
  const j = nearest(c, k, n, q, work);
  if (j < 0) return -1; // no centroid can be ranked (not for values inside the headroom): nothing learned
  const cnt = counts[j] < 4294967295 ? counts[j] + 1 : 4294967295;
  counts[j] = cnt;
  // d = x − centroid rounded to Q16.16: x − c, minus 1 when cf > 2^15
  const o = j * n;
  for (let i = 0; i < n; i++) {
    const v = q[i] - c[o + i] - (cf[o + i] > 32768 ? 1 : 0);
    work[k + i] = v > Q_MAX ? Q_MAX : v < Q_MIN ? Q_MIN : v;
  }
  // the step η·d with η = max(1/cnt, decay)
  const sb = kmStepBuf === null ? (kmStepBuf = new Int32Array(4)) : kmStepBuf;
  if (decay > 0 && cnt * decay >= 65536) {
    step(decay, 65536, sb);
    sb[2] = 0;
  } else stepRecip(cnt, sb);
  axpyWide.f(c, cf, o, work, k, n, sb[0], sb[1]);
  if (sb[2] !== 0) axpyWide.f(c, cf, o, work, k, n, sb[2], sb[3]);
  return -1;
}

/**
 * {@link Kernels.sgdLinearReal}: the target converted as toQ converts an
 * element, then the active sgdLinear (a firmware without this kernel still
 * runs its native sgdLinear).
 */
function sgdLinearRealTS(w: Int32Array, f: Uint16Array, x: ArrayLike<number>, xq: Int32Array, n: number, y: number, lr: number, l2: number): number {
  const t = typeof y === 'number' ? y * 65536 + 2147483648.5 : NaN;
  if (!(t >= 0 && t < 4294967296)) return n;
  return sgdLinear.f(w, f, x, xq, n, (t | 0) ^ MIN32, lr, l2, 0);
}

/** {@link Kernels.denseForward}: the active matvec, then the activation. */
function denseForwardTS(w: Int32Array, x: Int32Array, xo: number, b: Int32Array | null, z: Int32Array, a: Int32Array, rows: number, cols: number, act: number): void {
  matvec.f(w, x, xo, b, z, rows, cols);
  for (let i = 0; i < rows; i++) {
    const v = z[i];
    a[i] = act === 0 ? (v > 0 ? v : 0) : act === 1 ? tanh(v) : act === 2 ? sigmoid(v) : v;
  }
}

/** {@link Kernels.denseBackward}: the active matTvec, then the activation's derivative. */
function denseBackwardTS(w: Int32Array, g: Int32Array, gp: Int32Array, ap: Int32Array, zp: Int32Array, rows: number, cols: number, act: number): void {
  matTvec.f(w, g, gp, rows, cols);
  for (let i = 0; i < cols; i++) {
    const a = ap[i];
    // 1 − a saturates (below −32767 only, far outside a sigmoid's [0, 1])
    const d = act === 0 ? (zp[i] > 0 ? 65536 : 0) : act === 1 ? 65536 - mul(a, a) : act === 2 ? mul(a, a < -2147418111 ? Q_MAX : 65536 - a) : 65536;
    if (d !== 65536) gp[i] = mul(gp[i], d);
  }
}

/** The TypeScript reference kernels. Never modified; tests hold native twins to them. */
export const kernelsTS: Kernels = { dot: dotTS, matvec: matvecTS, matTvec: matTvecTS, axpy: axpyTS, axpyWide: axpyWideTS, gerWide: gerWideTS, scale: scaleTS, sqdist: sqdistTS, sqdistMany: sqdistManyTS, welford: welfordTS, argmin: argminTS, argmax: argmaxTS, toQ: toQTS, sgdLinear: sgdLinearTS, gerAdam: gerAdamTS, toRaw: toRawTS, kmeansLearn: kmeansLearnTS, sgdLinearReal: sgdLinearRealTS, denseForward: denseForwardTS, denseBackward: denseBackwardTS, kmeansNearest: kmeansNearestTS };

// ---- signal kernels (raw-signal path of WindowFeatures) --------------------
// The per-sample and per-window loops of condition monitoring: ring buffer,
// window statistics, FFT, spectral centroid, envelope. Kept apart from the
// learning kernels above (their own names list and table) so that a
// firmware may have either set; native twins in native/microlearn_kernels.c.

/** The signal kernels (the active ones: {@link ringWrite} and the others below). */
export interface SignalKernels {
  /**
   * Writes `count` samples src[so + i·stride] into the ring ring[ro .. ro+n)
   * starting at position pos (wrapping at n); returns the new position.
   */
  ringWrite(ring: Int32Array, ro: number, n: number, pos: number, src: Int32Array, so: number, stride: number, count: number): number;
  /**
   * Statistics of the window ring[ro .. ro+n) whose oldest sample is at pos
   * (1 ≤ n ≤ 4096): writes the deviations from the mean, scaled by 2^-b so
   * that the largest lies in [2^22, 2^23), into re[0 .. n) in ring order,
   * zeroes im[0 .. n), and stores into out:
   *   out[0] mean = round(Σx / n), out[1] min, out[2] max, out[3] b,
   *   out[4] zero crossings of x − mean in time order (a sign change between
   *   neighbours, "≥ 0" counting as positive),
   *   out[5] Σ re² / 2^(16+bits) rounded (n = 2^bits; the scaled variance, Q16.16),
   *   out[6] kurtosis n·Σs²/(Σs)² (Q16.16, 0 for a constant window) with
   *   s = round(re / 2^13)², as floor(Σs²/Σs), then ·n·2^16 / Σs rounded.
   * re (and im) may be the ring itself only when ro = 0 and pos = 0.
   */
  winStats(ring: Int32Array, ro: number, n: number, pos: number, bits: number, re: Int32Array, im: Int32Array, out: Int32Array): void;
  /**
   * In-place radix-2 decimation-in-time FFT of (re, im), n = 2^bits ≥ 2,
   * halving after every stage (the result is X/n); inputs must be below 2^30
   * in magnitude (winStats and analytic give at most 2^23),
   * with twiddles cos[k], sin[k] = cos, sin(2πk/n) (Q16.16, k < n/2).
   */
  fft(re: Int32Array, im: Int32Array, n: number, bits: number, cos: Int32Array, sin: Int32Array): void;
  /**
   * Spectral centroid of bins lo .. hi−1 (0 ≤ lo < hi ≤ 4096): with
   * p_k = min(round((re[k]² + im[k]²) / 2^16), 2^30), W = Σ k·p_k and
   * S = Σ p_k (both halved, floor, while S ≥ 2^31), returns W / S in bins
   * as Q16.16: floor(W/S)·2^16 + round((W mod S)·2^16 / S); 0 when S = 0.
   */
  centroid(re: Int32Array, im: Int32Array, lo: number, hi: number): number;
  /**
   * Prepares the inverse transform of the band lo .. hi−1 of a spectrum
   * (for the envelope): bins outside the band become 0, bins inside are
   * conjugated and scaled by 2^-s, rounded half up, s chosen so that the
   * largest |component| lies in [2^22, 2^23) (s may be negative). Returns s
   * (0 when the band is all zero). 0 ≤ lo < hi ≤ n; |components| < 2^31.
   */
  analytic(re: Int32Array, im: Int32Array, n: number, lo: number, hi: number): number;
  /**
   * out[i] = round(√(a² + b²))·2^c, saturated, for i < n, where a, b are
   * |re[i]|, |im[i]| halved (floor) c times until both are below 2^26.
   * out may be re or im.
   */
  magnitude(re: Int32Array, im: Int32Array, n: number, out: Int32Array): void;
}

/** Names of the signal kernels, in a fixed order (a function for the reason of kernelNames). */
function signalKernelNames(): string[] {
  return 'ringWrite winStats fft centroid analytic magnitude'.split(' ');
}

/** Names of the signal kernels, in a fixed order. */
export const SIGNAL_KERNEL_NAMES: string[] = /*#__PURE__*/ signalKernelNames();

function ringWriteTS(ring: Int32Array, ro: number, n: number, pos: number, src: Int32Array, so: number, stride: number, count: number): number {
  let p = pos;
  let s = so;
  for (let i = 0; i < count; i++) {
    ring[ro + p] = src[s];
    s += stride;
    p++;
    if (p === n) p = 0;
  }
  return p;
}

/** floor(v / 2^k) rounded half up for an integer-valued v, k ≥ 1: floor((v + 2^(k−1)) / 2^k). */
function shr(v: number, k: number): number {
  return Math.floor((v + POW2[k - 1]) / POW2[k]);
}

function winStatsTS(ring: Int32Array, ro: number, n: number, pos: number, bits: number, re: Int32Array, im: Int32Array, out: Int32Array): void {
  let sum = 0;
  let mn = ring[ro];
  let mx = ring[ro];
  for (let i = 0; i < n; i++) {
    const v = ring[ro + i];
    sum += v;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  const mean = floorDiv(2 * sum + n, 2 * n);
  let dmax = mx - mean > mean - mn ? mx - mean : mean - mn;
  let b = 0;
  if (dmax > 0) {
    while (dmax >= 8388608) {
      dmax = Math.floor(dmax / 2);
      b++;
    }
    while (dmax < 4194304) {
      dmax *= 2;
      b--;
    }
  }
  let zc = 0;
  let prev = false;
  let s1 = 0; // Σ s, s = round(re / 2^13)²  (< 2^32)
  let s2 = 0; // Σ s²  (< 2^52)
  let hi = 0; // Σ re² as hi·2^32 + lo
  let lo = 0;
  for (let i = 0; i < n; i++) {
    const k = pos + i < n ? pos + i : pos + i - n; // time order
    const d = ring[ro + k] - mean;
    const r = b > 0 ? shr(d, b) : b < 0 ? d * POW2[-b] : d;
    re[k] = r;
    im[k] = 0;
    const p = d >= 0;
    if (i > 0 && p !== prev) zc++;
    prev = p;
    lo += r * r; // < 2^46 each
    if (lo >= TWO52) {
      const c = Math.floor(lo / TWO32);
      hi += c;
      lo -= c * TWO32;
    }
    const q = shr(r, 13);
    const sq = q * q;
    s1 += sq;
    s2 += sq * sq;
  }
  out[0] = mean;
  out[1] = mn;
  out[2] = mx;
  out[3] = b;
  out[4] = zc;
  const carry = Math.floor(lo / TWO32); // roundSum takes lo below 2^32
  out[5] = roundSum(hi + carry, lo - carry * TWO32, 16 + bits);
  if (s1 === 0) out[6] = 0;
  else {
    const q1 = floorDiv(s2, s1); // ≤ 2^20
    const k = floorDiv(2 * n * q1 * 65536 + s1, 2 * s1);
    out[6] = k > Q_MAX ? Q_MAX : k;
  }
}

function fftTS(re: Int32Array, im: Int32Array, n: number, bits: number, cos: Int32Array, sin: Int32Array): void {
  for (let i = 0; i < n; i++) {
    let r = 0;
    let v = i;
    for (let b = 0; b < bits; b++) {
      r = r * 2 + (v & 1);
      v >>= 1;
    }
    if (r > i) {
      let t = re[i];
      re[i] = re[r];
      re[r] = t;
      t = im[i];
      im[i] = im[r];
      im[r] = t;
    }
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const stride = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride];
        const wi = -sin[k * stride]; // e^{-2πik/size}
        const a = start + k;
        const b = a + half;
        const tr = mulQ(wr, re[b]) - mulQ(wi, im[b]);
        const ti = mulQ(wr, im[b]) + mulQ(wi, re[b]);
        const ar = re[a];
        const ai = im[a];
        re[a] = Math.floor((ar + tr + 1) / 2);
        im[a] = Math.floor((ai + ti + 1) / 2);
        re[b] = Math.floor((ar - tr + 1) / 2);
        im[b] = Math.floor((ai - ti + 1) / 2);
      }
    }
  }
}

/** round(a·b / 2^16) for |a| ≤ 2^16 (a twiddle) and an int32 b: the product is exact. Saturating as fixed.mul. */
function mulQ(a: number, b: number): number {
  const r = Math.floor((a * b + 32768) / 65536);
  return r > Q_MAX ? Q_MAX : r < Q_MIN ? Q_MIN : r;
}

function centroidTS(re: Int32Array, im: Int32Array, lo: number, hi: number): number {
  let w = 0;
  let s = 0;
  for (let k = lo; k < hi; k++) {
    const a = re[k];
    const b = im[k];
    let p = powerRound(a, b);
    if (p > 1073741824) p = 1073741824; // 2^30: keeps W below 2^53
    s += p;
    w += k * p;
  }
  if (s === 0) return 0;
  while (s >= 2147483648) {
    // keeps 2·r·2^16 below 2^53 (never for FFT outputs: Σp ≤ 2^30 by Parseval)
    w = Math.floor(w / 2);
    s = Math.floor(s / 2);
  }
  const q = floorDiv(w, s);
  const r = w - q * s;
  const f = floorDiv(2 * r * 65536 + s, 2 * s);
  const v = q * 65536 + f;
  return v > Q_MAX ? Q_MAX : v;
}

/** round((a² + b²) / 2^16) exactly for int32 a, b. */
function powerRound(a: number, b: number): number {
  const p = a * a + b * b;
  if (p < TWO52) return Math.floor((p + 32768) / 65536);
  // the high parts: a = ah·2^16 + al
  const ah = a >> 16;
  const al = a & 0xffff;
  const bh = b >> 16;
  const bl = b & 0xffff;
  const top = ah * ah + bh * bh; // units of 2^32
  const mid = 2 * (ah * al + bh * bl); // units of 2^16
  const low = al * al + bl * bl; // units of 1
  return top * 65536 + mid + Math.floor((low + 32768) / 65536);
}

function analyticTS(re: Int32Array, im: Int32Array, n: number, lo: number, hi: number): number {
  let m = 0;
  for (let k = 0; k < n; k++) {
    if (k < lo || k >= hi) {
      re[k] = 0;
      im[k] = 0;
    } else {
      const a = re[k] < 0 ? -re[k] : re[k];
      const b = im[k] < 0 ? -im[k] : im[k];
      if (a > m) m = a;
      if (b > m) m = b;
    }
  }
  if (m === 0) return 0;
  let s = 0;
  while (m >= 8388608) {
    m = Math.floor(m / 2);
    s++;
  }
  while (m < 4194304) {
    m *= 2;
    s--;
  }
  for (let k = lo; k < hi; k++) {
    const a = re[k];
    const b = -im[k];
    re[k] = s > 0 ? shr(a, s) : a * POW2[-s];
    im[k] = s > 0 ? shr(b, s) : b * POW2[-s];
  }
  return s;
}

function magnitudeTS(re: Int32Array, im: Int32Array, n: number, out: Int32Array): void {
  for (let i = 0; i < n; i++) {
    let a = re[i] < 0 ? -re[i] : re[i];
    let b = im[i] < 0 ? -im[i] : im[i];
    // halve both until below 2^26 so that a² + b² is exact (never for FFT outputs, which stay below 2^24)
    let c = 0;
    while (a >= 67108864 || b >= 67108864) {
      a = Math.floor(a / 2);
      b = Math.floor(b / 2);
      c++;
    }
    const v = isqrtRound(a * a + b * b) * POW2[c];
    out[i] = v > Q_MAX ? Q_MAX : v;
  }
}

/** The TypeScript signal kernels (the reference of their C twins). */
export const signalKernelsTS: SignalKernels = { ringWrite: ringWriteTS, winStats: winStatsTS, fft: fftTS, centroid: centroidTS, analytic: analyticTS, magnitude: magnitudeTS };

type Impl = { [name: string]: unknown };

/**
 * Native kernels are found without any change to user code: the XS host and
 * the Moddable target publish them as `globalThis.__microlearnNative`, an
 * Espruino firmware built with jswrap_microlearn.c as the global `Microlearn`.
 */
function findNative(): Impl | null {
  const g: Impl | undefined = typeof globalThis !== 'undefined' ? (globalThis as unknown as Impl) : undefined;
  if (!g) return null;
  const impl = g.__microlearnNative !== undefined ? g.__microlearnNative : g.Microlearn;
  return impl ? (impl as Impl) : null;
}

const found = findNative();

/** Kernel name → label, once useKernels has run (before that, what findNative found); an object, as the holders (see below). */
const state: { installed: { [name: string]: string } | null } = { installed: null };

/**
 * A holder of kernel `name`: the native one if the runtime has it (an older
 * firmware may lack some), else the TypeScript one. useKernels swaps `f`.
 */
function box<F>(name: string, ts: F): { f: F } {
  const fn = found ? found[name] : undefined;
  return { f: typeof fn === 'function' ? (fn as unknown as F) : ts };
}

// One export per kernel, not an object of all of them: a bundle then carries
// only the kernels its algorithms call (an Espruino block budget counts every
// function); PURE lets a bundler drop the unused ones. Each export is a
// holder object whose `f` useKernels() swaps: a Moddable app that preloads
// the library has its module bindings frozen (reassigning an exported `let`
// throws "set dot: const"), while objects stay writable. Callers call `f`
// themselves: a wrapper function per kernel cost a call per kernel call
// (about 600 XS host instructions) and 5 Espruino blocks plus one per parameter.
/** The active {@link Kernels.dot}: call `dot.f(…)`. */
export const dot = /*#__PURE__*/ box<Kernels['dot']>('dot', dotTS);
/** The active {@link Kernels.matvec}: call `matvec.f(…)`. */
export const matvec = /*#__PURE__*/ box<Kernels['matvec']>('matvec', matvecTS);
/** The active {@link Kernels.matTvec}: call `matTvec.f(…)`. */
export const matTvec = /*#__PURE__*/ box<Kernels['matTvec']>('matTvec', matTvecTS);
/** The active {@link Kernels.axpy}: call `axpy.f(…)`. */
export const axpy = /*#__PURE__*/ box<Kernels['axpy']>('axpy', axpyTS);
/** The active {@link Kernels.axpyWide}: call `axpyWide.f(…)`. */
export const axpyWide = /*#__PURE__*/ box<Kernels['axpyWide']>('axpyWide', axpyWideTS);
/** The active {@link Kernels.gerWide}: call `gerWide.f(…)`. */
export const gerWide = /*#__PURE__*/ box<Kernels['gerWide']>('gerWide', gerWideTS);
/** The active {@link Kernels.scale}: call `scale.f(…)`. */
export const scale = /*#__PURE__*/ box<Kernels['scale']>('scale', scaleTS);
/** The active {@link Kernels.sqdist}: call `sqdist.f(…)`. */
export const sqdist = /*#__PURE__*/ box<Kernels['sqdist']>('sqdist', sqdistTS);
/** The active {@link Kernels.sqdistMany}: call `sqdistMany.f(…)`. */
export const sqdistMany = /*#__PURE__*/ box<Kernels['sqdistMany']>('sqdistMany', sqdistManyTS);
/** The active {@link Kernels.welford}: call `welford.f(…)`. */
export const welford = /*#__PURE__*/ box<Kernels['welford']>('welford', welfordTS);
/** The active {@link Kernels.argmin}: call `argmin.f(…)`. */
export const argmin = /*#__PURE__*/ box<Kernels['argmin']>('argmin', argminTS);
/** The active {@link Kernels.argmax}: call `argmax.f(…)`. */
export const argmax = /*#__PURE__*/ box<Kernels['argmax']>('argmax', argmaxTS);
/** The active {@link Kernels.toQ}: call `toQ.f(…)`. */
export const toQ = /*#__PURE__*/ box<Kernels['toQ']>('toQ', toQTS);
/** The active {@link Kernels.sgdLinear}: call `sgdLinear.f(…)`. */
export const sgdLinear = /*#__PURE__*/ box<Kernels['sgdLinear']>('sgdLinear', sgdLinearTS);
/** The active {@link Kernels.gerAdam}: call `gerAdam.f(…)`. */
export const gerAdam = /*#__PURE__*/ box<Kernels['gerAdam']>('gerAdam', gerAdamTS);
/** The active {@link Kernels.toRaw}: call `toRaw.f(…)`. */
export const toRaw = /*#__PURE__*/ box<Kernels['toRaw']>('toRaw', toRawTS);
/** The active {@link Kernels.kmeansLearn}: call `kmeansLearn.f(…)`. */
export const kmeansLearn = /*#__PURE__*/ box<Kernels['kmeansLearn']>('kmeansLearn', kmeansLearnTS);
/** The active {@link Kernels.sgdLinearReal}: call `sgdLinearReal.f(…)`. */
export const sgdLinearReal = /*#__PURE__*/ box<Kernels['sgdLinearReal']>('sgdLinearReal', sgdLinearRealTS);
/** The active {@link Kernels.denseForward}: call `denseForward.f(…)`. */
export const denseForward = /*#__PURE__*/ box<Kernels['denseForward']>('denseForward', denseForwardTS);
/** The active {@link Kernels.denseBackward}: call `denseBackward.f(…)`. */
export const denseBackward = /*#__PURE__*/ box<Kernels['denseBackward']>('denseBackward', denseBackwardTS);
/** The active {@link Kernels.kmeansNearest}: call `kmeansNearest.f(…)`. */
export const kmeansNearest = /*#__PURE__*/ box<Kernels['kmeansNearest']>('kmeansNearest', kmeansNearestTS);
/** The active {@link SignalKernels.ringWrite}: call `ringWrite.f(…)`. */
export const ringWrite = /*#__PURE__*/ box<SignalKernels['ringWrite']>('ringWrite', ringWriteTS);
/** The active {@link SignalKernels.winStats}: call `winStats.f(…)`. */
export const winStats = /*#__PURE__*/ box<SignalKernels['winStats']>('winStats', winStatsTS);
/** The active {@link SignalKernels.fft}: call `fft.f(…)`. */
export const fft = /*#__PURE__*/ box<SignalKernels['fft']>('fft', fftTS);
/** The active {@link SignalKernels.centroid}: call `centroid.f(…)`. */
export const centroid = /*#__PURE__*/ box<SignalKernels['centroid']>('centroid', centroidTS);
/** The active {@link SignalKernels.analytic}: call `analytic.f(…)`. */
export const analytic = /*#__PURE__*/ box<SignalKernels['analytic']>('analytic', analyticTS);
/** The active {@link SignalKernels.magnitude}: call `magnitude.f(…)`. */
export const magnitude = /*#__PURE__*/ box<SignalKernels['magnitude']>('magnitude', magnitudeTS);

/**
 * Installs the functions of `impl` that exist (a partial set is fine: an older
 * firmware may lack some kernels, and those keep the TypeScript version).
 * `impl === null` restores the TypeScript reference for every kernel.
 * The signal kernels are included.
 */
export function useKernels(impl: Impl | null, label?: string): void {
  const src: { [name: string]: string } = {};
  function get<F>(name: string, ts: F): F {
    const fn = impl === null ? undefined : impl[name];
    if (typeof fn !== 'function') {
      src[name] = 'ts';
      return ts;
    }
    src[name] = label === undefined ? 'native' : label;
    return fn as unknown as F;
  }
  dot.f = get('dot', dotTS);
  matvec.f = get('matvec', matvecTS);
  matTvec.f = get('matTvec', matTvecTS);
  axpy.f = get('axpy', axpyTS);
  axpyWide.f = get('axpyWide', axpyWideTS);
  gerWide.f = get('gerWide', gerWideTS);
  scale.f = get('scale', scaleTS);
  sqdist.f = get('sqdist', sqdistTS);
  sqdistMany.f = get('sqdistMany', sqdistManyTS);
  welford.f = get('welford', welfordTS);
  argmin.f = get('argmin', argminTS);
  argmax.f = get('argmax', argmaxTS);
  toQ.f = get('toQ', toQTS);
  sgdLinear.f = get('sgdLinear', sgdLinearTS);
  gerAdam.f = get('gerAdam', gerAdamTS);
  toRaw.f = get('toRaw', toRawTS);
  kmeansLearn.f = get('kmeansLearn', kmeansLearnTS);
  sgdLinearReal.f = get('sgdLinearReal', sgdLinearRealTS);
  denseForward.f = get('denseForward', denseForwardTS);
  denseBackward.f = get('denseBackward', denseBackwardTS);
  kmeansNearest.f = get('kmeansNearest', kmeansNearestTS);
  ringWrite.f = get('ringWrite', ringWriteTS);
  winStats.f = get('winStats', winStatsTS);
  fft.f = get('fft', fftTS);
  centroid.f = get('centroid', centroidTS);
  analytic.f = get('analytic', analyticTS);
  magnitude.f = get('magnitude', magnitudeTS);
  state.installed = src;
}

/** The kernels in use, as one object (a snapshot: call again after useKernels). */
export function activeKernels(): Kernels {
  return { dot: dot.f, matvec: matvec.f, matTvec: matTvec.f, axpy: axpy.f, axpyWide: axpyWide.f, gerWide: gerWide.f, scale: scale.f, sqdist: sqdist.f, sqdistMany: sqdistMany.f, welford: welford.f, argmin: argmin.f, argmax: argmax.f, toQ: toQ.f, sgdLinear: sgdLinear.f, gerAdam: gerAdam.f, toRaw: toRaw.f, kmeansLearn: kmeansLearn.f, sgdLinearReal: sgdLinearReal.f, denseForward: denseForward.f, denseBackward: denseBackward.f, kmeansNearest: kmeansNearest.f };
}

/** The signal kernels in use, as one object (a snapshot). */
export function activeSignalKernels(): SignalKernels {
  return { ringWrite: ringWrite.f, winStats: winStats.f, fft: fft.f, centroid: centroid.f, analytic: analytic.f, magnitude: magnitude.f };
}

function sourceOf(name: string): string {
  const installed = state.installed;
  if (installed) return installed[name];
  return found && typeof found[name] === 'function' ? 'native' : 'ts';
}

function backendOf(list: string[]): 'native' | 'ts' | 'partial' {
  let nNative = 0;
  for (let i = 0; i < list.length; i++) if (sourceOf(list[i]) !== 'ts') nNative++;
  return nNative === 0 ? 'ts' : nNative === list.length ? 'native' : 'partial';
}

/**
 * Which kernels are active: 'native' when every kernel is native, 'ts' when
 * none is, 'partial' otherwise ({@link backendDetail} says which).
 */
export function backend(): 'native' | 'ts' | 'partial' {
  return backendOf(kernelNames());
}

/** Which signal kernels are active: 'native', 'ts' or 'partial'. */
export function signalBackend(): 'native' | 'ts' | 'partial' {
  return backendOf(signalKernelNames());
}

/** Kernel name → 'ts' or the label of the native implementation in use (signal kernels included). */
export function backendDetail(): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  const all = kernelNames().concat(signalKernelNames());
  for (let i = 0; i < all.length; i++) out[all[i]] = sourceOf(all[i]);
  return out;
}
