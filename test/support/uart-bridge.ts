/**
 * A serial-to-TCP bridge for the XS host: runs `mlxs --uart` scripts
 * (targets/xs/host/mlxs.c) with their UART (the host's stdin/stdout) piped
 * to one TCP connection, both ways, byte for byte, like a Wi-Fi modem in
 * transparent mode. It reads nothing of what passes: the MQTT on the wire is
 * the script's own. The TCP connection opens before the script starts and
 * its end closes the script's stdin; the script's exit closes the socket.
 *
 *   const run = startUartBridge(binary, ['device.js'], { host: '127.0.0.1', port: 1883 });
 *   const { code, log } = await run.exited;
 */
import { spawn } from 'node:child_process';
import * as net from 'node:net';

export interface UartRun {
  /** What the script printed (print() goes to stderr under --uart) so far. */
  log(): string;
  /** Bytes the script sent and received over the UART. */
  bytes: { up: number; down: number };
  exited: Promise<{ code: number | null; log: string }>;
  kill(): void;
}

export function startUartBridge(binary: string, files: string[], broker: { host: string; port: number }): UartRun {
  const log: Buffer[] = [];
  const bytes = { up: 0, down: 0 };
  const socket = net.connect({ host: broker.host, port: broker.port });
  const child = spawn(binary, ['--uart', '--', ...files], { stdio: ['pipe', 'pipe', 'pipe'] });
  const text = () => Buffer.concat(log).toString();
  child.stdout!.on('data', (d: Buffer) => {
    bytes.up += d.length;
    socket.write(d);
  });
  socket.on('data', (d: Buffer) => {
    bytes.down += d.length;
    if (child.stdin!.writable) child.stdin!.write(d);
  });
  child.stdin!.on('error', () => {}); // the script exited while bytes were on their way
  socket.on('error', (e) => log.push(Buffer.from('uart bridge: ' + e.message + '\n')));
  socket.on('close', () => child.stdin!.end());
  child.stderr!.on('data', (d: Buffer) => log.push(d));
  const exited = new Promise<{ code: number | null; log: string }>((resolve) => {
    child.on('close', (code) => {
      socket.end();
      resolve({ code, log: text() });
    });
  });
  return { log: text, bytes, exited, kill: () => child.kill('SIGKILL') };
}
