/**
 * The learner protocol every microlearn model follows (after River):
 * one sample at a time, `learnOne` then `predictOne`, fixed memory.
 *
 * Real-valued entry points take any `ArrayLike<number>` and convert it into
 * a scratch buffer the model owns; the `…Q` twins take Q16.16 `Int32Array`s
 * directly and allocate nothing. Validation always happens before any state
 * changes, so bad input leaves a model bit-for-bit as it was.
 *
 * The base classes here hold those wrappers once for every model:
 * {@link Learner} (shape, blob, `fromBytes`), {@link Supervised} (regressors
 * and classifiers), {@link TransformerBase} (scalers, window features). A
 * model class writes only its Q16.16 core (`learnQ`, `predictQ`, …), its
 * payload (`write`) and its decoder (`static fromReader`).
 */
import { checkShape, fail } from './errors.js';
import { Q_MAX, Q_MIN, fromQ, toQ } from './fixed.js';
import { ByteWriter, encode } from './format.js';
import { loadModel } from './load.js';
import type { ModelClass } from './load.js';
import * as K from './kernels.js';
import type { InputScale } from './range.js';

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

/** An unsupervised detector: higher score = more anomalous, with a self-calibrated threshold. */
export interface AnomalyDetector extends Model {
  readonly nFeatures: number;
  learnOne(x: ArrayLike<number>): void;
  scoreOne(x: ArrayLike<number>): number;
  learnOneQ(x: Int32Array): void;
  /** Q16.16 score. */
  scoreOneQ(x: Int32Array): number;
  /** True if x scores above the calibrated threshold (E_STATE before enough learned data). */
  isAnomaly(x: ArrayLike<number>): boolean;
  isAnomalyQ(x: Int32Array): boolean;
  /** 0..100: 100 for typical learned data, 50 exactly at the threshold, toward 0 beyond it. */
  similarity(x: ArrayLike<number>): number;
  /** The current threshold on `scoreOne` (real number). */
  threshold(): number;
}

/** A feature transformer (scalers, window features); learns statistics, maps x to a new vector of `nOutputs` values. */
export interface Transformer extends Model {
  readonly nFeatures: number;
  /** Width of the transformed vector (nFeatures for the scalers). */
  readonly nOutputs: number;
  learnOne(x: ArrayLike<number>): void;
  /** The returned array is reused by the next call. */
  transformOne(x: ArrayLike<number>): Float64Array;
  learnOneQ(x: Int32Array): void;
  /** Writes the transformed vector (Q16.16) into `out` (an Int32Array of nOutputs; may be `x` itself when the widths agree). */
  transformOneQ(x: Int32Array, out: Int32Array): void;
  /** @internal learnOne(x) when `learn`, then the transform of x in Q16.16 into `out`: what a Pipeline's first step does. */
  forwardOne(x: ArrayLike<number>, out: Int32Array, learn: boolean): void;
}

/**
 * Converts a real-valued feature vector into `out` (Q16.16, rounded half up).
 * Throws E_INPUT on a wrong length, a non-number, NaN or ±Infinity, and
 * E_RANGE on a value Q16.16 cannot hold (|v| ≥ 32768): nothing is clipped.
 * Learners that take raw sensor ranges read their input with their own
 * per-feature scale instead (see docs/fixed-point.md, "Raw ranges").
 */
export function readVector(x: ArrayLike<number>, n: number, out: Int32Array): Int32Array {
  checkShape(x, n);
  const bad = K.toQ.f(x, n, out);
  if (bad >= 0) rejectFeature(x, bad);
  return out;
}

// Defined beside what needs them without this module (the loader, the input scale), so that
// neither imports it back; exported here too, where every learner finds its checks.
export type { ModelClass } from './load.js';
export { checkShape };

/** Throws the error for element i of x, which the input kernel rejected: E_INPUT (not a finite number) or E_RANGE. */
export function rejectFeature(x: ArrayLike<number>, i: number): never {
  const v = x[i];
  if (typeof v !== 'number' || v !== v || v === Infinity || v === -Infinity) fail('E_INPUT', 'feature ' + i + ' is not a finite number: ' + v);
  return fail('E_RANGE', 'feature ' + i + ' = ' + v + ' is outside the Q16.16 range ±32768 of this model');
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

/** A real regression target as Q16.16 (the toQ rule); throws E_LABEL if it is not a finite number, E_RANGE beyond ±32768. */
export function readTarget(y: number): number {
  const t = typeof y === 'number' ? y * 65536 + 2147483648.5 : NaN;
  if (!(t >= 0 && t < 4294967296)) {
    if (typeof y !== 'number' || y !== y || y === Infinity || y === -Infinity) fail('E_LABEL', 'target must be a finite number, got ' + y);
    fail('E_RANGE', 'target ' + y + ' is outside the Q16.16 range ±32768');
  }
  return (t | 0) ^ (1 << 31);
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
/** Largest nClasses of any classifier. */
export const MAX_CLASSES = 1024;

/** T with its readonly fields writable: `(this as Writable<LinearCore>).t++` in hot paths (a cast costs nothing at run time). @internal */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Assigns a field that is `readonly` to users (counters, internal state) from
 * inside the model; a type-level escape hatch. It is a function call, so hot
 * paths use a {@link Writable} cast instead.
 * @internal
 */
export function mutable<T>(o: T): { -readonly [K in keyof T]: T[K] } {
  return o as { -readonly [K in keyof T]: T[K] };
}

// ---- base classes --------------------------------------------------------

/**
 * The base of every model: input width, the scratch vector of the
 * real-valued entry points, and the blob (`toBytes` / `fromBytes`).
 * Subclasses set `stateBytes` and implement `write` (their payload) and a
 * `static fromReader` that decodes it.
 */
export abstract class Learner<X extends ArrayLike<number> = Int32Array> implements Model {
  /** Input width. */
  readonly nFeatures: number;
  /** Exact number of bytes of learned state (typed-array payloads), for RAM budgeting. */
  abstract readonly stateBytes: number;
  /** Scratch of the real-valued entry points, allocated on first use (so `load` allocates only state). */
  private xq: Int32Array | null;
  /**
   * @internal The input exponents of a model that learns raw sensor ranges
   * (src/range.ts); null for plain Q16.16 input. With a scale, predictions
   * receive x in internal units as exact integers (X: a ScaledVector).
   */
  protected scale: InputScale | null;

  constructor(nFeatures: number) {
    this.nFeatures = nFeatures;
    this.xq = null;
    this.scale = null;
  }

  /** @internal The nFeatures scratch vector (allocated once, on first use). */
  protected scratch(): Int32Array {
    return this.xq === null ? (this.xq = new Int32Array(this.nFeatures)) : this.xq;
  }

  /** @internal x (real numbers) as the model predicts from it: Q16.16, or internal units with an input scale. */
  protected readX(x: ArrayLike<number>): X {
    const s = this.scale;
    return (s === null ? readVector(x, this.nFeatures, this.scratch()) : s.read(x, false)) as unknown as X;
  }

  /** @internal x (real numbers) as the model learns it; an input scale may grow (after x is validated). */
  protected learnX(x: ArrayLike<number>): Int32Array {
    const s = this.scale;
    return s === null ? readVector(x, this.nFeatures, this.scratch()) : s.learn(x, false, this);
  }

  /** @internal Q16.16 x (checked) as the model predicts from it. */
  protected readXQ(x: Int32Array): X {
    this.checkX(x);
    const s = this.scale;
    return (s === null ? x : s.read(x, true)) as unknown as X;
  }

  /** @internal Q16.16 x (checked) as the model learns it. */
  protected learnXQ(x: Int32Array): Int32Array {
    this.checkX(x);
    const s = this.scale;
    return s === null ? x : s.learn(x, true, this);
  }

  /**
   * @internal Called when the input exponent of feature i (0 for a shared
   * one) grows by d: the model divides that feature's state by 2^d
   * (variances by 4^d). Only models with an input scale implement it.
   */
  rescale(i: number, d: number): void {}

  /** @internal Throws E_INPUT unless x is an Int32Array of nFeatures. */
  protected checkX(x: Int32Array): void {
    checkVectorQ(x, this.nFeatures);
  }

  /** @internal Writes the payload (hyper-parameters, then learned state); `fromReader` reads it back. */
  abstract write(w: ByteWriter): void;

  /** The model as a self-describing, checksummed blob (docs/format.md). */
  toBytes(): Uint8Array {
    const m = this;
    return encode((m.constructor as unknown as ModelClass).modelType, function (w) {
      m.write(w);
    });
  }

  /**
   * Reads a blob written by this class's `toBytes()`: `LogisticRegression.fromBytes(bytes)`.
   * Throws E_TYPE for another model type; `classes` lists the classes nested
   * models may have (the steps of a Pipeline).
   */
  static fromBytes<T>(this: ModelClass<T>, bytes: Uint8Array, classes?: ReadonlyArray<ModelClass>): T {
    return loadModel(bytes, classes === undefined ? [this as ModelClass] : [this as ModelClass].concat(classes), this);
  }
}

/**
 * The base of every supervised learner. `nClasses` 0 means a regressor
 * (targets and predictions are real numbers, Q16.16 inside); otherwise labels
 * are integers 0..nClasses-1.
 */
export abstract class Supervised<X extends ArrayLike<number> = Int32Array> extends Learner<X> {
  /** Number of classes, or 0 for a regressor. */
  readonly nClasses: number;
  /** predictProbaOne's result, allocated on first use. */
  private proba: Float64Array | null;

  constructor(nFeatures: number, nClasses: number) {
    super(nFeatures);
    this.nClasses = nClasses;
    this.proba = null;
  }

  /** @internal Learns one validated sample: x in Q16.16, y a label or a Q16.16 target. */
  protected abstract learnQ(x: Int32Array, y: number): void;
  /** @internal The prediction for validated x: a label, or a Q16.16 value. */
  protected abstract predictQ(x: X): number;
  /** @internal Q16.16 class probabilities for validated x (classifiers override it). */
  protected probaQ(x: X): Int32Array {
    return fail('E_STATE', 'predictProbaOne needs a classifier');
  }

  /** y as the model learns it: a checked label, or a Q16.16 target. */
  private target(y: number): number {
    if (this.nClasses === 0) return readTarget(y);
    checkLabel(y, this.nClasses);
    return y;
  }

  /** Throws E_LABEL (or E_RANGE) unless y is a valid label or target (Pipeline checks before anything learns). */
  checkTarget(y: number): void {
    this.target(y);
  }

  /** Learns one sample: x real-valued features, y a label or a real target. */
  learnOne(x: ArrayLike<number>, y: number): void {
    const t = this.target(y);
    this.learnQ(this.learnX(x), t);
  }

  /** A regressor's prediction, or a classifier's most likely class. */
  predictOne(x: ArrayLike<number>): number {
    const v = this.predictQ(this.readX(x));
    return this.nClasses === 0 ? fromQ(v) : v;
  }

  /** Class probabilities (classifiers only); the returned array is reused by the next call. */
  predictProbaOne(x: ArrayLike<number>): Float64Array {
    const q = this.probaQ(this.readX(x));
    const p = this.proba === null ? (this.proba = new Float64Array(this.nClasses)) : this.proba;
    for (let c = 0; c < this.nClasses; c++) p[c] = fromQ(q[c]);
    return p;
  }

  /** Zero-allocation learnOne: x in Q16.16, y a label or a Q16.16 target. */
  learnOneQ(x: Int32Array, y: number): void {
    if (this.nClasses === 0) checkTargetQ(y);
    else checkLabel(y, this.nClasses);
    this.learnQ(this.learnXQ(x), y);
  }

  /** Zero-allocation predictOne: a label, or a Q16.16 value. */
  predictOneQ(x: Int32Array): number {
    return this.predictQ(this.readXQ(x));
  }

  /** Q16.16 probabilities (classifiers only); the returned array is reused by the next call. */
  predictProbaOneQ(x: Int32Array): Int32Array {
    return this.probaQ(this.readXQ(x));
  }
}

/**
 * The base of the transformers: learn statistics of x, map x to `nOutputs`
 * values. Subclasses implement `learnQ` and `transformQ` on validated input.
 */
export abstract class TransformerBase<X extends ArrayLike<number> = Int32Array> extends Learner<X> {
  /** Width of the transformed vector. */
  readonly nOutputs: number;
  /** transformOne's scratch and result, allocated on first use. */
  private outQ: Int32Array | null;
  private out: Float64Array | null;

  constructor(nFeatures: number, nOutputs: number) {
    super(nFeatures);
    this.nOutputs = nOutputs;
    this.outQ = null;
    this.out = null;
  }

  /** @internal */ protected abstract learnQ(x: Int32Array): void;
  /** @internal Writes the transform of validated x into out (which may be x). */
  protected abstract transformQ(x: X, out: Int32Array): void;

  /** Learns the statistics of one sample. */
  learnOne(x: ArrayLike<number>): void {
    this.learnQ(this.learnX(x));
  }

  /** The transformed vector as real numbers (the returned array is reused). */
  transformOne(x: ArrayLike<number>): Float64Array {
    const q = this.scratchOut();
    this.transformQ(this.readX(x), q);
    return this.realOut(q);
  }

  /**
   * @internal learnOne(x) when `learn`, then the transform of x (Q16.16) into
   * out, with the bits of learnOne + transformOne + readVector. It reads x
   * once and skips the real-valued copy (a scaled Pipeline's learnOne on the
   * Linux Espruino: 3.8 → 2.3 ms). After learnX every value is inside the
   * scale, where readX gives the same units.
   */
  forwardOne(x: ArrayLike<number>, out: Int32Array, learn: boolean): void {
    if (!learn) {
      this.transformQ(this.readX(x), out);
      return;
    }
    const v = this.learnX(x);
    this.learnQ(v);
    this.transformQ(v as unknown as X, out);
  }

  /** @internal The nOutputs Q16.16 scratch of transformOne (allocated once, on first use). */
  protected scratchOut(): Int32Array {
    return this.outQ === null ? (this.outQ = new Int32Array(this.nOutputs)) : this.outQ;
  }

  /** @internal q (nOutputs Q16.16 values) as real numbers, in the array transformOne returns. */
  protected realOut(q: Int32Array): Float64Array {
    const out = this.out === null ? (this.out = new Float64Array(this.nOutputs)) : this.out;
    for (let i = 0; i < this.nOutputs; i++) out[i] = fromQ(q[i]);
    return out;
  }

  learnOneQ(x: Int32Array): void {
    this.learnQ(this.learnXQ(x));
  }

  /** Writes the transformed vector (Q16.16) into `out`: an Int32Array of nOutputs (may be x when the widths agree). */
  transformOneQ(x: Int32Array, out: Int32Array): void {
    const v = this.readXQ(x);
    checkVectorQ(out, this.nOutputs);
    this.transformQ(v, out);
  }
}
