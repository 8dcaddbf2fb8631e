/**
 * MQTT on Espruino through the `MQTT` module its IDE provides
 * (https://www.espruino.com/MQTT): it parses what the broker sends and keeps
 * the connection alive; the CONNECT (which it sends without a last will) and
 * retained PUBLISH (which it cannot flag) come from mqtt-packets.ts. The app
 * passes the modules in:
 *
 *   var link = new MqttLink(espruinoConnector(require("MQTT"), require("tls")),
 *     { url: "mqtt://192.168.1.10:1883", clientId: "thermostat-1", username: "thermostat", password: "…", will: ha.will() },
 *     { setTimeout: setTimeout, clearTimeout: clearTimeout });
 *
 * For mqtts://, `tls` is Espruino's TLS socket module (boards built with
 * TLS, such as ESP32) and `ca` the CA certificate as PEM text.
 */
import { MqttConnector, MqttEndpoint, MqttEvents, MqttOptions, MqttSession, refusal } from './mqtt.js';
import { connectPacket, fromUtf8, publishPacket } from './mqtt-packets.js';

/** Words for what the MQTT module emits ("Connection refused, BAD_USER_NAME_OR_PASSWORD", ...). */
export function describeEspruinoError(e: unknown, endpoint: MqttEndpoint): string {
  const s = String(e);
  if (s.indexOf('BAD_USER_NAME_OR_PASSWORD') >= 0) return refusal(4);
  if (s.indexOf('NOT_AUTHORIZED') >= 0) return refusal(5);
  if (s.indexOf('SERVER_UNAVAILABLE') >= 0) return refusal(3);
  if (s.indexOf('IDENTIFIER_REJECTED') >= 0) return refusal(2);
  return s || 'the connection to ' + endpoint.host + ':' + endpoint.port + ' closed';
}

/** A connector over Espruino's `MQTT` module; `tls` (require("tls")) for mqtts://. */
export function espruinoConnector(MQTT: any, tls?: any): MqttConnector {
  return {
    open(o: MqttOptions, endpoint: MqttEndpoint, ev: MqttEvents): MqttSession {
      const keepalive = o.keepalive || 60;
      const m = MQTT.create(endpoint.host, { port: endpoint.port, client_id: o.clientId, keep_alive: keepalive, username: o.username, password: o.password });
      // the module's CONNECT has no will: send ours (same session flags, plus the will)
      m.mqttConnect = function () {
        return connectPacket({ clientId: o.clientId, username: o.username, password: o.password, will: o.will, keepalive: keepalive });
      };
      let reason = '';
      let closed = false;
      const close = function () {
        if (closed) return;
        closed = true;
        ev.closed(reason || describeEspruinoError('', endpoint));
      };
      m.on('connected', function () {
        ev.connected();
      });
      m.on('message', function (topic: string, message: string) {
        // the module hands over the bytes as they came (a binary string); MQTT text is UTF-8
        ev.message(fromUtf8(topic), fromUtf8(message));
      });
      m.on('error', function (e: unknown) {
        if (!reason) reason = describeEspruinoError(e, endpoint);
        // a refused CONNACK leaves the socket open: close it, then report
        m.disconnect();
        close();
      });
      m.on('disconnected', close);
      // The module reads the CONNACK return code one byte too far (`0|pData.charCodeAt(3)` of its
      // 2-byte body: always 0), so it takes a refused connection for an accepted one. Read the code
      // of the first packet here (Mosquitto sends the CONNACK whole) and refuse in words.
      const handle = m.packetHandler;
      if (typeof handle === 'function') {
        m.packetHandler = function (data: string) {
          if (!m.connected && data.length >= 4 && data.charCodeAt(0) >> 4 === 2 && data.charCodeAt(3) !== 0) {
            reason = refusal(data.charCodeAt(3));
            m.disconnect();
            close();
            return;
          }
          return handle.call(m, data);
        };
      }
      if (endpoint.secure) {
        if (!tls) throw new Error('mqtts:// needs require("tls") (a board built with TLS)');
        const sock = tls.connect({ host: endpoint.host, port: endpoint.port, ca: o.ca }, function () {
          m.connect(sock);
        });
        sock.on('error', function (e: unknown) {
          if (!reason) reason = 'TLS: ' + String(e);
          close();
        });
      } else {
        m.connect();
      }
      return {
        publish: function (topic, payload, retain) {
          if (m.client) m.client.write(publishPacket(topic, payload, retain));
        },
        subscribe: function (topic) {
          m.subscribe(topic);
        },
        end: function () {
          closed = true;
          m.disconnect();
        },
      };
    },
  };
}
