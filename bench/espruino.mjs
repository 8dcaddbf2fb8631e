#!/usr/bin/env node
// npm run bench:espruino — microlearn on a real Espruino (a Linux build of the firmware).
//
//   ESPRUINO=path/to/espruino [ESPRUINO_NATIVE=path/to/espruino-with-jswrap_microlearn] \
//     npm run bench:espruino [-- --quick] [--json FILE] [--no-calibration] [--no-cpu] [--only lite]
//   node bench/espruino.mjs --render FILE   (the report of a --json file, without measuring)
//
// Measures, each in a fresh board directory (its own espruino.flash):
//  1. memory: process.memory().usage blocks after require() of a bundle stored in
//     Storage, and after constructing its models: the "app" bundle (LinearRegression,
//     LogisticRegression, StandardScaler, Pipeline, ModelStore, EspruinoStorage), each
//     one-algorithm bundle, the full library; with --calibration (default) also one
//     bundle per public export, the data for the static block estimate of
//     targets/espruino/blocks.mjs, whose least-squares fit is written to
//     targets/espruino/blocks-calibration.json;
//     The device API's bundle (microlearn-lite.min.js, targets/espruino/lite.ts) is
//     measured like the app: a scaled logistic model (create) and Storage, 10 learn,
//     then a save to Storage and a load back;
//  2. CPU time per operation (LogisticRegression d=4, KMeans k=4 d=4, KNNClassifier
//     window 100 k 5 d=4, Pipeline([StandardScaler, LogisticRegression]) d=4, and the
//     device API's logistic model d=4 without and with its scaler: learnOne and
//     predictOne), on stock firmware and, with
//     $ESPRUINO_NATIVE, with the native module: the Espruino process's own user +
//     system CPU time (/proc/self/stat) around a loop of N calls sized to ~2 s,
//     minus the same loop without the call, fastest of 3 (wall time would count
//     the other jobs of a shared machine). Each is measured twice: with the bundle
//     in RAM (the figure targets are judged on: code read from memory, as an
//     nRF52 reads its memory-mapped flash) and run from Storage, which the Linux
//     build emulates with a file it opens and reads for every 16 bytes of code.
// Without $ESPRUINO it says so and exits 0. A run that fails (a bundle that does
// not load, a firmware that crashes) is reported in its row and the bench goes on;
// a $ESPRUINO_NATIVE without the Microlearn module, or whose module lacks kernels of
// this native/ (backend() not "native": a firmware older than the library), gets
// no native CPU figures, and the report says why. Results go to the "espruino-memory",
// "espruino-cpu" and "espruino-blocks" sections of docs/benchmarks.md (full runs only).
// --only lite: just the device API's rows, the app bundle's and the class API's CPU
// rows they compare with (printed, docs untouched).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildEspruino } from '../targets/espruino/build.mjs';
import * as run from '../targets/espruino/run.mjs';
import * as blocks from '../targets/espruino/blocks.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const BUILD = path.join(ROOT, 'build');
const OUT = path.join(BUILD, 'bench', 'espruino');
const CALIBRATION = path.join(ROOT, 'targets', 'espruino', 'blocks-calibration.json');
// The markdown helpers every benchmark uses (bench/report.ts, compiled by `npm run build`).
const { table, writeSection } = await import(pathToFileURL(path.join(BUILD, 'bench', 'report.js')).href);

function parseArgs(argv) {
  const o = { quick: false, json: null, calibration: true, cpu: true, render: null, only: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') o.quick = true;
    else if (argv[i] === '--json' && i + 1 < argv.length) o.json = path.resolve(argv[++i]);
    else if (argv[i] === '--no-calibration') o.calibration = false;
    else if (argv[i] === '--no-cpu') o.cpu = false;
    else if (argv[i] === '--render' && i + 1 < argv.length) o.render = path.resolve(argv[++i]);
    else if (argv[i] === '--only' && argv[i + 1] === 'lite') {
      o.only = argv[++i];
      o.calibration = false;
    }
    else {
      console.error('usage: npm run bench:espruino -- [--quick] [--json FILE] [--no-calibration] [--no-cpu] [--only lite] | --render FILE');
      process.exit(2);
    }
  }
  return o;
}

// ---- bundles ----

/** Export names of the public API (build/index.js, the tsc output of index.ts) that are classes, functions or objects. */
async function publicExports() {
  const index = path.join(BUILD, 'index.js');
  if (!fs.existsSync(index)) throw new Error('build/index.js is missing: run `npm run build` first (npm run bench:espruino does)');
  const m = await import(pathToFileURL(index).href);
  return Object.keys(m).filter((e) => typeof m[e] === 'function' || (m[e] && typeof m[e] === 'object'));
}

/** A bundle exporting `names`, written to OUT/bundles/file. */
async function customBundle(file, names) {
  const code = await blocks.bundleExports(names);
  fs.writeFileSync(path.join(OUT, 'bundles', file), code);
  return { file, bytes: Buffer.byteLength(code), names };
}

/**
 * Synthetic modules that show what one thing costs (blocks per item = (blocks − empty) / 100):
 * module-level functions (short and long bodies), prototype methods, number- and string-valued keys.
 */
const UNIT_MODULES = {
  'empty module': 'exports.a = 1;',
  '100 function declarations': Array.from({ length: 100 }, (_, i) => `function f${i}(a, b) { return a + b * ${i}; }`).join('\n') + '\nexports.f0 = f0;',
  '100 function declarations, 4× longer bodies': Array.from({ length: 100 }, (_, i) => `function f${i}(a, b) { var c = a + b * ${i}; c = c * c + a - b; c = c + a * b; if (c > 10) c = c - 1; else c = c + 1; return c + a + b + c * c; }`).join('\n') + '\nexports.f0 = f0;',
  '100 prototype methods': 'var A = function () { function A() {} ' + Array.from({ length: 100 }, (_, i) => `A.prototype.m${i} = function (a) { return a + ${i}; };`).join(' ') + ' return A; }();\nexports.A = A;',
  '100 keys with number values': 'exports.o = {' + Array.from({ length: 100 }, (_, i) => `k${i}: ${i}`).join(', ') + '};',
  '100 keys with string values': 'exports.o = {' + Array.from({ length: 100 }, (_, i) => `k${i}: "v${i}"`).join(', ') + '};',
};

// ---- running Espruino ----

/** Runs one script on `binary` in a fresh board directory (its own espruino.flash). */
async function espruino(binary, name, code) {
  const dir = run.boardDir();
  try {
    const file = path.join(dir, name);
    fs.writeFileSync(file, code, 'latin1');
    const r = await run.runEspruino(binary, file, { cwd: dir });
    if (r.timedOut) r.errors.push('timed out');
    return r;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The first line of an error's message, for a table cell. */
function firstLine(e) {
  return String((e && e.message) || e).split('\n').find((l) => /Uncaught|Error/.test(l)) || String(e).split('\n')[0];
}

/** JSON lines printed by a script (Espruino may prefix its prompt ">"). */
function jsonLines(stdout) {
  return stdout
    .split(/\r?\n/)
    .map((l) => l.replace(/^>+/, ''))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

// ---- 1. memory ----

/** Models each bundle constructs after require (4 features), when it exports the class. */
const MODELS = {
  LinearRegression: { nFeatures: 4 },
  LogisticRegression: { nFeatures: 4 },
  SoftmaxRegression: { nFeatures: 4, nClasses: 3 },
  KNNClassifier: { nFeatures: 4, nClasses: 3 },
  KNNRegressor: { nFeatures: 4 },
  KMeans: { nFeatures: 4, k: 4 },
  GaussianNB: { nFeatures: 4, nClasses: 3 },
  HoeffdingTreeClassifier: { nFeatures: 4, nClasses: 3 },
  MLP: { nFeatures: 4, hidden: [8] },
  GaussianScorer: { nFeatures: 4 },
  KMeansDetector: { nFeatures: 4 },
  HalfSpaceTrees: { nFeatures: 4 },
};

/** Espruino script: store the bundle, then blocks after require and after construction (`app`: true for the app bundle, 'lite' for the device API). */
function memoryScript(name, code, app) {
  let s = run.storageWriteScript(name, code);
  // Every variable of the probe exists before the first reading, so the differences are the bundle's and the models' alone.
  s += 'var ml, keep = [], made = [], pipe, store, first, i, x, u1, u2, u3;\n';
  s += 'var u0 = process.memory().usage;\nml = require(' + JSON.stringify(name) + ');\nu1 = process.memory().usage;\n';
  if (app === 'lite') {
    // The same with the device API: a scaled logistic model, and Storage (its store is the Storage module itself).
    s += 'pipe = ml.create({ nFeatures: 4, logistic: true, scaler: true });\nstore = require("Storage");\nkeep.push(pipe, store);\n';
  } else if (app) {
    // What the device script of an app builds: a scaled logistic model and a store for it.
    s +=
      'pipe = new ml.Pipeline([new ml.StandardScaler({ nFeatures: 4 }), new ml.LogisticRegression({ nFeatures: 4 })]);\n' +
      'store = new ml.ModelStore(new ml.EspruinoStorage(require("Storage")));\nkeep.push(pipe, store);\n';
  } else {
    for (const [cls, opts] of Object.entries(MODELS))
      s += `if (typeof ml.${cls} === "function") { keep.push(new ml.${cls}(${JSON.stringify(opts)})); made.push(${JSON.stringify(cls)}); }\n`;
  }
  s += 'u2 = process.memory().usage;\n';
  // 10 samples through the first model (or the pipeline): scratch that appears on first use.
  // The label is ignored by the unsupervised ones (KMeans, GaussianScorer).
  s +=
    'first = keep[0]; if (first && first.learnOne) { for (i = 0; i < 10; i++) { x = [i & 1, i & 2, i & 4, 0.5]; first.learnOne(x, i & 1); } }\n' +
    (app === 'lite' ? 'for (i = 0; i < 10; i++) { x = [i & 1, i & 2, i & 4, 0.5]; ml.learn(first, x, i & 1); }\n' : '') +
    'x = undefined;\nu3 = process.memory().usage;\n' +
    // the device API also saves to Storage and loads back (the CRC table and the store's records appear then)
    (app === 'lite' ? 'ml.save(store, "m", first); keep.push(ml.load(store, "m"));\n' : '') +
    'print(JSON.stringify({ require: u1 - u0, construct: u2 - u1, learn: u3 - u2, ' + (app === 'lite' ? 'saveLoad: process.memory().usage - u3, ' : '') + 'made: ' + (app ? JSON.stringify([app === 'lite' ? 'lite' : 'app']) : 'made') + ', total: process.memory().total, blocksize: process.memory().blocksize }));\n';
  return s;
}

async function measureMemory(binary, bundle, code, app) {
  const r = await espruino(binary, 'mem.js', memoryScript('mlb', code, app));
  const line = jsonLines(r.stdout).find((l) => 'require' in l);
  if (!line || r.errors.length) throw new Error('memory probe of ' + bundle.file + ' failed: ' + (r.errors.join('\n') || r.stdout.slice(-800)));
  return line;
}

// ---- 2. CPU time ----

const CPU_CASES = [
  { id: 'lr4', label: 'LogisticRegression d=4', make: 'new ml.LogisticRegression({ nFeatures: 4, learningRate: 0.05 })', task: 'binary' },
  { id: 'pipe4', label: 'Pipeline([StandardScaler, LogisticRegression]) d=4', make: 'new ml.Pipeline([new ml.StandardScaler({ nFeatures: 4 }), new ml.LogisticRegression({ nFeatures: 4, learningRate: 0.05 })])', task: 'binary', lite: true },
  // The device API (microlearn-lite.min.js): the same models as functions over plain state.
  { id: 'lite-lr4', label: 'device API: logistic d=4', make: 'ml.create({ nFeatures: 4, logistic: true, learningRate: 0.05 })', task: 'binary', bundle: 'lite', lite: true },
  { id: 'lite-pipe4', label: 'device API: scaler + logistic d=4', make: 'ml.create({ nFeatures: 4, logistic: true, scaler: true, learningRate: 0.05 })', task: 'binary', bundle: 'lite', lite: true },
  { id: 'km4', label: 'KMeans k=4 d=4', make: 'new ml.KMeans({ nFeatures: 4, k: 4 })', task: 'cluster' },
  { id: 'knn4', label: 'KNNClassifier window 100, k 5, d=4', make: 'new ml.KNNClassifier({ nFeatures: 4, nClasses: 3, k: 5, windowSize: 100 })', task: 'knn' },
];

/** Clock ticks per second of /proc/<pid>/stat's CPU times. */
function clockTicks() {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const t = Number((r.stdout || '').trim());
  return r.status === 0 && t > 0 ? t : 100;
}

/**
 * Espruino script: load the full bundle, learn 128 warm-up samples, then time
 * `op` over a 64-sample cycle by the process's own CPU time (utime + stime of
 * /proc/self/stat, read through Espruino's fs module): a pilot sizes N to about
 * `budget` seconds, then `reps` pairs of loops (the op, and the same loop
 * without the call) each print their CPU seconds.
 */
function cpuScript(code, c, op, { budget, reps, ticks }, place) {
  const label = c.task === 'binary' ? 'y = s > 0 ? 1 : 0;' : 'y = cls;';
  const fn = c.bundle === 'lite';
  const call = fn
    ? op === 'predictOne' ? 'ml.predict(m, X[i & 63])' : 'ml.learn(m, X[i & 63], Y[i & 63])'
    : op === 'predictOne' ? 'm.predictOne(X[i & 63])' : c.task === 'cluster' ? 'm.learnOne(X[i & 63])' : 'm.learnOne(X[i & 63], Y[i & 63])';
  return (
    run.storageWriteScript('microlearn', code) +
    (place === 'ram'
      ? // A RAM copy of the file (a flat string, not Storage's flash string): function code then lives in RAM, read as a board reads memory-mapped flash.
        'Modules.addCached("microlearn-ram", E.toString(E.toUint8Array(require("Storage").read("microlearn"))));\nvar ml = require("microlearn-ram");\n'
      : 'var ml = require("microlearn");\n') +
    'function cpu() { var f = require("fs").readFileSync("/proc/self/stat").toString().split(") ")[1].split(" "); return (Number(f[11]) + Number(f[12])) / ' + ticks + '; }\n' +
    'var seed = 12345; function rnd() { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; }\n' +
    'var centers = [[1.5, -1, 0.5, 2], [-1.5, 1, -0.5, -2], [0, 2, -2, 0.5], [2, 0, 1, -1.5]];\n' +
    'function sample() { var cls = Math.floor(rnd() * 4) % 3, x = [], s = 0, y; for (var j = 0; j < 4; j++) { x.push(Math.round((centers[cls][j] + rnd() - 0.5) * 500) / 500); s += (j & 1 ? 1 : -1) * x[j]; } ' + label + ' return [x, y]; }\n' +
    'var X = [], Y = [], W = []; for (var k = 0; k < 192; k++) { var p = sample(); if (k < 128) W.push(p); else { X.push(p[0]); Y.push(p[1]); } }\n' +
    'var m = ' + c.make + ';\n' +
    (fn ? 'W.forEach(function (p) { ml.learn(m, p[0], p[1]); });\n' : c.task === 'cluster' ? 'W.forEach(function (p) { m.learnOne(p[0]); });\n' : 'W.forEach(function (p) { m.learnOne(p[0], p[1]); });\n') +
    'function opLoop(n) { var t = cpu(); for (var i = 0; i < n; i++) ' + call + '; return cpu() - t; }\n' +
    'function emptyLoop(n) { var t = cpu(); for (var i = 0; i < n; i++) X[i & 63]; return cpu() - t; }\n' +
    'var n = 1; while (opLoop(n) < 0.2 && n < 1e7) n *= 2;\n' +
    'n = Math.max(n, Math.round(n * ' + budget + ' / 0.2));\n' +
    'for (var r = 0; r < ' + reps + '; r++) print(JSON.stringify({ backend: ml.backend(), n: n, op: opLoop(n), empty: emptyLoop(n) }));\n'
  );
}

/** ms per op: (CPU of the op loop − CPU of the empty loop) / N, fastest pair. */
async function cpuPerOp(binary, code, c, op, o, wantBackend, place) {
  const res = await espruino(binary, 'cpu.js', cpuScript(code, c, op, o, place));
  const lines = jsonLines(res.stdout).filter((l) => 'backend' in l);
  if (!lines.length || res.errors.length) throw new Error(`CPU run ${c.id} ${op} failed: ${res.errors.join('\n') || res.stdout.slice(-800)}`);
  if (lines[0].backend !== wantBackend) throw new Error(`${binary}: backend() is ${lines[0].backend}, expected ${wantBackend}`);
  return { ms: Math.min(...lines.map((l) => ((l.op - l.empty) * 1000) / l.n)), n: lines[0].n, emptyMs: Math.min(...lines.map((l) => (l.empty * 1000) / l.n)) };
}

// ---- report ----

const fmt = (v, d = 0) => (v === undefined || v === null || Number.isNaN(v) ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));


function versionOf(binary) {
  return new Promise((resolve) => {
    const child = spawn(binary, ['-e', 'print("version " + process.version + " native " + (typeof Microlearn !== "undefined"))'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.on('close', () => {
      const line = Buffer.concat(out).toString('latin1').split('\n').find((l) => l.startsWith('version ')) || 'version ? native false';
      const m = /^version (\S+) native (\w+)/.exec(line.trim()) || [];
      resolve({ version: m[1] || '?', native: m[2] === 'true' });
    });
  });
}

/**
 * What the library finds on `binary` once the full bundle is loaded: backend()
 * and the kernels left to TypeScript (a module older than native/ lacks some).
 */
async function probeBackend(binary, code) {
  const s = run.storageWriteScript('microlearn', code) +
    'var ml = require("microlearn"), d = ml.backendDetail(), ts = [];\n' +
    'for (var k in d) if (d[k] === "ts") ts.push(k);\n' +
    'print(JSON.stringify({ backend: ml.backend(), ts: ts }));\n';
  const r = await espruino(binary, 'probe.js', s);
  const line = jsonLines(r.stdout).find((l) => 'backend' in l);
  if (!line || r.errors.length) throw new Error('loading the full bundle failed: ' + (r.errors.join('\n') || r.stdout.slice(-800)));
  return line;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.render) {
    const results = JSON.parse(fs.readFileSync(opts.render, 'utf8'));
    return output(results, { ...opts, quick: !!results.quick, calibration: !!results.units }, results.native !== undefined ? results.native : results.memory.some((e) => e.native !== undefined));
  }
  const stock = process.env.ESPRUINO;
  if (!stock) {
    console.log('bench:espruino: skipped: $ESPRUINO is not set. Set it to an Espruino binary (the firmware\'s Linux build), and $ESPRUINO_NATIVE to one built with native/espruino/jswrap_microlearn.c for the native figures.');
    return;
  }
  const nativeBinary = process.env.ESPRUINO_NATIVE || null;
  for (const b of [stock, nativeBinary]) if (b && !fs.existsSync(b)) throw new Error('bench:espruino: ' + b + ' does not exist');
  const vStock = await versionOf(stock);
  // Stock figures measured with native kernels would be wrong figures: stop.
  if (vStock.native) throw new Error('$ESPRUINO (' + stock + ') has the Microlearn module: it should be the stock firmware');
  const vNative = nativeBinary ? await versionOf(nativeBinary) : null;
  // Why the native CPU figures are missing, for the console and the report (null: measured).
  let nativeCpuSkipped = nativeBinary ? null : '$ESPRUINO_NATIVE is not set';
  if (vNative && !vNative.native) nativeCpuSkipped = '$ESPRUINO_NATIVE (Espruino ' + vNative.version + ') has no Microlearn module (typeof Microlearn is "undefined"): not built with native/espruino/jswrap_microlearn.c';
  if (nativeCpuSkipped) console.log('bench:espruino: ' + nativeCpuSkipped + ': native figures skipped');

  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(path.join(OUT, 'bundles'), { recursive: true });

  const bundles = [];
  for (const s of await buildEspruino({ outDir: path.join(OUT, 'bundles') })) {
    if (s.file === 'conformance.min.js') continue;
    bundles.push({ ...s, kind: s.file === 'microlearn.min.js' ? 'full' : s.file === 'microlearn-lite.min.js' ? 'lite' : 'algorithm' });
  }
  bundles.push({ ...(await customBundle('microlearn-app.min.js', blocks.APP_EXPORTS)), kind: 'app' });
  if (opts.calibration) {
    // One bundle per public export: more points for the fit.
    for (const n of await publicExports()) bundles.push({ ...(await customBundle('one-' + n + '.min.js', [n])), kind: 'export' });
  }

  if (opts.only === 'lite') bundles.splice(0, bundles.length, ...bundles.filter((b) => b.kind === 'lite' || b.kind === 'app'));
  const full = fs.readFileSync(path.join(OUT, 'bundles', 'microlearn.min.js'), 'latin1');
  const liteCode = fs.readFileSync(path.join(OUT, 'bundles', 'microlearn-lite.min.js'), 'latin1');
  const native = vNative && vNative.native ? nativeBinary : null;
  let nativeBackend = null;
  if (native) {
    nativeBackend = await probeBackend(native, full).catch((e) => ({ error: firstLine(e) }));
    if (nativeBackend.error) nativeCpuSkipped = 'the full bundle does not load on $ESPRUINO_NATIVE: ' + nativeBackend.error;
    else if (nativeBackend.backend !== 'native')
      nativeCpuSkipped = `on $ESPRUINO_NATIVE backend() is "${nativeBackend.backend}", not "native": its Microlearn module lacks ${nativeBackend.ts.join(', ')} (a firmware older than native/: rebuild it, docs/espruino-native.md)`;
    if (nativeCpuSkipped) console.log('bench:espruino: ' + nativeCpuSkipped + ': native CPU figures skipped');
  }

  const results = {
    date: new Date().toISOString(), commit: gitHead(), quick: opts.quick, espruino: vStock.version, machine: `${os.platform()} ${os.arch()}, node ${process.version}`,
    native: !!native, nativeCpuSkipped, memory: [], cpu: [],
  };
  const t0 = Date.now();
  for (const b of bundles) {
    const code = fs.readFileSync(path.join(OUT, 'bundles', b.file), 'latin1');
    const stats = blocks.bundleStats(code);
    const entry = { file: b.file, kind: b.kind, bytes: b.bytes, stats };
    // A failed run is reported in its row (and left out of the fit), not fatal.
    const app = b.kind === 'lite' ? 'lite' : b.kind === 'app';
    entry.stock = await measureMemory(stock, b, code, app).catch((e) => ({ error: firstLine(e) }));
    if (native && b.kind !== 'export') entry.native = await measureMemory(native, b, code, app).catch((e) => ({ error: firstLine(e) }));
    results.memory.push(entry);
    const m = entry.stock;
    console.log(`bench:espruino: ${b.file.padEnd(40)} ${String(b.bytes).padStart(6)} bytes  ` + (m.error ? 'FAILED: ' + m.error : `require ${m.require} blocks, construct ${m.construct} (${m.made.join(', ') || '—'})`) + (entry.native ? `; native ${entry.native.error ? 'FAILED: ' + entry.native.error : 'require ' + entry.native.require}` : ''));
  }
  const ok = results.memory.filter((e) => !e.stock.error);
  if (!ok.length) throw new Error('bench:espruino: no bundle loaded on ' + stock + ': nothing to report');
  results.blocksize = ok[0].stock.blocksize;
  results.units = {};
  if (opts.only !== 'lite') {
    for (const [what, code] of Object.entries(UNIT_MODULES)) results.units[what] = await measureMemory(stock, { file: what }, code, false).then((m) => m.require, (e) => ({ error: firstLine(e) }));
    // Calibration: least squares of the measured require blocks on the static features.
    results.fit = blocks.fitBlocks(ok.map((e) => ({ file: e.file, stats: e.stats, blocks: e.stock.require })));
  }

  const timing = { budget: opts.quick ? 0.5 : 2, reps: opts.quick ? 1 : 3, ticks: clockTicks() };
  results.timing = timing;
  for (const c of opts.cpu ? CPU_CASES.filter((k) => opts.only !== 'lite' || k.lite || k.id === 'lr4') : []) {
    const code = c.bundle === 'lite' ? liteCode : full;
    for (const op of ['learnOne', 'predictOne']) {
      const row = { id: c.id, label: c.label, op };
      // The code in RAM first (the figure the targets are judged on), then run from Storage (flash strings).
      const a = await cpuPerOp(stock, code, c, op, timing, 'ts', 'ram').catch((e) => ({ error: firstLine(e) }));
      row.stock = a.ms;
      row.nStock = a.n;
      row.emptyStock = a.emptyMs;
      row.stockError = a.error;
      const af = await cpuPerOp(stock, code, c, op, timing, 'ts', 'storage').catch((e) => ({ error: firstLine(e) }));
      row.stockFlash = af.ms;
      row.stockFlashError = af.error;
      if (native && !nativeCpuSkipped) {
        const b = await cpuPerOp(native, code, c, op, timing, 'native', 'ram').catch((e) => ({ error: firstLine(e) }));
        row.native = b.ms;
        row.nNative = b.n;
        row.nativeError = b.error;
        const bf = await cpuPerOp(native, code, c, op, timing, 'native', 'storage').catch((e) => ({ error: firstLine(e) }));
        row.nativeFlash = bf.ms;
        row.nativeFlashError = bf.error;
      }
      results.cpu.push(row);
      const ms = (v, err) => (err ? 'FAILED: ' + err : fmt(v, 3) + ' ms');
      console.log(`bench:espruino: ${c.label} ${op}: stock ${ms(row.stock, row.stockError)} (from Storage ${ms(row.stockFlash, row.stockFlashError)})` +
        (native && !nativeCpuSkipped ? `, native ${ms(row.native, row.nativeError)} (from Storage ${ms(row.nativeFlash, row.nativeFlashError)})` + (row.stockError || row.nativeError ? '' : ` (${fmt(row.stock / row.native, 2)}×)`) : ''));
    }
  }
  results.seconds = (Date.now() - t0) / 1000;

  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(results, null, 2) + '\n');
  output(results, opts, !!native);
}

/** Prints the report; a full run also rewrites the docs sections and, with the calibration, its JSON file. */
function output(results, opts, native) {
  const md = report(results, opts, native);
  const hasCpu = results.cpu.length > 0;
  console.log('\n' + md.memory + (hasCpu ? '\n\n' + md.cpu : '') + (opts.calibration ? '\n\n' + md.blocks : ''));
  if (opts.quick || opts.only) return;
  writeSection('espruino-memory', md.memory);
  if (hasCpu) writeSection('espruino-cpu', md.cpu);
  if (opts.calibration) {
    writeSection('espruino-blocks', md.blocks);
    fs.writeFileSync(CALIBRATION, JSON.stringify(calibrationFile(results), null, 2) + '\n');
    console.log('bench:espruino: wrote ' + path.relative(ROOT, CALIBRATION));
  }
  console.log('bench:espruino: wrote the espruino-* sections of docs/benchmarks.md');
}

function gitHead() {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '?';
}

function calibrationFile(results) {
  return {
    note: 'Least-squares fit of Espruino blocks after require() (Linux build, from Storage) on static bundle features; written by bench/espruino.mjs, read by targets/espruino/blocks.mjs.',
    measured: results.date.slice(0, 10),
    commit: results.commit,
    espruino: results.espruino,
    blocksize: results.blocksize,
    features: results.fit.features,
    coefficients: results.fit.coefficients,
    rmsError: results.fit.rms,
    maxError: results.fit.maxError,
    looMaxError: results.fit.looMaxError,
    points: results.memory.filter((e) => !e.stock.error).map((e) => ({ file: e.file, blocks: e.stock.require, estimate: Math.round(results.fit.estimates[e.file]), stats: e.stats })),
  };
}

function report(results, opts, native) {
  const head = `Measured ${results.date.slice(0, 10)} (commit ${results.commit || '?'}) by \`npm run bench:espruino\` on Espruino ${results.espruino} (Linux build; \`blocksize\` ${results.blocksize} bytes, boards use 12–16, so a board needs more blocks for the same code)${native ? ', stock and with native/espruino/jswrap_microlearn.c' : ''}, ${results.machine}${opts.quick ? ', --quick' : ''}.`;
  const mem = results.memory.filter((e) => e.kind !== 'export');
  // A run that failed shows its error in its row; one error for a whole column goes in the text.
  const failed = (x) => 'failed: ' + x.error;
  const skipped = results.nativeCpuSkipped && results.nativeCpuSkipped !== '$ESPRUINO_NATIVE is not set' ? ' No native CPU figures: ' + results.nativeCpuSkipped + '.' : '';
  const memory = [
    head + (native ? '' : skipped) + ' Blocks are `process.memory().usage` differences: after `require()` of the bundle stored in Storage (as `microlearn upload` does); after constructing its models (4 features; the app bundle: `Pipeline([StandardScaler, LogisticRegression])` and a `ModelStore(EspruinoStorage)`; the device API, microlearn-lite.min.js: `create({ nFeatures: 4, logistic: true, scaler: true })` and `require("Storage")`); after 10 `learnOne` (`learn`) of the first model.',
    '',
    table(
      ['bundle', 'bytes', 'require', 'construct', 'models', '10 learnOne', 'total after', ...(native ? ['require, native firmware'] : []), 'target (issue 10)'],
      mem.map((e) => [
        e.file,
        fmt(e.bytes),
        ...(e.stock.error
          ? [failed(e.stock), '—', '—', '—', '—']
          : [fmt(e.stock.require), fmt(e.stock.construct), e.kind === 'lite' ? 'create (scaler + logistic), Storage; then save + load: +' + fmt(e.stock.saveLoad) : e.stock.made.join(', ') || '—', fmt(e.stock.learn), fmt(e.stock.require + e.stock.construct)]),
        ...(native ? [e.native && e.native.error ? failed(e.native) : fmt(e.native && e.native.require)] : []),
        target(e),
      ]),
    ),
  ].join('\n');
  const nativeCpu = native && !results.nativeCpuSkipped;
  const firstOk = results.cpu.find((r) => !r.stockError);
  const cpu = !results.cpu.length ? '' : [
    head + skipped +
      ` CPU time per operation: the Espruino process's user + system time (/proc/self/stat, read from the script) around N calls over a 64-sample cycle after 128 warm-up samples, N sized to ~${results.timing.budget} s, minus the same loop without the call ` +
      `(${emptyNote(firstOk, results.timing.ticks)}), fastest of ${results.timing.reps}; on this x86-64 host (a microcontroller is slower; the ratios are the point).` +
      ' "ms" columns: the bundle loaded from a RAM copy of its Storage file, so the interpreter reads function code from memory, as an nRF52 board (Puck.js, Pixl.js, MDBT42Q) reads its memory-mapped flash; the targets are judged on these.' +
      ' "from Storage": `require()` of the Storage file itself. The Linux build emulates SPI flash in a file and reads it through fopen/fseek/fread/fclose for every 16 bytes of function code the interpreter reads (jshFlashRead, ESPR_JSVAR_FLASH_BUFFER_SIZE), so these figures carry system time and vary from process to process; a Bangle.js 2, whose Storage is SPI flash, pays a cost of this kind, an nRF52\'s internal flash does not.',
    '',
    table(
      ['model', 'op', 'N', 'ms, stock', ...(nativeCpu ? ['ms, native', 'speed-up'] : []), 'from Storage: ms, stock', ...(nativeCpu ? ['from Storage: ms, native'] : []), 'target (issue 10)'],
      results.cpu.map((r) => [
        r.label,
        r.op,
        (r.stockError ? '—' : fmt(r.nStock)) + (nativeCpu && !r.nativeError ? ' / ' + fmt(r.nNative) : ''),
        r.stockError ? 'failed: ' + r.stockError : fmt(r.stock, 3),
        ...(nativeCpu ? (r.nativeError ? ['failed: ' + r.nativeError, '—'] : [fmt(r.native, 3), r.stockError ? '—' : fmt(r.stock / r.native, 2) + '×']) : []),
        r.stockFlashError ? 'failed: ' + r.stockFlashError : fmt(r.stockFlash, 3),
        ...(nativeCpu ? [r.nativeFlashError ? 'failed: ' + r.nativeFlashError : fmt(r.nativeFlash, 3)] : []),
        r.id === 'lr4' && r.op === 'learnOne' ? cpuTarget(r, nativeCpu) : '—',
      ]),
    ),
  ].join('\n');
  const f = results.fit;
  if (!f) return { memory, cpu, blocks: '' };
  const measured = results.memory.filter((e) => !e.stock.error);
  const notMeasured = results.memory.filter((e) => e.stock.error);
  const pts = measured.map((e) => ({ file: e.file, blocks: e.stock.require, err: Math.abs(f.estimates[e.file] - e.stock.require) }));
  const worst = pts.reduce((a, b) => (b.err > a.err ? b : a));
  const big = pts.filter((p) => p.blocks >= 1000);
  const bigRel = Math.max(...big.map((p) => p.err / p.blocks));
  const blocksMd = [
    head + ` Static estimate of the require() blocks (targets/espruino/blocks.mjs, \`estimateBlocks(code)\`): a least-squares fit over ${f.n} bundles (the ones above plus one per public export) of the measured blocks on features of the minified bundle:`,
    '',
    '    blocks ≈ ' + f.features.map((name, i) => fmt(f.coefficients[i], 4) + (name === 'one' ? '' : ' × ' + name)).join(' + '),
    '',
    `Error over the fitted bundles: RMS ${fmt(f.rms, 1)} blocks, largest ${fmt(f.maxError, 1)} blocks (${worst.file}, ${fmt(worst.blocks)} blocks); ` +
      `on the ${big.length} bundles of 1,000 blocks or more at most ${fmt(bigRel * 100, 1)} %; leave-one-out (each bundle predicted by a fit without it) largest ${fmt(f.looMaxError, 1)} blocks. ` +
      'Features (counted by `bundleStats(code)` on the parsed bundle, see blocks.mjs): ' + Object.entries(blocks.FEATURE_DOC).filter(([k]) => f.features.includes(k)).map(([k, v]) => '`' + k + '` ' + v).join('; ') + '.',
    '',
    table(
      ['bundle', 'measured', 'estimate', 'error'],
      results.memory.map((e) => (e.stock.error ? [e.file, failed(e.stock) + ' (not in the fit)', '—', '—'] : [e.file, fmt(e.stock.require), fmt(f.estimates[e.file]), fmt(f.estimates[e.file] - e.stock.require)])),
    ),
    ...(notMeasured.length ? ['', `${notMeasured.length} bundle(s) failed on the stock firmware and are not in the fit: ${notMeasured.map((e) => e.file).join(', ')}.`] : []),
    '',
    'What one thing costs, from synthetic modules required the same way (blocks after require; per item = (blocks − empty module) / 100):',
    '',
    table(
      ['module', 'blocks', 'per item'],
      Object.entries(results.units).map(([what, b]) => {
        const empty = results.units['empty module'];
        if (b && b.error) return [what, failed(b), '—'];
        return [what, fmt(b), what === 'empty module' || typeof empty !== 'number' ? '—' : fmt((b - empty) / 100, 2)];
      }),
    ),
  ].join('\n');
  return { memory, cpu, blocks: blocksMd };
}

/** What the empty loop cost, per iteration; the CPU clock counts in ticks (1/CLK_TCK s), so a short loop may read 0. */
function emptyNote(r, ticks) {
  if (!r) return 'not measured';
  if (r.emptyStock > 0) return fmt(r.emptyStock * 1000, 1) + ' µs per iteration';
  return 'under one ' + fmt(1000 / (ticks || 100)) + ' ms clock tick for all ' + fmt(r.nStock) + ' iterations, fastest of the repeats';
}

/** Issue 10's CPU targets for LogisticRegression d=4 learnOne: ≤ 1.5 ms on stock firmware, ≥ 5× faster with the native module. */
function cpuTarget(r, nativeCpu) {
  const parts = [];
  if (!r.stockError) parts.push((r.stock <= 1.5 ? 'met' : 'missed') + ' (≤ 1.5 ms stock)');
  if (nativeCpu && !r.nativeError && !r.stockError) parts.push((r.stock / r.native >= 5 ? 'met' : 'missed') + ' (≥ 5× native)');
  return parts.join('; ') || 'not measured';
}

/** Issue 10's budgets: the app after require and construction; a bundle of one algorithm, the full library after require. */
function target(e) {
  if (e.stock.error) return 'not measured';
  // the device API is the app's other form: the app's target
  const app = e.kind === 'app' || e.kind === 'lite';
  const value = app ? e.stock.require + e.stock.construct : e.stock.require;
  const limit = app ? 400 : e.kind === 'full' ? 2000 : e.kind === 'algorithm' ? 600 : null;
  return limit === null ? '—' : (value <= limit ? 'met' : 'missed') + ' (' + fmt(value) + ' ≤ ' + fmt(limit) + (app ? ', require + construct' : ', require') + ')';
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
