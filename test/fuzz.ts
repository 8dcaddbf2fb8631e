/**
 * The model-format fuzzer (issue 9 §6): mutates the saved blobs of every
 * model type, recomputes their length and CRC so they pass the envelope
 * checks, and feeds them to `load`, together with random and truncated
 * bytes. Every model `load` accepts is exercised (predict, learn, save,
 * reload). What it counts:
 *   - foreign exceptions: anything thrown that is not a MicrolearnError,
 *     or a MicrolearnError with a code `load` does not document;
 *   - broken round trips: an accepted model whose bytes (as loaded, or after
 *     learning one more sample) do not load again, or do not reproduce;
 *   - allocation during `load`: the bytes of every typed array and
 *     ArrayBuffer constructed, against the blob's length.
 * Used by test/fuzz.test.ts (a fixed seed, a bounded count) and
 * bench/fuzz.ts (longer runs).
 */
import { MicrolearnError } from '../src/errors.js';
import { crc32 } from '../src/crc32.js';
import { Random } from '../src/random.js';
import { MODEL_CLASSES, load, toInt8 } from '../index.js';
import { Pipeline } from '../src/pipeline.js';
import { MinMaxScaler, StandardScaler } from '../src/preprocessing.js';
import { WindowFeatures } from '../src/window.js';
import { LinearRegression, LogisticRegression } from '../algorithms/linear.js';
import { SoftmaxRegression } from '../algorithms/softmax.js';
import { KNNClassifier, KNNRegressor } from '../algorithms/knn.js';
import { KMeans } from '../algorithms/kmeans.js';
import { GaussianNB } from '../algorithms/naive_bayes.js';
import { HoeffdingTreeClassifier } from '../algorithms/hoeffding_tree.js';
import { HoeffdingTreeRegressor } from '../algorithms/hoeffding_tree_regressor.js';
import { MLP } from '../algorithms/mlp.js';
import { GaussianScorer } from '../algorithms/anomaly/gaussian_scorer.js';
import { KMeansDetector } from '../algorithms/anomaly/kmeans_detector.js';
import { HalfSpaceTrees } from '../algorithms/anomaly/half_space_trees.js';

/** What any model offers the exerciser (checked by duck typing). */
interface Loaded {
  nFeatures: number;
  nClasses?: number;
  toBytes(): Uint8Array;
  learnOne?(x: ArrayLike<number>, y?: number): void;
  predictOne?(x: ArrayLike<number>): number;
  predictProbaOne?(x: ArrayLike<number>): Float64Array;
  scoreOne?(x: ArrayLike<number>): number;
  isAnomaly?(x: ArrayLike<number>): boolean;
  similarity?(x: ArrayLike<number>): number;
  transformOne?(x: ArrayLike<number>): Float64Array;
  checkTarget?(y: number): void;
  learnOneQ?(x: Int32Array, y?: number): void;
  predictOneQ?(x: Int32Array): number;
}

/** Per model type (the type byte of the blob) and in all. */
export interface FuzzStats {
  blobs: number;
  accepted: number;
  /** Rejections by error code. */
  rejected: { [code: string]: number };
  /** Largest allocation during a load, in bytes, and (bytes − 2·length) beyond the 2× bound. */
  maxAlloc: number;
  maxRatio: number;
  maxExcess: number;
  /** Accepted blobs whose model re-saves to different bytes (allowed, but counted). */
  reencoded: number;
}

export interface FuzzResult {
  total: FuzzStats;
  byType: { [type: string]: FuzzStats };
  /** Descriptions of the first failures (foreign exceptions, broken round trips, allocation beyond the bound). */
  failures: string[];
  foreign: number;
  brokenRoundTrips: number;
  overBound: number;
  ms: number;
}

/**
 * The bound on allocation during `load`: 2 × the blob length plus this
 * allowance per model type (bytes). 4 KB covers every type's fixed scratch
 * (HalfSpaceTrees' input vector of up to 1024 features is the largest);
 * KNNClassifier also has per-class scratch (votes and probabilities, 12 bytes
 * a class, up to 1024 classes) that no saved state backs.
 */
export function allocAllowance(type: number): number {
  return type === 11 ? 4096 + 12 * 1024 : 4096;
}

function newStats(): FuzzStats {
  return { blobs: 0, accepted: 0, rejected: {}, maxAlloc: 0, maxRatio: 0, maxExcess: -Infinity, reencoded: 0 };
}

// ---- allocation counting ------------------------------------------------------

const TYPED = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array'];
let allocated = 0;
const originals: { [k: string]: unknown } = {};
const counting: { [k: string]: unknown } = {};
const g = globalThis as unknown as { [k: string]: unknown };
for (const name of TYPED.concat(['ArrayBuffer'])) {
  const C = g[name] as { BYTES_PER_ELEMENT?: number; new (...a: unknown[]): unknown };
  originals[name] = C;
  const per = name === 'ArrayBuffer' ? 1 : (C.BYTES_PER_ELEMENT as number);
  counting[name] = new Proxy(C as unknown as object, {
    construct(target, args) {
      const a = args[0];
      if (typeof a === 'number') allocated += a * per;
      else if (a && typeof a === 'object' && !(a instanceof (originals.ArrayBuffer as typeof ArrayBuffer))) allocated += ((a as { length?: number }).length || 0) * per;
      return Reflect.construct(target as new (...x: unknown[]) => object, args);
    },
  });
}

/** Runs f with every typed-array and ArrayBuffer constructor counting the bytes it allocates. */
export function countAllocation<T>(f: () => T): { value?: T; error?: unknown; bytes: number } {
  allocated = 0;
  for (const k in counting) g[k] = counting[k];
  try {
    const v = f();
    return { value: v, bytes: allocated };
  } catch (e) {
    return { error: e, bytes: allocated };
  } finally {
    for (const k in originals) g[k] = originals[k];
  }
}

// ---- seed models ----------------------------------------------------------------

/** Small trained models of every type, in several states (empty, raw-range exponents, calibrated, split trees…). */
export function seedModels(): Loaded[] {
  const r = new Random(2024);
  const u = () => r.nextU32() / 4294967296;
  const models: Loaded[] = [];
  const fresh = (): Loaded[] => [
    new LinearRegression({ nFeatures: 3, learningRate: 0.05, l2: 0.001 }),
    new LogisticRegression({ nFeatures: 3, learningRate: 0.1, decay: 0.01 }),
    new StandardScaler({ nFeatures: 3 }),
    new MinMaxScaler({ nFeatures: 3 }),
    new Pipeline([new StandardScaler({ nFeatures: 3 }), new LogisticRegression({ nFeatures: 3 })]),
    new Pipeline([new MinMaxScaler({ nFeatures: 3 }), new HalfSpaceTrees({ nFeatures: 3, nTrees: 2, height: 3, windowSize: 8, warmup: 2 })]),
    new Pipeline([new KMeans({ nFeatures: 3, k: 2 })]),
    new WindowFeatures({ nFeatures: 2, windowSize: 8, nBands: 2 }),
    new SoftmaxRegression({ nFeatures: 3, nClasses: 3 }),
    new KNNClassifier({ nFeatures: 3, nClasses: 3, k: 3, windowSize: 6 }),
    new KNNRegressor({ nFeatures: 3, k: 2, windowSize: 5, policy: 'reservoir', seed: 3 }),
    new KMeans({ nFeatures: 3, k: 3, decay: 0.01 }),
    new GaussianNB({ nFeatures: 3, nClasses: 3 }),
    new HoeffdingTreeClassifier({ nFeatures: 2, nClasses: 2, maxNodes: 7, gracePeriod: 20, nSplitPoints: 4 }),
    new MLP({ nFeatures: 2, hidden: [3], learningRate: 0.05, momentum: 0.5, seed: 2, optimizer: 'sgd' }),
    new MLP({ nFeatures: 2, hidden: [2], task: 'classification', nOutputs: 3, seed: 4 }),
    new GaussianScorer({ nFeatures: 3, warmup: 3 }),
    new KMeansDetector({ nFeatures: 3, k: 2, warmup: 3, quantile: 0.9 }),
    new HalfSpaceTrees({ nFeatures: 2, nTrees: 2, height: 3, windowSize: 8, warmup: 2 }),
    new HoeffdingTreeRegressor({ nFeatures: 2, maxNodes: 7, gracePeriod: 20, nSplitPoints: 4 }),
    new LinearRegression({ nFeatures: 3, optimizer: 'adam', learningRate: 0.01 }),
    new LogisticRegression({ nFeatures: 3, optimizer: 'rmsprop' }),
    new SoftmaxRegression({ nFeatures: 3, nClasses: 3, optimizer: 'adam' }),
  ];
  for (let round = 0; round < 3; round++) {
    const set = fresh();
    // round 0: untrained; 1: a few Q16.16-range samples; 2: raw ranges, enough to split, calibrate, fill
    const steps = round === 0 ? 0 : round === 1 ? 5 : 120;
    for (let i = 0; i < steps; i++) {
      const big = round === 2 ? 1e5 * u() : 1;
      const x = [u() * big, u() * 2 - 1, u() * (round === 2 ? 2e6 : 3)];
      for (const m of set) {
        const w = (m.nFeatures === 2 ? [x[0] / big, x[1]] : x) as number[];
        try {
          exerciseLearn(m, w, i);
        } catch (e) {
          // a model without raw ranges (E_RANGE) learns the reading in Q16.16 range instead
          if (!isMicrolearn(e, ['E_RANGE'])) throw e;
          exerciseLearn(m, [u(), u() * 2 - 1, u() * 3].slice(0, m.nFeatures), i);
        }
      }
    }
    for (const m of set) models.push(m);
    if (round === 2) {
      models.push(toInt8(set[1] as unknown as LogisticRegression) as unknown as Loaded);
      models.push(toInt8(set[14] as unknown as MLP) as unknown as Loaded);
      models.push(toInt8(set[15] as unknown as MLP) as unknown as Loaded);
    }
  }
  return models;
}

/** One learnOne with a label or target that suits the model. */
function exerciseLearn(m: Loaded, x: ArrayLike<number>, i: number): void {
  if (typeof m.learnOne !== 'function') return;
  const k = kind(m);
  if (k === 'classifier') m.learnOne(x, i % (m.nClasses as number));
  else if (k === 'regressor') m.learnOne(x, (i % 7) - 3);
  else m.learnOne(x);
}

function kind(m: Loaded): string {
  if (m instanceof Pipeline) return kind(m.steps[m.steps.length - 1] as unknown as Loaded);
  if (typeof m.scoreOne === 'function') return 'detector';
  if (typeof m.transformOne === 'function') return 'transformer';
  if (typeof m.checkTarget === 'function') return m.nClasses ? 'classifier' : 'regressor';
  return 'clusterer';
}

// ---- mutations ----------------------------------------------------------------

const INTERESTING = [0, 1, 2, 3, 7, 8, 255, 256, 65535, 65536, 2147483647, -2147483648, -1, -2, 16777216, 33554432, 1073741824, 4096, 31, 32, 64];

/** The blob with its payload replaced and its length and CRC recomputed (type byte optionally replaced). */
function rewrap(blob: Uint8Array, payload: Uint8Array, type: number): Uint8Array {
  const out = new Uint8Array(16 + payload.length);
  out.set(blob.subarray(0, 8));
  out[5] = type;
  const p = payload.length;
  out[8] = p & 0xff;
  out[9] = (p >> 8) & 0xff;
  out[10] = (p >> 16) & 0xff;
  out[11] = (p >>> 24) & 0xff;
  out.set(payload, 12);
  const c = crc32(out, 0, 12 + p);
  out[12 + p] = c & 0xff;
  out[13 + p] = (c >> 8) & 0xff;
  out[14 + p] = (c >> 16) & 0xff;
  out[15 + p] = (c >>> 24) & 0xff;
  return out;
}

/** 1–3 random edits of the payload (bits, bytes, 32-bit fields, insertions, deletions, truncation), valid envelope. */
function mutate(blob: Uint8Array, r: Random, types: number[]): Uint8Array {
  let p = blob.slice(12, blob.length - 4);
  const edits = 1 + r.nextInt(3);
  for (let e = 0; e < edits; e++) {
    const at = p.length === 0 ? 0 : r.nextInt(p.length);
    const op = r.nextInt(10);
    if (op <= 2 && p.length > 0) p[at] ^= 1 << r.nextInt(8);
    else if (op === 3 && p.length > 0) p[at] = r.nextInt(256);
    else if (op <= 6) {
      // a 32-bit field (aligned to the payload or not) set to an interesting value, or nudged
      const o = op === 4 ? at - (at % 4) : at;
      const v = r.nextInt(3) === 0 ? (p[o] | (p[o + 1] << 8) | (p[o + 2] << 16) | (p[o + 3] << 24)) + r.nextInt(5) - 2 : INTERESTING[r.nextInt(INTERESTING.length)];
      for (let k = 0; k < 4 && o + k < p.length; k++) p[o + k] = (v >>> (8 * k)) & 0xff;
    } else if (op === 7) {
      const q = new Uint8Array(p.length + 1);
      q.set(p.subarray(0, at));
      q[at] = r.nextInt(256);
      q.set(p.subarray(at), at + 1);
      p = q;
    } else if (op === 8 && p.length > 0) {
      const k = Math.min(1 + r.nextInt(4), p.length - at);
      const q = new Uint8Array(p.length - k);
      q.set(p.subarray(0, at));
      q.set(p.subarray(at + k), at);
      p = q;
    } else p = p.slice(0, at);
  }
  // sometimes another model type's decoder reads the payload, or another format version is claimed
  const u = r.nextInt(40);
  const type = u < 2 ? types[r.nextInt(types.length)] : u === 2 ? 7 + r.nextInt(3) : blob[5];
  let head = blob;
  if (u === 3) {
    head = blob.slice(0, 8);
    head[4] = r.nextInt(256); // a format version this build may not read (E_VERSION)
  }
  return rewrap(head, p, type);
}

/**
 * For models that nest complete blobs (Pipeline steps, KMeansDetector's
 * k-means): mutates one nested blob (its own CRC recomputed), fixes its
 * length prefix, and rewraps the outer blob; else a plain mutation.
 */
function mutateNested(blob: Uint8Array, r: Random, types: number[]): Uint8Array {
  const p = blob.subarray(12, blob.length - 4);
  const spans: number[] = []; // [prefix offset, blob start, blob end] triples within p
  if (blob[5] === 5) {
    let at = 1;
    for (let i = 0; i < p[0] && at + 4 <= p.length; i++) {
      const len = p[at] | (p[at + 1] << 8) | (p[at + 2] << 16) | (p[at + 3] << 24);
      spans.push(at, at + 4, at + 4 + len);
      at += 4 + len;
    }
  } else if (blob[5] === 31) {
    const len = p[0] | (p[1] << 8) | (p[2] << 16) | (p[3] << 24);
    spans.push(0, 4, 4 + len);
  }
  if (spans.length === 0 || r.nextInt(2) === 0) return mutate(blob, r, types);
  const k = 3 * r.nextInt(spans.length / 3);
  const inner = mutateNested(p.slice(spans[k + 1], spans[k + 2]), r, types);
  const out = new Uint8Array(p.length - (spans[k + 2] - spans[k + 1]) + inner.length);
  out.set(p.subarray(0, spans[k]));
  const len = inner.length;
  out.set([len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff, (len >>> 24) & 0xff], spans[k]);
  out.set(inner, spans[k + 1]);
  out.set(p.subarray(spans[k + 2]), spans[k + 1] + len);
  return rewrap(blob, out, blob[5]);
}

// ---- the run ----------------------------------------------------------------

const LOAD_CODES = ['E_CORRUPT', 'E_VERSION', 'E_TYPE'];

function isMicrolearn(e: unknown, codes?: string[]): boolean {
  return e instanceof MicrolearnError && (codes === undefined || codes.indexOf(e.code) >= 0);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Fuzzes `perType` mutations of the seed models of every model type (shared
 * among that type's seeds), plus `extra` random and truncated blobs;
 * deterministic for a given seed.
 */
export function fuzz(perType: number, extra: number, seed: number): FuzzResult {
  const t0 = Date.now();
  const r = new Random(seed);
  // Stack traces are most of the cost of a rejected blob; the messages suffice here.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run(perType, extra, r, t0);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function run(perType: number, extra: number, r: Random, t0: number): FuzzResult {
  const res: FuzzResult = { total: newStats(), byType: {}, failures: [], foreign: 0, brokenRoundTrips: 0, overBound: 0, ms: 0 };
  const seeds = seedModels().map((m) => m.toBytes());
  const types: number[] = [];
  for (const c of MODEL_CLASSES) types.push(c.modelType);
  const note = (s: string) => {
    if (res.failures.length < 20) res.failures.push(s);
  };
  const one = (blob: Uint8Array, what: string): void => {
    const type = blob.length < 16 ? 'short' : types.indexOf(blob[5]) >= 0 ? String(blob[5]) : 'unknown';
    const st = res.byType[type] || (res.byType[type] = newStats());
    st.blobs++;
    res.total.blobs++;
    const got = countAllocation(() => load(blob) as unknown as Loaded);
    const ratio = got.bytes / (blob.length || 1);
    const excess = got.bytes - 2 * blob.length;
    for (const s of [st, res.total]) {
      if (got.bytes > s.maxAlloc) s.maxAlloc = got.bytes;
      if (ratio > s.maxRatio) s.maxRatio = ratio;
      if (excess > s.maxExcess) s.maxExcess = excess;
    }
    if (excess > allocAllowance(blob[5])) {
      res.overBound++;
      note(what + ' type ' + type + ': load allocated ' + got.bytes + ' bytes for a ' + blob.length + '-byte blob');
    }
    if (got.error !== undefined) {
      const e = got.error;
      if (!isMicrolearn(e, LOAD_CODES)) {
        res.foreign++;
        note(what + ' type ' + type + ': load threw ' + String(e && (e as Error).stack ? (e as Error).stack : e));
        return;
      }
      const code = (e as MicrolearnError).code;
      st.rejected[code] = (st.rejected[code] || 0) + 1;
      res.total.rejected[code] = (res.total.rejected[code] || 0) + 1;
      return;
    }
    st.accepted++;
    res.total.accepted++;
    const m = got.value as Loaded;
    try {
      const again = m.toBytes();
      if (!same(again, blob)) {
        st.reencoded++;
        res.total.reencoded++;
      }
      checkReload(again, what + ' as loaded');
      exercise(m, r);
      checkReload(m.toBytes(), what + ' after learning');
    } catch (e) {
      if (e instanceof RoundTripError) {
        res.brokenRoundTrips++;
        note(e.message);
      } else {
        res.foreign++;
        note(what + ' type ' + type + ': exercising threw ' + String(e && (e as Error).stack ? (e as Error).stack : e));
      }
    }
  };
  const ofType: { [t: number]: number } = {};
  for (const b of seeds) ofType[b[5]] = (ofType[b[5]] || 0) + 1;
  for (let s = 0; s < seeds.length; s++) {
    const n = Math.ceil(perType / ofType[seeds[s][5]]);
    for (let i = 0; i < n; i++) one(mutateNested(seeds[s], r, types), 'mutation ' + i + ' of seed ' + s);
  }
  for (let i = 0; i < extra; i++) {
    const b = seeds[r.nextInt(seeds.length)];
    const k = r.nextInt(3);
    if (k === 0) one(b.subarray(0, r.nextInt(b.length)), 'truncation');
    else {
      const len = r.nextInt(k === 1 ? 64 : 2048);
      const p = new Uint8Array(len);
      for (let j = 0; j < len; j++) p[j] = r.nextInt(256);
      one(k === 1 ? p : rewrap(b, p, types[r.nextInt(types.length)]), 'random');
    }
  }
  res.ms = Date.now() - t0;
  return res;
}

class RoundTripError extends Error {}

/** Throws RoundTripError unless bytes load and re-save to the same bytes. */
function checkReload(bytes: Uint8Array, what: string): void {
  let back: Loaded;
  try {
    back = load(bytes) as unknown as Loaded;
  } catch (e) {
    throw new RoundTripError(what + ': saved bytes do not load: ' + String(e && (e as Error).message));
  }
  if (!same(back.toBytes(), bytes)) throw new RoundTripError(what + ': reloaded model saves different bytes');
}

const RUN_CODES = ['E_RANGE', 'E_STATE'];

/** Predicts and learns with inputs of every kind; only E_RANGE and E_STATE may be thrown (and must change nothing). */
function exercise(m: Loaded, r: Random): void {
  const n = m.nFeatures;
  const x = new Float64Array(n);
  const xq = new Int32Array(n);
  for (let t = 0; t < 3; t++) {
    const big = t === 0 ? 1 : t === 1 ? 1e6 : 1e-3;
    for (let i = 0; i < n; i++) {
      x[i] = (r.nextU32() / 4294967296 - 0.5) * big;
      xq[i] = r.nextU32() | 0;
    }
    const calls: (() => unknown)[] = [
      () => m.predictOne && m.predictOne(x),
      () => m.predictProbaOne && m.predictProbaOne(x),
      () => m.scoreOne && m.scoreOne(x),
      () => m.isAnomaly && m.isAnomaly(x),
      () => m.similarity && m.similarity(x),
      () => m.transformOne && m.transformOne(x),
      () => m.predictOneQ && m.predictOneQ(xq),
    ];
    for (const c of calls) guard(m, c);
    guard(m, () => exerciseLearn(m, x, t), true);
  }
  if (typeof m.learnOneQ === 'function') guard(m, () => (kind(m) === 'classifier' ? m.learnOneQ!(xq, 0) : m.learnOneQ!(xq, 0)), true);
}

/** Runs f; a MicrolearnError of RUN_CODES must leave the model's bytes as they were (anything else is rethrown). */
function guard(m: Loaded, f: () => unknown, learning?: boolean): void {
  const before = learning ? m.toBytes() : null;
  try {
    f();
  } catch (e) {
    if (!isMicrolearn(e, RUN_CODES)) throw e;
    if (before !== null && !same(before, m.toBytes())) throw new Error('a rejected learnOne (' + (e as MicrolearnError).code + ') changed the model');
  }
}
