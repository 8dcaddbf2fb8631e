#!/usr/bin/env node
// Builds microlearn for Espruino from the tsc output in build/ (run `npx tsc -p .` first):
//
//   dist/espruino/microlearn.min.js            everything, as a CommonJS module:
//                                               require("microlearn") from the IDE/CLI modules/
//                                               folder or from a Storage file named "microlearn"
//   dist/espruino/microlearn-<algorithm>.min.js one file of algorithms/ plus the core it needs,
//                                               ModelStore/EspruinoStorage and a load() that
//                                               knows only that file's models (for small flash)
//   dist/espruino/microlearn-lite.min.js       the device API (targets/espruino/lite.ts): a few
//                                               functions over plain state for a small board
//   dist/espruino/conformance.min.js           the conformance suite as a plain script that
//                                               prints through print() (test:espruino, test-device)
//
// Pipeline: rollup (tree-shaking the ES2017 modules) → TypeScript transpile of the
// bundle to ES5 (Espruino has no block-scoped `let` in closures, for one) → terser
// (ecma 5). The result must pass targets/espruino/gate.mjs.
//
//   node targets/espruino/build.mjs            (prints each bundle's size)
//   import { buildEspruino } from './build.mjs'; const sizes = await buildEspruino();

import { rollup } from 'rollup';
import { minify } from 'terser';
import ts from 'typescript';
import { hoistVars } from './gate.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
const BUILD = path.join(ROOT, 'build');
export const OUT_DIR = path.join(ROOT, 'dist', 'espruino');

/** Named exports every per-algorithm bundle carries besides the algorithm's own. */
const CORE_EXPORTS = [
  ['src/errors.js', ['MicrolearnError']],
  ['src/fixed.js', ['Q_ONE', 'toQ', 'fromQ']],
  ['src/kernels.js', ['backend']],
  ['src/storage.js', ['ModelStore', 'MemoryStorage']],
  ['targets/espruino/storage.js', ['EspruinoStorage']],
];

/**
 * TypeScript's own ES5 `__extends` reads Object.prototype.hasOwnProperty,
 * which Espruino lacks as a prototype method. This one uses only what Espruino
 * has: it copies the base's static members (Espruino 2v29 does not look them
 * up through a function's prototype, so Object.setPrototypeOf alone left
 * `LogisticRegression.fromBytes` undefined there), then links the prototypes
 * with Object.create.
 */
export const ES5_HELPERS =
  'var __extends = function (d, b) { for (var k in b) d[k] = b[k]; Object.setPrototypeOf(d, b); d.prototype = Object.create(b.prototype); d.prototype.constructor = d; };\n';

const VIRTUAL = '\0microlearn-entry:';

/** A rollup plugin serving generated entry modules. */
function virtualEntries(entries) {
  return {
    name: 'microlearn-virtual',
    resolveId(id) {
      return id.startsWith(VIRTUAL) ? id : null;
    },
    load(id) {
      return id.startsWith(VIRTUAL) ? entries[id.slice(VIRTUAL.length)] : null;
    },
  };
}

/** JS source of a per-algorithm entry: the family's exports, the core, and a load() limited to its classes. */
function algorithmEntry(files) {
  const p = (f) => JSON.stringify(path.join(BUILD, f));
  let s = '';
  for (const f of files) s += 'export * from ' + p(f) + ';\n';
  for (const [f, names] of CORE_EXPORTS) s += 'export { ' + names.join(', ') + ' } from ' + p(f) + ';\n';
  files.forEach((f, i) => (s += 'import * as A' + i + ' from ' + p(f) + ';\n'));
  s += 'import { loadModel } from ' + p('src/load.js') + ';\n';
  // Every export with a modelType is a model class this bundle can load.
  s += 'var classes = [];\n';
  files.forEach((_, i) => (s += 'for (var k in A' + i + ') if (A' + i + '[k] && typeof A' + i + '[k].fromReader === "function") classes.push(A' + i + '[k]);\n'));
  s += '/** Loads a model of any class in this bundle (E_TYPE for the others). */\n';
  s += 'export function load(bytes, expected) { return loadModel(bytes, classes, expected); }\n';
  return s;
}

function warn(w) {
  if (w.code === 'CIRCULAR_DEPENDENCY') return;
  throw new Error('rollup: ' + w.message);
}

/** Downlevels one bundle to ES5; fails on any TypeScript diagnostic. */
function toES5(code, fileName) {
  const out = ts.transpileModule(code, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.CommonJS, noEmitHelpers: true, removeComments: false, lib: [] },
  });
  if (out.diagnostics && out.diagnostics.length)
    throw new Error(fileName + ': ' + out.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  return out.outputText;
}

async function minifyES5(code, module) {
  const r = await minify(code, {
    ecma: 5,
    module: false,
    toplevel: module, // a CommonJS module's top level is private to it
    compress: { passes: 2, hoist_funs: false, reduce_funcs: false, unsafe: false, unsafe_math: false },
    mangle: { toplevel: module },
    format: { ecma: 5, comments: false, ascii_only: true },
  });
  return r.code;
}

/**
 * A rollup plugin that lets tree-shaking drop a class nobody uses although
 * tsc wrote its static fields as assignments after it (`MinMaxScaler.modelType
 * = …;`): rollup must keep such an assignment (a base class could have a
 * setter), and with it the class, so a bundle of StandardScaler carried
 * MinMaxScaler. It moves them back into the class body as static fields,
 * which the ES5 step then writes inside the class's own function.
 */
export function pureStatics() {
  return {
    name: 'microlearn-pure-statics',
    transform(code, id) {
      if (!id.startsWith(BUILD)) return null;
      const lines = code.split('\n');
      let changed = false;
      for (let i = 0; i < lines.length; i++) {
        const m = /^(?:export )?class (\w+)\b.*\{$/.exec(lines[i]);
        if (!m) continue;
        // tsc closes a top-level class with "}" alone at column 0
        let end = i + 1;
        while (end < lines.length && lines[end] !== '}') end++;
        const assign = new RegExp('^' + m[1] + '\\.(\\w+ = .*;)$');
        const fields = [];
        let j = end + 1;
        for (; j < lines.length; j++) {
          const a = assign.exec(lines[j]);
          if (a) fields.push('    static ' + a[1]);
          else if (!/^\s*(\/\*\*.*\*\/|\/\/.*)?$/.test(lines[j])) break;
        }
        if (!fields.length) continue;
        // the assignments (and the comments between them) leave; the fields go before the closing brace
        let k = j;
        while (k > end + 1 && !assign.test(lines[k - 1])) k--;
        lines.splice(end, k - end, ...fields, '}');
        changed = true;
        i = end + fields.length;
      }
      return changed ? { code: lines.join('\n'), map: null } : null;
    },
  };
}

/** rollup → ES5 → terser. `format` 'cjs' for library modules, 'iife' for the conformance script. (Also used by bench/espruino.mjs for its own entries.) */
export async function bundle(input, format, plugins, name) {
  const b = await rollup({ input, onwarn: warn, plugins: [pureStatics(), ...plugins] });
  const { output } = await b.generate({ format, name, exports: 'named', esModule: false, strict: false, generatedCode: 'es5', freeze: false });
  await b.close();
  const es5 = ES5_HELPERS + toES5(output[0].code, name + '.js');
  // terser drops `var` from a redeclaration it considers redundant; Espruino needs every var declared before use.
  return hoistVars(await minifyES5(es5, format === 'cjs'));
}

/**
 * Builds every Espruino bundle into `outDir`. Returns [{ file, bytes }].
 * @param {{ outDir?: string, algorithms?: string[] }} [options] algorithms: basenames
 *   (e.g. 'linear') to limit the per-algorithm bundles; default all of build/algorithms.
 */
export async function buildEspruino(options = {}) {
  const outDir = options.outDir || OUT_DIR;
  const index = path.join(BUILD, 'index.js');
  if (!fs.existsSync(index)) throw new Error('build/index.js is missing: run `npx tsc -p .` first');
  fs.mkdirSync(outDir, { recursive: true });
  const results = [];
  const write = (file, code) => {
    fs.writeFileSync(path.join(outDir, file), code);
    results.push({ file, bytes: Buffer.byteLength(code) });
  };

  write('microlearn.min.js', await bundle(index, 'cjs', [], 'microlearn'));

  // One bundle per family: a file of algorithms/, or a folder (anomaly/: every detector).
  const families = {};
  for (const f of fs.readdirSync(path.join(ROOT, 'algorithms')).sort()) {
    const full = path.join(ROOT, 'algorithms', f);
    if (fs.statSync(full).isDirectory()) families[f] = fs.readdirSync(full).filter((g) => g.endsWith('.ts')).sort().map((g) => 'algorithms/' + f + '/' + g.slice(0, -3) + '.js');
    else if (f.endsWith('.ts')) families[f.slice(0, -3)] = ['algorithms/' + f.slice(0, -3) + '.js'];
  }
  let algs = Object.keys(families);
  if (options.algorithms) algs = algs.filter((a) => options.algorithms.includes(a));
  const entries = {};
  for (const a of algs) entries[a] = algorithmEntry(families[a]);
  for (const a of algs) {
    write('microlearn-' + a + '.min.js', await bundle(VIRTUAL + a, 'cjs', [virtualEntries(entries)], 'microlearn_' + a));
  }

  const lite = path.join(BUILD, 'targets', 'espruino', 'lite.js');
  if (!options.algorithms) write('microlearn-lite.min.js', await bundle(lite, 'cjs', [], 'microlearn_lite'));

  const conf = path.join(BUILD, 'targets', 'espruino', 'device-entry.js');
  if (fs.existsSync(conf)) write('conformance.min.js', await bundle(conf, 'iife', [], 'microlearnConformance'));
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await buildEspruino();
  for (const r of results) console.log(String(r.bytes).padStart(8) + ' bytes  ' + path.relative(ROOT, path.join(OUT_DIR, r.file)));
}
