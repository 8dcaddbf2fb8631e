/**
 * Error codes thrown by microlearn. Every failure the library detects is a
 * {@link MicrolearnError} carrying one of these codes.
 */
export type ErrorCode =
  | 'E_INPUT' // a feature vector of the wrong length, or with NaN / ±Infinity
  | 'E_LABEL' // a label that is not an integer 0..nClasses-1, or not finite
  | 'E_OPTION' // a constructor option that is missing or out of range
  | 'E_CORRUPT' // saved bytes that fail a structural check or the CRC
  | 'E_VERSION' // saved bytes from a format version this build cannot read
  | 'E_TYPE' // saved bytes of a model type this build does not know
  | 'E_SHAPE' // saved bytes whose shape does not match what was asked for
  | 'E_STATE' // an operation the model cannot do in its current state
  | 'E_RANGE' // a value beyond what the model can represent (never clipped silently)
  | 'E_STORAGE'; // a storage back-end that failed

/**
 * The one error type microlearn throws. `code` is stable and machine-readable;
 * `message` is for people.
 *
 * Written as an ES5-style constructor rather than `class extends Error`, so
 * that `instanceof` works on every engine we target (Espruino included)
 * whatever the compile target.
 *
 * Properties that `Error.prototype` also has (`constructor`, `name`,
 * `message`, `stack`) are defined, never assigned: XS freezes the built-ins of
 * an app that preloads modules (every Moddable device build does), and
 * assigning a property that a frozen prototype holds throws a TypeError
 * ("not writable") instead of creating it. `Object.create`'s second argument
 * would do the same but Espruino does not implement it.
 */
export interface MicrolearnError extends Error {
  readonly code: ErrorCode;
}

interface MicrolearnErrorConstructor {
  new (code: ErrorCode, message: string): MicrolearnError;
  prototype: MicrolearnError;
}

/** Adds or replaces `key` on `o` as a plain writable property, as assignment would where it can. */
function put(o: object, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value: value, writable: true, configurable: true, enumerable: false });
}

export const MicrolearnError = function (this: { code: ErrorCode }, code: ErrorCode, message: string) {
  const text = code + ': ' + message;
  this.code = code;
  put(this, 'message', text);
  const e = new Error(text);
  if (e.stack !== undefined) put(this, 'stack', e.stack);
} as unknown as MicrolearnErrorConstructor;
MicrolearnError.prototype = Object.create(Error.prototype);
put(MicrolearnError.prototype, 'constructor', MicrolearnError);
put(MicrolearnError.prototype, 'name', 'MicrolearnError');

/** Throws a {@link MicrolearnError}; a function so call sites stay one line. */
export function fail(code: ErrorCode, message: string): never {
  throw new MicrolearnError(code, message);
}

/** Throws E_INPUT unless x is an array-like of n elements (the first check of every input). */
export function checkShape(x: ArrayLike<number>, n: number): void {
  if (x === null || x === undefined || typeof x !== 'object' || x.length !== n)
    fail('E_INPUT', 'expected ' + n + ' features, got ' + (x !== null && x !== undefined && typeof x === 'object' ? x.length : typeof x));
}
