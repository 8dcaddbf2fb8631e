/**
 * SoftmaxRegression: multiclass logistic regression trained by SGD (or Adam /
 * RMSprop, algorithms/optim.ts) on the cross-entropy loss, with optional L2
 * and an inverse-decay schedule (the same options as the binary
 * LogisticRegression).
 *
 * Weights are wide (Q16.32: Int32Array + Uint16Array of extra fraction bits)
 * so that updates below one Q16.16 LSB still accumulate; see
 * docs/fixed-point.md.
 */
import { Q_ONE, floorDiv, fromQ, softmaxQ } from '../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../src/format.js';
import * as K from '../src/kernels.js';
import { step } from '../src/kernels.js';
import { MAX_CLASSES, MAX_FEATURES, Supervised, checkOptions, mutable, Writable, optInt, optReal } from '../src/learner.js';
import { Moments, Optimizer, OptimizerOptions, SGD, mergeOptimizer, peekOptimizer, sameOptimizer } from './optim.js';
import { WeightedMean, checkModels, same } from '../src/merge.js';

/** Options of {@link SoftmaxRegression}. */
export interface SoftmaxOptions extends OptimizerOptions {
  /** Input width. */
  nFeatures: number;
  /** Number of classes (labels 0..nClasses-1), 2..1024. */
  nClasses: number;
  /** Initial learning rate (default 0.01 for 'sgd', 0.001 for 'adam' and 'rmsprop'). */
  learningRate?: number;
  /** L2 penalty on the weights, not the biases (default 0; decoupled weight decay with Adam / RMSprop). */
  l2?: number;
  /** Schedule: the rate at step t is learningRate / (1 + decay·t) (default 0: constant). */
  decay?: number;
}

const ONE_VEC = new Int32Array([Q_ONE]);

/**
 * Multiclass logistic (softmax) regression by SGD.
 *
 * @example
 * const m = new SoftmaxRegression({ nFeatures: 4, nClasses: 3, learningRate: 0.05 });
 * m.learnOne([5.1, 3.5, 1.4, 0.2], 0);
 * m.predictOne([5.1, 3.5, 1.4, 0.2]);      // class index
 * m.predictProbaOne([5.1, 3.5, 1.4, 0.2]); // Float64Array of 3 probabilities
 */
export class SoftmaxRegression extends Supervised {
  static readonly modelType = ModelType.SoftmaxRegression;
  readonly stateBytes: number;
  /** Learning rate, L2 and decay in Q16.16. */
  readonly lr: number;
  readonly l2: number;
  readonly decay: number;
  /** @internal weights, row c = class c: w[c·nFeatures + i], plus fraction bits */
  readonly w: Int32Array;
  /** @internal */ readonly wf: Uint16Array;
  /** @internal biases and their fraction bits */
  readonly b: Int32Array;
  /** @internal */ readonly bf: Uint16Array;
  /** Updates done (drives the schedule). */
  readonly t: number;
  /** How gradients become steps ('sgd' by default). */
  readonly opt: Optimizer;
  /** @internal Adam / RMSprop moments of the weights and biases (null for SGD) */
  readonly sw: Moments | null;
  /** @internal */ readonly sb: Moments | null;
  private readonly z: Int32Array;
  private readonly g: Int32Array;
  private readonly pq: Int32Array;
  private readonly stepBuf: Int32Array;

  constructor(opts: SoftmaxOptions) {
    const o = checkOptions(opts);
    super(optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES), optInt(o, 'nClasses', undefined, 2, MAX_CLASSES));
    const n = this.nFeatures;
    const c = this.nClasses;
    const opt = (this.opt = new Optimizer(o, 'sgd'));
    this.lr = optReal(o, 'learningRate', opt.kind === SGD ? 0.01 : 0.001, 0, 1000);
    this.l2 = optReal(o, 'l2', 0, 0, 1000);
    this.decay = optReal(o, 'decay', 0, 0, 1000);
    this.w = new Int32Array(n * c);
    this.wf = new Uint16Array(n * c);
    this.b = new Int32Array(c);
    this.bf = new Uint16Array(c);
    this.t = 0;
    this.z = new Int32Array(c);
    this.g = new Int32Array(c);
    this.pq = new Int32Array(c);
    this.stepBuf = new Int32Array(2);
    this.sw = opt.moments(n * c);
    this.sb = opt.moments(c);
    this.stateBytes = (n + 1) * c * (6 + opt.perParam()) + 4 + opt.ownBytes();
  }

  /** The learning rate at the current step, Q16.16: round(lr / (1 + decay·t)). */
  private rate(): number {
    if (this.decay === 0) return this.lr;
    const den = 65536 + this.decay * this.t;
    return floorDiv(this.lr * 131072 + den, 2 * den);
  }

  /** Logits into z, probabilities into pq. */
  private forward(x: Int32Array): void {
    K.matvec.f(this.w, x, 0, this.b, this.z, this.nClasses, this.nFeatures);
    softmaxQ(this.z, this.nClasses, null, this.pq);
  }

  /** One SGD step: W ← W(1 − lr·l2) + lr·(onehot(y) − p)·xᵀ, b ← b + lr·(onehot(y) − p). */
  protected learnQ(x: Int32Array, y: number): void {
    this.forward(x);
    const c = this.nClasses;
    for (let j = 0; j < c; j++) this.g[j] = (j === y ? Q_ONE : 0) - this.pq[j];
    const lr = this.rate();
    if (this.l2 !== 0) {
      const s = this.stepBuf;
      step(lr, -this.l2, s);
      if (s[0] !== 0) K.axpyWide.f(this.w, this.wf, 0, this.w, 0, this.w.length, s[0], s[1]);
    }
    if (this.sw !== null && this.sb !== null) {
      this.opt.begin(lr);
      this.opt.step(this.sw, this.w, this.wf, c, this.nFeatures, this.g, x, 0);
      this.opt.step(this.sb, this.b, this.bf, c, 1, this.g, ONE_VEC, 0);
    } else {
      K.gerWide.f(this.w, this.wf, c, this.nFeatures, this.g, x, 0, lr);
      K.gerWide.f(this.b, this.bf, c, 1, this.g, ONE_VEC, 0, lr);
    }
    if (this.t < 4294967295) (this as Writable<SoftmaxRegression>).t++;
  }

  /** The class with the largest logit (the first one on ties). */
  protected predictQ(x: Int32Array): number {
    K.matvec.f(this.w, x, 0, this.b, this.z, this.nClasses, this.nFeatures);
    return K.argmax.f(this.z, 0, this.nClasses);
  }

  protected override probaQ(x: Int32Array): Int32Array {
    this.forward(x);
    return this.pq;
  }

  /** Weights as real numbers, row-major (class c: entries c·nFeatures …). */
  weights(): Float64Array {
    const out = new Float64Array(this.w.length);
    for (let i = 0; i < out.length; i++) out[i] = (this.w[i] * 65536 + this.wf[i]) / 4294967296;
    return out;
  }

  /** @internal */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.nClasses);
    w.i32(this.lr);
    w.i32(this.l2);
    w.i32(this.decay);
    w.u32(this.t);
    w.i32s(this.w);
    w.u16s(this.wf);
    w.i32s(this.b);
    w.u16s(this.bf);
    this.opt.write(w, this.moments());
  }

  /** @internal the optimizer moments in stored order */
  moments(): Moments[] {
    return this.sw !== null && this.sb !== null ? [this.sw, this.sb] : [];
  }

  /**
   * FedAvg: a new model whose weights, biases and optimizer moments are the
   * means of the models' weighted by `weights` (default: samples each saw).
   * Same options required (E_SHAPE); see `merge` (src/merge.ts).
   */
  static merge(models: ReadonlyArray<SoftmaxRegression>, weights?: ArrayLike<number>): SoftmaxRegression {
    checkModels(models, SoftmaxRegression, weights);
    const a = models[0];
    const w: Int32Array[] = [], wf: Uint16Array[] = [], b: Int32Array[] = [], bf: Uint16Array[] = [];
    const t: number[] = [];
    const opts: Optimizer[] = [];
    const states: Moments[][] = [];
    for (let i = 0; i < models.length; i++) {
      const m = models[i];
      same('nFeatures', i, a.nFeatures, m.nFeatures);
      same('nClasses', i, a.nClasses, m.nClasses);
      same('learning rate (Q16.16)', i, a.lr, m.lr);
      same('l2 (Q16.16)', i, a.l2, m.l2);
      same('decay (Q16.16)', i, a.decay, m.decay);
      sameOptimizer(i, a.opt, m.opt);
      w.push(m.w);
      wf.push(m.wf);
      b.push(m.b);
      bf.push(m.bf);
      t.push(m.t);
      opts.push(m.opt);
      states.push(m.moments());
    }
    const mean = new WeightedMean(models.length, weights, function (i) {
      return t[i];
    });
    const out = SoftmaxRegression.fromBytes(a.toBytes());
    mean.wide(out.w, out.wf, w, wf);
    mean.wide(out.b, out.bf, b, bf);
    mergeOptimizer(out.opt, out.moments(), opts, states, mean);
    mutable(out).t = mean.counter(t);
    return out;
  }

  /** @internal */
  static fromReader(r: ByteReader): SoftmaxRegression {
    const n = r.int(1, MAX_FEATURES);
    const c = r.int(2, MAX_CLASSES);
    const lr = r.int(0, 1000 * 65536);
    const l2 = r.int(0, 1000 * 65536);
    const decay = r.int(0, 1000 * 65536);
    const po = peekOptimizer(r, 4 + (n + 1) * c * 6);
    const m = new SoftmaxRegression({
      nFeatures: n, nClasses: c, learningRate: fromQ(lr), l2: fromQ(l2), decay: fromQ(decay),
      optimizer: po.optimizer, beta1: po.beta1, beta2: po.beta2, epsilon: po.epsilon,
    });
    mutable(m).t = r.u32();
    r.i32s(m.w);
    r.u16s(m.wf);
    r.i32s(m.b);
    r.u16s(m.bf);
    m.opt.read(r, m.moments());
    return m;
  }
}
