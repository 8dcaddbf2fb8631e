/**
 * microlearn's device API for small Espruino boards (a Puck.js has 2,630
 * blocks): a few functions over plain state instead of classes, for the most
 * common device script, a linear or logistic regression learned by SGD,
 * optionally behind a standard scaler, saved power-safely in Storage.
 *
 * It is the class API's arithmetic, not a copy of it: the same kernels
 * (src/kernels.ts, so an Espruino firmware with the native module runs them
 * in C), the same SGD step (src/sgd.ts), scaler input and z-scores
 * (src/range.ts, src/moments.ts), blob envelope (src/format.ts) and store
 * records (src/storage.ts). A model learned here has, byte for byte, the
 * `toBytes()` of `LinearRegression`, `LogisticRegression` or
 * `Pipeline([StandardScaler, …])` trained on the same samples with the same
 * options, and `save` uses ModelStore's two slots: a device can switch
 * between the two APIs without losing its model. docs/espruino.md, "The
 * device API".
 *
 * @example
 * var ml = require("microlearn"); // dist/espruino/microlearn-lite.min.js (microlearn build --target espruino --lite)
 * var m = ml.load(require("Storage"), "tilt") || ml.create({ nFeatures: 3, logistic: true, scaler: true, learningRate: 0.05 });
 * ml.learn(m, [E.getTemperature(), analogRead(A0), 1], BTN.read() ? 1 : 0);
 * ml.predict(m, [E.getTemperature(), analogRead(A0), 1]);   // 0 or 1
 * ml.save(require("Storage"), "tilt", m);
 */
import { MicrolearnError, fail } from '../../src/errors.js';
import { crc32 } from '../../src/crc32.js';
import { fromQ, sigmoid } from '../../src/fixed.js';
import { blobEnd, putU32, u32At, writeHeader } from '../../src/format.js';
import * as K from '../../src/kernels.js';
import { MAX_FEATURES, checkLabel, checkOptions, optInt, optReal, readTarget, readVector } from '../../src/learner.js';
import { checkMoment, shiftMoment, zScores } from '../../src/moments.js';
import { HEADROOM, learnScaled, readScaled } from '../../src/range.js';
import { LinearState, linearRaw, sgdStep } from '../../src/sgd.js';
import { checkName, checkRecord, makeRecord, newer, recordData, storageError, undecodable } from '../../src/storage.js';
import type { EspruinoStorageModule } from './storage.js';

export { MicrolearnError } from '../../src/errors.js';
export { backend } from '../../src/kernels.js';

/** A standard scaler's state (StandardScaler's fields, as plain arrays). */
export interface Scaler {
  /** Samples seen. */
  count: number;
  /** Input exponent of each feature (docs/fixed-point.md, "Raw ranges"). */
  readonly exps: Uint8Array;
  readonly mean: Int32Array;
  readonly meanF: Uint16Array;
  readonly varI: Int32Array;
  readonly varF: Uint32Array;
  readonly varR: Int32Array;
  /** @internal scratch: the sample in internal units */ readonly xi: Int32Array;
  /** @internal scratch of inputs far beyond the learned range */ xw: Float64Array | null;
  /** @internal called when exponent i grows by d */ rescale(i: number, d: number): void;
}

/** A model of the device API: plain state, used through the functions of this module. */
export interface Model extends LinearState {
  /** ModelType of the final model: 1 LinearRegression, 2 LogisticRegression. */
  readonly type: number;
  /** The standard scaler in front, or null. */
  readonly scaler: Scaler | null;
  /** @internal scratch: the model's Q16.16 input */ readonly q: Int32Array;
}

/** Options of {@link create}. */
export interface Options {
  /** Input width. */
  nFeatures: number;
  /** true: LogisticRegression (labels 0 and 1); false (default): LinearRegression. */
  logistic?: boolean;
  /** true: a StandardScaler in front, as `Pipeline([StandardScaler, …])` (default false). */
  scaler?: boolean;
  /** Learning rate (default 0.01), as the classes' `learningRate`. */
  learningRate?: number;
  /** L2 penalty on the weights (default 0). */
  l2?: number;
  /** Schedule: the rate at step t is learningRate / (1 + decay·t) (default 0). */
  decay?: number;
}

// Model type ids (ModelType in src/format.ts), as literals: the ModelType object would cost a block per key on the board.
const LINEAR = 1;
const LOGISTIC = 2;
const SCALER = 3;
const PIPELINE = 5;

/** StandardScaler's input exponents grow up to 48 − its headroom (src/range.ts). */
const MAX_EXP = 48 - HEADROOM;

/** The scaler's rescale callback (learnScaled calls it on the scaler). */
function rescale(this: Scaler, i: number, d: number): void {
  shiftMoment(this, i, d);
}

/** A fresh model of `type` (options in Q16.16, as stored). */
function build(type: number, n: number, lr: number, l2: number, decay: number, scaled: boolean): Model {
  return {
    type: type, n: n, lr: lr, l2: l2, decay: decay, t: 0, w: new Int32Array(n + 1), f: new Uint16Array(n + 1), q: new Int32Array(n),
    scaler: !scaled ? null : {
      count: 0, exps: new Uint8Array(n), mean: new Int32Array(n), meanF: new Uint16Array(n), varI: new Int32Array(n), varF: new Uint32Array(n), varR: new Int32Array(n),
      xi: new Int32Array(n), xw: null, rescale: rescale,
    },
  };
}

/**
 * A new model: `LinearRegression` or `LogisticRegression` with the classes'
 * SGD defaults, optionally behind a `StandardScaler`. Throws E_OPTION as
 * their constructors do.
 */
export function create(opts: Options): Model {
  const o = checkOptions(opts);
  return build(
    o.logistic === true ? LOGISTIC : LINEAR,
    optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES), optReal(o, 'learningRate', 0.01, 0, 1000), optReal(o, 'l2', 0, 0, 1000), optReal(o, 'decay', 0, 0, 1000), o.scaler === true,
  );
}

/**
 * Learns one sample: x the features (real numbers, raw sensor ranges with a
 * scaler), y the label (0 or 1) or the target. Bad input throws
 * MicrolearnError (E_INPUT, E_RANGE, E_LABEL) and changes nothing.
 */
export function learn(m: Model, x: ArrayLike<number>, y: number): void {
  let t: number;
  if (m.type === LOGISTIC) {
    if (y !== 0 && y !== 1) checkLabel(y, 2);
    t = y === 1 ? 65536 : 0;
  } else t = readTarget(y);
  const s = m.scaler;
  if (s === null) return sgdStep(m, x, m.q, t, m.type - 1);
  // Pipeline.learnOne: the scaler learns x, then the model learns its z-scores (x is validated before anything changes)
  const xi = learnScaled(s.exps, m.n, HEADROOM, x, false, s.xi, s);
  if (s.count < 4294967295) s.count++;
  K.welford.f(s.mean, s.meanF, s.varI, s.varF, s.varR, 0, xi, 0, m.n, s.count);
  zScores(s, xi, m.q, m.n);
  sgdStep(m, m.q, null, t, m.type - 1);
}

/** w·x + b (Q16.16) for x, through the scaler if there is one. */
function output(m: Model, x: ArrayLike<number>): number {
  const s = m.scaler;
  if (s === null) return linearRaw(m, readVector(x, m.n, m.q));
  const v = readScaled(s.exps, m.n, 2147483648, x, false, s.xi, s.xw);
  if (v !== s.xi) s.xw = v as Float64Array;
  zScores(s, v, m.q, m.n);
  return linearRaw(m, m.q);
}

/** The prediction for x: the target (LinearRegression) or the most likely label, 0 or 1 (LogisticRegression), as `predictOne`. */
export function predict(m: Model, x: ArrayLike<number>): number {
  const z = output(m, x);
  return m.type === LOGISTIC ? (sigmoid(z) >= 32768 ? 1 : 0) : fromQ(z);
}

/** The probability of label 1 for x (LogisticRegression), as `predictProbaOne(x)[1]`; E_STATE for a regression. */
export function proba(m: Model, x: ArrayLike<number>): number {
  if (m.type !== LOGISTIC) fail('E_STATE', 'proba needs a logistic model');
  return fromQ(sigmoid(output(m, x)));
}

const STEPS = new Uint8Array([2]);

/** A blob of `type` whose payload is `parts`: numbers as u32, typed arrays element by element, little-endian. */
function blob(type: number, parts: (number | Uint8Array | Uint16Array | Int32Array | Uint32Array)[]): Uint8Array {
  let len = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    len += typeof p === 'number' ? 4 : p.length * (p instanceof Uint8Array ? 1 : p instanceof Uint16Array ? 2 : 4);
  }
  const b = new Uint8Array(len + 16);
  writeHeader(b, type, len);
  let at = 12;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === 'number') {
      putU32(b, at, p);
      at += 4;
      continue;
    }
    const k = p instanceof Uint8Array ? 1 : p instanceof Uint16Array ? 2 : 4;
    for (let e = 0; e < p.length; e++) for (let j = 0; j < k; j++) b[at++] = (p[e] >> (8 * j)) & 255;
  }
  putU32(b, at, crc32(b, 0, at));
  return b;
}

/** The model as the class API's `toBytes()` writes it (docs/format.md); `load()` on a host reads it. */
export function toBytes(m: Model): Uint8Array {
  const lin = blob(m.type, [m.n, m.lr, m.l2, m.decay, m.t, m.w, m.f]);
  const s = m.scaler;
  if (s === null) return lin;
  const sc = blob(SCALER, [m.n, s.count, s.exps, s.mean, s.meanF, s.varI, s.varF, s.varR]);
  return blob(PIPELINE, [STEPS, sc.length, sc, lin.length, lin]);
}

/** A payload being read: bytes b, position p, end. */
interface Reader {
  b: Uint8Array;
  p: number;
  end: number;
}

/** Fills `a` from the reader (element by element, little-endian); E_CORRUPT past the end. */
function take<T extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(r: Reader, a: T): T {
  const k = a instanceof Uint8Array ? 1 : a instanceof Uint16Array ? 2 : 4;
  if (r.p + a.length * k > r.end) fail('E_CORRUPT', 'truncated model data');
  for (let e = 0; e < a.length; e++) {
    let v = 0;
    for (let j = 0; j < k; j++) v |= r.b[r.p++] << (8 * j);
    a[e] = v;
  }
  return a;
}

/** Opens the blob b[start .. limit) into r (E_CORRUPT, E_VERSION) and returns its model type. */
function open(b: Uint8Array, start: number, limit: number, r: Reader): number {
  r.b = b;
  r.end = blobEnd(b, start, limit);
  r.p = start + 12;
  return b[start + 5];
}

/** An int32 in lo..hi (E_CORRUPT otherwise). */
function int(r: Reader, lo: number, hi: number): number {
  const v = take(r, new Int32Array(1))[0];
  if (v < lo || v > hi) fail('E_CORRUPT', 'value ' + v + ' out of range ' + lo + '..' + hi);
  return v;
}

/** A linear model's payload (LinearCore.write): n, lr, l2, decay, t, w, f; SGD only (E_TYPE for Adam / RMSprop). */
function readLinear(r: Reader, type: number, scaled: boolean): Model {
  const n = int(r, 1, MAX_FEATURES);
  // options as the constructor accepts them (0..1000 in Q16.16)
  const lr = int(r, 0, 65536000);
  const l2 = int(r, 0, 65536000);
  const decay = int(r, 0, 65536000);
  // the sizes before anything is allocated
  const rest = r.end - r.p - 4 - (n + 1) * 6;
  if (rest < 0) fail('E_CORRUPT', 'truncated model data');
  if (rest > 0) fail('E_TYPE', 'the device API learns by SGD: this model has an Adam or RMSprop section');
  const m = build(type, n, lr, l2, decay, scaled);
  m.t = take(r, new Uint32Array(1))[0];
  take(r, m.w);
  take(r, m.f);
  return m;
}

/**
 * Reads a blob written by {@link toBytes} or by the class API's `toBytes()`
 * (LinearRegression, LogisticRegression, Pipeline([StandardScaler, one of
 * them]) with SGD). Checks it as `load()` does: E_CORRUPT (CRC, sizes,
 * values learning cannot produce), E_VERSION; other models are E_TYPE.
 * Allocates only once the sizes match the blob.
 */
export function fromBytes(b: Uint8Array): Model {
  const r: Reader = { b: b, p: 0, end: 0 };
  const type = open(b, 0, b instanceof Uint8Array ? b.length : 0, r);
  if (type === LINEAR || type === LOGISTIC) return readLinear(r, type, false);
  if (type !== PIPELINE) return fail('E_TYPE', 'the device API loads LinearRegression, LogisticRegression and Pipeline([StandardScaler, one of them]), not model type ' + type);
  // Pipeline.write: u8 steps, then per step u32 length and its blob
  const steps = take(r, new Uint8Array(1))[0];
  if (steps !== 2) return steps < 1 ? fail('E_CORRUPT', 'empty pipeline') : fail('E_TYPE', 'the device API loads LinearRegression, LogisticRegression and Pipeline([StandardScaler, one of them]), not model type ' + type);
  const a = u32At(b, r.p) + r.p + 4; // end of the scaler's blob
  if (a + 4 > r.end) fail('E_CORRUPT', 'truncated model data');
  const c = u32At(b, a) + a + 4;
  if (c !== r.end) fail('E_CORRUPT', c < r.end ? 'unexpected trailing bytes in model data' : 'truncated model data');
  const rs: Reader = { b: b, p: 0, end: 0 };
  if (open(b, r.p + 4, a, rs) !== SCALER) fail('E_TYPE', 'the device API loads a Pipeline of StandardScaler and a linear model only');
  const n = int(rs, 1, MAX_FEATURES);
  if (rs.end - rs.p !== 4 + n * 19) fail('E_CORRUPT', 'scaler data of ' + (rs.end - rs.p) + ' bytes for ' + n + ' features');
  const t = open(b, a + 4, c, r);
  if (t !== LINEAR && t !== LOGISTIC) fail('E_TYPE', 'the device API loads a Pipeline of StandardScaler and a linear model only');
  const m = readLinear(r, t, true);
  if (m.n !== n) fail('E_CORRUPT', 'step 1 expects ' + m.n + ' features but receives ' + n);
  // StandardScaler.write: n, count, exps, then the moments
  const s = m.scaler as Scaler;
  s.count = take(rs, new Uint32Array(1))[0];
  take(rs, s.exps);
  take(rs, s.mean);
  take(rs, s.meanF);
  take(rs, s.varI);
  take(rs, s.varF);
  take(rs, s.varR);
  for (let j = 0; j < n; j++) {
    if (s.exps[j] > MAX_EXP) fail('E_CORRUPT', 'input exponent ' + s.exps[j] + ' out of range');
    checkMoment(s, j, HEADROOM, s.count);
  }
  return m;
}

// ---- power-safe storage: ModelStore's two slots (src/storage.ts), so either API loads what the other saved ----

/** What Storage holds under `name`: the valid records, newest first, with their slots; the first the device API loads (i, m; -1 and null when none); the last reason for a bad slot or failed load. */
interface Found {
  recs: Uint8Array[];
  slots: number[];
  i: number;
  m: Model | null;
  bad: unknown;
}

function scan(storage: EspruinoStorageModule, name: string): Found {
  checkName(name);
  const f: Found = { recs: [], slots: [], i: -1, m: null, bad: null };
  for (let k = 0; k < 2; k++) {
    let raw: ArrayBuffer | undefined;
    try {
      raw = storage.readArrayBuffer(name + '.' + k);
    } catch (e) {
      throw storageError('reading ' + name + '.' + k, e);
    }
    if (raw === undefined || raw === null) continue;
    const rec = new Uint8Array(raw);
    const why = checkRecord(rec);
    if (why !== '') f.bad = new MicrolearnError('E_CORRUPT', 'no valid copy of model "' + name + '" (' + name + '.' + k + ': ' + why + ')');
    else if (f.recs.length === 1 && newer(u32At(rec, 4), u32At(f.recs[0], 4))) {
      f.recs.unshift(rec);
      f.slots.unshift(k);
    } else {
      f.recs.push(rec);
      f.slots.push(k);
    }
  }
  for (let i = 0; i < f.recs.length && f.m === null; i++) {
    try {
      f.m = fromBytes(recordData(f.recs[i]));
      f.i = i;
    } catch (e) {
      if (!undecodable(e)) throw e;
      f.bad = e;
    }
  }
  return f;
}

/**
 * The newest model saved under `name` (by {@link save}, or by ModelStore with
 * EspruinoStorage), or null when none was saved. A slot torn by a power cut,
 * or holding what the device API cannot load, gives way to the other one;
 * E_CORRUPT (or the model's error) when no slot holds a loadable model.
 * `storage` is `require("Storage")`.
 */
export function load(storage: EspruinoStorageModule, name: string): Model | null {
  const f = scan(storage, name);
  if (f.m === null && f.bad !== null) throw f.bad;
  return f.m;
}

/**
 * Saves the model under `name` (1..12 characters of A-Z a-z 0-9 _ -) as
 * ModelStore does: into the slot that does not hold the record `load`
 * returns, with the next sequence number, then reads it back and compares,
 * so a power cut at any byte leaves the previous model or the new one
 * loadable. Returns the sequence number. E_STORAGE when Storage fails
 * (flash full).
 */
export function save(storage: EspruinoStorageModule, name: string, m: Model): number {
  const f = scan(storage, name);
  const rec = makeRecord(f.recs.length === 0 ? 1 : (u32At(f.recs[0], 4) + 1) >>> 0, toBytes(m));
  // overwrite the other slot of the newest record, unless only the older one loads
  const key = name + '.' + (f.recs.length === 0 ? 0 : f.i === 1 ? f.slots[0] : 1 - f.slots[0]);
  let ok: boolean | void;
  try {
    ok = storage.write(key, rec);
  } catch (e) {
    throw storageError('writing ' + key, e);
  }
  const back = storage.readArrayBuffer(key);
  const got = back === undefined || back === null ? null : new Uint8Array(back);
  let same = ok !== false && got !== null && got.length === rec.length;
  for (let i = 0; same && i < rec.length; i++) if ((got as Uint8Array)[i] !== rec[i]) same = false;
  if (!same) fail('E_STORAGE', 'writing ' + key + ' failed' + (ok === false ? ': Storage.write returned false (flash full?)' : ': Storage returned different bytes'));
  return u32At(rec, 4);
}
