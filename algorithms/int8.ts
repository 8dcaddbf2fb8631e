/**
 * Inference-only int8 models: the "quantization" step of TinyML, done on the
 * device after training. `toInt8(model)` of a LinearRegression,
 * LogisticRegression, SoftmaxRegression or MLP returns one of these. It is a
 * function of this module rather than a method of those classes so that a
 * device bundle of them does not carry this module (about 230 Espruino
 * blocks).
 *
 * Each layer keeps its weights as int8 with one scale per layer (symmetric:
 * q = round(127·w / A) with A = max |w|), and its biases in Q16.16 (int32, as
 * TFLite keeps biases). The scale is stored as a mantissa and a shift,
 * S = round(2^k·A/127) with 2^23 ≤ S < 2^25, so that tiny weights keep their
 * precision. Inference dequantizes one row at a time into a Q16.16 scratch
 * row (w' = round(q·S / 2^k)) and runs the same K.dot as the Q16.16 model,
 * so the only difference from it is the int8 rounding of the weights.
 */
import { fail } from '../src/errors.js';
import { POW2, Q_MAX, Q_MIN, floorDiv, sigmoid, softmaxQ, tanh } from '../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../src/format.js';
import * as K from '../src/kernels.js';
import { Supervised } from '../src/learner.js';
import type { LinearRegression, LogisticRegression } from './linear.js';
import type { MLP } from './mlp.js';
import type { SoftmaxRegression } from './softmax.js';

/** Output heads. */
export const HEAD_REGRESSION = 0;
export const HEAD_LOGISTIC = 1;
export const HEAD_SOFTMAX = 2;

const MAX_IN = 65535;
const MAX_OUT = 1024;

/** One quantized layer: a = act(dequant(q)·x + bias). */
export interface Int8Layer {
  nIn: number;
  nOut: number;
  /** 0 relu, 1 tanh, 2 sigmoid, 3 linear (as MLP's ACTIVATIONS). */
  act: number;
  /** Scale mantissa S and shift k: one int8 unit is S / 2^k Q16.16 units. */
  scale: number;
  shift: number;
  q: Int8Array;
  bias: Int32Array;
}

/**
 * Quantizes a Q16.16 weight matrix (rows × cols, row-major) and its biases.
 * @internal
 */
export function quantizeDense(w: Int32Array, b: Int32Array | null, rows: number, cols: number, act: number): Int8Layer {
  let A = 0;
  for (let i = 0; i < rows * cols; i++) {
    const v = w[i] < 0 ? -w[i] : w[i];
    if (v > A) A = v;
  }
  const q = new Int8Array(rows * cols);
  let scale = 0;
  let shift = 0;
  if (A > 0) {
    // S = round(2^k·A / 127) in [2^23, 2^24)
    while (shift < 48 && floorDiv(2 * A * POW2[shift] + 127, 254) < 8388608) shift++;
    while (shift > 0 && floorDiv(2 * A * POW2[shift] + 127, 254) >= 16777216) shift--;
    scale = floorDiv(2 * A * POW2[shift] + 127, 254);
    for (let i = 0; i < rows * cols; i++) q[i] = floorDiv(2 * 127 * w[i] + A, 2 * A); // round(127·w/A) in −127..127
  }
  const bias = new Int32Array(rows);
  if (b !== null) bias.set(b.subarray(0, rows));
  return { nIn: cols, nOut: rows, act: act, scale: scale, shift: shift, q: q, bias: bias };
}

/** The network shared by Int8Linear (one layer) and Int8MLP. */
class Int8Net {
  readonly nFeatures: number;
  readonly head: number;
  readonly layers: Int8Layer[];
  readonly nOutputs: number;
  readonly stateBytes: number;
  /** the dequantized weight row, made on first use (load allocates no more than the blob justifies) */
  private row: Int32Array | null = null;
  private readonly maxIn: number;
  private readonly acts: Int32Array[];
  readonly pq: Int32Array;

  constructor(nFeatures: number, head: number, layers: Int8Layer[]) {
    if (layers.length < 1) fail('E_OPTION', 'an int8 network needs a layer');
    this.nFeatures = nFeatures;
    this.head = head;
    this.layers = layers;
    let width = nFeatures;
    let maxIn = 1;
    let bytes = 0;
    this.acts = [];
    for (let i = 0; i < layers.length; i++) {
      const L = layers[i];
      if (L.nIn !== width) fail('E_SHAPE', 'layer ' + i + ' expects ' + L.nIn + ' inputs, gets ' + width);
      if (L.nIn > maxIn) maxIn = L.nIn;
      bytes += L.nIn * L.nOut + 4 * L.nOut + 5;
      this.acts.push(new Int32Array(L.nOut));
      width = L.nOut;
    }
    this.nOutputs = width;
    if (head === HEAD_REGRESSION && width !== 1) fail('E_SHAPE', 'a regression head needs one output');
    if (head === HEAD_LOGISTIC && width !== 1) fail('E_SHAPE', 'a logistic head needs one output');
    if (head === HEAD_SOFTMAX && width < 2) fail('E_SHAPE', 'a softmax head needs two outputs or more');
    this.maxIn = maxIn;
    this.pq = new Int32Array(head === HEAD_REGRESSION ? 1 : head === HEAD_LOGISTIC ? 2 : width);
    this.stateBytes = bytes;
  }

  /** Runs x through every layer; returns the last layer's outputs (pre-head). */
  forward(x: Int32Array): Int32Array {
    let input = x;
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l];
      const out = this.acts[l];
      const row = this.row === null ? (this.row = new Int32Array(this.maxIn)) : this.row;
      const half = L.shift > 0 ? POW2[L.shift - 1] : 0;
      const p = POW2[L.shift];
      for (let r = 0; r < L.nOut; r++) {
        const o = r * L.nIn;
        for (let i = 0; i < L.nIn; i++) row[i] = Math.floor((L.q[o + i] * L.scale + half) / p);
        const v = K.dot.f(row, 0, input, 0, L.nIn) + L.bias[r];
        const z = v > Q_MAX ? Q_MAX : v < Q_MIN ? Q_MIN : v;
        out[r] = L.act === 0 ? (z > 0 ? z : 0) : L.act === 1 ? tanh(z) : L.act === 2 ? sigmoid(z) : z;
      }
      input = out;
    }
    return input;
  }

  predictQ(x: Int32Array): number {
    const z = this.forward(x);
    if (this.head === HEAD_REGRESSION) return z[0];
    if (this.head === HEAD_LOGISTIC) return sigmoid(z[0]) >= 32768 ? 1 : 0;
    return K.argmax.f(z, 0, this.nOutputs);
  }

  probaQ(x: Int32Array): Int32Array {
    if (this.head === HEAD_REGRESSION) fail('E_STATE', 'predictProbaOne needs a classifier');
    const z = this.forward(x);
    if (this.head === HEAD_LOGISTIC) {
      const p = sigmoid(z[0]);
      this.pq[0] = 65536 - p;
      this.pq[1] = p;
      return this.pq;
    }
    return softmaxQ(z, this.nOutputs, null, this.pq);
  }

  /**
   * Payload of Int8Linear and Int8MLP: `u32 nFeatures`, `u8 head` (0 regression,
   * 1 logistic, 2 softmax), `u8 nLayers`, then per layer `u32 nOut`, `u8 activation`,
   * `u8 shift k`, `i32 scale S`, `i8[nOut·nIn] q` (−127..127), `i32[nOut] bias` (Q16.16).
   */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u8(this.head);
    w.u8(this.layers.length);
    for (let i = 0; i < this.layers.length; i++) {
      const L = this.layers[i];
      w.u32(L.nOut);
      w.u8(L.act);
      w.u8(L.shift);
      w.i32(L.scale);
      const b = new Uint8Array(L.q.buffer, L.q.byteOffset, L.q.length);
      w.u8s(b);
      w.i32s(L.bias);
    }
  }

  static read(r: ByteReader, maxLayers: number): Int8Net {
    const n = r.int(1, MAX_IN);
    const head = r.u8();
    if (head > 2) fail('E_CORRUPT', 'bad int8 head');
    const nl = r.u8();
    if (nl < 1 || nl > maxLayers) fail('E_CORRUPT', 'bad int8 layer count');
    const layers: Int8Layer[] = [];
    let width = n;
    for (let i = 0; i < nl; i++) {
      const nOut = r.int(1, MAX_OUT);
      const act = r.u8();
      if (act > 3) fail('E_CORRUPT', 'bad int8 activation');
      const shift = r.u8();
      if (shift > 48) fail('E_CORRUPT', 'bad int8 scale shift');
      const scale = r.int(0, 33554431);
      if (scale !== 0 && scale < 8388608) fail('E_CORRUPT', 'bad int8 scale');
      r.need(width * nOut + 4 * nOut);
      const q = new Int8Array(width * nOut);
      r.u8s(new Uint8Array(q.buffer));
      for (let j = 0; j < q.length; j++) if (q[j] === -128) fail('E_CORRUPT', 'int8 weight out of range');
      const bias = new Int32Array(nOut);
      r.i32s(bias);
      layers.push({ nIn: width, nOut: nOut, act: act, scale: scale, shift: shift, q: q, bias: bias });
      width = nOut;
    }
    try {
      return new Int8Net(n, head, layers);
    } catch (e) {
      return fail('E_CORRUPT', 'inconsistent int8 network: ' + (e as Error).message);
    }
  }
}

/**
 * The protocol shared by both int8 model classes: predictions as the
 * original model, learning refused (E_STATE).
 */
abstract class Int8Model extends Supervised {
  readonly stateBytes: number;
  /** @internal */ readonly net: Int8Net;

  constructor(net: Int8Net, nClasses: number) {
    super(net.nFeatures, nClasses);
    this.net = net;
    this.stateBytes = net.stateBytes;
  }

  /** Always throws E_STATE: an int8 model is inference-only. */
  protected learnQ(_x: Int32Array, _y: number): void {
    fail('E_STATE', 'an int8 model is inference-only: train the Q16.16 model and call toInt8(model) again');
  }

  protected predictQ(x: Int32Array): number {
    return this.net.predictQ(x);
  }

  protected override probaQ(x: Int32Array): Int32Array {
    return this.net.probaQ(x);
  }

  /** @internal */
  write(w: ByteWriter): void {
    this.net.write(w);
  }
}

/**
 * An int8 linear model (`toInt8` of a LinearRegression, LogisticRegression or
 * SoftmaxRegression): predictOne / predictProbaOne as the
 * original, learnOne throws E_STATE.
 *
 * @example
 * const m = new LogisticRegression({ nFeatures: 4 });
 * // … train …
 * const small = toInt8(m);
 * small.predictOne([0.1, 0.2, 0.3, 0.4]);
 * small.toBytes().length; // about a quarter of m.toBytes().length
 */
export class Int8Linear extends Int8Model {
  static readonly modelType = ModelType.Int8Linear;

  /** @internal Use `toInt8(model)`. */
  constructor(nFeatures: number, head: number, layer: Int8Layer) {
    super(new Int8Net(nFeatures, head, [layer]), head === HEAD_REGRESSION ? 0 : head === HEAD_LOGISTIC ? 2 : layer.nOut);
  }

  /** @internal */
  static fromReader(r: ByteReader): Int8Linear {
    const net = Int8Net.read(r, 1);
    return new Int8Linear(net.nFeatures, net.head, net.layers[0]);
  }
}

/**
 * An int8 multilayer perceptron (`toInt8` of an MLP): same predictions
 * protocol as the MLP, inference only.
 *
 * @example
 * const small = toInt8(mlp);
 * small.predictOne([1.0]);
 * Int8MLP.fromBytes(small.toBytes()); // an Int8MLP again
 */
export class Int8MLP extends Int8Model {
  static readonly modelType = ModelType.Int8MLP;

  /** @internal Use `toInt8(mlp)`. */
  constructor(nFeatures: number, head: number, layers: Int8Layer[]) {
    const net = new Int8Net(nFeatures, head, layers);
    super(net, head === HEAD_REGRESSION ? 0 : net.nOutputs);
  }

  /** @internal */
  static fromReader(r: ByteReader): Int8MLP {
    const net = Int8Net.read(r, 9);
    return new Int8MLP(net.nFeatures, net.head, net.layers);
  }
}

/**
 * An inference-only copy of a trained model with int8 weights; the model is
 * unchanged. LinearRegression and LogisticRegression give an Int8Linear (one
 * scale, a Q16.16 bias), SoftmaxRegression an Int8Linear (Q16.16 biases), an
 * MLP an Int8MLP (one scale per layer). Any other model is E_TYPE.
 *
 * @example
 * const small = toInt8(model);
 * small.predictOne([0.1, 0.2, 0.3, 0.4]);
 */
export function toInt8(model: MLP): Int8MLP;
export function toInt8(model: LinearRegression | LogisticRegression | SoftmaxRegression): Int8Linear;
export function toInt8(model: LinearRegression | LogisticRegression | SoftmaxRegression | MLP): Int8Linear | Int8MLP;
export function toInt8(model: LinearRegression | LogisticRegression | SoftmaxRegression | MLP): Int8Linear | Int8MLP {
  // the class's type id, as load() reads it: this module needs no import of the model classes
  const type = model !== null && typeof model === 'object' ? (model.constructor as { modelType?: number }).modelType : undefined;
  if (type === ModelType.LinearRegression || type === ModelType.LogisticRegression) {
    const c = (model as LinearRegression).core;
    return new Int8Linear(c.n, type === ModelType.LinearRegression ? HEAD_REGRESSION : HEAD_LOGISTIC, quantizeDense(c.w, c.w.subarray(c.n, c.n + 1), 1, c.n, 3));
  }
  if (type === ModelType.SoftmaxRegression) {
    const m = model as SoftmaxRegression;
    return new Int8Linear(m.nFeatures, HEAD_SOFTMAX, quantizeDense(m.w, m.b, m.nClasses, m.nFeatures, 3));
  }
  if (type === ModelType.MLP) {
    const L = (model as MLP).layers;
    const q: Int8Layer[] = [];
    for (let i = 0; i < L.length; i++) q.push(quantizeDense(L[i].w, L[i].b, L[i].nOut, L[i].nIn, L[i].activation));
    return new Int8MLP((model as MLP).nFeatures, (model as MLP).task === 0 ? HEAD_REGRESSION : HEAD_SOFTMAX, q);
  }
  return fail('E_TYPE', 'toInt8 takes a LinearRegression, LogisticRegression, SoftmaxRegression or MLP');
}
