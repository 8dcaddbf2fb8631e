/**
 * Small neural networks trained on the device: Dense layers and the MLP that
 * chains them, trained one sample at a time by Adam (the default), RMSprop
 * or SGD (optionally with momentum), in Q16.16 with wide (Q16.32) weights so
 * that small steps are not lost. Regression uses squared loss on a linear
 * output; classification uses softmax cross-entropy.
 *
 * Every matrix loop is a kernel: K.denseForward (matvec and activation)
 * forward, K.denseBackward (matTvec and the activation's derivative) for the
 * back-propagated deltas, K.gerAdam (algorithms/optim.ts) or K.gerWide for
 * the rank-1 weight update (K.scale / K.axpy / K.axpyWide with momentum).
 * Details in docs/algorithms.md.
 */
import { fail } from '../src/errors.js';
import { Q_MAX, Q_MIN, Q_ONE, floorDiv, fromQ, isqrtRound, mul } from '../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../src/format.js';
import * as K from '../src/kernels.js';
import { step } from '../src/kernels.js';
import { Supervised, checkOptions, mutable, Writable, optChoice, optInt, optReal } from '../src/learner.js';
import { Random } from '../src/random.js';
import { softmaxQ } from '../src/fixed.js';
import { Moments, Optimizer, OptimizerOptions, SGD, mergeOptimizer, peekOptimizer, sameOptimizer } from './optim.js';
import { WeightedMean, checkModels, same } from '../src/merge.js';

/** Activation names, in their stored order. */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear'];
/** An activation function of the hidden layers. */
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';
/** Their codes, as the dense kernels (src/kernels.ts denseForward) take them. */
const RELU = 0;

/** Largest layer width. */
export const MAX_WIDTH = 1024;
/** Largest number of hidden layers. */
export const MAX_HIDDEN = 8;

const ONE_VEC = new Int32Array([Q_ONE]);

/**
 * One fully connected layer: a = act(W·x + b), W stored row-major
 * (nOut rows of nIn), wide weights and biases, plus the scratch of one
 * forward/backward pass. A building block of {@link MLP}.
 */
export class Dense {
  readonly nIn: number;
  readonly nOut: number;
  /** Index in {@link ACTIVATIONS}. */
  readonly activation: number;
  /** Bytes of learned state (weights, biases, velocities). */
  readonly stateBytes: number;
  /** Weights (Q16.16 part) and their extra fraction bits. */
  readonly w: Int32Array;
  readonly wf: Uint16Array;
  readonly b: Int32Array;
  readonly bf: Uint16Array;
  /** Momentum velocities (Q16.16 gradient sums), or null without momentum. */
  readonly vw: Int32Array | null;
  readonly vb: Int32Array | null;
  /** Adam / RMSprop moments of the weights and biases, or null for SGD. */
  readonly sw: Moments | null;
  readonly sb: Moments | null;
  /** Pre-activations, activations and back-propagated (negative) gradients of the last pass. */
  readonly z: Int32Array;
  readonly a: Int32Array;
  readonly g: Int32Array;

  constructor(nIn: number, nOut: number, activation: number, momentum: boolean, opt: Optimizer) {
    this.nIn = nIn;
    this.nOut = nOut;
    this.activation = activation;
    this.w = new Int32Array(nIn * nOut);
    this.wf = new Uint16Array(nIn * nOut);
    this.b = new Int32Array(nOut);
    this.bf = new Uint16Array(nOut);
    this.vw = momentum ? new Int32Array(nIn * nOut) : null;
    this.vb = momentum ? new Int32Array(nOut) : null;
    this.sw = opt.moments(nIn * nOut);
    this.sb = opt.moments(nOut);
    this.z = new Int32Array(nOut);
    this.a = new Int32Array(nOut);
    this.g = new Int32Array(nOut);
    this.stateBytes = (nIn * nOut + nOut) * ((momentum ? 10 : 6) + opt.perParam());
  }

  /**
   * Seeded uniform initialisation in [−L, L): He (L = √(6/nIn)) for relu,
   * Glorot (√(6/(nIn+nOut))) otherwise, for the weights and, when `bias`
   * (hidden layers), the biases too: zero biases would put every relu kink
   * (and every tanh centre) at the origin, where a one-input network cannot
   * move them apart quickly. Exact integer arithmetic.
   */
  init(rng: Random, bias: boolean): void {
    const fan = this.activation === RELU ? this.nIn : this.nIn + this.nOut;
    const lim = isqrtRound(floorDiv(6 * 4294967296, fan)); // √(6/fan) in Q16.16
    for (let i = 0; i < this.w.length; i++) this.w[i] = mul(2 * rng.nextQ() - Q_ONE, lim);
    if (bias) for (let i = 0; i < this.b.length; i++) this.b[i] = mul(2 * rng.nextQ() - Q_ONE, lim);
  }

  /** z = W·x + b, a = act(z): one kernel call. */
  forward(x: Int32Array): void {
    K.denseForward.f(this.w, x, 0, this.b, this.z, this.a, this.nOut, this.nIn, this.activation);
  }

  /** prev.g = Wᵀ·g ⊙ prev's act'(z): back-propagates this layer's (negated) gradient into ∂loss/∂z of `prev`, one kernel call. */
  backward(prev: Dense): void {
    K.denseBackward.f(this.w, this.g, prev.g, prev.a, prev.z, this.nOut, this.nIn, prev.activation);
  }

  /**
   * One step with the negative gradient g and the layer input x:
   * Adam / RMSprop: the optimizer's step on W (gradient g·xᵀ) and b (g);
   * plain SGD: W += lr·g·xᵀ, b += lr·g;
   * momentum μ: V ← μ·V + g·xᵀ, W += lr·V (and likewise for b).
   */
  update(x: Int32Array, lr: number, mu: number, s: Int32Array, opt: Optimizer): void {
    if (this.sw !== null && this.sb !== null) {
      opt.step(this.sw, this.w, this.wf, this.nOut, this.nIn, this.g, x, 0);
      opt.step(this.sb, this.b, this.bf, this.nOut, 1, this.g, ONE_VEC, 0);
      return;
    }
    if (this.vw === null || this.vb === null) {
      K.gerWide.f(this.w, this.wf, this.nOut, this.nIn, this.g, x, 0, lr);
      K.gerWide.f(this.b, this.bf, this.nOut, 1, this.g, ONE_VEC, 0, lr);
      return;
    }
    const vw = this.vw;
    const vb = this.vb;
    K.scale.f(vw, 0, vw.length, mu);
    K.scale.f(vb, 0, vb.length, mu);
    for (let r = 0; r < this.nOut; r++) K.axpy.f(vw, r * this.nIn, x, 0, this.nIn, this.g[r]);
    K.axpy.f(vb, 0, this.g, 0, this.nOut, Q_ONE);
    step(lr, Q_ONE, s);
    K.axpyWide.f(this.w, this.wf, 0, vw, 0, vw.length, s[0], s[1]);
    K.axpyWide.f(this.b, this.bf, 0, vb, 0, vb.length, s[0], s[1]);
  }
}

/** Options of {@link MLP}. */
export interface MLPOptions extends OptimizerOptions {
  /** Input width, 1..1024. */
  nFeatures: number;
  /** Widths of the hidden layers (default [16]); 0..8 layers of 1..1024. */
  hidden?: number[];
  /** Hidden activation (default 'tanh'). */
  activation?: Activation;
  /** 'regression' (one linear output, squared loss) or 'classification' (softmax, cross-entropy). Default 'regression'. */
  task?: 'regression' | 'classification';
  /** Outputs: 1 for regression (the default), the number of classes (≥ 2) for classification. */
  nOutputs?: number;
  /** Step size (default 0.01 for 'adam' and 'rmsprop', 0.01 × (1 − momentum) for 'sgd'). */
  learningRate?: number;
  /**
   * Schedule: the rate at step t is learningRate / (1 + decay·t) (default
   * 0.001 for 'adam' and 'rmsprop': a tenth of the rate after 9,000 samples;
   * 0, a constant rate, for 'sgd'). Set 0 for a stream that keeps drifting.
   */
  decay?: number;
  /** Momentum μ in [0, 1) for optimizer 'sgd' (default 0: plain SGD, no velocity memory). */
  momentum?: number;
  /** Seed of the initial weights (default 1). */
  seed?: number;
}

/**
 * A multilayer perceptron trained online by back-propagation.
 *
 * @example
 * // the TinyML "hello world", trained on the device with the defaults (Adam, tanh, decaying rate)
 * const m = new MLP({ nFeatures: 1, hidden: [16, 16] });
 * for (let i = 0; i < 20000; i++) { const x = Math.random() * 2 * Math.PI; m.learnOne([x], Math.sin(x)); }
 * m.predictOne([1.0]); // sin 1 = 0.84 (0.840–0.848 over 8 runs of Math.random)
 */
export class MLP extends Supervised {
  static readonly modelType = ModelType.MLP;
  readonly nOutputs: number;
  readonly hidden: Int32Array;
  readonly activation: number;
  /** 0 regression, 1 classification. */
  readonly task: number;
  /** Q16.16 */
  readonly lr: number;
  /** Q16.16 */
  readonly decay: number;
  /** Q16.16 */
  readonly momentum: number;
  /** How gradients become steps (Adam by default). */
  readonly opt: Optimizer;
  readonly seed: number;
  /** Updates done (drives the schedule; saturates at 2^32 − 1). */
  readonly t: number;
  readonly stateBytes: number;
  /** @internal the layers, input to output */
  readonly layers: Dense[];
  private readonly out: Dense;
  private readonly pq: Int32Array;
  private readonly stepBuf: Int32Array;

  constructor(opts: MLPOptions) {
    const o = checkOptions(opts);
    const n = optInt(o, 'nFeatures', undefined, 1, MAX_WIDTH);
    const task = optChoice(o, 'task', 'regression', ['regression', 'classification']);
    const nOut = optInt(o, 'nOutputs', task === 0 ? 1 : undefined, task === 0 ? 1 : 2, task === 0 ? 1 : MAX_WIDTH);
    super(n, task === 0 ? 0 : nOut);
    this.task = task;
    this.nOutputs = nOut;
    this.activation = optChoice(o, 'activation', 'tanh', ACTIVATIONS);
    const opt = (this.opt = new Optimizer(o, 'adam'));
    this.momentum = optReal(o, 'momentum', 0, 0, 0.9999);
    if (this.momentum !== 0 && opt.kind !== SGD) fail('E_OPTION', "option momentum applies to optimizer 'sgd' (Adam's beta1 plays its part)");
    // SGD's default keeps the steady-state step lr/(1 − μ) at 0.01, so adding momentum does not blow it up.
    // Adam and RMSprop move every weight by about lr per sample whatever its gradient, so one rate cannot
    // both learn fast at first and settle: 0.01 decaying as 1/(1 + 0.001·t) (docs/algorithms.md, "MLP")
    this.lr = optReal(o, 'learningRate', opt.kind === SGD ? 0.01 * (1 - this.momentum / 65536) : 0.01, 0, 1000);
    this.decay = optReal(o, 'decay', opt.kind === SGD ? 0 : 0.001, 0, 1000);
    this.t = 0;
    this.seed = optInt(o, 'seed', 1, -2147483648, 2147483647);
    const h = o.hidden === undefined ? [16] : o.hidden;
    if (h === null || typeof h !== 'object' || typeof (h as number[]).length !== 'number' || (h as number[]).length > MAX_HIDDEN)
      fail('E_OPTION', 'option hidden must be an array of at most ' + MAX_HIDDEN + ' layer widths');
    const hl = h as number[];
    this.hidden = new Int32Array(hl.length);
    for (let i = 0; i < hl.length; i++) this.hidden[i] = optInt({ w: hl[i] }, 'w', undefined, 1, MAX_WIDTH);
    this.layers = [];
    const rng = new Random(this.seed);
    let width = n;
    let bytes = 0;
    const mom = this.momentum !== 0;
    for (let i = 0; i <= hl.length; i++) {
      const last = i === hl.length;
      const wOut = last ? nOut : this.hidden[i];
      const d = new Dense(width, wOut, last ? 3 : this.activation, mom, opt);
      d.init(rng, !last);
      this.layers.push(d);
      bytes += d.stateBytes;
      width = wOut;
    }
    this.out = this.layers[this.layers.length - 1];
    this.pq = new Int32Array(nOut);
    this.stepBuf = new Int32Array(2);
    this.stateBytes = bytes + 4 + opt.ownBytes();
  }

  /** @internal the optimizer moments of every layer, in stored order (weights, then biases, per layer) */
  moments(): Moments[] {
    const out: Moments[] = [];
    for (let i = 0; i < this.layers.length; i++) {
      const d = this.layers[i];
      if (d.sw !== null && d.sb !== null) out.push(d.sw, d.sb);
    }
    return out;
  }

  /** The learning rate at the current step, Q16.16: round(lr / (1 + decay·t)). */
  rate(): number {
    if (this.decay === 0) return this.lr;
    const den = 65536 + this.decay * this.t; // exact below 2^53
    return floorDiv(this.lr * 131072 + den, 2 * den);
  }

  private forward(x: Int32Array): void {
    const L = this.layers;
    let input = x;
    for (let i = 0; i < L.length; i++) {
      L[i].forward(input);
      input = L[i].a;
    }
  }

  /** Forward, back-propagation, then the SGD update of every layer. y is Q16.16 (regression) or a label. */
  protected learnQ(x: Int32Array, y: number): void {
    this.forward(x);
    const out = this.out;
    // negative gradient of the loss at the output pre-activation
    if (this.task === 0) {
      const e = y - out.z[0];
      out.g[0] = e > Q_MAX ? Q_MAX : e < Q_MIN ? Q_MIN : e;
    } else {
      softmaxQ(out.z, this.nOutputs, null, this.pq);
      for (let c = 0; c < this.nOutputs; c++) out.g[c] = (c === y ? Q_ONE : 0) - this.pq[c];
    }
    const L = this.layers;
    for (let i = L.length - 1; i > 0; i--) L[i].backward(L[i - 1]);
    const lr = this.rate();
    this.opt.begin(lr);
    for (let i = L.length - 1; i >= 0; i--) L[i].update(i === 0 ? x : L[i - 1].a, lr, this.momentum, this.stepBuf, this.opt);
    if (this.t < 4294967295) (this as Writable<MLP>).t++;
  }

  protected predictQ(x: Int32Array): number {
    this.forward(x);
    return this.task === 0 ? this.out.z[0] : K.argmax.f(this.out.z, 0, this.nOutputs);
  }

  protected override probaQ(x: Int32Array): Int32Array {
    if (this.task === 0) fail('E_STATE', 'predictProbaOne needs a classification MLP');
    this.forward(x);
    return softmaxQ(this.out.z, this.nOutputs, null, this.pq);
  }

  /**
   * @internal Payload: `u32 nFeatures`, `u8 task`, `u32 nOutputs`, `u8 activation`, `u8 nHidden`,
   * `u32[nHidden] widths`, `i32 learningRate`, `i32 decay`, `i32 momentum` (Q16.16), `i32 seed`,
   * `u32 t`, then per layer `i32[out·in] w`, `u16[out·in] wf`, `i32[out] b`, `u16[out] bf`
   * and, with momentum, `i32[out·in] vw`, `i32[out] vb`; then, for Adam and
   * RMSprop, the optimizer section (algorithms/optim.ts, docs/format.md) with
   * the moments of every layer's weights and biases.
   */
  write(w: ByteWriter): void {
    const m = this;
    w.u32(m.nFeatures);
    w.u8(m.task);
    w.u32(m.nOutputs);
    w.u8(m.activation);
    w.u8(m.hidden.length);
    for (let i = 0; i < m.hidden.length; i++) w.u32(m.hidden[i]);
    w.i32(m.lr);
    w.i32(m.decay);
    w.i32(m.momentum);
    w.i32(m.seed);
    w.u32(m.t);
    for (let i = 0; i < m.layers.length; i++) {
      const d = m.layers[i];
      w.i32s(d.w);
      w.u16s(d.wf);
      w.i32s(d.b);
      w.u16s(d.bf);
      if (d.vw !== null && d.vb !== null) {
        w.i32s(d.vw);
        w.i32s(d.vb);
      }
    }
    m.opt.write(w, m.moments());
  }

  /**
   * FedAvg: a new network whose weights, biases, momentum velocities and
   * optimizer moments are the means of the models' weighted by `weights`
   * (default: samples each saw). The networks must have the same
   * architecture, options and seed (E_SHAPE): averaging only makes sense for
   * networks grown from one initialisation, as a fleet's are once every
   * device has adopted a global model.
   */
  static merge(models: ReadonlyArray<MLP>, weights?: ArrayLike<number>): MLP {
    checkModels(models, MLP, weights);
    const a = models[0];
    const t: number[] = [];
    const opts: Optimizer[] = [];
    const states: Moments[][] = [];
    for (let i = 0; i < models.length; i++) {
      const m = models[i];
      same('nFeatures', i, a.nFeatures, m.nFeatures);
      same('task', i, a.task, m.task);
      same('nOutputs', i, a.nOutputs, m.nOutputs);
      same('activation', i, a.activation, m.activation);
      same('number of hidden layers', i, a.hidden.length, m.hidden.length);
      for (let j = 0; j < a.hidden.length; j++) same('width of hidden layer ' + j, i, a.hidden[j], m.hidden[j]);
      same('learning rate (Q16.16)', i, a.lr, m.lr);
      same('decay (Q16.16)', i, a.decay, m.decay);
      same('momentum (Q16.16)', i, a.momentum, m.momentum);
      same('seed', i, a.seed, m.seed);
      sameOptimizer(i, a.opt, m.opt);
      t.push(m.t);
      opts.push(m.opt);
      states.push(m.moments());
    }
    const mean = new WeightedMean(models.length, weights, function (i) {
      return t[i];
    });
    const out = MLP.fromBytes(a.toBytes());
    for (let l = 0; l < out.layers.length; l++) {
      const d = out.layers[l];
      const w: Int32Array[] = [], wf: Uint16Array[] = [], b: Int32Array[] = [], bf: Uint16Array[] = [], vw: Int32Array[] = [], vb: Int32Array[] = [];
      for (let i = 0; i < models.length; i++) {
        const s = models[i].layers[l];
        w.push(s.w);
        wf.push(s.wf);
        b.push(s.b);
        bf.push(s.bf);
        if (s.vw !== null && s.vb !== null) {
          vw.push(s.vw);
          vb.push(s.vb);
        }
      }
      mean.wide(d.w, d.wf, w, wf);
      mean.wide(d.b, d.bf, b, bf);
      if (d.vw !== null && d.vb !== null) {
        mean.ints(d.vw, vw);
        mean.ints(d.vb, vb);
      }
    }
    mergeOptimizer(out.opt, out.moments(), opts, states, mean);
    mutable(out).t = mean.counter(t);
    return out;
  }

  /** @internal */
  static fromReader(r: ByteReader): MLP {
    const n = r.int(1, MAX_WIDTH);
    const task = r.u8();
    if (task > 1) fail('E_CORRUPT', 'bad MLP task');
    const nOut = task === 0 ? r.int(1, 1) : r.int(2, MAX_WIDTH);
    const act = r.u8();
    if (act >= ACTIVATIONS.length) fail('E_CORRUPT', 'bad MLP activation');
    const nh = r.u8();
    if (nh > MAX_HIDDEN) fail('E_CORRUPT', 'too many MLP layers');
    const hidden: number[] = [];
    for (let i = 0; i < nh; i++) hidden.push(r.int(1, MAX_WIDTH));
    const lr = r.int(0, 1000 * 65536);
    const decay = r.int(0, 1000 * 65536);
    const mom = r.int(0, 65529);
    const seed = r.i32();
    const t = r.u32();
    // the state must all be there before anything is allocated
    let bytes = 0;
    let width = n;
    for (let i = 0; i <= nh; i++) {
      const wo = i === nh ? nOut : hidden[i];
      bytes += (width * wo + wo) * (mom !== 0 ? 10 : 6);
      width = wo;
    }
    const po = peekOptimizer(r, bytes);
    if (mom !== 0 && po.optimizer !== 'sgd') fail('E_CORRUPT', 'momentum with an adaptive optimizer');
    const opts: MLPOptions = {
      nFeatures: n, task: task === 0 ? 'regression' : 'classification', nOutputs: nOut, activation: ACTIVATIONS[act] as Activation,
      hidden: hidden, learningRate: fromQ(lr), decay: fromQ(decay), momentum: fromQ(mom), seed: seed,
    };
    opts.optimizer = po.optimizer;
    opts.beta1 = po.beta1;
    opts.beta2 = po.beta2;
    opts.epsilon = po.epsilon;
    const m = new MLP(opts);
    mutable(m).t = t;
    for (let i = 0; i < m.layers.length; i++) {
      const d = m.layers[i];
      r.i32s(d.w);
      r.u16s(d.wf);
      r.i32s(d.b);
      r.u16s(d.bf);
      if (d.vw !== null && d.vb !== null) {
        r.i32s(d.vw);
        r.i32s(d.vb);
      }
    }
    m.opt.read(r, m.moments());
    return m;
  }
}
