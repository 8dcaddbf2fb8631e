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
import { POW2, Q_MAX, Q_MIN, floorDiv, isqrtRound } from './fixed.js';

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
}

/** Names of all kernels, in a fixed order (used by backend detection and tests). */
export const KERNEL_NAMES = ['dot', 'matvec', 'matTvec', 'axpy', 'axpyWide', 'gerWide', 'scale', 'sqdist', 'sqdistMany', 'welford', 'argmin', 'argmax'];

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

/** The TypeScript reference kernels. Never modified; tests hold native twins to them. */
export const kernelsTS: Kernels = { dot, matvec, matTvec, axpy, axpyWide, gerWide, scale, sqdist, sqdistMany, welford, argmin, argmax };

/** The kernels in use. Algorithms call through this object. */
export const K: Kernels = {
  dot, matvec, matTvec, axpy, axpyWide, gerWide, scale, sqdist, sqdistMany, welford, argmin, argmax,
};

const source: { [name: string]: string } = {};
/** Installs the signal kernels; set once they exist (below detectNative, which runs first). */
let signalHook: ((impl: { [name: string]: unknown } | null, label?: string) => void) | null = null;

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
  }  if (signalHook !== null) signalHook(impl, label); // the signal kernels (end of file) come from the same native object
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

// ---- signal kernels (raw-signal path of WindowFeatures) --------------------
// The per-sample and per-window loops of condition monitoring: ring buffer,
// window statistics, FFT, spectral centroid, envelope. Kept apart from the
// learning kernels above (their own names list and table) so that a
// firmware may have either set; native twins in native/microlearn_kernels.c.

/** The signal kernels; see {@link KS}. */
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

/** Names of the signal kernels, in a fixed order. */
export const SIGNAL_KERNEL_NAMES = ['ringWrite', 'winStats', 'fft', 'centroid', 'analytic', 'magnitude'];

function ringWrite(ring: Int32Array, ro: number, n: number, pos: number, src: Int32Array, so: number, stride: number, count: number): number {
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

function winStats(ring: Int32Array, ro: number, n: number, pos: number, bits: number, re: Int32Array, im: Int32Array, out: Int32Array): void {
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
  out[5] = roundSum(hi, lo, 16 + bits);
  if (s1 === 0) out[6] = 0;
  else {
    const q1 = floorDiv(s2, s1); // ≤ 2^20
    const k = floorDiv(2 * n * q1 * 65536 + s1, 2 * s1);
    out[6] = k > Q_MAX ? Q_MAX : k;
  }
}

function fft(re: Int32Array, im: Int32Array, n: number, bits: number, cos: Int32Array, sin: Int32Array): void {
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

function centroid(re: Int32Array, im: Int32Array, lo: number, hi: number): number {
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

function analytic(re: Int32Array, im: Int32Array, n: number, lo: number, hi: number): number {
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

function magnitude(re: Int32Array, im: Int32Array, n: number, out: Int32Array): void {
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

/** The TypeScript reference signal kernels. */
export const signalKernelsTS: SignalKernels = { ringWrite, winStats, fft, centroid, analytic, magnitude };

/** The signal kernels in use (native twins when the runtime has them). */
export const KS: SignalKernels = { ringWrite, winStats, fft, centroid, analytic, magnitude };

const signalSource: { [name: string]: string } = {};

/**
 * Installs the signal kernels of `impl` that exist (null: the TypeScript
 * reference for all); {@link useKernels} calls this too.
 */
export function useSignalKernels(impl: { [name: string]: unknown } | null, label?: string): void {
  for (let i = 0; i < SIGNAL_KERNEL_NAMES.length; i++) {
    const name = SIGNAL_KERNEL_NAMES[i];
    const fn = impl === null ? undefined : impl[name];
    const ks = KS as unknown as { [n: string]: unknown };
    if (typeof fn === 'function') {
      ks[name] = fn;
      signalSource[name] = label === undefined ? 'native' : label;
    } else {
      ks[name] = (signalKernelsTS as unknown as { [n: string]: unknown })[name];
      signalSource[name] = 'ts';
    }
  }
}

/** Which signal kernels are active: 'native', 'ts' or 'partial'. */
export function signalBackend(): 'native' | 'ts' | 'partial' {
  let nNative = 0;
  for (let i = 0; i < SIGNAL_KERNEL_NAMES.length; i++) if (signalSource[SIGNAL_KERNEL_NAMES[i]] !== 'ts') nNative++;
  return nNative === 0 ? 'ts' : nNative === SIGNAL_KERNEL_NAMES.length ? 'native' : 'partial';
}

signalHook = useSignalKernels;
(function () {
  const g: { [k: string]: unknown } | undefined =
    typeof globalThis !== 'undefined' ? (globalThis as unknown as { [k: string]: unknown }) : undefined;
  let impl: unknown = g ? g.__microlearnNative : undefined;
  if (impl === undefined && g && typeof g.Microlearn !== 'undefined') impl = g.Microlearn;
  useSignalKernels(impl ? (impl as { [name: string]: unknown }) : null);
})();
