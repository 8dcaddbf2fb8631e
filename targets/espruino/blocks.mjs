// A static estimate of how many Espruino blocks (JsVars) a bundle takes after
// require(), for `npm test` without an Espruino: counted on the minified bundle,
// calibrated against real Espruino measurements by bench/espruino.mjs.
//
//   import { bundleStats, estimateBlocks } from './blocks.mjs';
//   bundleStats(code)      → { bytes, loadFunctions, loadFunctionBytes, loadNames, loadLiterals, ... }
//   estimateBlocks(code)   → blocks, from targets/espruino/blocks-calibration.json
//
// Why these features: after require() Espruino keeps what the module's code
// created while it ran. A module required from Storage runs in place, so the
// source text stays in flash: what costs RAM is every function that exists once
// the module has run (module level, or made by a class IIFE such as TypeScript's
// `var A = function () { … }()`; about 7 blocks each, whatever its length) and
// every name bound meanwhile (var, function declaration, property assignment,
// object-literal key: 1–2 blocks). Functions inside functions that have not run
// cost nothing yet. What the code builds in loops at load time is invisible to
// this count; the fit's constant and its error absorb it.

import { parseAst } from 'rollup/parseAst';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundle } from './build.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BUILD = path.resolve(HERE, '..', '..', 'build');
export const CALIBRATION_FILE = path.join(HERE, 'blocks-calibration.json');

/** The most common device script's imports (issue 10 §2): the "app" bundle. */
export const APP_EXPORTS = ['LinearRegression', 'LogisticRegression', 'StandardScaler', 'Pipeline', 'ModelStore', 'EspruinoStorage'];

/**
 * A rollup plugin that treats the library's modules as package.json declares
 * ("sideEffects": false), as a user's bundler does when it resolves the
 * package: a module none of whose exports is used is left out. Without it,
 * importing from the front door keeps every class that has a static member
 * (TypeScript emits `C.x = …` after the class, which rollup must keep).
 */
export function asPackage() {
  return {
    name: 'microlearn-as-package',
    async resolveId(source, importer, options) {
      const r = await this.resolve(source, importer, { ...options, skipSelf: true });
      return r && !r.external && r.id.startsWith(BUILD + path.sep) ? { ...r, moduleSideEffects: false } : r;
    },
  };
}

/**
 * An Espruino bundle (CommonJS, built like dist/espruino's) exporting just
 * `names`, each taken from the public API (build/index.js, the tsc output of
 * index.ts) or, for runtime adapters, from a targets/espruino module.
 * With `withLoad`, it also exports a `load(bytes, expected?)` that knows the
 * model classes among `names` (others give E_TYPE), so that loading a saved
 * model does not drag in every algorithm (`microlearn build --include`).
 */
export async function bundleExports(names, { withLoad = false } = {}) {
  const index = path.join(BUILD, 'index.js');
  if (!fs.existsSync(index)) throw new Error('build/index.js is missing: run `npx tsc -p .` first');
  const exported = Object.keys(await import(pathToFileURL(index).href));
  const adapters = path.join(BUILD, 'targets', 'espruino');
  const moduleOf = (name) => {
    if (exported.includes(name)) return index;
    for (const f of fs.existsSync(adapters) ? fs.readdirSync(adapters).filter((n) => n.endsWith('.js')) : []) {
      if (new RegExp('export (class|function|const) ' + name + '\\b').test(fs.readFileSync(path.join(adapters, f), 'utf8'))) return path.join(adapters, f);
    }
    throw new Error('no export named ' + name + ' (the public API: ' + exported.filter((e) => /^[A-Z]/.test(e)).join(', ') + ')');
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microlearn-blocks-'));
  try {
    const entry = path.join(dir, 'entry.js');
    let code = names.map((n) => 'export { ' + n + ' } from ' + JSON.stringify(moduleOf(n)) + ';\n').join('');
    if (withLoad) {
      code += names.map((n, i) => 'import { ' + n + ' as C' + i + ' } from ' + JSON.stringify(moduleOf(n)) + ';\n').join('');
      code += 'import { loadModel } from ' + JSON.stringify(path.join(BUILD, 'src', 'load.js')) + ';\n';
      code += 'var classes = [' + names.map((_, i) => 'C' + i).join(', ') + '].filter(function (c) { return typeof c === "function" && typeof c.fromReader === "function"; });\n';
      code += '/** Loads a model of a class in this bundle (E_TYPE for the others). */\nexport function load(bytes, expected) { return loadModel(bytes, classes, expected); }\n';
    }
    fs.writeFileSync(entry, code);
    return await bundle(entry, 'cjs', [asPackage()], 'microlearn');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What each feature of bundleStats() counts (for docs and reports). */
export const FEATURE_DOC = {
  bytes: 'characters of the bundle',
  loadFunctions: 'functions that exist once the module has run (module level and in class IIFEs)',
  loadFunctionBytes: 'characters of those functions\' source (not in the fit: code required from Storage stays in flash)',
  loadNames: 'names bound while the module runs: var and function declarations, property assignments, object-literal keys',
  loadLiterals: 'array-literal elements and string literals evaluated while the module runs',
  discardedFunctions: 'functions inside IIFEs whose result is thrown away (garbage after load; not in the fit)',
};

/** The features of the fitted model, in order (`one` is the constant term). */
export const FIT_FEATURES = ['one', 'loadFunctions', 'loadNames'];

const FUNCTION = new Set(['FunctionExpression', 'FunctionDeclaration', 'ArrowFunctionExpression']);

/** Function nodes in a subtree. */
function countFunctions(root) {
  let n = 0;
  (function all(node) {
    if (!node || typeof node.type !== 'string') return;
    if (FUNCTION.has(node.type)) n++;
    for (const k in node) {
      const v = node[k];
      if (Array.isArray(v)) v.forEach(all);
      else if (v && typeof v.type === 'string') all(v);
    }
  })(root);
  return n;
}

/**
 * Counts the features of one bundle (a CommonJS module or a script, ES5).
 * Load-time code is the top level and the body of any function called right
 * where it is defined (IIFE), recursively; everything else runs later.
 */
export function bundleStats(code) {
  const ast = parseAst(code, { allowReturnOutsideFunction: true });
  const s = { bytes: code.length, functions: 0, loadFunctions: 0, loadFunctionBytes: 0, loadNames: 0, loadLiterals: 0, discardedFunctions: 0 };

  s.functions = countFunctions(ast);
  // Walk load-time code only. `discarded`: the value of this node is thrown away
  // (an expression statement, the left of a comma, the target object of an
  // assignment, the operand of ! or void): a class IIFE in such a place, as
  // terser leaves `(function (r) { … return e; }(Base)).modelType = 3` for a class
  // nobody uses, builds objects that are garbage once the module has run.
  const iifeCallees = new Map(); // callee → whether the call's value is discarded
  function visit(node, discarded) {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'CallExpression' || node.type === 'NewExpression') {
      let callee = node.callee;
      // (function(){…}).call(this) and function(){…}.apply(…) run at once too.
      if (callee.type === 'MemberExpression' && !callee.computed && ['call', 'apply'].includes(callee.property.name) && FUNCTION.has(callee.object.type)) callee = callee.object;
      if (FUNCTION.has(callee.type)) iifeCallees.set(callee, discarded);
    }
    if (FUNCTION.has(node.type)) {
      if (iifeCallees.has(node)) {
        // Runs now: its body is load-time code, unless all it builds is thrown away.
        if (iifeCallees.get(node)) s.discardedFunctions += countFunctions(node.body);
        else visit(node.body, false);
        return;
      }
      s.loadFunctions++;
      s.loadFunctionBytes += node.end - node.start;
      if (node.type === 'FunctionDeclaration') s.loadNames++;
      return; // its body runs later
    }
    if (node.type === 'VariableDeclarator') s.loadNames++;
    // (A property set on the fresh result of a call is set on an object nobody keeps.)
    else if (node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression' && !/^(Call|New)Expression$/.test(node.left.object.type)) s.loadNames++;
    else if (node.type === 'Property') s.loadNames++;
    else if (node.type === 'ArrayExpression') s.loadLiterals += node.elements.length;
    else if (node.type === 'Literal' && typeof node.value === 'string') s.loadLiterals++;
    // Children in source order (an IIFE's callee is registered by its call before it is reached).
    switch (node.type) {
      case 'ExpressionStatement':
        return visit(node.expression, true);
      case 'SequenceExpression':
        return node.expressions.forEach((e, i) => visit(e, i < node.expressions.length - 1 || discarded));
      case 'UnaryExpression':
        return visit(node.argument, node.operator === '!' || node.operator === 'void' || discarded);
      case 'AssignmentExpression':
        if (node.left.type === 'MemberExpression') {
          visit(node.left.object, true);
          if (node.left.computed) visit(node.left.property, false);
        }
        return visit(node.right, false);
      case 'LogicalExpression':
        visit(node.left, false);
        return visit(node.right, discarded);
      case 'ConditionalExpression':
        visit(node.test, false);
        visit(node.consequent, discarded);
        return visit(node.alternate, discarded);
    }
    for (const k in node) {
      if (k === 'type' || k === 'start' || k === 'end') continue;
      const v = node[k];
      if (Array.isArray(v)) v.forEach((c) => visit(c, false));
      else if (v && typeof v.type === 'string') visit(v, false);
    }
  }
  visit(ast, false);
  return s;
}

function features(stats, names) {
  return names.map((n) => (n === 'one' ? 1 : stats[n]));
}

/** Solves A x = b (small dense system) by Gaussian elimination with partial pivoting. */
function solve(A, b) {
  const n = b.length;
  const M = A.map((row, i) => row.concat([b[i]]));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (Math.abs(M[p][c]) < 1e-12) throw new Error('blocks fit: the features are linearly dependent on these bundles');
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, i) => row[n] / M[i][i]);
}

/** Ordinary least squares of y on the rows of X (normal equations; columns are scaled first for conditioning). */
function leastSquares(X, y) {
  const m = X[0].length;
  const scale = Array.from({ length: m }, (_, j) => Math.max(...X.map((r) => Math.abs(r[j]))) || 1);
  const Z = X.map((r) => r.map((v, j) => v / scale[j]));
  const A = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => Z.reduce((s, r) => s + r[i] * r[j], 0)));
  const b = Array.from({ length: m }, (_, i) => Z.reduce((s, r, k) => s + r[i] * y[k], 0));
  return solve(A, b).map((c, j) => c / scale[j]);
}

/**
 * Fits blocks ≈ Σ coefficient × feature over measured bundles
 * ([{ file, stats, blocks }]). Returns the coefficients, each bundle's
 * estimate, the RMS and largest error, and the largest leave-one-out error
 * (each bundle predicted by a fit without it: how far off a new bundle may be).
 */
export function fitBlocks(points, names = FIT_FEATURES) {
  const X = points.map((p) => features(p.stats, names));
  const y = points.map((p) => p.blocks);
  const coefficients = leastSquares(X, y);
  const estimates = {};
  let sq = 0;
  let maxError = 0;
  let maxRelError = 0;
  points.forEach((p, i) => {
    const e = X[i].reduce((s, v, j) => s + v * coefficients[j], 0);
    estimates[p.file] = e;
    sq += (e - y[i]) ** 2;
    maxError = Math.max(maxError, Math.abs(e - y[i]));
    maxRelError = Math.max(maxRelError, Math.abs(e - y[i]) / y[i]);
  });
  let looMaxError = 0;
  if (points.length > names.length + 1) {
    points.forEach((p, i) => {
      const c = leastSquares(X.filter((_, k) => k !== i), y.filter((_, k) => k !== i));
      const e = X[i].reduce((s, v, j) => s + v * c[j], 0);
      looMaxError = Math.max(looMaxError, Math.abs(e - y[i]));
    });
  }
  return { n: points.length, features: names, coefficients, estimates, rms: Math.sqrt(sq / points.length), maxError, maxRelError, looMaxError };
}

let calibration = null;

/** The calibration written by bench/espruino.mjs (throws if there is none). */
export function loadCalibration(file = CALIBRATION_FILE) {
  if (!calibration || file !== CALIBRATION_FILE) {
    if (!fs.existsSync(file)) throw new Error(path.basename(file) + ' is missing: run `npm run bench:espruino` with $ESPRUINO set');
    const c = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (file !== CALIBRATION_FILE) return c;
    calibration = c;
  }
  return calibration;
}

/** Estimated Espruino blocks after require() of `code` (Linux build, from Storage), per the calibration. */
export function estimateBlocks(code, cal = loadCalibration()) {
  const stats = bundleStats(code);
  return features(stats, cal.features).reduce((s, v, j) => s + v * cal.coefficients[j], 0);
}
