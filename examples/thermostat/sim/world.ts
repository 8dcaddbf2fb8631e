/**
 * One household living with one thermostat, minute by minute: the plan says
 * who is home and awake, the house model gives the room temperature, the
 * sensors read it (with noise), the thermostat decides, and a simulated
 * occupant turns the dial when uncomfortable and flips the light when it is
 * wrong. Collects the weekly figures of the benchmark.
 *
 * The same code runs on Node, on XS and under the Espruino gate: seeded
 * Randoms, + - * / and floor only.
 */
import { Random } from '../../../src/random.js';
import { House } from './house.js';
import { ASLEEP, AWAKE, AWAY, Household, Plan } from './household.js';
import { Weather, gauss } from './weather.js';
import { Readings } from '../thermostat.js';

/** What the simulator needs from a thermostat (ours and the baselines). */
export interface Controller {
  /** One minute: `minute` counts from Monday 00:00 of week 1. */
  tick(minute: number, r: Readings): void;
  /** A turn of the dial (or a command) to `target` °C. */
  dial(target: number, minute: number): void;
  /** A press of the light switch, leaving the light `on`. */
  lightSwitch(on: boolean, minute: number): void;
  /** Outputs after the last tick. */
  heater: boolean;
  light: boolean;
  /** The target shown on the display (°C). */
  setpoint: number;
}

export interface WeekStats {
  /** Turns of the dial by the occupants. */
  manualChanges: number;
  /** Minutes someone was home (awake or asleep), and of those, minutes within 0.5 °C of what they wanted. */
  occupiedMinutes: number;
  comfortMinutes: number;
  /** Heater energy (kWh). */
  energyKWh: number;
  /** Presses of the light switch: all of them, and those correcting a light that was wrong (not the switch-off on leaving the room or going to bed). */
  lightPresses: number;
  lightCorrections: number;
}

export interface Trace {
  /** Per minute of the traced week: room temperature, wanted (NaN when away), setpoint, state, heater 0/1, light 0/1. */
  temp: Float64Array;
  want: Float64Array;
  setpoint: Float64Array;
  state: Uint8Array;
  heater: Uint8Array;
  light: Uint8Array;
  outdoor: Float64Array;
}

export interface SimOptions {
  weeks: number;
  seed: number;
  /** Week (1-based) to record minute by minute, 0 for none. */
  traceWeek?: number;
  /** Called after each minute (for reboots, checks). */
  onMinute?: (minute: number) => void;
  /** Whether the home has a CO2 sensor (default false: the ESP32 build has BME280, BH1750 and PIR). */
  co2?: boolean;
}

export interface SimResult {
  weeks: WeekStats[];
  trace: Trace | null;
}

/** Mean outdoor temperature of each week of a run: a cold spell in weeks 3 and 4. */
export const WINTER = [5, 3.5, 1, -1.5, 0, 2.5, 4, 6];

function newWeek(): WeekStats {
  return { manualChanges: 0, occupiedMinutes: 0, comfortMinutes: 0, energyKWh: 0, lightPresses: 0, lightCorrections: 0 };
}

/**
 * The simulated occupant: perceives the room and the display and turns the
 * dial when uncomfortable: up, 0.75 °C too cold for 15 minutes; awake, 1 °C too
 * warm for 20 minutes; asleep, 1 °C off for 45 minutes (they wake). Each time
 * only if the display does not already show what they want. Flips the light
 * when it has been wrong for 3 minutes, switches it off going out or to bed.
 */
class Occupant {
  private readonly h: Household;
  private readonly rng: Random;
  private cold = 0;
  private warm = 0;
  private lampWrong = 0;
  private last = ASLEEP;
  // drawn at each state change (the same draws whatever the thermostat does)
  private switchesOffLeaving = true;

  constructor(h: Household, seed: number) {
    this.h = h;
    this.rng = new Random(seed);
  }

  want(state: number): number {
    return state === AWAKE ? this.h.wantAwake : this.h.wantAsleep;
  }

  step(minute: number, state: number, room: number, daylight: number, c: Controller, week: WeekStats): void {
    const h = this.h;
    if (state !== this.last) {
      this.switchesOffLeaving = this.rng.nextU32() / 4294967296 < 0.9;
      const before = this.last;
      this.last = state;
      this.cold = 0;
      this.warm = 0;
      this.lampWrong = 0;
      if (before === AWAKE && c.light && this.switchesOffLeaving) {
        c.lightSwitch(false, minute);
        week.lightPresses++;
      }
    }
    if (state === AWAKE) {
      const want = h.wantAwake;
      this.cold = room < want - 0.75 ? this.cold + 1 : 0;
      this.warm = room > want + 1 ? this.warm + 1 : 0;
      if ((this.cold >= 15 && c.setpoint < want - 0.25) || (this.warm >= 20 && c.setpoint > want + 0.25)) {
        c.dial(want, minute);
        week.manualChanges++;
        this.cold = 0;
        this.warm = 0;
      }
      const wantLight = daylight < h.lightBelow;
      this.lampWrong = wantLight !== c.light ? this.lampWrong + 1 : 0;
      if (this.lampWrong >= 3) {
        c.lightSwitch(wantLight, minute);
        week.lightPresses++;
        week.lightCorrections++;
        this.lampWrong = 0;
      }
    } else if (state === ASLEEP) {
      // a sleeper who is too warm (or cold) for three quarters of an hour wakes and turns the dial
      const want = h.wantAsleep;
      this.warm = room > want + 1 ? this.warm + 1 : 0;
      this.cold = room < want - 1 ? this.cold + 1 : 0;
      if ((this.warm >= 45 && c.setpoint > want + 0.25) || (this.cold >= 45 && c.setpoint < want - 0.25)) {
        c.dial(want, minute);
        week.manualChanges++;
        this.cold = 0;
        this.warm = 0;
      }
      // a light left on (or switched on by a sensor) is noticed and switched off
      this.lampWrong = c.light ? this.lampWrong + 1 : 0;
      if (this.lampWrong >= 5) {
        c.lightSwitch(false, minute);
        week.lightPresses++;
        week.lightCorrections++;
        this.lampWrong = 0;
      }
    }
  }
}

/**
 * A household living with a thermostat, one minute per {@link step}
 * (the benchmark runs it flat out; `npm run thermostat` at a chosen speed).
 */
export class World {
  readonly h: Household;
  readonly c: Controller;
  readonly minutes: number;
  readonly weeks: WeekStats[] = [];
  readonly trace: Trace | null = null;
  readonly house: House;
  readonly weather: Weather;
  /** The next minute to simulate (from Monday 00:00 of week 1). */
  minute = 0;
  /** The household's state at the last minute (AWAY, AWAKE, ASLEEP). */
  state = ASLEEP;
  private readonly opts: SimOptions;
  private readonly plan: Plan;
  private readonly person: Occupant;
  private readonly noise: Random;
  private readonly r: Readings = { temperature: 0, humidity: 0, lux: 0, motion: 0, co2: -1, outdoor: 0 };
  private week: WeekStats = newWeek();
  private inView = false;
  private co2 = 420;

  constructor(h: Household, c: Controller, opts: SimOptions) {
    this.h = h;
    this.c = c;
    this.opts = opts;
    this.minutes = opts.weeks * 10080;
    this.weather = new Weather({ weeklyMean: WINTER.slice(0, opts.weeks), seed: opts.seed });
    this.plan = new Plan(h, opts.weeks, opts.seed + 1);
    this.house = new House(h.house);
    this.person = new Occupant(h, opts.seed + 2);
    this.noise = new Random(opts.seed + 3);
    if (opts.traceWeek && opts.traceWeek > 0) {
      this.trace = {
        temp: new Float64Array(10080), want: new Float64Array(10080), setpoint: new Float64Array(10080), state: new Uint8Array(10080),
        heater: new Uint8Array(10080), light: new Uint8Array(10080), outdoor: new Float64Array(10080),
      };
    }
  }

  /** The wanted temperature now (NaN when nobody is home). */
  want(): number {
    return this.state === AWAY ? NaN : this.person.want(this.state);
  }

  /** Simulates one minute; false once the run is over. */
  step(): boolean {
    const m = this.minute;
    if (m >= this.minutes) return false;
    const h = this.h;
    const c = this.c;
    const r = this.r;
    const noise = this.noise;
    if (m % 10080 === 0) {
      this.week = newWeek();
      this.weeks.push(this.week);
    }
    const week = this.week;
    const prev = this.state;
    const state = this.plan.stateAt(m);
    this.state = state;
    const out = this.weather.outdoor(m);
    const day = this.weather.daylight(m);
    // PIR: an awake occupant is in the sensor's view most of the time, and moves;
    // entering the room (coming home, getting up) walks past the sensor
    const u1 = noise.nextU32() / 4294967296;
    const u2 = noise.nextU32() / 4294967296;
    if (state === AWAKE) this.inView = this.inView ? u1 >= 0.04 : u1 < 0.125 || prev !== AWAKE;
    else this.inView = false;
    const pMotion = state === AWAKE ? (this.inView ? 0.5 : 0) : state === ASLEEP ? 0.004 : 0.0003;
    r.motion = u2 < pMotion ? 1 : 0;
    r.temperature = Math.floor((this.house.t + 0.05 * gauss(noise)) * 100 + 0.5) / 100; // BME280 reads to 0.01 °C
    r.humidity = Math.floor(45 + (state === AWAY ? 0 : 4) + 2 * gauss(noise) + 0.5);
    const lux = Math.floor(day + (c.light ? 250 : 0) + 5 * gauss(noise) + 0.5);
    r.lux = lux < 0 ? 0 : lux;
    // CO2 (ppm): the people at home breathe into the air, ventilation decays it toward 420
    this.co2 += (state === AWAY ? 0 : h.people * (state === ASLEEP ? 4 : 6)) - (this.co2 - 420) * 0.01;
    const co2Reading = Math.floor(this.co2 + 10 * gauss(noise) + 0.5);
    r.co2 = this.opts.co2 ? co2Reading : -1;
    r.outdoor = Math.floor(out * 10 + 0.5) / 10;
    c.tick(m, r);
    this.person.step(m, state, this.house.t, day, c, week);
    if (state !== AWAY) {
      week.occupiedMinutes++;
      const d = this.house.t - this.person.want(state);
      if (d <= 0.5 && d >= -0.5) week.comfortMinutes++;
    }
    if (c.heater) week.energyKWh += h.house.heaterW / 60000;
    const trace = this.trace;
    if (trace !== null && Math.floor(m / 10080) + 1 === this.opts.traceWeek) {
      const i = m % 10080;
      trace.temp[i] = this.house.t;
      trace.want[i] = this.want();
      trace.setpoint[i] = c.setpoint;
      trace.state[i] = state;
      trace.heater[i] = c.heater ? 1 : 0;
      trace.light[i] = c.light ? 1 : 0;
      trace.outdoor[i] = out;
    }
    const gains = (state === AWAY ? 0 : h.people * (state === ASLEEP ? 70 : 100)) + this.weather.solarGain(m, h.house.solarW);
    this.house.step(c.heater, out, gains);
    this.minute = m + 1;
    if (this.opts.onMinute) this.opts.onMinute(m);
    return true;
  }
}

/** Runs `weeks` weeks of household `h` with thermostat `c`. */
export function simulate(h: Household, c: Controller, opts: SimOptions): SimResult {
  const w = new World(h, c, opts);
  while (w.step()) {}
  return { weeks: w.weeks, trace: w.trace };
}
