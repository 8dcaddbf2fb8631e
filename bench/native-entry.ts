/**
 * Script run by bench/native.ts on the XS host (mlxs: TypeScript kernels,
 * mlxs-native: C kernels): a sequence of timed phases, each a loop of one
 * operation. Every phase starts and ends with a call to the host's meter(),
 * so a callgrind run with --dump-before=mlxs_meter yields one instruction
 * count per phase, and meter() itself gives XS's own work count.
 * Reads globalThis.BENCH_SCALE (iterations multiplier) set by a prelude file.
 * Prints one JSON line per phase. Also runs on Espruino (the prelude then
 * defines meter() as 0 and may hide the native `Microlearn` object).
 */
import { LogisticRegression } from '../algorithms/linear.js';
import * as K from '../src/kernels.js';
import { backend } from '../src/kernels.js';
import { Random } from '../src/random.js';

declare const print: (s: string) => void;
declare const meter: () => number;

const g = globalThis as unknown as { BENCH_SCALE?: number };
const SCALE = g.BENCH_SCALE || 1;
const ROWS = 64; // distinct samples cycled through

declare const E: { getAddressOf?: (v: unknown, flatOnly: boolean) => number } | undefined;

/** On Espruino: whether a typed array's bytes are one flat block (else the native binding takes its slow path). */
function flat(a: Int32Array): boolean | undefined {
  return typeof E !== 'undefined' && E && E.getAddressOf ? E.getAddressOf(a.buffer, true) !== 0 : undefined;
}

function phase(name: string, n: number, body: (i: number) => void): void {
  const iters = Math.max(1, Math.round(n * SCALE));
  const m0 = meter();
  const t0 = Date.now();
  for (let i = 0; i < iters; i++) body(i);
  const t1 = Date.now();
  const m1 = meter();
  print(JSON.stringify({ phase: name, n: iters, meter: m1 - m0, ms: t1 - t0 }));
}

function stream(nFeatures: number, seed: number): { xf: Float64Array[]; xq: Int32Array[]; y: number[] } {
  const r = new Random(seed);
  const xf: Float64Array[] = [];
  const xq: Int32Array[] = [];
  const y: number[] = [];
  for (let k = 0; k < ROWS; k++) {
    const f = new Float64Array(nFeatures);
    const q = new Int32Array(nFeatures);
    let s = 0;
    for (let j = 0; j < nFeatures; j++) {
      const v = (r.nextInt(2001) - 1000) / 500; // -2..2
      f[j] = v;
      q[j] = Math.floor(v * 65536 + 0.5);
      s += j % 2 ? v : -v;
    }
    xf.push(f);
    xq.push(q);
    y.push(s > 0 ? 1 : 0);
  }
  return { xf: xf, xq: xq, y: y };
}

function vec(r: Random, n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = (r.nextInt(262145) - 131072) * 4; // about ±8.0
  return a;
}

print(JSON.stringify({ backend: backend() }));

// The loop alone: subtracted from the kernel-call phases.
let sink = 0;
phase('empty', 2000, function (i) {
  sink += i & 1;
});

for (const nf of [8, 64]) {
  const s = stream(nf, 100 + nf);
  const m = new LogisticRegression({ nFeatures: nf, learningRate: 0.05 });
  phase('lr' + nf + '.learnOne', 200, function (i) {
    const k = i % ROWS;
    m.learnOne(s.xf[k], s.y[k]);
  });
  const mq = new LogisticRegression({ nFeatures: nf, learningRate: 0.05 });
  phase('lr' + nf + '.learnOneQ', 200, function (i) {
    const k = i % ROWS;
    mq.learnOneQ(s.xq[k], s.y[k]);
  });
}

const r = new Random(7);
for (const n of [8, 64]) {
  const a = vec(r, n);
  const b = vec(r, n);
  phase('dot' + n, 1000, function () {
    sink += K.dot.f(a, 0, b, 0, n);
  });
  phase('sqdist' + n, 1000, function () {
    sink += K.sqdist.f(a, 0, b, 0, n, 0);
  });
}

// k-NN's neighbour search: distances from x to every sample of a 100-sample window.
for (const n of [8, 64]) {
  const rows = 100;
  const data = vec(r, rows * n);
  const x = vec(r, n);
  const out = new Int32Array(rows);
  const f = flat(data);
  if (f !== undefined) print(JSON.stringify({ flat: 'sqdistMany100x' + n, data: f, x: flat(x), out: flat(out) }));
  phase('sqdistMany100x' + n, n === 8 ? 100 : 20, function () {
    K.sqdistMany.f(data, rows, n, x, 0, 4, out);
    sink += K.argmin.f(out, 0, rows);
  });
}

print(JSON.stringify({ sink: sink }));
