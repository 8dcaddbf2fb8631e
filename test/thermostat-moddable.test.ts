/**
 * The thermostat on Moddable's SDK: the headless app
 * (examples/thermostat/moddable/test, platform x-cli-lin) built with the
 * real mcconfig runs the same simulated week as Node (same model hashes),
 * and runs the device on a real Mosquitto through Moddable's own MQTT
 * client: Home Assistant discovery, commands, the last will.
 *
 * Needs $MODDABLE (a Moddable SDK with its Linux tools built, see
 * docs/moddable.md); skipped with a message without it. The build is kept in
 * build/thermostat-moddable and redone only when an input changes.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import mqtt from 'mqtt';
import { runWeek } from '../examples/thermostat/sim/week.js';
import { mosquittoMissing, startMosquitto } from './support/mosquitto.js';
import { checkExpanded } from './support/homeassistant-fields.js';
import { ROOT, lines } from './util.js';

const require = createRequire(import.meta.url);
const APP = join(ROOT, 'examples', 'thermostat', 'moddable', 'test');
const OUT = join(ROOT, 'build', 'thermostat-moddable');
const INPUTS = ['src', 'algorithms', 'native', 'targets/moddable', 'integrations', 'examples/thermostat'];

function inputsHash(): string {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    const abs = join(ROOT, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) for (const e of fs.readdirSync(abs).sort()) walk(join(rel, e));
    else h.update(rel + '\0').update(fs.readFileSync(abs)).update('\0');
  };
  for (const d of INPUTS) walk(d);
  return h.digest('hex');
}

function run(bin: string, args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, out: Buffer.concat(out).toString() });
    });
  });
}

describe('thermostat on Moddable (x-cli-lin, real SDK)', function () {
  this.timeout(1800000);
  const moddable = process.env.MODDABLE;
  let binary = '';

  before(function () {
    if (!moddable) {
      console.log('      skipped: $MODDABLE is not set (a Moddable SDK with its Linux tools built; docs/moddable.md)');
      return this.skip();
    }
    const tools = join(moddable, 'build', 'bin', 'lin', 'release');
    if (!fs.existsSync(join(tools, 'mcconfig'))) throw new Error(join(tools, 'mcconfig') + ' not found: build the Moddable Linux tools first');
    const stamp = join(OUT, 'inputs.sha256');
    const inputs = inputsHash();
    binary = join(OUT, 'bin', 'lin', 'release', 'thermostat-test');
    if (fs.existsSync(binary) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === inputs) return;
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.mkdirSync(OUT, { recursive: true });
    const env = Object.assign({}, process.env, { PATH: [tools, join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(':'), MAKEFLAGS: process.env.MAKEFLAGS || '-j2' });
    const t = Date.now();
    const r = spawnSync(join(tools, 'mcconfig'), ['-m', '-p', 'x-cli-lin', '-o', OUT], { cwd: APP, env: env, encoding: 'utf8' });
    console.log('      mcconfig -m -p x-cli-lin: ' + ((Date.now() - t) / 1000).toFixed(0) + ' s');
    assert.ok(r.status === 0 && fs.existsSync(binary), 'mcconfig failed:\n' + (r.stdout + r.stderr).slice(-4000));
    fs.writeFileSync(stamp, inputs);
  });

  it('type-checks the ESP32 app (ECMA-419 I2C and digital, Preference, the SDK’s MQTT client and TLS) against the SDK’s typings', function () {
    // no ESP-IDF here to build it: tsc with the SDK's typings and the manifest's module names
    const dir = fs.mkdtempSync(join(require('node:os').tmpdir(), 'thermostat-esp32-tsc-'));
    const typings = join(moddable!, 'typings');
    const config = {
      compilerOptions: {
        target: 'es2022', module: 'es2022', moduleResolution: 'node', lib: ['es2022'], strict: true, noEmit: true, skipLibCheck: true, types: [], typeRoots: [],
        baseUrl: ROOT,
        paths: {
          'microlearn/examples/thermostat/*': ['examples/thermostat/*'], 'microlearn/integrations/*': ['integrations/*'], 'microlearn/src/*': ['src/*'],
          'microlearn/targets/moddable/storage': ['targets/moddable/storage'],
        },
      },
      files: [
        join(ROOT, 'examples', 'thermostat', 'moddable', 'main.ts'), join(moddable!, 'xs', 'includes', 'xs.d.ts'), join(typings, 'global.d.ts'), join(typings, 'timer.d.ts'),
        join(typings, 'preference.d.ts'), join(typings, 'securesocket.d.ts'), join(typings, 'Resource.d.ts'), join(typings, 'mc', 'config.d.ts'),
        join(typings, 'embedded_io', '_common.d.ts'), join(typings, 'embedded_io', 'i2c.d.ts'), join(typings, 'embedded_io', 'digital.d.ts'),
      ],
    };
    fs.writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('gives the same model hashes as Node for a simulated week', async function () {
    for (const h of [0, 2]) {
      const node: string[] = [];
      runWeek((s) => node.push(s), h, 1);
      const t = Date.now();
      const r = await run(binary, ['week', String(h)], 600000);
      assert.equal(r.code, 0, r.out);
      console.log('      ' + relative(ROOT, binary) + ' week ' + h + ': ' + (Date.now() - t) + ' ms');
      assert.deepEqual(lines(r.out), node);
    }
  });

  it('runs the device on a real Mosquitto with Moddable’s MQTT client: discovery, commands, last will', async function () {
    const missing = mosquittoMissing();
    if (missing) throw new Error(missing);
    const broker = await startMosquitto();
    const seen: { topic: string; payload: string }[] = [];
    const obs = mqtt.connect(broker.url, { reconnectPeriod: 0 });
    try {
      await new Promise<void>((resolve, reject) => {
        obs.once('error', reject);
        obs.once('connect', () => obs.subscribe(['homeassistant/#', 'microlearn/#'], (e) => (e ? reject(e) : resolve())));
      });
      obs.on('message', (topic, payload) => {
        seen.push({ topic, payload: payload.toString() });
        // as Home Assistant would: commands once the device shows up with its state
        if (topic === 'microlearn/moddable-1/state' && seen.filter((m) => m.topic === topic).length === 1) {
          obs.publish('microlearn/moddable-1/thermostat/temperature/set', '22.5');
          obs.publish('microlearn/moddable-1/thermostat/mode/set', 'heat');
        }
      });
      const r = await run(binary, ['mqtt', broker.url, 'moddable-1', '3000', '400'], 120000);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /mqtt online/);
      // the mode holds to the end; the setpoint not: the simulated sleepers wake in a 22.5 °C night and turn it down
      assert.match(r.out, /done 400 minutes, setpoint \d+(\.\d)?, mode heat/);
      await new Promise((res) => setTimeout(res, 500));
      const configs = seen.filter((m) => m.topic.endsWith('/config'));
      assert.equal(configs.length, 7);
      for (const c of configs) {
        const { config, problems } = checkExpanded(c.topic.split('/')[1], JSON.parse(c.payload));
        assert.deepEqual(problems, [], c.topic);
        for (const k of Object.keys(config)) if (k.endsWith('_topic')) assert.match(config[k] as string, /^microlearn\/moddable-1\//, k);
      }
      const states = seen.filter((m) => m.topic === 'microlearn/moddable-1/state').map((m) => JSON.parse(m.payload));
      assert.ok(states.some((s) => s.setpoint === 22.5 && s.mode === 'heat'), 'the state followed the commands');
      assert.ok(seen.some((m) => m.topic === 'microlearn/moddable-1/summary' && JSON.parse(m.payload).schedule.mon.length === 24), 'a 2 KB summary, written in pieces');
      const status = seen.filter((m) => m.topic === 'microlearn/moddable-1/status').map((m) => m.payload);
      assert.deepEqual(status, ['online', 'offline'], 'online, then the last will when the process ended without a goodbye');
    } finally {
      obs.end(true);
      await broker.stop();
    }
  });
});
