/**
 * The learner protocol every microlearn model follows (after River):
 * one sample at a time, `learnOne` then `predictOne`, fixed memory.
 *
 * Real-valued entry points take any `ArrayLike<number>` and convert it into
 * a scratch buffer the model owns; the `…Q` twins take Q16.16 `Int32Array`s
 * directly and allocate nothing. Validation always happens before any state
 * changes, so bad input leaves a model bit-for-bit as it was.
 */
import { fail } from './errors.js';
import { Q_MAX, Q_MIN, toQ } from './fixed.js';

/** What every model has. */
export interface Model {
  /** Exact number of bytes of learned state (typed-array payloads), for RAM budgeting. */
  readonly stateBytes: number;
  /** The model as a self-describing, checksummed blob; `load` turns it back into a model. */
  toBytes(): Uint8Array;
}

/** A supervised learner predicting a real number. */
export interface Regressor extends Model {
  readonly nFeatures: number;
  learnOne(x: ArrayLike<number>, y: number): void;
  predictOne(x: ArrayLike<number>): number;
  /** Zero-allocation path: x and y in Q16.16. */
  learnOneQ(x: Int32Array, y: number): void;
  /** Zero-allocation path: returns Q16.16. */
  predictOneQ(x: Int32Array): number;
  /** Throws E_LABEL unless y is a valid target (used by Pipeline before anything learns). */
  checkTarget(y: number): void;
}

/** A supervised learner predicting a class label 0..nClasses-1. */
export interface Classifier extends Model {
  readonly nFeatures: number;
  readonly nClasses: number;
  learnOne(x: ArrayLike<number>, y: number): void;
  predictOne(x: ArrayLike<number>): number;
  /** Class probabilities; the returned array is reused by the next call. */
  predictProbaOne(x: ArrayLike<number>): Float64Array;
  learnOneQ(x: Int32Array, y: number): void;
  predictOneQ(x: Int32Array): number;
  /** Q16.16 probabilities; the returned array is reused by the next call. */
  predictProbaOneQ(x: Int32Array): Int32Array;
  checkTarget(y: number): void;
}

/** An unsupervised detector: higher score = more anomalous. */
export interface AnomalyDetector extends Model {
  readonly nFeatures: number;
  learnOne(x: ArrayLike<number>): void;
  scoreOne(x: ArrayLike<number>): number;
  learnOneQ(x: Int32Array): void;
  /** Q16.16 score. */
  scoreOneQ(x: Int32Array): number;
}

/** A feature transformer (scalers); learns statistics, maps x to a new vector of the same width. */
export interface Transformer extends Model {
  readonly nFeatures: number;
  learnOne(x: ArrayLike<number>): void;
  /** The returned array is reused by the next call. */
  transformOne(x: ArrayLike<number>): Float64Array;
  learnOneQ(x: Int32Array): void;
  /** Writes the transformed vector (Q16.16) into `out` (may be `x` itself). */
  transformOneQ(x: Int32Array, out: Int32Array): void;
}

/** Any supervised learner. */
export type Supervised = Regressor | Classifier;

/**
 * Converts a real-valued feature vector into `out` (Q16.16, saturating).
 * Throws E_INPUT on a wrong length, a non-number, NaN or ±Infinity.
 */
export function readVector(x: ArrayLike<number>, n: number, out: Int32Array): Int32Array {
  if (x === null || x === undefined || typeof x !== 'object' || x.length !== n)
    fail('E_INPUT', 'expected ' + n + ' features, got ' + (x !== null && x !== undefined && typeof x === 'object' ? x.length : typeof x));
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (typeof v !== 'number' || v !== v || v === Infinity || v === -Infinity) fail('E_INPUT', 'feature ' + i + ' is not a finite number: ' + v);
    // same rounding as toQ (exact round half up; see docs/fixed-point.md)
    const y = v * 65536;
    let q = Math.floor(y);
    if (y - q >= 0.5) q += 1;
    out[i] = q > Q_MAX ? Q_MAX : q < Q_MIN ? Q_MIN : q;
  }
  return out;
}

/** Throws E_INPUT unless x is an Int32Array of length n. */
export function checkVectorQ(x: Int32Array, n: number): void {
  if (!(x instanceof Int32Array) || x.length !== n)
    fail('E_INPUT', 'expected an Int32Array of ' + n + ' Q16.16 features');
}

/** Throws E_LABEL unless y is an integer in 0..nClasses-1. */
export function checkLabel(y: number, nClasses: number): void {
  if (typeof y !== 'number' || !(y >= 0 && y < nClasses) || Math.floor(y) !== y)
    fail('E_LABEL', 'label must be an integer 0..' + (nClasses - 1) + ', got ' + y);
}

/** A real regression target as Q16.16; throws E_LABEL if it is not a finite number. */
export function readTarget(y: number): number {
  if (typeof y !== 'number' || y !== y || y === Infinity || y === -Infinity) fail('E_LABEL', 'target must be a finite number, got ' + y);
  return toQ(y);
}

/** Throws E_LABEL unless y is an int32 (a Q16.16 target). */
export function checkTargetQ(y: number): void {
  if (typeof y !== 'number' || (y | 0) !== y) fail('E_LABEL', 'a Q16.16 target must be an int32, got ' + y);
}

// ---- constructor options ---------------------------------------------------

/** Reads an integer option in lo..hi; `def` undefined means required. */
export function optInt(opts: { [k: string]: unknown }, name: string, def: number | undefined, lo: number, hi: number): number {
  const v = opts[name] === undefined ? def : opts[name];
  if (v === undefined) fail('E_OPTION', 'option ' + name + ' is required');
  if (typeof v !== 'number' || Math.floor(v) !== v || v < lo || v > hi)
    fail('E_OPTION', 'option ' + name + ' must be an integer in ' + lo + '..' + hi + ', got ' + v);
  return v;
}

/** Reads a real option in lo..hi and returns it as Q16.16. */
export function optReal(opts: { [k: string]: unknown }, name: string, def: number, lo: number, hi: number): number {
  const v = opts[name] === undefined ? def : opts[name];
  if (typeof v !== 'number' || !(v >= lo && v <= hi)) fail('E_OPTION', 'option ' + name + ' must be a number in ' + lo + '..' + hi + ', got ' + v);
  return toQ(v);
}

/** Reads a string option among `choices`; returns its index. */
export function optChoice(opts: { [k: string]: unknown }, name: string, def: string, choices: string[]): number {
  const v = opts[name] === undefined ? def : opts[name];
  for (let i = 0; i < choices.length; i++) if (choices[i] === v) return i;
  return fail('E_OPTION', 'option ' + name + ' must be one of ' + choices.join(', ') + ', got ' + v);
}

/** Throws E_OPTION if `opts` is not a plain options object. */
export function checkOptions(opts: unknown): { [k: string]: unknown } {
  if (opts === null || typeof opts !== 'object') fail('E_OPTION', 'expected an options object');
  return opts as { [k: string]: unknown };
}

/** Largest nFeatures any model accepts (keeps every exact sum below 2^53). */
export const MAX_FEATURES = 65535;
