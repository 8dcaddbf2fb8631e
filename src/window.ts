/**
 * WindowFeatures: per-window summary features of raw sensor samples (the
 * usual front end of vibration and condition monitoring), in fixed point,
 * with no allocation per sample.
 *
 * A ring buffer keeps the last `windowSize` samples of each channel. For each
 * channel the features are, in this order: the selected scalar features
 * (mean, RMS, standard deviation, peak (max |x|), peak-to-peak (max − min),
 * crest factor (peak / RMS), zero-crossing rate (of x − mean), kurtosis,
 * spectral centroid), `nBands` equal band amplitudes from a radix-2
 * fixed-point FFT, the amplitudes of the given frequency `bands`, and the
 * envelope-spectrum amplitudes of `envelope.bands`.
 *
 * Bands are reported as the root of their energy (so in the signal's unit,
 * like the standard deviation); by Parseval the squares of all equal bands
 * add up to the variance. The per-window loops run in the signal kernels
 * (`KS` in src/kernels.ts: native C when the runtime has it, the same bits
 * otherwise). The exact arithmetic is in docs/algorithms.md ("WindowFeatures").
 */
import { fail } from './errors.js';
import { Q_MAX, POW2, div, floorDiv, fromQ, isqrtRound } from './fixed.js';
import { ByteReader, ByteWriter, ModelType } from './format.js';
import * as K from './kernels.js';
import { signalKernelsTS } from './kernels.js';
import { TransformerBase, checkOptions, mutable, optInt } from './learner.js';

/** A frequency band [low, high] in Hz. */
export type Band = [number, number];

/** Options of {@link WindowFeatures}. */
export interface WindowFeaturesOptions {
  /** Number of channels per sample (e.g. 3 for an accelerometer), 1..64 (default 1). */
  nFeatures?: number;
  /** Samples per window: a power of two, 4..4096. */
  windowSize: number;
  /** Number of equal FFT band amplitudes per channel, 0..16 (default 4; at most windowSize/2). */
  nBands?: number;
  /**
   * Which scalar features to output, a subset of {@link FEATURE_NAMES}
   * (default the seven time features mean … zcr; output order is always
   * FEATURE_NAMES order, whatever the order given).
   */
  features?: WindowFeatureName[];
  /** Sampling rate in Hz, an integer 1..1000000: needed by `bands` and `envelope`, and makes `centroid` Hz. */
  rate?: number;
  /**
   * Band amplitudes (RMS in the signal's unit) of given frequency ranges
   * [low, high] Hz, up to 16, after the equal bands: e.g. around the
   * running speed and its harmonics.
   */
  bands?: Band[];
  /**
   * Envelope analysis, the classic bearing-fault feature: the signal is
   * band-passed to `band` (a structural resonance the impacts excite, e.g.
   * [2000, 5000] Hz), demodulated (magnitude of the analytic signal), and
   * the amplitudes of the envelope's spectrum in `bands` (e.g. ±3 % around
   * the bearing's BPFO, BPFI, BSF) are output, up to 16.
   */
  envelope?: { band: Band; bands: Band[] };
}

/** Names of the scalar features, in output order. */
export const FEATURE_NAMES = ['mean', 'rms', 'std', 'peak', 'p2p', 'crest', 'zcr', 'kurtosis', 'centroid'];
/**
 * A scalar feature of {@link WindowFeatures}: `kurtosis` is Pearson's
 * (n·Σd⁴ / (Σd²)², 3 for Gaussian noise, higher for impacts), `centroid`
 * the power-weighted mean frequency (Hz with `rate`, else a fraction of the
 * sampling rate, 0..0.5).
 */
export type WindowFeatureName = 'mean' | 'rms' | 'std' | 'peak' | 'p2p' | 'crest' | 'zcr' | 'kurtosis' | 'centroid';

/** Number of scalar features (FEATURE_NAMES.length). */
export const TIME_FEATURES = 9;
/** The default selection: the seven time-domain features mean … zcr. */
const DEFAULT_MASK = 127;
const F_KURTOSIS = 7;
const F_CENTROID = 8;
const MAX_CHANNELS = 64;
const MAX_RATE = 1000000;

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
 * below 2^30). Twiddles from {@link twiddles}. The TypeScript reference of
 * the `fft` signal kernel.
 * @internal
 */
export function fftQ(re: Int32Array, im: Int32Array, n: number, bits: number, cos: Int32Array, sin: Int32Array): void {
  signalKernelsTS.fft(re, im, n, bits, cos, sin);
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

/** Bins [lo, hi) of the band [loMilliHz, hiMilliHz] for a window of n at rate Hz, within 1 .. n/2 (never empty). */
function bandBins(lo: number, hi: number, n: number, rate: number, out: Int32Array, o: number): void {
  const d = rate * 1000;
  let a = floorDiv(lo * n + d - 1, d); // ceil(lo·n / rate)
  let b = floorDiv(hi * n, d) + 1; // floor(hi·n / rate) + 1
  const half = n / 2;
  if (a < 1) a = 1;
  if (b > half + 1) b = half + 1;
  if (b <= a) {
    // narrower than one bin: the bin nearest the band's centre
    let c = floorDiv((lo + hi) * n + d, 2 * d);
    if (c < 1) c = 1;
    if (c > half) c = half;
    a = c;
    b = c + 1;
  }
  out[o] = a;
  out[o + 1] = b;
}

/** Reads a list of [low, high] Hz bands (option `name`) as milli-Hz pairs. */
function readBands(v: unknown, name: string, rate: number, max: number): number[] {
  if (v === undefined) return [];
  if (v === null || typeof v !== 'object' || typeof (v as unknown[]).length !== 'number') fail('E_OPTION', 'option ' + name + ' must be an array of [low, high] Hz pairs');
  const a = v as unknown[];
  if (a.length > max) fail('E_OPTION', 'option ' + name + ': at most ' + max + ' bands, got ' + a.length);
  if (a.length > 0 && rate === 0) fail('E_OPTION', 'option ' + name + ' needs the sampling rate (option rate)');
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const b = a[i] as number[];
    if (b === null || typeof b !== 'object' || b.length !== 2 || typeof b[0] !== 'number' || typeof b[1] !== 'number' || !(b[0] >= 0 && b[1] > b[0] && b[1] <= rate / 2))
      fail('E_OPTION', 'option ' + name + '[' + i + '] must be [low, high] Hz with 0 ≤ low < high ≤ rate/2 = ' + rate / 2);
    out.push(Math.round(b[0] * 1000), Math.round(b[1] * 1000));
  }
  return out;
}

/**
 * Sliding-window features of one or more raw signal channels.
 *
 * Standalone: `push(x)` one sample (one value per channel) at the sensor's
 * rate, or `pushBlockQ` a block of raw Q16.16 samples, and call `features()`
 * whenever a feature vector is wanted (e.g. every windowSize/2 samples). In a
 * Pipeline (a transformer with `nOutputs` outputs): `transformOne(x)` first
 * pushes x, then returns the features of the window ending at x; right after
 * `learnOne(x)` (which pushes x, as the Pipeline's learn path does) it does
 * not push x a second time. Until windowSize samples have been pushed, the
 * window is padded with the first sample.
 *
 * @example
 * const wf = new WindowFeatures({ nFeatures: 1, windowSize: 64, nBands: 4 });
 * for (let i = 0; i < 64; i++) wf.push([Math.sin(i / 3)]);
 * wf.features(); // Float64Array(11): mean, rms, std, peak, p2p, crest, zcr, 4 bands
 * // a bearing monitor at 10 kHz: impacts, resonance 2–4 kHz, outer race at 107 Hz
 * new WindowFeatures({ windowSize: 1024, rate: 10000, nBands: 0, features: ['rms', 'kurtosis', 'crest'],
 *   envelope: { band: [2000, 4000], bands: [[104, 111], [208, 222]] } });
 */
export class WindowFeatures extends TransformerBase {
  static readonly modelType = ModelType.WindowFeatures;
  readonly windowSize: number;
  readonly nBands: number;
  /** Bit i set: scalar feature FEATURE_NAMES[i] is output. */
  readonly mask: number;
  /** Sampling rate in Hz (0: not given). */
  readonly rate: number;
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
  /** Equal bands: bins bandLo[j] .. bandLo[j+1]−1. */
  private readonly bandLo: Int32Array;
  /** Given bands, as milli-Hz pairs (saved) and bin ranges [lo, hi). */
  private readonly customMilli: number[];
  private readonly customBins: Int32Array;
  /** Envelope: demodulation band and envelope bands, milli-Hz pairs; bins. */
  private readonly envMilli: number[];
  private readonly envBandMilli: number[];
  private readonly envBins: Int32Array;
  private readonly env: Int32Array | null;
  private readonly stats: Int32Array;
  private readonly tmp: Int32Array;
  private readonly perChannel: number;
  private readonly nScalar: number;

  constructor(opts: WindowFeaturesOptions) {
    const o = checkOptions(opts);
    const c = optInt(o, 'nFeatures', 1, 1, MAX_CHANNELS);
    const n = optInt(o, 'windowSize', undefined, 4, 4096);
    let bits = 0;
    while (POW2[bits] < n) bits++;
    if (POW2[bits] !== n) fail('E_OPTION', 'option windowSize must be a power of two, got ' + n);
    const nb = optInt(o, 'nBands', n / 2 < 4 ? n / 2 : 4, 0, n / 2 < 16 ? n / 2 : 16);
    let mask = DEFAULT_MASK;
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
    const rate = o.rate === undefined ? 0 : optInt(o, 'rate', undefined, 1, MAX_RATE);
    const custom = readBands(o.bands, 'bands', rate, 16);
    let envMilli: number[] = [];
    let envBandMilli: number[] = [];
    const e = o.envelope;
    if (e !== undefined) {
      if (e === null || typeof e !== 'object') fail('E_OPTION', 'option envelope must be { band: [low, high], bands: [[low, high], …] }');
      const eo = e as { band?: unknown; bands?: unknown };
      envMilli = readBands([eo.band], 'envelope.band', rate, 1);
      envBandMilli = readBands(eo.bands, 'envelope.bands', rate, 16);
      if (envBandMilli.length === 0) fail('E_OPTION', 'option envelope.bands must list at least one band');
    }
    let nt = 0;
    for (let j = 0; j < TIME_FEATURES; j++) if (mask & (1 << j)) nt++;
    const nCustom = custom.length / 2;
    const nEnv = envBandMilli.length / 2;
    if (nt + nb + nCustom + nEnv === 0) fail('E_OPTION', 'no features selected');
    super(c, c * (nt + nb + nCustom + nEnv));
    this.windowSize = n;
    this.bits = bits;
    this.nBands = nb;
    this.mask = mask;
    this.rate = rate;
    this.nScalar = nt;
    this.perChannel = nt + nb + nCustom + nEnv;
    this.tmp = new Int32Array(TIME_FEATURES);
    this.stats = new Int32Array(7);
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
    this.customMilli = custom;
    this.customBins = new Int32Array(2 * nCustom);
    for (let i = 0; i < nCustom; i++) bandBins(custom[2 * i], custom[2 * i + 1], n, rate, this.customBins, 2 * i);
    this.envMilli = envMilli;
    this.envBandMilli = envBandMilli;
    this.envBins = new Int32Array(2 + 2 * nEnv);
    if (nEnv > 0) {
      bandBins(envMilli[0], envMilli[1], n, rate, this.envBins, 0);
      for (let i = 0; i < nEnv; i++) bandBins(envBandMilli[2 * i], envBandMilli[2 * i + 1], n, rate, this.envBins, 2 + 2 * i);
    }
    this.env = nEnv > 0 ? new Int32Array(n) : null;
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

  /**
   * Appends `count` Q16.16 samples from src[so …], channels interleaved
   * (sample i, channel c at so + i·nFeatures + c): the fast path for a
   * sensor's FIFO or DMA block, one kernel call per channel.
   */
  pushBlockQ(src: Int32Array, so: number, count: number): void {
    const c = this.nFeatures;
    if (!(src instanceof Int32Array) || typeof so !== 'number' || typeof count !== 'number' || so < 0 || count < 0 ||
        Math.floor(so) !== so || Math.floor(count) !== count || so + count * c > src.length)
      fail('E_INPUT', 'pushBlockQ: expected an Int32Array holding ' + count + ' samples of ' + c + ' channels from index ' + so);
    if (count === 0) return;
    const n = this.windowSize;
    const self = mutable(this);
    if (this.count === 0) {
      // pad the whole window with the first sample
      for (let ch = 0; ch < c; ch++) for (let i = 0; i < n; i++) this.ring[ch * n + i] = src[so + ch];
    }
    let p = this.pos;
    for (let ch = 0; ch < c; ch++) p = K.ringWrite.f(this.ring, ch * n, n, this.pos, src, so + ch, c, count);
    self.pos = p;
    const t = this.count + count;
    self.count = t > 4294967295 ? 4294967295 : t;
    self.pending = 0;
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
    const q = this.scratchOut();
    this.featuresQ(q);
    return this.realOut(q);
  }

  /** Features of the current window (Q16.16) into out (length nOutputs). */
  featuresQ(out: Int32Array): void {
    if (!(out instanceof Int32Array) || out.length < this.nOutputs) fail('E_INPUT', 'expected an Int32Array of ' + this.nOutputs);
    for (let c = 0; c < this.nFeatures; c++) this.channel(c, out, c * this.perChannel);
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

  /** Root of the one-sided energy of bins lo .. hi−1 (bins below n/2 count twice, the Nyquist bin once), in scaled units. */
  private bandRoot(lo: number, hi: number): number {
    const half = this.windowSize / 2;
    const re = this.re;
    const im = this.im;
    let e = 0;
    const top = hi > half ? half : hi;
    if (top > lo) e = 2 * (K.dot.f(re, lo, re, lo, top - lo) + K.dot.f(im, lo, im, lo, top - lo));
    if (hi > half) e += K.dot.f(re, half, re, half, 1) + K.dot.f(im, half, im, half, 1);
    return isqrtRound((e > Q_MAX ? Q_MAX : e) * 65536);
  }

  /** The features of channel c into out[o ..]. */
  private channel(c: number, out: Int32Array, o: number): void {
    const n = this.windowSize;
    const st = this.stats;
    const re = this.re;
    const im = this.im;
    K.winStats.f(this.ring, c * n, n, this.pos, this.bits, re, im, st);
    const mean = st[0];
    const mn = st[1];
    const mx = st[2];
    const b = st[3];
    const std = unscale(isqrtRound(st[5] * 65536), b);
    const peak = mx > -mn ? mx : -mn;
    const rms = hypotQ(mean, std);
    const t = this.tmp;
    t[0] = mean;
    t[1] = rms;
    t[2] = std;
    t[3] = peak > Q_MAX ? Q_MAX : peak;
    const p2p = mx - mn;
    t[4] = p2p > Q_MAX ? Q_MAX : p2p;
    t[5] = rms === 0 ? 0 : div(peak > Q_MAX ? Q_MAX : peak, rms);
    t[6] = floorDiv(2 * st[4] * 65536 + (n - 1), 2 * (n - 1));
    t[F_KURTOSIS] = st[6];
    t[F_CENTROID] = 0;
    const nCustom = this.customBins.length / 2;
    const spectral = this.nBands > 0 || nCustom > 0 || this.env !== null || (this.mask & (1 << F_CENTROID)) !== 0;
    // A circular shift of the window only changes the phases, so the ring is transformed in storage order.
    if (spectral) K.fft.f(re, im, n, this.bits, this.cos, this.sin);
    if (this.mask & (1 << F_CENTROID)) {
      const cb = K.centroid.f(re, im, 1, n / 2); // in bins, Q16.16
      // bins → Hz (k·rate/n), or → a fraction of the sampling rate (k/n)
      const v = this.rate > 0 ? floorDiv(2 * cb * this.rate + n, 2 * n) : floorDiv(2 * cb + n, 2 * n);
      t[F_CENTROID] = v > Q_MAX ? Q_MAX : v;
    }
    for (let j = 0; j < TIME_FEATURES; j++) if (this.mask & (1 << j)) out[o++] = t[j];
    for (let j = 0; j < this.nBands; j++) out[o++] = unscale(this.bandRoot(this.bandLo[j], this.bandLo[j + 1]), b);
    for (let j = 0; j < nCustom; j++) out[o++] = unscale(this.bandRoot(this.customBins[2 * j], this.customBins[2 * j + 1]), b);
    const env = this.env;
    if (env === null) return;
    // envelope: the band's analytic signal (by an inverse FFT done as a forward one of the conjugate), its magnitude, that spectrum
    const eb = this.envBins;
    const s = K.analytic.f(re, im, n, eb[0], eb[1]);
    K.fft.f(re, im, n, this.bits, this.cos, this.sin);
    K.magnitude.f(re, im, n, env);
    K.winStats.f(env, 0, n, 0, this.bits, re, im, st);
    K.fft.f(re, im, n, this.bits, this.cos, this.sin);
    // true envelope = |H|·2^(b + s + 1 + bits); the stats scaled it by 2^-st[3]
    const k = st[3] + b + s + 1 + this.bits;
    for (let j = 0; j < eb.length / 2 - 1; j++) out[o++] = unscale(this.bandRoot(eb[2 + 2 * j], eb[3 + 2 * j]), k);
  }

  /**
   * @internal Payload: `u32 nFeatures`, `u32 windowSize`, `u32 nBands`, `u16 feature mask`, `u32 rate`,
   * `u8 nBandsGiven` + that many `u32 lo, u32 hi` (milli-Hz), `u8 envelope bands` (0: none) then
   * `u32 lo, u32 hi` of the demodulation band and of each envelope band, then `u32 count`, `u32 pos`,
   * `u8 pending`, `i32[nFeatures·windowSize] ring`.
   */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.windowSize);
    w.u32(this.nBands);
    w.u16(this.mask);
    w.u32(this.rate);
    w.u8(this.customMilli.length / 2);
    for (let i = 0; i < this.customMilli.length; i++) w.u32(this.customMilli[i]);
    w.u8(this.envBandMilli.length / 2);
    if (this.envBandMilli.length > 0) {
      w.u32(this.envMilli[0]);
      w.u32(this.envMilli[1]);
      for (let i = 0; i < this.envBandMilli.length; i++) w.u32(this.envBandMilli[i]);
    }
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
    const mask = r.u16();
    if (mask >= 1 << TIME_FEATURES) fail('E_CORRUPT', 'bad WindowFeatures feature mask');
    const names: WindowFeatureName[] = [];
    for (let j = 0; j < TIME_FEATURES; j++) if (mask & (1 << j)) names.push(FEATURE_NAMES[j] as WindowFeatureName);
    const rate = r.int(0, MAX_RATE);
    const o: WindowFeaturesOptions = { nFeatures: c, windowSize: n, nBands: nb, features: names };
    if (rate > 0) o.rate = rate;
    const hz = (): number => r.int(0, MAX_RATE * 500) / 1000;
    const nc = r.u8();
    if (nc > 16) fail('E_CORRUPT', 'more than 16 WindowFeatures bands');
    if (nc > 0) {
      o.bands = [];
      for (let i = 0; i < nc; i++) o.bands.push([hz(), hz()]);
    }
    const ne = r.u8();
    if (ne > 16) fail('E_CORRUPT', 'more than 16 WindowFeatures envelope bands');
    if (ne > 0) {
      const band: Band = [hz(), hz()];
      const bands: Band[] = [];
      for (let i = 0; i < ne; i++) bands.push([hz(), hz()]);
      o.envelope = { band, bands };
    }
    r.need(9 + c * n * 4);
    let m: WindowFeatures;
    try {
      m = new WindowFeatures(o);
    } catch (e) {
      return fail('E_CORRUPT', 'bad WindowFeatures options: ' + (e as Error).message);
    }
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
