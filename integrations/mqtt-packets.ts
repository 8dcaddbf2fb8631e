/**
 * MQTT 3.1.1 packets as binary strings (one char per byte), which is what
 * Espruino's sockets write and deliver. The packets a small client library
 * may lack: CONNECT with a last will, and PUBLISH with the retain flag
 * (Espruino's `MQTT` module sends neither); text is encoded as UTF-8 (so
 * "°C" arrives as Home Assistant expects it). And the reading side,
 * {@link MqttReader}, for a client that speaks MQTT over a bare socket
 * (mqtt-socket.ts).
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

/** PINGREQ (keep-alive). */
export function pingPacket(): string {
  return String.fromCharCode(0xc0, 0);
}

/** DISCONNECT (a goodbye: the broker does not publish the will). */
export function disconnectPacket(): string {
  return String.fromCharCode(0xe0, 0);
}

/**
 * UTF-8 bytes (a binary string, one char per byte) as text. A malformed
 * sequence gives one U+FFFD per maximal bad subpart, as TextDecoder does.
 */
export function fromUtf8(b: string): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b.charCodeAt(i);
    if (c < 0x80) {
      out += b.charAt(i++);
      continue;
    }
    // n continuation bytes follow; the first of them lies in lo..hi (no overlong forms, surrogates or values over U+10FFFF)
    const n = c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : 0;
    if (n === 0) {
      out += '\ufffd';
      i++;
      continue;
    }
    let v = c & (n === 1 ? 0x1f : n === 2 ? 0x0f : 0x07);
    let lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    let hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    let j = i + 1;
    let k = 0;
    for (; k < n && j < b.length; k++, j++) {
      const d = b.charCodeAt(j);
      if (d < lo || d > hi) break;
      v = (v << 6) | (d & 0x3f);
      lo = 0x80;
      hi = 0xbf;
    }
    i = j;
    if (k < n) out += '\ufffd';
    else if (v >= 0x10000) out += String.fromCharCode(0xd800 + ((v - 0x10000) >> 10), 0xdc00 + ((v - 0x10000) & 0x3ff));
    else out += String.fromCharCode(v);
  }
  return out;
}

/** One packet read off the wire: its type (1..14), the flags of its first byte, its body (a binary string). */
export interface MqttPacket {
  type: number;
  flags: number;
  body: string;
}

/** The largest packet {@link MqttReader} accepts by default (bytes of body). */
export const MAX_PACKET = 65536;

/**
 * Cuts the bytes a socket delivers (binary strings, in pieces of any size)
 * into whole MQTT packets. Throws an Error on a malformed length or a packet
 * longer than `maxBody` (the connection is then beyond repair: close it).
 */
export class MqttReader {
  private buf = '';
  private readonly maxBody: number;
  constructor(maxBody?: number) {
    this.maxBody = maxBody || MAX_PACKET;
  }
  /** Adds bytes received. */
  push(data: string): void {
    this.buf += data;
  }
  /** The next whole packet, or null until more bytes arrive. */
  next(): MqttPacket | null {
    const b = this.buf;
    if (b.length < 2) return null;
    let length = 0;
    let scale = 1;
    let i = 1;
    for (;;) {
      if (i >= b.length) return null;
      const d = b.charCodeAt(i++);
      length += (d & 0x7f) * scale;
      if ((d & 0x80) === 0) break;
      scale *= 128;
      if (i > 4) throw new Error('malformed MQTT packet: the remaining length takes more than 4 bytes');
    }
    if (length > this.maxBody) throw new Error('MQTT packet of ' + length + ' bytes is longer than the ' + this.maxBody + ' this client accepts');
    if (b.length < i + length) return null;
    const first = b.charCodeAt(0);
    this.buf = b.slice(i + length);
    return { type: first >> 4, flags: first & 15, body: b.slice(i, i + length) };
  }
}

/** Topic and payload (text) of a PUBLISH packet read by {@link MqttReader}; throws an Error when it is malformed. */
export function parsePublish(p: MqttPacket): { topic: string; payload: string; retain: boolean } {
  const b = p.body;
  if (b.length < 2) throw new Error('malformed MQTT PUBLISH');
  const n = (b.charCodeAt(0) << 8) | b.charCodeAt(1);
  // QoS 1 and 2 carry a packet identifier after the topic
  const start = 2 + n + ((p.flags & 6) !== 0 ? 2 : 0);
  if (start > b.length) throw new Error('malformed MQTT PUBLISH');
  return { topic: fromUtf8(b.slice(2, 2 + n)), payload: fromUtf8(b.slice(start)), retain: (p.flags & 1) !== 0 };
}
