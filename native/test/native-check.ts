/**
 * Engine-side check of a native kernel binding (XS host functions or the
 * Espruino `Microlearn` object) against the TypeScript reference, through
 * the real glue: random inputs in every value regime, array views at byte
 * offsets, arrays that overlap, and the argument checks (wrong types,
 * out-of-bounds ranges, bad numbers must throw, never read or write memory
 * they do not own). Bundled into one script (build/bundles/native-check.js)
 * and run by test/native.test.ts; prints one `native-check ...` summary line.
 *
 * Written in the Espruino-portable subset, like the library.
 */
import { KERNEL_NAMES, kernelsTS } from '../../src/kernels.js';
import { Random } from '../../src/random.js';

type Fn = (...args: unknown[]) => unknown;
type Impl = { [name: string]: Fn };

const Q_MAX = 2147483647;
const Q_MIN = -2147483648;
const EDGES = [Q_MIN, Q_MIN + 1, -65536, -32768, -1, 0, 1, 32768, 65536, Q_MAX - 1, Q_MAX];
/** Reals at the edges of toQ: ties, the range limits, non-finite values. */
/** Raw readings at the edges of toRaw: ties, ±2^31, tiny and non-finite values, a string. */
const RAWS = [0, -0, 0.5, -0.5, 1.5, -2.5, 2147483647.5, -2147483647.5, 2147483648, -2147483648, 2147483647, 1e-300, -1e-300, NaN, Infinity, -Infinity, 'x'];
const REALS = [0, -0, 0.5 / 65536, -0.5 / 65536, 1.5 / 65536, 32767.999992370605, 32767.99998474121, 32768, -32768, -32768.0000076, NaN, Infinity, -Infinity, 1e300];

function value(r: Random, regime: number): number {
  if (regime === 4) regime = r.nextInt(4);
  if (regime === 0) return r.nextInt(524289) - 262144;
  if (regime === 1) return r.nextInt(33554433) - 16777216;
  if (regime === 2) return r.nextU32() | 0;
  return EDGES[r.nextInt(EDGES.length)];
}

/** An Int32Array of `len` elements; sometimes a view at a byte offset into a bigger buffer. */
function i32(r: Random, len: number, regime: number): Int32Array {
  const pad = r.nextInt(3) === 0 ? 1 + r.nextInt(3) : 0;
  const a = new Int32Array(new ArrayBuffer((len + pad + 1) * 4), pad * 4, len);
  for (let i = 0; i < len; i++) a[i] = value(r, regime);
  return a;
}

function u32(r: Random, len: number): Uint32Array {
  const pad = r.nextInt(3) === 0 ? 1 + r.nextInt(3) : 0;
  const a = new Uint32Array(new ArrayBuffer((len + pad + 1) * 4), pad * 4, len);
  for (let i = 0; i < len; i++) a[i] = r.nextU32();
  return a;
}

function u16(r: Random, len: number): Uint16Array {
  const pad = r.nextInt(3) === 0 ? 1 + r.nextInt(3) : 0;
  const a = new Uint16Array(new ArrayBuffer((len + pad + 1) * 2), pad * 2, len);
  for (let i = 0; i < len; i++) a[i] = r.nextU32() & 0xffff;
  return a;
}

/**
 * The same arrays, copied; alias[i] = j means argument i is argument j
 * (tracked explicitly: Espruino's === can call two distinct typed arrays with
 * equal contents identical).
 */
function cloneAll(args: unknown[], alias: number[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (alias[i] >= 0) out.push(out[alias[i]]);
    else if (a instanceof Int32Array) out.push(new Int32Array(a));
    else if (a instanceof Uint16Array) out.push(new Uint16Array(a));
    else if (a instanceof Uint32Array) out.push(new Uint32Array(a));
    else out.push(a);
  }
  return out;
}

function sameArrays(x: unknown[], y: unknown[]): string | null {
  for (let i = 0; i < x.length; i++) {
    const xi: unknown = x[i];
    if (!(xi instanceof Int32Array || xi instanceof Uint16Array || xi instanceof Uint32Array)) continue;
    const a = xi as Int32Array;
    const b = y[i] as Int32Array;
    for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return 'argument ' + i + '[' + j + '] ' + b[j] + ' (TS ' + a[j] + ')';
  }
  return null;
}

/** Random arguments for kernel `name` in the TypeScript argument order; sets `alias` (see cloneAll). */
function makeArgs(r: Random, name: string, alias: number[]): unknown[] {
  for (let i = 0; i < 10; i++) alias[i] = -1;
  const reg = r.nextInt(5);
  const n = r.nextInt(6) === 0 ? r.nextInt(200) : r.nextInt(20);
  const o1 = r.nextInt(3);
  const o2 = r.nextInt(3);
  const rows = r.nextInt(7);
  const cols = r.nextInt(12);
  if (name === 'dot') return [i32(r, o1 + n, reg), o1, i32(r, o2 + n, reg), o2, n];
  if (name === 'sqdist') return [i32(r, o1 + n, reg), o1, i32(r, o2 + n, reg), o2, n, r.nextInt(17)];
  if (name === 'matvec') {
    const x = i32(r, o1 + cols + rows, reg);
    const same = r.nextInt(6) === 0;
    if (same) alias[4] = 1;
    const out = same ? x : i32(r, rows, 4);
    return [i32(r, rows * cols, reg), x, o1, r.nextInt(3) === 0 ? null : i32(r, rows, 4), out, rows, cols];
  }
  if (name === 'matTvec') return [i32(r, rows * cols, reg), i32(r, rows, reg), i32(r, cols, 4), rows, cols];
  if (name === 'axpy') {
    const y = i32(r, Math.max(o1, o2) + n, reg);
    const same = r.nextInt(5) === 0;
    if (same) alias[2] = 0;
    return [y, o1, same ? y : i32(r, o2 + n, reg), o2, n, value(r, 4)];
  }
  if (name === 'axpyWide') {
    const len = Math.max(o1, o2) + n;
    const w = i32(r, len, reg);
    const same = r.nextInt(4) === 0;
    if (same) alias[3] = 0;
    return [w, u16(r, len), o1, same ? w : i32(r, o2 + n, reg), o2, n, r.nextInt(65535) - 32767, r.nextInt(62) - 15];
  }
  if (name === 'toQ') {
    // a plain array, or a Float64Array, of reals: typical, ties, edges and a few rejects
    const len = n;
    const raw: number[] = [];
    for (let i = 0; i < len; i++) {
      const k = r.nextInt(8);
      raw.push(k === 0 ? REALS[r.nextInt(REALS.length)] : k < 3 ? (value(r, 0) + 0.5) / 65536 : (r.nextU32() / 4294967296 - 0.5) * (k < 6 ? 100 : 70000));
    }
    const x = r.nextInt(3) === 0 ? new Float64Array(raw) : raw;
    return [x, n, i32(r, n, 4)];
  }
  if (name === 'toRaw') {
    // reals (s 16) or Q16.16 (s 0), a shared exponent or one per feature (some beyond 63), the learners' limits and any other
    const s = r.nextInt(2) ? 16 : 0;
    // at least one exponent (an input scale always has one; the TS kernel reads exps[0], which Espruino rejects on an empty typed array)
    const exps = new Uint8Array(r.nextInt(2) ? 1 : Math.max(1, n + r.nextInt(3)));
    for (let i = 0; i < exps.length; i++) exps[i] = r.nextInt(20) === 0 ? 64 + r.nextInt(192) : r.nextInt(2) ? r.nextInt(4) : r.nextInt(64);
    const lims = [2147483648, 1073741824, 134217728, 65536, 1];
    const lim = r.nextInt(5) === 0 ? 1 + r.nextInt(2147483647) : lims[r.nextInt(lims.length)];
    const raw: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const k = r.nextInt(10);
      if (s === 0 && k < 6) raw.push(value(r, 4));
      else if (k === 0) raw.push(RAWS[r.nextInt(RAWS.length)]);
      else if (k < 4) raw.push((value(r, 2) + 0.5) / (1 << r.nextInt(31)));
      else if (k < 6) raw.push(value(r, 2) + (r.nextInt(2) ? 0.5 : 0));
      else raw.push((r.nextU32() / 4294967296 - 0.5) * 2000);
    }
    const kind = r.nextInt(3);
    const x = kind === 0 ? new Float64Array(raw as number[]) : kind === 1 && s === 0 ? new Int32Array(raw as number[]) : raw;
    return [x, n, s, exps, lim, i32(r, n, 4)];
  }
  if (name === 'kmeansLearn') {
    // centroids inside a headroom 2^h (sometimes anywhere), x in internal units or plain reals (a few rejects), decay or none
    const k = 1 + r.nextInt(5), m = 1 + r.nextInt(12), h = 12 + r.nextInt(16);
    const wild = r.nextInt(6) === 0;
    const lim = 1 << h;
    const inside = function (len: number): Int32Array {
      const a = new Int32Array(len);
      for (let i = 0; i < len; i++) a[i] = wild ? value(r, 4) : (r.nextU32() % (2 * lim - 1)) - lim + 1;
      return a;
    };
    const counts = u32(r, k);
    if (r.nextInt(2)) for (let i = 0; i < k; i++) counts[i] = 1 + r.nextInt(1000);
    const decay = r.nextInt(2) ? 0 : r.nextInt(65537);
    const exps = new Uint8Array(1);
    exps[0] = r.nextInt(8);
    if (r.nextInt(2)) return [inside(k * m), u16(r, k * m), counts, k, m, inside(m), null, exps, lim, decay, i32(r, k + m, 4)];
    const raw: number[] = [];
    for (let i = 0; i < m; i++) raw.push(r.nextInt(40) === 0 ? REALS[r.nextInt(REALS.length)] : (r.nextU32() / 4294967296 - 0.5) * 2.2 * Math.pow(2, h - 16 + exps[0]));
    return [inside(k * m), u16(r, k * m), counts, k, m, raw, i32(r, m, 4), exps, lim, decay, i32(r, k + m, 4)];
  }
  if (name === 'sgdLinearReal') {
    const m = n + 1;
    const lr = r.nextInt(3) ? r.nextInt(65537) : value(r, 4);
    const l2 = r.nextInt(3) === 0 ? r.nextInt(65537) : 0;
    const raw: number[] = [];
    for (let i = 0; i < m; i++) raw.push(r.nextInt(40) === 0 ? REALS[r.nextInt(REALS.length)] : (r.nextU32() / 4294967296 - 0.5) * 8);
    const y = r.nextInt(10) === 0 ? REALS[r.nextInt(REALS.length)] : (r.nextU32() / 4294967296 - 0.5) * 20;
    return [i32(r, m + 1, r.nextInt(2) ? 0 : reg), u16(r, m + 1), r.nextInt(3) === 0 ? new Float64Array(raw) : raw, i32(r, m, 4), m, y, lr, l2];
  }
  if (name === 'kmeansNearest') {
    const k = 1 + r.nextInt(5), m = 1 + r.nextInt(12), h = 12 + r.nextInt(16);
    const c = i32(r, k * m, r.nextInt(6) === 0 ? 4 : 0);
    const exps = new Uint8Array(1);
    exps[0] = r.nextInt(8);
    const raw: number[] = [];
    for (let i = 0; i < m; i++) raw.push(r.nextInt(40) === 0 ? REALS[r.nextInt(REALS.length)] : (r.nextU32() / 4294967296 - 0.5) * 2.2 * Math.pow(2, h - 16 + exps[0]));
    return [c, k, m, r.nextInt(3) === 0 ? new Float64Array(raw) : raw, i32(r, m, 4), exps, r.nextInt(2) ? 1073741824 : 1 << h, i32(r, k, 4)];
  }
  if (name === 'denseForward') {
    return [i32(r, rows * cols, reg), i32(r, o1 + cols, reg), o1, r.nextInt(3) === 0 ? null : i32(r, rows, reg), i32(r, rows, 4), i32(r, rows, 4), rows, cols, r.nextInt(4)];
  }
  if (name === 'denseBackward') {
    const act = r.nextInt(4);
    const ap = i32(r, cols, r.nextInt(2) ? 0 : reg);
    if (act === 2 && r.nextInt(2)) for (let i = 0; i < cols; i++) ap[i] = r.nextInt(65537);
    return [i32(r, rows * cols, reg), i32(r, rows, reg), i32(r, cols, 4), ap, i32(r, cols, 4), rows, cols, act];
  }
  if (name === 'sgdLinear') {
    const m = n + 1;
    const link = r.nextInt(2);
    const y = link ? (r.nextInt(2) ? 65536 : 0) : value(r, 4);
    const lr = r.nextInt(3) ? r.nextInt(65537) : value(r, 4);
    const l2 = r.nextInt(3) === 0 ? r.nextInt(65537) : 0;
    if (r.nextInt(2)) return [i32(r, m + 1, r.nextInt(2) ? 0 : reg), u16(r, m + 1), i32(r, m, reg), null, m, y, lr, l2, link];
    const raw: number[] = [];
    for (let i = 0; i < m; i++) raw.push(r.nextInt(40) === 0 ? REALS[r.nextInt(REALS.length)] : (r.nextU32() / 4294967296 - 0.5) * 8);
    return [i32(r, m + 1, r.nextInt(2) ? 0 : reg), u16(r, m + 1), raw, i32(r, m, 4), m, y, lr, l2, link];
  }
  if (name === 'gerWide') {
    const lr = r.nextInt(2) ? r.nextInt(65537) : value(r, 4);
    return [i32(r, rows * cols, reg), u16(r, rows * cols), rows, cols, i32(r, rows, 4), i32(r, o1 + cols, reg), o1, lr];
  }
  if (name === 'scale') return [i32(r, o1 + n, reg), o1, n, value(r, 4)];
  if (name === 'sqdistMany') return [i32(r, rows * cols, reg), rows, cols, i32(r, o1 + cols, reg), o1, r.nextInt(17), i32(r, rows, 4)];
  if (name === 'welford') {
    const len = o1 + n;
    const count = r.nextInt(3) === 0 ? 1 + r.nextInt(5) : r.nextInt(2) ? 1 + r.nextInt(1000000) : 1 + r.nextU32();
    // remainders: normally below the count, but any stored value has defined bits
    return [i32(r, len, reg), u16(r, len), i32(r, len, r.nextInt(2) ? 0 : reg), u32(r, len), r.nextInt(2) ? i32(r, len, reg) : new Int32Array(len), o1, i32(r, o2 + n, reg), o2, n, count];
  }
  if (name === 'gerAdam') {
    const len = rows * cols;
    const first = r.nextInt(4) !== 0;
    const vI = i32(r, len, r.nextInt(2) ? 0 : reg);
    if (r.nextInt(2)) for (let i = 0; i < len; i++) vI[i] = (vI[i] < 0 ? -vI[i] : vI[i]) % 1073741825;
    return [
      i32(r, len, reg), u16(r, len), first ? i32(r, len, reg) : null, first ? u16(r, len) : null, vI, u32(r, len), rows, cols,
      i32(r, rows, 4), i32(r, o1 + cols, reg), o1, r.nextInt(2097152), r.nextInt(63), r.nextInt(3) ? r.nextInt(1025) : r.nextU32() >>> 1,
      r.nextInt(65536), r.nextInt(65536),
    ];
  }
  // argmin, argmax: small values make ties likely
  const a = i32(r, o1 + n + 1, r.nextInt(2) ? 3 : reg);
  return [a, o1, n + 1];
}

/** Calls f and returns the error's name, or '' when nothing was thrown. */
function thrown(f: () => void): string {
  try {
    f();
  } catch (e) {
    const name = e && (e as Error).name;
    return typeof name === 'string' && name !== '' ? name : 'Error';
  }
  return '';
}

/**
 * Runs `rounds` random calls of every kernel through `impl` and the
 * TypeScript reference, then the argument checks. `errorNames` false accepts
 * any error class (Espruino has fewer). Prints the summary; returns failures.
 */
export function runNativeCheck(impl: Impl | undefined, print: (s: string) => void, rounds: number, errorNames: boolean): number {
  if (!impl) {
    print('native-check FAIL no native kernels on this engine');
    return 1;
  }
  const ts = kernelsTS as unknown as Impl;
  const r = new Random(20240607);
  let failures = 0;
  let calls = 0;
  function fail(msg: string): void {
    if (failures < 20) print('native-check FAIL ' + msg);
    failures++;
  }
  for (let k = 0; k < KERNEL_NAMES.length; k++) if (typeof impl[KERNEL_NAMES[k]] !== 'function') fail('missing ' + KERNEL_NAMES[k]);
  if (failures) return failures;

  for (let t = 0; t < rounds; t++) {
    for (let k = 0; k < KERNEL_NAMES.length; k++) {
      const name = KERNEL_NAMES[k];
      const alias: number[] = [];
      const args = makeArgs(r, name, alias);
      const a1 = cloneAll(args, alias);
      const a2 = cloneAll(args, alias);
      const v1 = ts[name].apply(null, a1);
      let v2: unknown;
      try {
        v2 = impl[name].apply(null, a2);
      } catch (e) {
        fail(name + ' threw ' + e);
        continue;
      }
      calls++;
      if (v1 !== v2) fail(name + ' returned ' + v2 + ', TS ' + v1 + ' (round ' + t + ')');
      const d = sameArrays(a1, a2);
      if (d !== null) fail(name + ' ' + d + ' (round ' + t + ')');
    }
  }

  // Argument checks: each must throw the named error class.
  let checks = 0;
  function expect(what: string, cls: string, f: () => void): void {
    checks++;
    const got = thrown(f);
    if (got === '' || (errorNames && got !== cls)) fail(what + ': expected ' + cls + ', got ' + (got === '' ? 'no error' : got));
  }
  function expectOk(what: string, f: () => void): void {
    checks++;
    const got = thrown(f);
    if (got !== '') fail(what + ': unexpected ' + got);
  }
  const a = new Int32Array([65536, 2 * 65536, 3 * 65536, 4 * 65536]);
  const b = new Int32Array([65536, 65536, 65536, 65536]);
  const f4 = new Uint16Array(4);
  const N = impl;
  expect('Float32Array as a', 'TypeError', function () {
    N.dot(new Float32Array(4), 0, b, 0, 4);
  });
  expect('plain array as b', 'TypeError', function () {
    N.dot(a, 0, [1, 2, 3, 4], 0, 4);
  });
  expect('Uint16Array as Int32Array', 'TypeError', function () {
    N.sqdist(a, 0, f4, 0, 4, 0);
  });
  expect('Int32Array as fraction array', 'TypeError', function () {
    N.axpyWide(a, b, 0, b, 0, 4, 1, 0);
  });
  expect('n past the end', 'RangeError', function () {
    N.dot(a, 0, b, 0, 5);
  });
  expect('offset + n past the end', 'RangeError', function () {
    N.dot(a, 1, b, 0, 4);
  });
  expect('negative offset', 'RangeError', function () {
    N.scale(a, -1, 1, 65536);
  });
  expect('fractional length', 'RangeError', function () {
    N.argmax(a, 0, 1.5);
  });
  expect('string offset', 'TypeError', function () {
    N.dot(a, '0' as unknown as number, b, 0, 1);
  });
  expect('missing argument', 'TypeError', function () {
    N.dot(a, 0, b, 0);
  });
  expect('alpha beyond int32', 'RangeError', function () {
    N.axpy(a, 0, b, 0, 4, 4294967296);
  });
  expect('shift 17', 'RangeError', function () {
    N.sqdist(a, 0, b, 0, 4, 17);
  });
  expect('axpyWide s = -16', 'RangeError', function () {
    N.axpyWide(a, f4, 0, b, 0, 4, 1, -16);
  });
  expect('axpyWide a beyond 15 bits', 'RangeError', function () {
    N.axpyWide(a, f4, 0, b, 0, 4, 32768, 0);
  });
  expect('toQ out too short', 'RangeError', function () {
    N.toQ([1, 2, 3], 3, new Int32Array(2));
  });
  expect('sgdLinear w too short for the bias', 'RangeError', function () {
    N.sgdLinear(new Int32Array(4), new Uint16Array(5), b, null, 4, 0, 655, 0, 0);
  });
  expect('sgdLinear link 2', 'RangeError', function () {
    N.sgdLinear(new Int32Array(5), new Uint16Array(5), b, null, 4, 0, 655, 0, 2);
  });
  expect('sgdLinearReal xq null', 'TypeError', function () {
    N.sgdLinearReal(new Int32Array(5), new Uint16Array(5), [1, 2, 3, 4], null, 4, 0.5, 655, 0);
  });
  expect('kmeansLearn k 0', 'RangeError', function () {
    N.kmeansLearn(new Int32Array(4), new Uint16Array(4), new Uint32Array(1), 0, 4, new Int32Array(4), null, new Uint8Array(1), 65536, 0, new Int32Array(5));
  });
  expect('kmeansLearn work too short', 'RangeError', function () {
    N.kmeansLearn(new Int32Array(8), new Uint16Array(8), new Uint32Array(2), 2, 4, new Int32Array(4), null, new Uint8Array(1), 65536, 0, new Int32Array(5));
  });
  expect('kmeansLearn decay 65537', 'RangeError', function () {
    N.kmeansLearn(new Int32Array(4), new Uint16Array(4), new Uint32Array(1), 1, 4, new Int32Array(4), null, new Uint8Array(1), 65536, 65537, new Int32Array(5));
  });
  expect('kmeansLearn counts as Int32Array', 'TypeError', function () {
    N.kmeansLearn(new Int32Array(4), new Uint16Array(4), new Int32Array(1), 1, 4, new Int32Array(4), null, new Uint8Array(1), 65536, 0, new Int32Array(5));
  });
  checks++;
  if (N.sgdLinearReal(new Int32Array(5), new Uint16Array(5), [1, 2, 3, 4], new Int32Array(4), 4, 'y', 655, 0) !== 4) fail('sgdLinearReal accepted a string target');
  checks++;
  if (N.sgdLinearReal(new Int32Array(5), new Uint16Array(5), [1, 2, 3, 4], new Int32Array(4), 4, 32768, 655, 0) !== 4) fail('sgdLinearReal accepted the target 32768');
  checks++;
  if (N.kmeansLearn(new Int32Array(4), new Uint16Array(4), new Uint32Array(1), 1, 4, [1, 'x', 3, 4], new Int32Array(4), new Uint8Array(1), 134217728, 0, new Int32Array(5)) !== 1)
    fail('kmeansLearn accepted a string');
  expect('denseForward act 4', 'RangeError', function () {
    N.denseForward(new Int32Array(4), new Int32Array(2), 0, null, new Int32Array(2), new Int32Array(2), 2, 2, 4);
  });
  expect('denseBackward gp too short', 'RangeError', function () {
    N.denseBackward(new Int32Array(4), new Int32Array(2), new Int32Array(1), new Int32Array(2), new Int32Array(2), 2, 2, 1);
  });
  const e1 = new Uint8Array(1);
  expect('toRaw out too short', 'RangeError', function () {
    N.toRaw([1, 2, 3], 3, 16, e1, 2147483648, new Int32Array(2));
  });
  expect('toRaw exps as Int32Array', 'TypeError', function () {
    N.toRaw([1, 2, 3], 3, 16, new Int32Array(1), 2147483648, new Int32Array(3));
  });
  expect('toRaw exps shorter than n', 'RangeError', function () {
    N.toRaw([1, 2, 3], 3, 16, new Uint8Array(2), 2147483648, new Int32Array(3));
  });
  expect('toRaw s 17', 'RangeError', function () {
    N.toRaw([1, 2, 3], 3, 17, e1, 2147483648, new Int32Array(3));
  });
  expect('toRaw lim 0', 'RangeError', function () {
    N.toRaw([1, 2, 3], 3, 16, e1, 0, new Int32Array(3));
  });
  expect('toRaw lim 2^31 + 1', 'RangeError', function () {
    N.toRaw([1, 2, 3], 3, 16, e1, 2147483649, new Int32Array(3));
  });
  checks++;
  if (N.toRaw([1, 'x', 3], 3, 16, e1, 2147483648, new Int32Array(3)) !== 1) fail('toRaw accepted a string');
  checks++;
  if (N.toRaw({ length: 2, 0: 0.5, 1: -2 } as unknown as number[], 2, 16, e1, 2147483648, new Int32Array(2)) !== -1) fail('toRaw rejected an array-like object');
  checks++;
  if (N.toQ([1, 'x', 3], 3, new Int32Array(3)) !== 1) fail('toQ accepted a string');
  checks++;
  if (N.toQ({ length: 2, 0: 0.5, 1: -2 } as unknown as number[], 2, new Int32Array(2)) !== -1) fail('toQ rejected an array-like object');
  expect('welford count 0', 'RangeError', function () {
    N.welford(new Int32Array(1), new Uint16Array(1), new Int32Array(1), new Uint32Array(1), new Int32Array(1), 0, a, 0, 1, 0);
  });
  expect('welford varF as Uint16Array', 'TypeError', function () {
    N.welford(new Int32Array(1), new Uint16Array(1), new Int32Array(1), new Uint16Array(1), new Int32Array(1), 0, a, 0, 1, 1);
  });
  expect('welford varR as Uint32Array', 'TypeError', function () {
    N.welford(new Int32Array(1), new Uint16Array(1), new Int32Array(1), new Uint32Array(1), new Uint32Array(1), 0, a, 0, 1, 1);
  });
  expect('matvec rows × cols past w', 'RangeError', function () {
    N.matvec(a, b, 0, null, new Int32Array(3), 3, 2);
  });
  expect('matvec bias undefined', 'TypeError', function () {
    N.matvec(a, b, 0, undefined, new Int32Array(2), 2, 2);
  });
  expect('matvec out too short', 'RangeError', function () {
    N.matvec(a, b, 0, null, new Int32Array(1), 2, 2);
  });
  expect('gerWide d too short', 'RangeError', function () {
    N.gerWide(a, f4, 2, 2, new Int32Array(1), b, 0, 65536);
  });
  expect('gerAdam m without mf', 'TypeError', function () {
    N.gerAdam(a, f4, a, null, new Int32Array(4), new Uint32Array(4), 1, 4, b, b, 0, 1048576, 0, 1, 58982, 65470);
  });
  expect('gerAdam a ≥ 2^21', 'RangeError', function () {
    N.gerAdam(a, f4, null, null, new Int32Array(4), new Uint32Array(4), 1, 4, b, b, 0, 2097152, 0, 1, 0, 65470);
  });
  expect('gerAdam k 63', 'RangeError', function () {
    N.gerAdam(a, f4, null, null, new Int32Array(4), new Uint32Array(4), 1, 4, b, b, 0, 1048576, 63, 1, 0, 65470);
  });
  expect('gerAdam beta2 65536', 'RangeError', function () {
    N.gerAdam(a, f4, null, null, new Int32Array(4), new Uint32Array(4), 1, 4, b, b, 0, 1048576, 0, 1, 0, 65536);
  });
  expect('gerAdam vF too short', 'RangeError', function () {
    N.gerAdam(a, f4, null, null, new Int32Array(4), new Uint32Array(3), 1, 4, b, b, 0, 1048576, 0, 1, 0, 65470);
  });
  expect('gerAdam vF as Int32Array', 'TypeError', function () {
    N.gerAdam(a, f4, null, null, new Int32Array(4), new Int32Array(4), 1, 4, b, b, 0, 1048576, 0, 1, 0, 65470);
  });
  {
    const buf = new ArrayBuffer(64);
    expect('gerAdam vI and vF overlap', 'RangeError', function () {
      N.gerAdam(a, f4, null, null, new Int32Array(buf, 0, 4), new Uint32Array(buf, 8, 4), 1, 4, b, b, 0, 1048576, 0, 1, 0, 65470);
    });
  }
  expect('sqdistMany huge rows', 'RangeError', function () {
    N.sqdistMany(a, 4294967295, 4294967295, b, 0, 0, new Int32Array(4));
  });
  {
    // w and f in one buffer, overlapping
    const buf = new ArrayBuffer(64);
    expect('Int32Array and Uint16Array overlap', 'RangeError', function () {
      N.axpyWide(new Int32Array(buf, 0, 4), new Uint16Array(buf, 8, 4), 0, b, 0, 4, 1, 0);
    });
    expectOk('Int32Array and Uint16Array side by side', function () {
      N.axpyWide(new Int32Array(buf, 0, 4), new Uint16Array(buf, 16, 4), 0, b, 0, 4, 1, 0);
    });
  }
  expectOk('n = 0 at the end', function () {
    N.dot(a, 4, b, 4, 0);
  });
  {
    // a view at a byte offset: bounds are its own, not its buffer's
    const buf = new ArrayBuffer(40);
    const v = new Int32Array(buf, 8, 4);
    v[0] = 1;
    v[3] = 7 * 65536;
    expect('subarray bounds', 'RangeError', function () {
      N.argmax(v, 0, 5);
    });
    checks++;
    if (N.argmax(v, 0, 4) !== 3 || N.dot(v, 3, b, 0, 1) !== 7 * 65536) fail('view at byte offset 8 read the wrong elements');
    const s = new Int32Array(buf).subarray(3, 7);
    checks++;
    if (N.dot(s, 0, b, 0, 4) !== kernelsTS.dot(s, 0, b, 0, 4)) fail('subarray dot differs');
  }
  // Resizable buffers: a length-tracking view that shrinks (if the engine has them).
  {
    let rb: ArrayBuffer | null = null;
    try {
      rb = new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(32, { maxByteLength: 64 });
    } catch (e) {
      rb = null;
    }
    const resize = rb && (rb as unknown as { resize?: (n: number) => void }).resize;
    if (rb && typeof resize === 'function') {
      const v = new Int32Array(rb);
      expectOk('length-tracking view', function () {
        N.scale(v, 0, 8, 65536);
      });
      resize.call(rb, 8);
      expect('shrunk length-tracking view', 'RangeError', function () {
        N.scale(v, 0, 3, 65536);
      });
      const fixed = new Int32Array(rb, 0, 2);
      resize.call(rb, 4);
      expect('view now out of bounds', 'RangeError', function () {
        N.scale(fixed, 0, 1, 65536);
      });
    }
  }
  // Detached buffers (if the engine can detach).
  {
    const buf = new ArrayBuffer(16);
    const transfer = (buf as unknown as { transfer?: () => ArrayBuffer }).transfer;
    if (typeof transfer === 'function') {
      const v = new Int32Array(buf);
      transfer.call(buf);
      expect('detached buffer', 'TypeError', function () {
        N.dot(v, 0, v, 0, 0);
      });
    }
  }

  print('native-check ' + (failures ? 'FAIL ' + failures : 'ok') + ': ' + calls + ' random calls, ' + checks + ' argument checks');
  return failures;
}
