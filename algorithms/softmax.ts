/**
 * SoftmaxRegression: multiclass logistic regression trained by SGD on the
 * cross-entropy loss, with optional L2 and an inverse-decay schedule (the
 * same options as the binary LogisticRegression).
 *
 * Weights are wide (Q16.32: Int32Array + Uint16Array of extra fraction bits)
 * so that updates below one Q16.16 LSB still accumulate; see
 * docs/fixed-point.md. Also exports {@link softmaxQ}, the exp-normalisation
 * the other probabilistic classifiers of this suite share.
 */
import { Q_ONE, floorDiv, fromQ, exp24 } from '../src/fixed.js';
import { ByteReader, ModelType, encode } from '../src/format.js';
import { K, step } from '../src/kernels.js';
import { Classifier, MAX_FEATURES, checkLabel, checkOptions, checkVectorQ, optInt, optReal, readVector } from '../src/learner.js';
import { HEAD_SOFTMAX, Int8Linear, quantizeDense } from './int8.js';

/** Options of {@link SoftmaxRegression}. */
export interface SoftmaxOptions {
  /** Input width. */
  nFeatures: number;
  /** Number of classes (labels 0..nClasses-1), 2..1024. */
  nClasses: number;
  /** Initial learning rate (default 0.01). */
  learningRate?: number;
  /** L2 penalty on the weights, not the biases (default 0). */
  l2?: number;
  /** Schedule: the rate at step t is learningRate / (1 + decay·t) (default 0: constant). */
  decay?: number;
}

/** Largest nClasses of the classifiers in this suite. */
export const MAX_CLASSES = 1024;

const ONE_VEC = new Int32Array([Q_ONE]);

/**
 * Probabilities from scores: out[c] = round(2^16 · e^(s[c]−max) / Σ e^(s[j]−max)).
 * `s` holds Q16.16 values (integers; a Float64Array may hold sums beyond int32);
 * entries with `mask[c] === 0` get probability 0 (pass null for none). If every
 * entry is masked, every class gets round(2^16 / n).
 * e^x is {@link exp24} (2^-24 units), so classes far below the best get exactly 0.
 */
export function softmaxQ(s: ArrayLike<number>, n: number, mask: Uint8Array | null, out: Int32Array): Int32Array {
  let m = 0;
  let any = false;
  for (let c = 0; c < n; c++) {
    if (mask !== null && mask[c] === 0) continue;
    if (!any || s[c] > m) m = s[c];
    any = true;
  }
  if (!any) {
    const u = floorDiv(2 * Q_ONE + n, 2 * n);
    for (let c = 0; c < n; c++) out[c] = u;
    return out;
  }
  let sum = 0;
  for (let c = 0; c < n; c++) {
    const d = s[c] - m; // ≤ 0, possibly beyond int32: below −32 (Q16.16) e^d is 0 in 2^-24 units
    const e = (mask !== null && mask[c] === 0) || d < -2097152 ? 0 : exp24(d);
    out[c] = e; // ≤ 2^24, held in out until the sum is known
    sum += e;
  }
  for (let c = 0; c < n; c++) out[c] = floorDiv(2 * out[c] * Q_ONE + sum, 2 * sum);
  return out;
}

/**
 * Multiclass logistic (softmax) regression by SGD.
 *
 * @example
 * const m = new SoftmaxRegression({ nFeatures: 4, nClasses: 3, learningRate: 0.05 });
 * m.learnOne([5.1, 3.5, 1.4, 0.2], 0);
 * m.predictOne([5.1, 3.5, 1.4, 0.2]);      // class index
 * m.predictProbaOne([5.1, 3.5, 1.4, 0.2]); // Float64Array of 3 probabilities
 */
export class SoftmaxRegression implements Classifier {
  readonly nFeatures: number;
  readonly nClasses: number;
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
  t: number;
  private readonly xq: Int32Array;
  private readonly z: Int32Array;
  private readonly g: Int32Array;
  private readonly pq: Int32Array;
  private readonly proba: Float64Array;
  private readonly stepBuf: Int32Array;

  constructor(opts: SoftmaxOptions) {
    const o = checkOptions(opts);
    const n = (this.nFeatures = optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES));
    const c = (this.nClasses = optInt(o, 'nClasses', undefined, 2, MAX_CLASSES));
    this.lr = optReal(o, 'learningRate', 0.01, 0, 1000);
    this.l2 = optReal(o, 'l2', 0, 0, 1000);
    this.decay = optReal(o, 'decay', 0, 0, 1000);
    this.w = new Int32Array(n * c);
    this.wf = new Uint16Array(n * c);
    this.b = new Int32Array(c);
    this.bf = new Uint16Array(c);
    this.t = 0;
    this.xq = new Int32Array(n);
    this.z = new Int32Array(c);
    this.g = new Int32Array(c);
    this.pq = new Int32Array(c);
    this.proba = new Float64Array(c);
    this.stepBuf = new Int32Array(2);
    this.stateBytes = (n + 1) * c * 6 + 4;
  }

  /** The learning rate at the current step, Q16.16: round(lr / (1 + decay·t)). */
  private rate(): number {
    if (this.decay === 0) return this.lr;
    const den = 65536 + this.decay * this.t;
    return floorDiv(this.lr * 131072 + den, 2 * den);
  }

  /** Logits into z, probabilities into pq. */
  private forward(x: Int32Array): void {
    K.matvec(this.w, x, 0, this.b, this.z, this.nClasses, this.nFeatures);
    softmaxQ(this.z, this.nClasses, null, this.pq);
  }

  checkTarget(y: number): void {
    checkLabel(y, this.nClasses);
  }

  learnOne(x: ArrayLike<number>, y: number): void {
    checkLabel(y, this.nClasses);
    this.learnOneQ(readVector(x, this.nFeatures, this.xq), y);
  }

  predictOne(x: ArrayLike<number>): number {
    return this.predictOneQ(readVector(x, this.nFeatures, this.xq));
  }

  predictProbaOne(x: ArrayLike<number>): Float64Array {
    const q = this.predictProbaOneQ(readVector(x, this.nFeatures, this.xq));
    for (let c = 0; c < this.nClasses; c++) this.proba[c] = fromQ(q[c]);
    return this.proba;
  }

  /** One SGD step: W ← W(1 − lr·l2) + lr·(onehot(y) − p)·xᵀ, b ← b + lr·(onehot(y) − p). */
  learnOneQ(x: Int32Array, y: number): void {
    checkVectorQ(x, this.nFeatures);
    checkLabel(y, this.nClasses);
    this.forward(x);
    const c = this.nClasses;
    for (let j = 0; j < c; j++) this.g[j] = (j === y ? Q_ONE : 0) - this.pq[j];
    const lr = this.rate();
    if (this.l2 !== 0) {
      const s = this.stepBuf;
      step(lr, -this.l2, s);
      if (s[0] !== 0) K.axpyWide(this.w, this.wf, 0, this.w, 0, this.w.length, s[0], s[1]);
    }
    K.gerWide(this.w, this.wf, c, this.nFeatures, this.g, x, 0, lr);
    K.gerWide(this.b, this.bf, c, 1, this.g, ONE_VEC, 0, lr);
    if (this.t < 4294967295) this.t++;
  }

  /** The class with the largest logit (the first one on ties). */
  predictOneQ(x: Int32Array): number {
    checkVectorQ(x, this.nFeatures);
    K.matvec(this.w, x, 0, this.b, this.z, this.nClasses, this.nFeatures);
    return K.argmax(this.z, 0, this.nClasses);
  }

  predictProbaOneQ(x: Int32Array): Int32Array {
    checkVectorQ(x, this.nFeatures);
    this.forward(x);
    return this.pq;
  }

  /** Weights as real numbers, row-major (class c: entries c·nFeatures …). */
  weights(): Float64Array {
    const out = new Float64Array(this.w.length);
    for (let i = 0; i < out.length; i++) out[i] = (this.w[i] * 65536 + this.wf[i]) / 4294967296;
    return out;
  }

  /** An inference-only copy with int8 weights (one scale) and Q16.16 biases; see Int8Linear. */
  toInt8(): Int8Linear {
    return new Int8Linear(this.nFeatures, HEAD_SOFTMAX, quantizeDense(this.w, this.b, this.nClasses, this.nFeatures, 3));
  }

  toBytes(): Uint8Array {
    const m = this;
    return encode(ModelType.SoftmaxRegression, function (w) {
      w.u32(m.nFeatures);
      w.u32(m.nClasses);
      w.i32(m.lr);
      w.i32(m.l2);
      w.i32(m.decay);
      w.u32(m.t);
      w.i32s(m.w);
      w.u16s(m.wf);
      w.i32s(m.b);
      w.u16s(m.bf);
    });
  }

  /** @internal */
  static fromReader(r: ByteReader): SoftmaxRegression {
    const n = r.int(1, MAX_FEATURES);
    const c = r.int(2, MAX_CLASSES);
    const lr = r.int(0, 1000 * 65536);
    const l2 = r.int(0, 1000 * 65536);
    const decay = r.int(0, 1000 * 65536);
    r.need(4 + (n + 1) * c * 6);
    const m = new SoftmaxRegression({ nFeatures: n, nClasses: c, learningRate: fromQ(lr), l2: fromQ(l2), decay: fromQ(decay) });
    m.t = r.u32();
    r.i32s(m.w);
    r.u16s(m.wf);
    r.i32s(m.b);
    r.u16s(m.bf);
    return m;
  }
}
