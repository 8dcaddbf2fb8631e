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
 *   const link = new MqttLink(moddableConnector(Client, SecureSocket, new Resource("ca.der")),
 *     { url: "mqtts://broker.lan:8883", clientId: "thermostat-1", username: "thermostat", password: "…", will: ha.will() },
 *     { setTimeout: (f, ms) => Timer.set(f, ms), clearTimeout: (t) => Timer.clear(t) });
 *
 * The SDK's client reports a refused connection only through a trace and
 * `onClose`; the subclass below keeps the reason (its `fail(message)`), so a
 * wrong password is reported in words.
 */
import { MqttConnector, MqttEndpoint, MqttEvents, MqttOptions, MqttSession, refusal } from './mqtt.js';

/** Words for the reason Moddable's client gives ("server rejected mqtt request with code 5", ...). */
export function describeModdableFailure(message: string, endpoint: MqttEndpoint): string {
  const m = /code (\d+)/.exec(message || '');
  if (m && message.indexOf('rejected') >= 0) return refusal(Number(m[1]));
  if (!message) return 'the connection to ' + endpoint.host + ':' + endpoint.port + ' closed';
  return message;
}

/**
 * A connector over Moddable's `mqtt` Client. `SecureSocket` and `certificate`
 * (the CA's certificate, DER) are needed for mqtts:// only.
 */
export function moddableConnector(Client: any, SecureSocket?: any, certificate?: ArrayBuffer): MqttConnector {
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
        if (!SecureSocket) throw new Error('mqtts:// needs SecureSocket (include $(MODDABLE)/modules/crypt/tls.json)');
        dict.Socket = SecureSocket;
        dict.secure = certificate ? { protocolVersion: 0x0303, certificate: certificate } : { protocolVersion: 0x0303 };
      }
      const c = new Tracked(dict);
      let closed = false;
      c.onReady = () => ev.connected();
      c.onMessage = (topic: string, body: ArrayBuffer) => ev.message(topic, (String as any).fromArrayBuffer(body));
      c.onClose = () => {
        if (closed) return;
        closed = true;
        ev.closed(describeModdableFailure(c.reason, endpoint));
      };
      return {
        publish: (topic, payload, retain) => {
          c.publish(topic, payload, { retain: retain });
        },
        subscribe: (topic) => {
          c.subscribe(topic);
        },
        end: () => {
          closed = true;
          c.close();
        },
      };
    },
  };
}
