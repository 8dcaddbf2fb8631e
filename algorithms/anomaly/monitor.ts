/**
 * AnomalyMonitor: the chain a condition-monitoring device runs — window
 * features of the raw samples, optional scalers, a detector, and a debounced
 * alarm — with a learning phase and a monitoring phase. Used by the
 * vibration monitor example and by `microlearn evaluate-anomaly`.
 */
import { fail } from '../../src/errors.js';
import { crc32 } from '../../src/crc32.js';
import { fromQ } from '../../src/fixed.js';
import { Learner, ModelClass, Transformer, checkVectorQ, mutable, readVector } from '../../src/learner.js';
import { loadModel } from '../../src/load.js';
import { same } from '../../src/merge.js';
import { Pipeline } from '../../src/pipeline.js';
import { WindowFeatures } from '../../src/window.js';
import { AlarmFilter, AlarmFilterOptions } from './alarm.js';
import { Detector } from './detector.js';

/** Options of {@link AnomalyMonitor}. */
export interface AnomalyMonitorOptions {
  /** Features of a sliding window of the samples in front of the detector (omit: the detector sees each sample as it is). */
  window?: WindowFeatures;
  /**
   * Samples between two feature vectors, 1..65535 (default 1: a vector per
   * sample, e.g. a rolling mean of slow process data; raw vibration uses
   * windowSize or windowSize/2). Vectors start once the window is full.
   */
  hop?: number;
  /** Transformers between the features and the detector (e.g. a StandardScaler, which learns only while learning). */
  stages?: Transformer[];
  /** The detector; its calibration and `adapt` options set the threshold and the drift policy. */
  detector: Detector;
  /** k-of-n debouncing of the alarm (default 3 of 5). */
  alarm?: AlarmFilterOptions;
}

/**
 * Learns what normal looks like, then turns a stream of samples into a
 * debounced OK / anomaly state and a similarity. Each `learnOne` or
 * `monitorOne` pushes one sample (one value per channel); every `hop`
 * samples it produces a verdict: `fresh` is then true and `score`,
 * `flagged`, `alarm` describe it. The block entry point `feedQ` does the
 * same for raw Q16.16 samples without any allocation.
 *
 * @example
 * const m = new AnomalyMonitor({
 *   window: new WindowFeatures({ windowSize: 1024, nBands: 8, features: ['rms', 'kurtosis', 'crest'] }),
 *   hop: 1024,
 *   detector: new GaussianScorer({ nFeatures: 11, adapt: 500 }),
 * });
 * for (const v of learningSamples) m.learnOne([v]);
 * for (const v of stream) if (m.monitorOne([v]) && m.alarm) report('anomaly');
 */
export class AnomalyMonitor {
  readonly window: WindowFeatures | null;
  readonly hop: number;
  readonly stages: ReadonlyArray<Transformer>;
  readonly detector: Detector;
  readonly alarmFilter: AlarmFilter;
  /** Input width: channels per sample. */
  readonly nFeatures: number;
  /** True right after a sample that produced a verdict (or a learned vector). */
  readonly fresh: boolean;
  /** Q16.16 score of the last verdict. */
  readonly score: number;
  /** The last verdict's score was above the threshold. */
  readonly flagged: boolean;
  /** The debounced alarm state. */
  readonly alarm: boolean;
  /** Feature vectors learned so far. */
  readonly learned: number;
  /** Verdicts given so far. */
  readonly verdicts: number;
  /** Bytes of state of the window (its ring of samples), the stages and the detector. */
  readonly stateBytes: number;
  /** Samples pushed since the last feature vector. */
  private sinceHop: number;
  private readonly xq: Int32Array;
  /** bufs[i]: the input of stage i; the last one is the detector's input. */
  private readonly bufs: Int32Array[];

  constructor(opts: AnomalyMonitorOptions) {
    if (opts === null || typeof opts !== 'object' || !(opts.detector instanceof Detector)) fail('E_OPTION', 'AnomalyMonitor needs a detector');
    const w = opts.window === undefined ? null : opts.window;
    if (w !== null && !(w instanceof WindowFeatures)) fail('E_OPTION', 'option window must be a WindowFeatures');
    const hop = opts.hop === undefined ? 1 : opts.hop;
    if (typeof hop !== 'number' || Math.floor(hop) !== hop || hop < 1 || hop > 65535) fail('E_OPTION', 'option hop must be an integer in 1..65535, got ' + hop);
    const stages = opts.stages === undefined ? [] : opts.stages;
    this.window = w;
    this.hop = hop;
    this.stages = stages;
    this.detector = opts.detector;
    this.alarmFilter = new AlarmFilter(opts.alarm);
    this.nFeatures = w !== null ? w.nFeatures : stages.length > 0 ? stages[0].nFeatures : opts.detector.nFeatures;
    let width = w !== null ? w.nOutputs : this.nFeatures;
    this.bufs = [new Int32Array(width)];
    for (let i = 0; i < stages.length; i++) {
      if (stages[i].nFeatures !== width) fail('E_OPTION', 'stage ' + i + ' expects ' + stages[i].nFeatures + ' features but receives ' + width);
      width = stages[i].nOutputs;
      this.bufs.push(new Int32Array(width));
    }
    if (opts.detector.nFeatures !== width) fail('E_OPTION', 'the detector expects ' + opts.detector.nFeatures + ' features but receives ' + width);
    this.xq = new Int32Array(this.nFeatures);
    let b = opts.detector.stateBytes + (w !== null ? w.stateBytes : 0);
    for (let i = 0; i < stages.length; i++) b += stages[i].stateBytes;
    this.stateBytes = b;
    this.fresh = false;
    this.score = 0;
    this.flagged = false;
    this.alarm = false;
    this.learned = 0;
    this.verdicts = 0;
    this.sinceHop = 0;
  }


  /** Learns one sample of normal operation (one value per channel); true when it completed a learned feature vector. */
  learnOne(x: ArrayLike<number>): boolean {
    return this.step(readVector(x, this.nFeatures, this.xq), true);
  }

  /** Monitors one sample; true when it produced a verdict (then see `score`, `flagged`, `alarm`). */
  monitorOne(x: ArrayLike<number>): boolean {
    return this.step(readVector(x, this.nFeatures, this.xq), false);
  }

  /** Q16.16 twins of learnOne / monitorOne (x: an Int32Array of nFeatures). */
  learnOneQ(x: Int32Array): boolean {
    checkVectorQ(x, this.nFeatures);
    return this.step(x, true);
  }

  monitorOneQ(x: Int32Array): boolean {
    checkVectorQ(x, this.nFeatures);
    return this.step(x, false);
  }

  /**
   * Block entry point for raw samples: pushes samples from `src[so …]`
   * (interleaved channels, `count` samples) up to and including the next one
   * that completes a feature vector, learning or monitoring it; returns how
   * many samples it consumed, with `fresh` telling whether a vector was
   * completed. Loop until the block is used up. Needs a window.
   */
  feedQ(src: Int32Array, so: number, count: number, learn: boolean): number {
    const w = this.window;
    if (w === null) return fail('E_STATE', 'feedQ needs a window');
    const c = this.nFeatures;
    if (!(src instanceof Int32Array) || so < 0 || count < 0 || Math.floor(so) !== so || Math.floor(count) !== count || so + count * c > src.length)
      fail('E_INPUT', 'feedQ: expected an Int32Array holding ' + count + ' samples of ' + c + ' channels from ' + so);
    // samples until the next vector: until the window is full, then a hop
    const need = w.count < w.windowSize ? w.windowSize - w.count : this.hop - this.sinceHop;
    const take = count < need ? count : need;
    mutable(this).fresh = false;
    if (take === 0) return 0;
    w.pushBlockQ(src, so, take);
    this.sinceHop += take;
    if (take === need) this.vector(learn);
    return take;
  }

  /** Pushes one validated sample; on a hop, runs the chain. */
  private step(x: Int32Array, learn: boolean): boolean {
    const self = mutable(this);
    self.fresh = false;
    const w = this.window;
    if (w === null) {
      this.bufs[0].set(x);
      this.run(learn);
      return true;
    }
    w.pushQ(x);
    this.sinceHop++;
    if (!w.ready()) return false;
    if (w.count === w.windowSize || this.sinceHop >= this.hop) {
      this.vector(learn);
      return true;
    }
    return false;
  }

  /** The window's features into bufs[0], then the chain. */
  private vector(learn: boolean): void {
    this.sinceHop = 0;
    (this.window as WindowFeatures).featuresQ(this.bufs[0]);
    this.run(learn);
  }

  private run(learn: boolean): void {
    const self = mutable(this);
    const s = this.stages;
    for (let i = 0; i < s.length; i++) {
      if (learn) s[i].learnOneQ(this.bufs[i]);
      s[i].transformOneQ(this.bufs[i], this.bufs[i + 1]);
    }
    const v = this.bufs[s.length];
    self.fresh = true;
    if (learn) {
      this.detector.learnOneQ(v);
      self.learned++;
      return;
    }
    const score = this.detector.monitorOneQ(v);
    self.score = score;
    self.flagged = score > this.detector.cal.threshold();
    self.alarm = this.alarmFilter.update(this.flagged);
    self.verdicts++;
  }

  /** The detector's input of the last vector (Q16.16; reused). */
  lastVector(): Int32Array {
    return this.bufs[this.stages.length];
  }

  /** 0..100 similarity of the last verdict (50 = at the threshold). */
  similarity(): number {
    return this.detector.cal.similarity(this.score);
  }

  /** The threshold (real number) on the score. */
  threshold(): number {
    return this.detector.threshold();
  }

  /** The last verdict's score as a real number. */
  scoreValue(): number {
    return fromQ(this.score);
  }

  /**
   * Keeps learning, but the threshold will come only from the scores of
   * what is learned from now on (see Calibrator.restart): call it part-way
   * through a learning phase that goes through every operating regime.
   */
  restartCalibration(): void {
    this.detector.cal.restart();
  }

  /** Starts over with the alarm off (after a relearn, or a reload). */
  resetAlarm(): void {
    this.alarmFilter.reset();
    const self = mutable(this);
    self.alarm = false;
    self.flagged = false;
  }

  /**
   * The learned state: the stages and the detector as one Pipeline blob,
   * after a 4-byte fingerprint (CRC-32) of the window's configuration. The
   * window's ring of raw samples is not saved (it is refilled within one
   * window after a reboot), so the blob stays small enough for an ESP32's
   * preferences; `hop` and the alarm options are configuration, not saved.
   */
  toBytes(): Uint8Array {
    const p = new Pipeline(this.learnedSteps()).toBytes();
    const out = new Uint8Array(4 + p.length);
    const f = windowFingerprint(this.window);
    out[0] = f & 0xff;
    out[1] = (f >>> 8) & 0xff;
    out[2] = (f >>> 16) & 0xff;
    out[3] = (f >>> 24) & 0xff;
    out.set(p, 4);
    return out;
  }

  /** The chain as Pipeline steps: window (if any), stages, detector. */
  steps(): Array<Learner & Transformer | Detector> {
    const out: Array<Learner & Transformer | Detector> = [];
    if (this.window !== null) out.push(this.window);
    return out.concat(this.learnedSteps());
  }

  /** The steps that hold learned state: stages and detector. */
  private learnedSteps(): Array<Learner & Transformer | Detector> {
    const out: Array<Learner & Transformer | Detector> = [];
    for (let i = 0; i < this.stages.length; i++) out.push(this.stages[i] as Learner & Transformer);
    out.push(this.detector);
    return out;
  }

  /**
   * A new monitor whose learned state is the merge of `monitors`' (the step
   * a fleet of machines runs, docs/fleet.md): the stages and the detector
   * merge as a Pipeline, step by step (a GaussianScorer's statistics and
   * threshold histograms exactly; `weights` go to the detector, which may
   * refuse them). The monitors must share the window configuration, hop and
   * alarm options (E_SHAPE) and hold the same classes and options (E_TYPE,
   * E_SHAPE). The result starts with an empty window, the alarm off and no
   * verdicts; `learned` is the sum. The inputs are left as they were.
   */
  static merge(monitors: ReadonlyArray<AnomalyMonitor>, weights?: ArrayLike<number>): AnomalyMonitor {
    if (!monitors || typeof monitors.length !== 'number' || monitors.length < 1) fail('E_INPUT', 'merge needs a non-empty array of monitors');
    const pipes: Pipeline[] = [];
    let learned = 0;
    for (let k = 0; k < monitors.length; k++) {
      const m = monitors[k];
      if (!(m instanceof AnomalyMonitor)) fail('E_TYPE', 'model ' + k + ' is not an AnomalyMonitor');
      const a = monitors[0];
      same('window configuration (fingerprint)', k, windowFingerprint(a.window), windowFingerprint(m.window));
      same('hop', k, a.hop, m.hop);
      same('alarm k', k, a.alarmFilter.k, m.alarmFilter.k);
      same('alarm n', k, a.alarmFilter.n, m.alarmFilter.n);
      pipes.push(new Pipeline(m.learnedSteps()));
      learned += m.learned;
    }
    const steps = Pipeline.merge(pipes, weights).steps.slice();
    const det = steps.pop() as Detector;
    const w = monitors[0].window;
    const out = new AnomalyMonitor({
      window: w === null ? undefined : emptyCopy(w), hop: monitors[0].hop, stages: steps as Transformer[], detector: det,
      alarm: { k: monitors[0].alarmFilter.k, n: monitors[0].alarmFilter.n },
    });
    mutable(out).learned = learned;
    return out;
  }

  /**
   * Rebuilds a monitor from {@link toBytes}: `classes` are the model classes
   * the chain may hold (Pipeline is implied), `window` a fresh window of the
   * configuration it was saved with (E_TYPE otherwise), `hop` and `alarm` as
   * when it was made.
   */
  static fromBytes(bytes: Uint8Array, classes: ReadonlyArray<ModelClass>, opts?: { window?: WindowFeatures; hop?: number; alarm?: AlarmFilterOptions }): AnomalyMonitor {
    if (!(bytes instanceof Uint8Array) || bytes.length < 5) return fail('E_CORRUPT', 'not a saved AnomalyMonitor');
    const window = opts && opts.window;
    const f = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
    if (f !== windowFingerprint(window === undefined ? null : window)) fail('E_TYPE', 'the saved monitor was made for another window configuration');
    const p = loadModel(bytes.subarray(4), [Pipeline as unknown as ModelClass].concat(classes), Pipeline as unknown as ModelClass<Pipeline>) as Pipeline;
    const steps = p.steps.slice();
    const det = steps.pop();
    if (!(det instanceof Detector)) return fail('E_TYPE', 'the saved chain does not end in an anomaly detector');
    return new AnomalyMonitor({ window, stages: steps as Transformer[], detector: det, hop: opts && opts.hop, alarm: opts && opts.alarm });
  }
}

/** A window of w's configuration with no samples in it. */
function emptyCopy(w: WindowFeatures): WindowFeatures {
  const c = loadModel(w.toBytes(), [WindowFeatures as unknown as ModelClass], WindowFeatures as unknown as ModelClass<WindowFeatures>) as WindowFeatures;
  const m = mutable(c);
  m.count = 0;
  m.pos = 0;
  m.pending = 0;
  for (let i = 0; i < c.ring.length; i++) c.ring[i] = 0;
  return c;
}

/** CRC-32 of a window's configuration (its blob without count, position and ring); 0 without a window. */
function windowFingerprint(w: WindowFeatures | null): number {
  if (w === null) return 0;
  const b = w.toBytes();
  // the payload ends with u32 count, u32 pos, u8 pending and the ring, then the blob's CRC
  const end = b.length - 4 - (9 + w.ring.length * 4);
  return crc32(b, 12, end);
}
