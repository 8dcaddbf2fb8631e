/**
 * Espruino's `net` module (its 2v2x reference: `connect({ host, port },
 * callback)` returning a Socket with `write(string)`, `end()` and the events
 * 'data' (a string of received bytes), 'close' (had_error) and 'error'
 * ({ code, message })) backed by a real Node TCP socket, for bundles run in
 * the Espruino run-time gate (targets/espruino/gate.mjs): what the board's
 * network stack would do, and nothing of MQTT.
 */
import * as net from 'node:net';
import type { EspruinoNet, EspruinoSocket } from '../../integrations/mqtt-socket.js';

export function espruinoNet(count?: { up: number; down: number }): EspruinoNet {
  return {
    connect(options: { host: string; port: number }, onConnect: () => void): EspruinoSocket {
      const s = net.connect({ host: options.host, port: options.port });
      s.on('connect', () => onConnect());
      return {
        write(data: string) {
          if (count) count.up += data.length;
          s.write(Buffer.from(data, 'latin1'));
          return false;
        },
        on(event: string, fn: (arg?: any) => void) {
          if (event === 'data')
            s.on('data', (d: Buffer) => {
              if (count) count.down += d.length;
              fn(d.toString('latin1'));
            });
          else if (event === 'close') s.on('close', (hadError: boolean) => fn(hadError));
          else if (event === 'error') s.on('error', (e: NodeJS.ErrnoException) => fn({ code: -1, message: e.code ? e.code + ' ' + e.message : e.message }));
        },
        end() {
          s.end();
        },
      };
    },
  };
}
