/**
 * The vibration monitor's detector as a fleet (issue 14 §4, docs/fleet.md):
 * N = 2, 5, 10, 20 simulated pumps (examples/vibration-monitor/sim.ts), each
 * mounted a little differently (imbalance, misalignment, machine noise,
 * resonance, speed) and each learning only two of the five load levels the
 * fleet runs at (non-IID). Every pump learns its own monitor (the monitor's
 * recipe, raw samples through `feedQ`, the threshold from the second half as
 * on the device); the fleet's monitor is `AnomalyMonitor.merge` of the pumps'
 * own monitors (statistics: each pump reports the statistics of its own data
 * only); central is one detector learned on every pump's feature vectors,
 * interleaved as they happen. Each pump then monitors with each of the three
 * (a copy each: monitoring adapts): healthy running through all five load
 * levels (false alarms per hour, on the loads the pump learned and on those
 * it never saw) and the injected faults (recall within the fault's first
 * minute, time to detect). Then bytes per device per day of the fleet's model
 * traffic against the monitor's own status traffic and raw streaming.
 *
 * The features of each run are computed once and replayed into the three
 * detectors (the chain after the window is exactly what the monitor runs;
 * checked against a raw-fed monitor at the start).
 *
 *   npm run bench:fleet-vibration   (node build/bench/fleet-vibration.js --quick: a smoke run)
 */
import { loadavg } from 'node:os';
import { crc32 } from '../src/crc32.js';
import { ModelClass } from '../src/learner.js';
import { loadModel } from '../src/load.js';
import { WindowFeatures } from '../src/window.js';
import { Detector } from '../algorithms/anomaly/detector.js';
import { GaussianScorer } from '../algorithms/anomaly/gaussian_scorer.js';
import { AnomalyMonitor } from '../algorithms/anomaly/monitor.js';
import { MONITOR_RECIPE, signalMonitor } from '../algorithms/anomaly/recipe.js';
import { calibrationStart } from '../algorithms/anomaly/evaluate.js';
import { encodeGlobal, encodeReport } from '../integrations/fleet.js';
import { HomeAssistant } from '../integrations/homeassistant.js';
import { publishPacket } from '../integrations/mqtt-packets.js';
import { MonitorDevice } from '../examples/vibration-monitor/device.js';
import { Fault, Machine, MachineOptions, Scenario, Segment } from '../examples/vibration-monitor/sim.js';
import { machine, table, writeSection } from './report.js';

const RATE = 3200;
const RPM = 1796;
/** Learning phase per pump, s (as the monitor's benchmark). */
const LEARN = 600;
/** `--quick`: a smoke run (2 and 5 pumps, 5 minutes of healthy running) that writes nothing. */
const QUICK = process.argv.indexOf('--quick') > 0;
/** Healthy running per pump after learning, minutes. */
const HEALTHY = QUICK ? 5 : 30;
/** Fault runs: healthy seconds before the onset, then seconds of the fault. */
const BEFORE = 20;
const AFTER = 60;
const SIZES = QUICK ? [2, 5] : [2, 5, 10, 20];
const LEVELS = [0.2, 0.35, 0.5, 0.7, 0.9];
const ALARM = { k: 3, n: 5 };
const today = () => new Date().toISOString().slice(0, 10);

/** A deterministic uniform [0, 1) sequence (xorshift32). */
function uniform(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return function () {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

interface Pump {
  name: string;
  k: number;
  rpm: number;
  machine: MachineOptions;
  /** Indices into LEVELS of the two loads it learns. */
  learns: number[];
}

/** Pump k (`identical`: the simulator's default mounting and speed): its own mounting (±20 % imbalance and misalignment, ±10 % noise, resonance 1.1–1.3 kHz, speed ±2 %) and two load levels. */
function pump(k: number, identical: boolean): Pump {
  const u = uniform(7919 * (k + 1));
  const rpm = identical ? RPM : RPM * (0.98 + 0.04 * u());
  return {
    name: 'pump' + (k < 10 ? '0' : '') + k,
    k: k,
    rpm: rpm,
    machine: identical
      ? { rate: RATE, rpm: rpm }
      : { rate: RATE, rpm: rpm, imbalance: 0.05 * (0.8 + 0.4 * u()), misalignment: 0.02 * (0.8 + 0.4 * u()), machineNoise: 0.03 * (0.9 + 0.2 * u()), resonance: 1100 + 200 * u() },
    learns: [k % 5, (k + 2) % 5],
  };
}

function machineOf(p: Pump, seed: number, load: number): Machine {
  const o: MachineOptions = {};
  for (const key in p.machine) (o as { [k: string]: unknown })[key] = (p.machine as { [k: string]: unknown })[key];
  o.seed = seed;
  o.load = load;
  return new Machine(o);
}

/** Ten minutes through the pump's two loads at speeds ±3 % (as `learningPhase`). */
function learning(p: Pump): Segment[] {
  const speeds = [1, 0.97, 1.03, 1, 0.98, 1.02, 1, 0.97, 1.03, 1];
  const out: Segment[] = [];
  for (let i = 0; i < 10; i++) out.push({ seconds: LEARN / 10, load: LEVELS[p.learns[i % 2]], rpm: p.rpm * speeds[i] });
  return out;
}

/** Healthy running: every 1–3 minutes another of the five load levels (never the same twice running), speed ±3 %. */
function healthy(p: Pump): { segments: Segment[]; levels: number[] } {
  const u = uniform(104729 * (p.k + 1));
  const segments: Segment[] = [];
  const levels: number[] = [];
  let t = 0;
  let last = -1;
  while (t < HEALTHY * 60) {
    let l = Math.floor(u() * LEVELS.length);
    if (l === last) l = (l + 1) % LEVELS.length;
    const len = Math.min(60 + Math.floor(u() * 120), HEALTHY * 60 - t);
    segments.push({ seconds: len, load: LEVELS[l], rpm: p.rpm * (0.97 + 0.06 * u()) });
    levels.push(l);
    last = l;
    t += len;
  }
  return { segments, levels };
}

interface FaultCase {
  name: string;
  segment: Segment;
}

const FAULTS: FaultCase[] = [];
for (const sev of [0.05, 0.1])
  for (const kind of ['outer', 'inner', 'ball'] as Fault[]) FAULTS.push({ name: kind + (kind === 'ball' ? '' : ' race') + ', impacts ' + sev + ' g', segment: { seconds: AFTER, fault: kind, severity: sev } });
for (const a of [0.025, 0.05]) FAULTS.push({ name: 'imbalance +' + a + ' g at 1×', segment: { seconds: AFTER, imbalance: a } });
for (const a of [0.01, 0.02]) FAULTS.push({ name: 'misalignment +' + a + ' g at 2×', segment: { seconds: AFTER, misalignment: a } });

/** Feature vectors of a run, one per window (hop = window size), with the segment each one ends in. */
interface Run {
  vectors: Int32Array;
  n: number;
  segment: Int32Array;
}

const TEMPLATE = signalMonitor(MONITOR_RECIPE, 1, RATE);
const WIDTH = TEMPLATE.detector.nFeatures;
const WIN = (TEMPLATE.window as WindowFeatures).windowSize;
if (TEMPLATE.hop !== WIN) throw new Error('the bench assumes one verdict per window');

function freshWindow(): WindowFeatures {
  return signalMonitor(MONITOR_RECIPE, 1, RATE).window as WindowFeatures;
}

function vectorsOf(sc: Scenario): Run {
  const total = Math.floor((sc.duration() * RATE) / WIN);
  const run: Run = { vectors: new Int32Array(total * WIDTH), n: 0, segment: new Int32Array(total) };
  const w = freshWindow();
  const block = new Int32Array(WIN);
  const out = new Int32Array(WIDTH);
  while (run.n < total && sc.fillQ(block, WIN) === WIN) {
    w.pushBlockQ(block, 0, WIN);
    w.featuresQ(out);
    run.vectors.set(out, run.n * WIDTH);
    run.segment[run.n++] = sc.segment;
  }
  return run;
}

interface Learned {
  monitor: AnomalyMonitor;
  run: Run;
  /** Vectors learned before the calibration restarted. */
  calVectors: number;
}

/** The pump's own monitor, fed its raw learning phase as the device does (block path, threshold from the second half). */
function learnPump(p: Pump): Learned {
  const sc = new Scenario(machineOf(p, 1000 + p.k, LEVELS[p.learns[0]]), learning(p));
  const n = LEARN * RATE;
  const x = new Int32Array(n);
  if (sc.fillQ(x, n) !== n) throw new Error('short learning phase');
  const m = signalMonitor(MONITOR_RECIPE, 1, RATE);
  const cal = calibrationStart(MONITOR_RECIPE, n, true);
  const run: Run = { vectors: new Int32Array(Math.floor(n / WIN) * WIDTH), n: 0, segment: new Int32Array(0) };
  let calVectors = 0;
  let i = 0;
  const feed = (end: number) => {
    while (i < end) {
      i += m.feedQ(x, i, end - i, true);
      if (m.fresh) run.vectors.set(m.lastVector(), run.n++ * WIDTH);
    }
  };
  feed(cal);
  if (cal > 0) m.restartCalibration();
  calVectors = run.n;
  feed(n);
  if (m.detector.cal.total === 0) throw new Error(p.name + ': nothing calibrated');
  return { monitor: m, run, calVectors };
}

function copyOf(d: Detector): Detector {
  return loadModel(d.toBytes(), [d.constructor as unknown as ModelClass]) as Detector;
}

interface Replay {
  /** Vector indices where the alarm rose. */
  rises: number[];
  /** Vectors with the alarm on. */
  on: number;
  scores: number[] | null;
}

/** Monitors a run's vectors with a copy of `det` behind the recipe's debouncing (the monitor's chain after its window). */
function replay(det: Detector, run: Run, keepScores?: boolean): Replay {
  const m = new AnomalyMonitor({ detector: copyOf(det), alarm: ALARM });
  const r: Replay = { rises: [], on: 0, scores: keepScores ? [] : null };
  const v = new Int32Array(WIDTH);
  let was = false;
  for (let i = 0; i < run.n; i++) {
    v.set(run.vectors.subarray(i * WIDTH, (i + 1) * WIDTH));
    m.monitorOneQ(v);
    if (r.scores) r.scores.push(m.score);
    if (m.alarm) r.on++;
    if (m.alarm && !was) r.rises.push(i);
    was = m.alarm;
  }
  return r;
}

/** Central: one detector of the recipe learned on the pumps' learning vectors, interleaved, its threshold from the second half. */
function central(ls: Learned[]): Detector {
  const c = new AnomalyMonitor({ detector: signalMonitor(MONITOR_RECIPE, 1, RATE).detector, alarm: ALARM });
  const v = new Int32Array(WIDTH);
  const len = ls[0].run.n;
  for (let i = 0; i < len; i++) {
    if (i === ls[0].calVectors) c.restartCalibration();
    for (const l of ls) {
      if (l.run.n !== len || l.calVectors !== ls[0].calVectors) throw new Error('learning phases of different lengths');
      v.set(l.run.vectors.subarray(i * WIDTH, (i + 1) * WIDTH));
      c.learnOneQ(v);
    }
  }
  return c.detector;
}

interface PumpData {
  p: Pump;
  learned: Learned;
  healthy: Run;
  levels: number[];
  faults: Run[];
}

/** The replay agrees with a monitor fed the raw samples (pump 0, first fault run): scores and alarms bit for bit. */
function checkReplay(d: PumpData): void {
  const own = d.learned.monitor;
  const raw = AnomalyMonitor.fromBytes(own.toBytes(), [own.detector.constructor as unknown as ModelClass], { window: freshWindow(), hop: own.hop, alarm: ALARM });
  const sc = faultScenario(d.p, 0);
  const x = new Int32Array(Math.floor(sc.duration() * RATE));
  sc.fillQ(x, x.length);
  const scores: number[] = [];
  let i = 0;
  while (i < x.length) {
    i += raw.feedQ(x, i, x.length - i, false);
    if (raw.fresh) scores.push(raw.score);
  }
  const r = replay(own.detector, d.faults[0], true);
  const a = (r.scores as number[]).join(',');
  if (scores.length !== d.faults[0].n || scores.join(',') !== a) throw new Error('the replayed chain differs from the monitor fed raw samples');
}

function faultScenario(p: Pump, f: number): Scenario {
  const load = LEVELS[p.learns[0]];
  return new Scenario(machineOf(p, 3000 + 100 * p.k + f, load), [{ seconds: BEFORE, load: load, rpm: p.rpm }, FAULTS[f].segment]);
}

function simulate(p: Pump): PumpData {
  const learned = learnPump(p);
  const h = healthy(p);
  const hr = vectorsOf(new Scenario(machineOf(p, 2000 + p.k, h.segments[0].load as number), h.segments));
  const faults: Run[] = [];
  for (let f = 0; f < FAULTS.length; f++) faults.push(vectorsOf(faultScenario(p, f)));
  return { p, learned, healthy: hr, levels: h.levels, faults };
}

/** Seconds from the onset to the end of window i of a fault run. */
function delayOf(i: number): number {
  return ((i + 1) * WIN) / RATE - BEFORE;
}

interface Score {
  hours: number;
  seenHours: number;
  rises: number;
  seenRises: number;
  on: number;
  windows: number;
  detected: number;
  cases: number;
  delays: number[];
  preOnset: number;
  threshold: number;
  /** per fault: detections, delays */
  perFault: { hit: number; delays: number[] }[];
}

function emptyScore(): Score {
  return { hours: 0, seenHours: 0, rises: 0, seenRises: 0, on: 0, windows: 0, detected: 0, cases: 0, delays: [], preOnset: 0, threshold: 0, perFault: FAULTS.map(() => ({ hit: 0, delays: [] })) };
}

/** Scores pump d's runs with detector det into s. */
function evaluate(det: Detector, d: PumpData, s: Score): void {
  s.threshold += det.threshold();
  const r = replay(det, d.healthy);
  const seen = (i: number) => d.p.learns.indexOf(d.levels[d.healthy.segment[i]]) >= 0;
  const hourOf = WIN / RATE / 3600;
  for (let i = 0; i < d.healthy.n; i++) if (seen(i)) s.seenHours += hourOf;
  s.hours += d.healthy.n * hourOf;
  s.rises += r.rises.length;
  for (const i of r.rises) if (seen(i)) s.seenRises++;
  s.on += r.on;
  s.windows += d.healthy.n;
  for (let f = 0; f < FAULTS.length; f++) {
    const fr = replay(det, d.faults[f]);
    s.cases++;
    let first = -1;
    for (const i of fr.rises) {
      if (delayOf(i) < 0) s.preOnset++;
      else if (first < 0) first = i;
    }
    if (first >= 0) {
      s.detected++;
      s.delays.push(delayOf(first));
      s.perFault[f].hit++;
      s.perFault[f].delays.push(delayOf(first));
    }
  }
}

function median(v: number[]): number {
  if (v.length === 0) return NaN;
  const a = v.slice().sort((x, y) => x - y);
  return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
}

const per = (n: number, h: number) => (h > 0 ? (n / h).toFixed(2) : '—');
const sec = (v: number) => (v === v ? v.toFixed(1) + ' s' : '—');

// ---- bytes -----------------------------------------------------------------------------------------

/** The monitor's own MQTT traffic (MonitorDevice: Home Assistant discovery, availability, state), per day of monitoring. */
function statusTraffic(d: PumpData): { perDay: number; discovery: number } {
  const ha = new HomeAssistant({ id: d.p.name, name: 'Vibration monitor ' + d.p.name, model: 'microlearn vibration monitor', swVersion: '0.1.0' });
  let discovery = 0;
  let bytes = 0;
  let learningPhase = true;
  const dev = new MonitorDevice(ha, { rate: RATE, learnSeconds: LEARN }, null, (m) => {
    const b = publishPacket(m.topic, m.payload, m.retain).length;
    if (m.topic.endsWith('/config')) discovery += b;
    else if (!learningPhase) bytes += b;
    return true;
  });
  dev.announce();
  dev.vm.start();
  const feed = (sc: Scenario) => {
    const b = new Int32Array(32);
    for (;;) {
      const n = sc.fillQ(b, 32);
      if (n === 0) return;
      dev.vm.feed(b, n);
    }
  };
  feed(new Scenario(machineOf(d.p, 1000 + d.p.k, LEVELS[d.p.learns[0]]), learning(d.p).concat([{ seconds: 1 }])));
  if (dev.vm.mode !== 'monitoring') throw new Error('the device did not finish learning');
  learningPhase = false;
  const t0 = dev.vm.seconds();
  const h = healthy(d.p);
  feed(new Scenario(machineOf(d.p, 2000 + d.p.k, h.segments[0].load as number), h.segments));
  return { perDay: (bytes / (dev.vm.seconds() - t0)) * 86400, discovery };
}

function bytesSection(data: PumpData[], fleets: Measured[]): string {
  const status = statusTraffic(data[0]);
  const rawPacket = publishPacket('microlearn/pumps/pump00/raw', 'x'.repeat(64), false).length; // one 32-sample FIFO block of int16
  const rawPerDay = (rawPacket * RATE * 86400) / 32;
  const featPacket = publishPacket('microlearn/pumps/pump00/features', 'x'.repeat(WIDTH * 4), false).length; // a window's features as float32
  const featPerDay = (featPacket * RATE * 86400) / WIN;
  const rows: (string | number)[][] = [];
  for (const f of fleets) {
    const own = data[0].learned.monitor;
    const up = publishPacket('microlearn/pumps/' + data[0].p.name + '/model', encodeReport({ seq: 30, round: 29, samples: own.learned, model: own.toBytes() }), true).length;
    const names = data.slice(0, f.n).map((d) => d.p.name);
    const down =
      publishPacket('microlearn/pumps/global', encodeGlobal({ round: 30, samples: f.merged.learned, devices: names, model: f.merged.toBytes() }), true).length +
      publishPacket('microlearn/pumps/' + data[0].p.name + '/status', JSON.stringify({ seq: 30, ok: true, round: 30, error: '' }), true).length;
    rows.push([f.n, own.toBytes().length, up, down, up + down, Math.round(status.perDay), ((100 * (up + down)) / status.perDay).toFixed(1) + ' %', Math.round(featPerDay).toLocaleString('en-US'), Math.round(rawPerDay).toLocaleString('en-US'), Math.round(rawPerDay / (up + down)).toLocaleString('en-US') + '×']);
  }
  return (
    'Bytes per pump per day, one report a day. Model = `AnomalyMonitor.toBytes()` (4-byte window fingerprint + the Pipeline blob of the detector: statistics and threshold histogram). ' +
    'Up = its report on `microlearn/pumps/<pump>/model` (JSON with the blob in base64, the fleet protocol\'s `encodeReport`); down = the global model on `microlearn/pumps/global` ' +
    '(`encodeGlobal`, which lists the merged devices: it grows with N) and its status. Every figure is an MQTT 3.1.1 PUBLISH at QoS 0 as encoded (`publishPacket`: fixed header, topic, payload; ' +
    'TCP/IP not counted). Status traffic = what the monitor already sends (`MonitorDevice`: availability, state on change, similarity every 60 s), measured over ' + data[0].p.name + '\'s ' +
    HEALTHY + ' minutes of healthy running and scaled to a day (discovery, ' + status.discovery + ' bytes once per connection, not included). Streaming instead: every window\'s ' +
    WIDTH + ' features as float32, or the raw signal as int16 in 32-sample packets (an ADXL345 FIFO), ' + RATE + ' Hz.\n\n' +
    table(['N', 'model blob', 'fleet up', 'fleet down', 'fleet total', 'status traffic', 'fleet / status', 'features streamed', 'raw streamed', 'raw / fleet'], rows)
  );
}

// ---- the run -----------------------------------------------------------------------------------------

interface Measured {
  n: number;
  merged: AnomalyMonitor;
  scores: Score[];
  hash: string;
  coverage: string;
  /** Largest distance of the merged from the central means, in the central's standard deviations, and largest ratio of their variances − 1. */
  meanGap: number;
  varGap: number;
}

const KINDS = ['alone', 'fleet (merged)', 'central'];

/** The fleet of pumps 0 … n − 1: merged and central detectors, and every pump scored with each of the three. */
function measure(data: PumpData[], n: number): Measured {
  const part = data.slice(0, n);
  const before = part.map((d) => d.learned.monitor.toBytes().join(','));
  const merged = AnomalyMonitor.merge(part.map((d) => d.learned.monitor));
  part.forEach((d, i) => {
    if (d.learned.monitor.toBytes().join(',') !== before[i]) throw new Error('merge changed an input');
  });
  const cen = central(part.map((d) => d.learned));
  const dets: ((d: PumpData) => Detector)[] = [(d) => d.learned.monitor.detector, () => merged.detector, () => cen];
  const scores = dets.map((det) => {
    const sc = emptyScore();
    for (const d of part) evaluate(det(d), d, sc);
    return sc;
  });
  const covered: number[] = [];
  for (const d of part) for (const l of d.p.learns) if (covered.indexOf(l) < 0) covered.push(l);
  const mg = merged.detector as GaussianScorer;
  const cg = cen as GaussianScorer;
  let meanGap = 0;
  let varGap = 0;
  for (let j = 0; j < WIDTH; j++) {
    const sd = Math.sqrt(cg.variances()[j]);
    meanGap = Math.max(meanGap, Math.abs(mg.means()[j] - cg.means()[j]) / sd);
    varGap = Math.max(varGap, Math.abs(mg.variances()[j] / cg.variances()[j] - 1));
  }
  // the detector blob's own CRC-32: a CRC over bytes that end in their own CRC (the monitor's and the
  // Pipeline's blobs, which embed the detector's) depends only on their length, not on their content
  const db = merged.detector.toBytes();
  return {
    n, merged, scores, meanGap, varGap,
    hash: crc32(db, 0, db.length - 4).toString(16),
    coverage: covered.sort().map((l) => LEVELS[l]).join(', '),
  };
}

function alarmRows(ms: Measured[]): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (const m of ms)
    m.scores.forEach((s, k) => {
      const unseenH = s.hours - s.seenHours;
      rows.push([m.n, KINDS[k], (s.threshold / m.n).toFixed(2), s.hours.toFixed(1), s.rises, per(s.rises, s.hours), per(s.seenRises, s.seenHours), per(s.rises - s.seenRises, unseenH), ((100 * s.on) / s.windows).toFixed(2) + ' %']);
    });
  return rows;
}

function detectionRows(ms: Measured[]): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (const m of ms)
    m.scores.forEach((s, k) => {
      rows.push([m.n, KINDS[k], s.detected + ' / ' + s.cases, ((100 * s.detected) / s.cases).toFixed(0) + ' %', sec(median(s.delays)), sec(s.delays.length ? Math.max(...s.delays) : NaN), s.preOnset]);
    });
  return rows;
}

function simulateAll(identical: boolean, t0: number): PumpData[] {
  const data: PumpData[] = [];
  for (let k = 0; k < SIZES[SIZES.length - 1]; k++) {
    data.push(simulate(pump(k, identical)));
    if (k === 0) checkReplay(data[0]);
    process.stdout.write('simulated ' + (identical ? 'identical ' : '') + data[k].p.name + ' (' + ((Date.now() - t0) / 1000).toFixed(0) + ' s)\n');
  }
  return data;
}

function main(): void {
  const t0 = Date.now();
  const max = SIZES[SIZES.length - 1];
  const data = simulateAll(false, t0);
  const ms = SIZES.map((n) => measure(data, n));
  const big = ms[ms.length - 1];
  const faultRows: (string | number)[][] = FAULTS.map((f, i) => [f.name].concat(big.scores.map((s) => s.perFault[i].hit + ' / ' + max + (s.perFault[i].hit ? ', ' + sec(median(s.perFault[i].delays)) : ''))));
  const same = measure(simulateAll(true, t0), max);
  const gaps = ms.concat([same]);
  const seconds = (Date.now() - t0) / 1000;
  const md =
    'Measured ' + today() + ' (`npm run bench:fleet-vibration`, bench/fleet-vibration.ts, ' + seconds.toFixed(0) + ' s on ' + machine() + ', load average ' + loadavg().map((v) => v.toFixed(1)).join(' / ') + '). ' +
    max + ' simulated pumps (examples/vibration-monitor/sim.ts, ' + RATE + ' Hz), each mounted differently (imbalance and misalignment ±20 %, machine noise ±10 %, resonance 1.1–1.3 kHz, ' +
    'speed ±2 % around ' + RPM + ' rpm); the fleet runs at load levels ' + LEVELS.join(', ') + ' and pump k learns only two of them (levels k mod 5 and k + 2 mod 5; the loads some pump of the fleet learned: ' +
    ms.map((m) => 'N = ' + m.n + ': ' + m.coverage).join('; ') + '). N pumps = pumps 0 … N − 1. Each learns ' + LEARN / 60 + ' minutes (its two loads alternating every minute, speed ±3 %) with the monitor\'s recipe ' +
    '(GaussianScorer on 12 window features, threshold from the second half, adaptation while monitoring, alarm 3 of 5 windows of 0.32 s). **Alone** = its own monitor; **fleet** = `AnomalyMonitor.merge` of the N pumps\' own monitors ' +
    '(CRC-32 of the merged detector: ' + ms.map((m) => 'N = ' + m.n + ': ' + m.hash).join(', ') + '); **central** = one detector learned on all N pumps\' feature vectors interleaved. ' +
    'The merged statistics are the central detector\'s: means within ' + Math.max(...gaps.map((m) => m.meanGap)).toExponential(1) + ' standard deviations, variances within ' +
    (100 * Math.max(...gaps.map((m) => m.varGap))).toFixed(3) + ' % (every N); the two differ in their threshold, which the fleet takes from the pumps\' own scores (histograms added) and central from its own. ' +
    'Statistics merge exactly and each pump reports the statistics of its own data (not adopted global ones), so after R daily rounds of the same learning the fleet\'s monitor is this same merge: R decides only when it is available.\n\n' +
    '**False alarms**: ' + HEALTHY + ' minutes of healthy running per pump after learning, a new load level every 1–3 minutes (all five levels, speed ±3 %); an episode = the alarm rising. ' +
    '"Learned loads" / "other loads" split the time (and the episodes, by where they start) by whether the pump itself learned the level. Threshold = the mean over the N pumps of the threshold each uses.\n\n' +
    table(['N', 'detector', 'threshold', 'pump-hours', 'episodes', 'per hour', 'per hour, learned loads', 'per hour, other loads', 'windows alarmed'], alarmRows(ms)) +
    '\n\n**Detection**: for each pump and each of ' + FAULTS.length + ' faults, ' + BEFORE + ' s of healthy running at the first load the pump learned, then the fault for ' + AFTER + ' s ' +
    '(a fresh copy of the detector each time). Detected = an alarm within the ' + AFTER + ' s; delay = onset to the end of the window that raised it; false alarms before the onset in the last column.\n\n' +
    table(['N', 'detector', 'detected', 'recall', 'median delay', 'slowest', 'episodes before onset'], detectionRows(ms)) +
    '\n\nPer fault, N = ' + max + ' (pumps detecting it, median delay):\n\n' +
    table(['fault'].concat(KINDS), faultRows) +
    '\n\n**Identical pumps**: the same ' + max + ' pumps with the simulator\'s default mounting and speed (only the noise seeds and the two learned loads differ), to separate what the loads ' +
    'cost the fleet\'s detector from what the pumps\' differences cost (merged detector CRC-32 ' + same.hash + '):\n\n' +
    table(['N', 'detector', 'threshold', 'pump-hours', 'episodes', 'per hour', 'per hour, learned loads', 'per hour, other loads', 'windows alarmed'], alarmRows([same])) +
    '\n\n' + table(['N', 'detector', 'detected', 'recall', 'median delay', 'slowest', 'episodes before onset'], detectionRows([same])) +
    '\n\n' + bytesSection(data, ms);
  console.log(md);
  if (QUICK) return;
  writeSection('fleet-vibration', md, ['fleet.md']);
  console.log('wrote docs/fleet.md and docs/benchmarks.md in ' + ((Date.now() - t0) / 1000).toFixed(0) + ' s');
}

main();
