/**
 * integrations/mqtt-espruino.ts, the connector over the `MQTT` module of
 * Espruino's IDE, on a real Espruino ($ESPRUINO, a Linux build: its `net` is
 * real sockets) against a real Mosquitto (test/support/mosquitto.ts). The
 * module is Espruino's code, not this repository's: set
 * $ESPRUINO_MQTT_MODULE to your copy of it (modules/MQTT.js of the
 * EspruinoDocs repository, which the IDE serves). Without both variables
 * (or without mosquitto) the tests say so and skip.
 */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { isAuthFailure } from '../integrations/mqtt.js';
import { Mosquitto, mosquittoMissing, startMosquitto } from './support/mosquitto.js';
import { Observer } from './support/mqtt-apps.js';
import { waitFor } from './support/wait.js';
import { ROOT } from './util.js';

interface Board {
  child: ChildProcess;
  events: () => Array<{ event: string; [k: string]: string }>;
  out: () => string;
}

describe('mqtt-espruino: the IDE\'s MQTT module on a real Espruino, against a real Mosquitto', function () {
  this.timeout(60000);
  const binary = process.env.ESPRUINO;
  const module = process.env.ESPRUINO_MQTT_MODULE;
  let broker: Mosquitto;
  let script = '';
  let dir = '';
  const boards: Board[] = [];

  before(async function () {
    const why = !binary ? '$ESPRUINO is not set (a Linux build of Espruino)' : !module ? '$ESPRUINO_MQTT_MODULE is not set (your copy of Espruino\'s modules/MQTT.js)' : mosquittoMissing();
    if (why) {
      console.log('      skipped: ' + why);
      this.skip();
    }
    const espruino = (await import(join(ROOT, 'targets', 'espruino', 'build.mjs'))) as { bundle(input: string, format: string, plugins: object[], name: string): Promise<string> };
    script = await espruino.bundle(join(ROOT, 'build', 'test', 'support', 'mqtt-espruino-entry.js'), 'iife', [], 'microlearnMqttEspruino');
    dir = fs.mkdtempSync(join(os.tmpdir(), 'microlearn-mqtt-espruino-'));
    broker = await startMosquitto({ users: { dev: 'pw', reader: 'rd' } });
  });

  after(async function () {
    for (const b of boards) b.child.kill('SIGKILL');
    if (broker) await broker.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the entry script on Espruino with the IDE's module cached as "MQTT". */
  function board(clientId: string, password: string): Board {
    const file = join(dir, clientId + '.js');
    const args = { url: broker.url, clientId: clientId, username: 'dev', password: password };
    fs.writeFileSync(file, 'Modules.addCached("MQTT", ' + JSON.stringify(fs.readFileSync(module as string, 'utf8')) + ');\nvar MQTT_ARGS = ' + JSON.stringify(args) + ';\n' + script, 'latin1');
    // stdin stays open: Espruino leaves when its REPL input ends
    const child = spawn(binary as string, [file], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString('latin1')));
    const b: Board = {
      child,
      out: () => out,
      events: () =>
        out
          .slice(0, out.lastIndexOf('\n') + 1) // whole lines only: the last may still be arriving
          .split(/\r?\n/)
          .map((l) => l.replace(/^(>|\r|\x1b\[J)*/, ''))
          .filter((l) => l.startsWith('{"event"'))
          .map((l) => JSON.parse(l)),
    };
    boards.push(b);
    return b;
  }

  it('connects with its last will, publishes retained state, receives what MQTT.js publishes; the broker publishes the will when the board is gone', async function () {
    const b = board('esp-1', 'pw');
    await waitFor('online', () => b.events().some((e) => e.event === 'online'), 20000, b.out);
    const c = new Observer(broker.url, { username: 'reader', password: 'rd', clientId: 'reader' });
    await c.ready(['up/#']);
    const got = () => c.messages.map((m) => m.topic + ' ' + m.payload + (m.retain ? ' (retained)' : ''));
    await waitFor('the retained state', () => got().length >= 2, 10000, () => got().join('\n'));
    assert.deepEqual(got().sort(), ['up/avail online (retained)', 'up/state 21,5 °C (retained)']);
    c.publish('down/x', 'über 21 °C');
    await waitFor('the message down', () => b.events().some((e) => e.event === 'message'), 10000, b.out);
    const m = b.events().filter((e) => e.event === 'message');
    assert.deepEqual(m.map((e) => e.topic + ' ' + e.payload), ['down/x über 21 °C']);
    // the board vanishes without a DISCONNECT: the broker sends its will
    b.child.kill('SIGKILL');
    await waitFor('the will', () => got().includes('up/avail offline'), 15000, () => got().join('\n') + '\n' + broker.log());
    await c.end();
    assert.doesNotMatch(b.out(), /Uncaught|^ERROR|Out of Memory/im, b.out());
  });

  it('says in words that the broker refused the password', async function () {
    const b = board('esp-2', 'wrong');
    const off = await waitFor('the refusal', () => b.events().find((e) => e.event === 'status' && e.status === 'offline'), 20000, b.out);
    assert.ok(!b.events().some((e) => e.event === 'online'), 'reported online before the refusal:\n' + b.out());
    assert.ok(isAuthFailure(off.auth), off.auth);
    assert.match(off.auth, /CONNACK 5/);
    b.child.stdin!.end();
  });
});
