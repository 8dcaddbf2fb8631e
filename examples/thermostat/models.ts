/**
 * The two learners of the thermostat that are microlearn models:
 *
 * - {@link Thermal}: the house's thermal response, a LinearRegression of the
 *   indoor temperature's rate of change (K/h over 15 minutes) on the
 *   heater's duty and the outdoor-indoor difference. With the heater on it
 *   predicts the heating rate, with it off the cooling rate: how early to
 *   start heating so the room is warm on time, and when to stop.
 * - {@link Lighting}: when the occupants want the light on, a
 *   StandardScaler → LogisticRegression pipeline on daylight, time of day and
 *   time since motion, trained by their switch presses.
 *
 * Features are built in preallocated arrays; nothing allocates per minute.
 */
import { LinearRegression, LogisticRegression } from '../../algorithms/linear.js';
import { Pipeline } from '../../src/pipeline.js';
import { StandardScaler } from '../../src/preprocessing.js';

/** sin(2π i / 48), i = half hour of the day; cos is the same table shifted by 12. */
const SIN48 = [
  0, 0.1305, 0.2588, 0.3827, 0.5, 0.6088, 0.7071, 0.7934, 0.866, 0.9239, 0.9659, 0.9914, 1, 0.9914, 0.9659, 0.9239, 0.866, 0.7934, 0.7071, 0.6088,
  0.5, 0.3827, 0.2588, 0.1305, 0, -0.1305, -0.2588, -0.3827, -0.5, -0.6088, -0.7071, -0.7934, -0.866, -0.9239, -0.9659, -0.9914, -1, -0.9914,
  -0.9659, -0.9239, -0.866, -0.7934, -0.7071, -0.6088, -0.5, -0.3827, -0.2588, -0.1305,
];

/** Writes the four time-of-day features (one and two cycles a day) at `x[o..o+3]`. */
export function timeOfDay(minuteOfDay: number, x: Float64Array, o: number): void {
  const i = Math.floor(minuteOfDay / 30) % 48;
  x[o] = SIN48[i];
  x[o + 1] = SIN48[(i + 12) % 48];
  x[o + 2] = SIN48[(2 * i) % 48];
  x[o + 3] = SIN48[(2 * i + 12) % 48];
}

const WINDOW = 15; // minutes per thermal sample
/** Until this many samples, the prior below is used (a day of data). */
const WARMUP = 96;
const PRIOR_HEAT = 2.5; // K/h with the heater on, at no difference to outdoors (1.3 K/h at 20 °C in, 0 °C out)
const PRIOR_LOSS = 0.06; // K/h per K of indoor-outdoor difference

export class Thermal {
  readonly model: LinearRegression;
  /** Samples learned (also restored from the model's own step count). */
  samples = 0;
  private startT = NaN;
  private startMinute = 0;
  private onMinutes = 0;
  private outSum = 0;
  private inSum = 0;
  private n = 0;
  private readonly x = new Float64Array(2);

  constructor(model?: LinearRegression) {
    this.model = model || new LinearRegression({ nFeatures: 2, learningRate: 0.05 });
    this.samples = model ? WARMUP : 0;
  }

  /** One minute of measurements: indoor and outdoor °C, and whether the heater ran. */
  observe(minute: number, indoor: number, outdoor: number, heater: boolean): boolean {
    if (this.startT !== this.startT) {
      this.startT = indoor;
      this.startMinute = minute;
      return false;
    }
    this.n++;
    if (heater) this.onMinutes++;
    this.outSum += outdoor;
    this.inSum += indoor;
    if (minute - this.startMinute < WINDOW) return false;
    const hours = (minute - this.startMinute) / 60;
    const x = this.x;
    x[0] = this.onMinutes / this.n;
    x[1] = (this.outSum - this.inSum) / this.n / 10;
    this.model.learnOne(x, (indoor - this.startT) / hours);
    this.samples++;
    this.startT = indoor;
    this.startMinute = minute;
    this.onMinutes = 0;
    this.outSum = 0;
    this.inSum = 0;
    this.n = 0;
    return true;
  }

  /** Rate of change (K/h) at `indoor`/`outdoor` with the heater on (true) or off. */
  rate(heater: boolean, indoor: number, outdoor: number): number {
    const d = outdoor - indoor;
    const prior = (heater ? PRIOR_HEAT : 0) + PRIOR_LOSS * d;
    if (this.samples < WARMUP) return prior;
    const x = this.x;
    x[0] = heater ? 1 : 0;
    x[1] = d / 10;
    return this.model.predictOne(x);
  }

  /** Minutes to go from `from` to `to` °C with the heater on (Infinity if it cannot). */
  minutesToHeat(from: number, to: number, outdoor: number): number {
    if (to <= from) return 0;
    // the rate falls as the room warms: use it at the midpoint
    const r = this.rate(true, (from + to) / 2, outdoor);
    return r > 0.05 ? ((to - from) / r) * 60 : Infinity;
  }

  /** Minutes for the room to cool from `from` to `to` °C with the heater off (Infinity if it will not). */
  minutesToCool(from: number, to: number, outdoor: number): number {
    if (to >= from) return 0;
    const r = this.rate(false, (from + to) / 2, outdoor);
    return r < -0.05 ? ((from - to) / -r) * 60 : Infinity;
  }
}

/** Light model features: daylight, four time-of-day, minutes since motion, weekend. */
export const LIGHT_FEATURES = 7;

/** What the lighting needs of a model: a binary classifier (a Pipeline by default). */
export interface LightModel {
  learnOne(x: ArrayLike<number>, y: number): void;
  predictProbaOne(x: ArrayLike<number>): Float64Array;
  toBytes(): Uint8Array;
}

export class Lighting {
  readonly model: LightModel;
  /** Presses learned so far. */
  presses = 0;
  /** Estimated lux the lamp adds at the sensor (learned from presses). */
  lampLux = 0;
  private readonly x = new Float64Array(LIGHT_FEATURES);

  constructor(model?: LightModel) {
    this.model =
      model ||
      new Pipeline([new StandardScaler({ nFeatures: LIGHT_FEATURES }), new LogisticRegression({ nFeatures: LIGHT_FEATURES, learningRate: 0.1 })]);
    if (model) this.presses = 1;
  }

  /** Fills the feature vector. `ambient`: lux without the lamp. */
  features(ambient: number, minuteOfWeek: number, sinceMotion: number): Float64Array {
    const x = this.x;
    x[0] = ambient > 1000 ? 10 : ambient / 100;
    timeOfDay(minuteOfWeek % 1440, x, 1);
    x[5] = sinceMotion > 120 ? 4 : sinceMotion / 30;
    x[6] = minuteOfWeek >= 5 * 1440 ? 1 : 0;
    return x;
  }

  /** P(the occupants want the light on) for the last {@link features}. */
  wantOn(): number {
    return this.model.predictProbaOne(this.x)[1];
  }

  /** Learns the last {@link features} with the light state the occupants chose. */
  learn(on: boolean): void {
    this.model.learnOne(this.x, on ? 1 : 0);
  }

  /**
   * A press of the switch, after {@link features} for the moment before it.
   * "On" is learned at once. "Off" is held: if someone is still moving about
   * 20 minutes later they wanted the light off; if not, they were leaving the
   * room or going to bed, which says nothing about light they like.
   */
  pressed(on: boolean, minute: number): void {
    if (on) this.learn(true);
    else {
      this.held.set(this.x);
      this.heldAt = minute;
    }
    this.presses++;
  }

  /** Once a minute, after {@link features}: settles a held "off" once it is known whether someone stayed. */
  settle(minute: number, lastMotion: number): void {
    if (this.heldAt !== NONE && minute - this.heldAt >= 20) {
      if (lastMotion > this.heldAt + 2) this.model.learnOne(this.held, 0);
      this.heldAt = NONE;
    }
  }

  private readonly held = new Float64Array(LIGHT_FEATURES);
  private heldAt = NONE;
}

const NONE = -1e9;
