#!/usr/bin/env node
// npm run bench:peers — microlearn against float peers on our XS host (issue 10 §1).
//
//   npm run bench:peers [-- --only ROW[,ROW]] [--quick] [--json FILE] [--n2] [--fresh]
//
//   --only lr8,knn   rows to run (lr8 lr64 lin8 km mlp knn; default all)
//   --quick          fewer iterations and one timing repeat (a quick check while
//                    working; the figures for docs come from a full run)
//   --json FILE      also write every raw figure (per subject, host, op) as JSON
//   --n2             run every loop at N and 2N too and report the per-op
//                    difference between the two estimates (checks the method)
//   --save-baseline  write bench/peers/baseline.json (today's TS double ops,
//                    the reference of the "≤ 10 %" target); only with all rows
//   --render FILE    print (and, for a full run, write to docs) the report of a
//                    JSON file written by --json, without measuring anything
//   --fresh          measure everything again (by default a subject whose bundle
//                    and XS binaries are unchanged reuses its figures from
//                    build/bench/peers/cache/: counts are deterministic, so only
//                    microlearn is re-measured after a change to the library;
//                    its wall times are then from the earlier run)
//
// Each subject (microlearn, each peer, the float64 loop) is bundled alone with
// rollup into one script for build/xs/mlxs (see driver.js), fed the same seeded
// stream (stream.js) in its own input format, and run three ways:
//   instructions  valgrind --tool=callgrind, one dump per measured loop, minus an
//                 empty loop over the same stream: deterministic, the figure to
//                 compare (XS's meter undercounts built-ins, so it is not used)
//   double ops    build/xs/mlxs-instrument (XS's -DmxInstrument counter), with
//                 every Math.* function wrapped to count its calls
//   wall time     the default binaries, fastest of 5 repeats
// microlearn runs on mlxs (TypeScript kernels) and on mlxs-native (C kernels).
// Sizes: each learner alone, rollup + terser + gzip -9.
//
// A full run (all rows, not --quick) rewrites the "peers" section of
// docs/benchmarks.md; subsets only print.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rollup } from 'rollup';
import { minify } from 'terser';
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { ROWS } from './rows.js';
import { LOOP } from './stream.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const OUT = path.join(ROOT, 'build', 'bench', 'peers');
const INDEX = path.join(ROOT, 'build', 'index.js'); // the tsc output of index.ts, the package's front door
const BASELINE = path.join(HERE, 'baseline.json');
// The markdown helpers every benchmark uses (bench/report.ts, compiled by `npm run build`).
const { table, writeSection } = await import(pathToFileURL(path.join(ROOT, 'build', 'bench', 'report.js')).href);

// ---- what is measured ----

/** Peers per row: subject file, the package as named in tables, ops it has. */
const PEERS = {
  lr8: [{ id: 'stdlib', name: '@stdlib/ml-incr-binary-classification' }],
  lr64: [{ id: 'stdlib', name: '@stdlib/ml-incr-binary-classification' }],
  lin8: [{ id: 'stdlib', name: '@stdlib/ml-incr-sgd-regression' }],
  km: [
    { id: 'stdlib', name: '@stdlib/ml-incr-kmeans' },
    { id: 'mlkmeans', name: 'ml-kmeans (batch)' },
  ],
  mlp: [
    { id: 'synaptic', name: 'synaptic' },
    { id: 'brainjs', name: 'brain.js' },
  ],
  knn: [{ id: 'mlknn', name: 'ml-knn (batch)' }],
};

/** Columns of microlearn: which host and which call stands for learnOne / predictOne. */
const ML_COLUMNS = [
  { id: 'ts', label: 'microlearn TS', host: 'ts', learnOne: 'learnOne', predictOne: 'predictOne' },
  { id: 'tsQ', label: 'microlearn TS …Q', host: 'ts', learnOne: 'learnOneQ', predictOne: 'predictOneQ' },
  { id: 'native', label: 'microlearn native', host: 'native', learnOne: 'learnOne', predictOne: 'predictOne' },
  { id: 'nativeQ', label: 'microlearn native …Q', host: 'native', learnOne: 'learnOneQ', predictOne: 'predictOneQ' },
];

/** Callgrind iterations per op (a multiple of the 64-sample cycle, so every sample weighs the same). */
const N_FULL = { lr8: 256, lr64: 64, lin8: 256, km: 256, mlp: 64, knn: 64 };
const N_QUICK = 16;
/** Wall time: iterations sized to about this many instructions per loop. */
const TIME_BUDGET = { full: 3e8, quick: 5e7 };
const TIME_REPEATS = { full: 5, quick: 1 };

/** Learner (for sizes) of each row. */
const LEARNER = { lr8: 'LogisticRegression', lr64: 'LogisticRegression', lin8: 'LinearRegression', km: 'KMeans', mlp: 'MLP', knn: 'KNNClassifier' };
/** Size entries: what "just that learner" is for each subject. */
const SIZE_ENTRY = {
  microlearn: (learner) => `export { ${learner} } from 'microlearn';`,
  float: (learner) =>
    `export { ${{ LogisticRegression: 'FloatLogistic', LinearRegression: 'FloatLinear', KMeans: 'FloatKMeans', MLP: 'FloatMLP', KNNClassifier: 'FloatKNN' }[learner]} } from ${JSON.stringify(path.join(HERE, 'subjects', 'float.js'))};`,
  '@stdlib/ml-incr-binary-classification': () => `export { default } from '@stdlib/ml-incr-binary-classification';`,
  '@stdlib/ml-incr-sgd-regression': () => `export { default } from '@stdlib/ml-incr-sgd-regression';`,
  '@stdlib/ml-incr-kmeans': () => `export { default } from '@stdlib/ml-incr-kmeans';`,
  'ml-kmeans (batch)': () => `export { kmeans } from 'ml-kmeans';`,
  synaptic: () => `import s from 'synaptic'; export const Perceptron = s.Architect.Perceptron;`,
  'brain.js': () => `export { default } from 'brain.js/dist/neural-network.js';`,
  'ml-knn (batch)': () => `export { default } from 'ml-knn';`,
};

// ---- command line ----

function parseArgs(argv) {
  const o = { rows: Object.keys(ROWS), quick: false, json: null, n2: false, saveBaseline: false, render: null, fresh: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only' && i + 1 < argv.length) {
      o.rows = argv[++i].split(',').map((s) => s.trim()).filter(Boolean);
      const bad = o.rows.filter((r) => !ROWS[r]);
      if (bad.length) usage('unknown row ' + bad.join(', ') + ' (rows: ' + Object.keys(ROWS).join(' ') + ')');
      o.only = true;
    } else if (a === '--quick') o.quick = true;
    else if (a === '--json' && i + 1 < argv.length) o.json = path.resolve(argv[++i]);
    else if (a === '--n2') o.n2 = true;
    else if (a === '--save-baseline') o.saveBaseline = true;
    else if (a === '--fresh') o.fresh = true;
    else if (a === '--render' && i + 1 < argv.length) o.render = path.resolve(argv[++i]);
    else usage('unknown argument ' + a);
  }
  if (o.saveBaseline && (o.only || o.quick)) usage('--save-baseline needs a full run (no --only, no --quick)');
  return o;
}

function usage(msg) {
  console.error('bench:peers: ' + msg + '\nusage: npm run bench:peers -- [--only ROW[,ROW]] [--quick] [--json FILE] [--n2] [--fresh] [--save-baseline] [--render FILE]');
  process.exit(2);
}

// ---- bundling ----

const VIRTUAL = '\0peers:';

function plugins(entries) {
  return [
    {
      name: 'peers-entries',
      resolveId(id) {
        if (id.startsWith(VIRTUAL)) return id;
        if (id === 'microlearn') return INDEX; // the public API, as users import it
        // stdlib's buffer-ctor loads Node's 'buffer' and uses it only where
        // Buffer exists: on XS an empty module, as a browser without polyfill.
        if (id === 'buffer') return VIRTUAL + 'buffer';
        return null;
      },
      load(id) {
        if (id === VIRTUAL + 'buffer') return 'export default {};';
        return id.startsWith(VIRTUAL) ? entries[id.slice(VIRTUAL.length)] : null;
      },
    },
    // browser: package.json "browser" fields, which stdlib uses to skip its Node-only native bindings.
    nodeResolve({ preferBuiltins: false, browser: true }),
    json(),
    commonjs({ ignoreGlobal: true }),
  ];
}

/**
 * microlearn's modules as its package.json declares them ("sideEffects": false), as a
 * user's bundler treats the installed package: a module none of whose exports is used
 * is left out (else every class with a static member would stay: TypeScript emits
 * `C.x = …` after the class). The peers keep rollup's default.
 */
const TREESHAKE = { moduleSideEffects: (id) => !id.startsWith(path.join(ROOT, 'build') + path.sep) };

function onwarn(w) {
  // Circular imports and `this` at module level are common in the peers and harmless here.
  if (w.code === 'CIRCULAR_DEPENDENCY' || w.code === 'THIS_IS_UNDEFINED' || w.code === 'EVAL') return;
  throw new Error('rollup: ' + w.message);
}

/** One IIFE script for the XS host: the driver running one subject on one row. */
async function bundleSubject(rowId, subject) {
  const entry =
    `import { run } from ${JSON.stringify(path.join(HERE, 'driver.js'))};\n` +
    `import { ROWS } from ${JSON.stringify(path.join(HERE, 'rows.js'))};\n` +
    `import { setup } from ${JSON.stringify(path.join(HERE, 'subjects', subject + '.js'))};\n` +
    `run(${JSON.stringify(subject)}, ROWS[${JSON.stringify(rowId)}], setup);\n`;
  const b = await rollup({ input: VIRTUAL + 'main', plugins: plugins({ main: entry }), onwarn, treeshake: TREESHAKE });
  const file = path.join(OUT, `${rowId}-${subject}.js`);
  await b.write({ file, format: 'iife', strict: true });
  await b.close();
  return file;
}

/** min+gzip bytes of a module exporting just one learner. */
async function learnerSize(code) {
  const b = await rollup({ input: VIRTUAL + 'size', plugins: plugins({ size: code }), onwarn, treeshake: TREESHAKE });
  const { output } = await b.generate({ format: 'es' });
  await b.close();
  const min = await minify(output[0].code, { module: true, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  const bytes = Buffer.byteLength(min.code);
  return { min: bytes, gzip: zlib.gzipSync(min.code, { level: 9 }).length };
}

// ---- running ----

function exec(cmd, args, { niceness = 0 } = {}) {
  const argv = niceness ? ['-n', String(niceness), cmd, ...args] : args;
  const bin = niceness ? 'nice' : cmd;
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

/** The prelude: run configuration, a seeded Math.random, and in 'instrument' mode Math call counters. */
function prelude(file, config) {
  let s = 'globalThis.BENCH = ' + JSON.stringify(config) + ';\n';
  // Peers draw initial weights from Math.random: seeded, so every run does the same work.
  s += '(function () { var s = 0x2545f491; Math.random = function () { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 4294967296; }; })();\n';
  if (config.mode === 'instrument') {
    // Fixed-arity wrappers allocate nothing (an `arguments` object would, and trigger collections
    // that are not the subject's); only the variadic max, min and hypot need `arguments`.
    s +=
      '(function () { var c = globalThis.__mathCalls = {};\n' +
      '  Object.getOwnPropertyNames(Math).forEach(function (name) {\n' +
      '    var f = Math[name]; if (typeof f !== "function") return; c[name] = 0;\n' +
      '    Math[name] = name === "max" || name === "min" || name === "hypot"\n' +
      '      ? function () { c[name]++; return f.apply(Math, arguments); }\n' +
      '      : function (a, b) { c[name]++; return f(a, b); };\n' +
      '  }); })();\n';
  }
  fs.writeFileSync(file, s);
  return file;
}

function parseLines(stdout, what) {
  const lines = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  return {
    loops: lines.filter((l) => l.op),
    info: (lines.find((l) => l.info) || {}).info || {},
    quality: (lines.find((l) => l.quality) || {}).quality || null,
    what,
  };
}

async function runXS(binary, files, what) {
  const r = await exec(binary, ['--', ...files]);
  if (r.code !== 0) throw new Error(what + ' failed (' + r.code + '):\n' + r.stderr + r.stdout.slice(-2000));
  return parseLines(r.stdout, what);
}

/** Instructions of each loop: callgrind dumps before every meter() call; loop p is dump 2p+1. */
async function runCallgrind(binary, files, what, dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const r = await exec(
    'valgrind',
    ['--tool=callgrind', '--dump-before=mlxs_meter', '--dump-line=no', '--compress-strings=no', '--callgrind-out-file=' + path.join(dir, 'cg.out'), binary, '--', ...files],
    { niceness: 10 },
  );
  if (r.code !== 0) throw new Error(what + ' under callgrind failed (' + r.code + '):\n' + r.stderr.slice(-3000));
  const parsed = parseLines(r.stdout, what);
  const dumps = fs
    .readdirSync(dir)
    .filter((f) => /^cg\.out\.\d+$/.test(f))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]))
    .map((f) => {
      const m = /^summary: (\d+)/m.exec(fs.readFileSync(path.join(dir, f), 'utf8'));
      if (!m) throw new Error('no summary in ' + f);
      return Number(m[1]);
    });
  if (dumps.length < 2 * parsed.loops.length) throw new Error(what + ': ' + dumps.length + ' callgrind dumps for ' + parsed.loops.length + ' loops');
  parsed.loops.forEach((l, p) => (l.instructions = dumps[2 * p + 1]));
  fs.rmSync(dir, { recursive: true, force: true });
  return parsed;
}

/** Per op: (loop − empty loop) / N for a measure, at scale 1 (and at 2 with --n2). */
function perOp(loops, key, scale = 1) {
  const empty = loops.find((l) => l.op === 'empty' && l.scale === scale);
  const out = {};
  for (const l of loops) {
    if (l.op === 'empty' || l.scale !== scale) continue;
    out[l.op] = l[key] / l.n - empty[key] / empty.n;
  }
  return out;
}

function mathPerOp(loops) {
  const out = {};
  for (const l of loops) {
    if (l.op === 'empty' || l.scale !== 1) continue;
    const m = {};
    for (const name in l.math || {}) m[name] = l.math[name] / l.n;
    out[l.op] = m;
  }
  return out;
}

/** Fastest µs per op over the repeats, minus the fastest empty loop. */
function timePerOp(loops) {
  const best = {};
  for (const l of loops) {
    const us = (1000 * l.ms) / l.n;
    if (!(l.op in best) || us < best[l.op]) best[l.op] = us;
  }
  const out = {};
  for (const op in best) if (op !== 'empty') out[op] = best[op] - best.empty;
  return out;
}

// ---- formatting ----

const fmt = (v, digits = 0) =>
  v === undefined || v === null || Number.isNaN(v) ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a, b) => (a === undefined || b === undefined ? undefined : a / b);
const fmtRatio = (r) => (r === undefined ? '—' : fmt(r, 2) + '×');


// ---- measuring ----

/** One subject on one host: instructions, double ops, wall time per op. */
async function measure(bin, { rowId, key, host, file, N, mode, n2, what, name, valgrind }) {
  const ops = { learnOne: N, predictOne: N, learnOneQ: N, predictOneQ: N };
  const base = path.join(OUT, `${rowId}-${key}`);
  const r = { name, host, measuredAt: new Date().toISOString() };
  // 1. instructions
  if (valgrind) {
    const p = prelude(base + '.cg.pre.js', { mode: 'callgrind', n: ops, n2 });
    const cg = await runCallgrind(bin[host], [p, file], what, base + '.cg');
    r.instructions = perOp(cg.loops, 'instructions');
    if (n2) r.instructions2N = perOp(cg.loops, 'instructions', 2);
    r.meter = perOp(cg.loops, 'meter');
    r.info = cg.info;
    r.quality = cg.quality;
  }
  // 2. double ops, Math calls, garbage collections
  const p = prelude(base + '.in.pre.js', { mode: 'instrument', n: ops });
  const ins = await runXS(bin[host + 'I'], [p, file], what + ' (instrumented)');
  r.floats = perOp(ins.loops, 'floats');
  r.math = mathPerOp(ins.loops);
  r.gc = perOp(ins.loops, 'gc');
  r.info = r.info || ins.info;
  r.quality = r.quality || ins.quality;
  // 3. wall time: iterations from the instruction count (or a fixed guess without valgrind)
  const tn = {};
  for (const op of Object.keys(r.floats)) {
    const n = r.instructions && r.instructions[op] > 0 ? r.instructions[op] : 1e5;
    tn[op] = Math.max(LOOP, Math.min(1e6, Math.ceil(TIME_BUDGET[mode] / n / LOOP) * LOOP));
  }
  const t = await runXS(bin[host], [prelude(base + '.t.pre.js', { mode: 'time', n: tn, reps: TIME_REPEATS[mode] }), file], what + ' (timed)');
  r.us = timePerOp(t.loops);
  r.timedIterations = tn;
  return r;
}

const CACHE = path.join(OUT, 'cache');
/** This script's own text is part of every cache key: a change to how things are measured measures again. */
const SELF = fs.readFileSync(fileURLToPath(import.meta.url));

/** fn()'s result, kept in build/bench/peers/cache/ under a hash of `parts` (and of this script). */
async function cached(parts, fresh, fn) {
  const h = createHash('sha256').update(SELF);
  for (const p of parts) h.update(p).update('\0');
  const file = path.join(CACHE, h.digest('hex').slice(0, 32) + '.json');
  if (!fresh && fs.existsSync(file)) return { value: JSON.parse(fs.readFileSync(file, 'utf8')), hit: true };
  const value = await fn();
  fs.mkdirSync(CACHE, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value));
  return { value, hit: false };
}

// ---- main ----

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.render) return render(opts);
  const mode = opts.quick ? 'quick' : 'full';
  if (!fs.existsSync(INDEX)) {
    console.error('bench:peers: ' + path.relative(ROOT, INDEX) + ' is missing: run `npm run build` first (npm run bench:peers does)');
    process.exit(1);
  }
  fs.mkdirSync(OUT, { recursive: true });
  const { buildXS } = await import(path.join(ROOT, 'targets', 'xs', 'build.mjs'));
  const bin = {};
  for (const [key, o] of Object.entries({ ts: {}, native: { native: true }, tsI: { instrument: true }, nativeI: { native: true, instrument: true } })) {
    bin[key] = (await buildXS({ ...o, quiet: false })).binary;
  }
  const grind = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  const valgrind = grind.status === 0 ? grind.stdout.trim() : null;
  if (!valgrind) console.log('bench:peers: valgrind not found: instruction counts are skipped (apt-get install valgrind)');

  const results = { date: new Date().toISOString(), commit: gitHead(), args: process.argv.slice(2), machine: `${os.platform()} ${os.arch()}, ${os.cpus()[0]?.model || '?'}, node ${process.version}`, valgrind, mode, rows: {} };
  const t0 = Date.now();
  for (const rowId of opts.rows) {
    const row = ROWS[rowId];
    const N = opts.quick ? N_QUICK : N_FULL[rowId];
    const subjects = [
      { subject: 'microlearn', name: 'microlearn', hosts: ['ts', 'native'] },
      ...PEERS[rowId].map((p) => ({ subject: p.id, name: p.name, hosts: ['ts'] })),
      { subject: 'float', name: 'float64 loop', hosts: ['ts'] },
    ];
    const rowOut = (results.rows[rowId] = { label: row.label, subjects: {} });
    for (const s of subjects) {
      const file = await bundleSubject(rowId, s.subject);
      for (const host of s.hosts) {
        const key = s.subject === 'microlearn' ? 'microlearn-' + host : s.subject;
        const what = `${rowId} ${s.name}${s.subject === 'microlearn' ? ' (' + host + ')' : ''}`;
        process.stdout.write(`bench:peers: ${what} …`);
        const started = Date.now();
        const job = { rowId, key, host, file, N, mode, n2: opts.n2, what, name: s.name, valgrind };
        // Counts are deterministic: the same bundle on the same binaries gives the same figures.
        const cacheKey = [fs.readFileSync(file), fs.readFileSync(bin[host]), fs.readFileSync(bin[host + 'I']), JSON.stringify({ N, mode, n2: opts.n2, valgrind })];
        const { value: r, hit } = await cached(cacheKey, opts.fresh, () => measure(bin, job));
        if (hit) r.cached = true;
        if (s.subject === 'microlearn') {
          const want = host === 'native' ? 'native' : 'ts';
          if (r.info.backend !== want) throw new Error(`${what}: microlearn reports backend ${r.info.backend}, expected ${want}`);
        }
        rowOut.subjects[key] = r;
        console.log(` ${((Date.now() - started) / 1000).toFixed(1)} s${hit ? ' (cached)' : ''}` + (r.quality ? ' ' + JSON.stringify(r.quality) : ''));
      }
    }
  }

  // sizes, per learner
  results.sizes = {};
  for (const rowId of opts.rows) {
    const learner = LEARNER[rowId];
    if (results.sizes[learner]) continue;
    const sizes = (results.sizes[learner] = {});
    sizes.microlearn = await learnerSize(SIZE_ENTRY.microlearn(learner));
    // The peers' and the float loop's sizes change only with the lock file or float.js.
    const fixed = [fs.readFileSync(path.join(ROOT, 'package-lock.json')), fs.readFileSync(path.join(HERE, 'subjects', 'float.js'))];
    for (const p of PEERS[rowId]) sizes[p.name] = (await cached([...fixed, SIZE_ENTRY[p.name](learner)], opts.fresh, () => learnerSize(SIZE_ENTRY[p.name](learner)))).value;
    sizes['float64 loop'] = (await cached([...fixed, SIZE_ENTRY.float(learner)], opts.fresh, () => learnerSize(SIZE_ENTRY.float(learner)))).value;
  }
  results.seconds = (Date.now() - t0) / 1000;

  if (opts.saveBaseline) {
    const b = { note: 'TS-path double ops per op, the reference of issue 10\'s "≤ 10 %" target', commit: gitHead(), date: results.date.slice(0, 10), rows: {} };
    for (const rowId of opts.rows) {
      const r = results.rows[rowId].subjects['microlearn-ts'];
      b.rows[rowId] = { learnOne: r.floats.learnOne, predictOne: r.floats.predictOne, floorLearnOne: (r.math.learnOne || {}).floor || 0, floorPredictOne: (r.math.predictOne || {}).floor || 0 };
    }
    fs.writeFileSync(BASELINE, JSON.stringify(b, null, 2) + '\n');
    console.log('bench:peers: wrote ' + path.relative(ROOT, BASELINE));
  }
  if (opts.json) {
    fs.writeFileSync(opts.json, JSON.stringify(results, null, 2) + '\n');
    console.log('bench:peers: raw results in ' + opts.json);
  }
  output(results, opts);
}

/** Prints the report; a full run (every row, not --quick) also goes to docs/benchmarks.md. */
function output(results, opts) {
  const baseline = fs.existsSync(BASELINE) ? JSON.parse(fs.readFileSync(BASELINE, 'utf8')) : null;
  const md = report(results, baseline, opts);
  console.log('\n' + md);
  const complete = results.mode === 'full' && Object.keys(ROWS).every((r) => results.rows[r]);
  if (complete) {
    writeSection('peers', md);
    console.log('bench:peers: wrote the "peers" section of docs/benchmarks.md');
  } else console.log('bench:peers: subset or --quick: docs/benchmarks.md left as it is');
}

function render(opts) {
  const results = JSON.parse(fs.readFileSync(opts.render, 'utf8'));
  const args = results.args || [];
  output(results, { ...opts, quick: results.mode === 'quick', n2: args.includes('--n2') });
}

function gitHead() {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '?';
}

// ---- the report ----

/** Best peer of a row for an op (fewest instructions; by time without valgrind). */
function bestPeer(rowId, res, op, key) {
  let best = null;
  for (const p of PEERS[rowId]) {
    const r = res.subjects[p.id];
    const v = r && r[key] && r[key][op];
    if (v !== undefined && (!best || v < best.value)) best = { name: p.name, value: v };
  }
  return best;
}

/** 'met (v ≤ limit)' or 'missed (…)'; ratios with 2 decimals, counts with `digits`. */
function mark(value, limit, digits = 2) {
  if (value === undefined || limit === undefined) return '—';
  return (value <= limit ? 'met' : 'missed') + ' (' + fmt(value, digits) + ' ≤ ' + fmt(limit, digits) + ')';
}

function report(results, baseline, opts) {
  const key = results.valgrind ? 'instructions' : 'us';
  const unit = results.valgrind ? 'instructions' : 'µs';
  const ops = ['learnOne', 'predictOne'];
  const mainRows = [];
  const floatRows = [];
  const timeRows = [];
  const targets = [];
  const issueRows = [];
  for (const rowId of Object.keys(results.rows)) {
    const res = results.rows[rowId];
    const ml = { ts: res.subjects['microlearn-ts'], native: res.subjects['microlearn-native'] };
    const fl = res.subjects.float;
    // Issue 10's own table: its operation of the row, TS and native through the real-valued call, native …Q, the best peer, the float64 floor.
    for (const op of ROWS[rowId].issueOps) {
      const v = (r, o) => r && r[key] && r[key][o];
      const best = bestPeer(rowId, res, op, key);
      const floats = ml.ts && ml.ts.floats && ml.ts.floats[op];
      const floor = (ml.ts && ml.ts.math && ml.ts.math[op] && ml.ts.math[op].floor) || 0;
      issueRows.push([
        res.label + (op === 'learnOne' ? '' : ': ' + op),
        fmt(v(ml.ts, op)),
        fmt(v(ml.native, op)),
        fmt(v(ml.native, op + 'Q')),
        best ? fmt(best.value) + ' (' + best.name + ')' : 'no peer',
        fmt(v(fl, op)),
        floats === undefined ? '—' : fmt(floats, floats % 1 ? 1 : 0) + (floor ? ' + ' + fmt(floor, floor % 1 ? 2 : 0) + ' floor' : ''),
      ]);
    }
    for (const op of ops) {
      const col = (c, k) => ml[c.host] && ml[c.host][k] && ml[c.host][k][c[op]];
      const best = bestPeer(rowId, res, op, key);
      const others = PEERS[rowId].filter((p) => res.subjects[p.id] && (!best || p.name !== best.name) && res.subjects[p.id][key] && res.subjects[p.id][key][op] !== undefined);
      const ts = col(ML_COLUMNS[0], key);
      const nat = col(ML_COLUMNS[2], key);
      mainRows.push([
        res.label,
        op,
        ...ML_COLUMNS.map((c) => fmt(col(c, key))),
        best ? fmt(best.value) + ' (' + best.name + ')' : 'no peer',
        others.map((p) => fmt(res.subjects[p.id][key][op]) + ' (' + p.name + ')').join(', ') || '—',
        fmt(fl[key][op]),
        best ? fmtRatio(ratio(ts, best.value)) : '—',
        best ? fmtRatio(ratio(nat, best.value)) : '—',
      ]);
      if (best) {
        targets.push([res.label, op, 'TS ≤ 0.8× best peer ' + unit, mark(ratio(ts, best.value), 0.8)]);
        if (ROWS[rowId].issueOps.includes(op)) targets.push([res.label, op, 'native ≤ 0.2× best peer ' + unit, mark(ratio(nat, best.value), 0.2)]);
      }
      // double ops
      const mathOf = (r, o) => (r && r.math && r.math[o]) || {};
      const fm = (r, o) => {
        if (!r || !r.floats || r.floats[o] === undefined) return '—';
        const m = mathOf(r, o);
        const floor = m.floor || 0;
        const other = Object.keys(m).filter((n) => n !== 'floor').map((n) => fmt(m[n], m[n] % 1 ? 2 : 0) + ' ' + n);
        return fmt(r.floats[o], r.floats[o] % 1 ? 1 : 0) + (floor ? ' + ' + fmt(floor, floor % 1 ? 2 : 0) + ' floor' : '') + (other.length ? ' (Math: ' + other.join(', ') + ')' : '');
      };
      const peerCells = PEERS[rowId].filter((p) => res.subjects[p.id] && res.subjects[p.id].floats[op] !== undefined).map((p) => fm(res.subjects[p.id], op) + ' (' + p.name + ')');
      floatRows.push([res.label, op, fm(ml.ts, op), fm(ml.ts, op + 'Q'), fm(ml.native, op), fm(ml.native, op + 'Q'), peerCells.join('; ') || '—', fm(fl, op)]);
      if (ROWS[rowId].issueOps.includes(op) && baseline && baseline.rows[rowId] && ml.ts) {
        const limit = Math.ceil(0.1 * baseline.rows[rowId][op]);
        targets.push([res.label, op, 'TS double ops ≤ 10 % of ' + fmt(baseline.rows[rowId][op]) + ' (' + baseline.commit + ')', mark(ml.ts.floats[op], limit, 0)]);
      }
      // wall time
      const us = (r, o) => (r && r.us ? r.us[o] : undefined);
      const peerUs = PEERS[rowId].filter((p) => res.subjects[p.id] && us(res.subjects[p.id], op) !== undefined).map((p) => fmt(us(res.subjects[p.id], op), 2) + ' (' + p.name + ')');
      timeRows.push([res.label, op, ...ML_COLUMNS.map((c) => fmt(us(ml[c.host], c[op]), 2)), peerUs.join(', ') || '—', fmt(us(fl, op), 2)]);
    }
  }
  const sizeRows = Object.entries(results.sizes).map(([learner, s]) => [
    learner,
    ...Object.entries(s).map(([name, z]) => `${name}: ${fmt(z.gzip)} (${fmt(z.min)} min)`),
  ]);
  const header = ['row', 'op', ...ML_COLUMNS.map((c) => c.label), 'best peer', 'other peers', 'float64 loop', 'TS / best', 'native / best'];
  const gcNote = gcSummary(results);
  const lines = [
    `Measured ${results.date.slice(0, 10)} by \`npm run bench:peers\` (bench/peers/) on ${results.machine}${results.valgrind ? ', ' + results.valgrind : ''}, ` +
      `commit ${results.commit || '?'}${opts.quick ? ', --quick' : ''}. Every subject is bundled alone (rollup) and runs on our XS host (targets/xs, Moddable XS from @agoric/xsnap), ` +
      `fed the same seeded stream (bench/peers/stream.js) in its own input format: plain Arrays for microlearn's learnOne/predictOne, ` +
      `Int32Array Q16.16 for its …Q twins, ndarrays for stdlib's classifier and k-means, {input, output} objects for brain.js. ` +
      `microlearn "TS" runs on build/xs/mlxs, "native" on build/xs/mlxs-native (C kernels); peers and the float64 loop on mlxs.`,
    '',
    `**Instructions per operation** (valgrind callgrind, one dump per loop of N iterations over a cycle of ${LOOP} samples (N = ${nList(results, opts)}), minus a loop that reads the same samples and calls nothing; deterministic). ` +
      'Learning ops are measured after 128 warm-up samples (k-means seeded, the k-NN window full); predict ops on that model.',
    '',
    `**Issue 10's table, this run** (${unit} per operation on XS; learnOne unless the row says otherwise; TS double ops from the instrumented host, as below):`,
    '',
    table(['per op on XS', 'microlearn TS', 'microlearn native', 'microlearn native …Q', 'best JS peer', 'naive float64 loop', 'TS double ops'], issueRows),
    '',
    '**All operations:**',
    '',
    table(header, mainRows),
    '',
    '**Targets** (issue 10 §2, ratios within this run):',
    '',
    table(['row', 'op', 'target', 'result'], targets),
    '',
    '**Double-precision operations per operation**, counted by XS built with `-DmxInstrument` (build/xs/mlxs-instrument: arithmetic, comparisons and conversions the interpreter performed on doubles), ' +
      'plus calls of `Math.floor` and of other `Math` functions (each counted by a wrapper in that run only; their internal work is not in the double count). ' +
      (baseline ? `Baseline for the 10 % target: bench/peers/baseline.json (commit ${baseline.commit}, ${baseline.date}).` : 'No bench/peers/baseline.json yet: run with --save-baseline once.'),
    '',
    table(['row', 'op', 'TS', 'TS …Q', 'native', 'native …Q', 'peers', 'float64 loop'], floatRows),
    '',
    `**Wall time**, µs per operation inside XS on this machine (iterations sized to ~${fmt(TIME_BUDGET[results.mode] / 1e6)} M instructions per loop, fastest of ${TIME_REPEATS[results.mode]}, minus the empty loop; varies with load, the instruction counts do not).`,
    '',
    table(['row', 'op', ...ML_COLUMNS.map((c) => c.label), 'peers', 'float64 loop'], timeRows),
    '',
    '**Size per learner**: a module exporting just that learner, bundled by rollup (tree-shaken), minified by terser, gzip -9: bytes gzipped (bytes minified). microlearn\'s native kernels are C, not in this JavaScript.',
    '',
    table(['learner', 'sizes'], sizeRows.map((r) => [r[0], r.slice(1).join('; ')])),
    '',
    gcNote,
    cachedNote(results),
    '',
    'Sanity (not a benchmark): what each subject learned, on the 64 cycled samples after the run: ' +
      Object.entries(results.rows)
        .map(([rowId, res]) => res.label + ': ' + Object.entries(res.subjects).map(([k, r]) => k + ' ' + Object.entries(r.quality || {}).map(([m, v]) => m + ' ' + v).join(' ')).join(', '))
        .join('; ') +
      '.',
  ];
  if (opts.n2) {
    const diffs = [];
    for (const rowId of Object.keys(results.rows))
      for (const [k, r] of Object.entries(results.rows[rowId].subjects))
        for (const op in r.instructions || {}) if (r.instructions2N) diffs.push(`${rowId} ${k} ${op}: N ${fmt(r.instructions[op])}, 2N ${fmt(r.instructions2N[op])}`);
    lines.push('', 'Per-op instructions at N and at 2N iterations (--n2):', '', ...diffs.map((d) => '- ' + d));
  }
  return lines.join('\n');
}

function cachedNote(results) {
  const hits = [];
  for (const rowId of Object.keys(results.rows))
    for (const [k, r] of Object.entries(results.rows[rowId].subjects)) if (r.cached) hits.push(`${rowId} ${k} (${r.measuredAt.slice(0, 16).replace('T', ' ')})`);
  return hits.length ? '\nFrom the cache (same bundle and XS binaries, measured earlier; counts are deterministic, wall times are from then): ' + hits.join(', ') + '.' : '';
}

function nList(results, opts) {
  if (opts.quick) return String(N_QUICK);
  const by = {};
  for (const rowId of Object.keys(results.rows)) (by[N_FULL[rowId]] ||= []).push(rowId);
  return Object.entries(by).map(([n, rows]) => n + ' for ' + rows.join(', ')).join('; ');
}

function gcSummary(results) {
  const withGC = [];
  for (const rowId of Object.keys(results.rows))
    for (const [k, r] of Object.entries(results.rows[rowId].subjects))
      for (const op in r.gc || {}) if (r.gc[op] > 0) withGC.push(`${rowId} ${k} ${op}`);
  return withGC.length
    ? 'Garbage collections happened inside measured loops of: ' + withGC.join(', ') + ' (their cost is included, amortized over that loop only).'
    : 'No garbage collection ran inside any measured loop (XS host heap: 32 MB chunks, 256 K slots at start): the peers that allocate per call are measured without their collection cost.';
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
