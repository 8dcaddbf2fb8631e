/**
 * The vibration monitor's logic, the same on every runtime: a learning
 * phase (a duration, or until the button or a command ends it), then
 * monitoring; the learned model persists in a ModelStore (power-safe) and
 * is reloaded at boot; a relearn command starts over. Time is counted in
 * samples (seconds = samples / rate), so a run gives the same verdicts,
 * reports and model bytes on every engine.
 *
 * It reports only state, through {@link MonitorEvents}: OK / anomaly when it
 * changes, the similarity (0–100) at a slow interval, a heartbeat.
 */
import { ModelStore } from '../../src/storage.js';
import { WindowFeatures } from '../../src/window.js';
import { AnomalyMonitor } from '../../algorithms/anomaly/monitor.js';
import { MONITOR_RECIPE, Recipe, completeRecipe, signalMonitor } from '../../algorithms/anomaly/recipe.js';
import { calibrationStart, classesOf } from '../../algorithms/anomaly/evaluate.js';

/** Settings of {@link VibrationMonitor}. */
export interface MonitorSettings {
  /** Sampling rate of the accelerometer, Hz. */
  rate: number;
  /** Length of the learning phase, s; 0: until {@link VibrationMonitor.finishLearning} (the button). */
  learnSeconds: number;
  /** Seconds between similarity reports (default 60). */
  similarityEvery?: number;
  /** Seconds between heartbeats (default 300). */
  heartbeatEvery?: number;
  /** Seconds between saves of the (slowly adapting) model while monitoring (default 3600). */
  saveEvery?: number;
  /** The recipe (default the monitor's: MONITOR_RECIPE). */
  recipe?: Recipe;
  /** Name of the model in the store (default "vibmon"). */
  modelName?: string;
}

export type Mode = 'learning' | 'monitoring';

/** What the monitor tells the outside world. */
export interface MonitorEvents {
  /** The mode changed (also right after start). */
  mode(mode: Mode, seconds: number): void;
  /** The debounced state changed: true = anomaly. */
  state(anomaly: boolean, similarity: number, seconds: number): void;
  /** The slow similarity report. */
  similarity(similarity: number, seconds: number): void;
  /** Alive, at heartbeatEvery. */
  heartbeat(seconds: number): void;
}

/**
 * @example
 * const m = new VibrationMonitor({ rate: 3200, learnSeconds: 600 }, store, events);
 * m.start();
 * // the sensor driver: for every FIFO block
 * m.feed(block, count);
 */
export class VibrationMonitor {
  readonly settings: Required<MonitorSettings>;
  readonly store: ModelStore | null;
  readonly events: MonitorEvents;
  mode: Mode;
  monitor: AnomalyMonitor;
  /** The debounced state last reported. */
  anomaly: boolean;
  /** Samples fed since start. */
  samples: number;
  /** Verdicts since the monitoring phase started. */
  verdicts: number;
  /** Verdicts with the alarm on. */
  alarms: number;
  /** Saves made. */
  saves: number;
  private learnUntil: number;
  /** Sample count at which the threshold's calibration restarts (duration mode), or -1. */
  private calibrateFrom: number;
  private nextSimilarity: number;
  private nextHeartbeat: number;
  private nextSave: number;
  private readonly every: { sim: number; beat: number; save: number };

  constructor(settings: MonitorSettings, store: ModelStore | null, events: MonitorEvents) {
    const s = settings;
    if (!(s.rate >= 1 && s.rate <= 1000000 && Math.floor(s.rate) === s.rate)) throw new Error('rate must be an integer 1..1000000 Hz');
    if (!(s.learnSeconds >= 0)) throw new Error('learnSeconds must be ≥ 0');
    this.settings = {
      rate: s.rate,
      learnSeconds: s.learnSeconds,
      similarityEvery: s.similarityEvery === undefined ? 60 : s.similarityEvery,
      heartbeatEvery: s.heartbeatEvery === undefined ? 300 : s.heartbeatEvery,
      saveEvery: s.saveEvery === undefined ? 3600 : s.saveEvery,
      recipe: completeRecipe(s.recipe === undefined ? MONITOR_RECIPE : s.recipe),
      modelName: s.modelName === undefined ? 'vibmon' : s.modelName,
    };
    this.store = store;
    this.events = events;
    this.mode = 'learning';
    this.monitor = this.fresh();
    this.anomaly = false;
    this.samples = 0;
    this.verdicts = 0;
    this.alarms = 0;
    this.saves = 0;
    this.learnUntil = 0;
    this.calibrateFrom = -1;
    this.nextSimilarity = 0;
    this.nextHeartbeat = 0;
    this.nextSave = 0;
    const r = this.settings.rate;
    this.every = { sim: Math.round(this.settings.similarityEvery * r), beat: Math.round(this.settings.heartbeatEvery * r), save: Math.round(this.settings.saveEvery * r) };
  }

  private fresh(): AnomalyMonitor {
    return signalMonitor(this.settings.recipe, 1, this.settings.rate);
  }

  /** Seconds since start (sample time). */
  seconds(): number {
    return this.samples / this.settings.rate;
  }

  /** Boots: the saved model if there is a compatible one (then monitoring), else a learning phase. */
  start(): void {
    this.events.heartbeat(this.seconds());
    this.nextHeartbeat = this.samples + this.every.beat;
    const saved = this.load();
    if (saved !== null) {
      this.monitor = saved;
      this.enter('monitoring');
    } else this.relearn();
  }

  /** Forgets the model and starts a learning phase (the relearn command). */
  relearn(): void {
    this.monitor = this.fresh();
    if (this.store !== null) this.store.remove(this.settings.modelName);
    const n = Math.round(this.settings.learnSeconds * this.settings.rate);
    this.learnUntil = n > 0 ? this.samples + n : Infinity;
    // the threshold from the last part of a learning phase of known length (all of it with the button)
    const c = n > 0 ? calibrationStart(this.settings.recipe, n, true) : 0;
    this.calibrateFrom = c > 0 ? this.samples + c : -1;
    this.anomaly = false;
    this.enter('learning');
  }

  /** Ends the learning phase now (the button, or a command); false when too little was learned. */
  finishLearning(): boolean {
    if (this.mode !== 'learning') return false;
    if (this.monitor.detector.cal.total === 0) return false;
    this.save();
    this.enter('monitoring');
    return true;
  }

  /** Feeds count Q16.16 samples (g · 65536) from block[0 …]. */
  feed(block: Int32Array, count: number): void {
    let i = 0;
    const m = this.monitor;
    while (i < count) {
      let n = count - i;
      if (this.mode === 'learning') {
        if (this.samples === this.calibrateFrom) this.monitor.restartCalibration();
        if (this.calibrateFrom > this.samples && this.calibrateFrom - this.samples < n) n = this.calibrateFrom - this.samples;
        if (this.learnUntil - this.samples < n) n = this.learnUntil - this.samples;
      }
      if (n <= 0) {
        // the learning time is up: monitor from here on (or learn one more second if nothing could be calibrated yet:
        // the threshold needs scores of learned windows after the detector's warm-up)
        if (!this.finishLearning()) this.learnUntil = this.samples + this.settings.rate;
        continue;
      }
      const used = this.monitor.feedQ(block, i, n, this.mode === 'learning');
      i += used;
      this.samples += used;
      if (this.mode === 'monitoring' && m === this.monitor && this.monitor.fresh) this.verdict();
      this.timers();
    }
  }

  private verdict(): void {
    const m = this.monitor;
    this.verdicts++;
    if (m.alarm) this.alarms++;
    if (m.alarm !== this.anomaly) {
      this.anomaly = m.alarm;
      this.events.state(this.anomaly, m.similarity(), this.seconds());
    }
  }

  private timers(): void {
    if (this.samples >= this.nextHeartbeat) {
      this.nextHeartbeat = this.samples + this.every.beat;
      this.events.heartbeat(this.seconds());
    }
    if (this.mode !== 'monitoring') return;
    if (this.samples >= this.nextSimilarity && this.monitor.verdicts > 0) {
      this.nextSimilarity = this.samples + this.every.sim;
      this.events.similarity(this.monitor.similarity(), this.seconds());
    }
    if (this.samples >= this.nextSave) this.save();
  }

  private enter(mode: Mode): void {
    this.mode = mode;
    this.verdicts = 0;
    this.alarms = 0;
    this.nextSimilarity = this.samples + this.every.sim;
    this.nextSave = this.samples + this.every.save;
    this.monitor.resetAlarm();
    this.events.mode(mode, this.seconds());
  }

  /** Saves the model (power-safe: the previous copy stays until this one is complete). */
  save(): void {
    this.nextSave = this.samples + this.every.save;
    if (this.store === null) return;
    this.store.save(this.settings.modelName, this.monitor);
    this.saves++;
  }

  /** The saved monitor, or null when there is none or it does not fit this recipe (another window, rate or detector). */
  private load(): AnomalyMonitor | null {
    if (this.store === null) return null;
    const template = this.fresh();
    const s = this.settings;
    try {
      return this.store.load(s.modelName, function (b: Uint8Array) {
        const m = AnomalyMonitor.fromBytes(b, classesOf(template), { window: template.window as WindowFeatures, hop: template.hop, alarm: { k: template.alarmFilter.k, n: template.alarmFilter.n } });
        if (m.detector.constructor !== template.detector.constructor) throw new Error('another detector');
        return m;
      });
    } catch (e) {
      return null; // another recipe's model (E_TYPE, E_CORRUPT, E_OPTION): learn again
    }
  }
}
