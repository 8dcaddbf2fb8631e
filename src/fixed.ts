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
export const Q_MIN = -2147483647 - 1; // not the literal −2147483648, which XS and Espruino hold as a double

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
 * Real number → Q16.16: x·65536 rounded half up, saturating; computed as
 * floor(x·65536 + 2^31 + ½) − 2^31 in IEEE doubles, exactly as the input
 * kernel `toQ` converts feature vectors (see docs/fixed-point.md).
 * NaN and ±Infinity throw `E_INPUT`.
 */
export function toQ(x: number): number {
  if (x !== x || x === Infinity || x === -Infinity) fail('E_INPUT', 'not a finite number: ' + x);
  const t = x * 65536 + 2147483648.5;
  if (t >= 4294967296) return Q_MAX;
  if (t < 0) return Q_MIN;
  return (t | 0) ^ (1 << 31); // an int32, not a double: ToInt32 wraps t ≥ 2^31, flipping bit 31 removes the offset
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

/**
 * σ on [0, 14) as 56 cubics, one per quarter, coefficients in Q28 (generated
 * and checked by bench/gen-sigmoid-table.mjs; test/fixed.test.ts re-checks
 * every input). A table and int32 Horner steps instead of exp and a division:
 * no double arithmetic, and a tenth of the work on XS.
 */
// 56 segments; max error sigmoid 0.5100 LSB, tanh 0.5216 LSB
/** @internal */
export const SIGMOID_T = new Int32Array([
  134217720, 16777482, -1217, -85892, 150908078, 16518649, -261017, -75586,
  167090115, 15772098, -489102, -57508, 182315600, 14624077, -661975, -35703,
  196242003, 13195682, -768595, -14286, 208654811, 11617877, -810449, 3708,
  219465956, 10009738, -798153, 16779, 228694327, 8464773, -746736, 24791,
  236437161, 7046140, -671511, 28486, 242840280, 5788641, -585464, 28975,
  248072435, 4704444, -498182, 27376, 252306075, 3789866, -415879, 24614,
  255704677, 3031547, -341986, 21365, 258415602, 2411260, -277916, 18074,
  260567020, 1909265, -223762, 14998, 262267520, 1506393, -178854, 12265,
  263607324, 1185187, -142147, 9920, 264660283, 930407, -112470, 7954,
  265486174, 729127, -88680, 6337, 266132957, 570613, -69733, 5023,
  266638859, 446083, -54717, 3966, 267034191, 348440, -42864, 3121,
  267342888, 271992, -33535, 2451, 267583796, 212210, -26210, 1921,
  267771717, 165501, -20469, 1504, 267918253, 129033, -15976, 1176,
  268032486, 100577, -12463, 918, 268121518, 78381, -9719, 717,
  268190898, 61075, -7577, 559, 268244956, 47584, -5905, 436,
  268287071, 37070, -4602, 340, 268319879, 28878, -3586, 265,
  268345436, 22494, -2794, 207, 268365343, 17521, -2176, 161,
  268380849, 13647, -1695, 125, 268392926, 10629, -1321, 98,
  268402333, 8279, -1029, 76, 268409659, 6448, -801, 59,
  268415365, 5022, -624, 46, 268419809, 3911, -486, 36,
  268423270, 3046, -379, 28, 268425965, 2372, -295, 22,
  268428064, 1848, -230, 17, 268429699, 1439, -179, 13,
  268430973, 1121, -139, 10, 268431964, 873, -108, 8,
  268432737, 680, -84, 6, 268433338, 529, -66, 5,
  268433807, 412, -51, 4, 268434172, 321, -40, 3,
  268434456, 250, -31, 2, 268434677, 195, -24, 2,
  268434849, 152, -19, 1, 268434983, 118, -15, 1,
  268435088, 92, -11, 1, 268435169, 72, -9, 1,
]);

/** σ(x)·2^28 for 0 ≤ x < 14 (Q16.16), int32 arithmetic only: t·acc is split in 15-bit halves so no product exceeds 2^31. */
function sigmoid28(x: number): number {
  const o = (x >> 14) << 2;
  const t = (x & 16383) << 1; // position in the quarter, Q15
  const T = SIGMOID_T;
  let acc = T[o + 3];
  acc = T[o + 2] + (acc >> 15) * t + (((acc & 32767) * t) >> 15);
  acc = T[o + 1] + (acc >> 15) * t + (((acc & 32767) * t) >> 15);
  return T[o] + (acc >> 15) * t + (((acc & 32767) * t) >> 15);
}

/** Logistic sigmoid 1/(1+e^-x), Q16.16 (max error 0.51 LSB); exactly symmetric: σ(-x) = 1 − σ(x). */
export function sigmoid(x: number): number {
  const ax = x < 0 ? -x : x;
  const s = ax >= 786432 ? Q_ONE : (sigmoid28(ax) + 2048) >> 12; // from 12 on σ rounds to 1
  return x < 0 ? Q_ONE - s : s;
}

/** Hyperbolic tangent as 2σ(2x) − 1, Q16.16 (max error 0.53 LSB); exactly odd: tanh(-x) = −tanh(x). */
export function tanh(x: number): number {
  const ax = x < 0 ? -x : x;
  const t = ax >= 458752 ? Q_ONE : (2 * sigmoid28(2 * ax) - 268435456 + 2048) >> 12; // from 7 on tanh rounds to 1
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
