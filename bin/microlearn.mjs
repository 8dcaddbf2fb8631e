#!/usr/bin/env node
// microlearn — build for a device, upload to an Espruino board, test a board.
//
//   microlearn build --target espruino [--algorithm NAME | --include A,B,... | --lite] [--out DIR] [--prebuilt]
//   microlearn build --target moddable [--app DIR] [--platform P] [--out DIR]
//   microlearn upload --port PORT [--algorithm NAME] [--file F] [--name microlearn] [--baud N]
//   microlearn test-device --port PORT [--only PREFIX] [--timeout SECONDS] [--baud N]
//   microlearn fleet --mqtt URL --fleet NAME --members A,B,C [--user U] [--ca FILE]
//                    [--initial FILE] [--quorum N] [--deadline SECONDS] [--save FILE] [--rounds N]
//   microlearn evaluate-anomaly …          (bin/evaluate-anomaly.mjs)
//
// PORT is a serial device (/dev/ttyACM0, COM3) or tcp://host:port (an
// Espruino reachable over the network, e.g. through a WiFi board or telnet).
// upload and test-device talk to the board through EspruinoTools (the
// `espruino` npm package), which is not installed with microlearn: install it
// with `npm i -g espruino` (serial support comes with its optional
// `serialport` dependency).

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import vm from 'node:vm';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const say = console.log.bind(console);
const sayErr = console.error.bind(console);
const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(PKG, 'dist', 'espruino');

const USAGE = `usage:
  microlearn build --target espruino [--algorithm NAME | --include A,B,... | --lite] [--out DIR] [--prebuilt]
      Writes DIR/microlearn.js (default DIR: ./modules, where the Espruino CLI
      looks for modules) so that require("microlearn") finds it. --algorithm
      picks a one-algorithm bundle (smaller), e.g. --algorithm linear. --include
      bundles exactly the exports named, plus a load() for the models among them,
      e.g. --include LogisticRegression,StandardScaler,Pipeline,ModelStore,EspruinoStorage
      (needs a source checkout: it runs tsc and rollup). --lite picks the device
      API (microlearn-lite.min.js: create/learn/predict/save/load functions for
      a linear or logistic model, optionally scaled; the smallest, for a
      Puck.js; docs/espruino.md). In a source checkout the bundles are rebuilt
      first unless --prebuilt is given.
  microlearn build --target moddable [--app DIR] [--platform P] [--out DIR]
      Runs mcconfig ($MODDABLE must be set) for the app in DIR (in a checkout
      of the repository, default: the headless test app) on platform P
      (default x-cli-lin).
  microlearn upload --port PORT [--algorithm NAME | --lite] [--file F] [--name NAME] [--baud N]
      Writes the bundle (or file F) to the board's Storage as NAME (default
      "microlearn"), so require("microlearn") works on the board after a reset.
  microlearn test-device --port PORT [--only PREFIX] [--timeout SECONDS] [--baud N]
      Runs the conformance suite on the board (optionally only the cases whose
      names start with PREFIX) and compares every hash with this computer's.
  microlearn fleet --mqtt URL --fleet NAME --members A,B,C [--user U] [--ca FILE]
                   [--initial FILE] [--quorum N] [--deadline SECONDS] [--save FILE] [--rounds N]
      Coordinates a fleet (docs/fleet.md): merges the members' models published
      on microlearn/NAME/<device>/model and publishes microlearn/NAME/global.
      URL is mqtt://host[:port] or mqtts://host[:port]; the broker account is
      --user (default "coordinator") with the password in $MICROLEARN_MQTT_PASSWORD;
      --ca FILE is the PEM of the CA that signed the broker's certificate.
      --initial FILE: the model blob the fleet starts from (round 0); --quorum:
      merge once N members reported (default all); --deadline: merge whoever
      reported this many seconds after a round's first report; --save FILE:
      write the global model after each merge; --rounds N: exit after N merges.
      Needs MQTT.js (npm i mqtt).
  PORT: a serial device (/dev/ttyACM0, COM3) or tcp://host:port.
  microlearn evaluate-anomaly [--signal] … FILES…
      Scores an anomaly-monitoring recipe on your labelled CSVs or raw
      recordings (microlearn evaluate-anomaly --help).`;

class CliError extends Error {}

function parseArgs(argv) {
  const opts = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') opts.help = true;
    else if (a === '--prebuilt') opts.prebuilt = true;
    else if (a === '--lite') opts.algorithm = 'lite'; // the device API's bundle, microlearn-lite.min.js
    else if (a === '--verbose') opts.verbose = true;
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) opts[a.slice(2, eq)] = a.slice(eq + 1);
      else {
        if (i + 1 >= argv.length) throw new CliError('option ' + a + ' needs a value');
        opts[a.slice(2)] = argv[++i];
      }
    } else opts._.push(a);
  }
  return opts;
}

function bundleFile(algorithm) {
  const file = algorithm ? 'microlearn-' + algorithm + '.min.js' : 'microlearn.min.js';
  const p = path.join(DIST, file);
  if (!fs.existsSync(p)) {
    const have = fs.existsSync(DIST) ? fs.readdirSync(DIST).filter((f) => /^microlearn-.*\.min\.js$/.test(f)).map((f) => f.slice(11, -7)) : [];
    if (algorithm && have.length) throw new CliError('no bundle for algorithm "' + algorithm + '"; available: ' + have.join(', '));
    throw new CliError(p + ' is missing: run `microlearn build --target espruino` in a microlearn checkout (or reinstall the package)');
  }
  return p;
}

function isCheckout() {
  return fs.existsSync(path.join(PKG, 'tsconfig.json')) && fs.existsSync(path.join(PKG, 'node_modules', 'rollup'));
}

async function buildEspruinoBundles(opts) {
  if (opts.include !== undefined) return buildIncluded(opts);
  if (!opts.prebuilt && isCheckout()) {
    say('microlearn: compiling (tsc) and bundling for Espruino');
    const r = spawnSync(process.execPath, [path.join(PKG, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(PKG, 'tsconfig.json')], { stdio: 'inherit' });
    if (r.status !== 0) throw new CliError('tsc failed');
    const { buildEspruino } = await import(path.join(PKG, 'targets', 'espruino', 'build.mjs'));
    for (const s of await buildEspruino()) say(String(s.bytes).padStart(8) + ' bytes  dist/espruino/' + s.file);
  }
  const src = bundleFile(opts.algorithm);
  const out = path.resolve(opts.out || 'modules');
  fs.mkdirSync(out, { recursive: true });
  // EspruinoTools (espruino-cli) resolves require("microlearn") to modules/microlearn.js.
  const dest = path.join(out, 'microlearn.js');
  fs.copyFileSync(src, dest);
  say('microlearn: wrote ' + dest + ' (' + fs.statSync(dest).size + ' bytes, from ' + path.basename(src) + ')');
  say('  On the board: var ml = require("microlearn");  (or `microlearn upload --port ...` to keep it in Storage)');
}

function compile() {
  say('microlearn: compiling (tsc)');
  const r = spawnSync(process.execPath, [path.join(PKG, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(PKG, 'tsconfig.json')], { stdio: 'inherit' });
  if (r.status !== 0) throw new CliError('tsc failed');
}

/** --include A,B: a bundle of exactly those exports (and a load() for their models). */
async function buildIncluded(opts) {
  if (opts.algorithm) throw new CliError('give --algorithm or --include, not both');
  if (!isCheckout()) throw new CliError('--include needs a source checkout of microlearn with its dev dependencies (tsc and rollup); an installed package has the prebuilt bundles (--algorithm)');
  const names = String(opts.include).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new CliError('--include needs export names, e.g. --include LogisticRegression,ModelStore');
  if (!opts.prebuilt) compile();
  const { bundleExports } = await import(path.join(PKG, 'targets', 'espruino', 'blocks.mjs'));
  let code;
  try {
    code = await bundleExports(names, { withLoad: true });
  } catch (e) {
    throw new CliError(e.message);
  }
  const out = path.resolve(opts.out || 'modules');
  fs.mkdirSync(out, { recursive: true });
  const dest = path.join(out, 'microlearn.js');
  fs.writeFileSync(dest, code);
  say('microlearn: wrote ' + dest + ' (' + Buffer.byteLength(code) + ' bytes: ' + names.join(', ') + ', load)');
  say('  On the board: var ml = require("microlearn");  (or `microlearn upload --port ... --file ' + path.relative(process.cwd(), dest) + '`)');
}

function buildModdable(opts) {
  const moddable = process.env.MODDABLE;
  if (!moddable) throw new CliError('$MODDABLE is not set: install the Moddable SDK and set MODDABLE to its directory (docs/moddable.md)');
  const tools = path.join(moddable, 'build', 'bin', 'lin', 'release');
  const testApp = path.join(PKG, 'targets', 'moddable', 'test-app');
  // The test app runs the conformance suite from test/, which only a checkout of the repository has.
  if (!opts.app && !fs.existsSync(path.join(PKG, 'test', 'conformance'))) throw new CliError('--app DIR is required: give your app\'s directory (the one with its manifest.json; see docs/moddable.md)');
  const app = path.resolve(opts.app || testApp);
  const platform = opts.platform || 'x-cli-lin';
  const out = path.resolve(opts.out || path.join(app === path.join(PKG, 'targets', 'moddable', 'test-app') ? path.join(PKG, 'build') : app, 'moddable'));
  fs.mkdirSync(out, { recursive: true });
  const env = Object.assign({}, process.env, { PATH: [tools, path.join(PKG, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter) });
  const mcconfig = fs.existsSync(path.join(tools, 'mcconfig')) ? path.join(tools, 'mcconfig') : 'mcconfig';
  say('microlearn: ' + mcconfig + ' -m -p ' + platform + ' -o ' + out + '  (in ' + app + ')');
  const r = spawnSync(mcconfig, ['-m', '-p', platform, '-o', out], { cwd: app, env, stdio: 'inherit' });
  if (r.error) throw new CliError('could not run mcconfig: ' + r.error.message);
  if (r.status !== 0) throw new CliError('mcconfig failed (exit ' + r.status + ')');
}

// ---- talking to a board ----

/** Fails fast, with a clear message, when nothing answers at `port`. */
async function checkPort(port) {
  if (!port) throw new CliError('--port is required (a serial device such as /dev/ttyACM0, or tcp://host:port)');
  if (port.startsWith('tcp://')) {
    const m = /^tcp:\/\/([^:/]+|\[[^\]]+\]):(\d+)\/?$/.exec(port);
    if (!m) throw new CliError('bad port ' + JSON.stringify(port) + ': expected tcp://host:port');
    const host = m[1].replace(/^\[|\]$/g, '');
    const p = Number(m[2]);
    await new Promise((resolve, reject) => {
      const s = net.connect({ host, port: p });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new CliError('no board answers at ' + port + ' (no connection after 5 s)'));
      }, 5000);
      s.on('connect', () => {
        clearTimeout(timer);
        s.destroy();
        resolve();
      });
      s.on('error', (e) => {
        clearTimeout(timer);
        reject(new CliError('no board answers at ' + port + ' (' + (e.code || e.message) + '): is the board on, and is this the right host and port?'));
      });
    });
  } else if (!/^COM\d+$/i.test(port) && !fs.existsSync(port)) {
    throw new CliError('no board answers at ' + port + ': there is no such serial device (is the board plugged in? try ls /dev/tty*)');
  }
}

/** EspruinoTools, from the current project, microlearn's own dependencies, NODE_PATH or the global npm folder. */
function loadEspruinoTools() {
  const tries = [path.join(process.cwd(), 'package.json'), import.meta.url];
  for (const from of tries) {
    try {
      return createRequire(from)('espruino');
    } catch (e) {
      if (e.code !== 'MODULE_NOT_FOUND') throw e;
    }
  }
  const root = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout;
  if (root && fs.existsSync(path.join(root.trim(), 'espruino'))) return createRequire(path.join(root.trim(), 'x.js'))('espruino');
  throw new CliError('EspruinoTools is not installed: run `npm i -g espruino` (or `npm i espruino` in your project) and try again');
}

/** An open connection to a board through EspruinoTools: write code, collect what it prints. */
async function connect(port, baud, verbose) {
  const tools = loadEspruinoTools();
  // EspruinoTools reports every step through console.log; keep that for --verbose.
  if (!verbose) console.log = console.error = console.warn = () => {};
  await new Promise((resolve) => tools.init(resolve));
  const E = globalThis.Espruino;
  if (baud) E.Config.BAUD_RATE = Number(baud);
  if (port.startsWith('tcp://')) E.Config.SERIAL_TCPIP = [port]; // as espruino-cli does: lists the address as a port
  E.Config.RESET_BEFORE_SEND = false;
  let text = '';
  const waiters = [];
  E.Core.Serial.startListening((data) => {
    const bytes = new Uint8Array(data);
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    for (const w of waiters.slice()) w();
  });
  let closed = false;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CliError('no board answers at ' + port + ' (EspruinoTools could not open it within 10 s)')), 10000);
    E.Core.Serial.open(
      port,
      (status) => {
        clearTimeout(timer);
        if (status === undefined)
          reject(
            new CliError(
              'no board answers at ' + port + ' (EspruinoTools could not open it' +
                (port.startsWith('tcp://') ? ')' : '; serial ports also need its optional `serialport` dependency, which `npm i -g espruino` installs)'),
            ),
          );
        else resolve();
      },
      () => {
        closed = true;
        for (const w of waiters.slice()) w();
      },
    );
  });
  const board = {
    get text() {
      return text;
    },
    clear() {
      text = '';
    },
    /** Queues `code` (EspruinoTools keeps the order and paces it); answers are awaited with waitFor. */
    write(code) {
      // Its callback only fires for writes that show progress, so it is not waited on.
      E.Core.Serial.write(code, false);
      return Promise.resolve();
    },
    /** Resolves when `test(text)` holds; rejects after `ms` or if the connection drops. */
    waitFor(test, ms, what) {
      return new Promise((resolve, reject) => {
        const w = () => {
          if (test(text)) done(resolve);
          else if (closed) done(() => reject(new CliError('the board closed the connection while waiting for ' + what)));
        };
        const timer = setTimeout(() => done(() => reject(new CliError('the board did not answer within ' + Math.round(ms / 1000) + ' s (waiting for ' + what + ')'))), ms);
        const done = (f) => {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(w), 1);
          f();
        };
        waiters.push(w);
        w();
      });
    },
    close() {
      return new Promise((resolve) => {
        if (closed) return resolve();
        E.Core.Serial.close();
        setTimeout(resolve, 300);
      });
    },
  };
  // Wake the REPL and check that something is there.
  await board.write('\x03\n');
  await board.write('\x10print("ml" + "ready")\n');
  await board.waitFor((t) => t.includes('mlready'), 10000, 'a response from the Espruino REPL');
  return board;
}

/** Writes `contents` to Storage file `name` in chunks (the board holds one chunk in RAM at a time). */
async function uploadToStorage(board, name, contents) {
  const CHUNK = 1024;
  for (let i = 0; i < contents.length; i += CHUNK) {
    const part = contents.slice(i, i + CHUNK);
    const b64 = Buffer.from(part, 'latin1').toString('base64');
    const call = 'require("Storage").write(' + JSON.stringify(name) + ',atob("' + b64 + '"),' + i + (i === 0 ? ',' + contents.length : '') + ')';
    board.clear();
    await board.write('\x10print(' + call + '?"ml"+"ok":"ml"+"fail")\n');
    await board.waitFor((t) => /ml(ok|fail)/.test(t), 20000, 'the Storage write at byte ' + i);
    if (/mlfail/.test(board.text)) throw new CliError('Storage.write failed at byte ' + i + ' (flash full? try require("Storage").compact())');
    if (process.stdout.isTTY) process.stdout.write('\r  ' + Math.min(i + CHUNK, contents.length) + ' / ' + contents.length + ' bytes');
  }
  if (process.stdout.isTTY) process.stdout.write('\n');
  board.clear();
  await board.write('\x10print("mllen "+require("Storage").read(' + JSON.stringify(name) + ').length)\n');
  await board.waitFor((t) => /mllen \d+/.test(t), 10000, 'the size check');
  const got = Number(/mllen (\d+)/.exec(board.text)[1]);
  if (got !== contents.length) throw new CliError('Storage holds ' + got + ' bytes of ' + name + ', expected ' + contents.length);
}

async function upload(opts) {
  await checkPort(opts.port);
  const file = opts.file ? path.resolve(opts.file) : bundleFile(opts.algorithm);
  const name = opts.name || 'microlearn';
  const contents = fs.readFileSync(file, 'latin1');
  const board = await connect(opts.port, opts.baud, opts.verbose);
  try {
    say('microlearn: writing ' + path.basename(file) + ' (' + contents.length + ' bytes) to Storage as "' + name + '"');
    await uploadToStorage(board, name, contents);
    board.clear();
    await board.write('\x10var __ml=require(' + JSON.stringify(name) + ');print("mlmod "+Object.keys(__ml).length+" "+__ml.backend());delete __ml;\n');
    await board.waitFor((t) => /mlmod \d+ \w+|Uncaught/.test(t), 60000, 'require("' + name + '")');
    const m = /mlmod (\d+) (\w+)/.exec(board.text);
    if (!m) throw new CliError('require("' + name + '") failed on the board:\n' + board.text.trim());
    say('microlearn: done; require("' + name + '") gives ' + m[1] + ' exports, kernels: ' + m[2]);
  } finally {
    await board.close();
  }
}

/** The conformance lines this computer prints (the same script, under Node). */
function hostLines(script, only) {
  const lines = [];
  const ctx = vm.createContext({ print: (s) => lines.push(String(s)) });
  if (only) ctx.MICROLEARN_ONLY = only;
  vm.runInContext(script, ctx);
  return lines;
}

async function testDevice(opts) {
  await checkPort(opts.port);
  const script = fs.readFileSync(path.join(DIST, 'conformance.min.js'), 'latin1');
  const only = opts.only || '';
  const host = hostLines(script, only);
  const timeout = (Number(opts.timeout) || 3600) * 1000;
  const board = await connect(opts.port, opts.baud, opts.verbose);
  let failed = 0;
  try {
    say('microlearn: uploading the conformance suite (' + script.length + ' bytes) to Storage as "mlconf"');
    await uploadToStorage(board, 'mlconf', script);
    board.clear();
    const t = Date.now();
    say('microlearn: running ' + (host.length - 2) + ' case(s) on the board' + (only ? ' (only ' + only + '*)' : '') + '; this can take a while');
    await board.write('\x10' + (only ? 'var MICROLEARN_ONLY=' + JSON.stringify(only) + ';' : '') + 'eval(require("Storage").read("mlconf"));\n');
    await board.waitFor((x) => /(^|\n)done \d+ cases/.test(x.replace(/\r/g, '')) || /Uncaught/.test(x), timeout, 'the conformance suite to finish');
    const out = board.text.replace(/\r/g, '');
    const device = out.split('\n').filter((l) => /^(backend|case|done) /.test(l));
    say('  board finished in ' + ((Date.now() - t) / 1000).toFixed(1) + ' s');
    for (let i = 0; i < Math.max(device.length, host.length); i++) {
      const d = device[i] === undefined ? '(missing)' : device[i];
      const h = host[i];
      const same = d === h || (i === 0 && d.startsWith('backend ') && (h || '').startsWith('backend '));
      if (!same) failed++;
      say('    ' + d + (d === h ? '  == host' : same ? '' : '  != host: ' + h));
    }
    if (/Uncaught/.test(out)) {
      failed++;
      say(out.slice(out.indexOf('Uncaught')).split('\n').slice(0, 5).join('\n'));
    }
    await board.write('\x10require("Storage").erase("mlconf");\n');
  } finally {
    await board.close();
  }
  if (failed) throw new CliError(failed + ' line(s) differ from the host: the board does not compute what this computer does');
  say('microlearn: the board matches the host on every hash');
}

// ---- fleet coordinator ----

/** MQTT.js from the project in the current directory, or next to microlearn. */
async function loadMqttJs() {
  for (const base of [path.join(process.cwd(), 'noop.js'), path.join(PKG, 'noop.js')]) {
    try {
      const file = createRequire(base).resolve('mqtt');
      const m = await import(pathToFileURL(file).href);
      return m.default && m.default.connect ? m.default : m;
    } catch (e) {
      // try the next place
    }
  }
  throw new CliError('the fleet command needs MQTT.js: npm i mqtt');
}

function positive(opts, name, def) {
  if (opts[name] === undefined) return def;
  const v = Number(opts[name]);
  if (!(v > 0) || Math.floor(v) !== v) throw new CliError('--' + name + ' must be a positive integer, got ' + opts[name]);
  return v;
}

async function fleet(opts) {
  for (const need of ['mqtt', 'fleet', 'members']) if (!opts[need]) throw new CliError('fleet needs --' + need + '\n' + USAGE);
  const esm = (f) => import(pathToFileURL(path.join(PKG, 'dist', 'esm', f)).href);
  if (!fs.existsSync(path.join(PKG, 'dist', 'esm', 'integrations', 'fleet.js'))) throw new CliError('dist/esm is missing: run `npm run build` in the microlearn checkout');
  const ml = await esm('index.js');
  const { FleetCoordinator } = await esm('integrations/fleet.js');
  const { hostLink } = await esm('integrations/mqtt-node.js');
  const mqtt = await loadMqttJs();
  const members = String(opts.members).split(',').map((m) => m.trim()).filter((m) => m.length > 0);
  let initial;
  if (opts.initial) {
    try {
      initial = ml.load(new Uint8Array(fs.readFileSync(opts.initial)));
    } catch (e) {
      throw new CliError('--initial ' + opts.initial + ': ' + (e && e.message ? e.message : e));
    }
  }
  const rounds = positive(opts, 'rounds', 0);
  const deadline = positive(opts, 'deadline', 0);
  let link = null;
  let coord;
  try {
    coord = new FleetCoordinator(
      { fleet: opts.fleet, members, classes: ml.MODEL_CLASSES, initial, quorum: positive(opts, 'quorum', undefined), deadlineMs: deadline * 1000 },
      (m) => {
        if (!link.publish(m)) say('offline: not published ' + m.topic + ' (sent again on reconnection when it is the global model)');
      },
      { setTimeout, clearTimeout },
    );
  } catch (e) {
    throw new CliError(e && e.message ? e.message : String(e));
  }
  const mo = { url: opts.mqtt, clientId: opts['client-id'] || 'microlearn-fleet-' + opts.fleet, username: opts.user || 'coordinator', password: process.env.MICROLEARN_MQTT_PASSWORD, caFile: opts.ca || undefined };
  try {
    link = hostLink(mqtt, mo, fs, { setTimeout, clearTimeout });
  } catch (e) {
    throw new CliError(e && e.message ? e.message : String(e));
  }
  say('microlearn fleet: coordinating fleet ' + opts.fleet + ' (members: ' + members.join(', ') + ') on ' + opts.mqtt + ' as ' + mo.username);
  return new Promise((resolve) => {
    const finish = (code) => {
      link.stop();
      // let MQTT.js flush the last publications before the process ends
      setTimeout(() => resolve(code), 300);
    };
    coord.onReport = (device, outcome, why) => say(outcome + ' ' + device + (why ? ': ' + why : ''));
    coord.onMerge = (round, devices, samples) => {
      const bytes = coord.global.toBytes();
      say('round ' + round + ': merged ' + devices.join(', ') + ' (' + samples + ' samples), global model ' + bytes.length + ' bytes');
      if (opts.save) fs.writeFileSync(opts.save, bytes);
      if (rounds && round >= rounds) finish(0);
    };
    link.onStatus = (status, detail) => say('mqtt ' + status + (detail ? ': ' + detail : ''));
    link.onMessage = (topic, payload) => coord.receive(topic, payload);
    link.onOnline = () => {
      for (const t of coord.subscriptions()) link.subscribe(t);
      coord.announce();
      say('subscribed ' + coord.subscriptions().join(', '));
    };
    process.once('SIGINT', () => finish(0));
    process.once('SIGTERM', () => finish(0));
    link.start();
  });
}

async function main(argv) {
  if (argv[0] === 'evaluate-anomaly') {
    // its own options (lists of files after --normal / --faulty)
    const { run, EvalError } = await import('./evaluate-anomaly.mjs');
    try {
      return await run(argv.slice(1));
    } catch (e) {
      if (e instanceof EvalError) throw new CliError(e.message);
      throw e;
    }
  }
  const opts = parseArgs(argv);
  const cmd = opts._[0];
  if (opts.help || !cmd) {
    say(USAGE);
    return cmd || opts.help ? 0 : 2;
  }
  if (cmd === 'build') {
    if (opts.target === 'espruino') await buildEspruinoBundles(opts);
    else if (opts.target === 'moddable') buildModdable(opts);
    else throw new CliError('build needs --target espruino or --target moddable');
  } else if (cmd === 'upload') await upload(opts);
  else if (cmd === 'test-device') await testDevice(opts);
  else if (cmd === 'fleet') return await fleet(opts);
  else throw new CliError('unknown command "' + cmd + '"\n' + USAGE);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof CliError) sayErr('microlearn: ' + e.message);
    else sayErr(e && e.stack ? e.stack : e);
    process.exit(1);
  },
);
