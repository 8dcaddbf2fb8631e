/**
 * A rotating machine for tests and benchmarks: the raw acceleration (in g) a
 * sensor on a bearing housing sees, one sample at a time.
 *
 *  - shaft rotation at fr = rpm/60 Hz: imbalance (1×, grows with load),
 *    misalignment (2× and 3×);
 *  - rolling-element bearing faults as impacts at their characteristic
 *    frequencies (outer race BPFO, inner race BPFI, ball 2×BSF; SKF 6205
 *    orders by default), each exciting a structural resonance (a decaying
 *    sinusoid), with 1 % random slip between impacts, and amplitude
 *    modulation: none for a stationary outer-race defect in the load zone,
 *    by shaft rotation for the inner race, by the cage (FTF) for a ball;
 *  - speed and load changes (first-order ramps), broadband machine noise
 *    that grows with load, and sensor noise and quantisation.
 *
 * Only IEEE basic arithmetic, Math.floor and the library PRNG are used (no
 * Math.sin/exp, which differ across engines), so every engine produces the
 * same samples bit for bit: the cross-engine tests rely on it.
 */
import { Random } from '../../src/random.js';
import { twiddles } from '../../src/window.js';

/** Bearing fault kinds the simulator knows. */
export type Fault = 'none' | 'outer' | 'inner' | 'ball';

/** Options of {@link Machine}. */
export interface MachineOptions {
  /** Sampling rate, Hz (default 3200, an ADXL345's fastest). */
  rate?: number;
  /** Shaft speed, rpm (default 1796, the CWRU rig at 0 HP). */
  rpm?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Load 0..1 (default 0.5). */
  load?: number;
  /** 1× amplitude at no load, g (default 0.05). */
  imbalance?: number;
  /** 2× amplitude, g (default 0.02; 3× is half of it). */
  misalignment?: number;
  /** Structural resonance the impacts excite, Hz (default 1200). */
  resonance?: number;
  /** Impact ring-down time constant, s (default 0.002). */
  ringDown?: number;
  /** Broadband machine noise, g RMS at load 1 (default 0.03). */
  machineNoise?: number;
  /** Sensor noise, g RMS (default 0.004). */
  sensorNoise?: number;
  /** Quantisation step, g (default 0.0039: an ADXL345 at full resolution); 0 for none. */
  lsb?: number;
  /** Bearing fault orders (multiples of shaft speed), default SKF 6205. */
  orders?: { bpfo: number; bpfi: number; bsf: number; ftf: number };
}

/** SKF 6205 (the CWRU drive-end bearing) characteristic orders. */
export const SKF6205 = { bpfo: 3.5848, bpfi: 5.4152, bsf: 2.357, ftf: 0.39828 };

const TABLE = 4096;
let SIN: Float64Array | null = null;

/** sin(2π·p) for p ≥ 0 from a 4096-entry table of the library's engine-independent twiddles (16-bit precise, linear in between). */
function sin2pi(p: number): number {
  if (SIN === null) {
    const c = new Int32Array(TABLE / 2);
    const s = new Int32Array(TABLE / 2);
    twiddles(TABLE, c, s);
    SIN = new Float64Array(TABLE + 1);
    for (let k = 0; k < TABLE / 2; k++) {
      SIN[k] = s[k] / 65536;
      SIN[k + TABLE / 2] = -s[k] / 65536;
    }
    SIN[TABLE] = 0;
  }
  const x = (p - Math.floor(p)) * TABLE;
  const i = Math.floor(x);
  const f = x - i;
  return SIN[i] + f * (SIN[i + 1] - SIN[i]);
}

/**
 * The simulated machine. `next()` returns one sample in g; `setSpeed`,
 * `setLoad` and `setFault` change the operating point (speed and load ramp
 * over about a second, as a real drive does).
 *
 * @example
 * const m = new Machine({ rate: 3200, seed: 7 });
 * m.setFault('outer', 0.5);  // impacts of 0.5 g at BPFO
 * for (let i = 0; i < 3200; i++) sensor(m.next());
 */
export class Machine {
  readonly rate: number;
  /** Seconds simulated so far. */
  time: number;
  private readonly rng: Random;
  private readonly o: Required<MachineOptions>;
  private rpm: number;
  private rpmTarget: number;
  private load: number;
  private loadTarget: number;
  private fault: Fault;
  private severity: number;
  private shaft: number;
  private cage: number;
  private impact: number;
  private res: number;
  private ring: number;
  private slip: number;
  private readonly decay: number;
  private readonly ramp: number;
  /** Extra imbalance and misalignment (g) on top of the machine's own. */
  private extra1: number;
  private extra2: number;

  constructor(opts?: MachineOptions) {
    const d = opts === undefined ? {} : opts;
    const o: Required<MachineOptions> = {
      rate: d.rate === undefined ? 3200 : d.rate,
      rpm: d.rpm === undefined ? 1796 : d.rpm,
      seed: d.seed === undefined ? 1 : d.seed,
      load: d.load === undefined ? 0.5 : d.load,
      imbalance: d.imbalance === undefined ? 0.05 : d.imbalance,
      misalignment: d.misalignment === undefined ? 0.02 : d.misalignment,
      resonance: d.resonance === undefined ? 1200 : d.resonance,
      ringDown: d.ringDown === undefined ? 0.002 : d.ringDown,
      machineNoise: d.machineNoise === undefined ? 0.03 : d.machineNoise,
      sensorNoise: d.sensorNoise === undefined ? 0.004 : d.sensorNoise,
      lsb: d.lsb === undefined ? 0.0039 : d.lsb,
      orders: d.orders === undefined ? SKF6205 : d.orders,
    };
    if (!(o.rate >= 100 && o.rate <= 1000000)) throw new Error('Machine: rate must be 100..1000000 Hz');
    if (!(o.resonance > 0 && o.resonance < o.rate / 2)) throw new Error('Machine: the resonance must be below rate/2');
    this.o = o;
    this.rate = o.rate;
    this.rng = new Random(o.seed);
    this.time = 0;
    this.rpm = this.rpmTarget = o.rpm;
    this.load = this.loadTarget = o.load;
    this.fault = 'none';
    this.severity = 0;
    this.shaft = 0;
    this.cage = 0;
    this.impact = 0;
    this.res = 0;
    this.ring = 0;
    this.slip = 1;
    // per-sample decay of the ring-down, 1 − dt/τ (first order: no Math.exp)
    this.decay = 1 - 1 / (o.ringDown * o.rate);
    this.ramp = 1 / o.rate; // speed and load approach their targets with a 1 s time constant
    this.extra1 = 0;
    this.extra2 = 0;
  }

  /** New target shaft speed (rpm). */
  setSpeed(rpm: number): void {
    this.rpmTarget = rpm;
  }

  /** New target load, 0..1. */
  setLoad(load: number): void {
    this.loadTarget = load;
  }

  /** A bearing fault of the given impact amplitude (g); 'none' removes it. */
  setFault(kind: Fault, severity: number): void {
    this.fault = kind;
    this.severity = kind === 'none' ? 0 : severity;
  }

  /** Additional imbalance (1×) and misalignment (2×) amplitudes, g. */
  setShaftFaults(imbalance: number, misalignment: number): void {
    this.extra1 = imbalance;
    this.extra2 = misalignment;
  }

  /** A sample of N(0, 1) (Irwin–Hall: four uniforms, scaled). */
  private gauss(): number {
    const r = this.rng;
    return ((r.nextU32() + r.nextU32() + r.nextU32() + r.nextU32()) / 4294967296 - 2) * 1.7320508075688772;
  }

  /** The next sample, g. */
  next(): number {
    const o = this.o;
    this.rpm += (this.rpmTarget - this.rpm) * this.ramp;
    this.load += (this.loadTarget - this.load) * this.ramp;
    const fr = this.rpm / 60;
    const dt = 1 / this.rate;
    this.shaft += fr * dt;
    if (this.shaft >= 1) this.shaft -= 1;
    this.cage += o.orders.ftf * fr * dt;
    if (this.cage >= 1) this.cage -= 1;
    const p = this.shaft;
    let x = (o.imbalance * (1 + this.load) + this.extra1) * sin2pi(p);
    const mis = o.misalignment + this.extra2;
    x += mis * sin2pi(2 * p + 0.1) + 0.5 * mis * sin2pi(3 * p + 0.3);
    // bearing impacts
    if (this.fault !== 'none') {
      const order = this.fault === 'outer' ? o.orders.bpfo : this.fault === 'inner' ? o.orders.bpfi : 2 * o.orders.bsf;
      this.impact += (order * fr * dt) / this.slip;
      if (this.impact >= 1) {
        this.impact -= 1;
        this.slip = 1 + 0.01 * (this.rng.nextU32() / 2147483648 - 1); // ±1 % slip
        let a = this.severity;
        if (this.fault === 'inner') a *= 0.5 * (1 + sin2pi(p + 0.25)); // passes through the load zone once per turn
        else if (this.fault === 'ball') a *= 0.5 * (1 + sin2pi(this.cage + 0.25));
        this.ring += a;
      }
    }
    this.res += o.resonance * dt;
    if (this.res >= 1) this.res -= 1;
    x += this.ring * sin2pi(this.res);
    this.ring *= this.decay;
    x += o.machineNoise * (0.3 + 0.7 * this.load) * this.gauss() + o.sensorNoise * this.gauss();
    this.time += dt;
    if (o.lsb > 0) x = Math.floor(x / o.lsb + 0.5) * o.lsb;
    return x;
  }

  /** Fills out[0 .. n) with the next n samples as Q16.16 (g · 65536, rounded): a sensor driver's block. */
  fillQ(out: Int32Array, n: number): void {
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * 65536 + 0.5);
  }
}

/** One segment of a {@link Scenario}. */
export interface Segment {
  /** Duration, s. */
  seconds: number;
  rpm?: number;
  load?: number;
  fault?: Fault;
  /** Impact amplitude of the fault, g. */
  severity?: number;
  /** Added imbalance (1×) amplitude, g. */
  imbalance?: number;
  /** Added misalignment (2×) amplitude, g. */
  misalignment?: number;
}

/**
 * A run of the machine through segments (speed, load, fault), for the
 * benchmark and the monitor's `--signal sim`.
 */
export class Scenario {
  readonly machine: Machine;
  readonly segments: ReadonlyArray<Segment>;
  /** Index of the current segment. */
  segment: number;
  private left: number;

  constructor(machine: Machine, segments: ReadonlyArray<Segment>) {
    this.machine = machine;
    this.segments = segments;
    this.segment = -1;
    this.left = 0;
  }

  /** Total duration, s. */
  duration(): number {
    let s = 0;
    for (let i = 0; i < this.segments.length; i++) s += this.segments[i].seconds;
    return s;
  }

  /** The next sample (g), or NaN when the scenario is over. */
  next(): number {
    while (this.left <= 0) {
      if (this.segment + 1 >= this.segments.length) return NaN;
      const s = this.segments[++this.segment];
      if (s.rpm !== undefined) this.machine.setSpeed(s.rpm);
      if (s.load !== undefined) this.machine.setLoad(s.load);
      if (s.fault !== undefined) this.machine.setFault(s.fault, s.severity === undefined ? 0 : s.severity);
      if (s.imbalance !== undefined || s.misalignment !== undefined) this.machine.setShaftFaults(s.imbalance === undefined ? 0 : s.imbalance, s.misalignment === undefined ? 0 : s.misalignment);
      this.left = Math.floor(s.seconds * this.machine.rate + 0.5);
    }
    this.left--;
    return this.machine.next();
  }

  /** Fills out with up to n samples (Q16.16); returns how many (0 at the end). */
  fillQ(out: Int32Array, n: number): number {
    for (let i = 0; i < n; i++) {
      const v = this.next();
      if (v !== v) return i;
      out[i] = Math.floor(v * 65536 + 0.5);
    }
    return n;
  }
}
