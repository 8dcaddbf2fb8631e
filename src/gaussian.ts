/**
 * Gaussian log-likelihoods in fixed point, shared by GaussianNB and the
 * Hoeffding tree's naive Bayes leaves: variances as a 26-bit mantissa and a
 * power of two, so neither a variance of 1e-6 nor one of 1e9 loses precision.
 * A module of its own so that a bundle with only the tree does not carry
 * GaussianNB.
 */
import { fail } from './errors.js';
import { POW2, Q_MAX, Q_MIN, floorDiv, isqrtRound, log } from './fixed.js';

/** ln 2 · 2^24, rounded (k·ln 2 is rounded to Q16.16 from this). */
const LN2_F = 11629080;
const TWO32 = 4294967296;

/** k·ln 2 in Q16.16, rounded half up (|k| < 2^20). */
function kLn2(k: number): number {
  return Math.floor((k * LN2_F + 128) / 256);
}

/** floor(log2 v) for an integer 1 ≤ v < 2^53. */
function bitLen(v: number): number {
  let b = 0;
  if (v >= TWO32) {
    b = 32;
    v = Math.floor(v / TWO32);
  }
  if (v >= 65536) {
    b += 16;
    v = Math.floor(v / 65536);
  }
  if (v >= 256) {
    b += 8;
    v = Math.floor(v / 256);
  }
  if (v >= 16) {
    b += 4;
    v = Math.floor(v / 16);
  }
  if (v >= 4) {
    b += 2;
    v = Math.floor(v / 4);
  }
  return v >= 2 ? b + 1 : b;
}

/** Exponent of the last {@link normalize} call. */
let normE = 0;

/**
 * A non-negative integer V = hi·2^32 + lo (hi < 2^33, lo < 2^32) as a 26-bit
 * mantissa m in [2^25, 2^26) with V ≈ m·2^normE (truncated: relative error
 * < 2^-25, exact when normE ≤ 0). Returns 0 for V = 0.
 */
function normalize(hi: number, lo: number): number {
  if (hi === 0) {
    if (lo === 0) {
      normE = 0;
      return 0;
    }
    const e = bitLen(lo) - 25;
    normE = e;
    return e >= 0 ? Math.floor(lo / POW2[e]) : lo * POW2[-e];
  }
  const e = bitLen(hi) + 7; // the top bit of V is 32 + bitLen(hi); move it to bit 25
  normE = e;
  if (e <= 32) return hi * POW2[32 - e] + Math.floor(lo / POW2[e]);
  return Math.floor(hi / POW2[e - 32]);
}

/**
 * ln of a positive count or weight w (an integer-valued double < 2^53, in
 * units of 2^-u), Q16.16: ln(m·2^(e−u)) with w = m·2^e normalised.
 */
export function lnUnits(w: number, u: number): number {
  if (w <= 0) return Q_MIN;
  const m = normalize(Math.floor(w / TWO32), w - Math.floor(w / TWO32) * TWO32);
  return log(m) + kLn2(normE + 16 - u); // log(m) is ln(m·2^-16)
}

/**
 * The variance smoothing of feature i in Q32.32, eps = vs · (gvI + gvF/2^32)
 * with vs in Q16.16, as integer and fraction parts (epsI[i], epsF[i]); exact
 * (the product is split so every piece stays below 2^53).
 */
export function smoothingFromVar(vs: number, gvI: Int32Array, gvF: Uint32Array, n: number, epsI: Float64Array, epsF: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const h = gvI[i] * vs; // units of 2^-16 of the integer part: h·2^16 / 2^32
    const hh = Math.floor(h / 65536);
    let f = (h - hh * 65536) * 65536 + Math.floor((gvF[i] * vs + 32768) / 65536);
    let hi = hh;
    if (f >= TWO32) {
      const c = Math.floor(f / TWO32);
      hi += c;
      f -= c * TWO32;
    }
    epsI[i] = hi;
    epsF[i] = f;
  }
}

/** Mantissa and exponent of the smoothed variance (set by {@link smoothedVar}). */
let varM = 0;
let varE = 0;

/** Normalises V = (vI + eI)·2^32 + vF + eF (units of 2^-32) into varM·2^varE; V is at least 1 (2^-32). */
function smoothedVar(vI: number, vF: number, eI: number, eF: number): void {
  let hi = vI + eI;
  let lo = vF + eF;
  if (lo >= TWO32) {
    hi += 1;
    lo -= TWO32;
  }
  if (hi === 0 && lo === 0) lo = 1;
  varM = normalize(hi, lo);
  varE = normE;
}

/**
 * round(Δ²/(2V)) in Q16.16, capped at Q_MAX, for a deviation D = Δ·2^32
 * (integer) and the variance in varM·2^varE (units of 2^-32); 24 significant bits.
 */
function halfSquare(d: number): number {
  if (d === 0) return 0;
  const a = d < 0 ? -d : d;
  const dm = normalize(Math.floor(a / TWO32), a - Math.floor(a / TWO32) * TWO32);
  const q = floorDiv(dm * dm, varM); // (2^24, 2^27)
  // Δ²/(2V) in Q16.16 = D²/(2V)·2^-16 = q · 2^(2f − e − 17)
  const k = 2 * normE - varE - 17;
  if (k >= 7) return Q_MAX;
  if (k >= 0) {
    const t = q * POW2[k];
    return t > Q_MAX ? Q_MAX : t;
  }
  if (k < -60) return 0;
  return Math.floor((q + POW2[-k - 1]) / POW2[-k]);
}

/**
 * z = Δ/σ in Q16.16 for the deviation D = Δ·2^32 and the (unsmoothed, at
 * least 2^-32) variance vI + vF/2^32, saturated to ±8 (beyond, Φ is 0 or 1
 * to 1e-15).
 */
export function zScore(d: number, vI: number, vF: number): number {
  if (d === 0) return 0;
  smoothedVar(vI, vF, 0, 0);
  const a = d < 0 ? -d : d;
  const dm = normalize(Math.floor(a / TWO32), a - Math.floor(a / TWO32) * TWO32);
  const q = floorDiv(dm * dm, varM);
  // z² in units of 2^-32 is D²/V = q·2^(2f − e); z in Q16.16 is its square root
  const k = 2 * normE - varE;
  let z: number;
  if (k >= 14) z = 524288; // q·2^k > 2^38: z > 8
  else {
    const z2 = k >= 0 ? q * POW2[k] : k < -60 ? 0 : Math.floor(q / POW2[-k]);
    z = z2 >= 274877906944 ? 524288 : isqrtRound(z2); // z ≥ 8
  }
  return d < 0 ? -z : z;
}

/**
 * Σ_i log N(x_i; μ_i, v_i) without the constant ½·ln 2π, in Q16.16 units (an
 * integer-valued double), for the features of one class stored at offset o:
 * v_i = var_i + eps_i (at least 2^-32), μ_i the Q16.32 mean. Each feature's
 * quadratic term Δ²/(2v) is capped at 32768 nats, so one absurd feature
 * cannot overflow the sum.
 */
export function gaussLogLik(
  mean: Int32Array, meanF: Uint16Array, varI: Int32Array, varF: Uint32Array, o: number, x: ArrayLike<number>, n: number,
  epsI: Float64Array, epsF: Float64Array,
): number {
  let quad = 0;
  let logs = 0;
  for (let i = 0; i < n; i++) {
    const j = o + i;
    smoothedVar(varI[j], varF[j], epsI[i], epsF[i]);
    quad += halfSquare(x[i] * 65536 - (mean[j] * 65536 + meanF[j]));
    logs += log(varM) + kLn2(varE - 16); // ln(varM·2^varE·2^-32)
  }
  return -quad - floorDiv(logs + 1, 2);
}

/** Variances are never negative; a negative one means a corrupt blob. @internal */
export function checkVariances(v: Int32Array): void {
  for (let i = 0; i < v.length; i++) if (v[i] < 0) fail('E_CORRUPT', 'negative variance in model data');
}
