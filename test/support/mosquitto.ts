/**
 * A real Mosquitto broker for tests: started on 127.0.0.1 on free ports with
 * a generated configuration, stopped after. Debian package `mosquitto`
 * (`.ci/run` installs it); tests skip with a clear message when it is absent.
 *
 *   const broker = await startMosquitto({ users: { thermostat: 's3cret' }, tls: true, acl: ['user thermostat', 'topic readwrite #'] });
 *   // broker.url (mqtt://127.0.0.1:PORT), broker.tlsUrl (mqtts://127.0.0.1:PORT), broker.ca (PEM), broker.caFile, broker.caDer
 *   await broker.stop();
 *
 * - anonymous access unless `users` is given (then `allow_anonymous false`
 *   and a password file made with mosquitto_passwd);
 * - `tls: true` adds a TLS listener whose certificate is signed by a CA that
 *   this helper makes with openssl (CA and server key are fresh per broker);
 * - `acl` lines become the broker's acl_file (Mosquitto syntax: "user NAME",
 *   "topic [read|write|readwrite] TOPIC", "pattern ...").
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface MosquittoOptions {
  /** Accounts (name → password); when given, anonymous clients are refused. */
  users?: { [name: string]: string };
  /** Also listen with TLS (a CA and server certificate made for this broker). */
  tls?: boolean;
  /** Lines of an ACL file. */
  acl?: string[];
  /** More mosquitto.conf lines. */
  extra?: string[];
}

export interface Mosquitto {
  host: string;
  port: number;
  url: string;
  /** With `tls`: the TLS port and URL, the CA certificate (PEM text, file, DER file). */
  tlsPort: number;
  tlsUrl: string;
  ca: string;
  caFile: string;
  caDer: string;
  /** The broker's working directory (config, password and ACL files, log). */
  dir: string;
  /** What the broker logged so far. */
  log(): string;
  /** Kills the broker and removes its directory. */
  stop(): Promise<void>;
}

/** The mosquitto binary, or null when it is not installed. */
export function findMosquitto(): string | null {
  for (const p of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/local/bin/mosquitto']) if (fs.existsSync(p)) return p;
  try {
    return execFileSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' }).trim() || null;
  } catch (e) {
    return null;
  }
}

/** Why the MQTT tests cannot run here ('' when they can). */
export function mosquittoMissing(): string {
  if (!findMosquitto()) return 'mosquitto is not installed (Debian: apt-get install mosquitto; .ci/run does it)';
  try {
    execFileSync('sh', ['-c', 'command -v mosquitto_passwd && command -v openssl'], { stdio: 'ignore' });
  } catch (e) {
    return 'mosquitto_passwd or openssl is missing';
  }
  return '';
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect({ host: '127.0.0.1', port: port });
    c.on('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.on('error', () => resolve(false));
  });
}

function makeCertificates(dir: string): void {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=microlearn test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext']);
  run(['x509', '-in', 'ca.crt', '-outform', 'der', '-out', 'ca.der']);
}

/** Starts a broker; rejects with the broker's log if it does not come up within 10 s. */
export async function startMosquitto(options?: MosquittoOptions): Promise<Mosquitto> {
  const bin = findMosquitto();
  if (!bin) throw new Error(mosquittoMissing());
  const o = options || {};
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microlearn-mosquitto-'));
  const port = await freePort();
  const tlsPort = o.tls ? await freePort() : 0;
  const conf: string[] = ['per_listener_settings false', 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice', 'log_type information', 'connection_messages true'];
  // as root, mosquitto drops privileges to its own user, which could not read this directory
  if (process.getuid && process.getuid() === 0) conf.push('user root');
  conf.push('listener ' + port + ' 127.0.0.1');
  if (o.tls) {
    makeCertificates(dir);
    conf.push('listener ' + tlsPort + ' 127.0.0.1', 'cafile ' + path.join(dir, 'ca.crt'), 'certfile ' + path.join(dir, 'server.crt'), 'keyfile ' + path.join(dir, 'server.key'));
  }
  if (o.users) {
    const file = path.join(dir, 'passwd');
    let first = true;
    for (const name of Object.keys(o.users)) {
      execFileSync('mosquitto_passwd', first ? ['-c', '-b', file, name, o.users[name]] : ['-b', file, name, o.users[name]], { stdio: 'ignore' });
      first = false;
    }
    conf.push('allow_anonymous false', 'password_file ' + file);
  } else {
    conf.push('allow_anonymous true');
  }
  if (o.acl) {
    fs.writeFileSync(path.join(dir, 'acl'), o.acl.join('\n') + '\n');
    conf.push('acl_file ' + path.join(dir, 'acl'));
  }
  if (o.extra) conf.push(...o.extra);
  const confFile = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(confFile, conf.join('\n') + '\n');
  const log: Buffer[] = [];
  const child: ChildProcess = spawn(bin, ['-c', confFile], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => log.push(d));
  child.stderr!.on('data', (d) => log.push(d));
  let exited = false;
  child.on('exit', () => (exited = true));
  const text = () => Buffer.concat(log).toString();
  const deadline = Date.now() + 10000;
  for (;;) {
    if (exited) throw new Error('mosquitto exited at start:\n' + text());
    if ((await canConnect(port)) && (!o.tls || (await canConnect(tlsPort)))) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('mosquitto did not come up within 10 s:\n' + text());
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: '127.0.0.1',
    port: port,
    url: 'mqtt://127.0.0.1:' + port,
    tlsPort: tlsPort,
    tlsUrl: o.tls ? 'mqtts://127.0.0.1:' + tlsPort : '',
    ca: o.tls ? fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8') : '',
    caFile: o.tls ? path.join(dir, 'ca.crt') : '',
    caDer: o.tls ? path.join(dir, 'ca.der') : '',
    dir: dir,
    log: text,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (exited) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => {
          if (!exited) child.kill('SIGKILL');
        }, 3000);
      }),
  };
}
