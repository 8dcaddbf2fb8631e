/**
 * `microlearn fleet` against a real Mosquitto (test/support/mosquitto.ts):
 * accounts for the coordinator, three members and an intruder, the acl_file
 * of docs/fleet.md; devices on MqttLink with MQTT.js in this process, the
 * coordinator as the CLI runs it (bin/microlearn.mjs). Checks that the global
 * model is exactly merge of the members' reports, that a spoofed report (under
 * another device's topic) and a foreign device's model never reach the merge,
 * that stale and corrupt reports are refused on the status topic, and that a
 * silent device does not stall the fleet.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { Mosquitto, mosquittoMissing, startMosquitto } from './support/mosquitto.js';
import { MODEL_CLASSES } from '../index.js';
import { merge } from '../src/merge.js';
import { LogisticRegression } from '../algorithms/linear.js';
import { MqttLink } from '../integrations/mqtt.js';
import { nodeConnector } from '../integrations/mqtt-node.js';
import { FleetDevice, FleetMessage, encodeReport, parseGlobal, parseStatus } from '../integrations/fleet.js';
import { classStream } from './conformance/cases-learners.js';
import { ROOT } from './util.js';
import { waitFor } from './support/wait.js';

const CLI = join(ROOT, 'bin', 'microlearn.mjs');
const PASSWORDS: { [u: string]: string } = { coordinator: 'c00rd', dev0: 'pw0', dev1: 'pw1', dev2: 'pw2', intruder: 'evil' };
const ACL = [
  'user coordinator',
  'topic read microlearn/office/+/model',
  'topic write microlearn/office/+/status',
  'topic write microlearn/office/global',
  'pattern write microlearn/office/%u/model',
  'pattern read microlearn/office/%u/status',
  'pattern read microlearn/office/global',
];


/** A fleet member on MqttLink + MQTT.js, as a Node device would run it. */
class Member {
  readonly dev: FleetDevice<LogisticRegression>;
  readonly link: MqttLink;
  readonly statuses: string[] = [];
  constructor(url: string, name: string, password: string) {
    this.link = new MqttLink(nodeConnector(mqtt), { url, clientId: 'fleet-' + name, username: name, password }, { setTimeout, clearTimeout });
    this.dev = new FleetDevice({ fleet: 'office', device: name, classes: MODEL_CLASSES, model: new LogisticRegression({ nFeatures: 3, learningRate: 0.05 }) }, (m: FleetMessage) => {
      this.link.publish(m);
    });
    this.link.onOnline = () => {
      for (const t of this.dev.subscriptions()) this.link.subscribe(t);
    };
    this.link.onMessage = (t, p) => {
      if (t.endsWith('/status')) this.statuses.push(p);
      this.dev.receive(t, p);
    };
    this.link.start();
  }
  learn(seed: number, n: number): void {
    const next = classStream(seed, 3, 2, 1);
    const x = new Float64Array(3);
    for (let i = 0; i < n; i++) this.dev.learnOne(x, next(x));
  }
}

describe('microlearn fleet against a real Mosquitto', function () {
  const missing = mosquittoMissing();
  let broker: Mosquitto;
  let cli: ChildProcess;
  let out = '';
  let exited: number | null = null;
  const members: Member[] = [];
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'microlearn-fleet-'));
  const saved = join(dir, 'global.bin');

  before(async function () {
    if (missing) {
      console.log('      skipped: ' + missing);
      this.skip();
    }
    broker = await startMosquitto({ users: PASSWORDS, acl: ACL, extra: ['log_type debug'] }); // debug: the broker logs each denied PUBLISH
    const initial = join(dir, 'initial.bin');
    fs.writeFileSync(initial, new LogisticRegression({ nFeatures: 3, learningRate: 0.05 }).toBytes());
    cli = spawn(process.execPath, [CLI, 'fleet', '--mqtt', broker.url, '--fleet', 'office', '--members', 'dev0,dev1,dev2', '--initial', initial, '--deadline', '2', '--rounds', '2', '--save', saved], {
      env: Object.assign({}, process.env, { MICROLEARN_MQTT_PASSWORD: PASSWORDS.coordinator }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cli.stdout!.on('data', (d) => (out += d));
    cli.stderr!.on('data', (d) => (out += d));
    cli.on('exit', (code) => (exited = code));
    await waitFor('the coordinator to subscribe', () => out.indexOf('subscribed microlearn/office/+/model') >= 0, 20000, () => out);
    for (const n of ['dev0', 'dev1', 'dev2']) members.push(new Member(broker.url, n, PASSWORDS[n]));
    await waitFor('every member to adopt round 0', () => members.every((m) => m.dev.adopted), 20000, () => out);
  });

  after(async function () {
    for (const m of members) m.link.stop();
    if (cli && exited === null) cli.kill('SIGTERM');
    if (broker) await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('round 1: the global model is merge of the three reports; a spoofed and a foreign model never reach it', async function () {
    // the intruder has an account: it may publish under its own name (ignored: not a member)
    // and may not publish under dev0's (the broker drops it)
    const intruder = mqtt.connect(broker.url, { username: 'intruder', password: PASSWORDS.intruder, clientId: 'intruder', reconnectPeriod: 0 });
    await new Promise<void>((resolve, reject) => {
      intruder.once('connect', () => resolve());
      intruder.once('error', reject);
    });
    const evil = new LogisticRegression({ nFeatures: 3 });
    evil.core.w.set([2000000, -2000000, 2000000, 0]);
    const evilBlob = evil.toBytes();
    intruder.publish('microlearn/office/intruder/model', encodeReport({ seq: 1, round: 0, samples: 1000000, model: evilBlob }), { retain: true });
    intruder.publish('microlearn/office/dev0/model', encodeReport({ seq: 999, round: 0, samples: 1000000, model: evilBlob }), { retain: true });
    await waitFor('the coordinator to ignore the intruder', () => out.indexOf('ignored intruder') >= 0, 20000, () => out);
    const locals: LogisticRegression[] = [];
    members.forEach((m, i) => {
      m.learn(10 + i, 60 + 20 * i);
      locals.push(LogisticRegression.fromBytes(m.dev.model.toBytes()));
      m.dev.report();
    });
    await waitFor('round 1', () => members.every((m) => m.dev.round === 1), 20000, () => out);
    const expected = merge(locals, [60, 80, 100]);
    for (const m of members) assert.deepEqual(Buffer.from(m.dev.model.toBytes()), Buffer.from(expected.toBytes()));
    assert.match(out, /round 1: merged dev0, dev1, dev2 \(240 samples\)/);
    // the broker refused the spoof (and so the coordinator never saw it: dev0's own sequence 1 was not stale)
    await waitFor('the broker to log the denied spoof', () => /Denied PUBLISH from intruder.*microlearn\/office\/dev0\/model/.test(broker.log()), 5000, () => broker.log());
    assert.equal(members[0].dev.lastStatus!.ok, true);
    assert.ok(members[0].statuses.every((s) => parseStatus(s).seq !== 999));
    intruder.end(true);
  });

  it('round 2: stale and corrupt reports are refused on the status topic; a silent device does not stall the round', async function () {
    const [d0, d1] = members;
    // dev1 replays an old sequence number: stale
    d1.link.publish({ topic: 'microlearn/office/dev1/model', payload: encodeReport({ seq: 1, round: 1, samples: 5, model: d1.dev.model.toBytes() }), retain: true });
    await waitFor('the stale refusal', () => d1.statuses.some((s) => /stale report/.test(parseStatus(s).error)), 20000, () => out);
    // dev0 sends a damaged blob
    const bad = d0.dev.model.toBytes().slice();
    bad[30] ^= 0x40;
    d0.link.publish({ topic: 'microlearn/office/dev0/model', payload: encodeReport({ seq: 50, round: 1, samples: 5, model: bad }), retain: true });
    await waitFor('the corrupt refusal', () => d0.statuses.some((s) => /^E_CORRUPT: checksum mismatch/.test(parseStatus(s).error)), 20000, () => out);
    assert.equal(d0.dev.seq, 50); // the device goes on above the refused report's sequence number
    const locals: LogisticRegression[] = [];
    for (const [i, m] of [d0, d1].entries()) {
      m.learn(30 + i, 50);
      locals.push(LogisticRegression.fromBytes(m.dev.model.toBytes()));
      m.dev.report();
    }
    // dev2 stays silent: the coordinator's 2 s deadline closes the round
    await waitFor('round 2', () => members.every((m) => m.dev.round === 2), 20000, () => out);
    const expected = merge(locals, [50, 50]);
    assert.deepEqual(Buffer.from(members[2].dev.model.toBytes()), Buffer.from(expected.toBytes()));
    await waitFor('the coordinator to exit after 2 rounds', () => exited !== null, 20000, () => out);
    assert.equal(exited, 0, out);
    assert.match(out, /round 2: merged dev0, dev1 \(100 samples\)/);
    assert.deepEqual(Buffer.from(fs.readFileSync(saved)), Buffer.from(expected.toBytes()));
    // and the retained global model says who was merged
    const g = parseGlobal(await retained(broker.url, 'microlearn/office/global'));
    assert.deepEqual(g.devices, ['dev0', 'dev1']);
    assert.equal(g.round, 2);
  });
});

/** The retained message on `topic`, read by a fresh client (as dev0: it may read the global model). */
function retained(url: string, topic: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { username: 'dev0', password: PASSWORDS.dev0, clientId: 'reader', reconnectPeriod: 0 });
    c.once('error', reject);
    c.on('message', (t, p) => {
      if (t === topic) {
        c.end(true);
        resolve(p.toString());
      }
    });
    c.once('connect', () => c.subscribe(topic));
  });
}
