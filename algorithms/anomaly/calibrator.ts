/**
 * The automatic anomaly threshold every detector shares: a bounded
 * logarithmic histogram of the scores of learned (normal) samples, read at a
 * high quantile; the margin scales the spread of that quantile above the
 * median. It also holds the monitoring policy (slow adaptation to drift).
 * See docs/anomaly.md.
 */
import { fail } from '../../src/errors.js';
import { POW2, Q_MAX, Q_ONE, div, floorDiv, mul } from '../../src/fixed.js';
import { ByteReader, ByteWriter } from '../../src/format.js';
import { optInt, optReal } from '../../src/learner.js';
import { same } from '../../src/merge.js';

/** Threshold options shared by every detector. */
export interface CalibrationOptions {
  /**
   * Which quantile of the learned scores is the reference, 0.5..1 (default 1:
   * the largest score seen on learned data; 0.99 for HalfSpaceTrees). Below 1
   * it is read from a 93-bin logarithmic histogram (4 bins per octave, linear
   * within a bin).
   */
  quantile?: number;
  /**
   * Sensitivity knob, 0.01..1000 (default 1.5): threshold = median +
   * margin × (reference quantile − median) of the learned scores, so that it
   * does not depend on an offset of the score (half-space trees score normal
   * data well above 0). Smaller flags more (fewer missed anomalies, more
   * false alarms); larger flags less; 1 is the reference quantile itself.
   */
  margin?: number;
  /** Learned samples whose score is not recorded while the model is still immature (default 16). */
  warmup?: number;
  /**
   * Slow adaptation to drift while monitoring (`monitorOne`), as the length
   * in samples of an exponential memory, 0 or 2..524288 (default 0: off).
   * What looks normal moves the model toward it by about 1/adapt; what looks
   * anomalous teaches nothing, so a fault is not learned (see `adaptBelow`).
   */
  adapt?: number;
  /**
   * The gate of the adaptation, as a multiple of the threshold, 0..64.
   * GaussianScorer adapts each feature on its own, when that feature's z²
   * is below adaptBelow × threshold (default 2): a drifting temperature
   * keeps being followed while the flow is anomalous, and vice versa. The
   * other detectors adapt to a whole sample scoring below adaptBelow ×
   * threshold (default 0.75).
   */
  adaptBelow?: number;
}

/** Bins of the score histogram: [0, 2^-8), then 4 per octave up to 2^15. */
export const CAL_BINS = 93;

/** Histogram bin of a non-negative Q16.16 score. */
function binOf(s: number): number {
  if (s < 256) return 0;
  let e = 8;
  while (e < 30 && POW2[e + 1] <= s) e++;
  return 1 + (e - 8) * 4 + (Math.floor(s / POW2[e - 2]) - 4);
}

/** Lower edge of bin b (Q16.16); the upper edge is binLo(b + 1). */
function binLo(b: number): number {
  if (b === 0) return 0;
  const e = 8 + Math.floor((b - 1) / 4);
  return (4 + ((b - 1) % 4)) * POW2[e - 2];
}

/**
 * Running high quantile of the scores of learned samples, for the
 * automatic threshold: a bounded histogram of Uint16 counts (halved when one
 * would overflow, which also slowly forgets old scores) plus the exact max.
 */
export class Calibrator {
  /** Q16.16 */
  readonly quantile: number;
  /** Q16.16 */
  readonly margin: number;
  readonly warmup: number;
  /** Exponential memory (samples) of the adaptation while monitoring; 0 = off. */
  readonly adapt: number;
  /** Q16.16 multiple of the threshold below which monitored samples (or features) adapt the model. */
  readonly adaptBelow: number;
  /** @internal */ readonly hist: Uint16Array;
  /** Scores recorded (after halvings: the histogram's total). */
  total: number;
  /** Largest recorded score (Q16.16). */
  max: number;
  /** Learned samples seen, saturating at `warmup`. */
  seen: number;
  /** Bytes of state: histogram, max, seen. */
  static readonly BYTES = CAL_BINS * 2 + 8;

  /** @param defaults the detector's own defaults of `quantile` (else 1) and `adaptBelow` (else 0.75). */
  constructor(o: { [k: string]: unknown }, defaults?: { quantile?: number; adaptBelow?: number }) {
    const d = defaults === undefined ? {} : defaults;
    this.quantile = optReal(o, 'quantile', d.quantile === undefined ? 1 : d.quantile, 0.5, 1);
    this.margin = optReal(o, 'margin', 1.5, 0.01, 1000);
    this.warmup = optInt(o, 'warmup', 16, 0, 1000000);
    const a = optInt(o, 'adapt', 0, 0, 524288);
    if (a === 1) fail('E_OPTION', 'option adapt must be 0 (off) or 2..524288, got 1');
    this.adapt = a;
    this.adaptBelow = optReal(o, 'adaptBelow', d.adaptBelow === undefined ? 0.75 : d.adaptBelow, 0, 64);
    this.hist = new Uint16Array(CAL_BINS);
    this.total = 0;
    this.max = 0;
    this.seen = 0;
  }

  /** Records the score of a learned sample (ignored during warm-up). */
  add(s: number): void {
    if (this.seen < this.warmup) {
      this.seen++;
      return;
    }
    if (s < 0) s = 0;
    const b = binOf(s);
    if (this.hist[b] === 65535) {
      let t = 0;
      for (let i = 0; i < CAL_BINS; i++) {
        this.hist[i] = this.hist[i] >> 1;
        t += this.hist[i];
      }
      this.total = t;
    }
    this.hist[b]++;
    this.total++;
    if (s > this.max) this.max = s;
  }

  /**
   * Forgets the recorded scores (not the warm-up count): the threshold will
   * come from the scores recorded from now on. A learning phase calls it
   * part-way, so that the threshold reflects a model that has seen every
   * operating regime rather than the surprises of its first minutes.
   */
  restart(): void {
    for (let i = 0; i < CAL_BINS; i++) this.hist[i] = 0;
    this.total = 0;
    this.max = 0;
  }

  /** The q-quantile (Q16.16) of the recorded scores, q in Q16.16; 0 if none. */
  quantileOf(q: number): number {
    if (this.total === 0) return 0;
    if (q >= Q_ONE) return this.max;
    const r = q * this.total; // rank in 2^-16 units
    let cum = 0;
    for (let b = 0; b < CAL_BINS; b++) {
      const c = this.hist[b] * 65536;
      if (c > 0 && cum + c > r) {
        const lo = binLo(b);
        const hi = b + 1 < CAL_BINS ? binLo(b + 1) : Q_MAX;
        const frac = floorDiv(r - cum, this.hist[b]); // 0 .. 65535
        const v = lo + floorDiv((hi - lo) * frac, 65536);
        return v < this.max ? v : this.max;
      }
      cum += c;
    }
    return this.max;
  }

  /**
   * The anomaly threshold (Q16.16): median + margin × (reference − median),
   * saturated, never below 0; throws E_STATE before any score was recorded.
   */
  threshold(): number {
    if (this.total === 0) fail('E_STATE', 'no learned data yet: learn normal samples before asking for anomalies');
    const m = this.quantileOf(32768);
    const t = m + mul(this.quantileOf(this.quantile) - m, this.margin);
    return t > Q_MAX ? Q_MAX : t < 0 ? 0 : t;
  }

  /** The adaptation gate adaptBelow × threshold (Q16.16, saturated); E_STATE before any score was recorded. */
  adaptGate(): number {
    return mul(this.threshold(), this.adaptBelow);
  }

  /**
   * 0..100: 100 up to the median learned score, 50 exactly at the threshold,
   * falling toward 0 beyond it (100 / (1 + (s − median) / (threshold − median))).
   */
  similarity(s: number): number {
    const t = this.threshold();
    const m = this.quantileOf(32768);
    if (s <= m) return 100;
    const span = t > m ? t - m : 1;
    const d = div(s - m > Q_MAX ? Q_MAX : s - m, span);
    return floorDiv(2 * 100 * 65536 + (65536 + d), 2 * (65536 + d));
  }

  /**
   * Scores are now 2^-k of what they were (a detector's input scale grew):
   * every bin moves down k octaves (4k bins; bin edges are powers of two
   * apart, so the move is exact), bins that fall below 2^-8 join bin 0, and
   * the maximum is divided by 2^k (rounded half up). Counts are halved, as in
   * `add`, if bin 0 would overflow.
   */
  rescale(k: number): void {
    const h = this.hist;
    let low = 0;
    for (let b = 0; b < CAL_BINS; b++) {
      if (b - 4 * k >= 1) h[b - 4 * k] = h[b];
      else low += h[b];
    }
    for (let b = CAL_BINS - 4 * k; b < CAL_BINS; b++) if (b >= 1) h[b] = 0;
    while (low > 65535) {
      for (let b = 1; b < CAL_BINS; b++) h[b] = h[b] >> 1;
      low = Math.floor(low / 2);
    }
    h[0] = low;
    let t = 0;
    for (let b = 0; b < CAL_BINS; b++) t += h[b];
    this.total = t;
    this.max = Math.floor((this.max + POW2[k - 1]) / POW2[k]);
  }

  /**
   * Sets this calibrator (a fresh copy of cals[0]) to the union of `cals`:
   * histograms added bin by bin (every bin halved, as `add` does, while one
   * exceeds 65535), the largest maximum, the most warm-up seen. The sums are
   * exact, so the result does not depend on the order. Same options
   * required (E_SHAPE).
   */
  mergeFrom(cals: ReadonlyArray<Calibrator>): void {
    const h = this.hist;
    const sum = new Float64Array(CAL_BINS);
    let top = 0;
    this.max = 0;
    this.seen = 0;
    for (let k = 0; k < cals.length; k++) {
      const c = cals[k];
      same('calibration quantile (Q16.16)', k, this.quantile, c.quantile);
      same('calibration margin (Q16.16)', k, this.margin, c.margin);
      same('calibration warmup', k, this.warmup, c.warmup);
      same('calibration adapt', k, this.adapt, c.adapt);
      same('calibration adaptBelow (Q16.16)', k, this.adaptBelow, c.adaptBelow);
      for (let b = 0; b < CAL_BINS; b++) sum[b] += c.hist[b];
      if (c.max > this.max) this.max = c.max;
      if (c.seen > this.seen) this.seen = c.seen;
    }
    for (let b = 0; b < CAL_BINS; b++) if (sum[b] > top) top = sum[b];
    while (top > 65535) {
      for (let b = 0; b < CAL_BINS; b++) sum[b] = Math.floor(sum[b] / 2);
      top = Math.floor(top / 2);
    }
    let t = 0;
    for (let b = 0; b < CAL_BINS; b++) {
      h[b] = sum[b];
      t += sum[b];
    }
    this.total = t;
  }

  /** `i32 quantile`, `i32 margin` (Q16.16), `u32 warmup`, `u32 adapt`, `i32 adaptBelow` (Q16.16), `u32 seen`, `i32 max`, `u16[93] histogram`. */
  write(w: ByteWriter): void {
    w.i32(this.quantile);
    w.i32(this.margin);
    w.u32(this.warmup);
    w.u32(this.adapt);
    w.i32(this.adaptBelow);
    w.u32(this.seen);
    w.i32(this.max);
    w.u16s(this.hist);
  }

  /** Options as written by {@link write} (for the detector's constructor). */
  static readOptions(r: ByteReader, o: { [k: string]: unknown }): void {
    o.quantile = r.int(32768, 65536) / 65536;
    o.margin = r.int(655, 1000 * 65536) / 65536;
    o.warmup = r.int(0, 1000000);
    const a = r.int(0, 524288);
    if (a === 1) fail('E_CORRUPT', 'adaptation length 1');
    o.adapt = a;
    o.adaptBelow = r.int(0, 64 * 65536) / 65536;
  }

  readState(r: ByteReader): void {
    this.seen = r.int(0, this.warmup);
    this.max = r.int(0, Q_MAX);
    r.u16s(this.hist);
    let t = 0;
    for (let i = 0; i < CAL_BINS; i++) t += this.hist[i];
    if (t > 0 && this.seen < this.warmup) fail('E_CORRUPT', 'scores recorded during warm-up');
    if (t === 0 && this.max !== 0) fail('E_CORRUPT', 'threshold maximum without scores');
    this.total = t;
  }
}

