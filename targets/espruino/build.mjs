#!/usr/bin/env node
// Builds microlearn for Espruino from the tsc output in build/ (run `npx tsc -p .` first):
//
//   dist/espruino/microlearn.min.js            everything, as a CommonJS module:
//                                               require("microlearn") from the IDE/CLI modules/
//                                               folder or from a Storage file named "microlearn"
//   dist/espruino/microlearn-<algorithm>.min.js one file of algorithms/ plus the core it needs,
//                                               ModelStore/EspruinoStorage and a load() that
//                                               knows only that file's models (for small flash)
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
  ['src/storage.js', ['ModelStore', 'MemoryStorage', 'EspruinoStorage']],
];

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

/** JS source of a per-algorithm entry: the module's exports, the core, and a load() limited to its models. */
function algorithmEntry(file) {
  const mod = JSON.stringify(path.join(BUILD, 'algorithms', file));
  const p = (f) => JSON.stringify(path.join(BUILD, f));
  let s = 'export * from ' + mod + ';\n';
  for (const [f, names] of CORE_EXPORTS) s += 'export { ' + names.join(', ') + ' } from ' + p(f) + ';\n';
  s += 'import * as A from ' + mod + ';\n';
  s += 'import { ModelType, openBlob } from ' + p('src/format.js') + ';\n';
  s += 'import { MicrolearnError, fail } from ' + p('src/errors.js') + ';\n';
  // Same contract as src/load.ts, for the classes of this one file (ModelType keys are class names).
  s += `
export function load(bytes) {
  try {
    var r = openBlob(bytes, 0, bytes instanceof Uint8Array ? bytes.length : 0);
    var type = bytes[5];
    for (var name in ModelType) {
      var C = A[name];
      if (ModelType[name] === type && C && typeof C.fromReader === 'function') {
        var m = C.fromReader(r);
        r.done();
        return m;
      }
    }
    return fail('E_TYPE', 'model type ' + type + ' is not in this bundle (use the full microlearn bundle)');
  } catch (e) {
    if (e instanceof MicrolearnError) {
      if (e.code === 'E_OPTION' || e.code === 'E_INPUT' || e.code === 'E_LABEL') throw new MicrolearnError('E_CORRUPT', e.message);
      throw e;
    }
    throw new MicrolearnError('E_CORRUPT', 'model data could not be decoded: ' + String(e && e.message));
  }
}
`;
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
    compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.CommonJS, noEmitHelpers: false, removeComments: false, lib: [] },
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

/** rollup → ES5 → terser. `format` 'cjs' for library modules, 'iife' for the conformance script. (Also used by bench/espruino.mjs for its own entries.) */
export async function bundle(input, format, plugins, name) {
  const b = await rollup({ input, onwarn: warn, plugins });
  const { output } = await b.generate({ format, name, exports: 'named', esModule: false, strict: false, generatedCode: 'es5', freeze: false });
  await b.close();
  const es5 = toES5(output[0].code, name + '.js');
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
  const index = path.join(BUILD, 'src', 'index.js');
  if (!fs.existsSync(index)) throw new Error('build/src/index.js is missing: run `npx tsc -p .` first');
  fs.mkdirSync(outDir, { recursive: true });
  const results = [];
  const write = (file, code) => {
    fs.writeFileSync(path.join(outDir, file), code);
    results.push({ file, bytes: Buffer.byteLength(code) });
  };

  write('microlearn.min.js', await bundle(index, 'cjs', [], 'microlearn'));

  const algDir = path.join(BUILD, 'algorithms');
  let algs = fs.readdirSync(algDir).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)).sort();
  // Only sources that still exist (build/ can hold stale output of deleted files).
  algs = algs.filter((a) => fs.existsSync(path.join(ROOT, 'algorithms', a + '.ts')));
  if (options.algorithms) algs = algs.filter((a) => options.algorithms.includes(a));
  const entries = {};
  for (const a of algs) entries[a] = algorithmEntry(a + '.js');
  for (const a of algs) {
    write('microlearn-' + a + '.min.js', await bundle(VIRTUAL + a, 'cjs', [virtualEntries(entries)], 'microlearn_' + a));
  }

  const conf = path.join(BUILD, 'targets', 'espruino', 'device-entry.js');
  if (fs.existsSync(conf)) write('conformance.min.js', await bundle(conf, 'iife', [], 'microlearnConformance'));
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await buildEspruino();
  for (const r of results) console.log(String(r.bytes).padStart(8) + ' bytes  ' + path.relative(ROOT, path.join(OUT_DIR, r.file)));
}
