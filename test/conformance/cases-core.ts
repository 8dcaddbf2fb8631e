/**
 * Conformance cases for the numeric core: every fixed-point function and
 * every kernel on seeded random inputs, including the saturating edges and
 * values large enough to take the split-product paths.
 */
import { Q_MAX, Q_MIN, add, div, exp, log, mul, sigmoid, sqrt, sub, tanh, toQ } from '../../src/fixed.js';
import { MicrolearnError } from '../../src/errors.js';
import * as K from '../../src/kernels.js';
import { step } from '../../src/kernels.js';
import { LogisticRegression } from '../../algorithms/linear.js';
import { Random } from '../../src/random.js';
import { Case, Hasher } from './harness.js';

/** A random int32 with a random magnitude (so small and huge values both appear). */
export function randQ(r: Random): number {
  const bits = r.nextInt(31); // magnitude < 2^31: a valid int32 either sign
  const v = r.nextU32() >>> (31 - bits);
  return r.nextU32() & 1 ? -v : v;
}

const EDGES = [0, 1, -1, 65536, -65536, Q_MAX, Q_MIN, Q_MAX - 1, Q_MIN + 1, 32768, -32768, 46341 * 65536, 181 * 65536];

function binary(name: string, f: (a: number, b: number) => number, n: number): Case {
  return {
    name: 'fixed.' + name,
    run(_m: Hasher, p: Hasher) {
      const r = new Random(101);
      for (let i = 0; i < EDGES.length; i++) for (let j = 0; j < EDGES.length; j++) p.int(f(EDGES[i], EDGES[j]));
      for (let i = 0; i < n; i++) p.int(f(randQ(r), randQ(r)));
    },
  };
}

function unary(name: string, f: (a: number) => number, n: number, lo: number, hi: number): Case {
  return {
    name: 'fixed.' + name,
    run(_m: Hasher, p: Hasher) {
      const r = new Random(202);
      for (let i = 0; i < EDGES.length; i++) p.int(f(EDGES[i]));
      for (let i = 0; i < n; i++) p.int(f(randQ(r)));
      for (let i = 0; i < n; i++) p.int(f(lo + r.nextInt(hi - lo)));
    },
  };
}

function vec(r: Random, n: number, big: boolean): Int32Array {
  const v = new Int32Array(n);
  for (let i = 0; i < n; i++) v[i] = big ? randQ(r) : (r.nextU32() | 0) >> 12;
  return v;
}

const kernelCase: Case = {
  name: 'kernels',
  run(_m: Hasher, p: Hasher) {
    const r = new Random(303);
    const sb = new Int32Array(2);
    for (let t = 0; t < 200; t++) {
      const big = t % 3 === 0;
      const n = 1 + r.nextInt(40);
      const rows = 1 + r.nextInt(6);
      const a = vec(r, n, big);
      const b = vec(r, n, big);
      p.int(K.dot.f(a, 0, b, 0, n));
      p.int(K.sqdist.f(a, 0, b, 0, n, t % 5));
      p.int(K.argmin.f(a, 0, n));
      p.int(K.argmax.f(a, 0, n));
      const y = vec(r, n, big);
      // alpha is a Q16.16 (int32); randQ reaches ±2^32, which no kernel accepts
      K.axpy.f(y, 0, a, 0, n, randQ(r) | 0);
      p.ints(y);
      K.scale.f(y, 0, n, randQ(r) | 0);
      p.ints(y);
      const w = vec(r, rows * n, big);
      const out = new Int32Array(rows);
      K.matvec.f(w, a, 0, t % 2 ? vec(r, rows, big) : null, out, rows, n);
      p.ints(out);
      const outT = new Int32Array(n);
      K.matTvec.f(w, out, outT, rows, n);
      p.ints(outT);
      K.sqdistMany.f(w, rows, n, b, 0, t % 7, out);
      p.ints(out);
      const f = new Uint16Array(rows * n);
      for (let i = 0; i < f.length; i++) f[i] = r.nextU32() & 0xffff;
      step(randQ(r), randQ(r), sb);
      p.ints(sb);
      K.axpyWide.f(w, f, 0, a, 0, n, sb[0], sb[1]);
      K.gerWide.f(w, f, rows, n, out, b, 0, randQ(r) >> 8);
      p.ints(w);
      p.ints(f);
      const cnt = 1 + r.nextInt(1000);
      const mean = vec(r, n, false);
      const varI = vec(r, n, false);
      for (let i = 0; i < n; i++) varI[i] = varI[i] < 0 ? -varI[i] : varI[i];
      const mf = new Uint16Array(n);
      const vf = new Uint32Array(n);
      for (let i = 0; i < n; i++) vf[i] = r.nextU32();
      const vr = new Int32Array(n);
      for (let i = 0; i < n; i++) vr[i] = r.nextInt(cnt) - Math.floor(cnt / 2);
      K.welford.f(mean, mf, varI, vf, vr, 0, big ? b : a, 0, n, cnt);
      p.ints(mean);
      p.ints(mf);
      p.ints(varI);
      p.ints(vf);
      p.ints(vr);
    }
  },
};

const toQCase: Case = {
  name: 'fixed.toQ',
  run(_m: Hasher, p: Hasher) {
    const r = new Random(404);
    const xs = [0, 0.5, -0.5, 1.5, -1.5, 2.5 / 65536, -2.5 / 65536, 32767.99999, -32768.5, 1e10, -1e10, 1e-9];
    for (let i = 0; i < xs.length; i++) p.int(toQ(xs[i]));
    for (let i = 0; i < 20000; i++) p.int(toQ((r.nextU32() / 4294967296 - 0.5) * 70000));
  },
};


/** Hashes a string's UTF-16 code units (and its length). */
function hashString(h: Hasher, s: string): void {
  h.int(s.length);
  for (let i = 0; i < s.length; i++) h.int(s.charCodeAt(i));
}

/**
 * Errors the library throws: the same type, code, name and message on every
 * engine, and a model left as it was. Run on XS with frozen built-ins too
 * (test/frozen.test.ts), where a MicrolearnError that assigned an inherited
 * Error.prototype property would throw a TypeError instead.
 */
const errorsCase: Case = {
  name: 'errors',
  run(m: Hasher, p: Hasher) {
    const model = new LogisticRegression({ nFeatures: 2 });
    model.learnOne([0.5, -0.25], 1);
    const before = model.toBytes();
    const bad: Array<() => void> = [
      () => model.learnOne([1], 0), // wrong length
      () => model.learnOne([1, NaN], 0), // not finite
      () => model.learnOne([1, 2], 7), // label out of range
      () => new LogisticRegression({ nFeatures: 0 }), // option out of range
    ];
    for (let i = 0; i < bad.length; i++) {
      let e: unknown = null;
      try {
        bad[i]();
      } catch (caught) {
        e = caught;
      }
      p.int(e instanceof MicrolearnError ? 1 : 0);
      p.int(e instanceof Error ? 1 : 0);
      const err = e as MicrolearnError;
      hashString(p, String(err.code));
      hashString(p, String(err.name));
      hashString(p, String(err.message));
    }
    const direct = new MicrolearnError('E_STATE', 'made here');
    p.int(direct instanceof MicrolearnError && direct instanceof Error ? 1 : 0);
    hashString(p, direct.name + '|' + direct.code + '|' + direct.message);
    const after = model.toBytes();
    let same = after.length === before.length;
    for (let i = 0; same && i < after.length; i++) same = after[i] === before[i];
    if (!same) throw new Error('a rejected input changed the model');
    m.bytes(after);
  },
};

export const coreCases: Case[] = [
  toQCase,
  binary('add', add, 20000),
  binary('sub', sub, 20000),
  binary('mul', mul, 20000),
  binary('div', div, 20000),
  unary('sqrt', sqrt, 10000, 0, 2147483647),
  unary('exp', exp, 10000, -20 * 65536, 11 * 65536),
  unary('log', log, 10000, 1, 2147483647),
  unary('sigmoid', sigmoid, 10000, -20 * 65536, 20 * 65536),
  unary('tanh', tanh, 10000, -20 * 65536, 20 * 65536),
  kernelCase,
  errorsCase,
];
