/**
 * `microlearn fleet` against a real Mosquitto (test/support/mosquitto.ts):
 * accounts for the coordinator, three members and an intruder, the acl_file
 * of docs/fleet.md; devices on MqttLink with MQTT.js in this process, the
 * coordinator as the CLI runs it (bin/microlearn.mjs). Checks that the global
 * model is exactly merge of the members' reports, that a spoofed report (under
 * another device's topic) and a foreign device's model never reach the merge,
 * that stale and corrupt reports are refused on the status topic, and that a
 * silent device does not stall the fleet.
 *
 * Then one fleet across engines (see crossRun): members and coordinator on
 * Node, the XS host and the Espruino gate, each speaking MQTT to the same
 * kind of broker; every model trained and adopted is byte for byte the
 * all-Node run's.
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
import { FLEET, MODEL, RoleRun, hex, runRole } from './support/fleet-roles.js';
import { startUartBridge } from './support/uart-bridge.js';
import { espruinoNet } from './support/espruino-net.js';

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

// ---- the same fleet across engines ---------------------------------------------------------

/** The members of the cross-engine runs: their data seeds and samples per round. */
const CROSS = [
  { name: 'dev0', seed: 100, samples: [60, 30] },
  { name: 'dev1', seed: 200, samples: [80, 50] },
  { name: 'dev2', seed: 300, samples: [100, 20] },
];
const ROUNDS = 2;

/** 'espruino-binary': the same Espruino script on a real Espruino interpreter ($ESPRUINO, a Linux build: its `net` is real sockets). */
type Engine = 'node' | 'xs' | 'espruino' | 'espruino-binary';
interface RoleResult {
  lines: string[];
  /** MQTT bytes up and down (XS and Espruino: counted at the socket; Node: not counted). */
  bytes: { up: number; down: number };
}

/** The fleet computed in this process without any MQTT: round r's global model, and each member's local model in round r. */
function reference(): { globals: string[]; locals: string[][] } {
  let global = new LogisticRegression(MODEL);
  const globals = [hex(global.toBytes())];
  const locals: string[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const models = CROSS.map((m) => {
      const d = LogisticRegression.fromBytes(global.toBytes());
      const next = classStream(m.seed + r, 3, 2, 1);
      const x = new Float64Array(3);
      for (let i = 0; i < m.samples[r]; i++) d.learnOne(x, next(x));
      return d;
    });
    locals.push(models.map((d) => hex(d.toBytes())));
    global = merge(models, CROSS.map((m) => m.samples[r]));
    globals.push(hex(global.toBytes()));
  }
  return { globals, locals };
}

/**
 * The fleet of CROSS with members and coordinator on the engines given,
 * over a real Mosquitto (accounts and the ACL above; a broker per run, so
 * no retained message crosses runs), every one of them speaking MQTT itself:
 *
 * - Node: MqttLink over MQTT.js, in this process;
 * - 'cli': `microlearn fleet` (MQTT.js), as a user runs it;
 * - XS: the bundle of test/support/fleet-xs-entry.ts on our XS host started
 *   with `--uart`: integrations/mqtt-socket.ts builds and parses every MQTT
 *   packet inside the engine; the host's stdin/stdout carry those bytes and
 *   test/support/uart-bridge.ts pipes them, unread, to a TCP connection to
 *   the broker (a serial-to-TCP bridge, not a broker and not a message relay);
 * - Espruino: test/support/fleet-espruino-entry.ts built by the Espruino
 *   bundle pipeline (targets/espruino/build.mjs: rollup, ES5, terser; it
 *   passes the static gate) and run in the run-time gate, with the same
 *   mqtt-socket.ts over an Espruino-API `net` module backed by a real Node
 *   TCP socket (test/support/espruino-net.ts).
 */
async function crossRun(coordinator: Engine | 'cli', members: Engine[], env: CrossEnv): Promise<{ coordinator: RoleResult; members: RoleResult[]; saved?: Buffer }> {
  const broker = await startMosquitto({ users: PASSWORDS, acl: ACL });
  const started: Array<Promise<RoleResult>> = [];
  const kills: Array<() => void> = [];
  let saved: string | undefined;
  const limitMs = 40000;
  // the timers of the roles in this process (Node, the Espruino gate), all cancelled when the run ends,
  // so that a failed run leaves no link reconnecting
  const handles = new Set<NodeJS.Timeout>();
  let over = false;
  const timers = {
    setTimeout: (fn: () => void, ms: number): unknown => {
      if (over) return null;
      const h = setTimeout(() => {
        handles.delete(h);
        fn();
      }, ms);
      handles.add(h);
      return h;
    },
    clearTimeout: (h: unknown) => {
      clearTimeout(h as NodeJS.Timeout);
      handles.delete(h as NodeJS.Timeout);
    },
  };
  kills.push(() => {
    over = true;
    for (const h of handles) clearTimeout(h);
  });
  const run = (engine: Engine, args: RoleRun): Promise<RoleResult> => {
    if (engine === 'node') {
      const lines: string[] = [];
      return new Promise((resolve) => {
        const link = runRole(nodeConnector(mqtt), timers, args, (s) => lines.push(s), () => resolve({ lines, bytes: { up: 0, down: 0 } }));
        kills.push(() => link.stop());
      });
    }
    const fleetArgs = 'var FLEET_ARGS = ' + JSON.stringify(Object.assign({ limitMs }, args)) + ';\n';
    if (engine === 'xs') {
      const file = join(env.dir, args.name + '-args.js');
      fs.writeFileSync(file, fleetArgs);
      const r = startUartBridge(env.xsBinary, [file, env.xsBundle], broker);
      kills.push(r.kill);
      return r.exited.then((e) => {
        assert.equal(e.code, 0, args.name + ' on XS:\n' + e.log);
        return { lines: e.log.split('\n').filter((l) => l !== ''), bytes: r.bytes };
      });
    }
    if (engine === 'espruino-binary') {
      const board = fs.mkdtempSync(join(env.dir, 'board-')); // its flash file lives there
      const file = join(board, 'fleet.js');
      fs.writeFileSync(file, fleetArgs + env.espruinoBundle);
      // stdin stays open: Espruino leaves (and stops its timers and sockets) when its REPL input ends
      const child = spawn(process.env.ESPRUINO as string, [file], { cwd: board, stdio: ['pipe', 'pipe', 'pipe'] });
      kills.push(() => child.kill('SIGKILL'));
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString('latin1')));
      // its REPL prompt (">", a carriage return, an erase-line sequence) may start a line
      const lines = () => out.split(/\r?\n/).map((l) => l.replace(/^(>|\r|\x1b\[J)*/, ''));
      return waitFor(args.name + ' on Espruino', () => lines().indexOf('done') >= 0 || /Uncaught|^ERROR|Out of Memory/im.test(out), limitMs, () => out).then(() => {
        assert.doesNotMatch(out, /Uncaught|^ERROR|Out of Memory/im, out);
        child.stdin!.end();
        return { lines: lines(), bytes: { up: 0, down: 0 } };
      });
    }
    const bytes = { up: 0, down: 0 };
    const g = env.gate.runInEspruinoLikeContext(fleetArgs + env.espruinoBundle, {
      filename: 'fleet-espruino.js',
      globals: {
        setTimeout: timers.setTimeout,
        clearTimeout: timers.clearTimeout,
        require: (name: string) => {
          if (name === 'net') return espruinoNet(bytes);
          throw new Error('no module ' + name);
        },
      },
    });
    assert.equal(g.error, null, String(g.error && (g.error as Error).stack));
    return waitFor(args.name + ' in the Espruino gate', () => g.lines.indexOf('done') >= 0, limitMs, () => g.lines.join('\n')).then(() => ({ lines: g.lines, bytes }));
  };
  try {
    const names = CROSS.map((m) => m.name);
    if (coordinator === 'cli') {
      const initial = join(env.dir, 'initial.bin');
      saved = join(env.dir, 'global-' + Date.now() + '.bin');
      fs.writeFileSync(initial, new LogisticRegression(MODEL).toBytes());
      let out = '';
      const cli = spawn(process.execPath, [CLI, 'fleet', '--mqtt', broker.url, '--fleet', FLEET, '--members', names.join(','), '--initial', initial, '--rounds', String(ROUNDS), '--save', saved], {
        env: Object.assign({}, process.env, { MICROLEARN_MQTT_PASSWORD: PASSWORDS.coordinator }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      kills.push(() => cli.kill('SIGKILL'));
      cli.stdout!.on('data', (d) => (out += d));
      cli.stderr!.on('data', (d) => (out += d));
      started.push(
        new Promise<number | null>((resolve) => cli.on('exit', resolve)).then((code) => {
          assert.equal(code, 0, out);
          return { lines: out.split('\n'), bytes: { up: 0, down: 0 } };
        }),
      );
    } else {
      started.push(run(coordinator, { role: 'coordinator', url: broker.url, name: 'coordinator', password: PASSWORDS.coordinator, rounds: ROUNDS, members: names }));
    }
    CROSS.forEach((m, i) => started.push(run(members[i], { role: 'member', url: broker.url, name: m.name, password: PASSWORDS[m.name], rounds: ROUNDS, seed: m.seed, samples: m.samples })));
    let timer: NodeJS.Timeout | undefined;
    const all = await Promise.race([
      Promise.all(started),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the fleet did not finish within ' + limitMs + ' ms:\n' + broker.log())), limitMs + 5000))),
    ]);
    clearTimeout(timer);
    return { coordinator: all[0], members: all.slice(1), saved: saved ? fs.readFileSync(saved) : undefined };
  } finally {
    for (const k of kills) k();
    await broker.stop();
  }
}

interface CrossEnv {
  dir: string;
  xsBinary: string;
  xsBundle: string;
  espruinoBundle: string;
  gate: { staticGate(code: string, file?: string): { rule: string; at: string; text: string }[]; runInEspruinoLikeContext(code: string, options?: object): { lines: string[]; error: unknown } };
}

/** The lines `WHAT R HEX` of a role's output, by round. */
function byRound(lines: string[], what: string): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const p = l.split(' ');
    if (p[0] === what) out[Number(p[1])] = p[p.length - 1];
  }
  return out;
}

describe('one fleet across engines (Node, the XS host, the Espruino gate) over a real Mosquitto', function () {
  const missing = mosquittoMissing();
  const ref = reference();
  const env = { dir: fs.mkdtempSync(join(os.tmpdir(), 'microlearn-fleet-cross-')) } as CrossEnv;

  before(async function () {
    if (missing) {
      console.log('      skipped: ' + missing);
      this.skip();
    }
    const t = Date.now();
    const xs = (await import(join(ROOT, 'targets', 'xs', 'run.mjs'))) as { ensureXS(native?: boolean): Promise<{ binary: string }> };
    env.xsBinary = (await xs.ensureXS()).binary;
    const nodeBundle = (await import(join(ROOT, 'targets', 'node', 'bundle.mjs'))) as { bundleScript(entry: string, out: string, name: string): Promise<void> };
    await nodeBundle.bundleScript('test/support/fleet-xs-entry.js', 'fleet-xs.js', 'microlearnFleetXS');
    env.xsBundle = join(ROOT, 'build', 'bundles', 'fleet-xs.js');
    const espruino = (await import(join(ROOT, 'targets', 'espruino', 'build.mjs'))) as { bundle(input: string, format: string, plugins: object[], name: string): Promise<string> };
    env.espruinoBundle = await espruino.bundle(join(ROOT, 'build', 'test', 'support', 'fleet-espruino-entry.js'), 'iife', [], 'microlearnFleetEspruino');
    env.gate = (await import(join(ROOT, 'targets', 'espruino', 'gate.mjs'))) as CrossEnv['gate'];
    console.log('      XS host checked, XS and Espruino scripts bundled: ' + (Date.now() - t) + ' ms');
  });

  after(function () {
    fs.rmSync(env.dir, { recursive: true, force: true });
  });

  /** Every member trained the reference's local models and adopted the reference's global ones; the coordinator merged them. */
  function check(r: { coordinator: RoleResult; members: RoleResult[] }, coordinatorLines: boolean): void {
    r.members.forEach((m, i) => {
      assert.deepEqual(byRound(m.lines, 'local'), ref.locals.map((l) => l[i]), CROSS[i].name + ' trained as on Node:\n' + m.lines.join('\n'));
      assert.deepEqual(byRound(m.lines, 'adopted'), ref.globals, CROSS[i].name + ' adopted the global models of Node:\n' + m.lines.join('\n'));
    });
    if (coordinatorLines) assert.deepEqual(byRound(r.coordinator.lines, 'merged').slice(1), ref.globals.slice(1), r.coordinator.lines.join('\n'));
  }

  it('the XS host\'s UART (mlxs --uart): bytes both ways, 0 on a timeout, -1 at the end of input, print() on stderr', async function () {
    const file = join(env.dir, 'uart-check.js');
    fs.writeFileSync(
      file,
      [
        'var b = new Uint8Array(8);',
        'print("waited " + uartRead(b.buffer, 50));', // nothing sent yet: 0 after 50 ms
        'var n = 0; while (n < 3) { var k = uartRead(b.buffer, 5000); if (k < 0) break; n += k; }',
        'b[0] ^= 0x20; b[1] ^= 0x20; b[2] ^= 0x20; uartWrite(b.buffer, 3);',
        'try { uartWrite(b.buffer, 9); } catch (e) { print(e.name + ": " + e.message); }',
        'while (uartRead(b.buffer, 5000) >= 0) {}',
        'print("end");',
      ].join('\n'),
    );
    const child = spawn(env.xsBinary, ['--uart', '--', file], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = Buffer.alloc(0);
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out = Buffer.concat([out, d])));
    child.stderr!.on('data', (d) => (err += d));
    setTimeout(() => child.stdin!.write(Buffer.from([0x61, 0xe9, 0x00])), 300);
    setTimeout(() => child.stdin!.end(), 600);
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0, err);
    assert.deepEqual([...out], [0x41, 0xc9, 0x20]);
    assert.equal(err, 'waited 0\nRangeError: uartWrite: length 9 is outside the buffer (0..8)\nend\n');
  });

  it('the Espruino script passes the static gate', function () {
    assert.deepEqual(env.gate.staticGate(env.espruinoBundle, 'fleet-espruino.js'), []);
  });

  it('all on Node (MQTT.js): the global models are the in-process merge of the same seeded data', async function () {
    const t = Date.now();
    check(await crossRun('node', ['node', 'node', 'node'], env), true);
    console.log('      all on Node: ' + (Date.now() - t) + ' ms');
  });

  it('`microlearn fleet` on Node coordinates members on Node, the XS host and the Espruino gate: the same bits', async function () {
    const t = Date.now();
    const r = await crossRun('cli', ['node', 'xs', 'espruino'], env);
    check(r, false);
    const out = r.coordinator.lines.join('\n');
    for (let k = 0; k < ROUNDS; k++) assert.ok(out.indexOf('round ' + (k + 1) + ': merged dev0, dev1, dev2 (' + CROSS.reduce((n, m) => n + m.samples[k], 0) + ' samples)') >= 0, out);
    assert.equal(hex(r.saved!), ref.globals[ROUNDS]);
    console.log('      cli + Node/XS/Espruino members: ' + (Date.now() - t) + ' ms; MQTT bytes up/down: XS ' + r.members[1].bytes.up + '/' + r.members[1].bytes.down + ', Espruino ' + r.members[2].bytes.up + '/' + r.members[2].bytes.down);
  });

  it('the coordinator on the XS host, members on the XS host, the Espruino gate and Node: the same bits', async function () {
    const t = Date.now();
    const r = await crossRun('xs', ['xs', 'espruino', 'node'], env);
    check(r, true);
    console.log('      XS coordinator + XS/Espruino/Node members: ' + (Date.now() - t) + ' ms');
  });

  it('the coordinator in the Espruino gate, members on the XS host, Node and in the Espruino gate: the same bits', async function () {
    const t = Date.now();
    check(await crossRun('espruino', ['xs', 'node', 'espruino'], env), true);
    console.log('      Espruino-gate coordinator + XS/Node/Espruino-gate members: ' + (Date.now() - t) + ' ms');
  });

  it('on a real Espruino ($ESPRUINO) too: a member there (XS coordinating), then the coordinator there', async function () {
    const bin = process.env.ESPRUINO;
    if (!bin || !fs.existsSync(bin)) {
      console.log('      skipped: set ESPRUINO to a Linux build of Espruino to run a member on it');
      this.skip();
    }
    let t = Date.now();
    check(await crossRun('xs', ['espruino-binary', 'espruino', 'xs'], env), true);
    console.log('      XS coordinator + Espruino/Espruino-gate/XS members: ' + (Date.now() - t) + ' ms');
    t = Date.now();
    check(await crossRun('espruino-binary', ['node', 'xs', 'espruino-binary'], env), true);
    console.log('      Espruino coordinator + Node/XS/Espruino members: ' + (Date.now() - t) + ' ms');
  });
});
