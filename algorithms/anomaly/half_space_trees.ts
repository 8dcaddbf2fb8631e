/**
 * HalfSpaceTrees: streaming half-space trees (Tan, Ting & Liu 2011, as in
 * River); the score grows as fewer reference-window samples share x's cells.
 */
import { fail } from '../../src/errors.js';
import { POW2, Q_MAX, Q_ONE, floorDiv } from '../../src/fixed.js';
import { ByteReader, ByteWriter, ModelType } from '../../src/format.js';
import { checkOptions, mutable, optInt } from '../../src/learner.js';
import { CalibrationOptions, Calibrator } from './calibrator.js';
import { Detector } from './detector.js';

/** Options of {@link HalfSpaceTrees}. */
export interface HalfSpaceTreesOptions extends CalibrationOptions {
  /** Input width, 1..1024. Features are expected in about [0, 1] (MinMaxScaler in front). */
  nFeatures: number;
  /** Number of trees, 1..64 (default 8). */
  nTrees?: number;
  /** Depth of every tree, 1..12 (default 6). */
  height?: number;
  /** Samples per mass window, 2..65535 (default 128). */
  windowSize?: number;
  /** Seed of the random splits (default 1). */
  seed?: number;
}

/**
 * Streaming half-space trees. Every tree splits a random workspace around
 * [0, 1] in half along random features; each node counts the learned samples
 * that reach it in the current window, and the counts of the last full window
 * are the reference. With mass = Σ_trees Σ_path mass·2^depth as in River,
 * the score is (max − mass) / mass: River's 1 − mass/max re-expressed as odds
 * (higher = fewer reference samples nearby = more anomalous), which spreads
 * the far tail out. Normal data score well above 0 here, which is why the
 * threshold's margin scales the spread above the median (see Calibrator),
 * and the default reference quantile is 0.99.
 *
 * Splits are a pure function of the seed, so they are recomputed when a model
 * is loaded and only the masses are state: nTrees · (2^(height+1) − 1) · 4 bytes.
 * The workspace centre of a tree's feature is a hash of seed, tree and
 * feature, computed when a walk first splits that feature: no table of
 * nTrees · nFeatures centres (so loading allocates only what the blob holds).
 *
 * @example
 * const h = new HalfSpaceTrees({ nFeatures: 2, windowSize: 64, seed: 7 });
 * for (let i = 0; i < 256; i++) h.learnOne([0.5 + 0.05 * Math.sin(i), 0.5 + 0.05 * Math.cos(i)]);
 * h.scoreOne([0.5, 0.52]) < h.scoreOne([0.95, 0.05]); // true
 */
export class HalfSpaceTrees extends Detector<Int32Array> {
  static readonly modelType = ModelType.HalfSpaceTrees;
  readonly nTrees: number;
  readonly height: number;
  readonly windowSize: number;
  readonly seed: number;
  readonly stateBytes: number;
  /** Samples learned in the current window. */
  readonly inWindow: number;
  /** Completed windows (saturates at 2^32 − 1); scores exist from the first one on. */
  readonly windows: number;
  /** @internal masses of the current window, tree t at t·nodes */
  readonly lMass: Uint16Array;
  /** @internal masses of the reference window */
  readonly rMass: Uint16Array;
  private readonly nodes: number;
  /** Split feature of every internal node, tree t at t·(2^height − 1): a function of the seed, so not state. */
  private readonly feat: Uint16Array;
  /** The seed's mixed state: tree t's workspace centre of feature f is a hash of it, t and f. */
  private readonly mix: number;
  private readonly sizeLimit: number;
  private readonly maxScore: number;
  /** The features split so far in the current walk and their workspace bounds (at most height + 1). */
  private readonly wf: Int32Array;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;

  constructor(opts: HalfSpaceTreesOptions) {
    const o = checkOptions(opts);
    // default quantile 0.99: the largest learned score can come from a change of the reference window
    super(optInt(o, 'nFeatures', undefined, 1, 1024), o, { quantile: 0.99 });
    const n = this.nFeatures;
    const t = (this.nTrees = optInt(o, 'nTrees', 8, 1, 64));
    const h = (this.height = optInt(o, 'height', 6, 1, 12));
    const w = (this.windowSize = optInt(o, 'windowSize', 128, 2, 65535));
    this.seed = optInt(o, 'seed', 1, -2147483648, 2147483647);
    this.nodes = POW2[h + 1] - 1;
    this.sizeLimit = Math.floor(w / 10) > 1 ? Math.floor(w / 10) : 1;
    this.maxScore = t * w * this.nodes;
    this.inWindow = 0;
    this.windows = 0;
    this.lMass = new Uint16Array(t * this.nodes);
    this.rMass = new Uint16Array(t * this.nodes);
    const s = (this.mix = hstMix(this.seed));
    const inner = POW2[h] - 1;
    this.feat = new Uint16Array(t * inner);
    for (let i = 0; i < t; i++) for (let node = 0; node < inner; node++) this.feat[i * inner + node] = hstFeature(s, i, node, n);
    this.wf = new Int32Array(h + 1);
    this.lo = new Int32Array(h + 1);
    this.hi = new Int32Array(h + 1);
    this.stateBytes = 8 + 2 * t * this.nodes * 2 + Calibrator.BYTES;
  }

  /**
   * Slot of feature f in the current walk's workspace (used: slots in use),
   * creating it from tree t's centre c of f (a hash of the seed, t and f,
   * Q16.16 in [0, 1)) with half-width r = 2·max(c, 1 − c).
   */
  private slot(t: number, f: number, used: number): number {
    for (let k = 0; k < used; k++) if (this.wf[k] === f) return k;
    const c = hstCentre(this.mix, t, f);
    const r = 2 * (c > Q_ONE - c ? c : Q_ONE - c);
    this.wf[used] = f;
    this.lo[used] = c - r;
    this.hi[used] = c + r;
    return used;
  }

  /** Walks tree t for x; calls back per node (learn adds mass, score sums it). Returns the leaf-or-stop contribution. */
  private walk(t: number, x: Int32Array, learn: boolean): number {
    const base = t * this.nodes;
    let node = 0;
    let sum = 0;
    let used = 0;
    for (let d = 0; ; d++) {
      if (learn) {
        if (this.lMass[base + node] < 65535) this.lMass[base + node]++;
      } else {
        const r = this.rMass[base + node];
        sum += r * POW2[d];
        if (r < this.sizeLimit) return sum;
      }
      if (d === this.height) return sum;
      const f = this.feat[t * (this.nodes >> 1) + node];
      const k = this.slot(t, f, used);
      if (k === used) used++;
      const mid = Math.floor((this.lo[k] + this.hi[k]) / 2);
      if (x[f] < mid) {
        this.hi[k] = mid;
        node = 2 * node + 1;
      } else {
        this.lo[k] = mid;
        node = 2 * node + 2;
      }
    }
  }

  protected learnQ(x: Int32Array): void {
    if (this.windows > 0) this.cal.add(this.scoreQ(x));
    this.addQ(x);
  }

  /** Drift: below the gate, x joins the current window (streaming trees follow drift through their windows). */
  protected adaptQ(x: Int32Array, s: number): void {
    if (s < this.cal.adaptGate()) this.addQ(x);
  }

  /** Adds x to the current window; a full window becomes the reference. */
  private addQ(x: Int32Array): void {
    for (let t = 0; t < this.nTrees; t++) this.walk(t, x, true);
    const self = mutable(this);
    self.inWindow++;
    if (this.inWindow === this.windowSize) {
      const m = this.lMass.length;
      for (let i = 0; i < m; i++) {
        this.rMass[i] = this.lMass[i];
        this.lMass[i] = 0;
      }
      self.inWindow = 0;
      if (this.windows < 4294967295) self.windows++;
    }
  }

  /**
   * Q16.16 score (max − mass) / mass, where mass = Σ_trees Σ_path rMass·2^depth
   * and max is its largest possible value; 0 until the first window is complete.
   */
  protected scoreQ(x: Int32Array): number {
    if (this.windows === 0) return 0;
    let total = 0;
    for (let t = 0; t < this.nTrees; t++) total += this.walk(t, x, false);
    if (total === 0) return Q_MAX;
    const v = floorDiv(2 * (this.maxScore - total) * 65536 + total, 2 * total);
    return v > Q_MAX ? Q_MAX : v;
  }

  /**
   * @internal Payload: `u32 nFeatures`, `u32 nTrees`, `u32 height`, `u32 windowSize`, `i32 seed`, calibrator,
   * `u32 inWindow`, `u32 windows`, `u16[nTrees·nodes] lMass`, `u16[nTrees·nodes] rMass`.
   */
  write(w: ByteWriter): void {
    w.u32(this.nFeatures);
    w.u32(this.nTrees);
    w.u32(this.height);
    w.u32(this.windowSize);
    w.i32(this.seed);
    this.cal.write(w);
    w.u32(this.inWindow);
    w.u32(this.windows);
    w.u16s(this.lMass);
    w.u16s(this.rMass);
  }

  /** @internal */
  static fromReader(r: ByteReader): HalfSpaceTrees {
    const o: { [k: string]: unknown } = {};
    o.nFeatures = r.int(1, 1024);
    const t = (o.nTrees = r.int(1, 64));
    const h = (o.height = r.int(1, 12));
    const w = (o.windowSize = r.int(2, 65535));
    o.seed = r.i32();
    Calibrator.readOptions(r, o);
    const nodes = POW2[h + 1] - 1;
    r.need(Calibrator.BYTES + 8 + 4 * t * nodes); // before the masses are allocated
    const m = new HalfSpaceTrees(o as unknown as HalfSpaceTreesOptions);
    m.cal.readState(r);
    mutable(m).inWindow = r.int(0, w - 1);
    mutable(m).windows = r.u32();
    r.u16s(m.lMass);
    r.u16s(m.rMass);
    // every learned sample passes every root and goes down to one leaf: the masses must agree with the
    // counters, and each node's mass is the sum of its children's (so learning keeps every mass ≤ the window)
    const inner = (nodes - 1) / 2;
    for (let i = 0; i < t; i++) {
      const b = i * nodes;
      if (m.lMass[b] !== m.inWindow || m.rMass[b] !== (m.windows > 0 ? w : 0)) fail('E_CORRUPT', 'half-space tree masses do not match the window counters');
      for (let v = 0; v < inner; v++) {
        if (m.lMass[b + 2 * v + 1] + m.lMass[b + 2 * v + 2] !== m.lMass[b + v] || m.rMass[b + 2 * v + 1] + m.rMass[b + 2 * v + 2] !== m.rMass[b + v])
          fail('E_CORRUPT', "half-space tree masses do not add up to their parent's");
      }
    }
    return m;
  }
}

/** One xorshift32 step on an int32 (shifts and xors only: the same on every engine). */
function xorshift(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x | 0;
}

/** The low 32 bits of a·b (Math.imul, which Espruino lacks), exact in doubles. */
function imul(a: number, b: number): number {
  const al = a & 65535;
  const bl = b & 65535;
  return (al * bl + ((((a >>> 16) * bl + al * (b >>> 16)) & 65535) << 16)) | 0;
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit (xorshift alone left the split features patterned). */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b | 0);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35 | 0);
  return h ^ (h >>> 16);
}

/** @internal The seed's mixed state, from which every split feature and workspace centre is hashed. */
export function hstMix(seed: number): number {
  let s = (seed ^ 0x5bd1e995) | 0;
  if (s === 0) s = 0x6d2b79f5;
  for (let i = 0; i < 8; i++) s = xorshift(s);
  return s;
}

/** @internal The split feature of inner node `node` of tree t: uniform in 0..n−1 (n ≤ 1024) from the high bits of a hash. */
export function hstFeature(mix: number, t: number, node: number, n: number): number {
  return ((fmix(mix ^ fmix((t << 16) ^ node)) >>> 16) * n) >>> 16;
}

/** @internal Tree t's workspace centre of feature f, Q16.16 in [0, 1). */
export function hstCentre(mix: number, t: number, f: number): number {
  return fmix(mix ^ 0x2545f491 ^ fmix((t << 16) ^ f)) >>> 16;
}
