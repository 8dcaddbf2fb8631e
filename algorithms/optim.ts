/**
 * Optimizers shared by the SGD-trained models (LinearRegression,
 * LogisticRegression, SoftmaxRegression, MLP), after River's `optim`: plain
 * SGD (the models' own wide-weight update), Adam and RMSprop.
 *
 * Adam and RMSprop keep per-parameter moments next to each wide weight
 * ({@link Moments}); the per-element update is the `K.gerAdam` kernel (with a
 * native twin), and this module computes its per-step scalars once per
 * sample: the learning rate with Adam's bias correction as a 21-bit mantissa
 * and a shift, and ε scaled by the same correction. Everything is integer
 * arithmetic, so every engine gives the same bits; the precision choices are
 * in docs/fixed-point.md ("Optimizers").
 */
import { fail } from '../src/errors.js';
import { POW2, floorDiv, isqrtRound } from '../src/fixed.js';
import { ByteReader, ByteWriter } from '../src/format.js';
import * as K from '../src/kernels.js';
import { optChoice, optReal } from '../src/learner.js';
import { WeightedMean, same } from '../src/merge.js';

/** Optimizer names, in their stored order. */
export const OPTIMIZERS = ['sgd', 'adam', 'rmsprop'];
/** How a model turns gradients into weight updates. */
export type OptimizerName = 'sgd' | 'adam' | 'rmsprop';
/** Optimizer ids (index in {@link OPTIMIZERS}). */
export const SGD = 0;
export const ADAM = 1;
export const RMSPROP = 2;

/** Options of the optimizer, part of every SGD-trained model's options. */
export interface OptimizerOptions {
  /** 'sgd', 'adam' or 'rmsprop' (the default depends on the model). */
  optimizer?: OptimizerName;
  /** Adam's first-moment decay β1 in [0, 1) (default 0.9). */
  beta1?: number;
  /** Second-moment decay: Adam's β2 (default 0.999) or RMSprop's ρ (default 0.9), in [0, 1). */
  beta2?: number;
  /** ε added to √v, in [2^-24, 1] (default 1e-7, held as a multiple of 2^-24: 1.19e-7). */
  epsilon?: number;
}

/** Largest β (Q16.16 65535). */
const BETA_MAX = 65535 / 65536;
const TWO31 = 2147483648;
/** The step-size mantissa range of K.gerAdam: [2^20, 2^21). */
const A_MIN = 1048576;
const A_MAX = 2097151;

/** floor(log2 v) + 1 for an integer 1 ≤ v < 2^53 (0 for 0). */
function bitLength(v: number): number {
  let b = 0;
  while (b < 53 && POW2[b] <= v) b++;
  return b;
}

/**
 * An optimizer: its kind and hyper-parameters, the bias-correction products
 * β^t, and the scalars of the current step. One per model; every parameter
 * array of the model keeps its {@link Moments}.
 */
export class Optimizer {
  /** SGD, ADAM or RMSPROP. */
  readonly kind: number;
  /** β1, β2 in Q16.16 (0..65535); 0 when unused. */
  readonly beta1: number;
  readonly beta2: number;
  /** ε in units of 2^-24 (≥ 1); 0 for SGD. */
  readonly epsilon: number;
  /** β1^t and β2^t in units of 2^-31 (2^31 before the first step); Adam's bias correction. */
  readonly p1: number;
  readonly p2: number;
  /** @internal the current step for K.gerAdam: step size a·2^-(k+8), ε term e (2^-24 units) */
  readonly a: number;
  /** @internal */ readonly k: number;
  /** @internal */ readonly e: number;

  /** Reads `optimizer`, `beta1`, `beta2`, `epsilon` from the options (E_OPTION when they do not fit). */
  constructor(o: { [k: string]: unknown }, def: OptimizerName) {
    const kind = (this.kind = optChoice(o, 'optimizer', def, OPTIMIZERS));
    if (kind === SGD) {
      const names = ['beta1', 'beta2', 'epsilon'];
      for (let i = 0; i < names.length; i++)
        if (o[names[i]] !== undefined) fail('E_OPTION', 'option ' + names[i] + " applies to optimizer 'adam' or 'rmsprop', not 'sgd'");
    }
    if (kind === RMSPROP && o.beta1 !== undefined) fail('E_OPTION', "option beta1 applies to optimizer 'adam', not 'rmsprop'");
    this.beta1 = kind === ADAM ? optReal(o, 'beta1', 0.9, 0, BETA_MAX) : 0;
    this.beta2 = kind === SGD ? 0 : optReal(o, 'beta2', kind === ADAM ? 0.999 : 0.9, 0, BETA_MAX);
    let eps = 0;
    if (kind !== SGD) {
      const v = o.epsilon === undefined ? 1e-7 : o.epsilon;
      if (typeof v !== 'number' || !(v >= 5.960464477539063e-8 && v <= 1)) fail('E_OPTION', 'option epsilon must be a number in [2^-24, 1], got ' + v);
      const y = v * 16777216; // exact (a power of two); rounded half up as in toQ
      eps = Math.floor(y);
      if (y - eps >= 0.5) eps++;
    }
    this.epsilon = eps;
    this.p1 = kind === ADAM ? TWO31 : 0;
    this.p2 = kind === ADAM ? TWO31 : 0;
    this.a = 0;
    this.k = 0;
    this.e = 0;
  }

  /** The option values as the constructor reads them (for fromReader and the float twins). */
  options(): OptimizerOptions {
    const name = OPTIMIZERS[this.kind] as OptimizerName;
    if (this.kind === SGD) return { optimizer: name };
    const o: OptimizerOptions = { optimizer: name, beta2: this.beta2 / 65536, epsilon: this.epsilon / 16777216 };
    if (this.kind === ADAM) o.beta1 = this.beta1 / 65536;
    return o;
  }

  /** Bytes of state per parameter: 14 for Adam (m Q16.32, v Q32.32), 8 for RMSprop, 0 for SGD. */
  perParam(): number {
    return this.kind === ADAM ? 14 : this.kind === RMSPROP ? 8 : 0;
  }

  /** Bytes of the optimizer's own state (β1^t and β2^t): 8 for Adam and RMSprop, 0 for SGD. */
  ownBytes(): number {
    return this.kind === SGD ? 0 : 8;
  }

  /** Moments for a parameter array of n elements, or null for SGD. */
  moments(n: number): Moments | null {
    return this.kind === SGD ? null : new Moments(this.kind === ADAM, n);
  }

  /**
   * Starts one learning step at learning rate lr (Q16.16): advances β^t and
   * computes the step size lr·√(1 − β2^t)/(1 − β1^t) (lr for RMSprop) as
   * a·2^-(k+8) with a in [2^20, 2^21), and e = ε·√(1 − β2^t).
   */
  begin(lr: number): void {
    if (this.kind === SGD) return;
    const self = mutableOpt(this);
    let r2 = 16777216; // √(1 − β2^t) in units of 2^-24
    let den = TWO31; // (1 − β1^t)·2^31
    if (this.kind === ADAM) {
      self.p1 = Math.floor((this.p1 * this.beta1 + 32768) / 65536);
      self.p2 = Math.floor((this.p2 * this.beta2 + 32768) / 65536);
      r2 = isqrtRound((TWO31 - this.p2) * 131072); // √((1 − β2^t)·2^48), exact below 2^49
      den = TWO31 - this.p1;
    }
    self.e = Math.floor((this.epsilon * r2 + 8388608) / 16777216);
    // step size lr·r2 / (den·2^9) (real) = a·2^-(t+9) with a = floor(lr·r2·2^t / den); K.gerAdam takes a·2^-(k+8)
    const num = lr * r2; // < 2^50 (lr ≤ 1000)
    if (num === 0 || den === 0) {
      self.a = 0;
      self.k = 0;
      return;
    }
    let t = 20 + bitLength(den) - bitLength(num);
    let a = stepMantissa(num, den, t);
    if (a < A_MIN) a = stepMantissa(num, den, ++t);
    if (t + 1 < 0) {
      // a step above 8192 × the ratio m/√v: capped (it would leave the weight range anyway)
      self.a = A_MAX;
      self.k = 0;
      return;
    }
    self.a = a > A_MAX ? A_MAX : a;
    self.k = t + 1;
  }

  /** Applies the current step to the rows×cols wide weights (w, f) with negative gradient d·xᵀ (x from xo). */
  step(s: Moments, w: Int32Array, f: Uint16Array, rows: number, cols: number, d: Int32Array, x: Int32Array, xo: number): void {
    K.gerAdam.f(w, f, s.m, s.mf, s.vI, s.vF, rows, cols, d, x, xo, this.a, this.k, this.e, this.beta1, this.beta2);
  }

  /**
   * Writes the optimizer section of a model's payload (nothing for SGD):
   * `u8 optimizer`, `i32 beta1`, `i32 beta2`, `u32 epsilon`, `u32 p1`, `u32 p2`,
   * then each parameter array's moments in order (docs/format.md).
   */
  write(w: ByteWriter, states: ReadonlyArray<Moments>): void {
    if (this.kind === SGD) return;
    w.u8(this.kind);
    w.i32(this.beta1);
    w.i32(this.beta2);
    w.u32(this.epsilon);
    w.u32(this.p1);
    w.u32(this.p2);
    for (let i = 0; i < states.length; i++) {
      const s = states[i];
      if (s.m !== null && s.mf !== null) {
        w.i32s(s.m);
        w.u16s(s.mf);
      }
      w.i32s(s.vI);
      w.u32s(s.vF);
    }
  }

  /**
   * Reads the optimizer section `write` wrote into a model built with
   * {@link peekOptimizer}'s options; `states` must be that model's moments.
   */
  read(r: ByteReader, states: ReadonlyArray<Moments>): void {
    if (this.kind === SGD) return;
    const kind = r.u8();
    if (kind !== this.kind || r.i32() !== this.beta1 || r.i32() !== this.beta2 || r.u32() !== this.epsilon) fail('E_CORRUPT', 'optimizer section does not match');
    const self = mutableOpt(this);
    self.p1 = r.u32();
    self.p2 = r.u32();
    if (this.p1 > TWO31 || this.p2 > TWO31 || (this.kind === RMSPROP && (this.p1 !== 0 || this.p2 !== 0))) fail('E_CORRUPT', 'bad optimizer state');
    let bytes = 0;
    for (let i = 0; i < states.length; i++) bytes += states[i].vI.length * this.perParam();
    r.need(bytes);
    for (let i = 0; i < states.length; i++) {
      const s = states[i];
      if (s.m !== null && s.mf !== null) {
        r.i32s(s.m);
        r.u16s(s.mf);
      }
      r.i32s(s.vI);
      r.u32s(s.vF);
    }
  }
}

/** a = floor(num·2^t / den), exactly (num < 2^50, 1 ≤ den ≤ 2^31, num·2^t < 2^53 when t ≥ 0). */
function stepMantissa(num: number, den: number, t: number): number {
  return t >= 0 ? floorDiv(num * POW2[t], den) : Math.floor(floorDiv(num, den) / POW2[-t]);
}

function mutableOpt(o: Optimizer): { -readonly [K in keyof Optimizer]: Optimizer[K] } {
  return o as { -readonly [K in keyof Optimizer]: Optimizer[K] };
}

/**
 * Per-parameter moments of one parameter array: the first moment m + mf/2^16
 * (Q16.32, Adam only) and the second moment vI + vF/2^32 (Q32.32).
 */
export class Moments {
  readonly m: Int32Array | null;
  readonly mf: Uint16Array | null;
  readonly vI: Int32Array;
  readonly vF: Uint32Array;

  constructor(first: boolean, n: number) {
    this.m = first ? new Int32Array(n) : null;
    this.mf = first ? new Uint16Array(n) : null;
    this.vI = new Int32Array(n);
    this.vF = new Uint32Array(n);
  }
}

/**
 * The optimizer options stored in the optimizer section that starts `skip`
 * bytes after the reader's position, or `{ optimizer: 'sgd' }` when the
 * payload ends there (a blob without the section is plain SGD, which keeps
 * blobs from before optimizers existed loadable). Reads nothing from `r`.
 */
export function peekOptimizer(r: ByteReader, skip: number): OptimizerOptions {
  r.need(skip);
  if (r.pos + skip === r.end) return { optimizer: 'sgd' };
  const p = new ByteReader(r.bytes, r.pos + skip, r.end);
  const kind = p.u8();
  if (kind !== ADAM && kind !== RMSPROP) fail('E_CORRUPT', 'unknown optimizer ' + kind);
  const b1 = p.int(0, 65535);
  const b2 = p.int(0, 65535);
  const eps = p.u32();
  if (eps < 1 || eps > 16777216) fail('E_CORRUPT', 'bad optimizer epsilon');
  if (kind === RMSPROP && b1 !== 0) fail('E_CORRUPT', 'bad optimizer beta1');
  const o: OptimizerOptions = { optimizer: OPTIMIZERS[kind] as OptimizerName, beta2: b2 / 65536, epsilon: eps / 16777216 };
  if (kind === ADAM) o.beta1 = b1 / 65536;
  return o;
}

/** @internal Throws E_SHAPE unless optimizer `b` (of model i) has the kind and hyper-parameters of `a`. */
export function sameOptimizer(i: number, a: Optimizer, b: Optimizer): void {
  same('optimizer', i, a.kind, b.kind);
  same('beta1 (Q16.16)', i, a.beta1, b.beta1);
  same('beta2 (Q16.16)', i, a.beta2, b.beta2);
  same('epsilon (2^-24 units)', i, a.epsilon, b.epsilon);
}

/**
 * @internal Merges optimizer state into `into` (a fresh copy of model 0's
 * optimizer, `moments` its parameter arrays' moments): every moment and the
 * β^t products are the weighted means of the models' (`opts`, `states[k]`),
 * the same weights as the parameters. Adam's m and v are running averages of
 * gradients, so their mean is the running average a model trained on the
 * union would approximately hold.
 */
export function mergeOptimizer(into: Optimizer, moments: ReadonlyArray<Moments>, opts: ReadonlyArray<Optimizer>, states: ReadonlyArray<ReadonlyArray<Moments>>, mean: WeightedMean): void {
  if (into.kind === SGD) return;
  const p1: number[] = [];
  const p2: number[] = [];
  for (let k = 0; k < opts.length; k++) {
    p1.push(opts[k].p1);
    p2.push(opts[k].p2);
  }
  const self = mutableOpt(into);
  self.p1 = mean.u32(p1);
  self.p2 = mean.u32(p2);
  for (let j = 0; j < moments.length; j++) {
    const s = moments[j];
    const vi: Int32Array[] = [];
    const vf: Uint32Array[] = [];
    const m: Int32Array[] = [];
    const mf: Uint16Array[] = [];
    for (let k = 0; k < states.length; k++) {
      const t = states[k][j];
      vi.push(t.vI);
      vf.push(t.vF);
      if (t.m !== null && t.mf !== null) {
        m.push(t.m);
        mf.push(t.mf);
      }
    }
    if (s.m !== null && s.mf !== null) mean.wide(s.m, s.mf, m, mf);
    mean.wide32(s.vI, s.vF, vi, vf);
  }
}
