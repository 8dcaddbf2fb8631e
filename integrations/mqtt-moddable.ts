/**
 * MQTT on a Moddable device through the SDK's own client (the `mqtt`
 * module, `$(MODDABLE)/modules/network/mqtt/manifest.json`), TLS through its
 * `securesocket` (`$(MODDABLE)/modules/crypt/tls.json`). The app imports them
 * and passes them in:
 *
 *   import Client from "mqtt";
 *   import SecureSocket from "securesocket";
 *   import Resource from "Resource";
 *   import Timer from "timer";
 *   const timers = { setTimeout: (f, ms) => Timer.set(f, ms), clearTimeout: (t) => Timer.clear(t) };
 *   const link = new MqttLink(moddableConnector(Client, timers, { SecureSocket, certificate: new Resource("ca.der") }),
 *     { url: "mqtts://broker.lan:8883", clientId: "thermostat-1", username: "thermostat", password: "…", will: ha.will() }, timers);
 *
 * The SDK's client reports a refused connection only through a trace and
 * `onClose`; the subclass below keeps the reason (its `fail(message)`), so a
 * wrong password is reported in words.
 */
import { MqttConnector, MqttEndpoint, MqttEvents, MqttOptions, MqttSession, MqttTimers, refusal } from './mqtt.js';
import { bytesOf, publishPacket, subscribePacket } from './mqtt-packets.js';

/** Words for the reason Moddable's client gives ("server rejected mqtt request with code 5", ...). */
export function describeModdableFailure(message: string, endpoint: MqttEndpoint): string {
  const m = /code (\d+)/.exec(message || '');
  if (m && message.indexOf('rejected') >= 0) return refusal(Number(m[1]));
  if (!message) return 'the connection to ' + endpoint.host + ':' + endpoint.port + ' closed';
  return message;
}

/**
 * A connector over Moddable's `mqtt` Client: it connects (with the will),
 * keeps the connection alive and parses what the broker sends; PUBLISH and
 * SUBSCRIBE come from mqtt-packets.ts and are written through its socket as
 * the socket's buffer takes them (the client itself writes each packet whole
 * and throws "can't write all data" when one does not fit: a discovery burst
 * or a 2 KB summary does not). `timers` paces those writes. `tls` is needed
 * for mqtts:// only: the SDK's SecureSocket and, for a private CA, its
 * certificate (DER).
 */
export function moddableConnector(Client: any, timers: MqttTimers, tls?: { SecureSocket: any; certificate?: ArrayBuffer }): MqttConnector {
  const Base = Client as new (dictionary: object) => any;
  class Tracked extends Base {
    reason = '';
    fail(message: string) {
      if (!this.reason) this.reason = String(message || '');
      super.fail(message);
    }
  }
  return {
    open(o: MqttOptions, endpoint: MqttEndpoint, ev: MqttEvents): MqttSession {
      const dict: { [k: string]: unknown } = { host: endpoint.host, port: endpoint.port, id: o.clientId, timeout: (o.keepalive || 60) * 1000 };
      if (o.username !== undefined) dict.user = o.username;
      if (o.password !== undefined) dict.password = o.password;
      if (o.will) dict.will = { topic: o.will.topic, message: o.will.payload, retain: o.will.retain };
      if (endpoint.secure) {
        if (!tls || !tls.SecureSocket) throw new Error('mqtts:// needs SecureSocket (include $(MODDABLE)/modules/crypt/tls.json)');
        dict.Socket = tls.SecureSocket;
        dict.secure = tls.certificate ? { protocolVersion: 0x0303, certificate: tls.certificate } : { protocolVersion: 0x0303 };
      }
      const c = new Tracked(dict);
      let closed = false;
      // Our PUBLISH and SUBSCRIBE packets, written through the client's socket as its buffer takes them
      // (the SDK client writes each packet whole and throws "can't write all data" when it does not fit).
      const out: Uint8Array[] = [];
      let offset = 0;
      let timer: unknown = null;
      let packetId = 0;
      let waits = 0;
      const pump = function (): void {
        timer = null;
        const ws = c.ws;
        while (out.length > 0 && !closed && ws) {
          const b = out[0];
          const room = ws.write() as number;
          // whole packets only (the client's keep-alive ping must not land inside one), unless one never fits
          if (!(room > 0) || (offset === 0 && room < b.length && ++waits < 50)) {
            timer = timers.setTimeout(pump, 20);
            return;
          }
          waits = 0;
          const n = room < b.length - offset ? room : b.length - offset;
          ws.write(b.slice(offset, offset + n).buffer);
          offset += n;
          if (offset === b.length) {
            out.shift();
            offset = 0;
          }
        }
      };
      const send = function (packet: string): void {
        out.push(bytesOf(packet));
        if (timer === null) pump();
      };
      c.onReady = () => ev.connected();
      c.onMessage = (topic: string, body: ArrayBuffer) => ev.message(topic, (String as any).fromArrayBuffer(body));
      c.onClose = () => {
        if (closed) return;
        closed = true;
        out.length = 0;
        if (timer !== null) timers.clearTimeout(timer);
        ev.closed(describeModdableFailure(c.reason, endpoint));
      };
      return {
        publish: (topic, payload, retain) => send(publishPacket(topic, payload, retain)),
        subscribe: (topic) => send(subscribePacket(topic, (packetId = (packetId % 65535) + 1))),
        end: () => {
          closed = true;
          out.length = 0;
          if (timer !== null) timers.clearTimeout(timer);
          c.close();
        },
      };
    },
  };
}

