/**
 * MQTT on Node through MQTT.js (the `mqtt` npm package). The app imports
 * `mqtt` and passes it in, so this file (and microlearn) depends on nothing:
 *
 *   npm i mqtt
 *   import mqtt from 'mqtt';
 *   const link = new MqttLink(nodeConnector(mqtt), { url: 'mqtts://broker:8883', clientId: 'thermostat-1',
 *     username: 'thermostat', password: process.env.MQTT_PASSWORD, ca: fs.readFileSync('ca.pem', 'utf8'), will: ha.will() },
 *     { setTimeout, clearTimeout });
 *
 * MQTT.js's own reconnection is turned off: MqttLink reconnects, with backoff.
 */
import { MqttConnector, MqttEndpoint, MqttEvents, MqttLink, MqttOptions, MqttSession, MqttTimers, MqttWill, refusal } from './mqtt.js';

/** The part of MQTT.js used here (`import mqtt from 'mqtt'`). */
export interface MqttJs {
  connect(url: string, options: object): MqttJsClient;
}

interface MqttJsClient {
  on(event: string, fn: (...args: any[]) => void): unknown;
  publish(topic: string, payload: string, options: object): unknown;
  subscribe(topic: string, options?: object): unknown;
  end(force?: boolean): unknown;
}

/** Words for what MQTT.js reports. */
export function describeMqttJsError(e: { code?: unknown; message?: string }, endpoint: MqttEndpoint): string {
  const code = e && e.code;
  if (typeof code === 'number') return refusal(code);
  const m = String(e && e.message ? e.message : e);
  if (code === 'ECONNREFUSED') return 'no MQTT broker answers at ' + endpoint.host + ':' + endpoint.port + ' (ECONNREFUSED)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'cannot resolve the broker host ' + endpoint.host + ' (' + code + ')';
  if (typeof code === 'string' && (code.indexOf('CERT') >= 0 || code.indexOf('SSL') >= 0 || code.indexOf('TLS') >= 0 || code === 'DEPTH_ZERO_SELF_SIGNED_CERT'))
    return 'TLS: the broker\'s certificate is not trusted (' + code + ': ' + m + '); give the CA that signed it';
  return m;
}

/** A connector over MQTT.js. */
export function nodeConnector(mqtt: MqttJs): MqttConnector {
  return {
    open(o: MqttOptions, endpoint: MqttEndpoint, ev: MqttEvents): MqttSession {
      let reason = '';
      const opts: { [k: string]: unknown } = {
        clientId: o.clientId,
        keepalive: o.keepalive || 60,
        reconnectPeriod: 0,
        connectTimeout: 15000,
        protocolVersion: 4,
        clean: true,
      };
      if (o.username !== undefined) opts.username = o.username;
      if (o.password !== undefined) opts.password = o.password;
      if (o.ca !== undefined) opts.ca = o.ca;
      if (o.will) opts.will = { topic: o.will.topic, payload: o.will.payload, retain: o.will.retain, qos: 0 };
      const client = mqtt.connect((endpoint.secure ? 'mqtts://' : 'mqtt://') + (endpoint.host.indexOf(':') >= 0 ? '[' + endpoint.host + ']' : endpoint.host) + ':' + endpoint.port, opts);
      client.on('connect', () => ev.connected());
      client.on('message', (topic: string, payload: Uint8Array) => ev.message(topic, payload.toString()));
      client.on('error', (e: { code?: unknown; message?: string }) => {
        if (!reason) reason = describeMqttJsError(e, endpoint);
      });
      client.on('close', () => ev.closed(reason || 'the connection to ' + endpoint.host + ':' + endpoint.port + ' closed'));
      return {
        publish: (topic, payload, retain) => {
          client.publish(topic, payload, { qos: 0, retain: retain });
        },
        subscribe: (topic) => {
          client.subscribe(topic, { qos: 0 });
        },
        end: () => {
          client.end(false);
        },
      };
    },
  };
}

/** The MQTT settings a host program takes on its command line. */
export interface HostMqttSettings {
  /** `--mqtt URL`. */
  url: string;
  clientId: string;
  /** `--user`. */
  username?: string;
  /** `--password`, or the environment's (the caller picks which variable). */
  password?: string;
  /** `--ca FILE`: the path of the PEM file of the broker's certificate authority. */
  caFile?: string;
  will?: MqttWill;
}

/**
 * The MqttLink of a host program (the apps' `main.ts`, `microlearn fleet`):
 * MQTT.js, the CA read from its file, the host's timers (passed in: this
 * folder also builds in device apps, whose typings have no Node globals).
 * Throws an Error whose message a user can act on (an unreadable CA file, a
 * bad URL); the link is not started.
 */
export function hostLink(mqtt: MqttJs, s: HostMqttSettings, fs: { readFileSync(path: string, encoding: 'utf8'): string }, timers: MqttTimers): MqttLink {
  const mo: MqttOptions = { url: s.url, clientId: s.clientId };
  if (s.will !== undefined) mo.will = s.will;
  if (s.username !== undefined) mo.username = s.username;
  if (s.password !== undefined) mo.password = s.password;
  if (s.caFile !== undefined) {
    try {
      mo.ca = fs.readFileSync(s.caFile, 'utf8');
    } catch (e) {
      throw new Error('cannot read the CA file ' + s.caFile + ': ' + (e as Error).message);
    }
  }
  return new MqttLink(nodeConnector(mqtt), mo, timers);
}
