/**
 * Linear models trained by SGD (or Adam / RMSprop, algorithms/optim.ts):
 * LinearRegression (squared loss) and LogisticRegression (binary, log loss),
 * both with optional L2 and an inverse-decay learning-rate schedule.
 *
 * Weights are "wide" (Q16.32: an Int32Array plus a Uint16Array of extra
 * fraction bits) so that steps smaller than one Q16.16 LSB still accumulate;
 * see docs/fixed-point.md.
 */
import { Q_ONE, fromQ, sat, sigmoid } from '../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../src/format.js';
import * as K from '../src/kernels.js';
import { step } from '../src/kernels.js';
import { linearRaw, sgdRate, sgdStep } from '../src/sgd.js';
import { MAX_FEATURES, Supervised, checkLabel, checkOptions, mutable, Writable, optInt, optReal, readTarget, readVector } from '../src/learner.js';
import { Moments, Optimizer, OptimizerOptions, SGD, mergeOptimizer, peekOptimizer, sameOptimizer } from './optim.js';
import { WeightedMean, checkModels, same } from '../src/merge.js';

/** Options shared by the SGD linear models (the optimizer defaults to 'sgd'). */
export interface LinearOptions extends OptimizerOptions {
  /** Input width. */
  nFeatures: number;
  /** Initial learning rate (default 0.01 for 'sgd', 0.001 for 'adam' and 'rmsprop'). */
  learningRate?: number;
  /** L2 penalty on the weights, not the bias (default 0); with Adam / RMSprop it is decoupled weight decay (AdamW). */
  l2?: number;
  /** Schedule: the rate at step t is learningRate / (1 + decay·t) (default 0: constant). */
  decay?: number;
}

const ONE_VEC = new Int32Array([Q_ONE]);

/**
 * State and SGD step shared by the linear models: weights w[0..n-1], bias
 * w[n], their extra fraction bits, and the step counter.
 */
export class LinearCore {
  readonly n: number;
  readonly lr: number;
  readonly l2: number;
  readonly decay: number;
  readonly w: Int32Array;
  readonly f: Uint16Array;
  /** Updates done (drives the schedule). */
  readonly t: number;
  /** How gradients become steps. */
  readonly opt: Optimizer;
  /** @internal Adam / RMSprop moments of the weights and of the bias (null for SGD) */
  readonly sw: Moments | null;
  /** @internal */ readonly sb: Moments | null;
  private readonly stepBuf: Int32Array;
  private readonly gBuf: Int32Array;
  private readonly wb: Int32Array;
  private readonly fb: Uint16Array;

  constructor(opts: LinearOptions) {
    const o = checkOptions(opts);
    this.n = optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES);
    const opt = (this.opt = new Optimizer(o, 'sgd'));
    this.lr = optReal(o, 'learningRate', opt.kind === SGD ? 0.01 : 0.001, 0, 1000);
    this.l2 = optReal(o, 'l2', 0, 0, 1000);
    this.decay = optReal(o, 'decay', 0, 0, 1000);
    this.w = new Int32Array(this.n + 1);
    this.f = new Uint16Array(this.n + 1);
    this.t = 0;
    this.stepBuf = new Int32Array(2);
    this.gBuf = new Int32Array(1);
    this.sw = opt.moments(this.n);
    this.sb = opt.moments(1);
    // the bias as a one-element view, for the optimizer kernel (made once: no allocation per sample)
    this.wb = this.w.subarray(this.n, this.n + 1);
    this.fb = this.f.subarray(this.n, this.n + 1);
    this.stateBytes = (this.n + 1) * (6 + opt.perParam()) + 4 + opt.ownBytes();
  }

  /** Bytes of learned state: weights, fraction bits, counter, optimizer moments. */
  readonly stateBytes: number;

  /** w·x + b in Q16.16. */
  raw(x: Int32Array): number {
    return linearRaw(this as Writable<LinearCore>, x);
  }

  /** The learning rate at the current step, Q16.16: round(lr / (1 + decay·t)). */
  rate(): number {
    return sgdRate(this as Writable<LinearCore>);
  }

  /**
   * One fused SGD step on x (Q16.16) toward y (a Q16.16 target, or 0 / 65536
   * for a logistic label): w ← w(1 − lr·l2) + lr·g·x, b ← b + lr·g with
   * g = y − link(w·x + b).
   */
  learn(x: ArrayLike<number>, xq: Int32Array | null, y: number, link: number): void {
    if (this.sw !== null) {
      this.adaptive(xq === null ? (x as Int32Array) : readVector(x, this.n, xq), y, link);
      return;
    }
    sgdStep(this as Writable<LinearCore>, x, xq, y, link); // src/sgd.ts, shared with the Espruino device API
  }

  /**
   * {@link learn} on real x and a real target y (LinearRegression.learnOne):
   * with SGD one kernel call converts both and steps; anything it rejects
   * (and Adam / RMSprop) takes `learn`, which throws the errors in their
   * usual order.
   */
  learnReal(x: ArrayLike<number>, xq: Int32Array, y: number): void {
    // checkShape's test inline (a call costs about 700 instructions on XS, 7 % of this learnOne)
    if (this.sw === null && x !== null && x !== undefined && typeof x === 'object' && x.length === this.n) {
      if (K.sgdLinearReal.f(this.w, this.f, x, xq, this.n, y, this.decay === 0 ? this.lr : this.rate(), this.l2) < 0) {
        if (this.t < 4294967295) (this as Writable<LinearCore>).t++;
        return;
      }
    }
    this.learn(x, xq, readTarget(y), 0);
  }

  /** The Adam / RMSprop step on validated q (Q16.16): g = y − link(w·q + b), decoupled L2, then the optimizer on weights and bias. */
  private adaptive(q: Int32Array, y: number, link: number): void {
    const z = this.raw(q);
    const g = sat(y - (link === 1 ? sigmoid(z) : z));
    const lr = this.rate();
    const s = this.stepBuf;
    if (this.l2 !== 0) {
      step(lr, -this.l2, s);
      if (s[0] !== 0) K.axpyWide.f(this.w, this.f, 0, this.w, 0, this.n, s[0], s[1]);
    }
    this.opt.begin(lr);
    this.gBuf[0] = g;
    this.opt.step(this.sw as Moments, this.w, this.f, 1, this.n, this.gBuf, q, 0);
    this.opt.step(this.sb as Moments, this.wb, this.fb, 1, 1, this.gBuf, ONE_VEC, 0);
    if (this.t < 4294967295) (this as Writable<LinearCore>).t++;
  }

  /** @internal the optimizer moments in stored order */
  moments(): Moments[] {
    return this.sw !== null && this.sb !== null ? [this.sw, this.sb] : [];
  }

  write(w: ByteWriter): void {
    w.u32(this.n);
    w.i32(this.lr);
    w.i32(this.l2);
    w.i32(this.decay);
    w.u32(this.t);
    w.i32s(this.w);
    w.u16s(this.f);
    this.opt.write(w, this.moments());
  }

  /** Reads the options `write` wrote (the optimizer's from its section after the state); the caller builds the model from them. */
  static readOptions(r: ByteReader): LinearOptions {
    const n = r.int(1, MAX_FEATURES);
    const o: LinearOptions = { nFeatures: n, learningRate: fromQ(r.i32()), l2: fromQ(r.i32()), decay: fromQ(r.i32()) };
    const po = peekOptimizer(r, 4 + (n + 1) * 6);
    o.optimizer = po.optimizer;
    o.beta1 = po.beta1;
    o.beta2 = po.beta2;
    o.epsilon = po.epsilon;
    return o;
  }

  readState(r: ByteReader): void {
    mutable(this).t = r.u32();
    r.i32s(this.w);
    r.u16s(this.f);
    this.opt.read(r, this.moments());
  }
}

/**
 * FedAvg of linear models (shared by both classes): checks the options,
 * clones model 0 (same options, fresh arrays), then every weight, bias and
 * optimizer moment is the weighted mean of the models'; the step counter is
 * {@link WeightedMean.counter}. The default weight of a model is its step
 * counter (samples seen).
 */
function mergeLinear<T extends { core: LinearCore; toBytes(): Uint8Array }>(
  cls: { fromBytes(b: Uint8Array): T }, models: ReadonlyArray<T>, weights: ArrayLike<number> | undefined,
): T {
  checkModels(models, cls as unknown as Function, weights);
  const k = models.length;
  const a = models[0].core;
  const w: Int32Array[] = [];
  const f: Uint16Array[] = [];
  const t: number[] = [];
  const opts: Optimizer[] = [];
  const states: Moments[][] = [];
  for (let i = 0; i < k; i++) {
    const c = models[i].core;
    same('nFeatures', i, a.n, c.n);
    same('learning rate (Q16.16)', i, a.lr, c.lr);
    same('l2 (Q16.16)', i, a.l2, c.l2);
    same('decay (Q16.16)', i, a.decay, c.decay);
    sameOptimizer(i, a.opt, c.opt);
    w.push(c.w);
    f.push(c.f);
    t.push(c.t);
    opts.push(c.opt);
    states.push(c.moments());
  }
  const mean = new WeightedMean(k, weights, function (i) {
    return t[i];
  });
  const out = cls.fromBytes(models[0].toBytes());
  const o = out.core;
  mean.wide(o.w, o.f, w, f);
  mergeOptimizer(o.opt, o.moments(), opts, states, mean);
  mutable(o).t = mean.counter(t);
  return out;
}

/**
 * Linear regression by SGD on squared loss.
 *
 * @example
 * const m = new LinearRegression({ nFeatures: 2, learningRate: 0.05 });
 * m.learnOne([1, 2], 3.5);
 * m.predictOne([1, 2]);
 */
export class LinearRegression extends Supervised {
  static readonly modelType = ModelType.LinearRegression;
  readonly stateBytes: number;
  /** @internal */ readonly core: LinearCore;

  constructor(opts: LinearOptions) {
    const core = new LinearCore(opts);
    super(core.n, 0);
    this.core = core;
    this.stateBytes = core.stateBytes;
  }

  /** Weights (not the bias) as real numbers. */
  weights(): Float64Array {
    const out = new Float64Array(this.nFeatures);
    for (let i = 0; i < this.nFeatures; i++) out[i] = fromQ(this.core.w[i]);
    return out;
  }

  /** The bias (intercept) as a real number. */
  bias(): number {
    return fromQ(this.core.w[this.nFeatures]);
  }

  /** Learns one sample: one fused kernel call converts x and y, predicts and steps. */
  override learnOne(x: ArrayLike<number>, y: number): void {
    this.core.learnReal(x, this.scratch(), y);
  }

  protected learnQ(x: Int32Array, y: number): void {
    this.core.learn(x, null, y, 0);
  }

  protected predictQ(x: Int32Array): number {
    return this.core.raw(x);
  }

  /** @internal */
  write(w: ByteWriter): void {
    this.core.write(w);
  }

  /**
   * FedAvg: a new model whose weights, bias and optimizer moments are the
   * means of the models' weighted by `weights` (default: samples each saw).
   * Same options required (E_SHAPE); see `merge` (src/merge.ts).
   */
  static merge(models: ReadonlyArray<LinearRegression>, weights?: ArrayLike<number>): LinearRegression {
    return mergeLinear<LinearRegression>(LinearRegression, models, weights);
  }

  /** @internal Rebuilds from a payload reader (see `load`). */
  static fromReader(r: ByteReader): LinearRegression {
    const m = new LinearRegression(LinearCore.readOptions(r));
    m.core.readState(r);
    return m;
  }
}

/**
 * Binary logistic regression by SGD on log loss. Labels are 0 and 1.
 *
 * @example
 * const m = new LogisticRegression({ nFeatures: 5, learningRate: 0.01 });
 * m.learnOne([0.1, 0.2, 0.3, 0.4, 0.5], 1);
 * m.predictProbaOne([0.1, 0.2, 0.3, 0.4, 0.5]); // Float64Array [p0, p1]
 */
export class LogisticRegression extends Supervised {
  static readonly modelType = ModelType.LogisticRegression;
  readonly stateBytes: number;
  /** @internal */ readonly core: LinearCore;
  private readonly pq: Int32Array;

  constructor(opts: LinearOptions) {
    const core = new LinearCore(opts);
    super(core.n, 2);
    this.core = core;
    this.stateBytes = core.stateBytes;
    this.pq = new Int32Array(2);
  }

  /** Learns one sample: one fused kernel call converts x, predicts and steps. */
  override learnOne(x: ArrayLike<number>, y: number): void {
    if (y !== 0 && y !== 1) checkLabel(y, 2);
    this.core.learn(x, this.scratch(), y === 1 ? Q_ONE : 0, 1);
  }

  protected learnQ(x: Int32Array, y: number): void {
    this.core.learn(x, null, y === 1 ? Q_ONE : 0, 1);
  }

  protected predictQ(x: Int32Array): number {
    return sigmoid(this.core.raw(x)) >= 32768 ? 1 : 0;
  }

  protected override probaQ(x: Int32Array): Int32Array {
    const p = sigmoid(this.core.raw(x));
    this.pq[0] = Q_ONE - p;
    this.pq[1] = p;
    return this.pq;
  }

  /** @internal */
  write(w: ByteWriter): void {
    this.core.write(w);
  }

  /** FedAvg, as {@link LinearRegression.merge}. */
  static merge(models: ReadonlyArray<LogisticRegression>, weights?: ArrayLike<number>): LogisticRegression {
    return mergeLinear<LogisticRegression>(LogisticRegression, models, weights);
  }

  /** @internal */
  static fromReader(r: ByteReader): LogisticRegression {
    const m = new LogisticRegression(LinearCore.readOptions(r));
    m.core.readState(r);
    return m;
  }
}
