/**
 * The SGD step and prediction of the linear models over plain state, shared
 * by algorithms/linear.ts (LinearCore) and the Espruino device API
 * (targets/espruino/lite.ts), so both give the same bits by running the same
 * code.
 */
import { floorDiv, sat } from './fixed.js';
import * as K from './kernels.js';
import { checkShape, rejectFeature } from './learner.js';

/** What the step reads and writes: n weights w[0..n-1] and the bias w[n] (Q16.16, with extra fraction bits f), options in Q16.16, t updates done. */
export interface LinearState {
  readonly n: number;
  readonly lr: number;
  readonly l2: number;
  readonly decay: number;
  t: number;
  readonly w: Int32Array;
  readonly f: Uint16Array;
}

/** The learning rate at step c.t, Q16.16: round(lr / (1 + decay·t)). */
export function sgdRate(c: LinearState): number {
  if (c.decay === 0) return c.lr;
  const den = 65536 + c.decay * c.t; // Q16.16 units, exact below 2^53
  return floorDiv(c.lr * 131072 + den, 2 * den);
}

/**
 * One fused SGD step (kernel sgdLinear) on x toward y (a Q16.16 target, or
 * 0 / 65536 for a logistic label; link 1 logistic, 0 identity). x is real
 * numbers converted into the scratch xq, or, with xq null, validated Q16.16.
 * Throws E_INPUT / E_RANGE before any change.
 */
export function sgdStep(c: LinearState, x: ArrayLike<number>, xq: Int32Array | null, y: number, link: number): void {
  if (xq !== null) checkShape(x, c.n);
  const bad = K.sgdLinear.f(c.w, c.f, x, xq, c.n, y, c.decay === 0 ? c.lr : sgdRate(c), c.l2, link);
  if (bad >= 0) rejectFeature(x, bad);
  if (c.t < 4294967295) c.t++;
}

/** w·q + b in Q16.16 (q validated Q16.16). */
export function linearRaw(c: LinearState, q: Int32Array): number {
  return sat(K.dot.f(c.w, 0, q, 0, c.n) + c.w[c.n]);
}
