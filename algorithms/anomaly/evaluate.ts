/**
 * Scoring a recipe on labelled recordings, the way it would run on site: a
 * fresh monitor per recording learns its first part, then monitors the rest.
 * Used by `microlearn evaluate-anomaly` and the benchmarks; no I/O here.
 */
import { fail } from '../../src/errors.js';
import { Recipe, completeRecipe, rowMonitor, signalMonitor } from './recipe.js';
import { AnomalyMonitor } from './monitor.js';
import { WindowFeatures } from '../../src/window.js';

/** Confusion counts of the debounced alarm against the labels. */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** F1, false-alarm rate (false alarms / normal rows) and missed-alarm rate (missed / anomalous rows); NaN where undefined (F1 and MAR without anomalous rows). */
export function rates(c: Counts): { f1: number; far: number; mar: number } {
  return {
    f1: c.tp + c.fn === 0 ? NaN : (2 * c.tp) / (2 * c.tp + c.fp + c.fn),
    far: c.fp + c.tn === 0 ? NaN : c.fp / (c.fp + c.tn),
    mar: c.fn + c.tp === 0 ? NaN : c.fn / (c.fn + c.tp),
  };
}

/** Sum of counts. */
export function addCounts(a: Counts, b: Counts): Counts {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn, tn: a.tn + b.tn };
}

/** Index (row or sample) of a learning phase of `learn` from which the recipe's threshold is calibrated. */
export function calibrationStart(recipe: Recipe, learn: number, signal?: boolean): number {
  const r = completeRecipe(recipe);
  const s = r.signal as { calibrateLast?: number };
  const f = (signal && s.calibrateLast !== undefined ? s.calibrateLast : r.calibrateLast) as number;
  return f >= 1 ? 0 : Math.floor(learn * (1 - f));
}

/** A labelled table: rows of numbers, one label per row (1 anomalous, 0 normal; null: every row normal). */
export interface LabelledRows {
  name: string;
  rows: ArrayLike<number>[];
  labels: ArrayLike<number> | null;
}

/** Result for one table. */
export interface RowResult {
  name: string;
  counts: Counts;
  /** Bytes of learned state of the monitor. */
  stateBytes: number;
  /** Rows scored. */
  scored: number;
}

/**
 * Learns rows [0, learn) of the table with a fresh monitor built from the
 * recipe, then monitors the rest, comparing the debounced alarm of each row
 * with its label.
 */
export function evaluateRows(recipe: Recipe, t: LabelledRows, learn: number): RowResult {
  if (t.rows.length <= learn) fail('E_INPUT', t.name + ': ' + t.rows.length + ' rows, but ' + learn + ' are to be learned: nothing left to score');
  const m = rowMonitor(recipe, t.rows[0].length);
  const cal = calibrationStart(recipe, learn);
  for (let i = 0; i < learn; i++) {
    if (i === cal) m.restartCalibration();
    m.learnOne(t.rows[i]);
  }
  if (m.learned === 0) fail('E_INPUT', t.name + ': the learning part is shorter than the recipe\'s window');
  if (m.detector.cal.total === 0) fail('E_INPUT', t.name + ': ' + m.learned + ' learned rows leave no score for the threshold after the detector\'s warm-up (' + m.detector.cal.warmup + '): learn more rows');
  const c: Counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = learn; i < t.rows.length; i++) {
    m.monitorOne(t.rows[i]);
    const a = m.alarm;
    const y = t.labels !== null && t.labels[i] === 1;
    if (a && y) c.tp++;
    else if (a) c.fp++;
    else if (y) c.fn++;
    else c.tn++;
  }
  return { name: t.name, counts: c, stateBytes: m.stateBytes, scored: t.rows.length - learn };
}

/** A single-channel recording as Q16.16 samples. */
export interface Recording {
  name: string;
  samples: Int32Array;
}

/** What one monitor made of one recording. */
export interface SignalResult {
  /** The normal recording whose first part the monitor learned. */
  machine: string;
  name: string;
  /** 'normal' (the rest of the learned recording) or 'faulty'. */
  kind: 'normal' | 'faulty';
  /** Verdicts given (windows). */
  windows: number;
  /** Windows whose score was above the threshold. */
  flagged: number;
  /** Windows during which the debounced alarm was on. */
  alarmed: number;
  /** Seconds from the start of the monitored part to the first debounced alarm (NaN: none). */
  firstAlarm: number;
  /** Seconds monitored. */
  seconds: number;
}

/** Monitors samples from `from` on; fills the counts of `r`. */
function monitorRecording(m: AnomalyMonitor, x: Int32Array, from: number, rate: number, r: SignalResult): void {
  let i = from;
  while (i < x.length) {
    i += m.feedQ(x, i, x.length - i, false);
    if (!m.fresh) continue;
    r.windows++;
    if (m.flagged) r.flagged++;
    if (m.alarm) {
      r.alarmed++;
      if (r.firstAlarm !== r.firstAlarm) r.firstAlarm = (i - from) / rate;
    }
  }
  r.seconds = (x.length - from) / rate;
}

/**
 * Signal mode: for each normal recording, a fresh monitor learns its first
 * `learnSeconds` and then monitors the rest of it (false alarms) and each
 * faulty recording from its start (detections), every one from the state
 * right after learning.
 */
export function evaluateSignals(recipe: Recipe, rate: number, learnSeconds: number, normal: Recording[], faulty: Recording[]): { results: SignalResult[]; stateBytes: number } {
  const results: SignalResult[] = [];
  let stateBytes = 0;
  const learn = Math.floor(learnSeconds * rate);
  for (let k = 0; k < normal.length; k++) {
    const n = normal[k];
    if (n.samples.length <= learn) fail('E_INPUT', n.name + ': ' + (n.samples.length / rate).toFixed(2) + ' s long, shorter than the ' + learnSeconds + ' s to learn');
    const m = signalMonitor(recipe, 1, rate);
    const cal = calibrationStart(recipe, learn, true);
    let i = 0;
    while (i < cal) i += m.feedQ(n.samples, i, cal - i, true);
    if (cal > 0) m.restartCalibration();
    while (i < learn) i += m.feedQ(n.samples, i, learn - i, true);
    if (m.detector.cal.total === 0)
      fail('E_INPUT', n.name + ': ' + learnSeconds + ' s give ' + m.learned + ' windows, too few to set the threshold after the detector\'s warm-up (' + m.detector.cal.warmup + ' windows): learn longer');
    stateBytes = m.stateBytes;
    const saved = m.toBytes();
    const fresh = (): AnomalyMonitor =>
      AnomalyMonitor.fromBytes(saved, classesOf(m), { window: signalMonitor(recipe, 1, rate).window as WindowFeatures, hop: m.hop, alarm: { k: m.alarmFilter.k, n: m.alarmFilter.n } });
    const rest: SignalResult = { machine: n.name, name: n.name, kind: 'normal', windows: 0, flagged: 0, alarmed: 0, firstAlarm: NaN, seconds: 0 };
    monitorRecording(fresh(), n.samples, learn, rate, rest);
    results.push(rest);
    for (let j = 0; j < faulty.length; j++) {
      const r: SignalResult = { machine: n.name, name: faulty[j].name, kind: 'faulty', windows: 0, flagged: 0, alarmed: 0, firstAlarm: NaN, seconds: 0 };
      monitorRecording(fresh(), faulty[j].samples, 0, rate, r);
      results.push(r);
    }
  }
  return { results, stateBytes };
}

/** The model classes of a monitor's chain (for fromBytes). */
export function classesOf(m: AnomalyMonitor): ReadonlyArray<never> {
  const out: unknown[] = [];
  const steps = m.steps();
  for (let i = 0; i < steps.length; i++) out.push(steps[i].constructor);
  return out as never[];
}

/** Options of {@link parseTable}. */
export interface TableOptions {
  /** Column separator (default ','). */
  sep?: string;
  /** Name of the label column (1 or non-zero: anomalous). A table without it is all normal. */
  label?: string;
  /** Columns to ignore (time stamps, other labels). Names a table does not have are ignored. */
  drop?: string[];
}

/**
 * Parses a delimited text table with a header line into feature rows and
 * labels. Every kept cell must be a finite number (E_INPUT names the line
 * and column otherwise). Returns the kept column names too.
 */
export function parseTable(name: string, text: string, opts?: TableOptions): LabelledRows & { columns: string[]; hasLabel: boolean } {
  const o = opts === undefined ? {} : opts;
  const sep = o.sep === undefined ? ',' : o.sep;
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length < 2) fail('E_INPUT', name + ': no data rows');
  const header = lines[0].split(sep).map((s) => s.trim());
  const drop = o.drop === undefined ? [] : o.drop;
  const li = o.label === undefined ? -1 : header.indexOf(o.label);
  const keep: number[] = [];
  for (let j = 0; j < header.length; j++) if (j !== li && drop.indexOf(header[j]) < 0) keep.push(j);
  if (keep.length === 0) fail('E_INPUT', name + ': no feature columns left');
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(sep);
    if (cells.length !== header.length) fail('E_INPUT', name + ': line ' + (i + 1) + ' has ' + cells.length + ' cells, the header ' + header.length);
    const r = new Float64Array(keep.length);
    for (let j = 0; j < keep.length; j++) {
      const s = cells[keep[j]].trim();
      const v = s === '' ? NaN : Number(s);
      if (v !== v || v === Infinity || v === -Infinity) fail('E_INPUT', name + ': line ' + (i + 1) + ', column ' + header[keep[j]] + ': not a number: ' + JSON.stringify(cells[keep[j]]));
      r[j] = v;
    }
    rows.push(r);
    if (li >= 0) {
      const v = Number(cells[li].trim());
      if (v !== v) fail('E_INPUT', name + ': line ' + (i + 1) + ': label ' + JSON.stringify(cells[li]) + ' is not a number');
      labels.push(v !== 0 ? 1 : 0);
    }
  }
  return { name, rows, labels: li >= 0 ? labels : null, columns: keep.map((j) => header[j]), hasLabel: li >= 0 };
}
