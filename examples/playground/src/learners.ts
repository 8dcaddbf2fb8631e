/**
 * The learners the playground offers: their main options (as labelled
 * controls), which data sets they fit, and how to build one — the
 * library's fixed-point model next to its float64 twin (bench/float-*.ts).
 *
 * Option keys are the library's own option names, so what a control says is
 * exactly what the constructor receives.
 */
import {
  GaussianNB, GaussianScorer, HalfSpaceTrees, HoeffdingTreeClassifier, KMeans, KMeansDetector, KNNClassifier,
  LinearRegression, LogisticRegression, MLP, MicrolearnError, MinMaxScaler, Pipeline, Random, SoftmaxRegression, StandardScaler,
} from 'microlearn';
import { FLinear } from '../../../bench/float-linear.js';
import { FloatMLP } from '../../../bench/float-mlp.js';
import { FOptimizer } from '../../../bench/float-optim.js';
import { FGaussianNB, FHoeffdingTree, FKMeans, FKNN, FSoftmax, FStandardScaler } from '../../../bench/float-suite1.js';
import { FDetector, FGaussianScorer, FHalfSpaceTrees, FKMeansDetector, FMinMaxScaler } from '../../../bench/float-anomaly.js';
import { DatasetInfo } from './datasets.js';

/** classify: labels; regress: a real target; cluster: no label, cluster index; detect: no label, anomaly score. */
export type Task = 'classify' | 'regress' | 'cluster' | 'detect';

export interface OptionSpec {
  /** The library's option name. */
  key: string;
  label: string;
  /** What it does, in one line (the control's description). */
  help: string;
  /** A slider over these values... */
  values?: number[];
  /** ...or a choice... */
  choices?: string[];
  /** ...or free text (layer widths). */
  text?: boolean;
  def: number | string;
  /** The option applies only while another one has this choice (momentum: optimizer 'sgd'): hidden and not passed otherwise. */
  appliesWhen?: { key: string; is: string };
  /** Defaults by another option's choice (the learning rate by optimizer); `def` is the one for that option's default. */
  defaultBy?: { key: string; defs: { [choice: string]: number } };
}

export type Options = { [key: string]: number | string };

/** What the session asks of a model, fixed-point or float. */
export interface Predictor {
  learn(x: ArrayLike<number>, y: number): void;
  /** Class, regression value, cluster index or anomaly score. */
  predict(x: ArrayLike<number>): number;
  /** Probability of the predicted class (classifiers; NaN otherwise). */
  confidence(x: ArrayLike<number>, c: number): number;
  /** Detectors: the calibrated threshold on the score, NaN while there is none yet. */
  threshold(): number;
}

/** Anything with toBytes and stateBytes: a learner or a Pipeline. */
export interface Saveable {
  readonly stateBytes: number;
  toBytes(): Uint8Array;
}

export interface Built {
  /** The model exported as .mlrn (the learner, or a Pipeline with a scaler in front). */
  model: Saveable;
  /** The learner itself (inside the pipeline, if any): what the view inspects. */
  core: object;
  fixed: Predictor;
  /** null when the float64 twin cannot follow (an imported model). */
  twin: Predictor | null;
  /** The float twin itself (its centroids, splits, window), for drawing. */
  twinState: object | null;
}

export interface LearnerSpec {
  name: string;
  task: Task | 'auto';
  options: OptionSpec[];
  /** Why it does not fit a data set, or null if it does. */
  misfit(d: DatasetInfo): string | null;
  build(d: DatasetInfo, o: Options, seed: number): Built;
}

const LR = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];
const SMALL = [0, 0.0001, 0.001, 0.01, 0.1];
const MARGIN = [0.5, 0.75, 1, 1.25, 1.5, 2, 3, 5];
const QUANTILE = [0.5, 0.9, 0.95, 0.99, 1];

type OptimizerName = NonNullable<ConstructorParameters<typeof MLP>[0]['optimizer']>;

/** The optimizer control of the SGD-trained models (the library's option and names). */
function optimizerOpt(def: OptimizerName): OptionSpec {
  return {
    key: 'optimizer', label: 'Optimizer', choices: ['sgd', 'adam', 'rmsprop'], def,
    help: 'sgd: each step is the rate × the gradient; adam: each weight’s step is scaled by its own running gradient size, with momentum; rmsprop: scaled, without momentum.',
  };
}

/** The learning rate, whose default follows the optimizer (Adam and RMSprop take much smaller rates). */
function lrOpt(defs: { sgd: number; adam: number; rmsprop: number }, optimizer: OptimizerName): OptionSpec {
  return {
    key: 'learningRate', label: 'Learning rate', values: LR, def: defs[optimizer], defaultBy: { key: 'optimizer', defs },
    help: 'Step size: with sgd it multiplies the gradient; with adam or rmsprop a weight moves about this much per step. Each optimizer sets its own default.',
  };
}

/** The playground's learning rates of the linear models: the library's 0.01 (sgd) is slow to watch; Adam and RMSprop as measured in test/playground-lessons.test.ts. */
function linearLr(sgd: number): OptionSpec {
  return lrOpt({ sgd, adam: 0.01, rmsprop: 0.01 }, 'sgd');
}
const L2: OptionSpec = { key: 'l2', label: 'L2 penalty', help: 'Pulls the weights toward 0 at every step.', values: SMALL, def: 0 };
const DECAY: OptionSpec = { key: 'decay', label: 'Rate decay', help: 'The rate at step t is learningRate / (1 + decay·t).', values: SMALL, def: 0 };
const CAL: OptionSpec[] = [
  // The library's defaults (1.5 × the largest score) suit clean training data; the playground's stream
  // carries 3 % anomalies that are learned too, so a high quantile is the better reference here.
  { key: 'margin', label: 'Threshold margin', help: 'Threshold = margin × the reference score: larger flags less.', values: MARGIN, def: 1 },
  { key: 'quantile', label: 'Reference quantile', help: 'Which quantile of the learned scores is the reference (1 = the largest).', values: QUANTILE, def: 0.95 },
  { key: 'warmup', label: 'Warm-up samples', help: 'Samples learned before scores count toward the threshold.', values: [0, 8, 16, 32, 64, 128], def: 16 },
];

function num(o: Options, k: string): number {
  return o[k] as number;
}

/** Whether an option applies given the others (momentum only with optimizer 'sgd'). */
export function applies(s: OptionSpec, o: Options): boolean {
  return !s.appliesWhen || o[s.appliesWhen.key] === s.appliesWhen.is;
}

/** The default of an option given the others' values (the learning rate of the chosen optimizer). */
export function defaultOf(s: OptionSpec, o: Options): number | string {
  const by = s.defaultBy;
  if (by && typeof o[by.key] === 'string' && by.defs[o[by.key] as string] !== undefined) return by.defs[o[by.key] as string];
  return s.def;
}

/**
 * The options after the student changed `key` (its new value in `o`) on the
 * page: the options whose default follows it (the learning rate follows the
 * optimizer) take their new default. Nothing is dropped (a hidden control
 * keeps its value).
 */
export function followChange(l: LearnerSpec, o: Options, key: string): Options {
  const next: Options = { ...o };
  for (const s of l.options) if (s.defaultBy && s.defaultBy.key === key) next[s.key] = defaultOf(s, next);
  return next;
}

/**
 * `chosen` completed with the defaults of the options it leaves out, minus
 * the options that do not apply: exactly what a learner's build receives.
 */
export function complete(l: LearnerSpec, chosen: Options): Options {
  const all: Options = {};
  for (const s of l.options) if (!s.defaultBy) all[s.key] = chosen[s.key] !== undefined ? chosen[s.key] : s.def;
  for (const s of l.options) if (s.defaultBy) all[s.key] = chosen[s.key] !== undefined ? chosen[s.key] : defaultOf(s, all);
  const o: Options = {};
  for (const s of l.options) if (applies(s, all)) o[s.key] = all[s.key];
  return o;
}

/** A fixed-point classifier/regressor (or a Pipeline ending in one) as a Predictor. */
interface Supervised {
  learnOne(x: ArrayLike<number>, y: number): void;
  predictOne(x: ArrayLike<number>): number;
  predictProbaOne?(x: ArrayLike<number>): Float64Array;
}

function supervised(m: Supervised, classify: boolean): Predictor {
  return {
    learn: (x, y) => m.learnOne(x, y),
    predict: (x) => m.predictOne(x),
    confidence: (x, c) => (classify && m.predictProbaOne ? m.predictProbaOne(x)[c] : NaN),
    threshold: () => NaN,
  };
}

interface Detector {
  learnOne(x: ArrayLike<number>): void;
  scoreOne(x: ArrayLike<number>): number;
}

/** A fixed-point detector (or a Pipeline ending in one); `core` is the detector itself, for its threshold. */
function detector(m: Detector, core: { threshold(): number }): Predictor {
  return {
    learn: (x) => m.learnOne(x),
    predict: (x) => m.scoreOne(x),
    confidence: () => NaN,
    threshold: () => {
      try {
        return core.threshold();
      } catch (e) {
        if (e instanceof MicrolearnError && e.code === 'E_STATE') return NaN; // still warming up
        throw e;
      }
    },
  };
}

/** A float scaler in front of a float learner, as Pipeline does it: the scaler learns, then transforms. */
interface FScaler {
  learnOne(x: ArrayLike<number>): void;
  transformOne(x: ArrayLike<number>): Float64Array;
}

function scaledTwin(s: FScaler | null, p: Predictor): Predictor {
  if (!s) return p;
  return {
    learn: (x, y) => {
      s.learnOne(x);
      p.learn(s.transformOne(x), y);
    },
    predict: (x) => p.predict(s.transformOne(x)),
    confidence: (x, c) => p.confidence(s.transformOne(x), c),
    threshold: () => p.threshold(),
  };
}

function twinOf(m: FLearner): Predictor {
  return { learn: (x, y) => m.learnOne(x, y), predict: (x) => m.predictOne(x), confidence: () => NaN, threshold: () => NaN };
}

function detectorTwin(d: FDetector): Predictor {
  return { learn: (x) => d.learnOne(x), predict: (x) => d.scoreOne(x), confidence: () => NaN, threshold: () => d.cal.threshold() };
}

/** The room's raw readings (°C, lux, 0/1) need a StandardScaler in front, as on a device. */
function needsScaler(d: DatasetInfo): boolean {
  return d.kind === 'room';
}

/** Wraps a fixed-point learner and its twin in a scaler when the data set needs one. */
function assemble(
  d: DatasetInfo,
  core: Saveable & object,
  twin: Predictor,
  minMax: boolean,
): { model: Saveable; fixedModel: Supervised & Detector; twin: Predictor } {
  const n = d.nFeatures;
  const scale = minMax || needsScaler(d);
  if (!scale) return { model: core, fixedModel: core as unknown as Supervised & Detector, twin };
  const scaler = minMax ? new MinMaxScaler({ nFeatures: n }) : new StandardScaler({ nFeatures: n });
  // Pipeline's constructor takes the union of its stage types; the learners here all qualify.
  const p = new Pipeline([scaler, core as unknown as ConstructorParameters<typeof Pipeline>[0][number]]);
  return { model: p, fixedModel: p as unknown as Supervised & Detector, twin: scaledTwin(minMax ? new FMinMaxScaler(n) : new FStandardScaler(n), twin) };
}

/** A float twin with the FloatLearner methods. */
interface FLearner {
  learnOne(x: ArrayLike<number>, y: number): void;
  predictOne(x: ArrayLike<number>): number;
}

function supervisedBuilt(d: DatasetInfo, core: Saveable & object, twin: FLearner): Built {
  const classify = d.nClasses > 0;
  const a = assemble(d, core, twinOf(twin), false);
  return { model: a.model, core, fixed: supervised(a.fixedModel, classify), twin: a.twin, twinState: twin };
}

function detectorBuilt(d: DatasetInfo, core: Saveable & { threshold(): number }, twin: FDetector, minMax: boolean): Built {
  const a = assemble(d, core, detectorTwin(twin), minMax);
  return { model: a.model, core, fixed: detector(a.fixedModel, core), twin: a.twin, twinState: twin };
}

const onlyClasses = (d: DatasetInfo) => (d.nClasses > 0 ? null : 'needs labelled classes (pick a plane data set or the room)');
const onlyPlaneOrRoom = (d: DatasetInfo) =>
  d.kind === 'curve'
    ? 'learns without labels on the plane or the room, not on a curve'
    : d.name === 'xor' || d.name === 'rotating'
      ? 'has nothing to find here: the normal samples fill the whole square'
      : null;

/** k-NN's reservoir policy in the float twin: the same Algorithm R with the library's xorshift. */
class FKNNReservoir extends FKNN {
  private readonly rng: Random;
  private seen = 0;
  constructor(n: number, C: number, k: number, W: number, seed: number) {
    super(n, C, k, W);
    this.rng = new Random(seed);
  }
  override learnOne(x: ArrayLike<number>, y: number): void {
    this.seen++;
    let slot: number;
    if (this.filled < this.W) slot = this.filled++;
    else {
      slot = this.rng.nextInt(this.seen);
      if (slot >= this.W) return;
    }
    for (let i = 0; i < this.n; i++) this.data[slot * this.n + i] = x[i];
    this.ys[slot] = y;
  }
}

/** FloatMLP under the FloatLearner names. */
function mlpTwin(m: MLP): FLearner {
  // FloatMLP is typed against the library's sources, the page against its ESM build: the same class.
  const f = new FloatMLP(m as unknown as ConstructorParameters<typeof FloatMLP>[0]);
  return { learnOne: (x, y) => f.learn(x, y), predictOne: (x) => f.predict(x) };
}

/** Parses "16" or "8, 8" (an empty string: no hidden layer). */
export function parseHidden(s: string): number[] {
  const t = s.trim();
  if (t === '') return [];
  return t.split(/[\s,]+/).map((v) => {
    const n = Number(v);
    if (!(n >= 1 && n <= 64 && Math.floor(n) === n)) throw new MicrolearnError('E_OPTION', 'hidden layer widths are whole numbers 1..64, got "' + v + '"');
    return n;
  });
}

type MLPActivation = NonNullable<ConstructorParameters<typeof MLP>[0]['activation']>;
type MLPTask = NonNullable<ConstructorParameters<typeof MLP>[0]['task']>;
type KNNPolicy = NonNullable<ConstructorParameters<typeof KNNClassifier>[0]['policy']>;
type LeafPrediction = NonNullable<ConstructorParameters<typeof HoeffdingTreeClassifier>[0]['leafPrediction']>;

export const LEARNERS: LearnerSpec[] = [
  {
    name: 'LinearRegression',
    task: 'regress',
    options: [optimizerOpt('sgd'), linearLr(0.05), L2, DECAY],
    misfit: (d) => (d.nClasses === 0 ? null : 'fits a curve (sine or line)'),
    build(d, o) {
      const opts = { nFeatures: d.nFeatures, optimizer: o.optimizer as OptimizerName, learningRate: num(o, 'learningRate'), l2: num(o, 'l2'), decay: num(o, 'decay') };
      const m = new LinearRegression(opts);
      return supervisedBuilt(d, m, new FLinear(d.nFeatures, opts.learningRate, opts.l2, opts.decay, false, FOptimizer.of(m.core.opt.options())));
    },
  },
  {
    name: 'LogisticRegression',
    task: 'classify',
    options: [optimizerOpt('sgd'), linearLr(0.1), L2, DECAY],
    misfit: (d) => (d.nClasses === 2 ? null : 'is binary: needs exactly two classes (SoftmaxRegression takes more)'),
    build(d, o) {
      const opts = { nFeatures: d.nFeatures, optimizer: o.optimizer as OptimizerName, learningRate: num(o, 'learningRate'), l2: num(o, 'l2'), decay: num(o, 'decay') };
      const m = new LogisticRegression(opts);
      return supervisedBuilt(d, m, new FLinear(d.nFeatures, opts.learningRate, opts.l2, opts.decay, true, FOptimizer.of(m.core.opt.options())));
    },
  },
  {
    name: 'SoftmaxRegression',
    task: 'classify',
    options: [optimizerOpt('sgd'), linearLr(0.1), L2, DECAY],
    misfit: onlyClasses,
    build(d, o) {
      const opts = {
        nFeatures: d.nFeatures, nClasses: d.nClasses, optimizer: o.optimizer as OptimizerName, learningRate: num(o, 'learningRate'), l2: num(o, 'l2'), decay: num(o, 'decay'),
      };
      const m = new SoftmaxRegression(opts);
      return supervisedBuilt(d, m, new FSoftmax(d.nFeatures, d.nClasses, opts.learningRate, opts.l2, opts.decay, FOptimizer.of(m.opt.options())));
    },
  },
  {
    name: 'KNNClassifier',
    task: 'classify',
    options: [
      { key: 'k', label: 'k (neighbours)', help: 'How many stored samples vote.', values: [1, 2, 3, 5, 7, 9, 15, 25], def: 5 },
      { key: 'windowSize', label: 'Memory window (samples)', help: 'Samples kept: the whole memory of the model.', values: [10, 25, 50, 100, 200, 400], def: 100 },
      { key: 'policy', label: 'Which samples stay', help: 'fifo keeps the latest; reservoir keeps a uniform sample of the whole stream.', choices: ['fifo', 'reservoir'], def: 'fifo' },
    ],
    misfit: onlyClasses,
    build(d, o, seed) {
      const k = Math.min(num(o, 'k'), num(o, 'windowSize'));
      const opts = { nFeatures: d.nFeatures, nClasses: d.nClasses, k, windowSize: num(o, 'windowSize'), policy: o.policy as KNNPolicy, seed };
      const m = new KNNClassifier(opts);
      const W = opts.windowSize;
      const twin = opts.policy === 'reservoir' ? new FKNNReservoir(d.nFeatures, d.nClasses, k, W, seed) : new FKNN(d.nFeatures, d.nClasses, k, W);
      return supervisedBuilt(d, m, twin);
    },
  },
  {
    name: 'GaussianNB',
    task: 'classify',
    options: [{ key: 'varSmoothing', label: 'Variance smoothing', help: 'Adds this share of each feature’s overall variance to every class variance.', values: [0, 0.001, 0.01, 0.1, 0.5, 1], def: 0.01 }],
    misfit: onlyClasses,
    build(d, o) {
      const m = new GaussianNB({ nFeatures: d.nFeatures, nClasses: d.nClasses, varSmoothing: num(o, 'varSmoothing') });
      return supervisedBuilt(d, m, new FGaussianNB(d.nFeatures, d.nClasses, num(o, 'varSmoothing')));
    },
  },
  {
    name: 'HoeffdingTreeClassifier',
    task: 'classify',
    options: [
      { key: 'gracePeriod', label: 'Grace period (samples)', help: 'Samples a leaf sees between split attempts.', values: [10, 25, 50, 100, 200, 400], def: 50 },
      { key: 'delta', label: 'δ (split confidence)', help: 'Allowed probability of choosing the wrong split: smaller waits for more evidence.', values: [1e-1, 1e-2, 1e-3, 1e-5, 1e-7, 1e-9], def: 1e-5 },
      { key: 'tieThreshold', label: 'Tie threshold (bits)', help: 'Split anyway once the Hoeffding bound is below this.', values: [0, 0.01, 0.05, 0.1, 0.2], def: 0.05 },
      { key: 'maxDepth', label: 'Max depth', help: 'A leaf at this depth never splits.', values: [1, 2, 3, 4, 5, 6, 8, 10], def: 6 },
      { key: 'maxNodes', label: 'Max nodes', help: 'Fixes the memory: the tree never grows past it.', values: [3, 7, 15, 31, 63], def: 31 },
      { key: 'leafPrediction', label: 'Leaf prediction', help: 'mc: majority class; nb: naive Bayes; nba: whichever has been right more often.', choices: ['nba', 'mc', 'nb'], def: 'nba' },
    ],
    misfit: onlyClasses,
    build(d, o) {
      const opts = {
        nFeatures: d.nFeatures, nClasses: d.nClasses, gracePeriod: num(o, 'gracePeriod'), delta: num(o, 'delta'), tieThreshold: num(o, 'tieThreshold'),
        maxDepth: num(o, 'maxDepth'), maxNodes: num(o, 'maxNodes'), leafPrediction: o.leafPrediction as LeafPrediction,
      };
      const m = new HoeffdingTreeClassifier(opts);
      const twin = new FHoeffdingTree(d.nFeatures, d.nClasses, {
        maxDepth: opts.maxDepth, maxNodes: opts.maxNodes, gracePeriod: opts.gracePeriod, delta: m.delta, tau: opts.tieThreshold,
        nSplitPoints: m.nSplitPoints, leafPrediction: opts.leafPrediction, varSmoothing: m.varSmoothing / 65536, minBranchFraction: 0.01,
      });
      return supervisedBuilt(d, m, twin);
    },
  },
  {
    name: 'MLP',
    task: 'auto',
    options: [
      { key: 'hidden', label: 'Hidden layers (widths)', help: 'Comma-separated widths, e.g. 16 or 8, 8; empty for none.', text: true, def: '16' },
      { key: 'activation', label: 'Activation', help: 'The hidden layers’ non-linearity.', choices: ['relu', 'tanh', 'sigmoid', 'linear'], def: 'relu' },
      optimizerOpt('adam'),
      lrOpt({ sgd: 0.05, adam: 0.01, rmsprop: 0.01 }, 'adam'),
      {
        key: 'momentum', label: 'Momentum', help: 'SGD only: keeps a running velocity of the updates (0: plain SGD; Adam has its own).', values: [0, 0.5, 0.9], def: 0,
        appliesWhen: { key: 'optimizer', is: 'sgd' },
      },
      DECAY,
    ],
    misfit: () => null,
    build(d, o, seed) {
      const classify = d.nClasses > 0;
      const m = new MLP({
        nFeatures: d.nFeatures, hidden: parseHidden(String(o.hidden)), activation: o.activation as MLPActivation, task: (classify ? 'classification' : 'regression') as MLPTask,
        nOutputs: classify ? d.nClasses : 1, optimizer: o.optimizer as OptimizerName, learningRate: num(o, 'learningRate'), decay: num(o, 'decay'), seed,
        // momentum is SGD's (the library refuses it with Adam or RMSprop)
        ...(o.momentum !== undefined ? { momentum: num(o, 'momentum') } : {}),
      });
      return supervisedBuilt(d, m, mlpTwin(m));
    },
  },
  {
    name: 'KMeans',
    task: 'cluster',
    options: [
      { key: 'k', label: 'k (clusters)', help: 'Number of centroids.', values: [1, 2, 3, 4, 5, 6, 8], def: 3 },
      { key: 'decay', label: 'Forgetting (decay)', help: 'Each step moves a centroid at least this share of the way: old samples fade.', values: [0, 0.01, 0.02, 0.05, 0.1, 0.2], def: 0 },
    ],
    misfit: (d) => (d.kind === 'plane' ? null : 'clusters points on the plane'),
    build(d, o) {
      const m = new KMeans({ nFeatures: d.nFeatures, k: num(o, 'k'), decay: num(o, 'decay') });
      const f = new FKMeans(d.nFeatures, num(o, 'k'), num(o, 'decay'));
      const twin: Predictor = { learn: (x) => f.learnOne(x), predict: (x) => f.predictOne(x), confidence: () => NaN, threshold: () => NaN };
      const fixed: Predictor = { learn: (x) => m.learnOne(x), predict: (x) => m.predictOne(x), confidence: () => NaN, threshold: () => NaN };
      return { model: m, core: m, fixed, twin, twinState: f };
    },
  },
  {
    name: 'GaussianScorer',
    task: 'detect',
    options: CAL,
    misfit: onlyPlaneOrRoom,
    build(d, o) {
      const opts = { nFeatures: d.nFeatures, margin: num(o, 'margin'), quantile: num(o, 'quantile'), warmup: num(o, 'warmup') };
      return detectorBuilt(d, new GaussianScorer(opts), new FGaussianScorer(d.nFeatures, opts), false);
    },
  },
  {
    name: 'KMeansDetector',
    task: 'detect',
    options: [
      { key: 'k', label: 'k (centroids)', help: 'Centroids that describe "normal".', values: [1, 2, 3, 4, 6, 8], def: 4 },
      { key: 'decay', label: 'Forgetting (decay)', help: 'Lets the centroids follow a drifting "normal".', values: [0, 0.01, 0.02, 0.05, 0.1], def: 0 },
      ...CAL,
    ],
    misfit: onlyPlaneOrRoom,
    build(d, o) {
      const opts = { nFeatures: d.nFeatures, k: num(o, 'k'), decay: num(o, 'decay'), margin: num(o, 'margin'), quantile: num(o, 'quantile'), warmup: num(o, 'warmup') };
      return detectorBuilt(d, new KMeansDetector(opts), new FKMeansDetector(d.nFeatures, opts), false);
    },
  },
  {
    name: 'HalfSpaceTrees',
    task: 'detect',
    options: [
      { key: 'nTrees', label: 'Trees', help: 'Random half-space trees that vote.', values: [1, 2, 4, 8, 16, 32], def: 8 },
      { key: 'height', label: 'Tree height', help: 'Depth of every tree: finer cells, more memory.', values: [2, 3, 4, 5, 6, 8, 10], def: 6 },
      { key: 'windowSize', label: 'Window (samples)', help: 'Masses are counted per window; the last full window is the reference.', values: [32, 64, 128, 256, 512], def: 128 },
      ...CAL,
    ],
    misfit: onlyPlaneOrRoom,
    build(d, o, seed) {
      const opts = { nFeatures: d.nFeatures, nTrees: num(o, 'nTrees'), height: num(o, 'height'), windowSize: num(o, 'windowSize'), seed, margin: num(o, 'margin'), quantile: num(o, 'quantile'), warmup: num(o, 'warmup') };
      // half-space trees expect features in about [0, 1]: a MinMaxScaler in front, as docs/anomaly.md says
      return detectorBuilt(d, new HalfSpaceTrees(opts), new FHalfSpaceTrees(d.nFeatures, opts), true);
    },
  },
];

/**
 * Wraps a model loaded from a .mlrn blob (a learner, or a Pipeline ending in
 * one) for the session. There is no twin: a blob holds no float state.
 */
export function wrapLoaded(model: Saveable, core: object, task: Task, d: DatasetInfo): Built {
  const m = model as unknown as Supervised & Detector;
  let fixed: Predictor;
  if (task === 'detect') fixed = detector(m, core as { threshold(): number });
  else if (task === 'cluster') fixed = { learn: (x) => (m as unknown as Detector).learnOne(x), predict: (x) => m.predictOne(x), confidence: () => NaN, threshold: () => NaN };
  else fixed = supervised(m, d.nClasses > 0);
  return { model, core, fixed, twin: null, twinState: null };
}

export function learnerSpec(name: string): LearnerSpec {
  for (const l of LEARNERS) if (l.name === name) return l;
  throw new Error('unknown learner ' + name);
}

/** The task a learner performs on a data set. */
export function taskOf(l: LearnerSpec, d: DatasetInfo): Task {
  return l.task === 'auto' ? (d.nClasses > 0 ? 'classify' : 'regress') : l.task;
}

/** The defaults of a learner's options (those that apply with the defaults). */
export function defaults(l: LearnerSpec): Options {
  return complete(l, {});
}
