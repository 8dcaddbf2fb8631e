/**
 * The two MQTT 3.1.1 packets a small client library may lack: CONNECT with
 * a last will, and PUBLISH with the retain flag (Espruino's `MQTT` module
 * sends neither). Built as binary strings (one char per byte), which is what
 * Espruino's sockets write; text is encoded as UTF-8 (so "°C" arrives as
 * Home Assistant expects it).
 */
import { MqttWill } from './mqtt.js';

/** `s` as UTF-8, one char per byte. */
export function utf8(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out += s.charAt(i);
      continue;
    }
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out += String.fromCharCode(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** A length-prefixed field of bytes `b` (a binary string). */
function field(b: string): string {
  return String.fromCharCode((b.length >> 8) & 0xff, b.length & 0xff) + b;
}

/** Fixed header: type/flags byte and the remaining length (variable-length encoding). */
function header(first: number, length: number): string {
  let s = String.fromCharCode(first);
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    s += String.fromCharCode(byte);
  } while (length > 0);
  return s;
}

export interface ConnectFields {
  clientId: string;
  username?: string;
  password?: string;
  will?: MqttWill;
  /** Seconds. */
  keepalive: number;
}

/** CONNECT (MQTT 3.1.1, clean session), with the will and credentials when given. */
export function connectPacket(o: ConnectFields): string {
  let flags = 0x02;
  let payload = field(utf8(o.clientId));
  if (o.will) {
    flags |= 0x04 | (o.will.retain ? 0x20 : 0);
    payload += field(utf8(o.will.topic)) + field(utf8(o.will.payload));
  }
  if (o.username !== undefined) {
    flags |= 0x80;
    payload += field(utf8(o.username));
    if (o.password !== undefined) {
      flags |= 0x40;
      payload += field(utf8(o.password));
    }
  }
  const ka = o.keepalive > 65535 ? 65535 : o.keepalive < 0 ? 0 : Math.floor(o.keepalive);
  const variable = field('MQTT') + String.fromCharCode(4, flags, (ka >> 8) & 0xff, ka & 0xff);
  return header(0x10, variable.length + payload.length) + variable + payload;
}

/** PUBLISH at QoS 0, retained or not. */
export function publishPacket(topic: string, payload: string, retain: boolean): string {
  const t = field(utf8(topic));
  const p = utf8(payload);
  return header(0x30 | (retain ? 1 : 0), t.length + p.length) + t + p;
}

/** SUBSCRIBE to one topic filter at QoS 0 with packet identifier `id` (1..65535). */
export function subscribePacket(topic: string, id: number): string {
  const body = String.fromCharCode((id >> 8) & 0xff, id & 0xff) + field(utf8(topic)) + String.fromCharCode(0);
  return header(0x82, body.length) + body;
}

/** A binary string (one char per byte) as bytes. */
export function bytesOf(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}
