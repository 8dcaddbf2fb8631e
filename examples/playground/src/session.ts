/**
 * One run of the playground, without any DOM: a data set's stream, the
 * fixed-point learner and its float64 twin, test-then-train (prequential)
 * scores of both, and how often they disagree.
 */
import { Stream, Sample, DatasetInfo, datasetInfo } from './datasets.js';
import { Built, LearnerSpec, Options, Predictor, Task, complete, learnerSpec, taskOf } from './learners.js';

/** Samples in the moving window of the score curve. */
export const WINDOW = 100;
/** Points kept for drawing (the room keeps a day of readings). */
export const RECENT = 300;
const RECENT_ROOM = 1440;
/** Points of the score curves kept (older ones are thinned by half). */
const HISTORY = 1200;

/**
 * A prequential score: accuracy (classify), mean absolute error (regress),
 * mean squared distance to the nearest centroid (cluster) or balanced
 * accuracy of the anomaly flags (detect).
 */
export class Score {
  n = 0;
  sum = 0;
  /** The last WINDOW values, for the moving average. */
  private readonly ring = new Float64Array(WINDOW);
  private ringSum = 0;
  /** Detect: flagged anomalies (tp), missed ones (fn), false alarms (fp), quiet normals (tn). */
  tp = 0;
  fn = 0;
  fp = 0;
  tn = 0;
  constructor(readonly task: Task) {}

  add(v: number): void {
    const i = this.n % WINDOW;
    this.ringSum += v - this.ring[i];
    this.ring[i] = v;
    this.n++;
    this.sum += v;
  }

  /** Detect: one flag against the truth. */
  addFlag(flagged: boolean, anomaly: boolean): void {
    if (anomaly) flagged ? this.tp++ : this.fn++;
    else flagged ? this.fp++ : this.tn++;
    this.add(flagged === anomaly ? 1 : 0);
  }

  /** Over everything so far (NaN before the first sample). */
  value(): number {
    if (this.n === 0) return NaN;
    if (this.task === 'detect') {
      const tnr = this.tn + this.fp > 0 ? this.tn / (this.tn + this.fp) : NaN;
      const tpr = this.tp + this.fn > 0 ? this.tp / (this.tp + this.fn) : NaN;
      return tpr !== tpr ? tnr : tnr !== tnr ? tpr : (tnr + tpr) / 2;
    }
    return this.sum / this.n;
  }

  /** Over the last WINDOW samples (what the curve shows; for detect the balanced value so far). */
  recent(): number {
    if (this.task === 'detect') return this.value();
    const m = this.n < WINDOW ? this.n : WINDOW;
    return m === 0 ? NaN : this.ringSum / m;
  }

  /** The score's name as shown. */
  static label(task: Task): string {
    return task === 'classify' ? 'accuracy' : task === 'regress' ? 'MAE' : task === 'cluster' ? 'mean sq. distance to centroid' : 'balanced accuracy';
  }

  /** True when higher is better. */
  static higherIsBetter(task: Task): boolean {
    return task === 'classify' || task === 'detect';
  }
}

/** A point a student added by clicking. */
export interface Taught {
  x: number[];
  y: number;
}

export class Session {
  readonly dataset: DatasetInfo;
  readonly learner: LearnerSpec;
  readonly task: Task;
  readonly options: Options;
  readonly seed: number;
  readonly noise: number;
  readonly stream: Stream;
  built: Built;
  /** Stream samples learned. */
  seen = 0;
  readonly recent: Sample[] = [];
  readonly taught: Taught[] = [];
  readonly fixedScore: Score;
  readonly twinScore: Score;
  /** Samples on which the two disagreed (classify/cluster/detect) or Σ|Δ| of their predictions (regress). */
  disagree = 0;
  /** [sample index, fixed, twin] of the moving score, for the curve. */
  history: number[][] = [];
  private historyStride = 1;
  /** Set when a model was imported: its bytes say nothing about the float twin. */
  imported = false;

  constructor(dataset: string, learner: string, options: Options, seed: number, noise: number) {
    this.dataset = datasetInfo(dataset);
    this.learner = learnerSpec(learner);
    const why = this.learner.misfit(this.dataset);
    if (why) throw new Error(learner + ' ' + why);
    this.task = taskOf(this.learner, this.dataset);
    // what applies, with defaults for what is left out: momentum goes only with optimizer 'sgd'
    this.options = complete(this.learner, options);
    this.seed = seed;
    this.noise = noise;
    this.stream = new Stream(dataset, { seed, noise, anomalies: this.task === 'detect' });
    this.built = this.learner.build(this.dataset, this.options, seed);
    this.fixedScore = new Score(this.task);
    this.twinScore = new Score(this.task);
  }

  /** The score of one prediction before learning: correct? error? distance? */
  private judge(p: Predictor, s: Sample, score: Score): number {
    const v = p.predict(s.x);
    if (this.task === 'classify') score.add(v === s.y ? 1 : 0);
    else if (this.task === 'regress') score.add(Math.abs(v - s.y));
    else if (this.task === 'cluster') score.add(this.clusterDistance(p === this.built.fixed ? 'fixed' : 'twin', s.x));
    else {
      const t = p.threshold();
      score.addFlag(t === t && v > t, s.anomaly === 1);
      return t === t && v > t ? 1 : 0;
    }
    return v;
  }

  /** Squared distance from x to the nearest centroid (KMeans; 0 before any centroid). */
  clusterDistance(which: 'fixed' | 'twin', x: ArrayLike<number>): number {
    const c = this.centroids(which);
    let best = Infinity;
    for (const r of c) {
      let s = 0;
      for (let i = 0; i < r.length; i++) s += (r[i] - x[i]) * (r[i] - x[i]);
      if (s < best) best = s;
    }
    return best === Infinity ? 0 : best;
  }

  /** Centroids of a clusterer, seeded ones only. */
  centroids(which: 'fixed' | 'twin'): number[][] {
    const out: number[][] = [];
    const n = this.dataset.nFeatures;
    if (which === 'fixed') {
      const m = this.built.core as { centroids(): Float64Array; filled: number };
      const c = m.centroids();
      for (let j = 0; j < m.filled; j++) out.push(Array.prototype.slice.call(c, j * n, j * n + n) as number[]);
    } else {
      const f = this.built.twinState as { c: Float64Array; filled: number };
      for (let j = 0; j < f.filled; j++) out.push(Array.prototype.slice.call(f.c, j * n, j * n + n) as number[]);
    }
    return out;
  }

  /** Predicts (test), then learns (train) the next stream sample with both models. */
  step(): Sample {
    const s = this.stream.next();
    const b = this.built;
    const a = this.judge(b.fixed, s, this.fixedScore);
    if (b.twin) {
      const t = this.judge(b.twin, s, this.twinScore);
      this.disagree += this.task === 'regress' ? Math.abs(a - t) : a !== t ? 1 : 0;
      b.twin.learn(s.x, s.y);
    }
    b.fixed.learn(s.x, s.y);
    this.seen++;
    this.recent.push(s);
    if (this.recent.length > (this.dataset.kind === 'room' ? RECENT_ROOM : RECENT)) this.recent.shift();
    this.record();
    return s;
  }

  /** Learns a point the student added (not scored: the student chose it). */
  teach(x: number[], y: number): void {
    this.built.fixed.learn(x, y);
    if (this.built.twin) this.built.twin.learn(x, y);
    this.taught.push({ x, y });
  }

  /** Swaps in an imported model; the twin stops (its float state cannot come from the blob). */
  replaceModel(b: Built): void {
    this.built = b;
    this.imported = true;
  }

  private record(): void {
    if (this.seen % this.historyStride !== 0) return;
    this.history.push([this.seen, this.fixedScore.recent(), this.built.twin ? this.twinScore.recent() : NaN]);
    if (this.history.length >= HISTORY) {
      this.history = this.history.filter((_, i) => i % 2 === 1);
      this.historyStride *= 2;
    }
  }
}
