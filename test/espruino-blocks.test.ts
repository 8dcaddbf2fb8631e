/**
 * Espruino memory without an Espruino: targets/espruino/blocks.mjs estimates
 * the blocks each bundle takes after require() from static counts of the
 * minified code, with a linear fit that `npm run bench:espruino` calibrated on
 * a real (Linux) Espruino (targets/espruino/blocks-calibration.json). Each
 * bundle's estimate must stay within targets/espruino/blocks-budget.json, a
 * regression gate set from today's estimates; a ceiling far above its estimate
 * fails too (a gain is locked in by lowering it). Issue 10's own targets are
 * printed, met or not.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { ROOT } from './util.js';

interface Stats {
  [feature: string]: number;
}
interface Fit {
  coefficients: number[];
  maxError: number;
  rms: number;
}
interface Calibration {
  features: string[];
  coefficients: number[];
  maxError: number;
  rmsError: number;
  points: { file: string; blocks: number; stats: Stats }[];
}
interface BlocksModule {
  bundleStats(code: string): Stats;
  estimateBlocks(code: string): number;
  fitBlocks(points: { file: string; stats: Stats; blocks: number }[], names?: string[]): Fit;
  loadCalibration(): Calibration;
  bundleExports(names: string[]): Promise<string>;
  APP_EXPORTS: string[];
}
interface BuildModule {
  buildEspruino(options?: { outDir?: string }): Promise<{ file: string; bytes: number }[]>;
}
interface Budget {
  full: number;
  algorithm: number;
  app: number;
  issue10: { full: number; algorithm: number; app: number };
  bundles?: { [file: string]: number };
}

/** A ceiling more than this factor above its bundle's estimate is slack that would let a regression through. */
const MAX_SLACK = 1.1;

const ESPRUINO_DIR = join(ROOT, 'targets', 'espruino');

describe('Espruino blocks (static estimate, calibrated on a real Espruino)', function () {
  let blocks: BlocksModule;
  const estimates: { file: string; kind: 'full' | 'algorithm' | 'app'; estimate: number }[] = [];

  before(async function () {
    this.timeout(600000);
    blocks = (await import(join(ESPRUINO_DIR, 'blocks.mjs'))) as BlocksModule;
    const build = (await import(join(ESPRUINO_DIR, 'build.mjs'))) as BuildModule;
    // A directory of our own: the Espruino gate test builds dist/espruino meanwhile.
    const dir = fs.mkdtempSync(join(os.tmpdir(), 'microlearn-blocks-test-'));
    try {
      for (const s of await build.buildEspruino({ outDir: dir })) {
        if (s.file === 'conformance.min.js') continue;
        const code = fs.readFileSync(join(dir, s.file), 'utf8');
        // the device API (microlearn-lite.min.js) is the app in its other form: issue 10's app target applies
        const kind = s.file === 'microlearn.min.js' ? 'full' : s.file === 'microlearn-lite.min.js' ? 'app' : 'algorithm';
        estimates.push({ file: s.file, kind: kind, estimate: blocks.estimateBlocks(code) });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const app = await blocks.bundleExports(blocks.APP_EXPORTS);
    estimates.push({ file: 'app: ' + blocks.APP_EXPORTS.join(', '), kind: 'app', estimate: blocks.estimateBlocks(app) });
  });

  it('counts the functions and names that exist once a module has run', function () {
    // A class IIFE runs at load (its body's functions exist afterwards), a function body does not.
    const code =
      'var A = function () { function A() {} A.prototype.m = function () { return function inner() {}; }; return A; }();\n' +
      'function f(x) { var local = [1, 2]; return x; }\nexports.A = A;\nexports.o = { k: 1, s: "v" };\n';
    const s = blocks.bundleStats(code);
    assert.equal(s.functions, 5); // the IIFE, A, m, inner, f
    assert.equal(s.loadFunctions, 3); // A, m, f
    // var A, function A, A.prototype.m =, function f, exports.A =, exports.o =, keys k and s
    assert.equal(s.loadNames, 8);
    assert.equal(s.loadLiterals, 1); // "v" (the array in f is not built at load)
    // A class IIFE whose result nobody keeps (terser's form for an unused class with a static member): garbage after load.
    const unused = blocks.bundleStats(code + '(function (r) { function e() {} e.prototype.x = function () {}; return e; }(A)).modelType = 3;\n');
    assert.equal(unused.loadFunctions, 3);
    assert.equal(unused.loadNames, 8);
    assert.equal(unused.discardedFunctions, 2);
  });

  it('the calibration file is the least-squares fit of the measurements it lists', function () {
    const cal = blocks.loadCalibration();
    assert.ok(cal.points.length > cal.features.length + 1, 'more bundles than coefficients');
    const fit = blocks.fitBlocks(cal.points, cal.features);
    fit.coefficients.forEach((c, i) => assert.ok(Math.abs(c - cal.coefficients[i]) <= 1e-9 * Math.max(1, Math.abs(c)), cal.features[i] + ': ' + c + ' vs ' + cal.coefficients[i]));
    assert.ok(Math.abs(fit.maxError - cal.maxError) < 1e-6 && Math.abs(fit.rms - cal.rmsError) < 1e-6);
  });

  it('every Espruino bundle stays within its block budget', function () {
    const budget = JSON.parse(fs.readFileSync(join(ESPRUINO_DIR, 'blocks-budget.json'), 'utf8')) as Budget;
    const cal = blocks.loadCalibration();
    const over: string[] = [];
    const slack: string[] = [];
    for (const e of estimates) {
      const limit = (budget.bundles && budget.bundles[e.file]) || budget[e.kind];
      const goal = budget.issue10[e.kind];
      console.log(
        '      ' + String(Math.round(e.estimate)).padStart(5) + ' / ' + String(limit).padEnd(5) + ' blocks  ' + e.file +
          '  (issue 10: ' + goal + (e.kind === 'app' ? ' after construction too' : '') + ', ' + (e.estimate <= goal ? 'met' : 'not met') + ')',
      );
      if (!(e.estimate <= limit)) over.push(e.file + ': ~' + Math.round(e.estimate) + ' blocks > ' + limit);
      if (budget.bundles && budget.bundles[e.file] && limit > MAX_SLACK * e.estimate) slack.push(e.file + ': ceiling ' + limit + ' > ' + MAX_SLACK + ' × ~' + Math.round(e.estimate));
    }
    assert.deepEqual(over, [], 'estimated blocks after require() (±' + Math.round(cal.maxError) + ' on the calibration bundles) over budget');
    assert.deepEqual(slack, [], 'blocks-budget.json ceilings far above today\'s estimates: lower them to lock in the gain');
  });
});
