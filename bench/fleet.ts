/**
 * Fleet learning benchmark (docs/fleet.md): the room-occupancy task
 * (examples/occupancy.ts, one simulated room per device, rooms differ in
 * office hours, CO2, lamp light and temperatures: non-IID) split across
 * N = 2, 5, 10, 20 devices. Each device learns its own 28 days; the fleet
 * merges every R-th of that (R rounds) through the real protocol
 * (integrations/fleet.ts on an in-memory broker). Hold-out accuracy on the
 * next 7 days of every room, against one model trained centrally on all the
 * readings (interleaved as they happen) and against each device alone.
 * Bytes per device per day: measured MQTT PUBLISH packets of the protocol
 * against streaming every raw reading. Then merge throughput for 10,000
 * LogisticRegression and 1,000 MLP blobs on one core, and coordinator memory
 * per device.
 *
 *   npm run build && node --expose-gc build/bench/fleet.js
 */
import { MODEL_CLASSES } from '../index.js';
import { loadModel } from '../src/load.js';
import { merge } from '../src/merge.js';
import { LogisticRegression } from '../algorithms/linear.js';
import { MLP } from '../algorithms/mlp.js';
import { FleetCoordinator, FleetDevice, FleetMessage, FleetModel } from '../integrations/fleet.js';
import { RoomSimulator, Room } from '../examples/occupancy.js';
import { MemoryBus, attach } from '../test/conformance/cases-fleet.js';
import { machine, table, writeSection } from './report.js';
import { loadavg } from 'node:os';

const PER_DAY = 144; // a reading every 10 minutes
const TRAIN_DAYS = 28;
const TEST_DAYS = 7;

/** Room k of the fleet: deterministic, every room different. */
function room(k: number): Room {
  return { open: 7 + (k % 4), close: 16 + (k % 5), co2: 700 + 60 * (k % 7), lux: 200 + 40 * (k % 6), cold: 18.5 + 0.3 * (k % 5), warm: 21.5 + 0.4 * (k % 4) };
}

/** The fleet's agreed fixed input scale (every device the same): raw sensor units to about ±2. */
function scaled(x: Float64Array, out: Float64Array): Float64Array {
  out[0] = (x[0] - 21) / 2;
  out[1] = (x[1] - 45) / 10;
  out[2] = (x[2] - 600) / 300;
  out[3] = (x[3] - 150) / 150;
  out[4] = x[4];
  out[5] = x[5];
  return out;
}

interface Data {
  x: Float64Array[];
  y: number[];
}

function readings(sim: RoomSimulator, n: number): Data {
  const d: Data = { x: [], y: [] };
  const s = new Float64Array(6);
  for (let i = 0; i < n; i++) {
    const y = sim.next();
    d.x.push(Float64Array.from(scaled(sim.x, s)));
    d.y.push(y);
  }
  return d;
}

const make = () => new LogisticRegression({ nFeatures: 6, learningRate: 0.05 });

function accuracy(m: { predictOne(x: ArrayLike<number>): number }, test: Data[]): number {
  let right = 0;
  let n = 0;
  for (const t of test)
    for (let i = 0; i < t.x.length; i++) {
      if (m.predictOne(t.x[i]) === t.y[i]) right++;
      n++;
    }
  return right / n;
}

/** Bytes of an MQTT 3.1.1 PUBLISH at QoS 0: fixed header (1 + remaining-length bytes), topic (2 + length), payload. */
function packetBytes(topic: string, payload: string): number {
  const rest = 2 + Buffer.byteLength(topic) + Buffer.byteLength(payload);
  const lenBytes = rest < 128 ? 1 : rest < 16384 ? 2 : rest < 2097152 ? 3 : 4;
  return 1 + lenBytes + rest;
}

interface FleetResult {
  n: number;
  rounds: number;
  fleet: number;
  central: number;
  aloneMean: number;
  aloneMin: number;
  aloneOwn: number;
  upBytesPerDay: number;
  downBytesPerDay: number;
  rawBinPerDay: number;
  rawJsonPerDay: number;
}

function runFleet(n: number, rounds: number): FleetResult {
  const train: Data[] = [];
  const test: Data[] = [];
  for (let k = 0; k < n; k++) {
    const sim = new RoomSimulator(9000 + k, room(k));
    train.push(readings(sim, TRAIN_DAYS * PER_DAY));
    test.push(readings(sim, TEST_DAYS * PER_DAY));
  }
  // central: every reading of every room, in the order they happen
  const central = make();
  for (let i = 0; i < TRAIN_DAYS * PER_DAY; i++) for (let k = 0; k < n; k++) central.learnOne(train[k].x[i], train[k].y[i]);
  // alone
  const alone: number[] = [];
  let own = 0;
  for (let k = 0; k < n; k++) {
    const m = make();
    for (let i = 0; i < train[k].x.length; i++) m.learnOne(train[k].x[i], train[k].y[i]);
    alone.push(accuracy(m, test));
    own += accuracy(m, [test[k]]);
  }
  // the fleet, through the protocol
  const bus = new MemoryBus();
  const send = (m: FleetMessage) => bus.publish(m);
  const names = Array.from({ length: n }, (_, k) => 'room' + k);
  const coord = new FleetCoordinator({ fleet: 'bench', members: names, classes: MODEL_CLASSES, initial: make() }, send);
  attach(bus, coord);
  coord.announce();
  const devices = names.map((d) => {
    const dev = new FleetDevice<FleetModel>({ fleet: 'bench', device: d, classes: MODEL_CLASSES, model: make() }, send);
    attach(bus, dev);
    return dev;
  });
  const first = bus.log.length;
  const per = (TRAIN_DAYS * PER_DAY) / rounds;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < n; k++) {
      for (let i = r * per; i < (r + 1) * per; i++) devices[k].learnOne(train[k].x[i], train[k].y[i]);
      devices[k].report();
    }
  }
  if (coord.round !== rounds) throw new Error('fleet did not complete its rounds: ' + coord.round);
  // traffic per device: its reports up; the global model and its status down
  let up = 0;
  let down = 0;
  for (let i = first; i < bus.log.length; i++) {
    const m = bus.log[i];
    const b = packetBytes(m.topic, m.payload);
    if (m.topic.endsWith('/model')) up += b;
    else if (m.topic.endsWith('/global')) down += b * n; // every device receives it
    else down += b;
  }
  // raw streaming: every reading (6 features, label) as float32 binary, or as JSON text
  const sample = train[0].x[100];
  const rawBin = packetBytes('microlearn/bench/room0/raw', 'x'.repeat(6 * 4 + 1));
  const rawJson = packetBytes(
    'microlearn/bench/room0/raw',
    JSON.stringify({ t: 21.37, h: 47.8, co2: 812, lux: 305, hour: 0.542, wd: 1, occ: 1 }),
  );
  void sample;
  return {
    n: n,
    rounds: rounds,
    fleet: accuracy(coord.global as LogisticRegression, test),
    central: accuracy(central, test),
    aloneMean: alone.reduce((a, b) => a + b, 0) / n,
    aloneMin: Math.min(...alone),
    aloneOwn: own / n,
    upBytesPerDay: up / n / TRAIN_DAYS,
    downBytesPerDay: down / n / TRAIN_DAYS,
    rawBinPerDay: rawBin * PER_DAY,
    rawJsonPerDay: rawJson * PER_DAY,
  };
}

const pct = (v: number) => (100 * v).toFixed(2);

function accuracySection(): string {
  const rows: (string | number)[][] = [];
  const traffic: (string | number)[][] = [];
  for (const n of [2, 5, 10, 20]) {
    for (const rounds of [7, 28]) {
      const r = runFleet(n, rounds);
      console.log(JSON.stringify(r));
      rows.push([n, rounds, pct(r.fleet), pct(r.central), (100 * (r.fleet - r.central)).toFixed(2), pct(r.aloneMean), pct(r.aloneMin), pct(r.aloneOwn)]);
      traffic.push([n, rounds, Math.round(r.upBytesPerDay), Math.round(r.downBytesPerDay), r.rawBinPerDay, r.rawJsonPerDay, (r.rawBinPerDay / (r.upBytesPerDay + r.downBytesPerDay)).toFixed(1)]);
    }
  }
  return (
    'Room occupancy, ' + TRAIN_DAYS + ' days of training per device (' + TRAIN_DAYS * PER_DAY + ' readings), hold-out = the next ' + TEST_DAYS +
    ' days of every room; LogisticRegression (6 features, learning rate 0.05, fixed fleet-wide input scale). Fleet = the global model after R rounds (R = 7: weekly, 28: daily). ' +
    'Alone = each device trained on its own room only, scored on all rooms (mean, worst) and on its own room. Accuracy in %, difference in points.\n\n' +
    table(['N devices', 'R rounds', 'fleet', 'central', 'fleet − central', 'alone (mean)', 'alone (worst)', 'alone, own room'], rows) +
    '\n\nBytes per device per day (MQTT PUBLISH packets at QoS 0, headers included, measured from the protocol messages). Up = its model reports; down = the global models it receives and its status. ' +
    'Raw streaming = every reading sent as it is taken, 144 a day: packed float32 (25 bytes of payload) or JSON text. Ratio = raw (float32) / (up + down).\n\n' +
    table(['N', 'R', 'fleet up', 'fleet down', 'raw float32', 'raw JSON', 'raw / fleet'], traffic) +
    '\n\n' + machine()
  );
}

function time(f: () => void): number {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function heap(): number {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
  return process.memoryUsage().heapUsed;
}

function throughputSection(): string {
  const rows: (string | number)[][] = [];
  const cases: { name: string; n: number; make: (i: number) => FleetModel; nf: number }[] = [
    { name: 'LogisticRegression (6 features, SGD)', n: 10000, make: () => make(), nf: 6 },
    { name: 'MLP 6-16-16-2 (Adam)', n: 1000, make: () => new MLP({ nFeatures: 6, hidden: [16, 16], task: 'classification', nOutputs: 2, seed: 1 }), nf: 6 },
  ];
  let memNote = '';
  for (const c of cases) {
    const sim = new RoomSimulator(77);
    const s = new Float64Array(6);
    const blobs: Uint8Array[] = [];
    const weights: number[] = [];
    for (let i = 0; i < c.n; i++) {
      const m = c.make(i);
      const k = 5 + (i % 20);
      for (let j = 0; j < k; j++) {
        const y = sim.next();
        m.learnOne(scaled(sim.x, s), y);
      }
      blobs.push(m.toBytes());
      weights.push(k);
    }
    let models: FleetModel[] = [];
    const h0 = heap();
    const tLoad = time(() => {
      models = blobs.map((b) => loadModel(b, MODEL_CLASSES) as FleetModel);
    });
    const h1 = heap();
    let flat: FleetModel | null = null;
    const tMerge = time(() => {
      flat = merge(models, weights);
    });
    // sharded: 100 shards, then the merge of the shards (weights = the shards' sums)
    const shards = 100;
    const size = c.n / shards;
    let tree: FleetModel | null = null;
    const tTree = time(() => {
      const parts: FleetModel[] = [];
      const pw: number[] = [];
      for (let s2 = 0; s2 < shards; s2++) {
        parts.push(merge(models.slice(s2 * size, (s2 + 1) * size), weights.slice(s2 * size, (s2 + 1) * size)));
        pw.push(weights.slice(s2 * size, (s2 + 1) * size).reduce((a, b) => a + b, 0));
      }
      tree = merge(parts, pw);
    });
    // largest difference of the sharded from the flat merge, in units of 2^-32 (wide weights)
    const a = (flat as unknown as FleetModel).toBytes();
    const b = (tree as unknown as FleetModel).toBytes();
    const same = a.length === b.length && a.every((v, i) => v === b[i]);
    const diff = maxWideDiff(flat as unknown as FleetModel, tree as unknown as FleetModel);
    const perDevice = (h1 - h0) / c.n;
    rows.push([c.name, c.n, blobs[0].length, Math.round(c.n / tLoad), Math.round(c.n / tMerge), Math.round(c.n / (tLoad + tMerge)), Math.round(c.n / tTree), same ? 'identical' : diff + ' × 2^-32', Math.round(perDevice)]);
    memNote = (globalThis as { gc?: () => void }).gc ? 'heap measured after a forced GC (node --expose-gc)' : 'heap measured without a forced GC (run with --expose-gc for steadier numbers)';
    models = [];
  }
  return (
    'One core, Node ' + process.version + '. Blobs of devices that each learned 5..24 readings; load = `loadModel` of every blob (CRC and every bound checked), merge = one flat `merge` weighted by samples; ' +
    'sharded = 100 shards merged, then the 100 shard models merged (weights = the shards\' sample sums), compared with the flat merge over every weight, bias and Adam first moment. ' +
    'Memory = heap growth per loaded device model held by the coordinator (' + memNote + ').\n\n' +
    table(['models', 'blobs', 'blob bytes', 'load /s', 'merge /s', 'load + merge /s', 'sharded merge /s', 'sharded vs flat (largest difference)', 'coordinator bytes per device'], rows) +
    '\n\n' + machine() + '; load average ' + loadavg().map((v) => v.toFixed(1)).join(' / ') + ' (1 / 5 / 15 min) at the end of the run'
  );
}

/** Largest |difference| between two models' wide parameters (2^-32 units), through their blobs' i32/u16 pairs where they differ. */
function maxWideDiff(a: FleetModel, b: FleetModel): number {
  const va = wideValues(a);
  const vb = wideValues(b);
  let m = 0;
  for (let i = 0; i < va.length; i++) m = Math.max(m, Math.abs(va[i] - vb[i]));
  return m;
}

function wideValues(m: FleetModel): number[] {
  const out: number[] = [];
  const push = (w: Int32Array, f: Uint16Array) => {
    for (let i = 0; i < w.length; i++) out.push(w[i] * 65536 + f[i]);
  };
  if (m instanceof LogisticRegression) push(m.core.w, m.core.f);
  else if (m instanceof MLP)
    for (const d of m.layers) {
      push(d.w, d.wf);
      push(d.b, d.bf);
      if (d.sw && d.sw.m && d.sw.mf) push(d.sw.m, d.sw.mf);
    }
  return out;
}

writeSection('fleet-accuracy', accuracySection(), ['fleet.md']);
writeSection('fleet-throughput', throughputSection(), ['fleet.md']);
console.log('wrote docs/fleet.md and docs/benchmarks.md');
