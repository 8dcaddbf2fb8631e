#!/usr/bin/env node
// npm run test:espruino — runs microlearn on a real Espruino interpreter.
//
// $ESPRUINO must name an Espruino binary (a Linux build is fine; one built with
// jswrap_microlearn.c also runs the suite with native kernels). Without it this
// prints why it skips and exits 0.
//
// Checks, each in a fresh board directory (its own espruino.flash):
//  1. the conformance suite (dist/espruino/conformance.min.js): every line equal
//     to Node's (the in-process suite and the same minified script under Node);
//  2. require("microlearn") from a Storage file and through Modules.addCached
//     (what the IDE/CLI does with a modules/ folder);
//  3. ModelStore + EspruinoStorage across a "reboot" (a second process on the
//     same flash), a torn slot and two corrupt slots, equal to Node with a fake Storage;
//  4. each per-algorithm bundle loads from Storage; memory use in blocks;
//  5. the device API (microlearn-lite.min.js) learns, saves and reloads across a
//     reboot with the same bytes as on Node, and ModelStore on the full bundle
//     loads what it saved.
// The bundles are built into a temporary directory (same as dist/espruino).
// ESPRUINO_TIMEOUT (seconds, default 1800) bounds each Espruino run.
// `-- --only conformance|modules|lite` runs just that part (1, 2-4, 5).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { buildEspruino, ROOT } from './build.mjs';
import { boardDir, conformanceLines, runEspruino, runNodeScript, storageWriteScript } from './run.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const binary = process.env.ESPRUINO;
if (!binary) {
  console.log('test:espruino: skipped: $ESPRUINO is not set. Set it to an Espruino binary (the firmware’s Linux build is enough) to run the conformance suite on Espruino.');
  process.exit(0);
}
if (!fs.existsSync(binary)) {
  console.error('test:espruino: $ESPRUINO=' + binary + ' does not exist');
  process.exit(1);
}
const timeoutMs = (Number(process.env.ESPRUINO_TIMEOUT) || 1800) * 1000;

const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt > 0 ? process.argv[onlyAt + 1] : null;
const part = (name) => ONLY === null || ONLY === name;

let failures = 0;
function check(ok, what, detail) {
  console.log((ok ? '  ok    ' : '  FAIL  ') + what + (detail && !ok ? '\n' + detail : ''));
  if (!ok) failures++;
}

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(cmd + ' ' + args.join(' ') + ' failed');
}

console.log('test:espruino: building (tsc, bundles)');
sh('npx', ['tsc', '-p', 'tsconfig.json']);
// The bundles under test go to a directory of their own: `npm run build` empties dist/ and may run meanwhile.
const OUT_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'microlearn-espruino-bundles-'));
process.on('exit', () => fs.rmSync(OUT_DIR, { recursive: true, force: true }));
const sizes = await buildEspruino({ outDir: OUT_DIR });
for (const s of sizes) console.log(String(s.bytes).padStart(8) + ' bytes  ' + s.file);

const version = spawnSync(binary, ['-e', 'print("version " + process.version + " native " + (typeof Microlearn !== "undefined"))'], { input: '', encoding: 'latin1' });
const vline = (version.stdout || '').split('\n').find((l) => l.startsWith('version ')) || 'version ?';
console.log('test:espruino: ' + binary + ': ' + vline.trim());
// A firmware built with native/espruino/jswrap_microlearn.c has the global Microlearn: then the suite must run on it.
const hasNative = /native true/.test(vline);

// ---- 1. conformance ----
if (part('conformance')) {
  const { nodeConformance } = await import(path.join(ROOT, 'build', 'test', 'util.js'));
  const inProcess = nodeConformance();
  const script = fs.readFileSync(path.join(OUT_DIR, 'conformance.min.js'), 'utf8');
  const nodeLines = runNodeScript(script, 'conformance.min.js');
  check(JSON.stringify(nodeLines) === JSON.stringify(inProcess), 'minified conformance script on Node = in-process suite (' + inProcess.length + ' lines)');
  const t = Date.now();
  const dir = boardDir();
  const r = await runEspruino(binary, path.join(OUT_DIR, 'conformance.min.js'), { cwd: dir, timeoutMs });
  fs.rmSync(dir, { recursive: true, force: true });
  const esp = conformanceLines(r.stdout);
  console.log('  Espruino conformance: ' + ((Date.now() - t) / 1000).toFixed(1) + ' s' + (r.timedOut ? ' (TIMED OUT)' : ''));
  for (let i = 0; i < Math.max(esp.length, inProcess.length); i++) {
    const e = esp[i] === undefined ? '(missing)' : esp[i];
    const n = inProcess[i];
    const same = e === n || (i === 0 && /^backend /.test(e) && /^backend /.test(n || ''));
    console.log('    ' + e + (same ? (e === n ? '  == node' : '  (node: ' + n + ')') : '  != node: ' + n));
  }
  check(r.errors.length === 0, 'no uncaught errors on Espruino', r.errors.join('\n'));
  check(esp[0] === 'backend ' + (hasNative ? 'native' : 'ts'), 'backend() on Espruino is ' + (hasNative ? 'native (firmware with jswrap_microlearn)' : 'ts'), esp[0]);
  check(esp.length === inProcess.length && esp.slice(1).every((l, i) => l === inProcess[i + 1]), 'Espruino conformance hashes equal Node\'s');
}

// ---- 2-4. modules, persistence, memory ----
const bundle = fs.readFileSync(path.join(OUT_DIR, 'microlearn.min.js'), 'latin1');
const persist = fs.readFileSync(path.join(HERE, 'device-persist.js'), 'utf8');

/** Node twin of the device: the CommonJS bundle in a vm, Storage faked with Espruino's semantics. */
function nodeDevice() {
  const files = {};
  const Storage = {
    readArrayBuffer: (n) => (files[n] ? new Uint8Array(files[n]).buffer : undefined),
    write: (n, d) => {
      if (d.length === 0) throw new Error("Can't create zero length file");
      files[n] = Uint8Array.from(d);
      return true;
    },
    erase: (n) => {
      delete files[n];
    },
  };
  return (phase) => {
    const lines = [];
    const context = vm.createContext({ print: (s) => lines.push(String(s)), PHASE: phase });
    const module = { exports: {} };
    vm.runInContext('(function (module, exports) {' + bundle + '\n})', context)(module, module.exports);
    context.require = (name) => (name === 'Storage' ? Storage : name === 'microlearn' ? module.exports : undefined);
    vm.runInContext(persist, context, { filename: 'device-persist.js' });
    return lines;
  };
}

async function espruinoScript(dir, name, code) {
  const f = path.join(dir, name);
  fs.writeFileSync(f, code, 'latin1');
  const r = await runEspruino(binary, f, { cwd: dir, timeoutMs });
  return r;
}

if (part('modules')) {
  const dir = boardDir();
  let r = await espruinoScript(dir, 'upload.js', storageWriteScript('microlearn', bundle) + 'print("stored " + require("Storage").read("microlearn").length);\n');
  check(r.stdout.includes('stored ' + bundle.length) && !r.errors.length, 'microlearn.min.js written to Storage as "microlearn" (' + bundle.length + ' bytes)', r.stdout.slice(-500));

  const memProbe =
    'var m0 = process.memory().usage; var ml = require("microlearn"); var m1 = process.memory().usage;\n' +
    'var bs = process.memory().blocksize || "?";\n' +
    'print("mem blocksize " + bs + " total " + process.memory().total + " require " + (m1 - m0));\n' +
    '[4, 16, 64].forEach(function (n) { var a = process.memory().usage; var m = new ml.LogisticRegression({ nFeatures: n }); var x = new Float64Array(n); for (var i = 0; i < 10; i++) m.learnOne(x, i & 1); var b = process.memory().usage;' +
    ' print("mem LogisticRegression nFeatures " + n + " blocks " + (b - a) + " stateBytes " + m.stateBytes); });\n';
  r = await espruinoScript(dir, 'require.js', memProbe);
  const mem = r.stdout.split('\n').filter((l) => l.startsWith('mem '));
  for (const l of mem) console.log('    ' + l.trim());
  check(mem.length === 4 && !r.errors.length, 'require("microlearn") from Storage', r.stdout.slice(-800));

  r = await espruinoScript(dir, 'persist1.js', 'var PHASE = 1;\n' + persist);
  const p1 = conformanceLinesPersist(r.stdout);
  r = await espruinoScript(dir, 'persist2.js', 'var PHASE = 2;\n' + persist);
  const p2 = conformanceLinesPersist(r.stdout);
  const dev = nodeDevice();
  const n1 = dev(1);
  const n2 = dev(2);
  for (const l of p1.concat(p2)) console.log('    ' + l);
  // The two saved models differ, and each load returns the expected one.
  const h = (l) => (/ ([0-9a-f]{8}\/\d+)/.exec(l) || [])[1];
  check(p1.length === 3 && h(p1[0]) !== h(p1[1]) && h(p2[0]) === h(p1[1]) && h(p2[1]) === h(p1[0]), 'newest model loaded after the reboot, the previous one after a torn save', p1.concat(p2).join('\n'));
  check(JSON.stringify(p1.concat(p2)) === JSON.stringify(n1.concat(n2)) && p2.length === 4, 'ModelStore on Espruino Storage across a reboot, torn and corrupt slots: same as Node', 'node:\n    ' + n1.concat(n2).join('\n    '));
  check(!r.errors.length, 'no uncaught errors in the persistence run', r.errors.join('\n'));
  fs.rmSync(dir, { recursive: true, force: true });
}

function conformanceLinesPersist(out) {
  return out.split(/\r?\n/).filter((l) => l.startsWith('persist '));
}

if (part('modules')) {
  const dir = boardDir();
  const cached = 'Modules.addCached("microlearn", ' + JSON.stringify(bundle) + ');\nvar ml = require("microlearn");\nprint("cached " + typeof ml.LogisticRegression + " " + typeof ml.load + " " + ml.backend());\n';
  const r = await espruinoScript(dir, 'cached.js', cached);
  check(/cached function function (ts|native|partial)/.test(r.stdout), 'require("microlearn") through Modules.addCached (modules/ folder upload)', r.stdout.slice(-500));
  fs.rmSync(dir, { recursive: true, force: true });
}

for (const s of part('modules') ? sizes : []) {
  const m = /^microlearn-(.+)\.min\.js$/.exec(s.file);
  if (!m) continue;
  const dir = boardDir();
  const name = 'ml-' + m[1];
  const code = fs.readFileSync(path.join(OUT_DIR, s.file), 'latin1');
  const script =
    storageWriteScript(name, code) +
    'var u0 = process.memory().usage; var b = require(' + JSON.stringify(name) + '); var u1 = process.memory().usage;\n' +
    'var classes = Object.keys(b).filter(function (k) { return typeof b[k] === "function" && b[k].prototype && b[k].prototype.toBytes; });\n' +
    'print("alg ' + m[1] + ' blocks " + (u1 - u0) + " classes " + classes.join(",") + " load " + typeof b.load + " store " + typeof b.ModelStore);\n';
  const r = await espruinoScript(dir, 'alg.js', script);
  const line = r.stdout.split('\n').find((l) => l.startsWith('alg ')) || '';
  console.log('    ' + line.trim() + '  (' + s.bytes + ' bytes)');
  // what the same bundle exports under Node: its model classes, load and ModelStore (the optimizers' bundle has none of them)
  const sandbox = { module: { exports: {} } };
  sandbox.exports = sandbox.module.exports;
  vm.runInNewContext(code, sandbox, { filename: s.file });
  const e = sandbox.module.exports;
  const want = 'classes ' + Object.keys(e).filter((k) => typeof e[k] === 'function' && e[k].prototype && e[k].prototype.toBytes).join(',') + ' load ' + typeof e.load + ' store ' + typeof e.ModelStore;
  const got = line.trim();
  check(got.slice(got.indexOf(' classes ') + 1) === want && !r.errors.length, 'per-algorithm bundle ' + s.file + ' loads from Storage with the exports it has under Node', want + '\n' + r.stdout.slice(-500));
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---- 5. the device API ----
if (part('lite')) {
  const lite = fs.readFileSync(path.join(OUT_DIR, 'microlearn-lite.min.js'), 'latin1');
  // A seeded stream with raw sensor ranges (the scaler's input exponents grow), learned by a scaled logistic model;
  // PHASE 2 (after a "reboot") loads it back, learns on, saves again, and the full library's ModelStore reads it.
  const device =
    'var ml = require("ml-lite"), S = require("Storage"), seed = 99;\n' +
    'function rnd() { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; }\n' +
    'function hex(b) { var s = ""; for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16); return s; }\n' +
    'var m = PHASE === 1 ? ml.create({ nFeatures: 3, logistic: true, scaler: true, learningRate: 0.05, l2: 0.001 }) : ml.load(S, "tilt");\n' +
    'if (PHASE === 2) for (var k = 0; k < 200; k++) rnd();\n' +
    'for (var i = 0; i < 200; i++) { var x = [2000 + rnd() * 1500, (i < 100 ? 101325 : 4e7) + rnd() * 300, rnd() - 0.5]; ml.learn(m, x, x[0] - 2000 - x[2] * 1000 > 700 ? 1 : 0); }\n' +
    'print("lite " + PHASE + " backend " + ml.backend() + " seq " + ml.save(S, "tilt", m) + " p " + ml.proba(m, [2500, 101325, 0]) * 65536 + " bytes " + hex(ml.toBytes(m)));\n';
  const nodeLite = () => {
    const files = {};
    const Storage = { readArrayBuffer: (n) => (files[n] ? new Uint8Array(files[n]).buffer : undefined), write: (n, d) => { files[n] = Uint8Array.from(d); return true; }, erase: (n) => { delete files[n]; } };
    return (phase) => {
      const lines = [];
      const context = vm.createContext({ print: (s) => lines.push(String(s)), PHASE: phase });
      const module = { exports: {} };
      vm.runInContext('(function (module, exports) {' + lite + '\n})', context)(module, module.exports);
      context.require = (name) => (name === 'Storage' ? Storage : module.exports);
      vm.runInContext(device, context, { filename: 'device-lite.js' });
      return lines;
    };
  };
  const dir = boardDir();
  let r = await espruinoScript(dir, 'lite1.js', storageWriteScript('ml-lite', lite) + 'var PHASE = 1;\n' + device);
  const e1 = r.stdout.split(/\r?\n/).filter((l) => l.startsWith('lite '));
  const err1 = r.errors;
  r = await espruinoScript(dir, 'lite2.js', 'var PHASE = 2;\n' + device);
  const e2 = r.stdout.split(/\r?\n/).filter((l) => l.startsWith('lite '));
  const n = nodeLite();
  const nl = n(1).concat(n(2));
  const want = (l) => l.replace(/backend \w+/, 'backend ' + (hasNative ? 'native' : 'ts'));
  for (const l of e1.concat(e2)) console.log('    ' + l.slice(0, 120) + '…');
  check(!err1.length && !r.errors.length && e1.length === 1 && e2.length === 1, 'device API: learn, save, reboot, load, learn, save on Espruino', err1.concat(r.errors).join('\n') + r.stdout.slice(-500));
  check(JSON.stringify(e1.concat(e2)) === JSON.stringify(nl.map(want)), 'device API on Espruino: same bytes, probabilities and backend as on Node', 'node:\n    ' + nl.join('\n    '));
  const read = await espruinoScript(dir, 'lite3.js', storageWriteScript('microlearn', bundle) +
    'var ml = require("microlearn"), m = new ml.ModelStore(new ml.EspruinoStorage(require("Storage"))).load("tilt", ml.load);\n' +
    'var b = m.toBytes(), s = ""; for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16); print("store " + m.steps.length + " " + s);\n');
  const line = read.stdout.split(/\r?\n/).find((l) => l.startsWith('store ')) || '';
  check(e2.length === 1 && line === 'store 2 ' + e2[0].slice(e2[0].indexOf(' bytes ') + 7), 'ModelStore (full bundle) on Espruino loads the device API\'s save as a Pipeline with the same bytes', line.slice(0, 200) + read.errors.join('\n'));
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(failures ? 'test:espruino: ' + failures + ' check(s) FAILED' : 'test:espruino: all checks passed');
process.exit(failures ? 1 : 0);
