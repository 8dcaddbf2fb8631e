/**
 * An MQTT connection that stays up: connects with a last will, reconnects
 * with exponential backoff (with jitter, so a fleet does not reconnect in
 * step), says clearly why a connection failed (a wrong password included),
 * and lets the device go on working while offline. Runtime-free: the
 * connection itself comes from a per-runtime {@link MqttConnector}
 * (mqtt-node.ts for MQTT.js, mqtt-moddable.ts, mqtt-espruino.ts, or
 * mqtt-socket.ts, which speaks MQTT itself over an Espruino-API socket).
 *
 * @example
 * const link = new MqttLink(nodeConnector(mqtt), { url: 'mqtts://broker:8883', clientId: 'thermostat-1',
 *   username: 'thermostat', password: '…', ca: fs.readFileSync('ca.pem', 'utf8'), will: ha.will() }, timers);
 * link.onOnline = () => { for (const m of ha.discovery()) link.publish(m); };
 * link.onStatus = (status, why) => console.log('mqtt', status, why);
 * link.start();
 */
import { Random } from '../src/random.js';
import { crc32 } from '../src/crc32.js';

export interface MqttWill {
  topic: string;
  payload: string;
  retain: boolean;
}

export interface MqttOptions {
  /** `mqtt://host[:port]` (1883) or `mqtts://host[:port]` (8883, TLS). */
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  /** PEM text of the certificate authority that signed the broker's certificate (mqtts). */
  ca?: string;
  /** Published by the broker when the connection drops without a goodbye. */
  will?: MqttWill;
  /** Keep-alive (seconds, default 60). */
  keepalive?: number;
}

/** Where to connect, from {@link parseMqttUrl}. */
export interface MqttEndpoint {
  host: string;
  port: number;
  secure: boolean;
}

/** What a connector reports about one connection. */
export interface MqttEvents {
  connected(): void;
  message(topic: string, payload: string): void;
  /** The connection ended or could not be made; `reason` says why in words. Called once. */
  closed(reason: string): void;
}

/** One open (or opening) connection. */
export interface MqttSession {
  publish(topic: string, payload: string, retain: boolean): void;
  subscribe(topic: string): void;
  /** Closes politely (the broker does not publish the will). */
  end(): void;
}

/** A runtime's MQTT client, as the link needs it. */
export interface MqttConnector {
  open(options: MqttOptions, endpoint: MqttEndpoint, events: MqttEvents): MqttSession;
}

/** Timers of the runtime (Node's and Espruino's globals; Moddable's `Timer`). */
export interface MqttTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type MqttStatus = 'stopped' | 'connecting' | 'online' | 'offline';

/**
 * Parses `mqtt://host[:port]` / `mqtts://host[:port]` (an IPv6 host in
 * brackets); throws a clear Error otherwise. String operations only, no
 * regular expression: Espruino's differ from the standard.
 */
export function parseMqttUrl(url: string): MqttEndpoint {
  const bad = function (): never {
    throw new Error('MQTT broker URL must look like mqtt://host[:port] or mqtts://host[:port], got ' + JSON.stringify(url));
  };
  if (typeof url !== 'string') bad();
  const secure = url.indexOf('mqtts://') === 0;
  if (!secure && url.indexOf('mqtt://') !== 0) bad();
  let rest = url.slice(secure ? 8 : 7);
  if (rest.charAt(rest.length - 1) === '/') rest = rest.slice(0, -1);
  let host: string;
  let port = '';
  if (rest.charAt(0) === '[') {
    const end = rest.indexOf(']');
    if (end < 2) bad();
    host = rest.slice(1, end);
    if (end + 1 < rest.length) {
      if (rest.charAt(end + 1) !== ':') bad();
      port = rest.slice(end + 2);
    }
  } else {
    const colon = rest.indexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    if (colon >= 0) port = rest.slice(colon + 1);
  }
  if (host.length === 0 || host.indexOf('/') >= 0 || (host.indexOf(':') >= 0 && rest.charAt(0) !== '[')) bad();
  if (port !== '') {
    for (let i = 0; i < port.length; i++) if (port.charCodeAt(i) < 48 || port.charCodeAt(i) > 57) bad();
    if (port.length > 5) bad();
  }
  const n = port === '' ? (secure ? 8883 : 1883) : Number(port);
  if (!(n >= 1 && n <= 65535)) throw new Error('MQTT broker port must be 1..65535, got ' + port);
  return { host: host, port: n, secure: secure };
}

const REFUSALS = [
  '',
  'the broker does not speak MQTT 3.1.1 (CONNACK 1)',
  'the broker rejected the client id (CONNACK 2)',
  'the broker is unavailable (CONNACK 3)',
  'the broker refused the user name or password (CONNACK 4: bad user name or password)',
  'the broker refused the connection: not authorized (CONNACK 5; check the user name and password)',
];

/** Words for a CONNACK refusal code (MQTT 3.1.1 §3.2.2.3). */
export function refusal(code: number): string {
  return REFUSALS[code] || 'the broker refused the connection (CONNACK ' + code + ')';
}

/** True when `reason` is a refusal of the credentials (retrying soon will not help). */
export function isAuthFailure(reason: string): boolean {
  return reason.indexOf('CONNACK 4') >= 0 || reason.indexOf('CONNACK 5') >= 0;
}

export interface MqttBackoff {
  /** First retry delay (ms, default 1000). */
  minMs?: number;
  /** Longest delay (ms, default 300000). */
  maxMs?: number;
  /** Shortest delay after the broker refused the credentials (ms, default 60000). */
  authMs?: number;
}

/** A connection that reconnects by itself; see the module comment. */
export class MqttLink {
  readonly options: MqttOptions;
  readonly endpoint: MqttEndpoint;
  status: MqttStatus = 'stopped';
  /** Why the last connection ended or failed ('' if it never did). */
  lastError = '';
  /** Failed attempts since the last successful connection. */
  failures = 0;
  /** Called on every successful connection: publish discovery and state, subscribe. */
  onOnline: (() => void) | null = null;
  onMessage: ((topic: string, payload: string) => void) | null = null;
  /** Called on each change of status, with the reason when going offline and the delay before the next try. */
  onStatus: ((status: MqttStatus, detail: string) => void) | null = null;
  private readonly connector: MqttConnector;
  private readonly timers: MqttTimers;
  private readonly minMs: number;
  private readonly maxMs: number;
  private readonly authMs: number;
  private readonly rng: Random;
  private session: MqttSession | null = null;
  private timer: unknown = null;
  private generation = 0;

  constructor(connector: MqttConnector, options: MqttOptions, timers: MqttTimers, backoff?: MqttBackoff) {
    if (!options || typeof options.clientId !== 'string' || options.clientId.length === 0) throw new Error('MQTT needs a client id');
    this.endpoint = parseMqttUrl(options.url);
    if (options.ca !== undefined && !this.endpoint.secure) throw new Error('a CA certificate was given for ' + options.url + ': use mqtts:// for TLS');
    this.connector = connector;
    this.options = options;
    this.timers = timers;
    const b = backoff || {};
    this.minMs = b.minMs || 1000;
    this.maxMs = b.maxMs || 300000;
    this.authMs = b.authMs || 60000;
    const id = options.clientId;
    const bytes = new Uint8Array(id.length);
    for (let i = 0; i < id.length; i++) bytes[i] = id.charCodeAt(i) & 0xff;
    this.rng = new Random(crc32(bytes, 0, bytes.length));
  }

  /** Starts connecting (and reconnecting after every loss) until {@link stop}. */
  start(): void {
    if (this.status !== 'stopped') return;
    this.connect();
  }

  /** Closes the connection politely and stops reconnecting. */
  stop(): void {
    this.generation++;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    const s = this.session;
    this.session = null;
    this.set('stopped', '');
    if (s) s.end();
  }

  /** Publishes when online; returns false (and drops the message) when not. */
  publish(m: { topic: string; payload: string; retain: boolean }): boolean {
    if (this.status !== 'online' || this.session === null) return false;
    this.session.publish(m.topic, m.payload, m.retain);
    return true;
  }

  subscribe(topic: string): boolean {
    if (this.status !== 'online' || this.session === null) return false;
    this.session.subscribe(topic);
    return true;
  }

  /** Milliseconds before retry number `failures` (1, 2, ...): doubling from minMs up to maxMs, ±20 % jitter. */
  delay(failures: number, reason: string): number {
    let d = this.minMs;
    for (let i = 1; i < failures && d < this.maxMs; i++) d *= 2;
    if (d > this.maxMs) d = this.maxMs;
    if (isAuthFailure(reason) && d < this.authMs) d = this.authMs;
    return Math.floor(d * (0.8 + 0.4 * (this.rng.nextU32() / 4294967296)));
  }

  private set(status: MqttStatus, detail: string): void {
    this.status = status;
    if (this.onStatus) this.onStatus(status, detail);
  }

  private connect(): void {
    const gen = ++this.generation;
    this.timer = null;
    this.set('connecting', this.endpoint.host + ':' + this.endpoint.port);
    const self = this;
    let ended = false;
    const events: MqttEvents = {
      connected: function () {
        if (gen !== self.generation) return;
        self.failures = 0;
        self.set('online', '');
        if (self.onOnline) self.onOnline();
      },
      message: function (topic: string, payload: string) {
        if (gen === self.generation && self.onMessage) self.onMessage(topic, payload);
      },
      closed: function (reason: string) {
        if (ended || gen !== self.generation) return;
        ended = true;
        self.session = null;
        self.failures++;
        self.lastError = reason;
        const wait = self.delay(self.failures, reason);
        self.set('offline', reason + '; retrying in ' + Math.floor(wait / 100) / 10 + ' s');
        self.timer = self.timers.setTimeout(function () {
          if (gen === self.generation) self.connect();
        }, wait);
      },
    };
    try {
      this.session = this.connector.open(this.options, this.endpoint, events);
    } catch (e) {
      events.closed('could not start a connection: ' + String(e && (e as Error).message ? (e as Error).message : e));
    }
  }
}
