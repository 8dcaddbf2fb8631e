/**
 * integrations/mqtt-socket.ts, microlearn's own MQTT client over an
 * Espruino-API socket, and the reading half of mqtt-packets.ts: packets cut
 * from bytes arriving in any pieces, UTF-8 both ways; then against a real
 * Mosquitto (test/support/mosquitto.ts) through test/support/espruino-net.ts:
 * retained text both ways with MQTT.js, a refused password in words, the
 * keep-alive answered. (The cross-engine fleet runs are in fleet-mqtt.test.ts.)
 */
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { MqttReader, bytesOf, connectPacket, fromUtf8, parsePublish, publishPacket, subscribePacket, utf8 } from '../integrations/mqtt-packets.js';
import { MqttLink, isAuthFailure } from '../integrations/mqtt.js';
import { socketConnector } from '../integrations/mqtt-socket.js';
import { Mosquitto, mosquittoMissing, startMosquitto } from './support/mosquitto.js';
import { espruinoNet } from './support/espruino-net.js';
import { waitFor } from './support/wait.js';

describe('mqtt-packets: reading', function () {
  it('cuts packets out of bytes split anywhere, several per piece', function () {
    const a = publishPacket('t/°C', 'x'.repeat(300), true); // a two-byte remaining length
    const b = subscribePacket('s/#', 7);
    const c = connectPacket({ clientId: 'c', keepalive: 10 });
    const all = a + b + c;
    for (let cut = 0; cut <= all.length; cut++) {
      const r = new MqttReader();
      const got: string[] = [];
      for (const piece of [all.slice(0, cut), all.slice(cut)]) {
        r.push(piece);
        for (let p = r.next(); p !== null; p = r.next()) got.push(p.type + ':' + p.flags + ':' + p.body.length);
      }
      assert.deepEqual(got, ['3:1:' + (a.length - 3), '8:2:' + (b.length - 2), '1:0:' + (c.length - 2)], 'cut at ' + cut);
    }
  });

  it('parses PUBLISH at QoS 0 and 1 (packet identifier skipped), text as UTF-8', function () {
    const r = new MqttReader();
    r.push(publishPacket('microlearn/°C', 'température 21,5 °C 😀', false));
    assert.deepEqual(parsePublish(r.next()!), { topic: 'microlearn/°C', payload: 'température 21,5 °C 😀', retain: false });
    // QoS 1: flags 0b0010, packet identifier 0x0102 after the topic
    const body = String.fromCharCode(0, 1) + 't' + String.fromCharCode(1, 2) + 'hi';
    r.push(String.fromCharCode(0x32, body.length) + body);
    assert.deepEqual(parsePublish(r.next()!), { topic: 't', payload: 'hi', retain: false });
    assert.throws(() => parsePublish({ type: 3, flags: 0, body: String.fromCharCode(0, 9) + 'ab' }), /malformed MQTT PUBLISH/);
  });

  it('refuses a remaining length of more than 4 bytes and packets over the limit', function () {
    const r = new MqttReader();
    r.push(String.fromCharCode(0x30, 0xff, 0xff, 0xff, 0xff, 0x01));
    assert.throws(() => r.next(), /more than 4 bytes/);
    const small = new MqttReader(100);
    small.push(publishPacket('t', 'x'.repeat(200), false));
    assert.throws(() => small.next(), /longer than the 100/);
  });

  it('decodes UTF-8 as TextDecoder does, malformed sequences as U+FFFD', function () {
    const samples = ['', 'plain', '°C', '€', '😀 and 𝄞', 'é\u0000x'];
    for (const s of samples) assert.equal(fromUtf8(utf8(s)), s);
    const bad = [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x41], [0xe2, 0x82], [0xe2, 0x82, 0x41], [0x80], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0x80, 0xaf], [0xf0, 0x9f, 0x98], [0x41, 0xf0, 0x9f, 0x98, 0x80, 0xc3]];
    for (const b of bad) {
      const s = String.fromCharCode(...b);
      assert.equal(fromUtf8(s), new TextDecoder().decode(bytesOf(s)), JSON.stringify(b));
    }
  });
});

describe('mqtt-socket: against a real Mosquitto', function () {
  const missing = mosquittoMissing();
  let broker: Mosquitto;
  const links: MqttLink[] = [];
  const timers = { setTimeout, clearTimeout };

  before(async function () {
    if (missing) {
      console.log('      skipped: ' + missing);
      this.skip();
    }
    broker = await startMosquitto({ users: { dev: 'pw', reader: 'rd' } });
  });

  after(async function () {
    for (const l of links) l.stop();
    if (broker) await broker.stop();
  });

  function open(password: string, keepalive: number): { link: MqttLink; messages: string[]; statuses: string[]; bytes: { up: number; down: number } } {
    const bytes = { up: 0, down: 0 };
    const link = new MqttLink(socketConnector(espruinoNet(bytes), timers), { url: broker.url, clientId: 'sock-' + links.length, username: 'dev', password, keepalive }, timers, { minMs: 60000 });
    const messages: string[] = [];
    const statuses: string[] = [];
    link.onMessage = (t, p) => messages.push(t + ' ' + p);
    link.onStatus = (s, d) => statuses.push(s + (d ? ': ' + d : ''));
    links.push(link);
    link.start();
    return { link, messages, statuses, bytes };
  }

  it('publishes retained text and receives what MQTT.js publishes, UTF-8 both ways', async function () {
    const d = open('pw', 60);
    await waitFor('online', () => d.link.status === 'online', 10000, () => d.statuses.join('\n') + broker.log());
    d.link.subscribe('down/#');
    d.link.publish({ topic: 'up/°C', payload: '21,5 °C 😀', retain: true });
    const c = mqtt.connect(broker.url, { username: 'reader', password: 'rd', clientId: 'reader', reconnectPeriod: 0 });
    const got: string[] = [];
    c.on('message', (t, p, packet) => got.push(t + ' ' + p.toString() + (packet.retain ? ' (retained)' : '')));
    await new Promise<void>((resolve, reject) => {
      c.once('error', reject);
      c.once('connect', () => c.subscribe('up/#', (e) => (e ? reject(e) : resolve())));
    });
    await waitFor('the retained message', () => got.length > 0, 10000);
    assert.deepEqual(got, ['up/°C 21,5 °C 😀 (retained)']);
    c.publish('down/x', 'über');
    await waitFor('the message down', () => d.messages.length > 0, 10000);
    assert.deepEqual(d.messages, ['down/x über']);
    c.end(true);
  });

  it('says in words that the broker refused the password', async function () {
    const d = open('wrong', 60);
    await waitFor('the refusal', () => d.link.lastError !== '', 10000, () => d.statuses.join('\n'));
    assert.ok(isAuthFailure(d.link.lastError), d.link.lastError);
    assert.match(d.link.lastError, /CONNACK 5/);
    assert.equal(d.link.status, 'offline');
  });

  it('keeps an idle connection alive with PINGREQ', async function () {
    this.timeout(20000);
    const d = open('pw', 1);
    await waitFor('online', () => d.link.status === 'online', 10000, () => d.statuses.join('\n'));
    const down = d.bytes.down;
    await new Promise((r) => setTimeout(r, 2600));
    assert.equal(d.link.status, 'online', d.statuses.join('\n'));
    // CONNACK (4 bytes) then one PINGRESP (2 bytes) per half keep-alive
    assert.ok(d.bytes.down - down >= 8, 'PINGRESPs received: ' + (d.bytes.down - down) + ' bytes');
  });
});
