/**
 * Pipeline: transformers, then one final model, used as one model.
 * On learnOne every transformer learns the sample and then transforms it
 * for the next stage (as in River). It serializes as one blob.
 *
 * The first step receives x itself (real numbers through its real-valued
 * entry points), so a first step with its own input scale (the scalers, the
 * statistics learners) sees raw sensor ranges unclipped; later steps receive
 * the Q16.16 output of the step before.
 */
import { MicrolearnError, fail } from './errors.js';
import { checkModels, merge, same } from './merge.js';
import { Q_MAX, fromQ, toQ } from './fixed.js';
import { ByteReader, ByteWriter, ModelType } from './format.js';
import { loadModel } from './load.js';
import {
  AnomalyDetector, Classifier, Learner, ModelClass, Regressor, Transformer, checkTargetQ, readTarget,
} from './learner.js';

/** A clusterer as far as Pipeline needs it (KMeans). */
interface Clusterer {
  readonly nFeatures: number;
  readonly stateBytes: number;
  learnOne(x: ArrayLike<number>): void;
  learnOneQ(x: Int32Array): void;
  predictOneQ(x: Int32Array): number;
  toBytes(): Uint8Array;
}

/** What can end a Pipeline. */
export type Final = Regressor | Classifier | AnomalyDetector | Clusterer;
/** Any step of a Pipeline. */
export type Stage = Transformer | Final;

const KIND_REGRESSOR = 0;
const KIND_CLASSIFIER = 1;
const KIND_DETECTOR = 2;
const KIND_CLUSTERER = 3; // learnOne(x), predictOne → cluster index (KMeans)

function kindOf(m: Stage): number {
  const a = m as unknown as { [k: string]: unknown };
  // nClasses 0: a regressor that also has the classifier methods (MLP, int8 models built for either task)
  if (typeof a.predictProbaOneQ === 'function' && a.nClasses !== 0) return KIND_CLASSIFIER;
  if (typeof a.scoreOneQ === 'function') return KIND_DETECTOR;
  if (typeof a.predictOneQ === 'function') return typeof a.checkTarget === 'function' ? KIND_REGRESSOR : KIND_CLUSTERER;
  return -1;
}

/**
 * @example
 * const p = new Pipeline([new StandardScaler({ nFeatures: 5 }), new LogisticRegression({ nFeatures: 5 })]);
 * p.learnOne([1, 2, 3, 4, 5], 1);
 * p.predictOne([1, 2, 3, 4, 5]);
 */
export class Pipeline extends Learner {
  static readonly modelType = ModelType.Pipeline;
  /** Number of classes of a final classifier, else 0. */
  readonly nClasses: number;
  readonly stateBytes: number;
  readonly steps: ReadonlyArray<Stage>;
  private readonly transformers: Transformer[];
  private readonly last: Final;
  private readonly kind: number;
  /** bufs[i] is the input of step i (bufs[0] is the scratch vector). */
  private readonly bufs: Int32Array[];
  private readonly proba: Float64Array;

  /** @param steps zero or more transformers, then a regressor, classifier, anomaly detector or clusterer. */
  constructor(steps: ReadonlyArray<Stage>) {
    if (!steps || typeof steps.length !== 'number' || steps.length < 1) fail('E_OPTION', 'a Pipeline needs at least a final model');
    super(steps[0].nFeatures);
    this.steps = steps;
    this.last = steps[steps.length - 1] as Final;
    this.kind = kindOf(this.last);
    if (this.kind < 0) fail('E_OPTION', 'the last step of a Pipeline must be a regressor, classifier, anomaly detector or clusterer');
    this.transformers = [];
    this.bufs = [new Int32Array(0)]; // bufs[0] is unused: step 0 reads x itself
    let width = steps[0].nFeatures;
    let bytes = 0;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      if (s.nFeatures !== width) fail('E_OPTION', 'step ' + i + ' expects ' + s.nFeatures + ' features but receives ' + width);
      bytes += s.stateBytes;
      if (i < steps.length - 1) {
        if (typeof (s as Transformer).transformOneQ !== 'function') fail('E_OPTION', 'step ' + i + ' of a Pipeline is not a transformer');
        this.transformers.push(s as Transformer);
        width = (s as Transformer).nOutputs;
        this.bufs.push(new Int32Array(width));
      }
    }
    this.nClasses = this.kind === KIND_CLASSIFIER ? (this.last as Classifier).nClasses : 0;
    this.stateBytes = bytes;
    this.proba = new Float64Array(this.nClasses);
  }

  /**
   * x through the transformers, learning them if asked; returns the final
   * step's input (Q16.16), or null when there are no transformers (the final
   * step then reads x itself). x is real-valued, or Q16.16 when `q`.
   */
  private forward(x: ArrayLike<number>, q: boolean, learn: boolean): Int32Array | null {
    const t = this.transformers;
    if (t.length === 0) return null;
    const b = this.bufs;
    if (q) {
      if (learn) t[0].learnOneQ(x as Int32Array);
      t[0].transformOneQ(x as Int32Array, b[1]);
    } else {
      t[0].forwardOne(x, b[1], learn);
    }
    for (let i = 1; i < t.length; i++) {
      if (learn) t[i].learnOneQ(b[i]);
      t[i].transformOneQ(b[i], b[i + 1]);
    }
    return b[t.length];
  }

  private needs(kind: number, what: string): void {
    if (this.kind !== kind) fail('E_STATE', what + ' needs ' + (kind === KIND_CLASSIFIER ? 'a classifier' : 'an anomaly detector') + ' as the last step');
  }

  /**
   * The final detector's Q16.16 score of x. A transformer that cannot
   * represent its output (E_RANGE: x is far outside everything learned) gives
   * the maximal score, as a detector does for an input too far to represent.
   */
  private scoreOf(x: ArrayLike<number>, q: boolean): number {
    const d = this.last as AnomalyDetector;
    let v: Int32Array | null;
    try {
      v = this.forward(x, q, false);
    } catch (e) {
      if (e instanceof MicrolearnError && e.code === 'E_RANGE') return Q_MAX;
      throw e;
    }
    return v === null ? (q ? d.scoreOneQ(x as Int32Array) : toQ(d.scoreOne(x))) : d.scoreOneQ(v);
  }

  /** Learns one sample; `y` is omitted for an anomaly detector or a clusterer. Everything is validated before anything learns. */
  learnOne(x: ArrayLike<number>, y?: number): void {
    if (this.kind >= KIND_DETECTOR) {
      const c = this.last as Clusterer;
      const v = this.forward(x, false, true);
      if (v === null) c.learnOne(x);
      else c.learnOneQ(v);
      return;
    }
    const last = this.last as Regressor;
    const yy = this.kind === KIND_REGRESSOR ? readTarget(y as number) : (y as number);
    last.checkTarget(y as number);
    const v = this.forward(x, false, true);
    if (v === null) last.learnOne(x, y as number);
    else last.learnOneQ(v, yy);
  }

  /**
   * Learns one sample into the transformers only; the final step is left as
   * it is. For a copy kept only for its transformers' statistics (a fleet
   * member's `own`), which would otherwise train a final step nobody reads.
   */
  learnTransformersOne(x: ArrayLike<number>): void {
    this.forward(x, false, true);
  }

  /** Label (classifier), real value (regressor), score (detector) or cluster index (clusterer). */
  predictOne(x: ArrayLike<number>): number {
    if (this.kind === KIND_DETECTOR) return fromQ(this.scoreOf(x, false));
    const v = this.forward(x, false, false);
    if (v === null) return (this.last as Regressor).predictOne(x);
    const p = (this.last as Regressor).predictOneQ(v);
    return this.kind === KIND_REGRESSOR ? fromQ(p) : p; // a class or cluster index as is
  }

  /** Class probabilities of the final classifier (the returned array is reused). */
  predictProbaOne(x: ArrayLike<number>): Float64Array {
    this.needs(KIND_CLASSIFIER, 'predictProbaOne');
    const v = this.forward(x, false, false);
    if (v === null) return (this.last as Classifier).predictProbaOne(x);
    const q = (this.last as Classifier).predictProbaOneQ(v);
    for (let i = 0; i < this.nClasses; i++) this.proba[i] = fromQ(q[i]);
    return this.proba;
  }

  /** Anomaly score of the final detector (the maximal score 32768 for an input too far to represent). */
  scoreOne(x: ArrayLike<number>): number {
    this.needs(KIND_DETECTOR, 'scoreOne');
    return fromQ(this.scoreOf(x, false));
  }

  /** True if the final detector flags x (after the transformers). */
  isAnomaly(x: ArrayLike<number>): boolean {
    this.needs(KIND_DETECTOR, 'isAnomaly');
    return this.scoreOf(x, false) > toQ(this.threshold());
  }

  /** The final detector's similarity 0..100 for x (after the transformers). */
  similarity(x: ArrayLike<number>): number {
    this.needs(KIND_DETECTOR, 'similarity');
    return this.similarityOf(this.scoreOf(x, false));
  }

  private similarityOf(s: number): number {
    return (this.last as AnomalyDetector & { similarityOfScoreQ(s: number): number }).similarityOfScoreQ(s);
  }

  /** The final detector's threshold on scoreOne. */
  threshold(): number {
    this.needs(KIND_DETECTOR, 'threshold');
    return (this.last as AnomalyDetector).threshold();
  }

  learnOneQ(x: Int32Array, y?: number): void {
    if (this.kind === KIND_REGRESSOR) checkTargetQ(y as number);
    else if (this.kind === KIND_CLASSIFIER) (this.last as Classifier).checkTarget(y as number);
    const v = this.forward(x, true, true);
    if (this.kind >= KIND_DETECTOR) (this.last as Clusterer).learnOneQ(v === null ? x : v);
    else (this.last as Regressor).learnOneQ(v === null ? x : v, y as number);
  }

  predictOneQ(x: Int32Array): number {
    if (this.kind === KIND_DETECTOR) return this.scoreOf(x, true);
    const v = this.forward(x, true, false);
    return (this.last as Regressor).predictOneQ(v === null ? x : v);
  }

  predictProbaOneQ(x: Int32Array): Int32Array {
    this.needs(KIND_CLASSIFIER, 'predictProbaOneQ');
    const v = this.forward(x, true, false);
    return (this.last as Classifier).predictProbaOneQ(v === null ? x : v);
  }

  scoreOneQ(x: Int32Array): number {
    this.needs(KIND_DETECTOR, 'scoreOneQ');
    return this.scoreOf(x, true);
  }

  isAnomalyQ(x: Int32Array): boolean {
    this.needs(KIND_DETECTOR, 'isAnomalyQ');
    return this.scoreOf(x, true) > toQ(this.threshold());
  }

  /** Throws unless y is a valid target of the final step (no-op for detectors and clusterers). */
  checkTarget(y: number): void {
    if (this.kind <= KIND_CLASSIFIER) (this.last as Regressor).checkTarget(y);
  }

  /** @internal Payload: `u8 nSteps`, then per step `u32 length` and the step's complete blob. */
  write(w: ByteWriter): void {
    const steps = this.steps;
    w.u8(steps.length);
    for (let i = 0; i < steps.length; i++) {
      const b = steps[i].toBytes();
      w.u32(b.length);
      w.u8s(b);
    }
  }

  /**
   * Merges pipelines step by step: step i of the result is `merge` of every
   * pipeline's step i. The transformers merge by their own statistics; the
   * final step takes `weights` (or, without them, its own default). Steps
   * must be of the same classes and options (E_TYPE, E_SHAPE, naming the step).
   */
  static merge(models: ReadonlyArray<Pipeline>, weights?: ArrayLike<number>): Pipeline {
    checkModels(models, Pipeline, weights);
    const n = models[0].steps.length;
    for (let i = 0; i < models.length; i++) same('number of steps', i, n, models[i].steps.length);
    const steps: Stage[] = [];
    for (let s = 0; s < n; s++) {
      const column: Stage[] = [];
      for (let i = 0; i < models.length; i++) column.push(models[i].steps[s]);
      try {
        steps.push(merge(column, s === n - 1 ? weights : undefined));
      } catch (e) {
        if (e instanceof MicrolearnError) throw new MicrolearnError(e.code, 'step ' + s + ': ' + e.message.slice(e.code.length + 2));
        throw e;
      }
    }
    return new Pipeline(steps);
  }

  /** @internal Rebuilds from a payload; each step is decoded with the classes the loader was given. */
  static fromReader(r: ByteReader, classes: ReadonlyArray<ModelClass>): Pipeline {
    const n = r.u8();
    if (n < 1) fail('E_CORRUPT', 'empty pipeline');
    const steps: Stage[] = [];
    for (let i = 0; i < n; i++) {
      const len = r.u32();
      r.need(len);
      steps.push(loadModel(r.bytes.subarray(r.pos, r.pos + len), classes) as Stage);
      r.pos += len;
    }
    return new Pipeline(steps);
  }
}
