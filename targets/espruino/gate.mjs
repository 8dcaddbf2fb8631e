// The Espruino gate: what Espruino (2v2x) cannot run, found two ways.
//
// staticGate(code, file)   parses a bundle and lists every construct Espruino lacks:
//   ES2015+ syntax (let/const, arrows, classes, default parameters, rest/spread,
//   destructuring, `**`, `?.`, `??`, template literals, async, generators, for-of),
//   the built-ins it has no implementation of (Map, Set, Symbol, BigInt, Math.imul,
//   Array.from, Number.isInteger, Object.freeze, ...), `Array.prototype.map`-style
//   access to methods on a built-in prototype object (Espruino resolves built-in
//   methods on instances; `Array.prototype.map` is undefined there), getters/setters,
//   any use of a function before its declaration has run, and any `var` that is used
//   before (or declared only inside a block that may be skipped ahead of) a use:
//   Espruino hoists neither function declarations nor `var`s, at top level or inside
//   functions, so such a name resolves to an outer variable (or to nothing).
//   hoistVars() (used by build.mjs) fixes the second kind by declaring those vars
//   at the top of their function.
//
// runInEspruinoLikeContext(code, options)   runs a script in a fresh node:vm context
//   from which the same built-ins have been deleted, so a code path that reaches one
//   fails at run time exactly as on Espruino.
//
// Measured on Espruino 2v29 (Linux build): see docs/espruino.md.

import { parseAst } from 'rollup/parseAst';
import vm from 'node:vm';

/** Globals Espruino does not have. */
export const MISSING_GLOBALS = [
  'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Symbol', 'BigInt', 'Proxy', 'Reflect',
  'BigInt64Array', 'BigUint64Array', 'RangeError', 'Intl', 'SharedArrayBuffer', 'Atomics',
];

/** Static members Espruino lacks; Math.pow/exp/log exist there but are not exact, so the library may not use them either. */
export const MISSING_STATICS = {
  Math: ['imul', 'clz32', 'trunc', 'fround', 'log2', 'log10', 'log1p', 'expm1', 'hypot', 'cbrt', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh'],
  Array: ['from', 'of'],
  Number: ['isInteger', 'isFinite', 'isNaN', 'isSafeInteger', 'parseFloat', 'parseInt', 'EPSILON', 'MAX_SAFE_INTEGER', 'MIN_SAFE_INTEGER'],
  Object: ['freeze', 'isFrozen', 'seal', 'isSealed', 'is', 'preventExtensions', 'isExtensible', 'fromEntries', 'getOwnPropertyDescriptors'],
  String: ['fromCodePoint', 'raw'],
};
const INEXACT_MATH = ['pow', 'exp', 'log'];

/** Instance methods Espruino lacks (deleted from the prototypes in the run-time gate). */
export const MISSING_METHODS = {
  Array: ['reduceRight', 'lastIndexOf', 'findLast', 'findLastIndex', 'keys', 'values', 'entries', 'flat', 'flatMap', 'copyWithin', 'at', 'toReversed', 'toSorted', 'toSpliced', 'with'],
  String: ['codePointAt', 'trimStart', 'trimEnd', 'trimLeft', 'trimRight', 'at', 'normalize', 'localeCompare', 'isWellFormed', 'toWellFormed'],
  TypedArray: ['reduceRight', 'copyWithin', 'at', 'lastIndexOf', 'keys', 'values', 'entries', 'findLast', 'findLastIndex', 'toReversed', 'toSorted', 'with'],
  Number: ['toPrecision', 'toExponential', 'toLocaleString'],
  ArrayBuffer: ['slice', 'resize', 'transfer'],
  Object: ['isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'],
};

/** Built-in constructors whose `.prototype.method` must not be read directly. */
const BUILTIN_CTORS = [
  'Array', 'Object', 'String', 'Number', 'Boolean', 'Function', 'Error', 'RegExp', 'Date', 'ArrayBuffer', 'DataView', 'Promise',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array',
];

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

function lineCol(code, pos) {
  let line = 1;
  let last = -1;
  for (let i = code.indexOf('\n'); i >= 0 && i < pos; i = code.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return line + ':' + (pos - last);
}

/** Child nodes of an ESTree node, in source order. */
function children(node) {
  const out = [];
  for (const k of Object.keys(node)) {
    if (k === 'type' || k === 'start' || k === 'end') continue;
    const v = node[k];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c.type === 'string') out.push(c);
    } else if (v && typeof v.type === 'string') out.push(v);
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

/**
 * Lists what Espruino cannot run in `code` (one bundle or script).
 * @returns {{ rule: string, at: string, text: string }[]} empty when the code passes
 */
export function staticGate(code, file = '<bundle>') {
  const problems = [];
  let ast;
  try {
    ast = parseAst(code);
  } catch (e) {
    return [{ rule: 'parse', at: file, text: String(e.message) }];
  }
  const add = (node, rule) => {
    problems.push({ rule, at: file + ':' + lineCol(code, node.start), text: code.slice(node.start, Math.min(node.end, node.start + 60)) });
  };

  // ---- syntax and built-ins (one pass over every node) ----
  const isName = (n, name) => n && n.type === 'Identifier' && n.name === name;
  const memberName = (n) => (n.computed ? (n.property.type === 'Literal' ? String(n.property.value) : null) : n.property.name);
  const visit = (node, parent) => {
    switch (node.type) {
      case 'VariableDeclaration':
        if (node.kind !== 'var') add(node, node.kind + ' declaration');
        break;
      case 'ArrowFunctionExpression':
        add(node, 'arrow function');
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        add(node, 'class');
        break;
      case 'AssignmentPattern':
        add(node, 'default parameter or default in destructuring');
        break;
      case 'RestElement':
        add(node, 'rest parameter/element');
        break;
      case 'SpreadElement':
        add(node, 'spread');
        break;
      case 'ObjectPattern':
      case 'ArrayPattern':
        add(node, 'destructuring');
        break;
      case 'TemplateLiteral':
      case 'TaggedTemplateExpression':
        if (node.type === 'TemplateLiteral' && parent && parent.type === 'TaggedTemplateExpression') break;
        add(node, 'template literal');
        break;
      case 'ChainExpression':
        add(node, 'optional chaining ?.');
        break;
      case 'LogicalExpression':
        if (node.operator === '??') add(node, 'nullish coalescing ??');
        break;
      case 'BinaryExpression':
        if (node.operator === '**') add(node, 'exponent operator **');
        break;
      case 'AssignmentExpression':
        if (node.operator === '**=' || node.operator === '??=' || node.operator === '||=' || node.operator === '&&=') add(node, node.operator + ' operator');
        break;
      case 'ForOfStatement':
        add(node, 'for-of');
        break;
      case 'AwaitExpression':
      case 'YieldExpression':
        add(node, node.type === 'AwaitExpression' ? 'await' : 'yield');
        break;
      case 'ImportExpression':
      case 'ImportDeclaration':
      case 'ExportNamedDeclaration':
      case 'ExportDefaultDeclaration':
      case 'ExportAllDeclaration':
      case 'MetaProperty':
        add(node, 'ES module syntax');
        break;
      case 'Literal':
        if (typeof node.bigint === 'string' || typeof node.value === 'bigint') add(node, 'BigInt literal');
        if (node.regex && /[uysdv]/.test(node.regex.flags)) add(node, 'regular expression flag ' + node.regex.flags);
        break;
      case 'Property':
        if (node.kind === 'get' || node.kind === 'set') add(node, 'getter/setter');
        else if (node.computed) add(node, 'computed property name');
        else if (node.shorthand) add(node, 'shorthand property');
        else if (node.method) add(node, 'method shorthand');
        break;
      case 'Identifier':
        if (MISSING_GLOBALS.includes(node.name) && isReference(node, parent)) add(node, node.name + ' (not in Espruino)');
        break;
      case 'MemberExpression': {
        const name = memberName(node);
        const obj = node.object;
        if (obj.type === 'Identifier' && MISSING_STATICS[obj.name] && MISSING_STATICS[obj.name].includes(name)) add(node, obj.name + '.' + name + ' (not in Espruino)');
        if (isName(obj, 'Math') && INEXACT_MATH.includes(name)) add(node, 'Math.' + name + ' (not bit-exact across engines; use src/fixed.ts)');
        if (obj.type === 'MemberExpression' && memberName(obj) === 'prototype' && obj.object.type === 'Identifier' && BUILTIN_CTORS.includes(obj.object.name))
          add(node, obj.object.name + '.prototype.' + name + ' (Espruino has no methods on built-in prototype objects)');
        break;
      }
      case 'CallExpression': {
        // Object.defineProperty(o, k, { get: ... }) is how ES5 code spells a getter.
        const c = node.callee;
        if (c.type === 'MemberExpression' && isName(c.object, 'Object') && memberName(c) === 'defineProperty' && node.arguments[2] && node.arguments[2].type === 'ObjectExpression') {
          for (const p of node.arguments[2].properties) if (p.key && (p.key.name === 'get' || p.key.name === 'set')) add(p, 'getter/setter');
        }
        break;
      }
    }
    if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && (node.async || node.generator))
      add(node, node.async ? 'async function' : 'generator');
    for (const c of children(node)) visit(c, node);
  };
  visit(ast, null);

  // ---- no use of a function declaration before it has run ----
  checkHoisting(ast, add);
  // ---- no var used before its declaration has run ----
  for (const u of unhoistedVars(ast)) add(u.at, 'var ' + u.name + ' used before its declaration runs (Espruino does not hoist var)');
  return problems;
}

/**
 * Every `var` whose first appearance in its function is not a declaration
 * that always runs first: used earlier in the source, or first declared
 * inside a block, loop body, branch or later for-init that may not run before
 * a use. Espruino would then read or write a variable of an enclosing scope.
 * @returns {{ scope: object, name: string, at: object }[]} scope: the function (or program) node
 */
export function unhoistedVars(ast) {
  const out = [];
  const visitScope = (scopeNode) => {
    const body = scopeNode.type === 'Program' ? scopeNode.body : scopeNode.body.type === 'BlockStatement' ? scopeNode.body.body : null;
    if (!body) return;
    const params = new Set();
    if (scopeNode.type !== 'Program') for (const p of scopeNode.params) collectPattern(p, params);
    // var declarations of this scope (not of nested functions), and whether each is a safe first declaration
    const declared = new Map(); // name -> earliest declarator id node
    const safe = new Set(); // declarator id nodes at the scope's top level
    const topLevel = new Set(body);
    const walkDecls = (node) => {
      for (const c of children(node)) {
        if (FUNCTION_TYPES.has(c.type)) continue;
        if (c.type === 'VariableDeclaration' && c.kind === 'var') {
          // a top-level statement, or the init of a top-level for loop: both always run, in order
          const direct = topLevel.has(c) || ((node.type === 'ForStatement' || node.type === 'ForInStatement') && topLevel.has(node));
          for (const d of c.declarations) {
            if (d.id.type !== 'Identifier') continue;
            const prev = declared.get(d.id.name);
            if (!prev || d.id.start < prev.start) declared.set(d.id.name, d.id);
            if (direct) safe.add(d.id);
          }
        }
        walkDecls(c);
      }
    };
    walkDecls(scopeNode.type === 'Program' ? scopeNode : scopeNode.body);
    if (!declared.size) return;
    // earliest appearance of each declared name anywhere inside the scope (nested functions included: conservative)
    const first = new Map();
    const walkUses = (node, parent) => {
      if (node.type === 'Identifier' && declared.has(node.name) && (isReference(node, parent) || (parent && parent.type === 'VariableDeclarator' && parent.id === node))) {
        const f = first.get(node.name);
        if (!f || node.start < f.start) first.set(node.name, node);
      }
      for (const c of children(node)) walkUses(c, node);
    };
    walkUses(scopeNode.type === 'Program' ? scopeNode : scopeNode.body, null);
    for (const [name, decl] of declared) {
      if (params.has(name)) continue;
      const f = first.get(name) || decl;
      if (f === decl && safe.has(decl)) continue;
      out.push({ scope: scopeNode, name, at: f });
    }
  };
  const walk = (node) => {
    if (node.type === 'Program' || node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') visitScope(node);
    for (const c of children(node)) walk(c);
  };
  walk(ast);
  return out;
}

/**
 * Makes `code` safe for Espruino's missing `var` hoisting: every var that
 * {@link unhoistedVars} finds is declared (`var a,b;`) at the start of its
 * function or program. Behaviour on a standard engine is unchanged.
 */
export function hoistVars(code) {
  const found = unhoistedVars(parseAst(code));
  if (!found.length) return code;
  const byScope = new Map();
  for (const u of found) {
    if (!byScope.has(u.scope)) byScope.set(u.scope, new Set());
    byScope.get(u.scope).add(u.name);
  }
  const inserts = [];
  for (const [scope, names] of byScope) inserts.push({ at: scope.type === 'Program' ? 0 : scope.body.start + 1, text: 'var ' + Array.from(names).join(',') + ';' });
  inserts.sort((a, b) => b.at - a.at);
  let out = code;
  for (const i of inserts) out = out.slice(0, i.at) + i.text + out.slice(i.at);
  return out;
}

/** True when an Identifier is a variable reference (not a property key, label or declaration name). */
function isReference(node, parent) {
  if (!parent) return true;
  switch (parent.type) {
    case 'MemberExpression':
      return parent.object === node || parent.computed;
    case 'Property':
      return parent.value === node || parent.computed;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return false;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
      return false; // its name or a parameter
    case 'VariableDeclarator':
      return parent.init === node;
    case 'CatchClause':
      return false;
  }
  return true;
}

/**
 * Scopes: every function and the program. A scope knows its parent, its
 * bindings (params, vars, function declarations, catch parameters) and, for
 * function declarations, where they are.
 */
function buildScopes(ast) {
  const scopes = new Map(); // node -> { node, parent, names: Set, decls: Map name -> FunctionDeclaration }
  const make = (node, parent) => {
    const s = { node, parent, names: new Set(), decls: new Map(), fnvars: new Map() };
    scopes.set(node, s);
    if (node.type !== 'Program') {
      for (const p of node.params) collectPattern(p, s.names);
      if (node.type === 'FunctionExpression' && node.id) s.names.add(node.id.name);
      s.names.add('arguments');
    }
    const walk = (n) => {
      for (const c of children(n)) {
        if (c.type === 'FunctionDeclaration') {
          s.names.add(c.id.name);
          if (!s.decls.has(c.id.name)) s.decls.set(c.id.name, c);
          make(c, s);
          continue;
        }
        if (FUNCTION_TYPES.has(c.type)) {
          make(c, s);
          continue;
        }
        if (c.type === 'VariableDeclaration')
          for (const d of c.declarations) {
            collectPattern(d.id, s.names);
            // var f = function () {...}: calls to f run that body (but f is not hoisted at all).
            if (d.id.type === 'Identifier' && d.init && FUNCTION_TYPES.has(d.init.type)) s.fnvars.set(d.id.name, d.init);
          }
        if (c.type === 'CatchClause' && c.param) collectPattern(c.param, s.names);
        walk(c);
      }
    };
    walk(node.type === 'Program' ? node : node.body);
    return s;
  };
  make(ast, null);
  return scopes;
}

function collectPattern(p, names) {
  if (!p) return;
  if (p.type === 'Identifier') names.add(p.name);
  else if (p.type === 'AssignmentPattern') collectPattern(p.left, names);
  else if (p.type === 'RestElement') collectPattern(p.argument, names);
  else if (p.type === 'ArrayPattern') for (const e of p.elements) collectPattern(e, names);
  else if (p.type === 'ObjectPattern') for (const q of p.properties) collectPattern(q.type === 'RestElement' ? q : q.value, names);
}

/**
 * Simulates which code runs while each scope's body is being executed, in
 * source order: statements of the body, immediately-invoked functions, and
 * (transitively) the bodies of functions they call by name. Any reference to
 * a function declaration whose statement has not run yet is reported.
 */
function checkHoisting(ast, add) {
  const scopes = buildScopes(ast);
  const reported = new Set();

  const resolve = (scope, name) => {
    for (let s = scope; s; s = s.parent) if (s.names.has(name)) return s;
    return null;
  };

  /**
   * Walks `node` as code executing now inside `scope`. `clock` maps a scope
   * (whose body is running) to the source position execution has reached in it;
   * scopes absent from it have finished running. `expanded` stops recursion.
   */
  const run = (node, scope, clock, expanded) => {
    if (node.type === 'FunctionDeclaration') return; // its name became defined; the body runs when called
    if (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') return; // deferred unless invoked (see below)
    if (node.type === 'CallExpression' || node.type === 'NewExpression') {
      let callee = node.callee;
      // (function () {...})(), (function () {...}).call(this), new function () {...}
      if (callee.type === 'MemberExpression' && !callee.computed && (callee.property.name === 'call' || callee.property.name === 'apply') && FUNCTION_TYPES.has(callee.object.type))
        callee = callee.object;
      if (FUNCTION_TYPES.has(callee.type)) {
        for (const a of node.arguments) run(a, scope, clock, expanded);
        enter(callee, clock, expanded);
        return;
      }
    }
    if (node.type === 'Identifier') {
      check(node, scope, clock, expanded);
      return;
    }
    for (const c of children(node)) {
      if (c.type === 'Identifier' && !isReference(c, node)) continue;
      run(c, scope, clock, expanded);
      if (c.type === 'Identifier' && (node.type === 'CallExpression' || node.type === 'NewExpression') && node.callee === c) call(c, scope, clock, expanded);
    }
  };

  /** Runs the body of function `fn` now. */
  const enter = (fn, clock, expanded) => {
    const s = scopes.get(fn);
    if (!s) return;
    const inner = new Map(clock);
    const body = fn.body.type === 'BlockStatement' ? fn.body.body : [fn.body];
    for (const st of body) {
      inner.set(s, st.start);
      run(st, s, inner, expanded);
    }
  };

  const check = (id, scope, clock) => {
    const s = resolve(scope, id.name);
    if (!s) return;
    const decl = s.decls.get(id.name);
    if (!decl || !clock.has(s)) return;
    if (decl.start > clock.get(s) && !reported.has(id.start)) {
      reported.add(id.start);
      add(id, 'use of function ' + id.name + '() before its declaration (Espruino does not hoist)');
    }
  };

  /** A call by name of a declared function runs its body now (once per walk). */
  const call = (id, scope, clock, expanded) => {
    const s = resolve(scope, id.name);
    const decl = s && (s.decls.get(id.name) || s.fnvars.get(id.name));
    if (!decl || expanded.has(decl)) return;
    if (decl.type === 'FunctionDeclaration' && clock.has(s) && decl.start > clock.get(s)) return; // already reported
    expanded.add(decl);
    // Scopes between the declaration's scope and the caller have finished unless they are on the clock.
    const inner = new Map();
    for (let p = s; p; p = p.parent) if (clock.has(p)) inner.set(p, clock.get(p));
    enter(decl, inner, expanded);
  };

  // Every function body is checked on its own too (for calls that happen whenever it runs).
  for (const s of scopes.values()) {
    const node = s.node;
    const body = node.type === 'Program' ? node.body : node.body.type === 'BlockStatement' ? node.body.body : [node.body];
    const expanded = new Set();
    const clock = new Map();
    for (let p = s.parent; p; p = p.parent) clock.set(p, Infinity);
    for (const st of body) {
      clock.set(s, st.start);
      run(st, s, clock, expanded);
    }
  }
}

/** JS run inside the vm context before the code under test: removes what Espruino lacks. */
export function espruinoPrelude() {
  return `(function (g) {
  var del = function (o, k) { if (o) { try { delete o[k]; } catch (e) {} } };
  ${JSON.stringify(MISSING_GLOBALS)}.forEach(function (k) { del(g, k); });
  var statics = ${JSON.stringify(MISSING_STATICS)};
  Object.keys(statics).forEach(function (o) { statics[o].forEach(function (k) { del(g[o], k); }); });
  var methods = ${JSON.stringify(MISSING_METHODS)};
  var typed = Object.getPrototypeOf(Int8Array.prototype);
  Object.keys(methods).forEach(function (o) {
    var p = o === 'TypedArray' ? typed : g[o].prototype;
    methods[o].forEach(function (k) { del(p, k); });
  });
  // Behaviour that differs rather than is missing (measured on Espruino 2v29):
  var T = Object.getPrototypeOf(Int8Array);
  del(T, 'from');
  del(T, 'of');
  // typedArray.slice() and .filter() return plain Arrays.
  var aslice = g.Array.prototype.slice, afilter = g.Array.prototype.filter;
  typed.slice = function (a, b) { return aslice.call(this, a, b); };
  typed.filter = function (f, t) { return afilter.call(this, f, t); };
  // Math.round rounds halves away from zero (Math.round(-2.5) is -3).
  var floor = g.Math.floor, sqrt = g.Math.sqrt;
  g.Math.round = function (x) { return x < 0 ? -floor(-x + 0.5) : floor(x + 0.5); };
  // Math.sqrt is not correctly rounded (sqrt(1e16) is 100000000.00000018).
  g.Math.sqrt = function (x) { var r = sqrt(x); return r + r * 3.552713678800501e-15; };
})(globalThis);`;
}

/**
 * Runs `code` in a fresh vm context without the built-ins Espruino lacks.
 * Output of print() is returned as lines. `globals` adds to the context.
 * @returns {{ lines: string[], error: unknown, context: object }}
 */
export function runInEspruinoLikeContext(code, options = {}) {
  const lines = [];
  const context = vm.createContext(Object.assign({ print: (s) => lines.push(String(s)) }, options.globals || {}));
  vm.runInContext(espruinoPrelude(), context);
  const check = vm.runInContext(
    'typeof Map + typeof Symbol + typeof Math.imul + typeof Array.from + typeof Number.isInteger + typeof Object.freeze',
    context,
  );
  if (check !== 'undefined'.repeat(6)) throw new Error('could not remove built-ins from the vm context: ' + check);
  let error = null;
  try {
    vm.runInContext(code, context, { filename: options.filename || 'bundle.js', timeout: options.timeoutMs || 120000 });
  } catch (e) {
    error = e;
  }
  return { lines, error, context };
}
