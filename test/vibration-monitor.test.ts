/**
 * The vibration monitor (examples/vibration-monitor): its logic on the
 * simulated machine (learning phase, detection, persistence, relearn), the
 * same run with equal hashes on Node, XS (TypeScript and native kernels) and
 * under the Espruino gate, and the host device as a user runs it against a
 * real Mosquitto started here: Home Assistant discovery checked field by
 * field, state changes, the relearn command, the last will.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { Mosquitto, mosquittoMissing, startMosquitto } from './support/mosquitto.js';
import { checkDiscovery } from './support/homeassistant-fields.js';
import { MemoryStorage, ModelStore } from '../src/storage.js';
import { HomeAssistant } from '../integrations/homeassistant.js';
import { MonitorDevice } from '../examples/vibration-monitor/device.js';
import { Mode, MonitorEvents, VibrationMonitor } from '../examples/vibration-monitor/monitor.js';
import { Machine, Scenario, Segment } from '../examples/vibration-monitor/sim.js';
import { DEMO, DEMO_LEARN } from '../examples/vibration-monitor/scenarios.js';
import { runMonitor } from '../examples/vibration-monitor/run.js';
import { Adxl345 } from '../examples/vibration-monitor/adxl345.js';
import { SimulatedAdxl345 } from './support/adxl345-chip.js';
import { ROOT, lines, runXS } from './util.js';
import { waitFor } from './support/wait.js';
import { AppProcess, Observer } from './support/mqtt-apps.js';

const MAIN = join(ROOT, 'build', 'examples', 'vibration-monitor', 'main.js');
const RATE = 3200;

/** Records what the monitor reports. */
class Recorder implements MonitorEvents {
  modes: [Mode, number][] = [];
  states: [boolean, number, number][] = [];
  similarities: [number, number][] = [];
  beats: number[] = [];
  mode(mode: Mode, s: number): void {
    this.modes.push([mode, s]);
  }
  state(anomaly: boolean, sim: number, s: number): void {
    this.states.push([anomaly, sim, s]);
  }
  similarity(sim: number, s: number): void {
    this.similarities.push([sim, s]);
  }
  heartbeat(s: number): void {
    this.beats.push(s);
  }
}

/** Feeds `seconds` of the scenario (all of it when omitted) in 32-sample blocks. */
function feed(vm: VibrationMonitor, sc: Scenario, seconds?: number): void {
  const b = new Int32Array(32);
  const end = seconds === undefined ? Infinity : vm.samples + Math.round(seconds * RATE);
  while (vm.samples < end) {
    const n = sc.fillQ(b, Math.min(32, end - vm.samples));
    if (n === 0) return;
    vm.feed(b, n);
  }
}

describe('vibration monitor: the device logic on the simulated machine', function () {
  this.timeout(120000);

  it('learns for the set time, then stays quiet through load changes and flags the growing bearing fault', function () {
    const rec = new Recorder();
    const vm = new VibrationMonitor({ rate: RATE, learnSeconds: DEMO_LEARN }, new ModelStore(new MemoryStorage()), rec);
    vm.start();
    feed(vm, new Scenario(new Machine({ rate: RATE, seed: 1 }), DEMO));
    assert.deepEqual(rec.modes, [['learning', 0], ['monitoring', DEMO_LEARN]]);
    const onset = 420; // the DEMO fault starts after 120 s learning + 300 s normal running
    const first = rec.states.find((s) => s[0]);
    assert.ok(first !== undefined, 'an anomaly: ' + JSON.stringify(rec.states));
    assert.ok(first![2] > onset && first![2] < onset + 200, 'first alarm at ' + first![2] + ' s');
    assert.ok(first![1] < 50, 'similarity below 50 with the alarm: ' + first![1]);
    assert.equal(rec.states.filter((s) => s[2] < onset).length, 0, 'no state change before the fault');
    assert.ok(vm.anomaly, 'still an anomaly at the end (0.2 g impacts)');
    // the similarity every 60 s while monitoring, a heartbeat every 300 s
    assert.ok(rec.similarities.length >= 9 && rec.similarities.length <= 11, rec.similarities.length + ' similarity reports');
    for (const [s] of rec.similarities) assert.ok(s >= 0 && s <= 100 && Math.floor(s) === s);
    assert.deepEqual(rec.beats, [0, 300, 600]);
  });

  it('keeps the model through a reboot, and a relearn starts over and forgets it', function () {
    const store = new ModelStore(new MemoryStorage());
    const sc = new Scenario(new Machine({ rate: RATE, seed: 2 }), [{ seconds: 30, load: 0.3 }, { seconds: 30, load: 0.8 }, { seconds: 30, load: 0.5 }]);
    const rec = new Recorder();
    const vm = new VibrationMonitor({ rate: RATE, learnSeconds: 60 }, store, rec);
    vm.start();
    feed(vm, sc, 70);
    assert.equal(vm.mode, 'monitoring');
    assert.equal(vm.saves, 1, 'saved when learning ended');
    const saved = store.read('vibmon') as Uint8Array;
    assert.ok(saved !== null && saved.length > 0);
    // a power cut: a new device on the same storage resumes monitoring with the same model
    const rec2 = new Recorder();
    const again = new VibrationMonitor({ rate: RATE, learnSeconds: 60 }, store, rec2);
    again.start();
    assert.deepEqual(rec2.modes, [['monitoring', 0]]);
    assert.deepEqual(Array.from(again.monitor.toBytes()), Array.from(saved));
    feed(again, sc, 20);
    assert.equal(again.anomaly, false);
    again.relearn();
    assert.equal(again.mode, 'learning');
    assert.equal(store.read('vibmon'), null, 'the old model is gone');
    assert.equal(again.monitor.learned, 0);
  });

  it('with no learning time, learns until "finish", and refuses to finish before anything could be calibrated', function () {
    const rec = new Recorder();
    const vm = new VibrationMonitor({ rate: RATE, learnSeconds: 0 }, null, rec);
    vm.start();
    assert.equal(vm.finishLearning(), false, 'nothing learned yet');
    feed(vm, new Scenario(new Machine({ rate: RATE, seed: 3 }), [{ seconds: 100, load: 0.4 }]), 100);
    assert.equal(vm.mode, 'learning', 'still learning after 100 s');
    assert.ok(vm.monitor.learned > 300);
    assert.equal(vm.finishLearning(), true);
    assert.equal(vm.mode, 'monitoring');
    assert.equal(vm.finishLearning(), false, 'not learning any more');
  });

  it('learns again when the saved model belongs to another recipe', function () {
    const store = new ModelStore(new MemoryStorage());
    const vm = new VibrationMonitor({ rate: RATE, learnSeconds: 20 }, store, new Recorder());
    vm.start();
    feed(vm, new Scenario(new Machine({ rate: RATE, seed: 4 }), [{ seconds: 25, load: 0.5 }]));
    assert.ok(store.read('vibmon') !== null);
    const other = new VibrationMonitor({ rate: RATE, learnSeconds: 20, recipe: { signal: { windowSize: 512, features: ['rms'] } } }, store, new Recorder());
    other.start();
    assert.equal(other.mode, 'learning');
    const otherRate = new VibrationMonitor({ rate: 1600, learnSeconds: 20 }, store, new Recorder());
    otherRate.start();
    assert.equal(otherRate.mode, 'learning', 'a model learned at another sampling rate is not used');
  });

  it('sends a few kilobytes an hour where the raw signal would be tens of megabytes', function () {
    const ha = new HomeAssistant({ id: 'bytes-test', name: 'Bytes test' });
    const sent: string[] = [];
    const dev = new MonitorDevice(ha, { rate: RATE, learnSeconds: DEMO_LEARN }, null, (m) => {
      sent.push(m.topic);
      return true;
    });
    dev.vm.start();
    feed(dev.vm, new Scenario(new Machine({ rate: RATE, seed: 1 }), DEMO));
    const perHour = (dev.bytes * 3600) / dev.vm.seconds();
    const raw = RATE * 2 * 3600;
    assert.ok(dev.messages === sent.length && dev.messages > 10);
    assert.ok(perHour < 20000, perHour + ' bytes/h');
    assert.ok(raw / perHour > 1000, 'at least 1000× less than raw int16 samples');
    for (const t of sent) assert.ok(t === ha.stateTopic || t === ha.availabilityTopic, 'only state and availability: ' + t);
  });
});

describe('vibration monitor: the ADXL345 driver and the button', function () {
  it('checks the chip id, configures full resolution, the rate and stream mode, measuring last', function () {
    assert.throws(() => new Adxl345(new SimulatedAdxl345(0x00), 1600, 2), /no ADXL345 at the bus: device id 0x0, expected 0xe5/);
    assert.throws(() => new Adxl345(new SimulatedAdxl345(), 1000, 2), /rate must be one of 100, 200, 400, 800, 1600, 3200 Hz, got 1000/);
    assert.throws(() => new Adxl345(new SimulatedAdxl345(), 1600, 3), /axis must be 0 \(x\), 1 \(y\) or 2 \(z\)/);
    const chip = new SimulatedAdxl345();
    new Adxl345(chip, 1600, 2);
    assert.deepEqual(chip.writes, [[0x2d, 0x00], [0x31, 0x0b], [0x2c, 0x0e], [0x38, 0x9f], [0x2d, 0x08]]);
    const slow = new SimulatedAdxl345();
    new Adxl345(slow, 100, 0);
    assert.equal(slow.regs[0x2c], 0x0a);
  });

  it('drains the FIFO into Q16.16 g of one axis, negative counts included, never more than the block holds', function () {
    const chip = new SimulatedAdxl345();
    const a = new Adxl345(chip, 1600, 2);
    const counts = [256, -256, 0, 4095, -4096, 1, -1, 128];
    for (const z of counts) chip.sample(7, -9, z);
    const block = new Int32Array(5);
    assert.equal(a.read(block), 5);
    assert.deepEqual(Array.from(block), counts.slice(0, 5).map((c) => c * 256));
    assert.equal(block[0], 65536, '256 counts are 1 g, 1.0 in Q16.16');
    assert.equal(a.read(block), 3, 'the rest of the FIFO');
    assert.deepEqual(Array.from(block.subarray(0, 3)), counts.slice(5).map((c) => c * 256));
    assert.equal(a.read(block), 0, 'an empty FIFO');
    assert.equal(chip.pops, 8, 'one 6-byte read per sample');
    const x = new SimulatedAdxl345();
    const ax = new Adxl345(x, 400, 0);
    x.sample(-300, 5, 5);
    assert.equal(ax.read(block), 1);
    assert.equal(block[0], -300 * 256);
  });

  it('the button finishes learning, then relearns; a bounce within 0.25 s is ignored', function () {
    const ha = new HomeAssistant({ id: 'button-test', name: 'Button test' });
    const dev = new MonitorDevice(ha, { rate: RATE, learnSeconds: 0 }, null, () => true);
    const log: string[] = [];
    dev.log = (s) => log.push(s);
    dev.vm.start();
    dev.button();
    assert.equal(dev.vm.mode, 'learning');
    assert.equal(log[log.length - 1], 'button: too little learned yet');
    feed(dev.vm, new Scenario(new Machine({ rate: RATE, seed: 5 }), [{ seconds: 60, load: 0.5 }]), 60);
    dev.button();
    assert.equal(dev.vm.mode, 'monitoring');
    dev.button(); // contact bounce: no sample in between
    assert.equal(dev.vm.mode, 'monitoring', 'a bounce does not relearn');
    feed(dev.vm, new Scenario(new Machine({ rate: RATE, seed: 5 }), [{ seconds: 1, load: 0.5 }]), 1);
    dev.button();
    assert.equal(dev.vm.mode, 'learning', 'a second press relearns');
    assert.deepEqual(log.filter((l) => l.startsWith('button')), ['button: too little learned yet', 'button: learning finished', 'button: relearn']);
  });
});

describe('vibration monitor: the same run on every engine', function () {
  this.timeout(600000);
  let node: string[];

  before(async function () {
    node = [];
    runMonitor((s) => node.push(s), RATE);
    const build = (await import(join(ROOT, 'examples', 'vibration-monitor', 'build.mjs'))) as { buildVibration(): Promise<{ file: string; bytes: number }[]> };
    await build.buildVibration();
  });

  it('on Node: learns, detects the fault, saves, reboots into monitoring, merges its models', function () {
    assert.deepEqual(node.slice(0, 2), ['0.0 s: learning', '40.0 s: monitoring']);
    assert.ok(node.some((l) => / s: ANOMALY/.test(l)), node.join('\n'));
    const model = node.filter((l) => /^model \d+ bytes hash [0-9a-f]{8}/.test(l));
    assert.equal(model.length, 1);
    assert.equal(node[node.length - 2], 'reboot monitoring same model true');
    const m = /^merge (\d+) bytes hash ([0-9a-f]{8}) inputs unchanged true$/.exec(node[node.length - 1]);
    assert.ok(m, node[node.length - 1]);
    // the merge of the model saved when learning ended with the one adapted since is a third model of the same size
    assert.equal(model[0].split(' ')[1], m[1]);
    assert.notEqual(model[0].split(' ')[4], m[2]);
  });

  it('prints the same lines on XS with TypeScript and with native kernels', async function () {
    for (const native of [false, true]) {
      const t = Date.now();
      const r = await runXS([join(ROOT, 'build', 'bundles', 'vibration-run.js')], { native: native, meter: true });
      assert.equal(r.code, 0, r.stderr);
      const xs = lines(r.stdout);
      assert.equal(xs[0], 'kernels ' + (native ? 'native signal native' : 'ts signal ts'));
      console.log('      XS' + (native ? ' native' : '') + ': ' + (Date.now() - t) + ' ms, meter ' + r.meter);
      assert.deepEqual(xs.slice(1), node);
    }
  });

  it('passes the static Espruino gate and prints the same lines under the run-time gate', async function () {
    const gate = (await import(join(ROOT, 'targets', 'espruino', 'gate.mjs'))) as {
      staticGate(code: string, file: string): { rule: string; at: string; text: string }[];
      runInEspruinoLikeContext(code: string, o?: object): { lines: string[]; error: unknown };
    };
    const code = fs.readFileSync(join(ROOT, 'build', 'bundles', 'vibration-run.es5.js'), 'utf8');
    assert.deepEqual(gate.staticGate(code, 'vibration-run.es5.js').map((p) => p.rule + ' at ' + p.at + ': ' + p.text), []);
    const r = gate.runInEspruinoLikeContext(code, { filename: 'vibration-run.es5.js' });
    assert.equal(r.error, null, String(r.error && (r.error as Error).stack));
    assert.equal(r.lines[0], 'kernels ts signal ts');
    assert.deepEqual(r.lines.slice(1), node);
    // the device for an Espruino board (I2C sensor, MQTT module, Storage) passes the same gate
    const dev = fs.readFileSync(join(ROOT, 'build', 'bundles', 'vibration-espruino.js'), 'utf8');
    assert.deepEqual(gate.staticGate(dev, 'vibration-espruino.js').map((p) => p.rule + ' at ' + p.at + ': ' + p.text), []);
    console.log('      Espruino device bundle: ' + dev.length + ' bytes');
  });
});

/** The host device, as `npm run vibration-monitor -- ARGS` runs it (without the build step). */
class DeviceProcess extends AppProcess {
  constructor(args: string[]) {
    super(MAIN, args);
  }
}

const ID = 'test-vibration';
const BASE = 'microlearn/' + ID;

describe('vibration monitor in Home Assistant over a real Mosquitto', function () {
  this.timeout(180000);
  const missing = mosquittoMissing();
  let broker: Mosquitto;
  let obs: Observer;
  let dev: DeviceProcess;
  const configs: { [topic: string]: { [k: string]: unknown } } = {};
  const state = () => JSON.parse(obs.last(BASE + '/state')!.payload) as { problem: string; similarity: number; mode: string };

  before(async function () {
    if (missing) {
      console.log('      skipped: ' + missing);
      this.skip();
    }
    broker = await startMosquitto();
    obs = new Observer(broker.url);
    await obs.ready(['homeassistant/#', 'microlearn/#']);
    dev = new DeviceProcess(['--mqtt', broker.url, '--id', ID, '--signal', 'sim', '--speed', '0', '--stay']);
    await waitFor('five discovery messages and a state', () => {
      for (const m of obs.messages) if (m.topic.startsWith('homeassistant/') && m.topic.endsWith('/config')) configs[m.topic] = JSON.parse(m.payload);
      return Object.keys(configs).length >= 5 && obs.last(BASE + '/state');
    }, 30000, () => dev.text() + '\nbroker:\n' + broker.log());
  });

  after(async function () {
    if (dev) await dev.kill('SIGKILL');
    if (obs) await obs.end();
    if (broker) await broker.stop();
  });

  it('announces a problem binary sensor, a similarity sensor, the mode and two buttons, as Home Assistant documents them, as one device', function () {
    const expected = ['binary_sensor/problem', 'sensor/similarity', 'sensor/mode', 'button/relearn', 'button/finish'];
    assert.deepEqual(Object.keys(configs).sort(), expected.map((e) => 'homeassistant/' + e.split('/')[0] + '/' + ID + '/' + e.split('/')[1] + '/config').sort());
    for (const topic of Object.keys(configs)) {
      const c = configs[topic];
      assert.deepEqual(checkDiscovery(topic.split('/')[1], c), [], topic);
      assert.deepEqual((c.device as { identifiers: string[] }).identifiers, ['microlearn_' + ID]);
      assert.deepEqual(c.availability, [{ topic: BASE + '/status', payload_available: 'online', payload_not_available: 'offline' }]);
    }
    const problem = configs['homeassistant/binary_sensor/' + ID + '/problem/config'];
    assert.equal(problem.device_class, 'problem');
    assert.equal(problem.value_template, '{{ value_json.problem }}');
    const sim = configs['homeassistant/sensor/' + ID + '/similarity/config'];
    assert.equal(sim.unit_of_measurement, '%');
    assert.equal(sim.state_class, 'measurement');
    assert.equal(configs['homeassistant/button/' + ID + '/relearn/config'].command_topic, BASE + '/relearn/set');
    assert.equal(obs.last(BASE + '/status')!.payload, 'online');
  });

  it('reports OK while learning and monitoring normal running, then the fault as a problem, with a low similarity', async function () {
    await waitFor('the problem reported', () => state().problem === 'ON', 60000, () => dev.text());
    const s = state();
    assert.equal(s.mode, 'monitoring');
    assert.ok(s.similarity < 50, 'similarity ' + s.similarity);
    // every state message before the fault said OK
    const states = obs.messages.filter((m) => m.topic === BASE + '/state').map((m) => JSON.parse(m.payload));
    const firstOn = states.findIndex((x) => x.problem === 'ON');
    assert.ok(firstOn > 2 && states.slice(0, firstOn).every((x) => x.problem === 'OFF'));
    assert.ok(states.some((x) => x.mode === 'learning') && states.some((x) => x.mode === 'monitoring'));
    await waitFor('the end of the signal', () => /signal ended; staying connected/.test(dev.out), 60000, () => dev.text());
    const m = /sent (\d+) MQTT messages, (\d+) bytes \((\d+) bytes\/h; streaming the raw signal as int16 would be (\d+) bytes\/h\)/.exec(dev.out);
    assert.ok(m, dev.text());
    // 12 minutes of signal, so the one-off discovery (5 retained configs) weighs heavily in the hourly rate
    assert.ok(Number(m![4]) / Number(m![3]) > 500, 'bytes per hour ' + m![3] + ' vs raw ' + m![4]);
  });

  it('relearns on the "Relearn normal" button: mode learning, problem cleared', async function () {
    obs.client.publish(BASE + '/relearn/set', 'PRESS');
    await waitFor('learning again', () => state().mode === 'learning' && state().problem === 'OFF', 15000, () => dev.text());
    assert.match(dev.out, /command: relearn/);
    obs.client.publish(BASE + '/finish/set', 'PRESS');
    await waitFor('a refusal in words', () => /finish learning refused \(too little learned yet\)/.test(dev.out), 15000, () => dev.text());
  });

  it('when its connection dies, the broker marks it offline with its last will', async function () {
    await dev.kill('SIGKILL');
    await waitFor('offline on the status topic', () => obs.last(BASE + '/status')?.payload === 'offline', 15000, () => broker.log());
  });

  it('runs on a recording too (--signal FILE --rate HZ), keeping its model in --store', async function () {
    const dir = fs.mkdtempSync(join(os.tmpdir(), 'vibmon-'));
    try {
      const file = join(dir, 'rec.csv');
      const sc = new Scenario(new Machine({ rate: RATE, seed: 9 }), [{ seconds: 12, load: 0.5 }, { seconds: 4, fault: 'inner', severity: 0.3 }] as Segment[]);
      const v: string[] = ['accel_g'];
      for (let x = sc.next(); x === x; x = sc.next()) v.push(x.toFixed(5));
      fs.writeFileSync(file, v.join('\n') + '\n');
      const store = join(dir, 'store');
      const run = new DeviceProcess(['--signal', file, '--rate', String(RATE), '--learn', '8', '--speed', '0', '--store', store]);
      await waitFor('the run to end', () => run.exited, 60000, () => run.text());
      assert.equal(run.code, 0, run.text());
      assert.match(run.out, /8\.0 s: monitoring/);
      const alarm = /(\d+\.\d) s: ANOMALY/.exec(run.out);
      assert.ok(alarm && Number(alarm[1]) >= 12, 'the alarm comes with the fault (at 12 s): ' + run.out);
      assert.ok(fs.readdirSync(store).some((f) => f.startsWith('vibmon')), 'model saved: ' + fs.readdirSync(store));
      // a second start finds the model and monitors at once
      const again = new DeviceProcess(['--signal', file, '--rate', String(RATE), '--speed', '0', '--store', store]);
      await waitFor('the second run to end', () => again.exited, 60000, () => again.text());
      assert.match(again.out, /0\.0 s: monitoring/);
      const bad = new DeviceProcess(['--signal', file]);
      await waitFor('exit', () => bad.exited, 20000);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /--rate is required with a recording/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('vibration monitor on Moddable (with $MODDABLE)', function () {
  this.timeout(1800000);
  const moddable = process.env.MODDABLE;
  const tools = moddable ? join(moddable, 'build', 'bin', 'lin', 'release') : '';

  before(function () {
    if (!moddable || !fs.existsSync(join(tools, 'mcconfig'))) {
      console.log('      skipped: $MODDABLE is not set to a Moddable SDK with its Linux tools built (docs/moddable.md)');
      this.skip();
    }
  });

  const env = () => Object.assign({}, process.env, { PATH: [tools, join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(':'), MAKEFLAGS: process.env.MAKEFLAGS || '-j2' });

  it('the x-cli-lin app (mcconfig) prints the same lines as Node, with the native kernels', async function () {
    const { spawnSync } = await import('node:child_process');
    const out = join(ROOT, 'build', 'moddable-vibration');
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    const app = join(ROOT, 'examples', 'vibration-monitor', 'moddable', 'test');
    const b = spawnSync(join(tools, 'mcconfig'), ['-m', '-p', 'x-cli-lin', '-o', out], { cwd: app, env: env(), encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(b.status, 0, (b.stdout + b.stderr).slice(-4000));
    const r = spawnSync(join(out, 'bin', 'lin', 'release', 'vibration-monitor-test'), [], { cwd: out, encoding: 'utf8' });
    const got = r.stdout.split('\n').filter((l) => l.length);
    const node: string[] = [];
    runMonitor((s) => node.push(s), RATE);
    assert.equal(got[0], 'kernels native signal native');
    assert.deepEqual(got.slice(1, -1), node);
    assert.equal(got[got.length - 1], 'moddable done');
  });

  it('the ESP32 app (the ADXL345 driver on ECMA-419 I2C, the SDK\'s MQTT client, preferences) type-checks, strict, against the SDK\'s typings', async function () {
    const { spawnSync } = await import('node:child_process');
    const d = join(ROOT, 'examples', 'vibration-monitor', 'moddable', 'device');
    const t = join(ROOT, 'build', 'moddable-vibration-device.tsconfig.json');
    fs.mkdirSync(join(ROOT, 'build'), { recursive: true });
    fs.writeFileSync(t, JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'es2024', lib: ['es2024'], module: 'es2022', moduleResolution: 'node', skipLibCheck: true,
        types: [join(moddable!, 'xs', 'includes', 'xs'), join(moddable!, 'typings', 'global')],
        baseUrl: ROOT, paths: { 'microlearn/*': ['*'] },
      },
      files: [join(d, 'main.ts'), join(d, 'mqtt.d.ts'), ...['timer', 'preference', 'mc/config', 'embedded_provider/builtin'].map((m) => join(moddable!, 'typings', m + '.d.ts'))],
    }));
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', t], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
