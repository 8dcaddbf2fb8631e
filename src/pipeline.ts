/**
 * Pipeline: transformers, then one final model, used as one model.
 * On learnOne every transformer learns the sample and then transforms it
 * for the next stage (as in River). It serializes as one blob.
 */
import { fail } from './errors.js';
import { fromQ, toQ } from './fixed.js';
import { ByteReader, ModelType, encode } from './format.js';
import { AnomalyDetector, Classifier, Model, Regressor, Transformer, checkTargetQ, checkVectorQ, readVector } from './learner.js';

/** A clusterer as far as Pipeline needs it (KMeans). */
interface Clusterer {
  readonly nFeatures: number;
  readonly stateBytes: number;
  learnOneQ(x: Int32Array): void;
  predictOneQ(x: Int32Array): number;
  toBytes(): Uint8Array;
}

type Final = Regressor | Classifier | AnomalyDetector | Clusterer;
type Stage = Transformer | Final;

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

function widthOut(t: Transformer): number {
  const n = (t as unknown as { nOutputs?: number }).nOutputs;
  return n === undefined ? t.nFeatures : n;
}

/**
 * @example
 * const p = new Pipeline([new StandardScaler({ nFeatures: 5 }), new LogisticRegression({ nFeatures: 5 })]);
 * p.learnOne([1, 2, 3, 4, 5], 1);
 * p.predictOne([1, 2, 3, 4, 5]);
 */
export class Pipeline {
  readonly nFeatures: number;
  readonly nClasses: number;
  readonly stateBytes: number;
  readonly steps: Stage[];
  private readonly transformers: Transformer[];
  private readonly last: Final;
  private readonly kind: number;
  private readonly bufs: Int32Array[];
  private readonly proba: Float64Array;

  /** @param steps zero or more transformers, then a regressor, classifier or anomaly detector. */
  constructor(steps: Stage[]) {
    if (!steps || typeof steps.length !== 'number' || steps.length < 1) fail('E_OPTION', 'a Pipeline needs at least a final model');
    this.steps = steps;
    this.last = steps[steps.length - 1] as Final;
    this.kind = kindOf(this.last);
    if (this.kind < 0) fail('E_OPTION', 'the last step of a Pipeline must be a regressor, classifier, anomaly detector or clusterer');
    this.transformers = [];
    this.bufs = [];
    let width = steps[0].nFeatures;
    let bytes = 0;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      if (s.nFeatures !== width) fail('E_OPTION', 'step ' + i + ' expects ' + s.nFeatures + ' features but receives ' + width);
      bytes += s.stateBytes;
      this.bufs.push(new Int32Array(width));
      if (i < steps.length - 1) {
        if (typeof (s as Transformer).transformOneQ !== 'function') fail('E_OPTION', 'step ' + i + ' of a Pipeline is not a transformer');
        this.transformers.push(s as Transformer);
        width = widthOut(s as Transformer);
      }
    }
    this.nFeatures = steps[0].nFeatures;
    this.nClasses = this.kind === KIND_CLASSIFIER ? (this.last as Classifier).nClasses : 0;
    this.stateBytes = bytes;
    this.proba = new Float64Array(this.nClasses);
  }

  /** Runs x (already Q16.16 in bufs[0]) through the transformers, learning if asked; returns the final input. */
  private forward(learn: boolean): Int32Array {
    const t = this.transformers;
    for (let i = 0; i < t.length; i++) {
      if (learn) t[i].learnOneQ(this.bufs[i]);
      t[i].transformOneQ(this.bufs[i], this.bufs[i + 1]);
    }
    return this.bufs[t.length];
  }

  private input(x: Int32Array): void {
    checkVectorQ(x, this.nFeatures);
    this.bufs[0].set(x);
  }

  /** Learns one sample; `y` is omitted for an anomaly detector or a clusterer. Everything is validated before anything learns. */
  learnOne(x: ArrayLike<number>, y?: number): void {
    if (this.kind >= KIND_DETECTOR) {
      readVector(x, this.nFeatures, this.bufs[0]);
      (this.last as Clusterer).learnOneQ(this.forward(true));
      return;
    }
    (this.last as Regressor).checkTarget(y as number);
    readVector(x, this.nFeatures, this.bufs[0]);
    const yy = this.kind === KIND_REGRESSOR ? toQ(y as number) : (y as number);
    (this.last as Regressor).learnOneQ(this.forward(true), yy);
  }

  /** Label (classifier), real value (regressor), score (detector) or cluster index (clusterer). */
  predictOne(x: ArrayLike<number>): number {
    readVector(x, this.nFeatures, this.bufs[0]);
    const v = this.forward(false);
    if (this.kind === KIND_DETECTOR) return fromQ((this.last as AnomalyDetector).scoreOneQ(v));
    const p = (this.last as Regressor).predictOneQ(v);
    return this.kind === KIND_REGRESSOR ? fromQ(p) : p; // a class or cluster index as is
  }

  /** Anomaly score of the final detector. */
  scoreOne(x: ArrayLike<number>): number {
    if (this.kind !== KIND_DETECTOR) fail('E_STATE', 'scoreOne needs an anomaly detector as the last step');
    return this.predictOne(x);
  }

  predictProbaOne(x: ArrayLike<number>): Float64Array {
    if (this.kind !== KIND_CLASSIFIER) fail('E_STATE', 'predictProbaOne needs a classifier as the last step');
    readVector(x, this.nFeatures, this.bufs[0]);
    const q = (this.last as Classifier).predictProbaOneQ(this.forward(false));
    for (let i = 0; i < this.nClasses; i++) this.proba[i] = fromQ(q[i]);
    return this.proba;
  }

  learnOneQ(x: Int32Array, y?: number): void {
    if (this.kind === KIND_REGRESSOR) checkTargetQ(y as number);
    else if (this.kind === KIND_CLASSIFIER) (this.last as Classifier).checkTarget(y as number);
    this.input(x);
    if (this.kind >= KIND_DETECTOR) (this.last as Clusterer).learnOneQ(this.forward(true));
    else (this.last as Regressor).learnOneQ(this.forward(true), y as number);
  }

  predictOneQ(x: Int32Array): number {
    this.input(x);
    const v = this.forward(false);
    return this.kind === KIND_DETECTOR ? (this.last as AnomalyDetector).scoreOneQ(v) : (this.last as Regressor).predictOneQ(v);
  }

  predictProbaOneQ(x: Int32Array): Int32Array {
    if (this.kind !== KIND_CLASSIFIER) fail('E_STATE', 'predictProbaOneQ needs a classifier as the last step');
    this.input(x);
    return (this.last as Classifier).predictProbaOneQ(this.forward(false));
  }

  scoreOneQ(x: Int32Array): number {
    if (this.kind !== KIND_DETECTOR) fail('E_STATE', 'scoreOneQ needs an anomaly detector as the last step');
    return this.predictOneQ(x);
  }

  checkTarget(y: number): void {
    if (this.kind <= KIND_CLASSIFIER) (this.last as Regressor).checkTarget(y);
  }

  toBytes(): Uint8Array {
    const steps = this.steps;
    return encode(ModelType.Pipeline, function (w) {
      w.u8(steps.length);
      for (let i = 0; i < steps.length; i++) {
        const b = steps[i].toBytes();
        w.u32(b.length);
        w.u8s(b);
      }
    });
  }

  /**
   * @internal Rebuilds from a payload; `decode` turns each nested blob into a
   * model (it is `load`, passed in so this module does not import every model).
   */
  static fromReader(r: ByteReader, decode: (bytes: Uint8Array) => Model): Pipeline {
    const n = r.u8();
    if (n < 1) fail('E_CORRUPT', 'empty pipeline');
    const steps: Stage[] = [];
    for (let i = 0; i < n; i++) {
      const len = r.u32();
      r.need(len);
      steps.push(decode(r.bytes.subarray(r.pos, r.pos + len)) as Stage);
      r.pos += len;
    }
    return new Pipeline(steps);
  }
}
