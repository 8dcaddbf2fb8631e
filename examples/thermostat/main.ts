/**
 * `npm run thermostat`: the thermostat device on the host, in a simulated
 * house with a simulated household (the benchmark's), optionally talking to
 * Home Assistant through an MQTT broker.
 *
 *   npm run thermostat -- --mqtt mqtt://127.0.0.1:1883 --speed 600
 *
 * Options:
 *   --mqtt URL         broker (mqtt://host[:port] or mqtts://host[:port]); without it, no network
 *   --user NAME        broker account (the password from --password or $MQTT_PASSWORD)
 *   --password PASS
 *   --ca FILE          PEM certificate of the CA that signed the broker's certificate (mqtts)
 *   --id ID            device id in topics and Home Assistant (default thermostat-<household>)
 *   --household NAME   couple (default), shift, family, office
 *   --speed N          simulated seconds per real second (default 1: real time; 600: ten minutes a second)
 *   --weeks N          length of the simulated run (default 8)
 *   --minutes N        stop after N simulated minutes
 *   --store DIR        keep the models in DIR (ModelStore, power-safe); default: in memory
 *   --quiet            no hourly status lines
 * On exit it prints the learned summary (JSON).
 */
import * as fs from 'node:fs';
import mqtt from 'mqtt';
import { ModelStore, MemoryStorage } from '../../src/storage.js';
import { NodeFileStorage } from '../../targets/node/storage.js';
import { HomeAssistant } from '../../integrations/homeassistant.js';
import type { MqttLink } from '../../integrations/mqtt.js';
import { hostLink } from '../../integrations/mqtt-node.js';
import { Thermostat } from './thermostat.js';
import { ThermostatDevice, thermostatEntities } from './device.js';
import { SimulatedBoard } from './sim/board.js';
import { COUPLE, FAMILY, HOME_OFFICE, Household, SHIFT_WORKER } from './sim/household.js';
import { World } from './sim/world.js';

const HOUSEHOLDS: { [name: string]: Household } = { couple: COUPLE, shift: SHIFT_WORKER, family: FAMILY, office: HOME_OFFICE };
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function fail(message: string): never {
  console.error('thermostat: ' + message);
  process.exit(2);
}

function options(argv: string[]): { [k: string]: string } {
  const o: { [k: string]: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quiet') o.quiet = '1';
    else if (a.startsWith('--') && i + 1 < argv.length) o[a.slice(2)] = argv[++i];
    else fail('unknown argument ' + a + ' (see examples/thermostat/main.ts for the options)');
  }
  return o;
}

function main(): void {
  const o = options(process.argv.slice(2));
  const household = HOUSEHOLDS[o.household || 'couple'];
  if (!household) fail('--household must be one of ' + Object.keys(HOUSEHOLDS).join(', '));
  const speed = o.speed === undefined ? 1 : Number(o.speed);
  if (!(speed > 0 && speed <= 1e6)) fail('--speed must be a number of simulated seconds per second (1 .. 1000000)');
  const weeks = o.weeks === undefined ? 8 : Number(o.weeks);
  if (!(weeks >= 1 && weeks <= 8 && Math.floor(weeks) === weeks)) fail('--weeks must be 1..8');
  const stopAt = o.minutes === undefined ? Infinity : Number(o.minutes);
  const id = o.id || 'thermostat-' + (o.household || 'couple');
  const errors: string[] = [];
  const store = new ModelStore(o.store ? new NodeFileStorage(o.store, fs) : new MemoryStorage(), { onCorrupt: (k, why) => console.error('thermostat: slot ' + k + ' damaged (' + why + '), using the other') });
  const t = new Thermostat({ store: store, onError: (what, e) => errors.push(what + ': ' + String(e)) });
  const ha = thermostatEntities(new HomeAssistant({ id: id, name: 'Thermostat (' + household.name + ')', model: 'microlearn learning thermostat', swVersion: '0.1.0' }));
  let link: MqttLink | undefined;
  if (o.mqtt) {
    try {
      link = hostLink(mqtt, { url: o.mqtt, clientId: id, will: ha.will(), username: o.user, password: o.password !== undefined ? o.password : process.env.MQTT_PASSWORD, caFile: o.ca }, fs, { setTimeout: setTimeout, clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) });
    } catch (e) {
      fail((e as Error).message);
    }
    link.onStatus = (status, detail) => {
      if (status === 'online') console.log('thermostat: connected to ' + o.mqtt + ' as ' + id + '; Home Assistant discovery under ' + ha.discoveryPrefix + '/, state on ' + ha.stateTopic);
      else if (status === 'offline') console.error('thermostat: MQTT offline: ' + detail + ' (the thermostat keeps learning and heating)');
    };
  }
  const board = new SimulatedBoard();
  const device = new ThermostatDevice(t, board, ha, link);
  device.log = (s) => console.error('thermostat: ' + s);
  board.device = device;
  const world = new World(household, board, { weeks: weeks, seed: 1 });
  const quiet = o.quiet === '1';
  console.log('thermostat: ' + household.name + ', ' + weeks + ' simulated weeks at ' + speed + '× real time' + (o.store ? ', models in ' + o.store : ''));
  if (link) link.start();

  const stepMs = 60000 / speed;
  let timer: NodeJS.Timeout | null = null;
  let due = Date.now();
  const finish = (code: number) => {
    if (timer) clearTimeout(timer);
    t.save();
    console.log(JSON.stringify(t.summary()));
    for (const e of errors) console.error('thermostat: ' + e);
    if (link) link.stop();
    setTimeout(() => process.exit(code), 100);
  };
  const run = () => {
    // as many simulated minutes as are due (at high speeds several per timer tick)
    const now = Date.now();
    let n = 0;
    while (due <= now && n < 10000) {
      if (world.minute >= stopAt || !world.step()) return finish(0);
      const m = world.minute - 1;
      if (!quiet && m % 60 === 0) {
        const tod = m % 1440;
        console.log(
          'w' + (Math.floor(m / 10080) + 1) + ' ' + DAYS[Math.floor(m / 1440) % 7] + ' ' + String(Math.floor(tod / 60)).padStart(2, '0') + ':00  room ' +
            t.temperature.toFixed(1) + ' °C  setpoint ' + t.setpoint.toFixed(1) + '  ' + t.action + '  ' + ['present', 'quiet', 'away'][t.presence.state] +
            (link ? '  mqtt ' + link.status : ''),
        );
      }
      due += stepMs;
      n++;
    }
    timer = setTimeout(run, Math.max(0, Math.min(1000, due - Date.now())));
  };
  process.on('SIGINT', () => finish(0));
  process.on('SIGTERM', () => finish(0));
  run();
}

main();
