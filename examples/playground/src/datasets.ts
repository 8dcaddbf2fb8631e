/**
 * The playground's sample streams: every one is a pure function of (dataset,
 * seed, noise, anomalies), so the page and Node produce the same samples bit
 * for bit. Only + − × ÷, floor and the library's xorshift `Random` are used:
 * no Math.sin/exp/log, whose last bits may differ between engines.
 */
import { Random } from 'microlearn';

/** What a data set is for: a 2-D plane of classes, a 1-D curve to fit, or the room sensor series. */
export type DatasetKind = 'plane' | 'curve' | 'room';

export interface DatasetInfo {
  name: string;
  label: string;
  kind: DatasetKind;
  /** Features per sample. */
  nFeatures: number;
  /** Classes (0 for a regression curve). */
  nClasses: number;
  /** True when the distribution changes over time. */
  drifts: boolean;
  /** The drawn window: [xMin, xMax, yMin, yMax] (plane: both features; curve: x and y). */
  view: [number, number, number, number];
  /** Feature names, for the parameter table and the room chart. */
  features: string[];
  /** One sentence shown under the data set selector. */
  about: string;
}

export const DATASETS: DatasetInfo[] = [
  { name: 'blobs', label: 'Blobs (3 classes)', kind: 'plane', nFeatures: 2, nClasses: 3, drifts: false, view: [-1, 1, -1, 1], features: ['x', 'y'], about: 'Three round clouds; the noise slider widens them until they overlap.' },
  { name: 'xor', label: 'XOR', kind: 'plane', nFeatures: 2, nClasses: 2, drifts: false, view: [-1, 1, -1, 1], features: ['x', 'y'], about: 'Opposite quadrants share a class: no straight line separates them.' },
  { name: 'circles', label: 'Circles', kind: 'plane', nFeatures: 2, nClasses: 2, drifts: false, view: [-1, 1, -1, 1], features: ['x', 'y'], about: 'A disc inside a ring.' },
  { name: 'moons', label: 'Moons', kind: 'plane', nFeatures: 2, nClasses: 2, drifts: false, view: [-1, 1, -1, 1], features: ['x', 'y'], about: 'Two interleaved half-moons.' },
  { name: 'spiral', label: 'Spiral', kind: 'plane', nFeatures: 2, nClasses: 2, drifts: false, view: [-1, 1, -1, 1], features: ['x', 'y'], about: 'Two arms winding around each other: hard for every learner here.' },
  { name: 'rotating', label: 'Drift: rotating boundary', kind: 'plane', nFeatures: 2, nClasses: 2, drifts: true, view: [-1, 1, -1, 1], features: ['x', 'y'], about: 'The class boundary turns once every 2000 samples: old samples become wrong.' },
  { name: 'moving', label: 'Drift: moving cluster', kind: 'plane', nFeatures: 2, nClasses: 2, drifts: true, view: [-1, 1, -1, 1], features: ['x', 'y'], about: 'One class stays put, the other circles around it once every 2000 samples.' },
  { name: 'sine', label: 'Sine (hello world)', kind: 'curve', nFeatures: 1, nClasses: 0, drifts: false, view: [0, 6.3, -1.6, 1.6], features: ['x'], about: 'y = sin(x) for x in [0, 2π]: the "hello world" of TinyML.' },
  { name: 'line', label: 'Line', kind: 'curve', nFeatures: 1, nClasses: 0, drifts: false, view: [-1, 1, -1.6, 1.6], features: ['x'], about: 'y = 0.8·x − 0.3 plus noise.' },
  { name: 'room', label: 'Room sensor → occupancy', kind: 'room', nFeatures: 3, nClasses: 2, drifts: false, view: [0, 1, 0, 1], features: ['temperature °C', 'light lux', 'motion'], about: 'One reading a minute: temperature, light and a motion sensor; is someone in the room?' },
];

export function datasetInfo(name: string): DatasetInfo {
  for (const d of DATASETS) if (d.name === name) return d;
  throw new Error('unknown data set ' + name);
}

/** One sample of a stream. */
export interface Sample {
  x: number[];
  /** Class label, or the regression target. */
  y: number;
  /** 1 for an injected anomaly (only in a stream made with `anomalies`). */
  anomaly: number;
  /** Index in the stream. */
  t: number;
}

export interface StreamOptions {
  seed: number;
  /** 0..1 */
  noise: number;
  /** Inject about 3 % anomalies (for the detectors and their detection score). */
  anomalies?: boolean;
}

/** Samples in one turn of the drifting streams. */
export const DRIFT_PERIOD = 2000;
/** Share of injected anomalies. */
export const ANOMALY_RATE = 0.03;

const TWO_PI = 6.283185307179586;
const PI = 3.141592653589793;
const HALF_PI = 1.5707963267948966;

/** sin(x) from a polynomial (|error| < 1e-9): identical bits on every engine. */
export function sinD(x: number): number {
  let r = x - Math.floor(x / TWO_PI + 0.5) * TWO_PI; // [-π, π]
  if (r > HALF_PI) r = PI - r;
  else if (r < -HALF_PI) r = -PI - r;
  const r2 = r * r;
  // Taylor series to r^17 on [-π/2, π/2]
  return r * (1 + r2 * (-1 / 6 + r2 * (1 / 120 + r2 * (-1 / 5040 + r2 * (1 / 362880 + r2 * (-1 / 39916800 + r2 * (1 / 6227020800 + r2 * (-1 / 1307674368000 + r2 / 355687428096000))))))));
}

export function cosD(x: number): number {
  return sinD(x + HALF_PI);
}

/** The stream's random numbers: the library's xorshift32, as doubles. */
class Rng {
  private readonly r: Random;
  constructor(seed: number) {
    this.r = new Random(seed);
  }
  /** Uniform in [0, 1). */
  u(): number {
    return this.r.nextU32() / 4294967296;
  }
  /** Uniform in [a, b). */
  range(a: number, b: number): number {
    return a + (b - a) * this.u();
  }
  /** About N(0, 1): a sum of four uniforms (Irwin–Hall), scaled to unit variance. */
  gauss(): number {
    return (this.u() + this.u() + this.u() + this.u() - 2) * 1.7320508075688772;
  }
  int(n: number): number {
    return this.r.nextInt(n);
  }
}

/** An endless, reproducible stream of samples. */
export class Stream {
  readonly info: DatasetInfo;
  readonly noise: number;
  readonly anomalies: boolean;
  t = 0;
  private readonly rng: Rng;
  private readonly room: RoomSim | null;

  constructor(name: string, o: StreamOptions) {
    this.info = datasetInfo(name);
    if (!(o.noise >= 0 && o.noise <= 1)) throw new Error('noise must be in 0..1');
    this.noise = o.noise;
    this.anomalies = !!o.anomalies;
    this.rng = new Rng(o.seed);
    this.room = this.info.kind === 'room' ? new RoomSim(this.rng, o.noise) : null;
  }

  next(): Sample {
    const t = this.t++;
    const s = this.room ? this.room.next(t) : this.info.kind === 'curve' ? this.curve() : this.plane(t);
    s.t = t;
    if (this.anomalies && this.rng.u() < ANOMALY_RATE) this.corrupt(s);
    return s;
  }

  /** Replaces a sample with an anomaly: anywhere on the plane, or a sensor fault in the room. */
  private corrupt(s: Sample): void {
    const g = this.rng;
    s.anomaly = 1;
    if (this.info.kind === 'room') {
      const k = g.int(3);
      if (k === 0) s.x[0] += (g.u() < 0.5 ? -1 : 1) * g.range(6, 12);
      else if (k === 1) s.x[1] = g.range(1500, 3000);
      else s.x[0] = g.range(35, 45);
    } else if (this.info.kind === 'plane') {
      s.x[0] = g.range(-1, 1);
      s.x[1] = g.range(-1, 1);
    } else {
      s.y += (g.u() < 0.5 ? -1 : 1) * g.range(0.8, 1.5);
    }
  }

  private curve(): Sample {
    const g = this.rng;
    const n = this.noise;
    if (this.info.name === 'sine') {
      const x = g.range(0, TWO_PI);
      return { x: [x], y: sinD(x) + 0.3 * n * g.gauss(), anomaly: 0, t: 0 };
    }
    const x = g.range(-1, 1);
    return { x: [x], y: 0.8 * x - 0.3 + 0.3 * n * g.gauss(), anomaly: 0, t: 0 };
  }

  private plane(t: number): Sample {
    const g = this.rng;
    const n = this.noise;
    let x = 0;
    let y = 0;
    let c = 0;
    let jitter = 0;
    switch (this.info.name) {
      case 'blobs': {
        c = g.int(3);
        const sd = 0.08 + 0.3 * n;
        x = (c === 0 ? -0.5 : c === 1 ? 0.5 : 0) + sd * g.gauss();
        y = (c === 2 ? 0.5 : -0.35) + sd * g.gauss();
        break;
      }
      case 'xor':
        x = g.range(-1, 1);
        y = g.range(-1, 1);
        c = x * y >= 0 ? 0 : 1;
        jitter = 0.25 * n;
        break;
      case 'circles': {
        c = g.int(2);
        const r = c === 0 ? g.range(0, 0.4) : g.range(0.6, 0.95);
        const a = g.range(0, TWO_PI);
        x = r * cosD(a);
        y = r * sinD(a);
        jitter = 0.2 * n;
        break;
      }
      case 'moons': {
        // scikit-learn's make_moons, scaled into the square
        c = g.int(2);
        const a = g.range(0, PI);
        const mx = c === 0 ? cosD(a) : 1 - cosD(a);
        const my = c === 0 ? sinD(a) : 0.5 - sinD(a);
        x = (mx - 0.5) / 1.6;
        y = (my - 0.25) / 1.6;
        jitter = 0.2 * n;
        break;
      }
      case 'spiral': {
        c = g.int(2);
        const u = g.u();
        const r = 0.05 + 0.85 * u;
        const a = 1.75 * TWO_PI * u + c * PI;
        x = r * cosD(a);
        y = r * sinD(a);
        jitter = 0.12 * n;
        break;
      }
      case 'rotating': {
        const a = (TWO_PI * t) / DRIFT_PERIOD;
        x = g.range(-1, 1);
        y = g.range(-1, 1);
        c = -sinD(a) * x + cosD(a) * y >= 0 ? 1 : 0;
        if (g.u() < 0.3 * n) c = 1 - c; // label noise
        break;
      }
      case 'moving': {
        c = g.int(2);
        const sd = 0.1 + 0.25 * n;
        if (c === 0) {
          x = -0.45 + sd * g.gauss();
          y = -0.45 + sd * g.gauss();
        } else {
          const a = (TWO_PI * t) / DRIFT_PERIOD;
          x = 0.1 + 0.6 * cosD(a) + sd * g.gauss();
          y = 0.1 + 0.6 * sinD(a) + sd * g.gauss();
        }
        break;
      }
      default:
        throw new Error('not a plane data set: ' + this.info.name);
    }
    if (jitter > 0) {
      x += jitter * g.gauss();
      y += jitter * g.gauss();
    }
    return { x: [x, y], y: c, anomaly: 0, t: 0 };
  }
}

/**
 * A simulated office, one reading a minute: someone arrives around 8:00 and
 * leaves around 17:00 (with a lunch break and short absences); the heating
 * and the lamp follow, daylight comes through the window, and a PIR motion
 * sensor fires now and then while someone is there (rarely when not).
 */
class RoomSim {
  private readonly g: Rng;
  private readonly noise: number;
  private day = -1;
  private arrive = 0;
  private lunch = 0;
  private leave = 0;
  private away = 0;
  private temp = 19;

  constructor(g: Rng, noise: number) {
    this.g = g;
    this.noise = noise;
  }

  next(t: number): Sample {
    const g = this.g;
    const minute = t % 1440;
    const day = (t - minute) / 1440;
    if (day !== this.day) {
      this.day = day;
      const weekend = day % 7 >= 5;
      this.arrive = weekend ? 2000 : 420 + g.int(120); // 7:00–9:00 (never at weekends)
      this.lunch = 720 + g.int(60);
      this.leave = 960 + g.int(120);
    }
    let occupied = minute >= this.arrive && minute < this.leave && !(minute >= this.lunch && minute < this.lunch + 40);
    if (occupied && this.away === 0 && g.u() < 0.01) this.away = 5 + g.int(20);
    if (this.away > 0) {
      this.away--;
      occupied = false;
    }
    // daylight 6:00–20:00, up to 300 lux through the window
    const sun = minute > 360 && minute < 1200 ? sinD((PI * (minute - 360)) / 840) : 0;
    const target = 18.5 + 1.5 * sun + (occupied ? 2.5 : 0);
    this.temp += (target - this.temp) / 30;
    const n = this.noise;
    const temperature = this.temp + (0.1 + 0.5 * n) * g.gauss();
    // the lamp goes on only when it is dark enough: at noon light says little about occupancy
    let light = 300 * sun + (occupied && sun < 0.5 ? 350 : 0) + (5 + 40 * n) * g.gauss();
    if (light < 0) light = 0;
    const motion = g.u() < (occupied ? 0.5 : 0.01 + 0.1 * n) ? 1 : 0;
    return { x: [temperature, light, motion], y: occupied ? 1 : 0, anomaly: 0, t: 0 };
  }
}
