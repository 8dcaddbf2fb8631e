/**
 * The base of every anomaly detector: the real-valued and Q16.16 entry points
 * (learnOne, scoreOne, monitorOne, isAnomaly, similarity, threshold) written
 * once, on top of a subclass's `learnQ` / `scoreQ` / `adaptQ` and its
 * {@link Calibrator}.
 */
import { fromQ } from '../../src/fixed.js';
import { AnomalyDetector, Learner } from '../../src/learner.js';
import { Calibrator } from './calibrator.js';

export abstract class Detector extends Learner implements AnomalyDetector {
  /** @internal the threshold */
  readonly cal: Calibrator;

  /** @param defaults the detector's own defaults of `quantile` and `adaptBelow` (see {@link CalibrationOptions}). */
  constructor(nFeatures: number, opts: { [k: string]: unknown }, defaults?: { quantile?: number; adaptBelow?: number }) {
    super(nFeatures);
    this.cal = new Calibrator(opts, defaults);
  }

  /** @internal Learns validated x. */
  protected abstract learnQ(x: Int32Array): void;
  /** @internal Q16.16 score of validated x. */
  protected abstract scoreQ(x: Int32Array): number;
  /**
   * @internal Called right after scoreQ(x) returned s, while monitoring with
   * adaptation on: moves the model slowly (memory of about `cal.adapt`
   * samples) toward what in x looks normal, by the `adaptBelow` gate; the
   * threshold stays.
   */
  protected abstract adaptQ(x: Int32Array, s: number): void;

  /** @internal Scores x; adapts the model to it when the monitoring policy says so. */
  private monitorQ(x: Int32Array): number {
    const s = this.scoreQ(x);
    if (this.cal.adapt > 0 && this.cal.total > 0) this.adaptQ(x, s);
    return s;
  }

  /**
   * Scores one sample while monitoring and returns the score (as `scoreOne`).
   * With the `adapt` option the model then follows slow drift: what looks
   * normal (below the `adaptBelow` gate) moves it by about 1/adapt, while
   * what looks anomalous teaches nothing. Without `adapt` it is exactly
   * `scoreOne`. An alarm is `monitorOne(x) > threshold()`.
   */
  monitorOne(x: ArrayLike<number>): number {
    return fromQ(this.monitorQ(this.readX(x)));
  }

  /** Learns one sample of normal operation. */
  learnOne(x: ArrayLike<number>): void {
    this.learnQ(this.readX(x));
  }

  /** Anomaly score: higher = more anomalous. */
  scoreOne(x: ArrayLike<number>): number {
    return fromQ(this.scoreQ(this.readX(x)));
  }

  /** True if x scores above the calibrated threshold (E_STATE before enough learned data). */
  isAnomaly(x: ArrayLike<number>): boolean {
    return this.scoreQ(this.readX(x)) > this.cal.threshold();
  }

  /** 0..100 (50 = at the threshold); see {@link Calibrator.similarity}. */
  similarity(x: ArrayLike<number>): number {
    return this.cal.similarity(this.scoreQ(this.readX(x)));
  }

  /** The current threshold on scoreOne (real number). */
  threshold(): number {
    return fromQ(this.cal.threshold());
  }

  learnOneQ(x: Int32Array): void {
    this.checkX(x);
    this.learnQ(x);
  }

  scoreOneQ(x: Int32Array): number {
    this.checkX(x);
    return this.scoreQ(x);
  }

  /** Q16.16 twin of {@link monitorOne}. */
  monitorOneQ(x: Int32Array): number {
    this.checkX(x);
    return this.monitorQ(x);
  }

  isAnomalyQ(x: Int32Array): boolean {
    this.checkX(x);
    return this.scoreQ(x) > this.cal.threshold();
  }

  similarityQ(x: Int32Array): number {
    this.checkX(x);
    return this.cal.similarity(this.scoreQ(x));
  }
}
