/**
 * The float64 form of algorithms/optim.ts for the twins of the SGD-trained
 * models (FLinear, FSoftmax, FloatMLP): Adam with bias correction and
 * RMSprop, with the β and ε the fixed-point model holds (its
 * `opt.options()`, already quantised). Plain SGD has no object here: each
 * twin keeps its own SGD update. Not library code.
 *
 * Only a type comes from the library's sources, so a twin built into the
 * playground's page does not pull in a second copy of the library.
 */
import type { OptimizerOptions } from '../algorithms/optim.js';

export class FOptimizer {
  readonly adam: boolean;
  /** 0 for RMSprop: its m is the gradient itself. */
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** Steps begun (Adam's bias correction uses it). */
  t = 0;
  private lrT = 0;
  private epsT = 0;

  constructor(o: OptimizerOptions) {
    this.adam = o.optimizer === 'adam';
    this.beta1 = this.adam ? (o.beta1 as number) : 0;
    this.beta2 = o.beta2 as number;
    this.eps = o.epsilon as number;
  }

  /** The twin's optimizer for a model's `opt.options()`, or null for plain SGD. */
  static of(o: OptimizerOptions): FOptimizer | null {
    return o.optimizer === 'adam' || o.optimizer === 'rmsprop' ? new FOptimizer(o) : null;
  }

  /**
   * Starts one learning step at rate lr. Adam's θ += lr·m̂/(√v̂ + ε) is taken
   * in the form the fixed-point model uses: lr·√(1 − β2^t)/(1 − β1^t) ·
   * m/(√v + ε·√(1 − β2^t)); RMSprop: m = g, no correction.
   */
  begin(lr: number): void {
    const t = ++this.t;
    const c2 = this.adam ? Math.sqrt(1 - Math.pow(this.beta2, t)) : 1;
    this.lrT = this.adam ? (lr * c2) / (1 - Math.pow(this.beta1, t)) : lr;
    this.epsT = this.eps * c2;
  }

  /** Updates the moments m[k], v[k] with the negative gradient g and returns the step to add to the parameter. */
  delta(m: Float64Array, v: Float64Array, k: number, g: number): number {
    m[k] = this.beta1 * m[k] + (1 - this.beta1) * g;
    v[k] = this.beta2 * v[k] + (1 - this.beta2) * g * g;
    return (this.lrT * m[k]) / (Math.sqrt(v[k]) + this.epsT);
  }
}
