/**
 * The native C kernels (native/): bit-exact against the TypeScript reference
 * in C (shared test vectors, built with -O2 and with ASan+UBSan), through the
 * XS binding (random calls and argument checks inside the engine), and in the
 * whole conformance suite on the XS host with native kernels. Runtime
 * selection (full, partial, none) is checked on Node and XS. With $ESPRUINO
 * naming an Espruino built with native/espruino/jswrap_microlearn.c, the same
 * runs happen there.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeVectors } from '../native/test/gen-vectors.js';
import * as K from '../src/kernels.js';
import { activeKernels, backend, backendDetail, kernelsTS, useKernels, KERNEL_NAMES } from '../src/kernels.js';
import { ROOT, lines, nodeConformance, runXS } from './util.js';
import { runConformance } from './conformance/suite.js';
import { PARTIAL_CASES } from '../native/test/partial-cases.js';

const OUT = join(ROOT, 'build', 'native');
const VECTORS = join(OUT, 'vectors.bin');
const CONFORMANCE = join(ROOT, 'build', 'bundles', 'conformance.js');
const CHECK = join(ROOT, 'build', 'bundles', 'native-check.js');
const CC = process.env.CC || 'gcc';
const SOURCES = [join(ROOT, 'native', 'microlearn_kernels.c'), join(ROOT, 'native', 'test', 'test_kernels.c')];
const BASE_FLAGS = ['-std=c99', '-pedantic', '-Wall', '-Wextra', '-Werror', '-I' + join(ROOT, 'native')];

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env || process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (d) => out.push(d));
    p.stderr.on('data', (d) => err.push(d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() }));
  });
}

async function bundleCheck(): Promise<void> {
  const mod = (await import(join(ROOT, 'targets', 'node', 'bundle.mjs'))) as {
    bundleScript: (entry: string, out: string, name: string) => Promise<void>;
  };
  await mod.bundleScript('native/test/native-check-entry.js', 'native-check.js', 'mlNativeCheck');
}

describe('native C kernels', function () {
  let vectorCount = 0;
  const builds: { [name: string]: Promise<{ code: number | null; out: string; err: string }> } = {};

  before(function () {
    mkdirSync(OUT, { recursive: true });
    vectorCount = writeVectors(VECTORS, 'microlearn-native', 3000);
    // Compile both test programs at once; each test awaits its own.
    builds.O2 = run(CC, [...BASE_FLAGS, '-O2', ...SOURCES, '-o', join(OUT, 'test_kernels')]);
    builds.asan = run(CC, [
      ...BASE_FLAGS,
      '-O1',
      '-g',
      '-fsanitize=address,undefined',
      '-fno-sanitize-recover=all',
      '-fno-omit-frame-pointer',
      ...SOURCES,
      '-o',
      join(OUT, 'test_kernels_asan'),
    ]);
  });

  for (const variant of ['O2', 'asan']) {
    it('C kernels give the TypeScript bits on every test vector (' + (variant === 'O2' ? '-O2' : '-O1 ASan+UBSan') + ')', async function () {
      const b = await builds[variant];
      assert.equal(b.code, 0, 'compile failed:\n' + b.err);
      assert.equal(b.err, '', 'compiler warnings:\n' + b.err);
      const exe = join(OUT, variant === 'O2' ? 'test_kernels' : 'test_kernels_asan');
      const r = await run(exe, [VECTORS], { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0', UBSAN_OPTIONS: 'print_stacktrace=1' });
      assert.equal(r.code, 0, r.out + r.err);
      assert.equal(r.err, '', 'sanitizer or test reports:\n' + r.err);
      assert.match(r.out, new RegExp('^ok ' + vectorCount + ' cases:'));
      console.log('      ' + r.out.trim());
    });
  }
});

describe('native kernels on the XS host (mlxs-native)', function () {
  let node: string[];

  before(async function () {
    node = nodeConformance();
    await bundleCheck();
  });

  it('the XS binding matches the TypeScript kernels and rejects bad arguments', async function () {
    const r = await runXS([CHECK], { native: true });
    assert.equal(r.code, 0, r.stderr);
    const out = lines(r.stdout);
    console.log('      ' + out.join('\n      '));
    assert.equal(out.length, 1, r.stdout);
    assert.match(out[0], /^native-check ok: \d+ random calls, \d+ argument checks$/);
  });

  it('runs the conformance suite with native kernels, hashes equal to Node', async function () {
    const t = Date.now();
    const r = await runXS([CONFORMANCE], { native: true, meter: true });
    assert.equal(r.code, 0, r.stderr);
    const xs = lines(r.stdout);
    console.log('      XS (native kernels), ' + (Date.now() - t) + ' ms, meter ' + r.meter + ': ' + xs[0] + ', ' + xs[xs.length - 1]);
    assert.equal(xs[0], 'backend native');
    assert.equal(node[0], 'backend ts');
    for (let i = 1; i < Math.max(xs.length, node.length); i++) assert.equal(xs[i], node[i], 'line ' + i);
  });

  it('falls back per kernel when the host lacks some natives (backend partial)', async function () {
    const mod = (await import(join(ROOT, 'targets', 'node', 'bundle.mjs'))) as {
      bundleScript: (entry: string, out: string, name: string) => Promise<void>;
    };
    await mod.bundleScript('native/test/partial-entry.js', 'native-partial.js', 'mlNativePartial');
    const drop = join(OUT, 'drop-natives.js');
    writeFileSync(drop, 'delete globalThis.__microlearnNative.dot;\ndelete globalThis.__microlearnNative.welford;\ndelete globalThis.__microlearnNative.kmeansLearn;\ndelete globalThis.__microlearnNative.kmeansNearest;\ndelete globalThis.__microlearnNative.sgdLinearReal;\ndelete globalThis.__microlearnNative.denseForward;\ndelete globalThis.__microlearnNative.denseBackward;\nglobalThis.__microlearnNative.argmax = 1;\n');
    const r = await runXS([drop, join(ROOT, 'build', 'bundles', 'native-partial.js')], { native: true });
    assert.equal(r.code, 0, r.stderr);
    const xs = lines(r.stdout);
    const detail = JSON.parse(xs[0].slice('detail '.length)) as { [k: string]: string };
    for (const name of KERNEL_NAMES) assert.equal(detail[name], name === 'dot' || name === 'welford' || name === 'argmax' || name === 'kmeansLearn' || name === 'kmeansNearest' || name === 'sgdLinearReal' || name === 'denseForward' || name === 'denseBackward' ? 'ts' : 'native', name);
    const expected: string[] = [];
    for (const prefix of PARTIAL_CASES) runConformance((l) => expected.push(l), prefix);
    assert.equal(xs.length - 1, expected.length);
    for (let i = 1; i < xs.length; i++) {
      if (/^backend /.test(xs[i])) assert.equal(xs[i], 'backend partial');
      else assert.equal(xs[i], expected[i - 1], 'line ' + i);
    }
    assert.ok(xs.filter((l) => /^case /.test(l)).length >= PARTIAL_CASES.length);
  });
});

describe('kernel selection on Node', function () {
  afterEach(function () {
    useKernels(null);
  });

  it('installs a partial set per kernel and restores the reference', function () {
    assert.equal(backend(), 'ts');
    let calls = 0;
    const dot = function (a: Int32Array, ao: number, b: Int32Array, bo: number, n: number): number {
      calls++;
      return kernelsTS.dot(a, ao, b, bo, n);
    };
    useKernels({ dot: dot, sqdist: 'not a function' }, 'test');
    assert.equal(backend(), 'partial');
    const d = backendDetail();
    for (const name of KERNEL_NAMES) assert.equal(d[name], name === 'dot' ? 'test' : 'ts', name);
    assert.equal(K.dot.f(new Int32Array([65536]), 0, new Int32Array([131072]), 0, 1), 131072);
    assert.equal(calls, 1);
    assert.equal(activeKernels().sqdist, kernelsTS.sqdist);
    useKernels(null);
    assert.equal(backend(), 'ts');
    assert.equal(activeKernels().dot, kernelsTS.dot);
  });

  it('reports native when every kernel is provided', function () {
    useKernels(kernelsTS as unknown as { [name: string]: unknown });
    assert.equal(backend(), 'native');
  });
});

/**
 * Espruino: only with $ESPRUINO set (a binary, e.g. a Linux build that
 * includes native/espruino/jswrap_microlearn.c); skipped otherwise, and when
 * the binary has no `Microlearn` module (then `npm run test:espruino` covers
 * it with TypeScript kernels). Each run gets its own board directory.
 */
describe('native kernels on Espruino ($ESPRUINO)', function () {
  const bin = process.env.ESPRUINO;
  const timeoutMs = (Number(process.env.ESPRUINO_TIMEOUT) || 1800) * 1000;
  let esp: {
    runEspruino: (binary: string, file: string, o: { cwd: string; timeoutMs?: number }) => Promise<{ code: number | null; timedOut: boolean; stdout: string; errors: string[] }>;
    boardDir: () => string;
  };
  let espDir = '';

  async function run(file: string): Promise<string[]> {
    const dir = esp.boardDir();
    try {
      const r = await esp.runEspruino(bin as string, file, { cwd: dir, timeoutMs });
      assert.ok(!r.timedOut, 'Espruino timed out');
      assert.deepEqual(r.errors, []);
      return r.stdout.split(/\r?\n/).filter((l) => /^(backend|case|done|native-check) /.test(l));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  before(async function () {
    if (!bin || !existsSync(bin)) {
      console.log('      skipped: set ESPRUINO to an Espruino binary built with jswrap_microlearn.c to run these');
      this.skip();
    }
    const probe = spawnSync(bin as string, ['-e', 'print("native " + (typeof Microlearn !== "undefined"))'], { input: '', encoding: 'latin1' });
    if (!/native true/.test(probe.stdout || '')) {
      console.log('      skipped: ' + bin + ' has no Microlearn module (build it with native/espruino/jswrap_microlearn.c)');
      this.skip();
    }
    esp = await import(join(ROOT, 'targets', 'espruino', 'run.mjs'));
    await bundleCheck();
    // The suite as Espruino users get it (ES5, statics copied by __extends): Espruino 2v29 runs the ES2015
    // bundle's classes but does not inherit their statics (the suite calls each class's fromBytes).
    const build = (await import(join(ROOT, 'targets', 'espruino', 'build.mjs'))) as { buildEspruino(o?: object): Promise<{ file: string }[]> };
    espDir = mkdtempSync(join(tmpdir(), 'microlearn-native-espruino-'));
    await build.buildEspruino({ outDir: espDir, algorithms: [] });
  });

  after(function () {
    if (espDir !== '') rmSync(espDir, { recursive: true, force: true });
  });

  it('the Microlearn binding matches the TypeScript kernels and rejects bad arguments', async function () {
    const out = await run(CHECK);
    console.log('      ' + out.join('\n      '));
    assert.equal(out.length, 1);
    assert.match(out[0], /^native-check ok: /);
  });

  it('runs the conformance suite with native kernels, hashes equal to Node', async function () {
    this.timeout(timeoutMs + 60000);
    const t = Date.now();
    const out = await run(join(espDir, 'conformance.min.js'));
    const node = nodeConformance();
    console.log('      Espruino (native kernels), ' + (Date.now() - t) + ' ms: ' + out[0] + ', ' + out[out.length - 1]);
    assert.equal(out[0], 'backend native');
    for (let i = 1; i < Math.max(out.length, node.length); i++) assert.equal(out[i], node[i], 'line ' + i);
  });
});
