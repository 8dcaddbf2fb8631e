/**
 * Script run by bench/vibration-cost.ts on the XS host (mlxs: TypeScript
 * kernels, mlxs-native: C kernels): the vibration monitor's raw-signal path
 * in phases, each between two calls to the host's meter(), so that a
 * callgrind run with --dump-before=mlxs_meter gives one instruction count
 * per phase. The signal is simulated before the first phase (its cost is
 * not measured). Prints one JSON line per phase: samples, windows, meter.
 */
import { MONITOR_RECIPE, signalMonitor } from '../algorithms/anomaly/recipe.js';
import { backend, signalBackend } from '../src/kernels.js';
import { Machine } from '../examples/vibration-monitor/sim.js';

declare const print: (s: string) => void;
declare const meter: () => number;

const RATE = 3200;
const BLOCK = 32; // an ADXL345 FIFO
const g = globalThis as unknown as { BENCH_WINDOWS?: number };
const WINDOWS = g.BENCH_WINDOWS || 24;

const machine = new Machine({ rate: RATE, seed: 1 });
const learnN = RATE * 12;
const n = 1024 * WINDOWS;
const learnSig = new Int32Array(learnN);
machine.fillQ(learnSig, learnN);
const sig = new Int32Array(n);
machine.fillQ(sig, n);

print(JSON.stringify({ backend: backend(), signal: signalBackend() }));

function run(name: string, recipe: typeof MONITOR_RECIPE): void {
  const m = signalMonitor(recipe, 1, RATE);
  let i = 0;
  while (i < learnN) i += m.feedQ(learnSig, i, Math.min(BLOCK, learnN - i), true);
  // monitoring, block by block as a sensor driver delivers them
  const m0 = meter();
  let windows = 0;
  for (let b = 0; b < n; b += BLOCK) {
    let j = b;
    while (j < b + BLOCK) {
      j += m.feedQ(sig, j, b + BLOCK - j, false);
      if (m.fresh) windows++;
    }
  }
  const m1 = meter();
  // the ring alone: the same blocks into the window, no features
  const w = m.window!;
  const m2 = meter();
  for (let b = 0; b < n; b += BLOCK) w.pushBlockQ(sig, b, BLOCK);
  const m3 = meter();
  // the features of one window, repeated
  const out = new Int32Array(w.nOutputs);
  const m4 = meter();
  for (let k = 0; k < WINDOWS; k++) w.featuresQ(out);
  const m5 = meter();
  print(JSON.stringify({ phase: name + '.monitor', samples: n, windows: windows, meter: m1 - m0 }));
  print(JSON.stringify({ phase: name + '.ring', samples: n, windows: 0, meter: m3 - m2 }));
  print(JSON.stringify({ phase: name + '.features', samples: 0, windows: WINDOWS, meter: m5 - m4 }));
}

run('monitor', MONITOR_RECIPE);
run('envelope', {
  signal: {
    windowSize: 1024, features: ['rms', 'kurtosis', 'crest', 'centroid'], nBands: 8,
    envelope: { band: [800, 1500], bands: [[104, 111], [157, 167], [137, 145]] },
    options: MONITOR_RECIPE.signal!.options, calibrateLast: 0.5, alarm: { k: 3, n: 5 },
  },
});
