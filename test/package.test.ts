/**
 * The npm package as a user gets it: `npm pack` (which runs `prepack` to
 * build dist/), then the tarball installed offline into an empty project,
 * where an ES module script, a CommonJS script, a strict `tsc` type-check of
 * the README example (module nodenext) and `npx microlearn --help` must work.
 */
import assert from 'node:assert/strict';
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './util.js';
import { codeBlocks } from './docs-blocks.js';

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: Object.assign({}, process.env, { npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' }) });
  assert.equal(r.status, 0, cmd + ' ' + args.join(' ') + ' failed (exit ' + r.status + '):\n' + r.stdout + '\n' + r.stderr);
  return r;
}

const ESM = `
import { LogisticRegression, Pipeline, StandardScaler, MicrolearnError, load, backend } from 'microlearn';
import * as lite from 'microlearn/lite';
const model = new Pipeline([new StandardScaler({ nFeatures: 2 }), new LogisticRegression({ nFeatures: 2, learningRate: 0.1 })]);
const device = lite.create({ nFeatures: 2, logistic: true, scaler: true, learningRate: 0.1 });
for (let i = 0; i < 200; i++) model.learnOne([i % 10, 10 - (i % 10)], i % 10 > 4 ? 1 : 0);
for (let i = 0; i < 200; i++) lite.learn(device, [i % 10, 10 - (i % 10)], i % 10 > 4 ? 1 : 0);
const again = load(model.toBytes());
let code = '';
try { model.learnOne([1], 0); } catch (e) { code = e instanceof MicrolearnError ? e.code : 'not a MicrolearnError'; }
console.log(JSON.stringify({ backend: backend(), hi: model.predictProbaOne([9, 1])[1], lo: model.predictProbaOne([0, 10])[1],
  same: Buffer.from(again.toBytes()).equals(Buffer.from(model.toBytes())), lite: Buffer.from(lite.toBytes(device)).equals(Buffer.from(model.toBytes())), code }));
`;

const CJS = `
const { LogisticRegression, MicrolearnError } = require('microlearn');
const m = new LogisticRegression({ nFeatures: 1, learningRate: 0.1 });
for (let i = 0; i < 100; i++) m.learnOne([i % 2 ? 1 : -1], i % 2);
let code = '';
try { m.learnOne([NaN], 0); } catch (e) { code = e instanceof MicrolearnError ? e.code : 'other'; }
console.log(JSON.stringify({ p1: m.predictProbaOne([1])[1], p0: m.predictProbaOne([-1])[1], code }));
`;

describe('npm package: pack, install the tarball, use it', function () {
  let dir = '';
  let app = '';
  let files: string[] = [];

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'microlearn-pack-'));
    const t = Date.now();
    // npm pack runs prepack (npm run build:espruino), as it does for a user.
    const r = run('npm', ['pack', '--json', '--pack-destination', dir], ROOT);
    const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('[\n'))) as Array<{ filename: string; files: Array<{ path: string }>; size: number }>;
    files = info[0].files.map((f) => f.path);
    console.log('      npm pack: ' + info[0].filename + ', ' + files.length + ' files, ' + info[0].size + ' bytes, ' + (Date.now() - t) + ' ms');
    app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }, null, 2));
    run('npm', ['install', '--offline', '--no-package-lock', join(dir, info[0].filename)], app);
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the built library, the device targets and the legal files, not the tests', function () {
    for (const f of ['dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.cjs', 'dist/espruino/microlearn.min.js', 'dist/espruino/microlearn-lite.min.js', 'dist/esm/targets/espruino/lite.js', 'dist/cjs/targets/espruino/lite.cjs', 'targets/espruino/lite.ts', 'bin/microlearn.mjs', 'targets/moddable/manifest.json', 'targets/moddable/x-cli-lin/host.c', 'native/microlearn_kernels.c', 'index.ts', 'src/kernels.ts', 'LICENSE', 'CHANGELOG.md', 'README.md', 'package.json'])
      assert.ok(files.includes(f), f + ' missing from the tarball');
    for (const f of files) assert.ok(!f.startsWith('test/') && !f.startsWith('targets/moddable/test-app/') && !f.startsWith('build/') && !f.endsWith('.tgz'), f + ' should not be in the tarball');
  });

  it('has no runtime dependencies', function () {
    const pj = JSON.parse(readFileSync(join(app, 'node_modules', 'microlearn', 'package.json'), 'utf8')) as { dependencies?: object };
    assert.equal(pj.dependencies, undefined);
  });

  it('works from an ES module', function () {
    writeFileSync(join(app, 'esm.mjs'), ESM);
    const out = JSON.parse(run('node', ['esm.mjs'], app).stdout) as { backend: string; hi: number; lo: number; same: boolean; lite: boolean; code: string };
    assert.equal(out.lite, true, 'microlearn/lite (the device API) learns the same bytes');
    assert.equal(out.backend, 'ts');
    assert.ok(out.hi > 0.8 && out.lo < 0.2, JSON.stringify(out));
    assert.equal(out.same, true);
    assert.equal(out.code, 'E_INPUT');
  });

  it('works from CommonJS', function () {
    writeFileSync(join(app, 'cjs.cjs'), CJS);
    const out = JSON.parse(run('node', ['cjs.cjs'], app).stdout) as { p1: number; p0: number; code: string };
    assert.ok(out.p1 > 0.8 && out.p0 < 0.2, JSON.stringify(out));
    assert.equal(out.code, 'E_INPUT');
  });

  it('type-checks the README example with tsc --strict (module nodenext)', function () {
    const blocks = codeBlocks(join(ROOT, 'README.md')).filter((b) => b.lang === 'ts');
    assert.ok(blocks.length > 0, 'README.md has no ts block');
    blocks.forEach((b, i) => writeFileSync(join(app, 'readme' + i + '.mts'), b.code));
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: [] }, include: ['readme*.mts'] }, null, 2));
    run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);
  });

  it('runs `npx microlearn --help`', function () {
    const r = run('npx', ['--offline', '--no-install', 'microlearn', '--help'], app);
    assert.match(r.stdout + r.stderr, /usage:\s+microlearn build --target espruino/);
  });
});
