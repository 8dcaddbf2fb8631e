/**
 * The vibration monitor's benchmark (issue 12), written into docs/benchmarks.md
 * and docs/vibration-monitor-run.svg:
 *  - vibration-sim: on the simulated machine (examples/vibration-monitor/sim.ts,
 *    3.2 kHz), after a 10-minute learning phase through the machine's loads and
 *    speeds: false alarms per hour of healthy running with load and speed
 *    changes, and the delay from the onset of each fault to the first alarm;
 *  - vibration-cwru: the CWRU recordings (48 kHz), learned on the first 2 s of
 *    the healthy record;
 *  - vibration-mqtt: bytes sent per hour over MQTT against streaming the raw
 *    signal;
 *  - the plot of a simulated run (features, score, threshold, alarms).
 * Everything runs the device's own code (VibrationMonitor, MonitorDevice, the
 * monitor's recipe), TypeScript kernels on Node.
 *
 *   npx tsc -p . && node build/bench/vibration.js [--hours H] [--plot (the plot only)]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MemoryStorage, ModelStore } from '../src/storage.js';
import { HomeAssistant } from '../integrations/homeassistant.js';
import { publishPacket } from '../integrations/mqtt-packets.js';
import { MONITOR_RECIPE } from '../algorithms/anomaly/recipe.js';
import { Recording, evaluateSignals } from '../algorithms/anomaly/evaluate.js';
import { MonitorDevice } from '../examples/vibration-monitor/device.js';
import { Mode, MonitorEvents, VibrationMonitor } from '../examples/vibration-monitor/monitor.js';
import { Machine, Scenario, Segment } from '../examples/vibration-monitor/sim.js';
import { DEMO, DEMO_LEARN, healthyRunning, learningPhase } from '../examples/vibration-monitor/scenarios.js';
import { ROOT, machine, sharedData, table, writeSection } from './report.js';

const RATE = 3200;
const RPM = 1796;
const LEARN = 600;
const SEEDS = [1, 2, 3];
const today = () => new Date().toISOString().slice(0, 10);

/** Alarm edges of a run. */
class Edges implements MonitorEvents {
  rises: number[] = [];
  falls: number[] = [];
  mode(m: Mode, s: number): void {}
  state(anomaly: boolean, sim: number, s: number): void {
    (anomaly ? this.rises : this.falls).push(s);
  }
  similarity(): void {}
  heartbeat(): void {}
}

/** Feeds a scenario through a monitor in 32-sample blocks (an ADXL345 FIFO). */
function feed(vm: VibrationMonitor, sc: Scenario): void {
  const b = new Int32Array(32);
  for (;;) {
    const n = sc.fillQ(b, 32);
    if (n === 0) return;
    vm.feed(b, n);
  }
}

/** A monitor that has learned the seed's learning phase, and its store (to start fresh monitors from). */
function learned(seed: number): ModelStore {
  const store = new ModelStore(new MemoryStorage());
  const vm = new VibrationMonitor({ rate: RATE, learnSeconds: LEARN }, store, new Edges());
  vm.start();
  feed(vm, new Scenario(new Machine({ rate: RATE, seed }), learningPhase(RPM).concat([{ seconds: 1, load: 0.5 }])));
  if (vm.mode !== 'monitoring') throw new Error('learning did not end');
  return store;
}

/** A monitor resuming from the learned model in `store` (a copy: runs do not share adaptation). */
function resume(store: ModelStore, events: MonitorEvents): VibrationMonitor {
  const copy = new ModelStore(new MemoryStorage());
  copy.save('vibmon', store.read('vibmon') as Uint8Array);
  const vm = new VibrationMonitor({ rate: RATE, learnSeconds: LEARN }, copy, events);
  vm.start();
  return vm;
}

interface FaultCase {
  name: string;
  segment: Segment;
}

const FAULTS: FaultCase[] = [];
for (const sev of [0.02, 0.05, 0.1, 0.2]) {
  FAULTS.push({ name: 'outer race, impacts ' + sev + ' g', segment: { seconds: 300, fault: 'outer', severity: sev } });
  FAULTS.push({ name: 'inner race, impacts ' + sev + ' g', segment: { seconds: 300, fault: 'inner', severity: sev } });
  FAULTS.push({ name: 'ball, impacts ' + sev + ' g', segment: { seconds: 300, fault: 'ball', severity: sev } });
}
for (const a of [0.025, 0.05, 0.1]) FAULTS.push({ name: 'imbalance +' + a + ' g at 1×', segment: { seconds: 300, imbalance: a } });
for (const a of [0.01, 0.02, 0.05]) FAULTS.push({ name: 'misalignment +' + a + ' g at 2×', segment: { seconds: 300, misalignment: a } });

function simSection(hours: number): string {
  const stores = SEEDS.map(learned);
  // false alarms: healthy running after learning
  const faRows: (string | number)[][] = [];
  let totalRises = 0;
  let totalHours = 0;
  for (let k = 0; k < SEEDS.length; k++) {
    const e = new Edges();
    const vm = resume(stores[k], e);
    feed(vm, new Scenario(new Machine({ rate: RATE, seed: 100 + SEEDS[k] }), healthyRunning(RPM, hours * 60, SEEDS[k])));
    const h = vm.seconds() / 3600;
    totalRises += e.rises.length;
    totalHours += h;
    faRows.push([SEEDS[k], h.toFixed(2), vm.verdicts, e.rises.length, (e.rises.length / h).toFixed(2), ((100 * vm.alarms) / vm.verdicts).toFixed(3) + ' %', e.rises.slice(0, 4).map((s) => (s / 60).toFixed(0) + ' min').join(', ') || '—']);
  }
  // faults: 60 s healthy at load 0.5, then the fault for 300 s
  const fRows: (string | number)[][] = [];
  for (const f of FAULTS) {
    const delays: string[] = [];
    let fa = 0;
    for (let k = 0; k < SEEDS.length; k++) {
      const e = new Edges();
      const vm = resume(stores[k], e);
      const start = vm.seconds();
      feed(vm, new Scenario(new Machine({ rate: RATE, seed: 200 + SEEDS[k] }), [{ seconds: 60, load: 0.5, rpm: RPM }, f.segment]));
      const onset = start + 60;
      fa += e.rises.filter((s) => s < onset).length;
      const first = e.rises.find((s) => s >= onset);
      delays.push(first === undefined ? 'missed' : (first - onset).toFixed(1) + ' s');
    }
    fRows.push([f.name, delays.join(' / '), fa]);
  }
  const md =
    'Measured ' + today() + ' on ' + machine() + ' (`bench/vibration.ts`). The device\'s own code (`VibrationMonitor` with the monitor\'s recipe, TypeScript kernels) on the ' +
    'simulated machine at ' + RATE + ' Hz, ' + RPM + ' rpm, fed in 32-sample blocks: a ' + LEARN / 60 + '-minute learning phase stepping through loads 0.2–0.9 and speeds ±3 % ' +
    '(`learningPhase` in examples/vibration-monitor/scenarios.ts; the threshold comes from its second half), then monitoring with slow adaptation. ' +
    'An alarm is the debounced state (3 of 5 windows of 1,024 samples, 0.32 s each). Seeds ' + SEEDS.join(', ') + ' (one learned monitor per seed).\n\n' +
    '**False alarms** during healthy running with load changes every 1–3 minutes (load 0.2–0.9, speed ±3 %, `healthyRunning`):\n\n' +
    table(['seed', 'hours', 'verdicts', 'alarm episodes', 'per hour', 'windows with the alarm on', 'first episodes at'], faRows) +
    '\n\nAll seeds: ' + totalRises + ' false-alarm episodes in ' + totalHours.toFixed(1) + ' h = ' + (totalRises / totalHours).toFixed(2) + ' per hour.\n\n' +
    '**Detection delay**: 60 s of healthy running at load 0.5, then the fault for 300 s; delay from the onset to the first alarm, per seed (false-alarm episodes before the onset in the last column). ' +
    'Bearing faults are impacts at BPFO / BPFI / 2×BSF of an SKF 6205 ringing a 1.2 kHz resonance; for scale, the healthy signal is about 0.06 g RMS, imbalance 0.05–0.1 g.\n\n' +
    table(['fault', 'delay (seeds ' + SEEDS.join(' / ') + ')', 'false alarms before onset'], fRows);
  console.log(md);
  return md;
}

function cwruSection(dir: string): string {
  const v = join(dir, 'vibration');
  const read = (f: string): Recording => {
    const lines = gunzipSync(readFileSync(join(v, f))).toString('utf8').trim().split('\n').slice(1);
    const s = new Int32Array(lines.length);
    for (let i = 0; i < lines.length; i++) s[i] = Math.floor(Number(lines[i]) * 65536 + 0.5);
    return { name: f, samples: s };
  };
  const normal = [read('cwru_48k_de_normal_0hp_097.csv.gz')];
  const faulty = ['cwru_48k_de_ir007_0hp_109.csv.gz', 'cwru_48k_de_b007_0hp_122.csv.gz', 'cwru_48k_de_or007at6_0hp_135.csv.gz'].map(read);
  const rows: (string | number)[][] = [];
  let state = 0;
  for (const learn of [1, 2, 3]) {
    const { results, stateBytes } = evaluateSignals(MONITOR_RECIPE, 48000, learn, normal, faulty);
    state = stateBytes;
    for (const r of results)
      rows.push([learn + ' s', r.name, r.kind === 'normal' ? 'rest of the healthy record' : 'faulty', r.seconds.toFixed(2), r.windows, ((100 * r.flagged) / r.windows).toFixed(1) + ' %', ((100 * r.alarmed) / r.windows).toFixed(1) + ' %', r.firstAlarm !== r.firstAlarm ? 'none' : r.firstAlarm.toFixed(3) + ' s']);
  }
  const md =
    'Measured ' + today() + ' on ' + machine() + ' (`bench/vibration.ts`; the same as `microlearn evaluate-anomaly --signal --rate 48000 --learn-seconds S --normal … --faulty …`). ' +
    'CWRU drive-end recordings at 48 kHz, 0 HP: a fresh monitor learns the first S seconds of the healthy record 97, then monitors the rest of it and each 0.007" fault record ' +
    'from its start. Windows of 1,024 samples (21 ms); flagged = score above the threshold, alarmed = the debounced state; state ' + state + ' bytes (of which 4,109 are the sample ring). ' +
    'The monitor\'s signal settings were set on the simulator, not on these records.\n\n' +
    table(['learned', 'recording', 'kind', 'seconds', 'windows', 'flagged', 'alarmed', 'first alarm'], rows);
  console.log(md);
  return md;
}

function mqttSection(): string {
  // the device over a learning phase, 4 hours of healthy running and a fault, counting every PUBLISH packet
  const ha = new HomeAssistant({ id: 'vibration-1', name: 'Vibration monitor vibration-1', model: 'microlearn vibration monitor', swVersion: '0.1.0' });
  const counts: { [k: string]: { n: number; bytes: number } } = {};
  const dev = new MonitorDevice(ha, { rate: RATE, learnSeconds: LEARN }, null, (m) => {
    const kind = m.topic.endsWith('/config') ? 'discovery (once per connection)' : m.topic === ha.availabilityTopic ? 'availability (connect, heartbeat every 300 s)' : 'state (on change, similarity every 60 s)';
    const c = counts[kind] || (counts[kind] = { n: 0, bytes: 0 });
    c.n++;
    c.bytes += publishPacket(m.topic, m.payload, m.retain).length;
    return true;
  });
  dev.announce();
  dev.vm.start();
  const segs = learningPhase(RPM).concat(healthyRunning(RPM, 240, 7), [{ seconds: 600, load: 0.5, fault: 'outer', severity: 0.1 }]);
  feed(dev.vm, new Scenario(new Machine({ rate: RATE, seed: 7 }), segs));
  const hours = dev.vm.seconds() / 3600;
  const rows: (string | number)[][] = [];
  let total = 0;
  for (const k of Object.keys(counts)) {
    rows.push([k, counts[k].n, counts[k].bytes, Math.round(counts[k].bytes / hours)]);
    total += counts[k].bytes;
  }
  const raw16 = RATE * 2 * 3600;
  const features = 12 * 4 * (RATE / 1024) * 3600; // the feature vectors, as float32, one per window
  rows.push(['**all**', dev.messages, dev.bytes, Math.round(dev.bytes / hours)]);
  const md =
    'Measured ' + today() + ' (`bench/vibration.ts`): the device (`MonitorDevice`) through a 10-minute learning phase, 4 hours of healthy running and 10 minutes of an outer-race fault ' +
    '(' + hours.toFixed(2) + ' h), counting every MQTT PUBLISH packet it sends, exactly as encoded (QoS 0; header, topic and payload; TCP/IP and the 2-byte keep-alive pings every 60 s of ' +
    'silence are not counted). Compared with streaming the raw signal at ' + RATE + ' Hz as bare int16 samples (no framing at all).\n\n' +
    table(['messages', 'count', 'bytes', 'bytes per hour'], rows) +
    '\n\nStreaming instead: raw int16 samples ' + raw16.toLocaleString('en-US') + ' bytes/h (' + Math.round(raw16 / (total / hours)).toLocaleString('en-US') + '× more); ' +
    'the 12 features of every window as float32 ' + Math.round(features).toLocaleString('en-US') + ' bytes/h (' + Math.round(features / (total / hours)).toLocaleString('en-US') + '× more).';
  console.log(md);
  return md;
}

/** docs/vibration-monitor-run.svg: the DEMO run (what `npm run vibration-monitor -- --signal sim` does). */
function plot(): string {
  const rec: { t: number; rms: number; kurt: number; centroid: number; score: number; thr: number; alarm: boolean; learning: boolean }[] = [];
  const vm = new VibrationMonitor({ rate: RATE, learnSeconds: DEMO_LEARN }, null, new Edges());
  vm.start();
  const sc = new Scenario(new Machine({ rate: RATE, seed: 1 }), DEMO);
  const b = new Int32Array(32);
  for (;;) {
    const n = sc.fillQ(b, 32);
    if (n === 0) break;
    const before = vm.monitor.learned + vm.monitor.verdicts;
    vm.feed(b, n);
    if (vm.monitor.learned + vm.monitor.verdicts !== before) {
      const v = vm.monitor.lastVector();
      const learning = vm.mode === 'learning' || vm.monitor.verdicts === 0;
      rec.push({ t: vm.seconds(), rms: v[0] / 65536, kurt: v[1] / 65536, centroid: v[3] / 65536, score: learning ? NaN : vm.monitor.score / 65536, thr: vm.monitor.detector.cal.total > 0 ? vm.monitor.threshold() : NaN, alarm: !learning && vm.monitor.alarm, learning });
    }
  }
  const W = 1100;
  const L = 70;
  const R = 16;
  const H = 110;
  const GAP = 26;
  const T = DEMO.reduce((s, x) => s + x.seconds, 0);
  const X = (t: number) => L + ((W - L - R) * t) / T;
  let svg = '';
  let top = 30;
  const panel = (name: string, get: (r: (typeof rec)[0]) => number, lo: number, hi: number, color: string, extra?: (y: (v: number) => number) => string) => {
    const Y = (v: number) => top + H - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * H;
    svg += '<rect x="' + L + '" y="' + top + '" width="' + (W - L - R) + '" height="' + H + '" fill="none" stroke="#bbb"/>\n';
    svg += '<text x="' + (L - 6) + '" y="' + (top + 12) + '" text-anchor="end" font-size="11">' + hi + '</text><text x="' + (L - 6) + '" y="' + (top + H) + '" text-anchor="end" font-size="11">' + lo + '</text>\n';
    svg += '<text x="' + (L + 6) + '" y="' + (top + 14) + '" font-size="12" fill="' + color + '">' + name + '</text>\n';
    const pts: string[] = [];
    for (let i = 0; i < rec.length; i += 2) {
      const v = get(rec[i]);
      if (v === v) pts.push(X(rec[i].t).toFixed(1) + ',' + Y(v).toFixed(1));
    }
    svg += '<polyline fill="none" stroke="' + color + '" stroke-width="1" points="' + pts.join(' ') + '"/>\n';
    if (extra) svg += extra(Y);
    top += H + GAP;
  };
  // phases
  let faultAt = 0; // the onset: the segments before the first with a fault
  for (let i = 0; i < DEMO.length && !DEMO[i].fault; i++) faultAt += DEMO[i].seconds;
  svg += '<rect x="' + X(0) + '" y="10" width="' + (X(DEMO_LEARN) - X(0)) + '" height="14" fill="#cde"/><text x="' + (X(0) + 4) + '" y="21" font-size="11">learning</text>\n';
  svg += '<rect x="' + X(faultAt) + '" y="10" width="' + (X(T) - X(faultAt)) + '" height="14" fill="#fdc"/><text x="' + (X(faultAt) + 4) + '" y="21" font-size="11">outer-race fault: 0.05 g, 0.1 g, 0.2 g impacts</text>\n';
  panel('RMS (g)', (r) => r.rms, 0, 0.12, '#236');
  panel('kurtosis', (r) => r.kurt, 2, 5, '#639');
  panel('spectral centroid (Hz)', (r) => r.centroid, 0, 700, '#363');
  panel('score (log scale) and threshold (dashed)', (r) => Math.log10(Math.max(0.01, r.score)), -2, 3, '#a33', (Y) => {
    const pts: string[] = [];
    for (let i = 0; i < rec.length; i += 4) if (rec[i].thr === rec[i].thr && !rec[i].learning) pts.push(X(rec[i].t).toFixed(1) + ',' + Y(Math.log10(rec[i].thr)).toFixed(1));
    return '<polyline fill="none" stroke="#000" stroke-dasharray="4 3" stroke-width="1" points="' + pts.join(' ') + '"/>\n';
  });
  // alarm band
  let a = -1;
  svg += '<text x="' + (L - 6) + '" y="' + (top + 11) + '" text-anchor="end" font-size="11">alarm</text>\n';
  for (let i = 0; i <= rec.length; i++) {
    const on = i < rec.length && rec[i].alarm;
    if (on && a < 0) a = i;
    if (!on && a >= 0) {
      svg += '<rect x="' + X(rec[a].t).toFixed(1) + '" y="' + top + '" width="' + Math.max(1, X(rec[i - 1].t) - X(rec[a].t)).toFixed(1) + '" height="14" fill="#c33"/>\n';
      a = -1;
    }
  }
  top += 30;
  for (let t = 0; t <= T; t += 60) svg += '<text x="' + X(t) + '" y="' + top + '" text-anchor="middle" font-size="11">' + t / 60 + ' min</text>\n';
  const out = '<svg xmlns="http://www.w3.org/2000/svg" width="' + W + '" height="' + (top + 10) + '" font-family="sans-serif">\n' +
    '<rect width="100%" height="100%" fill="#fff"/>\n' + svg + '</svg>\n';
  writeFileSync(join(ROOT, 'docs', 'vibration-monitor-run.svg'), out);
  const first = rec.find((r) => r.alarm);
  return 'wrote docs/vibration-monitor-run.svg (' + rec.length + ' windows; first alarm at ' + (first ? first.t.toFixed(1) + ' s, fault onset ' + faultAt + ' s' : 'none') + ')';
}

function main(): void {
  const i = process.argv.indexOf('--hours');
  const hours = i > 0 ? Number(process.argv[i + 1]) : 2;
  console.log(plot());
  if (process.argv.indexOf('--plot') > 0) return; // the plot only
  writeSection('vibration-mqtt', mqttSection(), ['vibration-monitor.md']);
  const dir = sharedData();
  if (dir) writeSection('vibration-cwru', cwruSection(dir), ['vibration-monitor.md']);
  else console.log('vibration-cwru: ../shared/data not found, skipped');
  writeSection('vibration-sim', simSection(hours), ['vibration-monitor.md']);
}

main();
