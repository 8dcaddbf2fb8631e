/**
 * The base of every anomaly detector: the real-valued and Q16.16 entry points
 * (learnOne, scoreOne, isAnomaly, similarity, threshold) written once, on top
 * of a subclass's `learnQ` / `scoreQ` and its {@link Calibrator}.
 */
import { fromQ } from '../../src/fixed.js';
import { AnomalyDetector, Learner } from '../../src/learner.js';
import { Calibrator } from './calibrator.js';

export abstract class Detector extends Learner implements AnomalyDetector {
  /** @internal the threshold */
  readonly cal: Calibrator;

  constructor(nFeatures: number, opts: { [k: string]: unknown }) {
    super(nFeatures);
    this.cal = new Calibrator(opts);
  }

  /** @internal Learns validated x. */
  protected abstract learnQ(x: Int32Array): void;
  /** @internal Q16.16 score of validated x. */
  protected abstract scoreQ(x: Int32Array): number;

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

  isAnomalyQ(x: Int32Array): boolean {
    this.checkX(x);
    return this.scoreQ(x) > this.cal.threshold();
  }

  similarityQ(x: Int32Array): number {
    this.checkX(x);
    return this.cal.similarity(this.scoreQ(x));
  }
}
