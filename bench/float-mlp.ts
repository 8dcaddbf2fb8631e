/**
 * The float64 twin of algorithms/mlp.ts for the benchmarks: the same
 * architecture, the same initial weights (copied from a freshly built MLP),
 * the same update order, learning-rate schedule and optimizer (SGD, momentum,
 * Adam with bias correction, RMSprop, with the model's quantised β and ε),
 * in plain double arithmetic with Math.tanh / Math.exp / Math.sqrt. Not
 * library code.
 */
import type { MLP } from '../algorithms/mlp.js';
import { FOptimizer } from './float-optim.js';

interface Layer {
  nIn: number;
  nOut: number;
  act: number;
  w: Float64Array;
  b: Float64Array;
  vw: Float64Array;
  vb: Float64Array;
  /** Adam / RMSprop second moments (first moments in vw, vb) */
  sw: Float64Array;
  sb: Float64Array;
  z: Float64Array;
  a: Float64Array;
  g: Float64Array;
}

export class FloatMLP {
  readonly layers: Layer[];
  readonly lr: number;
  readonly decay: number;
  readonly momentum: number;
  readonly classification: boolean;
  readonly nOut: number;
  /** Adam / RMSprop with β and ε as the fixed-point model holds them; null for SGD */
  readonly opt: FOptimizer | null;
  t = 0;
  private readonly p: Float64Array;

  /** Copies the architecture, hyper-parameters and current weights of `m` (call before training it). */
  constructor(m: MLP) {
    this.layers = m.layers.map((d) => ({
      nIn: d.nIn,
      nOut: d.nOut,
      act: d.activation,
      w: Float64Array.from(d.w, (v, i) => (v * 65536 + d.wf[i]) / 4294967296),
      b: Float64Array.from(d.b, (v, i) => (v * 65536 + d.bf[i]) / 4294967296),
      vw: new Float64Array(d.nIn * d.nOut),
      vb: new Float64Array(d.nOut),
      sw: new Float64Array(d.nIn * d.nOut),
      sb: new Float64Array(d.nOut),
      z: new Float64Array(d.nOut),
      a: new Float64Array(d.nOut),
      g: new Float64Array(d.nOut),
    }));
    this.lr = m.lr / 65536;
    this.decay = m.decay / 65536;
    this.momentum = m.momentum / 65536;
    this.classification = m.task === 1;
    this.nOut = m.nOutputs;
    this.p = new Float64Array(m.nOutputs);
    this.opt = FOptimizer.of(m.opt.options());
  }

  private static f(act: number, z: number): number {
    return act === 0 ? (z > 0 ? z : 0) : act === 1 ? Math.tanh(z) : act === 2 ? 1 / (1 + Math.exp(-z)) : z;
  }

  /** Output layer pre-activations (the regression output is z[0]). */
  forward(x: ArrayLike<number>): Float64Array {
    let input: ArrayLike<number> = x;
    for (const l of this.layers) {
      for (let r = 0; r < l.nOut; r++) {
        let s = l.b[r];
        for (let i = 0; i < l.nIn; i++) s += l.w[r * l.nIn + i] * input[i];
        l.z[r] = s;
        l.a[r] = FloatMLP.f(l.act, s);
      }
      input = l.a;
    }
    return this.layers[this.layers.length - 1].z;
  }

  softmax(z: Float64Array): Float64Array {
    let m = -Infinity;
    for (let c = 0; c < this.nOut; c++) if (z[c] > m) m = z[c];
    let s = 0;
    for (let c = 0; c < this.nOut; c++) s += this.p[c] = Math.exp(z[c] - m);
    for (let c = 0; c < this.nOut; c++) this.p[c] /= s;
    return this.p;
  }

  predict(x: ArrayLike<number>): number {
    const z = this.forward(x);
    if (!this.classification) return z[0];
    let best = 0;
    for (let c = 1; c < this.nOut; c++) if (z[c] > z[best]) best = c;
    return best;
  }

  learn(x: ArrayLike<number>, y: number): void {
    const L = this.layers;
    const out = L[L.length - 1];
    const z = this.forward(x);
    if (this.classification) {
      const p = this.softmax(z);
      for (let c = 0; c < this.nOut; c++) out.g[c] = (c === y ? 1 : 0) - p[c];
    } else out.g[0] = y - z[0];
    for (let i = L.length - 1; i > 0; i--) {
      const l = L[i];
      const prev = L[i - 1];
      for (let c = 0; c < l.nIn; c++) {
        let s = 0;
        for (let r = 0; r < l.nOut; r++) s += l.w[r * l.nIn + c] * l.g[r];
        const a = prev.a[c];
        const d = prev.act === 0 ? (prev.z[c] > 0 ? 1 : 0) : prev.act === 1 ? 1 - a * a : prev.act === 2 ? a * (1 - a) : 1;
        prev.g[c] = s * d;
      }
    }
    const lr = this.decay === 0 ? this.lr : this.lr / (1 + this.decay * this.t);
    const mu = this.momentum;
    const opt = this.opt;
    if (opt !== null) {
      opt.begin(lr);
      for (let i = L.length - 1; i >= 0; i--) {
        const l = L[i];
        const input: ArrayLike<number> = i === 0 ? x : L[i - 1].a;
        for (let r = 0; r < l.nOut; r++) {
          for (let c = 0; c < l.nIn; c++) l.w[r * l.nIn + c] += opt.delta(l.vw, l.sw, r * l.nIn + c, l.g[r] * input[c]);
          l.b[r] += opt.delta(l.vb, l.sb, r, l.g[r]);
        }
      }
      this.t++;
      return;
    }
    for (let i = L.length - 1; i >= 0; i--) {
      const l = L[i];
      const input: ArrayLike<number> = i === 0 ? x : L[i - 1].a;
      for (let r = 0; r < l.nOut; r++) {
        for (let c = 0; c < l.nIn; c++) {
          const k = r * l.nIn + c;
          if (mu > 0) {
            l.vw[k] = mu * l.vw[k] + l.g[r] * input[c];
            l.w[k] += lr * l.vw[k];
          } else l.w[k] += lr * l.g[r] * input[c];
        }
        if (mu > 0) {
          l.vb[r] = mu * l.vb[r] + l.g[r];
          l.b[r] += lr * l.vb[r];
        } else l.b[r] += lr * l.g[r];
      }
    }
    this.t++;
  }
}
