#!/usr/bin/env node
// npm run test:moddable — builds the headless Moddable test app
// (targets/moddable/test-app, platform x-cli-lin) with the real mcconfig and
// runs it: the conformance suite with the native C kernels, then with the
// TypeScript kernels. Every hash must equal Node's.
//
// Needs $MODDABLE (a Moddable SDK with its Linux host tools built:
// $MODDABLE/build/bin/lin/release/mcconfig, xsc, xsl, ...). Without it this
// prints why it skips and exits 0. mcconfig compiles the .ts modules with the
// `tsc` first on PATH; this script puts node_modules/.bin first, and
// targets/moddable/manifest.json targets es2024 so TypeScript 5.9 works (and 6+).
//
//   MODDABLE=/path/to/moddable npm run test:moddable

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const APP = path.join(HERE, 'test-app');
const OUT = path.join(ROOT, 'build', 'moddable');

const moddable = process.env.MODDABLE;
if (!moddable) {
  console.log('test:moddable: skipped: $MODDABLE is not set. Point it at a Moddable SDK whose Linux tools are built (see docs/moddable.md).');
  process.exit(0);
}
const tools = path.join(moddable, 'build', 'bin', 'lin', 'release');
if (!fs.existsSync(path.join(tools, 'mcconfig'))) {
  console.error('test:moddable: ' + path.join(tools, 'mcconfig') + ' not found: build the Moddable Linux tools first (docs/moddable.md)');
  process.exit(1);
}

const env = Object.assign({}, process.env, {
  MODDABLE: moddable,
  PATH: [tools, path.join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter),
  MAKEFLAGS: process.env.MAKEFLAGS || '-j2',
});

function run(cmd, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, Object.assign({ env, stdio: ['ignore', 'pipe', 'pipe'] }, options));
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out).toString() }));
  });
}

/** SHA-256 over the paths and contents of every file under `dirs` (relative to the repository). */
function sourcesHash(dirs) {
  const h = createHash('sha256');
  const walk = (rel) => {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) for (const e of fs.readdirSync(abs).sort()) walk(path.join(rel, e));
    else h.update(rel + '\0').update(fs.readFileSync(abs)).update('\0');
  };
  for (const d of dirs) walk(d);
  return h.digest('hex');
}

let failures = 0;
function check(ok, what, detail) {
  console.log((ok ? '  ok    ' : '  FAIL  ') + what + (detail && !ok ? '\n' + detail : ''));
  if (!ok) failures++;
}

console.log('test:moddable: tsc (for the Node reference)');
const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(1);
const { nodeConformance } = await import(path.join(ROOT, 'build', 'test', 'util.js'));
const node = nodeConformance();

// make decides what to rebuild from file times, which a source edited while a build
// runs can defeat; so the build directory is keyed on a hash of every input instead.
const stampFile = path.join(OUT, 'inputs.sha256');
const inputs = sourcesHash(['src', 'algorithms', 'native', 'test/conformance', 'targets/moddable']);
if (!fs.existsSync(stampFile) || fs.readFileSync(stampFile, 'utf8') !== inputs) {
  fs.rmSync(OUT, { recursive: true, force: true });
  console.log('test:moddable: sources changed since the last build: clean build');
}
fs.mkdirSync(OUT, { recursive: true });
const tscVersion = spawnSync('tsc', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
console.log('test:moddable: mcconfig -m -p x-cli-lin (' + tscVersion + ', ' + moddable + ')');
let t = Date.now();
const built = await run(path.join(tools, 'mcconfig'), ['-m', '-p', 'x-cli-lin', '-o', OUT], { cwd: APP });
console.log('  build: ' + ((Date.now() - t) / 1000).toFixed(1) + ' s');
const binary = path.join(OUT, 'bin', 'lin', 'release', 'microlearn-test');
check(built.code === 0 && fs.existsSync(binary), 'mcconfig built ' + path.relative(ROOT, binary), built.out.slice(-4000));
if (failures) process.exit(1);
fs.writeFileSync(stampFile, inputs);

t = Date.now();
const r = await run(binary, [], { cwd: OUT });
console.log('  run: ' + ((Date.now() - t) / 1000).toFixed(1) + ' s, exit ' + r.code);
const lines = r.out.split('\n').filter((l) => l.length);

/** The conformance block that follows the "moddable kernels X" line. */
function block(kind) {
  const i = lines.indexOf('moddable kernels ' + kind);
  if (i < 0) return [];
  const end = lines.findIndex((l, j) => j > i && l.startsWith('done '));
  return end < 0 ? lines.slice(i + 1) : lines.slice(i + 1, end + 1);
}

for (const kind of ['native', 'ts']) {
  const got = block(kind);
  console.log('  Moddable XS, ' + kind + ' kernels:');
  for (let i = 0; i < Math.max(got.length, node.length); i++) {
    const g = got[i] === undefined ? '(missing)' : got[i];
    const n = node[i];
    const note = g === n ? '  == node' : i === 0 && kind === 'native' ? '' : '  != node: ' + n;
    console.log('    ' + g + note);
  }
  check(got[0] === 'backend ' + kind, 'backend() reports ' + kind, got[0]);
  check(got.length === node.length && got.slice(1).every((l, i) => l === node[i + 1]), 'hashes equal Node\'s with ' + kind + ' kernels');
}
check(lines.includes('moddable store ok 1'), 'public API through import "microlearn": ModelStore save/load round trip');
for (const l of lines) if (l.startsWith('moddable memory')) console.log('  ' + l.slice(9));
check(r.code === 0 && lines.includes('moddable done 0 failed'), 'the app exits 0 with no failed case', r.out.slice(-2000));

console.log(failures ? 'test:moddable: ' + failures + ' check(s) FAILED' : 'test:moddable: all checks passed');
process.exit(failures ? 1 : 0);
