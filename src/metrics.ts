/**
 * Online metrics and prequential (test-then-train) evaluation, the standard
 * way to score a learner that never sees a separate test set.
 */
import { fail } from './errors.js';

/** A running metric. */
export interface Metric {
  update(yTrue: number, yPred: number): void;
  /** Current value (NaN before any update). */
  get(): number;
  readonly name: string;
}

/** Fraction of exact matches. */
export class Accuracy implements Metric {
  readonly name = 'Accuracy';
  n = 0;
  correct = 0;
  update(yTrue: number, yPred: number): void {
    this.n++;
    if (yTrue === yPred) this.correct++;
  }
  get(): number {
    return this.n === 0 ? NaN : this.correct / this.n;
  }
}

/** Mean absolute error. */
export class MAE implements Metric {
  readonly name = 'MAE';
  n = 0;
  sum = 0;
  update(yTrue: number, yPred: number): void {
    this.n++;
    this.sum += Math.abs(yTrue - yPred);
  }
  get(): number {
    return this.n === 0 ? NaN : this.sum / this.n;
  }
}

/** Root mean squared error. */
export class RMSE implements Metric {
  readonly name = 'RMSE';
  n = 0;
  sum = 0;
  update(yTrue: number, yPred: number): void {
    this.n++;
    this.sum += (yTrue - yPred) * (yTrue - yPred);
  }
  get(): number {
    return this.n === 0 ? NaN : Math.sqrt(this.sum / this.n);
  }
}

/** Counts of (true class, predicted class); `get()` is the accuracy. */
export class ConfusionMatrix implements Metric {
  readonly name = 'ConfusionMatrix';
  readonly nClasses: number;
  /** counts[t · nClasses + p] */
  readonly counts: Uint32Array;
  n = 0;
  constructor(nClasses: number) {
    if (!(nClasses >= 2 && Math.floor(nClasses) === nClasses)) fail('E_OPTION', 'nClasses must be an integer ≥ 2');
    this.nClasses = nClasses;
    this.counts = new Uint32Array(nClasses * nClasses);
  }
  update(yTrue: number, yPred: number): void {
    if (!(yTrue >= 0 && yTrue < this.nClasses && yPred >= 0 && yPred < this.nClasses)) fail('E_LABEL', 'class out of range');
    this.counts[yTrue * this.nClasses + yPred]++;
    this.n++;
  }
  /** Count of samples of class t predicted as p. */
  at(t: number, p: number): number {
    return this.counts[t * this.nClasses + p];
  }
  get(): number {
    let c = 0;
    for (let i = 0; i < this.nClasses; i++) c += this.at(i, i);
    return this.n === 0 ? NaN : c / this.n;
  }
  /** Precision of class c (NaN if never predicted). */
  precision(c: number): number {
    let col = 0;
    for (let t = 0; t < this.nClasses; t++) col += this.at(t, c);
    return col === 0 ? NaN : this.at(c, c) / col;
  }
  /** Recall of class c (NaN if never seen). */
  recall(c: number): number {
    let row = 0;
    for (let p = 0; p < this.nClasses; p++) row += this.at(c, p);
    return row === 0 ? NaN : this.at(c, c) / row;
  }
  /** F1 of class c. */
  f1(c: number): number {
    const p = this.precision(c);
    const r = this.recall(c);
    return p + r === 0 ? 0 : (2 * p * r) / (p + r);
  }
}

/** What prequential needs of a model. */
export interface Predictive {
  learnOne(x: ArrayLike<number>, y: number): void;
  predictOne(x: ArrayLike<number>): number;
}

/** Options of {@link prequential}. */
export interface PrequentialOptions {
  /** Call `onProgress` every this many samples (and after the last). */
  every?: number;
  onProgress?: (seen: number, metrics: Metric[]) => void;
}

/**
 * Test-then-train: for each sample, predict, update the metrics, then learn.
 * `stream` is an array of `[x, y]` pairs or a function returning the next
 * pair, or null at the end. Returns the metrics.
 */
export function prequential(
  model: Predictive,
  stream: ArrayLike<[ArrayLike<number>, number]> | (() => [ArrayLike<number>, number] | null),
  metrics: Metric[],
  options?: PrequentialOptions,
): Metric[] {
  const every = options && options.every ? options.every : 0;
  const cb = options ? options.onProgress : undefined;
  let i = 0;
  for (;;) {
    let s: [ArrayLike<number>, number] | null;
    if (typeof stream === 'function') s = stream();
    else s = i < stream.length ? stream[i] : null;
    if (s === null) break;
    const p = model.predictOne(s[0]);
    for (let m = 0; m < metrics.length; m++) metrics[m].update(s[1], p);
    model.learnOne(s[0], s[1]);
    i++;
    if (cb && every > 0 && i % every === 0) cb(i, metrics);
  }
  if (cb && (every === 0 || i % every !== 0)) cb(i, metrics);
  return metrics;
}
