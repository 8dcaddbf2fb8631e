/**
 * The Espruino gate, in CI without an Espruino binary: the bundles in
 * dist/espruino are built, parsed for every construct Espruino cannot run
 * (static gate), and the conformance suite runs under Node in a vm context
 * stripped of the built-ins Espruino lacks (run-time gate), with hashes equal
 * to plain Node's. `npm run test:espruino` repeats the suite on a real
 * Espruino when $ESPRUINO is set.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import * as net from 'node:net';
import * as os from 'node:os';
import vm from 'node:vm';
import { spawn } from 'node:child_process';
import { ROOT, nodeConformance } from './util.js';

interface Problem {
  rule: string;
  at: string;
  text: string;
}
interface GateModule {
  staticGate(code: string, file?: string): Problem[];
  runInEspruinoLikeContext(code: string, options?: { globals?: object; filename?: string }): { lines: string[]; error: unknown; context: vm.Context };
}
interface BuildModule {
  buildEspruino(options?: object): Promise<{ file: string; bytes: number }[]>;
  OUT_DIR: string;
}

const ESPRUINO_DIR = join(ROOT, 'targets', 'espruino');

/** Loads a CommonJS bundle in a context; returns its exports. */
function requireIn(context: vm.Context, code: string, filename: string): { [k: string]: any } {
  const module = { exports: {} as { [k: string]: any } };
  vm.runInContext('(function (module, exports) {' + code + '\n})', context, { filename })(module, module.exports);
  return module.exports;
}

describe('Espruino gate', function () {
  let gate: GateModule;
  let build: BuildModule;
  let sizes: { file: string; bytes: number }[];
  const read = (f: string) => fs.readFileSync(join(build.OUT_DIR, f), 'utf8');

  before(async function () {
    this.timeout(300000);
    gate = (await import(join(ESPRUINO_DIR, 'gate.mjs'))) as GateModule;
    build = (await import(join(ESPRUINO_DIR, 'build.mjs'))) as BuildModule;
    sizes = await build.buildEspruino();
  });

  it('builds the full bundle, one bundle per algorithm and the conformance script', function () {
    const files = sizes.map((s) => s.file);
    assert.ok(files.includes('microlearn.min.js'));
    assert.ok(files.includes('microlearn-linear.min.js'));
    assert.ok(files.includes('conformance.min.js'));
    for (const s of sizes) console.log('      ' + String(s.bytes).padStart(6) + ' bytes  dist/espruino/' + s.file);
    const full = sizes.find((s) => s.file === 'microlearn.min.js')!.bytes;
    const linear = sizes.find((s) => s.file === 'microlearn-linear.min.js')!.bytes;
    assert.ok(linear < full, 'a per-algorithm bundle is smaller than the full one');
  });

  it('static gate: every bundle parses as ES5 with nothing Espruino lacks', function () {
    for (const s of sizes) {
      const problems = gate.staticGate(read(s.file), s.file);
      assert.deepEqual(problems.map((p) => p.rule + ' at ' + p.at + ': ' + p.text), [], s.file);
    }
  });

  it('static gate: rejects each construct on the list', function () {
    const cases: [string, RegExp][] = [
      ['function f(a, b = 1) { return a + b; }', /default parameter/],
      ['function f(...a) { return a; }', /rest parameter/],
      ['var a = [1], b = [].concat(...a);', /spread/],
      ['var o = { a: 1 }; var { a } = o;', /destructuring/],
      ['var x = 2 ** 3;', /exponent operator/],
      ['var o = {}; var x = o?.a;', /optional chaining/],
      ['async function f() { return 1; }', /async function/],
      ['function* g() { yield 1; }', /generator/],
      ['var m = new Map();', /Map \(not in Espruino\)/],
      ['var s = new Set();', /Set \(not in Espruino\)/],
      ['var s = Symbol("x");', /Symbol \(not in Espruino\)/],
      ['var b = BigInt(1);', /BigInt \(not in Espruino\)/],
      ['var b = 1n;', /BigInt literal/],
      ['var x = Math.imul(3, 4);', /Math\.imul/],
      ['var x = Math.clz32(3);', /Math\.clz32/],
      ['var x = Math.trunc(3.5);', /Math\.trunc/],
      ['var x = Math.fround(3.5);', /Math\.fround/],
      ['var x = Math.log2(8);', /Math\.log2/],
      ['var x = Math.hypot(3, 4);', /Math\.hypot/],
      ['var x = Math.pow(2, 10);', /Math\.pow \(not bit-exact/],
      ['var a = Array.from([1]);', /Array\.from/],
      ['var ok = Number.isInteger(3);', /Number\.isInteger/],
      ['var o = Object.freeze({});', /Object\.freeze/],
      ['var y = Array.prototype.map.call([1], function (v) { return v; });', /Array\.prototype\.map \(Espruino has no methods on built-in prototype/],
      ['var y = Uint8Array.prototype["slice"];', /Uint8Array\.prototype\.slice/],
      ['later(); function later() {}', /use of function later\(\) before its declaration/],
      ['function f() { return g(); function g() { return 1; } }', /use of function g\(\) before its declaration/],
      ['function a() { return b(); } a(); function b() { return 1; }', /use of function b\(\) before its declaration/],
      ['var t = (function () { return h(); })(); function h() {}', /use of function h\(\) before its declaration/],
      ['var o = { f: fn }; function fn() {}', /use of function fn\(\) before its declaration/],
      ['let x = 1;', /let declaration/],
      ['const x = 1;', /const declaration/],
      ['var f = () => 1;', /arrow function/],
      ['class A {}', /class/],
      ['var s = `a${1}`;', /template literal/],
      ['for (var v of [1]) {}', /for-of/],
      ['var o = { get x() { return 1; } };', /getter\/setter/],
      ['var x = null ?? 1;', /nullish/],
      // terser output that once broke Espruino: the second loop's `var` was dropped, so with the first loop skipped `r` was an outer variable
      ['var r = 65536; function f(x) { if (!x) { for (var r = 0; r < 2; r++) {} } for (r = 0; r < 3; r++) {} return r; }', /var r used before its declaration runs/],
      ['function h() { r = 9; var r; return r; }', /var r used before its declaration runs/],
    ];
    for (const [code, rule] of cases) {
      const p = gate.staticGate(code, 'bad.js');
      assert.ok(
        p.some((x) => rule.test(x.rule)),
        code + ' → ' + JSON.stringify(p.map((x) => x.rule)),
      );
    }
    // And does not flag what Espruino runs: calls after declarations, calls from deferred functions.
    const fine = [
      'function a() { return b(); } function b() { return 1; } a();',
      'var o = { run: function () { return late(); } }; function late() { return 1; } o.run();',
      'var K = (function () { function K() {} K.prototype.f = function () { return 1; }; return K; })(); new K().f();',
      'function f(x) { var g = function () { return x; }; return g(); }',
      'var E = function () {}; E.prototype = Object.create(Error.prototype);',
      'var x = Math.floor(Math.sqrt(2)) + Math.abs(-1);',
      'function g() { for (var i = 0; i < 1; i++) {} for (i = 0; i < 2; i++) {} var j = i; return j; }',
    ];
    for (const code of fine) assert.deepEqual(gate.staticGate(code, 'fine.js'), [], code);
  });

  it('hoistVars declares such vars at the top of their function, which the gate then accepts', function () {
    const g = gate as GateModule & { hoistVars(code: string): string };
    const bad = 'var r = 65536; function f(x) { if (!x) { for (var r = 0; r < 2; r++) {} } for (r = 0; r < 3; r++) {} return r; } f(true);';
    const fixed = g.hoistVars(bad);
    assert.match(fixed, /function f\(x\) \{var r;/);
    assert.deepEqual(gate.staticGate(fixed, 'fixed.js'), []);
    const ctx = vm.createContext({});
    assert.equal(vm.runInContext(fixed + '; r', ctx), 65536);
  });

  it('run-time gate: the vm context lacks what Espruino lacks and behaves like it', function () {
    const r = gate.runInEspruinoLikeContext(
      'print([typeof Map, typeof Set, typeof Symbol, typeof BigInt, typeof Math.imul, typeof Math.clz32, typeof Math.trunc, typeof Math.fround,' +
        ' typeof Math.log2, typeof Math.hypot, typeof Array.from, typeof Number.isInteger, typeof Object.freeze, typeof Uint8Array.from].join(" "));' +
        'print(Array.isArray(new Uint8Array(3).slice(0, 1)) + " " + Math.round(-2.5) + " " + Math.round(2.5) + " " + typeof [].at);',
    );
    assert.equal(r.error, null);
    assert.equal(r.lines[0], Array(14).fill('undefined').join(' '));
    assert.equal(r.lines[1], 'true -3 3 undefined');
    const bad = gate.runInEspruinoLikeContext('var m = new Map();');
    assert.match(String(bad.error), /Map is not defined/);
  });

  it('run-time gate: the conformance suite bundle gives Node\'s hashes with the built-ins removed', function () {
    const node = nodeConformance();
    const code = read('conformance.min.js');
    const r = gate.runInEspruinoLikeContext(code, { filename: 'conformance.min.js' });
    assert.equal(r.error, null, String(r.error && (r.error as Error).stack));
    assert.deepEqual(r.lines, node);
    assert.match(node[node.length - 1], /^done \d+ cases, 0 failed$/);
  });

  it('run-time gate: the module bundles load, train, save and restore without the missing built-ins', function () {
    const r = gate.runInEspruinoLikeContext('');
    const ml = requireIn(r.context, read('microlearn.min.js'), 'microlearn.min.js');
    assert.equal(ml.backend(), 'ts');
    const m = new ml.LogisticRegression({ nFeatures: 3, learningRate: 0.1 });
    const rng = new ml.Random(3);
    for (let i = 0; i < 200; i++) {
      const x = [rng.nextInt(200) / 100 - 1, rng.nextInt(200) / 100 - 1, rng.nextInt(200) / 100 - 1];
      m.learnOne(x, x[0] - x[2] > 0 ? 1 : 0);
    }
    const store = new ml.ModelStore(new ml.MemoryStorage());
    store.save('m', m);
    const back = store.load('m', ml.load);
    const a = m.toBytes();
    const b = back.toBytes();
    assert.equal(Object.prototype.toString.call(a), '[object Uint8Array]', 'toBytes returns a Uint8Array even where slice() gives Arrays');
    assert.deepEqual(Array.from(b as Uint8Array), Array.from(a as Uint8Array));
    assert.equal(back.predictOne([0.5, 0, -0.5]), 1);

    // A per-algorithm bundle restores its own models and refuses the others with E_TYPE.
    const lin = requireIn(r.context, read('microlearn-linear.min.js'), 'microlearn-linear.min.js');
    assert.deepEqual(Array.from(lin.load(a).toBytes() as Uint8Array), Array.from(a as Uint8Array));
    const scaler = new ml.StandardScaler({ nFeatures: 2 });
    assert.throws(() => lin.load(scaler.toBytes()), (e: any) => e && e.code === 'E_TYPE');
    assert.throws(() => lin.load(new Uint8Array(5)), (e: any) => e && e.code === 'E_CORRUPT');
    for (const s of sizes) {
      if (!/^microlearn-/.test(s.file) || s.file === 'microlearn-lite.min.js') continue; // the device API has its own exports (below)
      const mod = requireIn(r.context, read(s.file), s.file);
      for (const k of ['load', 'ModelStore', 'EspruinoStorage', 'MemoryStorage', 'MicrolearnError', 'toQ', 'fromQ', 'backend'])
        assert.equal(typeof mod[k], k === 'Q_ONE' ? 'number' : 'function', s.file + ' exports ' + k);
    }
  });

  it('run-time gate: the device API bundle learns the class API\'s bytes and saves them to Storage without the missing built-ins', function () {
    const r = gate.runInEspruinoLikeContext('');
    const ml = requireIn(r.context, read('microlearn.min.js'), 'microlearn.min.js');
    const lite = requireIn(r.context, read('microlearn-lite.min.js'), 'microlearn-lite.min.js');
    assert.deepEqual(Object.keys(lite).sort(), ['MicrolearnError', 'backend', 'create', 'fromBytes', 'learn', 'load', 'predict', 'proba', 'save', 'toBytes']);
    assert.equal(lite.backend(), 'ts');
    for (const logistic of [true, false]) {
      for (const scaler of [true, false]) {
        const o = { nFeatures: 3, learningRate: 0.05, l2: 0.001 };
        const m = lite.create({ logistic: logistic, scaler: scaler, ...o });
        const last = logistic ? new ml.LogisticRegression(o) : new ml.LinearRegression(o);
        const k = scaler ? new ml.Pipeline([new ml.StandardScaler({ nFeatures: 3 }), last]) : last;
        const rng = new ml.Random(11);
        for (let i = 0; i < 300; i++) {
          const x = [rng.nextInt(2000) / 1000 - 1, (scaler ? 101000 : 0) + rng.nextInt(1000) / 100, rng.nextInt(200) / 100 - 1];
          const y = logistic ? (x[0] - x[2] > 0 ? 1 : 0) : x[0] * 2 - x[2];
          lite.learn(m, x, y);
          k.learnOne(x, y);
          assert.equal(lite.predict(m, x), k.predictOne(x));
        }
        const a = Array.from(lite.toBytes(m) as Uint8Array);
        assert.deepEqual(a, Array.from(k.toBytes() as Uint8Array), 'logistic ' + logistic + ', scaler ' + scaler);
        assert.deepEqual(Array.from(ml.load(lite.toBytes(m)).toBytes() as Uint8Array), a);
      }
    }
    // Espruino's Storage API as the device API uses it (readArrayBuffer → undefined when missing).
    const files: { [k: string]: Uint8Array } = {};
    const Storage = {
      readArrayBuffer: (n: string) => (files[n] ? files[n].slice().buffer : undefined),
      write: (n: string, d: Uint8Array) => {
        files[n] = new Uint8Array(d);
        return true;
      },
      erase: (n: string) => delete files[n],
    };
    const m = lite.create({ nFeatures: 2, logistic: true, scaler: true });
    for (let i = 0; i < 50; i++) lite.learn(m, [i % 5, 1000 + (i % 3)], i % 5 > 2 ? 1 : 0);
    assert.equal(lite.save(Storage, 'm', m), 1);
    assert.equal(lite.save(Storage, 'm', m), 2);
    const back = new ml.ModelStore(new ml.EspruinoStorage(Storage)).load('m', ml.load);
    assert.deepEqual(Array.from(back.toBytes() as Uint8Array), Array.from(lite.toBytes(lite.load(Storage, 'm')) as Uint8Array));
  });
});

/** Runs bin/microlearn.mjs; resolves with its exit code and output. */
function cli(args: string[], cwd?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'microlearn.mjs')].concat(args), { cwd: cwd || ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** A loopback port with nothing listening (bound on 127.0.0.1 for a moment to pick it, then closed). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('microlearn command', function () {
  this.timeout(60000);

  before(async function () {
    this.timeout(300000);
    if (!fs.existsSync(join(ROOT, 'dist', 'espruino', 'microlearn-linear.min.js')))
      await ((await import(join(ESPRUINO_DIR, 'build.mjs'))) as BuildModule).buildEspruino();
  });

  it('says clearly that no board answers at a tcp:// port where nothing listens', async function () {
    const port = await closedPort();
    for (const cmd of ['upload', 'test-device']) {
      const r = await cli([cmd, '--port', 'tcp://127.0.0.1:' + port]);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, new RegExp('^microlearn: no board answers at tcp://127\\.0\\.0\\.1:' + port + ' \\(ECONNREFUSED\\)'));
      assert.ok(!/\n\s+at /.test(r.err), 'no stack trace: ' + r.err);
    }
  });

  it('says clearly when the serial device does not exist or no port is given', async function () {
    let r = await cli(['upload', '--port', '/dev/ttyMICROLEARN-NONE']);
    assert.equal(r.code, 1);
    assert.match(r.err, /no board answers at \/dev\/ttyMICROLEARN-NONE: there is no such serial device/);
    r = await cli(['upload']);
    assert.equal(r.code, 1);
    assert.match(r.err, /--port is required/);
    r = await cli(['launch']);
    assert.equal(r.code, 1);
    assert.match(r.err, /unknown command "launch"/);
  });

  it('build --target espruino writes modules/microlearn.js (where espruino-cli looks) from a chosen bundle', async function () {
    const dir = fs.mkdtempSync(join(os.tmpdir(), 'microlearn-cli-'));
    try {
      const r = await cli(['build', '--target', 'espruino', '--prebuilt', '--algorithm', 'linear'], dir);
      assert.equal(r.code, 0, r.err);
      const written = fs.readFileSync(join(dir, 'modules', 'microlearn.js'), 'utf8');
      assert.equal(written, fs.readFileSync(join(ROOT, 'dist', 'espruino', 'microlearn-linear.min.js'), 'utf8'));
      const lite = await cli(['build', '--target', 'espruino', '--prebuilt', '--lite'], dir);
      assert.equal(lite.code, 0, lite.err);
      assert.equal(fs.readFileSync(join(dir, 'modules', 'microlearn.js'), 'utf8'), fs.readFileSync(join(ROOT, 'dist', 'espruino', 'microlearn-lite.min.js'), 'utf8'), '--lite: the device API');
      const bad = await cli(['build', '--target', 'espruino', '--prebuilt', '--algorithm', 'nope'], dir);
      assert.equal(bad.code, 1);
      assert.match(bad.err, /no bundle for algorithm "nope"; available: .*linear/);
      const none = await cli(['build'], dir);
      assert.match(none.err, /--target espruino or --target moddable/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('build --target espruino --include bundles just the named exports and a load() for their models, which passes the gates', async function () {
    const dir = fs.mkdtempSync(join(os.tmpdir(), 'microlearn-cli-'));
    try {
      const gate = (await import(join(ESPRUINO_DIR, 'gate.mjs'))) as GateModule;
      const names = ['LogisticRegression', 'StandardScaler', 'Pipeline', 'ModelStore', 'EspruinoStorage'];
      const r = await cli(['build', '--target', 'espruino', '--prebuilt', '--include', names.join(',')], dir);
      assert.equal(r.code, 0, r.err);
      const code = fs.readFileSync(join(dir, 'modules', 'microlearn.js'), 'utf8');
      assert.deepEqual(gate.staticGate(code, 'include.js'), []);
      const full = fs.readFileSync(join(ROOT, 'dist', 'espruino', 'microlearn.min.js'), 'utf8');
      assert.ok(code.length < full.length / 2, code.length + ' bytes against the full ' + full.length);
      // what the named classes do not use stays out: MinMaxScaler (StandardScaler's module, kept by its static fields
      // before build.mjs's pureStatics) and the int8 code (toInt8 is a function of algorithms/int8.ts)
      assert.ok(full.includes('min-max ratio of feature') && full.includes('an int8 network needs a layer'), 'the strings this test looks for are in the full bundle');
      assert.ok(!code.includes('min-max ratio of feature'), 'the bundle carries MinMaxScaler');
      assert.ok(!code.includes('an int8 network needs a layer'), 'the bundle carries the int8 models');
      const ctx = gate.runInEspruinoLikeContext('').context;
      const ml = requireIn(ctx, code, 'include.js');
      assert.deepEqual(Object.keys(ml).sort(), names.concat(['load']).sort());
      const p = new ml.Pipeline([new ml.StandardScaler({ nFeatures: 2 }), new ml.LogisticRegression({ nFeatures: 2 })]);
      for (let i = 0; i < 100; i++) p.learnOne([i % 7, 100 + (i % 3)], i % 7 > 3 ? 1 : 0);
      const back = ml.load(p.toBytes());
      assert.deepEqual(Array.from(back.toBytes() as Uint8Array), Array.from(p.toBytes() as Uint8Array), 'a Pipeline of included classes reloads bit for bit');
      const lin = requireIn(ctx, fs.readFileSync(join(ROOT, 'dist', 'espruino', 'microlearn-kmeans.min.js'), 'utf8'), 'kmeans.js');
      assert.throws(() => ml.load(new lin.KMeans({ nFeatures: 2, k: 2 }).toBytes()), (e: any) => e && e.code === 'E_TYPE', 'a class not included is E_TYPE');
      const bad = await cli(['build', '--target', 'espruino', '--prebuilt', '--include', 'LogisticRegression,Nope'], dir);
      assert.equal(bad.code, 1);
      assert.match(bad.err, /no export named Nope \(the public API: .*LogisticRegression/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
