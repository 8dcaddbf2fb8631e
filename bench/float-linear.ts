/**
 * Float64 twins of LinearRegression and LogisticRegression for the accuracy
 * benchmark (never shipped): same SGD, same update order, same schedule
 * lr / (1 + decay·t), same L2 on the weights only, same zero initialisation.
 * With Adam or RMSprop (`opt`, from the model's `core.opt.options()`), the
 * same decoupled L2 step first, then the optimizer's step on weights and bias.
 */
import { FOptimizer } from './float-optim.js';

export class FLinear {
  readonly w: Float64Array;
  b = 0;
  t = 0;
  /** Adam / RMSprop moments: weights m, v; the bias's in mb, vb. */
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly mb = new Float64Array(1);
  private readonly vb = new Float64Array(1);
  constructor(
    readonly n: number,
    readonly lr: number,
    readonly l2: number,
    readonly decay: number,
    readonly logistic: boolean,
    readonly opt: FOptimizer | null = null,
  ) {
    this.w = new Float64Array(n);
    this.m = new Float64Array(opt ? n : 0);
    this.v = new Float64Array(opt ? n : 0);
  }
  raw(x: ArrayLike<number>): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.w[i] * x[i];
    return s + this.b;
  }
  out(x: ArrayLike<number>): number {
    const r = this.raw(x);
    return this.logistic ? 1 / (1 + Math.exp(-r)) : r;
  }
  learnOne(x: ArrayLike<number>, y: number): void {
    const g = y - this.out(x);
    const lr = this.lr / (1 + this.decay * this.t);
    const opt = this.opt;
    if (opt !== null) {
      for (let i = 0; i < this.n; i++) this.w[i] -= lr * this.l2 * this.w[i];
      opt.begin(lr);
      for (let i = 0; i < this.n; i++) this.w[i] += opt.delta(this.m, this.v, i, g * x[i]);
      this.b += opt.delta(this.mb, this.vb, 0, g);
    } else {
      for (let i = 0; i < this.n; i++) this.w[i] += -lr * this.l2 * this.w[i] + lr * g * x[i];
      this.b += lr * g;
    }
    this.t++;
  }
  predictOne(x: ArrayLike<number>): number {
    const o = this.out(x);
    return this.logistic ? (o >= 0.5 ? 1 : 0) : o;
  }
}
