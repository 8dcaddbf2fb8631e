/**
 * Q16.16 fixed-point arithmetic, exactly as specified in docs/fixed-point.md.
 *
 * A value is an int32 `q` meaning `q / 65536`. Every function here returns
 * the same bits on every engine: intermediate values are integers held in
 * doubles and kept below 2^53, so no step ever rounds; only IEEE-754 basic
 * operations (+ - * / and Math.floor) are used, never Math.exp/log/pow,
 * Math.imul or BigInt (Espruino lacks or approximates them).
 */
import { fail } from './errors.js';

/** 1.0 in Q16.16. */
export const Q_ONE = 65536;
/** Largest Q16.16 value (32767.99998…). */
export const Q_MAX = 2147483647;
/** Smallest Q16.16 value (-32768). */
export const Q_MIN = -2147483648;

/** POW2[k] = 2^k for k = 0..63, exact; Math.pow is not exact on every engine. */
export const POW2 = new Float64Array(64);
(function () {
  let v = 1;
  for (let k = 0; k < 64; k++) {
    POW2[k] = v;
    v *= 2;
  }
})();

const TWO52 = 4503599627370496;

/** Clamps an integer-valued double to the int32 range (saturation). */
export function sat(v: number): number {
  return v > Q_MAX ? Q_MAX : v < Q_MIN ? Q_MIN : v;
}

/**
 * Real number → Q16.16: x·65536 rounded half up (exactly), saturating.
 * NaN and ±Infinity throw `E_INPUT`.
 */
export function toQ(x: number): number {
  if (x !== x || x === Infinity || x === -Infinity) fail('E_INPUT', 'not a finite number: ' + x);
  const y = x * 65536; // exact (power of two)
  let q = Math.floor(y);
  // y − q ≥ 0.5 is decided exactly, so this rounds y itself half up;
  // Math.floor(y + 0.5) would round 0.49999999999999994 up to 1.
  if (y - q >= 0.5) q += 1;
  return sat(q) | 0; // | 0 turns -0 into 0
}

/** Q16.16 → real number (exact). */
export function fromQ(q: number): number {
  return q / 65536;
}

/**
 * Exact floor(n / d) for integer-valued doubles with d > 0 and |n| < 2^53.
 * The IEEE quotient is correctly rounded, so its floor can be off by one near
 * an integer; the remainder check repairs that.
 */
export function floorDiv(n: number, d: number): number {
  let q = Math.floor(n / d);
  const r = n - q * d;
  if (r < 0) q -= 1;
  else if (r >= d) q += 1;
  return q;
}

/** a + b, saturating. */
export function add(a: number, b: number): number {
  return sat(a + b);
}

/** a - b, saturating. */
export function sub(a: number, b: number): number {
  return sat(a - b);
}

/**
 * a · b: the exact 64-bit product, rounded half up to Q16.16, saturating.
 * Products below 2^52 are exact doubles; larger ones are split in 16-bit
 * halves so that every partial product stays exact.
 */
export function mul(a: number, b: number): number {
  const p = a * b;
  if (p < TWO52 && p > -TWO52) return sat(Math.floor((p + 32768) / 65536));
  const ah = a >> 16;
  const al = a & 0xffff;
  const bh = b >> 16;
  const bl = b & 0xffff;
  return sat(ah * bh * 65536 + (ah * bl + al * bh) + Math.floor((al * bl + 32768) / 65536));
}

/**
 * a / b rounded half up, saturating. Division by zero saturates toward the
 * sign of a (0 / 0 is 0).
 */
export function div(a: number, b: number): number {
  if (b === 0) return a > 0 ? Q_MAX : a < 0 ? Q_MIN : 0;
  let n = a * 131072; // 2·a·2^16
  let d = b * 2;
  if (d < 0) {
    n = -n;
    d = -d;
  }
  return sat(floorDiv(n + d / 2, d)); // floor((2a·2^16 + b) / 2b): round half up
}

/** Integer square root of a non-negative integer-valued double n < 2^53, rounded to nearest. */
export function isqrtRound(n: number): number {
  let r = Math.floor(Math.sqrt(n));
  // Math.sqrt is exact on IEEE engines, but the fix-ups make the result independent of that.
  while (r * r > n) r -= 1;
  while ((r + 1) * (r + 1) <= n) r += 1;
  return n - r * r > r ? r + 1 : r;
}

/** √a rounded to nearest; a ≤ 0 gives 0. Max error 0.5 LSB. */
export function sqrt(a: number): number {
  if (a <= 0) return 0;
  return isqrtRound(a * 65536);
}

// ---- transcendental functions, computed in Q8.24 internally -------------

/** 2^24: internal precision of exp/log. */
const F = 16777216;
/** ln 2 · 2^24, rounded. */
const LN2_F = 11629080;
/** Taylor coefficients 2^24 / i!, i = 0..10, rounded. */
const EXP_C = new Int32Array([16777216, 16777216, 8388608, 2796203, 699051, 139810, 23302, 3329, 416, 46, 5]);
/** 2^24 / (2i+1), i = 0..9, rounded (atanh series for log). */
const LOG_C = new Int32Array([16777216, 5592405, 3355443, 2396745, 1864135, 1525201, 1290555, 1118481, 986895, 883011]);

/** floor(v / 2^24 + 1/2) for an integer-valued double v, |v| < 2^52. */
function roundF(v: number): number {
  return Math.floor((v + 8388608) / F);
}

/**
 * e^x for x in Q16.16, returned in units of 2^-24 (an integer-valued double,
 * not saturated). Range reduction x = k·ln2 + r with 0 ≤ r < ln2, then a
 * degree-10 Taylor polynomial in Q8.24.
 */
export function exp24(x: number): number {
  if (x > 720896) return TWO52; // x > 11: beyond every Q16.16 use, caller saturates
  if (x < -2097152) return 0; // x < -32: below 2^-46
  const xs = x * 256; // Q8.24
  const k = floorDiv(xs, LN2_F);
  const r = xs - k * LN2_F;
  let p = EXP_C[10];
  for (let i = 9; i >= 0; i--) p = EXP_C[i] + roundF(p * r);
  if (k >= 0) return p * POW2[k];
  const s = -k;
  return Math.floor((p + POW2[s - 1]) / POW2[s]);
}

/** e^x, Q16.16 in and out, saturating. */
export function exp(x: number): number {
  return sat(Math.floor((exp24(x) + 128) / 256));
}

/**
 * ln(a) for a > 0, Q16.16 in and out. a ≤ 0 gives Q_MIN (−∞ saturated).
 * a = m·2^b with 1 ≤ m < 2; ln m = 2·atanh((m−1)/(m+1)) as a series in Q8.24.
 */
export function log(a: number): number {
  if (a <= 0) return Q_MIN;
  let b = 0;
  while (POW2[b + 1] <= a) b++;
  // m in Q8.24: a · 2^(24-b), rounded when b > 24
  const m = b <= 24 ? a * POW2[24 - b] : Math.floor((a + POW2[b - 25]) / POW2[b - 24]);
  const d = m + F;
  const s = floorDiv(2 * (m - F) * F + d, 2 * d); // (m-1)/(m+1) in Q8.24
  const z = roundF(s * s);
  let p = LOG_C[9];
  for (let i = 8; i >= 0; i--) p = LOG_C[i] + roundF(p * z);
  const lnm = roundF(2 * s * p);
  return sat(Math.floor(((b - 16) * LN2_F + lnm + 128) / 256));
}

/** Logistic sigmoid 1/(1+e^-x), Q16.16; exactly symmetric: σ(-x) = 1 − σ(x). */
export function sigmoid(x: number): number {
  const ax = x < 0 ? -x : x;
  const d = F + exp24(-ax);
  const s = floorDiv(2 * 1099511627776 + d, 2 * d); // round(2^40 / d)
  return x < 0 ? Q_ONE - s : s;
}

/** Hyperbolic tangent, Q16.16; exactly odd: tanh(-x) = −tanh(x). */
export function tanh(x: number): number {
  const ax = x < 0 ? -x : x;
  let t: number;
  if (ax > 1048576) t = Q_ONE; // |x| > 16: tanh = 1 − 2.5e-14
  else {
    const e = exp24(-2 * ax);
    const d = F + e;
    t = floorDiv(2 * 65536 * (F - e) + d, 2 * d);
  }
  return x < 0 ? -t : t;
}

/**
 * Probabilities from scores: out[c] = round(2^16 · e^(s[c]−max) / Σ e^(s[j]−max)).
 * `s` holds Q16.16 values (integers; a Float64Array may hold sums beyond int32);
 * entries with `mask[c] === 0` get probability 0 (pass null for none). If every
 * entry is masked, every class gets round(2^16 / n).
 * e^x is {@link exp24} (2^-24 units), so classes far below the best get exactly 0.
 */
export function softmaxQ(s: ArrayLike<number>, n: number, mask: Uint8Array | null, out: Int32Array): Int32Array {
  let m = 0;
  let any = false;
  for (let c = 0; c < n; c++) {
    if (mask !== null && mask[c] === 0) continue;
    if (!any || s[c] > m) m = s[c];
    any = true;
  }
  if (!any) {
    const u = floorDiv(2 * Q_ONE + n, 2 * n);
    for (let c = 0; c < n; c++) out[c] = u;
    return out;
  }
  let sum = 0;
  for (let c = 0; c < n; c++) {
    const d = s[c] - m; // ≤ 0, possibly beyond int32: below −32 (Q16.16) e^d is 0 in 2^-24 units
    const e = (mask !== null && mask[c] === 0) || d < -2097152 ? 0 : exp24(d);
    out[c] = e; // ≤ 2^24, held in out until the sum is known
    sum += e;
  }
  for (let c = 0; c < n; c++) out[c] = floorDiv(2 * out[c] * Q_ONE + sum, 2 * sum);
  return out;
}
