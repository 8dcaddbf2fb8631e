/**
 * `npm run vibration-monitor`: the vibration monitor on the host, fed by the
 * rotating-machine simulator or a recording, optionally talking to Home
 * Assistant through an MQTT broker.
 *
 *   npm run vibration-monitor -- --mqtt mqtt://127.0.0.1:1883 [--signal sim|FILE]
 *
 * Options:
 *   --mqtt URL        broker (mqtt://host[:port] or mqtts://host[:port]); without it, no network
 *   --user NAME       broker account (the password from --password or $MQTT_PASSWORD)
 *   --password PASS
 *   --ca FILE         PEM certificate of the CA that signed the broker's certificate (mqtts)
 *   --id ID           device id in topics and Home Assistant (default vibration-1)
 *   --signal sim|FILE the simulated machine (default) or a one-column recording (.csv or .csv.gz, in g)
 *   --rate HZ         sampling rate (default 3200 for sim; required for a FILE: CWRU records are 48000)
 *   --learn S         seconds of learning (default 120 for sim, 2 for a FILE); 0: until "Finish learning"
 *   --speed N         signal seconds per real second (default 1: real time; 0: as fast as possible)
 *   --block N         samples per sensor read (default 32, an ADXL345 FIFO)
 *   --store DIR       keep the model in DIR (ModelStore, power-safe); default: in memory
 *   --stay            stay connected after the signal ends (commands, heartbeat) until Ctrl-C
 *   --seed N          simulator seed (default 1)
 * At the end it prints what it sent: messages and bytes, per hour, against streaming the raw signal.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import mqtt from 'mqtt';
import { ModelStore, MemoryStorage } from '../../src/storage.js';
import { NodeFileStorage } from '../../targets/node/storage.js';
import { HomeAssistant } from '../../integrations/homeassistant.js';
import type { MqttLink } from '../../integrations/mqtt.js';
import { hostLink } from '../../integrations/mqtt-node.js';
import { MonitorDevice } from './device.js';
import { Machine, Scenario } from './sim.js';
import { DEMO } from './scenarios.js';

function fail(message: string): never {
  console.error('vibration-monitor: ' + message);
  process.exit(2);
}

function options(argv: string[]): { [k: string]: string } {
  const o: { [k: string]: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--stay') o.stay = '1';
    else if (a.startsWith('--') && i + 1 < argv.length) o[a.slice(2)] = argv[++i];
    else fail('unknown argument ' + a + ' (see examples/vibration-monitor/main.ts for the options)');
  }
  return o;
}

/** A recording as Q16.16 samples. */
function readRecording(file: string): Int32Array {
  let b: Buffer;
  try {
    b = fs.readFileSync(file);
  } catch (e) {
    return fail('cannot read ' + file + ': ' + (e as Error).message);
  }
  if (b[0] === 0x1f && b[1] === 0x8b) b = zlib.gunzipSync(b);
  const lines = b.toString('utf8').split(/\r?\n/);
  const out = new Int32Array(lines.length);
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i].trim();
    if (s === '') continue;
    const v = Number(s.split(/[,; \t]/)[0]);
    if (v !== v) {
      if (n === 0 && i === 0) continue; // header
      fail(file + ': line ' + (i + 1) + ' is not a number');
    }
    if (!(Math.abs(v) < 32768)) fail(file + ': line ' + (i + 1) + ' is outside ±32768 g');
    out[n++] = Math.floor(v * 65536 + 0.5);
  }
  return out.subarray(0, n);
}

function main(): void {
  const o = options(process.argv.slice(2));
  const sim = o.signal === undefined || o.signal === 'sim';
  const rate = o.rate === undefined ? (sim ? 3200 : fail('--rate is required with a recording (the rate it was recorded at)')) : Number(o.rate);
  if (!(rate >= 100 && rate <= 1000000 && Math.floor(rate) === rate)) fail('--rate must be an integer number of Hz, 100..1000000');
  const learn = o.learn === undefined ? (sim ? 120 : 2) : Number(o.learn);
  if (!(learn >= 0)) fail('--learn must be a number of seconds ≥ 0');
  const speed = o.speed === undefined ? 1 : Number(o.speed);
  if (!(speed >= 0)) fail('--speed must be ≥ 0 (0: as fast as possible)');
  const blockSize = o.block === undefined ? 32 : Number(o.block);
  if (!(blockSize >= 1 && blockSize <= 65536 && Math.floor(blockSize) === blockSize)) fail('--block must be 1..65536 samples');
  const id = o.id || 'vibration-1';
  const store = new ModelStore(o.store ? new NodeFileStorage(o.store, fs) : new MemoryStorage(), {
    onCorrupt: (k, why) => console.error('vibration-monitor: slot ' + k + ' damaged (' + why + '), using the other'),
  });
  const ha = new HomeAssistant({ id: id, name: 'Vibration monitor ' + id, model: 'microlearn vibration monitor', swVersion: '0.1.0' });
  let link: MqttLink | null = null;
  if (o.mqtt) {
    try {
      link = hostLink(mqtt, { url: o.mqtt, clientId: id, will: ha.will(), username: o.user, password: o.password !== undefined ? o.password : process.env.MQTT_PASSWORD, caFile: o.ca }, fs, { setTimeout: setTimeout, clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) });
    } catch (e) {
      fail((e as Error).message);
    }
  }
  const l = link;
  const device = new MonitorDevice(ha, { rate, learnSeconds: learn }, store, (m) => (l === null ? true : l.publish(m)));
  device.log = (s) => console.log('vibration-monitor: ' + s);
  if (l !== null) {
    device.attach(l);
    l.onStatus = (status, detail) => {
      if (status === 'online') console.log('vibration-monitor: connected to ' + o.mqtt + ' as ' + id + '; discovery under ' + ha.discoveryPrefix + '/, state on ' + ha.stateTopic);
      else if (status === 'offline') console.error('vibration-monitor: MQTT offline: ' + detail + ' (monitoring goes on)');
    };
  }
  // the signal
  let scenario: Scenario | null = null;
  let recording: Int32Array | null = null;
  let pos = 0;
  if (sim) scenario = new Scenario(new Machine({ rate, seed: o.seed === undefined ? 1 : Number(o.seed) }), DEMO);
  else recording = readRecording(o.signal);
  const total = scenario !== null ? Math.round(scenario.duration() * rate) : (recording as Int32Array).length;
  console.log('vibration-monitor: ' + (sim ? 'simulated machine (' + (total / rate).toFixed(0) + ' s: learning, normal running, then a growing outer-race fault)' : o.signal) +
    ' at ' + rate + ' Hz, ' + (speed === 0 ? 'as fast as possible' : speed + '× real time') + '; learning ' + (learn > 0 ? learn + ' s' : 'until "Finish learning"') + (o.store ? '; model in ' + o.store : ''));
  const block = new Int32Array(blockSize);
  const read = (): number => {
    if (scenario !== null) return scenario.fillQ(block, blockSize);
    const r = recording as Int32Array;
    const n = Math.min(blockSize, r.length - pos);
    block.set(r.subarray(pos, pos + n));
    pos += n;
    return n;
  };
  device.vm.start();
  if (l !== null) l.start();
  const started = Date.now();
  let timer: NodeJS.Timeout | null = null;
  let ended = false;
  const report = () => {
    const s = device.vm.seconds();
    const raw = s * rate * 2; // int16 samples, the least a raw stream can be
    console.log('vibration-monitor: ' + s.toFixed(0) + ' s of signal, ' + device.vm.verdicts + ' verdicts, ' + device.vm.alarms + ' with the alarm on; sent ' + device.messages +
      ' MQTT messages, ' + device.bytes + ' bytes (' + Math.round((device.bytes * 3600) / s) + ' bytes/h; streaming the raw signal as int16 would be ' + Math.round((raw * 3600) / s) + ' bytes/h)');
  };
  const finish = (code: number) => {
    if (timer) clearTimeout(timer);
    if (!ended) report();
    device.vm.save();
    if (l !== null) l.stop();
    setTimeout(() => process.exit(code), 200);
  };
  const step = () => {
    // feed what is due (everything at speed 0, in slices so that MQTT traffic flows)
    const due = speed === 0 ? Infinity : ((Date.now() - started) / 1000) * speed * rate;
    let fed = 0;
    while (device.vm.samples < due && fed < 20 * rate) {
      const n = read();
      if (n === 0) {
        ended = true;
        report();
        if (o.stay !== '1') return finish(0);
        console.log('vibration-monitor: signal ended; staying connected (Ctrl-C to stop)');
        timer = setInterval(() => device.heartbeat(device.vm.seconds()), device.vm.settings.heartbeatEvery * 1000);
        return;
      }
      device.vm.feed(block, n);
      fed += n;
    }
    timer = setTimeout(step, speed === 0 ? 0 : 20);
  };
  process.on('SIGINT', () => finish(0));
  process.on('SIGTERM', () => finish(0));
  step();
}

main();
