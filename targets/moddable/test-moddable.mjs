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

// ---- docs/moddable.md, walked as a user would, with the packed tarball ----
await walkDocs();

console.log(failures ? 'test:moddable: ' + failures + ' check(s) FAILED' : 'test:moddable: all checks passed');
process.exit(failures ? 1 : 0);

/**
 * docs/moddable.md from an empty folder: `npm pack` (prepack builds dist/), the
 * tarball installed like `npm i microlearn`, the doc's files written exactly as
 * the doc shows them (its blocks marked `file=NAME`), then
 *   - the x-cli-lin app built with the doc's mcconfig command and run;
 *   - the ESP32 app type-checked (strict) against the SDK's typings;
 *   - the mcpack app built with `mcpack mcconfig -m -p lin`.
 */
async function walkDocs() {
  const { codeBlocks } = await import(path.join(ROOT, 'build', 'test', 'docs-blocks.js'));
  const blocks = codeBlocks(path.join(ROOT, 'docs', 'moddable.md'));
  const files = new Map();
  for (const b of blocks) for (const f of b.flags) if (f.startsWith('file=')) files.set(f.slice(5), b.code);
  const walk = path.join(OUT, '..', 'moddable-walk');
  fs.rmSync(walk, { recursive: true, force: true });
  fs.mkdirSync(walk, { recursive: true });
  console.log('test:moddable: docs/moddable.md walk-through in ' + path.relative(ROOT, walk));

  let t = Date.now();
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', walk], { cwd: ROOT, env, encoding: 'utf8' });
  check(pack.status === 0, 'npm pack', (pack.stdout + pack.stderr).slice(-3000));
  if (pack.status !== 0) return;
  const tgz = path.join(walk, JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[\n')))[0].filename);
  console.log('  npm pack: ' + path.basename(tgz) + ' (' + ((Date.now() - t) / 1000).toFixed(1) + ' s)');

  const tsVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'typescript', 'package.json'), 'utf8')).version;
  const npmEnv = { npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
  async function project(dir, withTypescript) {
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(path.join(dir, 'package.json'))) await run('npm', ['init', '-y'], { cwd: dir });
    const i = await run('npm', ['i', '--prefer-offline', tgz], { cwd: dir, env: Object.assign({}, env, npmEnv) });
    check(i.code === 0, 'npm i microlearn (the tarball) in ' + path.basename(dir), i.out.slice(-2000));
    if (withTypescript) {
      const ts = await run('npm', ['i', '-D', '--prefer-offline', 'typescript@' + tsVersion], { cwd: dir, env: Object.assign({}, env, npmEnv) });
      check(ts.code === 0, 'npm i -D typescript in ' + path.basename(dir), ts.out.slice(-2000));
    }
  }
  function write(dir, prefix) {
    for (const [name, code] of files) {
      if (prefix ? !name.startsWith(prefix) : name.includes('/')) continue;
      fs.writeFileSync(path.join(dir, prefix ? name.slice(prefix.length) : name), code);
    }
  }

  // Section 1-2: the x-cli-lin app.
  const door = path.join(walk, 'door');
  fs.mkdirSync(door);
  await project(door, true);
  write(door, '');
  const appEnv = Object.assign({}, env, { PATH: [tools, path.join(door, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter) });
  // The doc's commands, as written: every line before the one that runs the app builds it.
  const commands = blocks.find((b) => b.lang === 'sh' && b.code.includes('mcconfig -m -p x-cli-lin')).code.split('\n').filter((l) => l.trim().length);
  const runLine = commands.pop();
  t = Date.now();
  let built = { code: 0, out: '' };
  for (const c of commands) if (built.code === 0) built = await run('sh', ['-c', c], { cwd: door, env: appEnv });
  console.log('  x-cli-lin app build: ' + ((Date.now() - t) / 1000).toFixed(1) + ' s (' + commands.join('; ') + ')');
  const bin = path.join(door, 'build', 'bin', 'lin', 'release', 'door');
  check(built.code === 0 && fs.existsSync(bin), 'the doc\'s x-cli-lin app builds as written', built.out.slice(-4000));
  if (built.code === 0) {
    const r = await run('sh', ['-c', runLine], { cwd: door, env: appEnv });
    const out = r.out.split('\n').filter((l) => l.length);
    for (const l of out) console.log('    ' + l);
    check(r.code === 0, 'it runs and exits 0', r.out.slice(-2000));
    check(out.filter((l) => /^\d+ readings, accuracy of the last 1000: [\d.]+ %$/.test(l)).length === 3, 'it prints the accuracy three times');
    check(/^kernels: native, saved \d+ bytes, reloaded: true$/.test(out[out.length - 1] || ''), 'native kernels, and the model reloads from the store');
  }

  // Section 3: the ESP32 app, type-checked against the SDK's typings.
  const device = path.join(door, 'device');
  fs.mkdirSync(device);
  write(device, 'device/');
  fs.symlinkSync(path.join(door, 'node_modules'), path.join(device, 'node_modules'), 'dir');
  const typings = path.join(moddable, 'typings');
  fs.writeFileSync(path.join(device, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: 'es2024', lib: ['es2024'], module: 'es2022', moduleResolution: 'node', skipLibCheck: true,
      types: [path.join(moddable, 'xs', 'includes', 'xs'), path.join(typings, 'global')],
      baseUrl: '.',
      paths: { microlearn: ['node_modules/microlearn/targets/moddable/microlearn.d.ts'], 'microlearn/*': ['node_modules/microlearn/*'] },
    },
    files: ['main.ts', ...['timer', 'preference', 'pins/analog', 'pins/digital'].map((m) => path.join(typings, m + '.d.ts'))],
  }, null, 2));
  const tc = await run(path.join(door, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: device, env: appEnv });
  check(tc.code === 0, 'the doc\'s ESP32 main.ts type-checks (strict, SDK typings)', tc.out.slice(-3000));

  // Section 4: mcpack.
  const packApp = path.join(walk, 'mcpack');
  fs.mkdirSync(packApp);
  write(packApp, 'mcpack/');
  await project(packApp, true);
  const packOut = path.join(walk, 'mcpack-build');
  fs.mkdirSync(packOut);
  const packEnv = Object.assign({}, env, { PATH: [tools, path.join(packApp, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter) });
  t = Date.now();
  const mp = await run(path.join(tools, 'mcpack'), ['mcconfig', '-m', '-p', 'lin', '-o', packOut], { cwd: packApp, env: packEnv });
  console.log('  mcpack app build (-p lin): ' + ((Date.now() - t) / 1000).toFixed(1) + ' s');
  const tmp = path.join(packOut, 'tmp', 'lin', 'mc', 'release', 'door');
  check(mp.code === 0 && fs.existsSync(path.join(packOut, 'bin', 'lin', 'mc', 'release', 'door', 'mc.so')), 'mcpack mcconfig -m -p lin builds the doc\'s mcpack app', mp.out.slice(-4000));
  check(fs.existsSync(path.join(tmp, 'xs_microlearn.c.o')) && fs.existsSync(path.join(tmp, 'microlearn_kernels.c.o')), 'mcpack took targets/moddable/manifest.json: the C kernels are compiled in');
}
