/**
 * WindowFeatures: per-window summary features of raw sensor samples (the
 * usual front end of vibration and condition monitoring), in fixed point,
 * with no allocation per sample.
 *
 * A ring buffer keeps the last `windowSize` samples of each channel. For each
 * channel the features are, in this order:
 *
 *   mean, RMS, standard deviation, peak (max |x|), peak-to-peak (max − min),
 *   crest factor (peak / RMS), zero-crossing rate (of x − mean), and
 *   `nBands` band amplitudes from a radix-2 fixed-point FFT.
 *
 * Band b covers an equal share of the frequency bins 1 .. windowSize/2 and is
 * reported as the root of its energy (so in the signal's unit, like the
 * standard deviation); by Parseval the squares of all bands add up to the
 * variance. The exact arithmetic is in docs/algorithms.md ("WindowFeatures").
 */
import { fail } from './errors.js';
import { Q_MAX, POW2, div, floorDiv, fromQ, isqrtRound, mul } from './fixed.js';
import { ByteReader, ByteWriter, ModelType } from './format.js';
import { K } from './kernels.js';
import { TransformerBase, checkOptions, checkVectorQ, mutable, optInt } from './learner.js';

/** Options of {@link WindowFeatures}. */
export interface WindowFeaturesOptions {
  /** Number of channels per sample (e.g. 3 for an accelerometer), 1..64 (default 1). */
  nFeatures?: number;
  /** Samples per window: a power of two, 4..4096. */
  windowSize: number;
  /** Number of FFT band amplitudes per channel, 0..16 (default 4; at most windowSize/2). */
  nBands?: number;
  /**
   * Which time-domain features to output, a subset of {@link FEATURE_NAMES}
   * (default all seven, in that order whatever the order given).
   */
  features?: WindowFeatureName[];
}

/** Names of the time-domain features, in output order. */
export const FEATURE_NAMES = ['mean', 'rms', 'std', 'peak', 'p2p', 'crest', 'zcr'];
/** A time-domain feature of {@link WindowFeatures}. */
export type WindowFeatureName = 'mean' | 'rms' | 'std' | 'peak' | 'p2p' | 'crest' | 'zcr';

/** Features per channel before the bands: mean, rms, std, peak, p2p, crest, zcr. */
export const TIME_FEATURES = 7;
const MAX_CHANNELS = 64;

// ---- twiddle factors without Math.sin (it differs across engines) ----------

/** 2^24: internal precision of the sine series. */
const F = 16777216;
/** 2π · 2^40, rounded. */
const TWO_PI_40 = 6908435304715;

/** floor((2a + d) / 2d): a / d rounded half up (integer-valued a, d > 0, |a| < 2^51). */
function rdiv(a: number, d: number): number {
  return floorDiv(2 * a + d, 2 * d);
}

/**
 * sin and cos of x (Q8.24, 0 ≤ x ≤ π/4) into out[0], out[1] (Q8.24), by
 * Horner-form Taylor series to x^9 and x^10 (truncation < 2e-9).
 */
function sinCos24(x: number, out: Float64Array): void {
  const x2 = rdiv(x * x, F);
  // sin x = x(1 − x²/6(1 − x²/20(1 − x²/42(1 − x²/72))))
  let s = F - rdiv(x2, 72);
  s = F - rdiv(x2 * s, 42 * F);
  s = F - rdiv(x2 * s, 20 * F);
  s = F - rdiv(x2 * s, 6 * F);
  out[0] = rdiv(x * s, F);
  // cos x = 1 − x²/2(1 − x²/12(1 − x²/30(1 − x²/56(1 − x²/90))))
  let c = F - rdiv(x2, 90);
  c = F - rdiv(x2 * c, 56 * F);
  c = F - rdiv(x2 * c, 30 * F);
  c = F - rdiv(x2 * c, 12 * F);
  out[1] = F - rdiv(x2 * c, 2 * F);
}

/**
 * Fills cos[k], sin[k] (Q16.16) with cos(2πk/n), sin(2πk/n) for k < n/2,
 * from a series on the first octant and exact symmetries, so every engine
 * gets the same table. n is a power of two ≥ 8.
 * @internal
 */
export function twiddles(n: number, cos: Int32Array, sin: Int32Array): void {
  const sc = new Float64Array(2);
  const q = n / 4;
  const e = n / 8;
  for (let k = 0; k < n / 2; k++) {
    // reduce 2πk/n to an angle j·2π/n in [0, π/4]
    let j = k < q ? k : k - q;
    const swap = j > e;
    if (swap) j = q - j;
    sinCos24(Math.floor((j * TWO_PI_40) / n / 65536 + 0.5), sc); // j·2^40 < 2^53: exact product
    let sv = swap ? sc[1] : sc[0];
    let cv = swap ? sc[0] : sc[1];
    if (k >= q) {
      // θ = π/2 + φ: cos θ = −sin φ, sin θ = cos φ
      const t = sv;
      sv = cv;
      cv = -t;
    }
    cos[k] = Math.floor((cv + 128) / 256);
    sin[k] = Math.floor((sv + 128) / 256);
  }
}

/**
 * In-place radix-2 decimation-in-time FFT of (re, im), length n = 2^bits,
 * halving after every stage so the result is X/n (no overflow for inputs
 * below 2^30). Twiddles from {@link twiddles}.
 * @internal
 */
export function fftQ(re: Int32Array, im: Int32Array, n: number, bits: number, cos: Int32Array, sin: Int32Array): void {
  // bit-reversal permutation
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
        const tr = mul(wr, re[b]) - mul(wi, im[b]);
        const ti = mul(wr, im[b]) + mul(wi, re[b]);
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

/** √(a² + b²) for Q16.16 a, b, rounded, saturating (exact: the operands are scaled below 2^26 first). */
function hypotQ(a: number, b: number): number {
  let aa = a < 0 ? -a : a;
  let bb = b < 0 ? -b : b;
  let c = 0;
  while (aa >= 67108864 || bb >= 67108864) {
    aa = Math.floor(aa / 2);
    bb = Math.floor(bb / 2);
    c++;
  }
  const r = isqrtRound(aa * aa + bb * bb) * POW2[c];
  return r > Q_MAX ? Q_MAX : r;
}

/**
 * Sliding-window features of one or more raw signal channels.
 *
 * Standalone: `push(x)` one sample (one value per channel) at the sensor's
 * rate and call `features()` whenever a feature vector is wanted (e.g. every
 * windowSize/2 samples). In a Pipeline (a transformer with `nOutputs`
 * outputs): `transformOne(x)` first pushes x, then returns the features of
 * the window ending at x; right after `learnOne(x)` (which pushes x, as the
 * Pipeline's learn path does) it does not push x a second time.
 * Until windowSize samples have been pushed, the window is padded with the
 * first sample.
 *
 * @example
 * const wf = new WindowFeatures({ nFeatures: 1, windowSize: 64, nBands: 4 });
 * for (let i = 0; i < 64; i++) wf.push([Math.sin(i / 3)]);
 * wf.features(); // Float64Array(11): mean, rms, std, peak, p2p, crest, zcr, 4 bands
 */
export class WindowFeatures extends TransformerBase {
  static readonly modelType = ModelType.WindowFeatures;
  readonly windowSize: number;
  readonly nBands: number;
  /** Bit i set: time-domain feature FEATURE_NAMES[i] is output. */
  readonly mask: number;
  readonly stateBytes: number;
  /** Samples pushed so far (saturates at 2^32 − 1). */
  readonly count: number;
  /** Ring position of the next sample. */
  readonly pos: number;
  /** 1 right after learnOne: the next transformOne must not push its sample again. */
  readonly pending: number;
  /** @internal ring[c·windowSize + i] */
  readonly ring: Int32Array;
  private readonly bits: number;
  private readonly re: Int32Array;
  private readonly im: Int32Array;
  private readonly cos: Int32Array;
  private readonly sin: Int32Array;
  private readonly bandLo: Int32Array;
  private readonly tmp: Int32Array;
  private readonly perChannel: number;

  constructor(opts: WindowFeaturesOptions) {
    const o = checkOptions(opts);
    const c = optInt(o, 'nFeatures', 1, 1, MAX_CHANNELS);
    const n = optInt(o, 'windowSize', undefined, 4, 4096);
    let bits = 0;
    while (POW2[bits] < n) bits++;
    if (POW2[bits] !== n) fail('E_OPTION', 'option windowSize must be a power of two, got ' + n);
    const nb = optInt(o, 'nBands', n / 2 < 4 ? n / 2 : 4, 0, n / 2 < 16 ? n / 2 : 16);
    let mask = 127;
    const f = o.features;
    if (f !== undefined) {
      if (f === null || typeof f !== 'object' || typeof (f as string[]).length !== 'number') fail('E_OPTION', 'option features must be an array of names');
      mask = 0;
      const names = f as string[];
      for (let i = 0; i < names.length; i++) {
        let k = -1;
        for (let j = 0; j < TIME_FEATURES; j++) if (FEATURE_NAMES[j] === names[i]) k = j;
        if (k < 0) fail('E_OPTION', 'unknown feature ' + names[i] + ' (known: ' + FEATURE_NAMES.join(', ') + ')');
        mask |= 1 << k;
      }
    }
    let nt = 0;
    for (let j = 0; j < TIME_FEATURES; j++) if (mask & (1 << j)) nt++;
    if (nt + nb === 0) fail('E_OPTION', 'no features selected');
    super(c, c * (nt + nb));
    this.windowSize = n;
    this.bits = bits;
    this.nBands = nb;
    this.mask = mask;
    this.perChannel = nt + nb;
    this.tmp = new Int32Array(TIME_FEATURES + nb);
    this.count = 0;
    this.pos = 0;
    this.pending = 0;
    this.ring = new Int32Array(c * n);
    this.re = new Int32Array(n);
    this.im = new Int32Array(n);
    const tw = n >= 8 ? n : 8;
    this.cos = new Int32Array(tw / 2);
    this.sin = new Int32Array(tw / 2);
    twiddles(tw, this.cos, this.sin);
    if (tw !== n) {
      // n = 4: use every other entry of the n = 8 table
      for (let k = 0; k < n / 2; k++) {
        this.cos[k] = this.cos[2 * k];
        this.sin[k] = this.sin[2 * k];
      }
    }
    // band b covers bins bandLo[b] .. bandLo[b+1]−1 of 1 .. n/2
    this.bandLo = new Int32Array(nb + 1);
    for (let b = 0; b <= nb; b++) this.bandLo[b] = 1 + Math.floor((b * (n / 2)) / (nb === 0 ? 1 : nb));
    this.stateBytes = c * n * 4 + 9;
  }

  /** True once windowSize samples have been pushed. */
  ready(): boolean {
    return this.count >= this.windowSize;
  }

  /** Appends one sample (one value per channel). */
  push(x: ArrayLike<number>): void {
    this.pushX(this.readX(x));
  }

  /** Appends one Q16.16 sample. */
  pushQ(x: Int32Array): void {
    this.checkX(x);
    this.pushX(x);
  }

  private pushX(x: Int32Array): void {
    const self = mutable(this);
    const n = this.windowSize;
    if (this.count === 0) {
      // pad the whole window with the first sample
      for (let c = 0; c < this.nFeatures; c++) for (let i = 0; i < n; i++) this.ring[c * n + i] = x[c];
    } else for (let c = 0; c < this.nFeatures; c++) this.ring[c * n + this.pos] = x[c];
    self.pos = this.pos + 1 === n ? 0 : this.pos + 1;
    if (this.count < 4294967295) self.count++;
    self.pending = 0;
  }

  /** Features of the current window as real numbers (the returned array is reused). */
  features(): Float64Array {
    this.featuresQ(this.outQ);
    for (let i = 0; i < this.nOutputs; i++) this.out[i] = fromQ(this.outQ[i]);
    return this.out;
  }

  /** Features of the current window (Q16.16) into out (length nOutputs). */
  featuresQ(out: Int32Array): void {
    if (!(out instanceof Int32Array) || out.length < this.nOutputs) fail('E_INPUT', 'expected an Int32Array of ' + this.nOutputs);
    const t = this.tmp;
    for (let c = 0; c < this.nFeatures; c++) {
      this.channel(c, t, 0);
      let o = c * this.perChannel;
      for (let j = 0; j < TIME_FEATURES; j++) if (this.mask & (1 << j)) out[o++] = t[j];
      for (let j = 0; j < this.nBands; j++) out[o++] = t[TIME_FEATURES + j];
    }
  }

  /** Transformer protocol: pushes x (see the class note on learnOne). */
  protected learnQ(x: Int32Array): void {
    this.pushX(x);
    mutable(this).pending = 1;
  }

  /** Pushes x unless learnOne(x) just did, then writes the window's features into out. */
  protected transformQ(x: Int32Array, out: Int32Array): void {
    if (this.pending === 0) this.pushX(x);
    mutable(this).pending = 0;
    this.featuresQ(out);
  }

  /** The features of channel c into out[o ..]. */
  private channel(c: number, out: Int32Array, o: number): void {
    const n = this.windowSize;
    const ring = this.ring;
    const base = c * n;
    let sum = 0;
    let mn = ring[base];
    let mx = ring[base];
    for (let i = 0; i < n; i++) {
      const v = ring[base + i];
      sum += v;
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    const mean = floorDiv(2 * sum + n, 2 * n); // rounded half up
    // Deviations are scaled by 2^-b (b may be negative) so that the largest
    // lies in [2^22, 2^23): full precision for tiny signals, no overflow for big ones.
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
    const re = this.re;
    const im = this.im;
    let zc = 0;
    let prevPos = false;
    for (let i = 0; i < n; i++) {
      // time order: oldest sample first
      const k = this.pos + i < n ? this.pos + i : this.pos + i - n;
      const d = ring[base + k] - mean;
      re[k] = b >= 0 ? Math.floor((d + (b > 0 ? POW2[b - 1] : 0)) / POW2[b]) : d * POW2[-b];
      im[k] = 0;
      const p = d >= 0;
      if (i > 0 && p !== prevPos) zc++;
      prevPos = p;
    }
    // variance (scaled by 2^-2b): Σ re² / n, with im = 0 as the zero vector
    const varS = K.sqdist(re, 0, im, 0, n, this.bits);
    const std = unscale(isqrtRound(varS * 65536), b);
    const peak = mx > -mn ? mx : -mn;
    const rms = hypotQ(mean, std);
    out[o] = mean;
    out[o + 1] = rms;
    out[o + 2] = std;
    out[o + 3] = peak > Q_MAX ? Q_MAX : peak;
    const p2p = mx - mn;
    out[o + 4] = p2p > Q_MAX ? Q_MAX : p2p;
    out[o + 5] = rms === 0 ? 0 : div(peak > Q_MAX ? Q_MAX : peak, rms);
    out[o + 6] = floorDiv(2 * zc * 65536 + (n - 1), 2 * (n - 1));
    if (this.nBands === 0) return;
    // A circular shift of the window only changes the phases, so the ring is transformed in place order.
    fftQ(re, im, n, this.bits, this.cos, this.sin);
    const half = n / 2;
    for (let j = 0; j < this.nBands; j++) {
      const lo = this.bandLo[j];
      let hi = this.bandLo[j + 1];
      let e = 0;
      // one-sided spectrum: bins 1 .. n/2−1 count twice, the Nyquist bin once
      const top = hi > half ? half : hi;
      if (top > lo) e = 2 * (K.dot(re, lo, re, lo, top - lo) + K.dot(im, lo, im, lo, top - lo));
      if (hi > half) {
        hi = half;
        e += K.dot(re, half, re, half, 1) + K.dot(im, half, im, half, 1);
      }
      out[o + TIME_FEATURES + j] = unscale(isqrtRound((e > Q_MAX ? Q_MAX : e) * 65536), b);
    }
  }

  /**
   * @internal Payload: `u32 nFeatures`, `u32 windowSize`, `u32 nBands`, `u8 feature mask`,
   * `u32 count`, `u32 pos`, `u8 pending`, `i32[nFeatures·windowSize] ring`.
   */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.windowSize);
    w.u32(this.nBands);
    w.u8(this.mask);
    w.u32(this.count);
    w.u32(this.pos);
    w.u8(this.pending);
    w.i32s(this.ring);
  }

  /** @internal */
  static fromReader(r: ByteReader): WindowFeatures {
    const c = r.int(1, MAX_CHANNELS);
    const n = r.int(4, 4096);
    const nb = r.int(0, 16);
    const mask = r.u8();
    if (mask > 127) fail('E_CORRUPT', 'bad WindowFeatures feature mask');
    const names: WindowFeatureName[] = [];
    for (let j = 0; j < TIME_FEATURES; j++) if (mask & (1 << j)) names.push(FEATURE_NAMES[j] as WindowFeatureName);
    r.need(9 + c * n * 4);
    const m = new WindowFeatures({ nFeatures: c, windowSize: n, nBands: nb, features: names });
    const mm = mutable(m);
    mm.count = r.u32();
    mm.pos = r.int(0, n - 1);
    mm.pending = r.u8();
    if (m.pending > 1) fail('E_CORRUPT', 'bad WindowFeatures flag');
    r.i32s(m.ring);
    return m;
  }
}

/** v · 2^b, rounded half up, saturating (b may be negative). */
function unscale(v: number, b: number): number {
  if (b >= 0) {
    const r = v * POW2[b];
    return r > Q_MAX ? Q_MAX : r;
  }
  return Math.floor((v + POW2[-b - 1]) / POW2[-b]);
}
