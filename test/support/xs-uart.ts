/**
 * A board's run loop for scripts on our XS host started with `mlxs --uart`
 * (targets/xs/host/mlxs.c): timers, and Espruino's `net` API over the UART
 * (stdin/stdout of the host), whose other end is a serial-to-TCP bridge
 * (uart-bridge.ts) already connected to the broker: `connect` opens nothing,
 * it hands out the one byte stream, as a modem in transparent mode would.
 * The bytes are the device's own (integrations/mqtt-socket.ts writes and
 * parses every MQTT packet).
 */
import type { EspruinoNet, EspruinoSocket } from '../../integrations/mqtt-socket.js';

declare const uartRead: (buffer: ArrayBuffer, timeoutMs: number) => number;
declare const uartWrite: (buffer: ArrayBuffer, length: number) => void;

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

const CHUNK = 2048;

/** Timers and the UART socket, run by {@link UartLoop.run}. */
export class UartLoop {
  private timers: Timer[] = [];
  private nextId = 1;
  private readonly inBuf = new Uint8Array(CHUNK);
  private readonly outBuf = new Uint8Array(CHUNK);
  private handlers: { [event: string]: Array<(arg?: any) => void> } = { data: [], close: [], error: [] };
  private open = false;
  private ended = false;
  private eof = false;

  setTimeout(fn: () => void, ms: number): number {
    const t = { id: this.nextId++, at: Date.now() + (ms > 0 ? ms : 0), fn: fn };
    this.timers.push(t);
    return t.id;
  }

  clearTimeout(id: unknown): void {
    for (let i = 0; i < this.timers.length; i++) {
      if (this.timers[i].id === id) {
        this.timers.splice(i, 1);
        return;
      }
    }
  }

  /** Espruino's `net` over the UART (one connection: the bridge's). */
  net(): EspruinoNet {
    const self = this;
    return {
      connect: function (_options: { host: string; port: number }, onConnect: () => void): EspruinoSocket {
        if (self.open || self.ended) throw new Error('the UART carries one connection');
        self.open = true;
        const socket: EspruinoSocket = {
          write: function (data: string) {
            self.write(data);
            return false;
          },
          on: function (event: string, fn: (arg?: any) => void) {
            if (self.handlers[event]) self.handlers[event].push(fn);
          },
          end: function () {
            self.close(false);
          },
        };
        self.setTimeout(onConnect, 0);
        return socket;
      },
    };
  }

  private write(data: string): void {
    if (!this.open) return;
    for (let i = 0; i < data.length; i += CHUNK) {
      const n = data.length - i < CHUNK ? data.length - i : CHUNK;
      for (let k = 0; k < n; k++) this.outBuf[k] = data.charCodeAt(i + k) & 0xff;
      uartWrite(this.outBuf.buffer, n);
    }
  }

  private close(hadError: boolean): void {
    if (!this.open) return;
    this.open = false;
    this.ended = true;
    const hs = this.handlers.close;
    for (let i = 0; i < hs.length; i++) hs[i](hadError);
  }

  /** Runs timers and the UART until `done()` is true or `limitMs` have passed; false on the time limit. */
  run(done: () => boolean, limitMs: number): boolean {
    const end = Date.now() + limitMs;
    while (!done()) {
      let now = Date.now();
      if (now > end) return false;
      // due timers, earliest first
      for (;;) {
        let first = -1;
        for (let i = 0; i < this.timers.length; i++) if (this.timers[i].at <= now && (first < 0 || this.timers[i].at < this.timers[first].at)) first = i;
        if (first < 0) break;
        const t = this.timers[first];
        this.timers.splice(first, 1);
        t.fn();
        if (done()) return true;
        now = Date.now();
      }
      let wait = 200;
      for (let i = 0; i < this.timers.length; i++) if (this.timers[i].at - now < wait) wait = this.timers[i].at - now;
      if (this.eof) return done(); // the bridge hung up: nothing more can arrive
      const n = uartRead(this.inBuf.buffer, wait > 0 ? wait : 0);
      if (n < 0) {
        this.eof = true;
        this.close(true);
      } else if (n > 0 && this.open) {
        let s = '';
        for (let i = 0; i < n; i++) s += String.fromCharCode(this.inBuf[i]);
        const hs = this.handlers.data;
        for (let i = 0; i < hs.length; i++) hs[i](s);
      }
    }
    return true;
  }
}
