/**
 * k-nearest-neighbour learners over a fixed-capacity window of past samples:
 * KNNClassifier (majority vote) and KNNRegressor (mean of the neighbours'
 * targets). Memory is fixed at construction: windowSize · nFeatures values.
 *
 * Distances are squared Euclidean through the kernels (`K.sqdistMany`), and
 * neighbours are picked with `K.argmin`. Two rules make the result the same
 * on every engine and explain it to users:
 * - equal distances: the sample in the lower window slot wins (slots fill
 *   0, 1, 2, … and FIFO then overwrites the oldest slot);
 * - equal votes: the class whose nearest member is closest wins.
 *
 * Raw sensor features (CO2 in ppm, light in lux) give squared distances far
 * beyond Q16.16. Rather than asking the user for a scale, each query first
 * computes distances at full resolution (shift 0) and, only if fewer than k of
 * them fit below the saturation limit, recomputes them divided by 2^8, then
 * 2^16 (the kernel's `shift`). Near neighbours are therefore always ranked at
 * the finest resolution that represents them; see docs/algorithms.md.
 * Features share one input exponent (src/range.ts), so raw ranges up to
 * ±2^31 are stored without saturating; a query so far away that fewer than k
 * distances can be compared exactly is E_RANGE.
 */
import { fail } from '../src/errors.js';
import { Q_MAX, floorDiv, fromQ } from '../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../src/format.js';
import * as K from '../src/kernels.js';
import { MAX_CLASSES, MAX_FEATURES, Supervised, checkOptions, optChoice, optInt } from '../src/learner.js';
import { InputScale, ScaledVector, distanceHeadroom, shiftRound, toDistanceInput } from '../src/range.js';
import { Random } from '../src/random.js';
import { checkModels, same } from '../src/merge.js';

/** Options shared by the k-NN learners. */
export interface KNNOptions {
  /** Input width. */
  nFeatures: number;
  /** Neighbours consulted (default 5, at most windowSize). */
  k?: number;
  /** Samples kept (default 100). Memory: windowSize · (nFeatures + 1) · 4 bytes. */
  windowSize?: number;
  /** Which samples the full window keeps: 'fifo' (the latest, default) or 'reservoir' (a uniform sample of the whole stream). */
  policy?: 'fifo' | 'reservoir';
  /** Seed of the reservoir's random choices (default 1). */
  seed?: number;
}

/** Largest windowSize · nFeatures (values kept). */
export const MAX_WINDOW_VALUES = 16777216;

const POLICIES = ['fifo', 'reservoir'];

/**
 * The window and the neighbour search shared by both k-NN learners.
 * @internal
 */
export class KNNWindow {
  readonly n: number;
  readonly k: number;
  readonly size: number;
  /** 0 = FIFO, 1 = reservoir. */
  readonly policy: number;
  readonly seed: number;
  /** Samples, row r = slot r. */
  readonly data: Int32Array;
  /** Label (class) or Q16.16 target of each slot. */
  readonly ys: Int32Array;
  filled: number;
  /** Next FIFO slot. */
  pos: number;
  /** Samples offered so far (drives the reservoir). */
  seen: number;
  readonly rng: Random;
  /** Scratch: distances, and the chosen neighbours (slots) in order of distance. */
  readonly dist: Int32Array;
  readonly nbr: Int32Array;
  readonly stateBytes: number;
  /** The shared input exponent. */
  readonly scale: InputScale;

  constructor(opts: KNNOptions) {
    const o = checkOptions(opts);
    this.n = optInt(o, 'nFeatures', undefined, 1, MAX_FEATURES);
    this.size = optInt(o, 'windowSize', 100, 1, Math.floor(MAX_WINDOW_VALUES / this.n));
    this.k = optInt(o, 'k', this.size < 5 ? this.size : 5, 1, this.size);
    this.policy = optChoice(o, 'policy', 'fifo', POLICIES);
    this.seed = optInt(o, 'seed', 1, -2147483648, 2147483647);
    this.data = new Int32Array(this.size * this.n);
    this.ys = new Int32Array(this.size);
    this.filled = 0;
    this.pos = 0;
    this.seen = 0;
    this.rng = new Random(this.seed);
    this.dist = new Int32Array(this.size);
    this.nbr = new Int32Array(this.k);
    this.scale = new InputScale(this.n, true, distanceHeadroom(this.n));
    this.stateBytes = KNNWindow.bytesFor(this.n, this.size);
  }

  /** Bytes of learned state: filled, pos, seen, rng, exponent, samples and targets. */
  static bytesFor(n: number, size: number): number {
    return 17 + size * (n + 1) * 4;
  }

  /** The exponent grew by d: every stored sample is divided by 2^d. */
  rescale(d: number): void {
    const m = this.filled * this.n;
    for (let i = 0; i < m; i++) this.data[i] = shiftRound(this.data[i], d);
  }

  /** Stores (x, y) according to the policy. x is valid Q16.16. */
  add(x: Int32Array, y: number): void {
    if (this.seen < 4294967295) this.seen++;
    let slot: number;
    if (this.filled < this.size) slot = this.filled++;
    else if (this.policy === 0) slot = this.pos;
    else {
      // reservoir (Algorithm R): keep the new sample with probability size/seen
      slot = this.rng.nextInt(this.seen);
      if (slot >= this.size) return;
    }
    if (this.policy === 0) this.pos = slot + 1 === this.size ? 0 : slot + 1;
    this.data.set(x, slot * this.n);
    this.ys[slot] = y;
  }

  /**
   * Finds the min(k, filled) nearest stored samples; nbr[0..m-1] holds their
   * slots, nearest first. Returns m.
   */
  neighbours(q: ScaledVector): number {
    const rows = this.filled;
    const m = this.k < rows ? this.k : rows;
    if (m === 0) return 0;
    const d = this.dist;
    const x = this.scale.ints();
    if (!toDistanceInput(q, this.n, x)) tooFar();
    for (let shift = 0; ; shift += 8) {
      K.sqdistMany.f(this.data, rows, this.n, x, 0, shift, d);
      let saturated = false;
      for (let j = 0; j < m; j++) {
        let s = K.argmin.f(d, 0, rows);
        if (d[s] === Q_MAX) {
          // Everything left is at (or beyond) the limit: a coarser scale separates them.
          if (shift === 16) tooFar();
          saturated = true;
          break;
        }
        this.nbr[j] = s;
        d[s] = Q_MAX; // taken
      }
      if (!saturated) return m;
    }
  }

  write(w: ByteWriter): void {
    w.u32(this.n);
    w.u32(this.k);
    w.u32(this.size);
    w.u8(this.policy);
    w.i32(this.seed);
    w.u32(this.filled);
    w.u32(this.pos);
    w.u32(this.seen);
    w.u32(this.rng.state);
    w.u8(this.scale.exps[0]);
    w.i32s(this.data);
    w.i32s(this.ys);
  }

  static readOptions(r: ByteReader): KNNOptions {
    const n = r.int(1, MAX_FEATURES);
    const k = r.int(1, MAX_WINDOW_VALUES);
    const size = r.int(k, Math.floor(MAX_WINDOW_VALUES / n));
    const policy = r.u8();
    if (policy > 1) fail('E_CORRUPT', 'unknown k-NN window policy ' + policy);
    const seed = r.i32();
    r.need(KNNWindow.bytesFor(n, size)); // before the window is allocated
    return { nFeatures: n, k: k, windowSize: size, policy: policy === 0 ? 'fifo' : 'reservoir', seed: seed };
  }

  /** Reads the learned state; `labelLimit` > 0 bounds class labels. */
  readState(r: ByteReader, labelLimit: number): void {
    const filled = r.int(0, this.size);
    const pos = r.int(0, this.size - 1);
    const seen = r.u32();
    const state = r.i32();
    const posOk = this.policy === 0 ? filled === this.size || pos === filled % this.size : pos === 0;
    if (state === 0 || seen < filled || !posOk) fail('E_CORRUPT', 'inconsistent k-NN window counters');
    this.scale.exps[0] = r.u8();
    this.scale.checkExps();
    r.i32s(this.data);
    this.scale.checkValues(this.data, 0, this.data.length);
    r.i32s(this.ys);
    if (labelLimit > 0) for (let i = 0; i < this.size; i++) if (this.ys[i] < 0 || this.ys[i] >= labelLimit) fail('E_CORRUPT', 'k-NN label out of range');
    this.filled = filled;
    this.pos = pos;
    this.seen = seen;
    this.rng.state = state;
  }
}

function tooFar(): never {
  return fail('E_RANGE', 'query too far from the stored samples to rank them (beyond the model\'s input scale)');
}

/** What both k-NN learners share: the window, its input scale, and the growth of the scale. */
abstract class KNNBase extends Supervised<ScaledVector> {
  /** merge pools the models' samples/statistics: a fleet merges each device's own-data model, see docs/fleet.md. */
  static readonly mergeKind = 'statistics';
  /** @internal */ readonly win: KNNWindow;
  /** @internal */ protected declare readonly scale: InputScale;
  readonly stateBytes: number;

  constructor(win: KNNWindow, nClasses: number) {
    super(win.n, nClasses);
    this.win = win;
    this.scale = win.scale;
    this.stateBytes = win.stateBytes;
  }

  /** Samples currently in the window. */
  size(): number {
    return this.win.filled;
  }

  protected learnQ(x: Int32Array, y: number): void {
    this.win.add(x, y);
  }

  /** @internal */
  override rescale(i: number, d: number): void {
    this.win.rescale(d);
  }

  /** The shared input exponent: samples are held as x·2^(16−e) (docs/fixed-point.md, "Raw ranges"). */
  inputExponent(): number {
    return this.scale.exps[0];
  }

  /**
   * A bounded merge of the windows (`KNNClassifier.merge`, `KNNRegressor.merge`).
   * Every model's samples are pooled, each with the time it would have in a
   * stream of its model's `seen` samples spread over the same span: the r-th
   * most recent of a model that saw s samples is at (2r + 1) / 2s before now.
   * The window keeps the `windowSize` most recent of the pool by that time
   * (ties by the sample's values, then its target), the oldest kept in slot 0
   * so that FIFO overwrites it first: all of them while they fit, so merging
   * models whose windows fit together gives the samples of one model trained
   * on all of them. Samples are taken to the largest input exponent of the
   * models (divided by 2^d, rounded half up, as learning rescales them).
   * `seen` adds up; the reservoir restarts from its seed (docs/fleet.md).
   * Models of exactly one class with the same options (E_SHAPE naming the
   * option); weights do not apply (E_INPUT). Depends only on the set of
   * models, not their order; the inputs are left as they were.
   */
  static merge<T extends KNNBase>(this: new (o: never) => T, models: ReadonlyArray<T>, weights?: ArrayLike<number>): T {
    checkModels(models, this);
    if (weights !== undefined) fail('E_INPUT', 'k-NN merges by the samples each model saw: weights do not apply');
    const w0 = models[0].win;
    const wins: KNNWindow[] = [];
    let top = 0; // the largest input exponent
    for (let i = 0; i < models.length; i++) {
      const w = models[i].win;
      same('nFeatures', i, w0.n, w.n);
      same('nClasses', i, models[0].nClasses, models[i].nClasses);
      same('windowSize', i, w0.size, w.size);
      same('k', i, w0.k, w.k);
      same('policy (0 fifo, 1 reservoir)', i, w0.policy, w.policy);
      same('seed', i, w0.seed, w.seed);
      wins.push(w);
      if (w.scale.exps[0] > top) top = w.scale.exps[0];
    }
    const model = (this as unknown as { fromBytes(b: Uint8Array): T }).fromBytes(models[0].toBytes());
    const out = model.win;
    const n = out.n;
    const size = out.size;
    const from: number[] = [], slot: number[] = [], time: number[] = [], order: number[] = [], shift: number[] = [];
    let seen = 0;
    for (let i = 0; i < wins.length; i++) {
      const w = wins[i];
      const f = w.filled;
      // the most recent sample is the slot before the next FIFO slot (a full FIFO window), else the last filled
      const start = f === size ? w.pos : f;
      seen += w.seen;
      shift.push(top - w.scale.exps[0]);
      for (let r = 0; r < f; r++) {
        order.push(from.length);
        from.push(i);
        slot.push((start - 1 - r + size) % size);
        time.push((2 * r + 1) / (2 * w.seen)); // IEEE division: the same on every engine
      }
    }
    const value = function (p: number, j: number): number {
      const v = wins[from[p]].data[slot[p] * n + j];
      const d = shift[from[p]];
      return d === 0 ? v : shiftRound(v, d);
    };
    order.sort(function (p, q) {
      if (time[p] !== time[q]) return time[p] < time[q] ? -1 : 1;
      for (let j = 0; j < n; j++) {
        const d = value(p, j) - value(q, j);
        if (d !== 0) return d;
      }
      return wins[from[p]].ys[slot[p]] - wins[from[q]].ys[slot[q]];
    });
    const m = order.length < size ? order.length : size;
    out.data.fill(0);
    out.ys.fill(0);
    for (let i = 0; i < m; i++) {
      const p = order[m - 1 - i];
      for (let j = 0; j < n; j++) out.data[i * n + j] = value(p, j);
      out.ys[i] = wins[from[p]].ys[slot[p]];
    }
    out.scale.exps[0] = top;
    out.filled = m;
    out.pos = out.policy === 0 && m < size ? m : 0;
    out.seen = seen > 4294967295 ? 4294967295 : seen;
    out.rng.seed(out.seed);
    return model;
  }
}

/**
 * k-NN classifier: majority vote of the k nearest samples in a fixed window.
 * Probabilities are vote fractions. Before any sample, predicts class 0 with
 * uniform probabilities.
 *
 * @example
 * const m = new KNNClassifier({ nFeatures: 2, nClasses: 2, k: 3, windowSize: 50 });
 * m.learnOne([0.1, 0.2], 0);
 * m.learnOne([0.9, 0.8], 1);
 * m.predictOne([0.8, 0.9]); // 1
 */
export class KNNClassifier extends KNNBase {
  static readonly modelType = ModelType.KNNClassifier;
  /** Votes per class, then (predictProbaOne) the probabilities computed from them in place. */
  private readonly votes: Int32Array;

  constructor(opts: KNNOptions & { nClasses: number }) {
    super(new KNNWindow(opts), optInt(opts as unknown as { [k: string]: unknown }, 'nClasses', undefined, 2, MAX_CLASSES));
    this.votes = new Int32Array(this.nClasses);
  }

  /** Counts votes; returns the winner (ties: the class of the nearer neighbour), or -1 with an empty window. */
  private vote(x: ScaledVector): number {
    const m = this.win.neighbours(x);
    const v = this.votes;
    v.fill(0);
    if (m === 0) return -1;
    const ys = this.win.ys;
    const nbr = this.win.nbr;
    for (let j = 0; j < m; j++) v[ys[nbr[j]]]++;
    let best = ys[nbr[0]];
    for (let j = 1; j < m; j++) {
      const c = ys[nbr[j]];
      if (v[c] > v[best]) best = c;
    }
    return best;
  }

  protected predictQ(x: ScaledVector): number {
    const c = this.vote(x);
    return c < 0 ? 0 : c;
  }

  /** Vote fractions, Q16.16 (uniform with an empty window). */
  protected override probaQ(x: ScaledVector): Int32Array {
    const c = this.vote(x);
    const v = this.votes;
    let m = 0;
    for (let j = 0; j < this.nClasses; j++) m += v[j];
    for (let j = 0; j < this.nClasses; j++) v[j] = c < 0 ? floorDiv(131072 + this.nClasses, 2 * this.nClasses) : floorDiv(v[j] * 131072 + m, 2 * m);
    return v;
  }

  /** @internal */
  write(w: ByteWriter): void {
    w.u32(this.nClasses);
    this.win.write(w);
  }

  /** @internal */
  static fromReader(r: ByteReader): KNNClassifier {
    const c = r.int(2, MAX_CLASSES);
    const o = KNNWindow.readOptions(r);
    const m = new KNNClassifier({ nFeatures: o.nFeatures, nClasses: c, k: o.k, windowSize: o.windowSize, policy: o.policy, seed: o.seed });
    m.win.readState(r, c);
    return m;
  }
}

/**
 * k-NN regressor: the mean target of the k nearest samples in a fixed window
 * (0 before any sample). Targets are Q16.16 (±32768).
 *
 * @example
 * const m = new KNNRegressor({ nFeatures: 1, k: 2, windowSize: 20 });
 * m.learnOne([1], 10);
 * m.learnOne([2], 20);
 * m.predictOne([1.4]); // 15
 */
export class KNNRegressor extends KNNBase {
  static readonly modelType = ModelType.KNNRegressor;

  constructor(opts: KNNOptions) {
    super(new KNNWindow(opts), 0);
  }

  /** Mean of the neighbours' targets, rounded half up (Q16.16). */
  protected predictQ(x: ScaledVector): number {
    const m = this.win.neighbours(x);
    if (m === 0) return 0;
    let s = 0;
    for (let j = 0; j < m; j++) s += this.win.ys[this.win.nbr[j]];
    return floorDiv(2 * s + m, 2 * m);
  }

  /** @internal */
  write(w: ByteWriter): void {
    this.win.write(w);
  }

  /** @internal */
  static fromReader(r: ByteReader): KNNRegressor {
    const m = new KNNRegressor(KNNWindow.readOptions(r));
    m.win.readState(r, 0);
    return m;
  }
}
