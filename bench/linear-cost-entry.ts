/**
 * Cost of one learnOne for the linear learners at 8 features, measured inside
 * whatever engine runs this bundle: XS metering units (if the host has
 * `meter()`) and wall time. Prints `cost <name> <meter/sample> <ns/sample>`.
 */
import { LinearRegression, LogisticRegression } from '../algorithms/linear.js';
import { Random } from '../src/random.js';

declare const print: (s: string) => void;
declare const meter: (() => number) | undefined;
/** Set by the Node runner: a JIT needs far more iterations to warm up and to be timed with ms clocks. */
declare const benchSamples: number | undefined;

const N = 8;
const SAMPLES = typeof benchSamples === 'number' ? benchSamples : 4000;
const WARMUP = SAMPLES / 10;

function run(name: string, m: { learnOneQ(x: Int32Array, y: number): void }, label: (i: number) => number): void {
  const r = new Random(7);
  const xs = new Int32Array(N * 64);
  for (let i = 0; i < xs.length; i++) xs[i] = (r.nextU32() | 0) >> 14;
  const x = new Int32Array(N);
  const hasMeter = typeof meter === 'function';
  // Warm-up, then measure the same loop: copying a row is part of both, and small against learnOne.
  for (let i = 0; i < WARMUP; i++) {
    x.set(xs.subarray((i & 63) * N, (i & 63) * N + N));
    m.learnOneQ(x, label(i));
  }
  const m0 = hasMeter ? (meter as () => number)() : 0;
  const t0 = Date.now();
  for (let i = 0; i < SAMPLES; i++) {
    const o = (i & 63) * N;
    for (let j = 0; j < N; j++) x[j] = xs[o + j];
    m.learnOneQ(x, label(i));
  }
  const t1 = Date.now();
  const m1 = hasMeter ? (meter as () => number)() : 0;
  print('cost ' + name + ' ' + (m1 - m0) / SAMPLES + ' ' + ((t1 - t0) * 1e6) / SAMPLES);
}

run('LinearRegression', new LinearRegression({ nFeatures: N, learningRate: 0.01 }), (i) => ((i * 7919) % 1000) * 65);
run('LogisticRegression', new LogisticRegression({ nFeatures: N, learningRate: 0.01 }), (i) => i & 1);
