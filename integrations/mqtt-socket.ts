/**
 * MQTT 3.1.1 (QoS 0) spoken by microlearn itself over a bare socket with
 * Espruino's `net` API: `require("net")` on an Espruino board with a
 * network (or `require("tls")` for mqtts://), without the IDE's `MQTT`
 * module, or any byte pipe that offers the same API (a UART to a
 * serial-to-TCP bridge, as test/fleet-mqtt.test.ts runs it on the XS host).
 * Packets come from mqtt-packets.ts, both ways:
 *
 *   var link = new MqttLink(socketConnector(require("net"), timers),
 *     { url: "mqtt://192.168.1.10:1883", clientId: "room-1", username: "room1", password: "…" }, timers);
 *
 * Keep-alive: a PINGREQ every `keepalive` / 2 seconds; a connection without
 * a PINGRESP by the next one, or without a CONNACK within 15 s, is closed.
 */
import { MqttConnector, MqttEndpoint, MqttEvents, MqttOptions, MqttSession, MqttTimers, refusal } from './mqtt.js';
import { MqttReader, connectPacket, disconnectPacket, parsePublish, pingPacket, publishPacket, subscribePacket } from './mqtt-packets.js';

/** A socket as Espruino's `net.connect` returns it: binary strings both ways. */
export interface EspruinoSocket {
  write(data: string): unknown;
  /** 'data' (a binary string), 'close', 'error' ({ code, message }). */
  on(event: string, fn: (arg?: any) => void): unknown;
  end(): unknown;
}

/** Espruino's `net` (or `tls`) module, as far as this client uses it. */
export interface EspruinoNet {
  connect(options: { host: string; port: number; ca?: string }, onConnect: () => void): EspruinoSocket;
}

const CONNACK_MS = 15000;

/**
 * A connector speaking MQTT over `net` (and `tls` for mqtts://) sockets;
 * `timers` for the keep-alive and the CONNACK timeout.
 */
export function socketConnector(net: EspruinoNet, timers: MqttTimers, tls?: EspruinoNet): MqttConnector {
  return {
    open(o: MqttOptions, endpoint: MqttEndpoint, ev: MqttEvents): MqttSession {
      const keepalive = o.keepalive || 60;
      const where = endpoint.host + ':' + endpoint.port;
      const reader = new MqttReader();
      let reason = '';
      let closed = false;
      let online = false;
      let waiting = false; // a PINGREQ has no answer yet
      let timer: unknown = null;
      let packetId = 0;
      const mod = endpoint.secure ? tls : net;
      if (!mod) throw new Error('mqtts:// needs a tls module (require("tls"), a board built with TLS)');
      const stopTimer = function (): void {
        if (timer !== null) timers.clearTimeout(timer);
        timer = null;
      };
      const fail = function (why: string): void {
        if (!reason) reason = why;
        stopTimer();
        sock.end();
      };
      const ping = function (): void {
        timer = null;
        if (closed) return;
        if (waiting) return fail('no answer from the broker at ' + where + ' for ' + keepalive + ' s');
        waiting = true;
        sock.write(pingPacket());
        timer = timers.setTimeout(ping, (keepalive * 1000) / 2);
      };
      const receive = function (data: string): void {
        if (closed) return;
        reader.push(data);
        try {
          for (let p = reader.next(); p !== null && !closed; p = reader.next()) {
            if (p.type === 2) {
              const code = p.body.length >= 2 ? p.body.charCodeAt(1) : -1;
              if (code !== 0) return fail(code < 0 ? 'malformed CONNACK from ' + where : refusal(code));
              online = true;
              stopTimer();
              if (keepalive > 0) timer = timers.setTimeout(ping, (keepalive * 1000) / 2);
              ev.connected();
            } else if (!online) {
              return fail('the broker at ' + where + ' sent packet type ' + p.type + ' before CONNACK');
            } else if (p.type === 3) {
              const m = parsePublish(p);
              ev.message(m.topic, m.payload);
            } else if (p.type === 13) {
              waiting = false;
            } else if (p.type === 9) {
              if (p.body.length >= 3 && p.body.charCodeAt(2) === 0x80) reason = 'the broker refused a subscription (SUBACK 0x80: not allowed by its ACL?)';
            }
          }
        } catch (e) {
          fail(String(e && (e as Error).message ? (e as Error).message : e));
        }
      };
      const sock = mod.connect({ host: endpoint.host, port: endpoint.port, ca: o.ca }, function () {
        if (closed) return;
        sock.write(connectPacket({ clientId: o.clientId, username: o.username, password: o.password, will: o.will, keepalive: keepalive }));
      });
      sock.on('data', receive);
      sock.on('error', function (e: { message?: string } | undefined) {
        if (!reason) reason = 'socket error on ' + where + ': ' + (e && e.message ? e.message : String(e));
      });
      sock.on('close', function () {
        stopTimer();
        if (closed) return;
        closed = true;
        ev.closed(reason || 'the connection to ' + where + ' closed');
      });
      timer = timers.setTimeout(function () {
        timer = null;
        if (!online) fail('no CONNACK from the broker at ' + where + ' within ' + CONNACK_MS / 1000 + ' s');
      }, CONNACK_MS);
      return {
        publish: function (topic: string, payload: string, retain: boolean) {
          if (online && !closed) sock.write(publishPacket(topic, payload, retain));
        },
        subscribe: function (topic: string) {
          packetId = (packetId % 65535) + 1;
          if (online && !closed) sock.write(subscribePacket(topic, packetId));
        },
        end: function () {
          if (closed) return;
          closed = true;
          stopTimer();
          if (online) sock.write(disconnectPacket());
          sock.end();
        },
      };
    },
  };
}
