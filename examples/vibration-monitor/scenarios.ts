/**
 * Runs of the simulated machine for the demo, the tests and the benchmark.
 * A learning phase covers the loads the machine runs at, as the monitor's
 * documentation asks of a real installation (docs/vibration-monitor.md).
 */
import { Fault, Segment } from './sim.js';

/** Seconds of the learning phase in {@link DEMO} (and the default `--learn` of `--signal sim`). */
export const DEMO_LEARN = 120;

/**
 * `npm run vibration-monitor -- --signal sim`: 2 minutes of learning going
 * twice through a low and a high load, 5 minutes of normal running at
 * changing loads, then an outer-race fault growing over 5 minutes.
 */
export const DEMO: Segment[] = [
  { seconds: 30, load: 0.3 },
  { seconds: 30, load: 0.8 },
  { seconds: 30, load: 0.3 },
  { seconds: 30, load: 0.8 },
  { seconds: 60, load: 0.3 },
  { seconds: 60, load: 0.8 },
  { seconds: 60, load: 0.5 },
  { seconds: 60, load: 0.3 },
  { seconds: 60, load: 0.8 },
  { seconds: 100, load: 0.5, fault: 'outer', severity: 0.05 },
  { seconds: 100, fault: 'outer', severity: 0.1 },
  { seconds: 100, fault: 'outer', severity: 0.2 },
];

/** A short run for the cross-engine test: 40 s learning, 20 s normal, 20 s with an outer-race fault. */
export const SHORT: Segment[] = [
  { seconds: 10, load: 0.3 },
  { seconds: 10, load: 0.8 },
  { seconds: 10, load: 0.3 },
  { seconds: 10, load: 0.8 },
  { seconds: 20, load: 0.5 },
  { seconds: 20, load: 0.5, fault: 'outer', severity: 0.3 },
];

/** Seconds of learning in {@link SHORT}. */
export const SHORT_LEARN = 40;

/**
 * The learning phase of the benchmark: 10 minutes stepping through the loads
 * 0.2 … 0.9 and speeds ±3 % around nominal.
 */
export function learningPhase(rpm: number): Segment[] {
  const out: Segment[] = [];
  const loads = [0.2, 0.5, 0.9, 0.35, 0.7, 0.2, 0.9, 0.5, 0.35, 0.7];
  const speeds = [1, 0.97, 1.03, 1, 0.98, 1.02, 1, 0.97, 1.03, 1];
  for (let i = 0; i < 10; i++) out.push({ seconds: 60, load: loads[i], rpm: rpm * speeds[i] });
  return out;
}

/** Healthy running after learning: `minutes` of load and speed changes every 1–3 minutes, from a seeded sequence. */
export function healthyRunning(rpm: number, minutes: number, seed: number): Segment[] {
  const out: Segment[] = [];
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  let t = 0;
  while (t < minutes * 60) {
    const len = 60 + Math.floor(next() * 120);
    out.push({ seconds: len, load: 0.2 + 0.7 * next(), rpm: rpm * (0.97 + 0.06 * next()) });
    t += len;
  }
  return out;
}

/** A fault appearing after `before` seconds of healthy running, then lasting `after` seconds. */
export function faultRun(rpm: number, kind: Fault, severity: number, before: number, after: number): Segment[] {
  return [
    { seconds: before, load: 0.5, rpm: rpm },
    { seconds: after, fault: kind, severity: severity },
  ];
}
