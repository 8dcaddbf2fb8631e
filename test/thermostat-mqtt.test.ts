/**
 * The thermostat in Home Assistant over MQTT, against a real Mosquitto
 * started here (test/support/mosquitto.ts) and the host device as a user
 * runs it (build/examples/thermostat/main.js, what `npm run thermostat`
 * starts): discovery payloads checked field by field against Home
 * Assistant's documentation, commands followed, the last will, accounts,
 * TLS with a test CA, a wrong password; and the packets the Espruino
 * adapter writes itself, sent raw to the broker.
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { join } from 'node:path';
import { Mosquitto, mosquittoMissing, startMosquitto } from './support/mosquitto.js';
import { HA_CLIMATE_ACTIONS, checkDiscovery } from './support/homeassistant-fields.js';
import { HomeAssistant } from '../integrations/homeassistant.js';
import { MqttConnector, MqttLink, isAuthFailure, parseMqttUrl } from '../integrations/mqtt.js';
import { connectPacket, publishPacket } from '../integrations/mqtt-packets.js';
import { thermostatEntities } from '../examples/thermostat/device.js';
import { ROOT } from './util.js';
import { waitFor } from './support/wait.js';
import { AppProcess, Observer } from './support/mqtt-apps.js';

const MAIN = join(ROOT, 'build', 'examples', 'thermostat', 'main.js');

/** The host device, as `npm run thermostat -- ARGS` runs it (without the build step). */
class DeviceProcess extends AppProcess {
  constructor(args: string[]) {
    super(MAIN, args);
  }
}

const ID = 'test-thermostat';
const BASE = 'microlearn/' + ID;

describe('thermostat in Home Assistant over a real Mosquitto', function () {
  this.timeout(120000);
  before(function () {
    // a real broker or a failure, never a silent skip (.ci/run installs it)
    const missing = mosquittoMissing();
    if (missing) throw new Error(missing);
  });

  describe('an open broker', function () {
    let broker: Mosquitto;
    let obs: Observer;
    let dev: DeviceProcess;
    const configs: { [topic: string]: { [k: string]: unknown } } = {};

    before(async function () {
      broker = await startMosquitto();
      obs = new Observer(broker.url);
      await obs.ready(['homeassistant/#', 'microlearn/#']);
      dev = new DeviceProcess(['--mqtt', broker.url, '--id', ID, '--speed', '3000', '--quiet']);
      await waitFor('seven discovery messages and a state', () => {
        for (const m of obs.messages) if (m.topic.startsWith('homeassistant/') && m.topic.endsWith('/config')) configs[m.topic] = JSON.parse(m.payload);
        return Object.keys(configs).length >= 7 && obs.last(BASE + '/state');
      }, 20000, () => dev.text() + '\nbroker:\n' + broker.log());
    });

    after(async function () {
      if (dev) await dev.kill('SIGKILL');
      if (obs) await obs.end();
      if (broker) await broker.stop();
    });

    it('announces every entity with the fields Home Assistant documents for its type, as one device', function () {
      const expected = ['climate/thermostat', 'sensor/temperature', 'sensor/humidity', 'sensor/illuminance', 'binary_sensor/occupancy', 'light/light', 'sensor/learned'];
      assert.deepEqual(Object.keys(configs).sort(), expected.map((e) => 'homeassistant/' + e.split('/')[0] + '/' + ID + '/' + e.split('/')[1] + '/config').sort());
      const ids = new Set<string>();
      for (const topic of Object.keys(configs)) {
        const component = topic.split('/')[1];
        const c = configs[topic];
        assert.deepEqual(checkDiscovery(component, c), [], topic);
        ids.add(c.unique_id as string);
        assert.deepEqual((c.device as { identifiers: string[] }).identifiers, ['microlearn_' + ID], topic + ' groups under one device');
        assert.deepEqual(c.availability, [{ topic: BASE + '/status', payload_available: 'online', payload_not_available: 'offline' }]);
      }
      assert.equal(ids.size, expected.length, 'unique ids are unique');
      const climate = configs['homeassistant/climate/' + ID + '/thermostat/config'];
      assert.deepEqual(climate.modes, ['auto', 'heat', 'off']);
      for (const k of ['current_temperature_topic', 'temperature_state_topic', 'temperature_command_topic', 'mode_state_topic', 'mode_command_topic', 'action_topic', 'min_temp', 'max_temp', 'temp_step'])
        assert.ok(climate[k] !== undefined, 'climate has ' + k);
      for (const m of obs.messages) if (m.topic.endsWith('/config')) assert.equal(m.retain, false, 'live delivery is not flagged retained');
    });

    it('keeps discovery and availability retained for a Home Assistant that starts later', async function () {
      const late = new Observer(broker.url);
      await late.ready(['homeassistant/#', BASE + '/status']);
      await waitFor('retained configs', () => late.messages.filter((m) => m.topic.endsWith('/config') && m.retain).length >= 7 && late.last(BASE + '/status'));
      assert.equal(late.last(BASE + '/status')!.payload, 'online');
      assert.equal(late.last(BASE + '/status')!.retain, true);
      await late.end();
    });

    it('publishes a JSON state with every value the entities’ templates read', function () {
      const state = JSON.parse(obs.last(BASE + '/state')!.payload);
      for (const topic of Object.keys(configs)) {
        const c = configs[topic];
        for (const k of Object.keys(c)) {
          if (!k.endsWith('_template')) continue;
          const m = /value_json\.([a-zA-Z_]+)/.exec(c[k] as string);
          assert.ok(m && state[m[1]] !== undefined, topic + ' ' + k + ' reads ' + (m && m[1]) + ' from ' + JSON.stringify(state));
        }
      }
      assert.equal(typeof state.temperature, 'number');
      assert.ok(HA_CLIMATE_ACTIONS.indexOf(state.action) >= 0, state.action);
      assert.ok(['ON', 'OFF'].indexOf(state.occupied) >= 0 && ['ON', 'OFF'].indexOf(state.light) >= 0);
    });

    it('follows a setpoint command and a mode command, and takes them as learning events', async function () {
      const state = () => JSON.parse(obs.last(BASE + '/state')!.payload);
      obs.publish(BASE + '/thermostat/temperature/set', '23.5');
      await waitFor('setpoint 23.5 in the state', () => state().setpoint === 23.5, 10000, () => dev.text());
      obs.publish(BASE + '/thermostat/mode/set', 'off');
      await waitFor('mode off', () => state().mode === 'off' && state().action === 'off', 10000, () => dev.text());
      obs.publish(BASE + '/thermostat/mode/set', 'heat');
      await waitFor('mode heat', () => state().mode === 'heat' && state().setpoint === 23.5, 10000);
      obs.publish(BASE + '/light/set', 'ON');
      await waitFor('light on', () => state().light === 'ON', 10000);
      obs.publish(BASE + '/thermostat/temperature/set', 'warm please');
      await waitFor('a refusal for a bad command', () => /command on .*temperature\/set refused: not a number/.test(dev.err), 10000, () => dev.text());
      assert.equal(state().setpoint, 23.5, 'a bad command changes nothing');
      obs.publish(BASE + '/thermostat/mode/set', 'auto');
      await waitFor('mode auto', () => state().mode === 'auto', 10000);
      // the summary (published every simulated hour) counts the command as a manual change
      const summary = await waitFor('a summary counting the command', () => {
        const m = obs.last(BASE + '/summary');
        return m && JSON.parse(m.payload).counts.manualChanges >= 1 && m;
      }, 20000, () => String(obs.last(BASE + '/summary') && obs.last(BASE + '/summary')!.payload));
      assert.equal(JSON.parse(summary.payload).schedule.mon.length, 24);
    });

    it('when its connection dies, the broker marks it offline with its last will', async function () {
      await dev.kill('SIGKILL');
      const will = await waitFor('offline on the status topic', () => {
        const m = obs.last(BASE + '/status');
        return m && m.payload === 'offline' && m;
      }, 15000, () => broker.log());
      assert.equal(will.payload, 'offline');
    });
  });

  describe('a broker with accounts and TLS', function () {
    let broker: Mosquitto;
    const devices: DeviceProcess[] = [];

    before(async function () {
      broker = await startMosquitto({ users: { thermostat: 'right-horse-battery', ha: 'ha-pass' }, tls: true });
    });

    after(async function () {
      for (const d of devices) await d.kill('SIGKILL');
      if (broker) await broker.stop();
    });

    it('connects over mqtts:// with a user name, a password and the test CA', async function () {
      const obs = new Observer(broker.tlsUrl, { username: 'ha', password: 'ha-pass', ca: broker.ca });
      await obs.ready([BASE + '-tls/#', 'homeassistant/#']);
      const dev = new DeviceProcess(['--mqtt', broker.tlsUrl, '--user', 'thermostat', '--password', 'right-horse-battery', '--ca', broker.caFile, '--id', ID + '-tls', '--speed', '3000', '--quiet']);
      devices.push(dev);
      await waitFor('online over TLS', () => obs.last(BASE + '-tls/status')?.payload === 'online', 20000, () => dev.text() + broker.log());
      assert.match(dev.out, /connected to mqtts:\/\/127\.0\.0\.1:\d+ as test-thermostat-tls/);
      await obs.end();
    });

    it('says clearly when the password is wrong, keeps learning offline and retries with backoff', async function () {
      const dev = new DeviceProcess(['--mqtt', broker.url, '--user', 'thermostat', '--password', 'wrong', '--id', ID + '-bad', '--speed', '3000']);
      devices.push(dev);
      await waitFor('the refusal', () => /MQTT offline: .*(refused the user name or password|not authorized).*retrying in \d+(\.\d)? s/.test(dev.err), 20000, () => dev.text());
      const hours = (dev.out.match(/^w1 \w+ \d\d:00 /gm) || []).length;
      await waitFor('more simulated hours while offline', () => (dev.out.match(/^w1 \w+ \d\d:00 /gm) || []).length > hours + 2, 20000, () => dev.text());
      assert.ok(!/at .*\.js:\d+/.test(dev.err), 'no stack trace: ' + dev.err);
    });

    it('refuses a broker certificate it has no CA for, in words', async function () {
      const dev = new DeviceProcess(['--mqtt', broker.tlsUrl, '--user', 'thermostat', '--password', 'right-horse-battery', '--id', ID + '-noca', '--speed', '3000', '--quiet']);
      devices.push(dev);
      await waitFor('the TLS refusal', () => /MQTT offline: TLS: the broker's certificate is not trusted/.test(dev.err), 20000, () => dev.text());
    });

    it('refuses a CA file for a plain mqtt:// URL before connecting', async function () {
      const dev = new DeviceProcess(['--mqtt', broker.url, '--ca', broker.caFile, '--id', ID + '-x']);
      devices.push(dev);
      await waitFor('exit', () => dev.exited, 10000);
      assert.match(dev.err, /a CA certificate was given for mqtt:\/\/127\.0\.0\.1:\d+: use mqtts:\/\/ for TLS/);
    });
  });

  describe('the packets the Espruino adapter writes itself', function () {
    let broker: Mosquitto;
    before(async function () {
      broker = await startMosquitto({ users: { dev: 'pw' } });
    });
    after(async function () {
      if (broker) await broker.stop();
    });

    /** Sends a CONNECT on a raw socket; resolves with the socket and the CONNACK return code. */
    function rawConnect(fields: Parameters<typeof connectPacket>[0]): Promise<{ socket: net.Socket; code: number }> {
      return new Promise((resolve, reject) => {
        const socket = net.connect({ host: broker.host, port: broker.port }, () => socket.write(Buffer.from(connectPacket(fields), 'latin1')));
        socket.once('data', (d) => {
          assert.equal(d[0], 0x20, 'a CONNACK');
          resolve({ socket, code: d[3] });
        });
        socket.on('error', reject);
      });
    }

    it('CONNECT with credentials and a will, retained PUBLISH with UTF-8 text, will published when the socket drops', async function () {
      const obs = new Observer(broker.url, { username: 'dev', password: 'pw' });
      await obs.ready(['espruino/#']);
      const { socket, code } = await rawConnect({ clientId: 'esp-1', username: 'dev', password: 'pw', keepalive: 60, will: { topic: 'espruino/esp-1/status', payload: 'offline', retain: true } });
      assert.equal(code, 0);
      socket.write(Buffer.from(publishPacket('espruino/esp-1/config', '{"unit_of_measurement":"°C"}', true), 'latin1'));
      await waitFor('the retained config', () => obs.last('espruino/esp-1/config'));
      assert.equal(obs.last('espruino/esp-1/config')!.payload, '{"unit_of_measurement":"°C"}');
      socket.destroy();
      await waitFor('the will', () => obs.last('espruino/esp-1/status')?.payload === 'offline', 10000, () => broker.log());
      const late = new Observer(broker.url, { username: 'dev', password: 'pw' });
      await late.ready(['espruino/#']);
      await waitFor('retained messages for a late subscriber', () => late.messages.filter((m) => m.retain).length >= 2);
      await Promise.all([obs.end(), late.end()]);
    });

    it('a wrong password gets CONNACK 5 from Mosquitto, which the link reports as a refusal of the credentials', async function () {
      const { socket, code } = await rawConnect({ clientId: 'esp-2', username: 'dev', password: 'nope', keepalive: 60 });
      socket.destroy();
      assert.equal(code, 5);
      const { refusal } = await import('../integrations/mqtt.js');
      assert.ok(isAuthFailure(refusal(code)));
      assert.match(refusal(code), /not authorized/);
    });
  });
});

describe('MQTT link and Home Assistant module (no broker needed)', function () {
  it('parses broker URLs and refuses bad ones in words', function () {
    assert.deepEqual(parseMqttUrl('mqtt://127.0.0.1:1883'), { host: '127.0.0.1', port: 1883, secure: false });
    assert.deepEqual(parseMqttUrl('mqtts://broker.lan'), { host: 'broker.lan', port: 8883, secure: true });
    assert.deepEqual(parseMqttUrl('mqtt://[::1]:1884'), { host: '::1', port: 1884, secure: false });
    for (const bad of ['http://x', 'mqtt://', 'mqtt://host:99999', 'broker:1883']) assert.throws(() => parseMqttUrl(bad), /mqtt:\/\/host\[:port\]|port must be/);
  });

  it('backs off exponentially with jitter, and waits longer after refused credentials', function () {
    const never: MqttConnector = { open: () => ({ publish() {}, subscribe() {}, end() {} }) };
    const link = new MqttLink(never, { url: 'mqtt://127.0.0.1', clientId: 'x' }, { setTimeout: () => 0, clearTimeout: () => {} }, { minMs: 1000, maxMs: 60000, authMs: 30000 });
    const d = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => link.delay(n, 'no broker'));
    for (let i = 0; i < d.length; i++) {
      const nominal = Math.min(60000, 1000 * Math.pow(2, i));
      assert.ok(d[i] >= nominal * 0.8 && d[i] <= nominal * 1.2, 'retry ' + (i + 1) + ': ' + d[i] + ' ms');
    }
    assert.ok(link.delay(1, 'the broker refused the user name or password (CONNACK 4: bad user name or password)') >= 24000);
  });

  it('abbreviates discovery keys the way Home Assistant documents, and the abbreviated payloads still check', function () {
    const full = thermostatEntities(new HomeAssistant({ id: 'a1', name: 'A' }));
    const short = thermostatEntities(new HomeAssistant({ id: 'a1', name: 'A' }, { abbreviate: true }));
    const f = full.discovery();
    const s = short.discovery();
    assert.equal(f.length, s.length);
    for (let i = 0; i < f.length; i++) {
      assert.ok(s[i].payload.length < f[i].payload.length, 'shorter: ' + s[i].topic);
      assert.deepEqual(checkDiscovery(s[i].topic.split('/')[1], JSON.parse(s[i].payload)), [], s[i].topic);
    }
    assert.ok(JSON.parse(s[0].payload).uniq_id && JSON.parse(s[0].payload).dev.ids);
  });

  it('refuses bad ids and reads only commands for its own entities', function () {
    assert.throws(() => new HomeAssistant({ id: 'a b', name: 'x' }), /device id must be/);
    const ha = thermostatEntities(new HomeAssistant({ id: 'dev1', name: 'D' }));
    assert.throws(() => ha.light('light', { name: 'again', key: 'x' }), /already used/);
    assert.deepEqual(ha.command('microlearn/dev1/thermostat/temperature/set', '21'), { object: 'thermostat', what: 'temperature', value: '21' });
    assert.deepEqual(ha.command('microlearn/dev1/light/set', 'ON'), { object: 'light', what: 'state', value: 'ON' });
    assert.equal(ha.command('microlearn/dev1/nothing/set', 'ON'), null);
    assert.equal(ha.command('microlearn/dev2/light/set', 'ON'), null);
    assert.deepEqual(checkDiscovery('sensor', { name: 'x', stat_t: 'a/b', unit_of_meas: 'F', dev_cla: 'temperature' }), ['sensor: unit "F" does not fit device class temperature (°C, °F, K)']);
    assert.deepEqual(checkDiscovery('sensor', { name: 'x', state_topic: 'a', unit_of_measurment: '%' }), ['sensor: unit_of_measurment is not a documented field']);
  });
});
