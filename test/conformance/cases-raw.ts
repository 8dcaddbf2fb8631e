/**
 * Conformance cases of raw sensor ranges (docs/fixed-point.md, "Raw
 * ranges"): statistics learners fed readings in their own units, up to
 * ±1e6, whose input exponents grow while they learn; predictions beyond the
 * learned range (wide z-scores, maximal detector scores, E_RANGE); the
 * Q16.16 paths mixed in. Every engine must print the same hashes.
 */
import { MicrolearnError } from '../../src/errors.js';
import { Pipeline } from '../../src/pipeline.js';
import { MinMaxScaler, StandardScaler } from '../../src/preprocessing.js';
import { LogisticRegression } from '../../algorithms/linear.js';
import { GaussianNB } from '../../algorithms/naive_bayes.js';
import { KMeans } from '../../algorithms/kmeans.js';
import { KNNClassifier, KNNRegressor } from '../../algorithms/knn.js';
import { GaussianScorer } from '../../algorithms/anomaly/gaussian_scorer.js';
import { KMeansDetector } from '../../algorithms/anomaly/kmeans_detector.js';
import { Case, Hasher, Stream } from './harness.js';
import { hashModel } from './cases-learners.js';

/** Number of features of {@link RawRoom}. */
export const RAW_ROOM_FEATURES = 6;

/**
 * An occupancy-style room in raw units: temperature °C, humidity %, CO2 ppm,
 * light lux (0–100,000: a sunlit studio whose lamps add daylight-level
 * light when occupied), air pressure Pa (≈ 101,325, uninformative drift) and
 * particles per litre (up to ~1e6). Library PRNG and basic IEEE arithmetic
 * only, so every engine sees the same stream. `next(x)` fills x and returns
 * 1 when the room is occupied.
 */
export class RawRoom {
  private readonly s: Stream;
  private minute = 0;
  private co2 = 450;
  private temp = 20.5;
  private pa = 101325;

  constructor(seed: number) {
    this.s = new Stream(seed);
  }

  /** Sum of 4 uniforms − 2, times `scale` (range ±2·scale). */
  private noise(scale: number): number {
    let t = 0;
    for (let i = 0; i < 4; i++) t += this.s.uniform();
    return (t - 2) * scale;
  }

  next(x: Float64Array): number {
    const rng = this.s.rng;
    this.minute += 10;
    const day = Math.floor(this.minute / 1440) % 7;
    const hour = (this.minute % 1440) / 60;
    const busy = day < 5 && hour >= 8 && hour < 18;
    const occ = busy ? (rng.nextInt(10) < 8 ? 1 : 0) : rng.nextInt(50) === 0 ? 1 : 0;
    this.co2 += ((occ ? 600 : 450) - this.co2) * 0.3 + this.noise(80);
    this.temp += ((occ ? 21 : 20.5) - this.temp) * 0.2 + this.noise(0.5);
    this.pa += (101325 - this.pa) * 0.01 + this.noise(60);
    x[0] = this.temp;
    x[1] = 45 + occ + this.noise(8);
    x[2] = this.co2;
    x[3] = Math.max(0, (occ ? 70000 : 40000) + this.noise(10000));
    x[4] = this.pa;
    x[5] = Math.max(0, (occ ? 300000 : 250000) + this.noise(200000));
    return occ;
  }
}

/** Runs f and hashes its result, or the error code of the MicrolearnError it throws (as a negative marker). */
function guarded(h: Hasher, f: () => number): void {
  try {
    h.real(f());
  } catch (e) {
    if (!(e instanceof MicrolearnError)) throw e;
    h.int(-1);
    for (let i = 0; i < e.code.length; i++) h.int(e.code.charCodeAt(i));
  }
}

const GROWTH = [1, 10, 100, 1000, 10000];

interface RawModel {
  learnOne(x: ArrayLike<number>, y?: number): void;
  predictOne(x: ArrayLike<number>): number;
  toBytes(): Uint8Array;
  /** The model a wrapper drives (its round trip is checked through its own class). */
  model?: { toBytes(): Uint8Array };
}

/**
 * Learns the raw room, a Q16.16 sample now and then, and a feature that
 * grows tenfold every 300 samples (its exponent grows while the others stay);
 * then predicts the room, inputs far beyond the learned range, and a huge one.
 */
function rawCase(name: string, make: () => RawModel, supervised: boolean, extra?: (m: RawModel, ph: Hasher) => void): Case {
  return {
    name: 'raw.' + name,
    run(mh: Hasher, ph: Hasher) {
      const m = make();
      const room = new RawRoom(77);
      const x = new Float64Array(RAW_ROOM_FEATURES);
      const q = new Int32Array(RAW_ROOM_FEATURES);
      const mq = m as unknown as { learnOneQ(x: Int32Array, y?: number): void };
      for (let i = 0; i < 1500; i++) {
        const y = room.next(x);
        x[1] *= GROWTH[Math.floor(i / 300)]; // humidity·10^k: its exponent grows mid-stream, the others stay
        if (i % 50 === 7) {
          // the Q16.16 path: the same reading divided by 64 (it fits ±32768)
          for (let j = 0; j < RAW_ROOM_FEATURES; j++) q[j] = Math.floor(x[j] * 1024);
          mq.learnOneQ(q, supervised ? y : undefined);
        } else if (supervised) m.learnOne(x, y);
        else m.learnOne(x);
      }
      for (let i = 0; i < 100; i++) {
        room.next(x);
        guarded(ph, () => m.predictOne(x));
      }
      // far beyond the learned range: 40× the lux, 1e9 particles, negative pressure, 2^40
      const far = [[21, 45, 500, 4000000, 101325, 200000], [21, 45, 500, 50000, 101325, 1e9], [21, 45, 500, 50000, -3e6, 200000], [1099511627776, 45, 500, 50000, 101325, 2e5]];
      for (let i = 0; i < far.length; i++) guarded(ph, () => m.predictOne(far[i]));
      if (extra) extra(m, ph);
      hashModel(m.model || m, mh);
    },
  };
}

function exponents(m: RawModel, ph: Hasher): void {
  const e = (m as unknown as { inputExponents?(): Uint8Array; inputExponent?(): number });
  if (e.inputExponents) ph.ints(e.inputExponents());
  else if (e.inputExponent) ph.int(e.inputExponent());
}

/** A transformer as a RawModel: predictOne hashes the whole transformed vector into one number. */
function asModel(t: StandardScaler | MinMaxScaler): RawModel {
  const m = {
    model: t,
    learnOne: function (x: ArrayLike<number>) {
      t.learnOne(x);
    },
    learnOneQ: function (q: Int32Array) {
      t.learnOneQ(q);
    },
    predictOne: function (x: ArrayLike<number>) {
      const v = t.transformOne(x);
      let s = 0;
      for (let i = 0; i < v.length; i++) s = (s * 31 + v[i] * 65536) % 4294967296;
      return s;
    },
    inputExponents: function () {
      return t.inputExponents();
    },
    toBytes: function () {
      return t.toBytes();
    },
  };
  return m;
}

/** A detector as a RawModel: predictOne is scoreOne. */
function asDetector(d: GaussianScorer | KMeansDetector | Pipeline): RawModel {
  const m = {
    model: d,
    learnOne: function (x: ArrayLike<number>) {
      d.learnOne(x);
    },
    learnOneQ: function (q: Int32Array) {
      d.learnOneQ(q);
    },
    predictOne: function (x: ArrayLike<number>) {
      return d.scoreOne(x);
    },
    threshold: function () {
      return d.threshold();
    },
    isAnomaly: function (x: ArrayLike<number>) {
      return d.isAnomaly(x);
    },
    similarity: function (x: ArrayLike<number>) {
      return d.similarity(x);
    },
    inputExponents: function () {
      return d instanceof Pipeline ? new Uint8Array(0) : d instanceof GaussianScorer ? d.inputExponents() : new Uint8Array([d.inputExponent()]);
    },
    toBytes: function () {
      return d.toBytes();
    },
  };
  return m;
}

function scores(m: RawModel, ph: Hasher): void {
  const d = m as unknown as { threshold(): number; isAnomaly(x: ArrayLike<number>): boolean; similarity(x: ArrayLike<number>): number };
  guarded(ph, () => d.threshold());
  const far = [21, 45, 500, 4000000, 101325, 200000];
  guarded(ph, () => (d.isAnomaly(far) ? 1 : 0));
  guarded(ph, () => d.similarity(far));
  exponents(m, ph);
}

export const rawCases: Case[] = [
  rawCase('StandardScaler', () => asModel(new StandardScaler({ nFeatures: RAW_ROOM_FEATURES })), false, exponents),
  rawCase('MinMaxScaler', () => asModel(new MinMaxScaler({ nFeatures: RAW_ROOM_FEATURES })), false, exponents),
  rawCase('Pipeline.StandardScaler.LogisticRegression', () => new Pipeline([new StandardScaler({ nFeatures: RAW_ROOM_FEATURES }), new LogisticRegression({ nFeatures: RAW_ROOM_FEATURES, learningRate: 0.05 })]), true),
  rawCase('GaussianNB', () => new GaussianNB({ nFeatures: RAW_ROOM_FEATURES, nClasses: 2 }), true, exponents),
  rawCase('KNNClassifier', () => new KNNClassifier({ nFeatures: RAW_ROOM_FEATURES, nClasses: 2, k: 5, windowSize: 200 }), true, exponents),
  rawCase('KNNRegressor', () => new KNNRegressor({ nFeatures: RAW_ROOM_FEATURES, k: 3, windowSize: 100, policy: 'reservoir', seed: 9 }), true, exponents),
  rawCase('KMeans', () => new KMeans({ nFeatures: RAW_ROOM_FEATURES, k: 4 }), false, exponents),
  rawCase('GaussianScorer', () => asDetector(new GaussianScorer({ nFeatures: RAW_ROOM_FEATURES, minStd: 0.01 })), false, scores),
  rawCase('KMeansDetector', () => asDetector(new KMeansDetector({ nFeatures: RAW_ROOM_FEATURES, k: 4, quantile: 0.99 })), false, scores),
  rawCase('Pipeline.StandardScaler.GaussianScorer', () => asDetector(new Pipeline([new StandardScaler({ nFeatures: RAW_ROOM_FEATURES }), new GaussianScorer({ nFeatures: RAW_ROOM_FEATURES })])), false, scores),
];
