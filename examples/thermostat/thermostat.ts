/**
 * The learning thermostat: what it learns and how it decides, with no
 * knowledge of the runtime. A hardware layer (Node simulation, Moddable,
 * Espruino) calls {@link Thermostat.tick} once a minute with the readings
 * and forwards the occupants' actions ({@link Thermostat.dial},
 * {@link Thermostat.lightSwitch}, or the same commands from Home
 * Assistant); it drives the heater relay and the light from
 * {@link Thermostat.heater} and {@link Thermostat.light}.
 *
 * It learns, one event at a time:
 * 1. the wanted temperature by time of week, from manual changes
 *    (schedule.ts: early changes count at once, later only repeated ones);
 * 2. occupancy (presence.ts): an empty home falls back to eco;
 * 3. the thermal response (models.ts, LinearRegression): heating starts early
 *    enough to be warm at the learned time, and stops early before a setback;
 * 4. lighting (models.ts, LogisticRegression): when the light should be on.
 *
 * Models persist in a ModelStore: events are saved at once, the slowly
 * learned models every hour, so a power cut loses at most an hour of
 * thermal and occupancy learning and never a model.
 */
import { ModelStore } from '../../src/storage.js';
import { MicrolearnError } from '../../src/errors.js';
import { LinearRegression, LogisticRegression } from '../../algorithms/linear.js';
import { Pipeline } from '../../src/pipeline.js';
import { StandardScaler } from '../../src/preprocessing.js';
import type { ModelClass } from '../../src/learner.js';
import { loadModel } from '../../src/load.js';
import { PER_DAY, SLOTS, Schedule, tenths } from './schedule.js';
import { AWAY, PRESENT, Presence, QUIET } from './presence.js';
import { LightModel, Lighting, Thermal } from './models.js';

/** One minute of sensor readings. */
export interface Readings {
  /** Indoor temperature (°C). */
  temperature: number;
  /** Relative humidity (%). */
  humidity: number;
  /** Light at the sensor (lux), the lamp included. */
  lux: number;
  /** Motion triggers since the last reading. */
  motion: number;
  /** CO2 (ppm), negative without a sensor. */
  co2: number;
  /** Outdoor temperature (°C), NaN when unknown (the last known value is used). */
  outdoor: number;
}

export type Mode = 'auto' | 'heat' | 'off';

export interface ThermostatOptions {
  /** Where models are saved; none: nothing persists. */
  store?: ModelStore;
  /** Temperature of an empty home (°C, default 16). */
  eco?: number;
  /** Temperature after a day without anyone: holiday mode (°C, default 10). */
  vacation?: number;
  /** Minutes between saves of the slowly learned models (default 60). */
  saveEvery?: number;
  /** Called when a save or a restore fails (the thermostat goes on). */
  onError?: (what: string, e: unknown) => void;
  /** Lighting model to use instead of the default LogisticRegression pipeline (for comparisons)… */
  lightModel?: LightModel;
  /** …and the classes it is made of, to restore it (default {@link LIGHT_CLASSES}). */
  lightClasses?: ReadonlyArray<ModelClass>;
}

const HYSTERESIS = 0.2;
const HOLD_MAX = 12 * 60;
const LOOKAHEAD = 12; // slots (6 h) searched for the next change of the schedule
const ARRIVAL_LOOKAHEAD = 8; // slots (4 h) searched for a predicted arrival
const NONE = -1e9;
/** P(asleep) from which a slot is planned at the night's temperature: before most have gone to bed. */
const PLAN_NIGHT = 0.35;
/** Names in the ModelStore. */
export const MODEL_NAMES = ['schedule', 'presence', 'thermal', 'lighting'];

/** An on/off heater relay with ±0.2 °C hysteresis around the setpoint (off when the temperature is unknown). */
export function relay(on: boolean, t: number, setpoint: number): boolean {
  if (t !== t) return false;
  if (t < setpoint - HYSTERESIS) return true;
  if (t > setpoint + HYSTERESIS) return false;
  return on;
}

/** The classes a saved lighting model may hold (the default: a scaler and a logistic regression in a pipeline). */
export const LIGHT_CLASSES: ReadonlyArray<ModelClass> = [Pipeline, StandardScaler, LogisticRegression];

export class Thermostat {
  readonly schedule: Schedule;
  readonly presence: Presence;
  readonly thermal: Thermal;
  readonly lighting: Lighting;
  readonly eco: number;
  readonly vacation: number;

  /** Outputs. */
  heater = false;
  light = false;
  /** The temperature the thermostat is heading for (°C): shown on the display and published. */
  setpoint = 20;
  mode: Mode = 'auto';
  /** 'heating', 'idle' or 'off' (Home Assistant's hvac action). */
  action = 'idle';
  /** Last readings. */
  temperature = NaN;
  humidity = NaN;
  lux = NaN;
  outdoor = 5;
  /** Counters since boot. */
  manualChanges = 0;
  lightPresses = 0;
  saves = 0;

  private readonly store: ModelStore | null;
  private readonly saveEvery: number;
  private readonly onError: ((what: string, e: unknown) => void) | null;
  private minute = NONE;
  private slot = 0;
  private holdValue = 20;
  private holdUntil = NONE;
  /** The open interval of the last manual change. */
  private openFrom = NONE;
  private openSlot = 0;
  private openValue = 0;
  private openDown = false;
  private acceptedInSlot = true;
  private lastMotion = NONE;
  private lightManualUntil = NONE;
  private luxBeforePress = -1;
  private lastPress = NONE;
  private lastSave = NONE;
  private dirty = false;

  constructor(opts?: ThermostatOptions) {
    const o = opts || {};
    this.store = o.store || null;
    this.eco = o.eco === undefined ? 16 : o.eco;
    this.vacation = o.vacation === undefined ? 10 : o.vacation;
    this.saveEvery = o.saveEvery === undefined ? 60 : o.saveEvery;
    this.onError = o.onError || null;
    this.schedule = this.restore('schedule', Schedule.fromBytes) || new Schedule();
    this.presence = this.restore('presence', Presence.fromBytes) || new Presence();
    this.thermal = new Thermal(this.restore('thermal', LinearRegression) || undefined);
    const classes = o.lightClasses || LIGHT_CLASSES;
    const decodeLighting = function (b: Uint8Array): LightModel {
      const m = loadModel(b, classes) as LightModel;
      if (typeof m.predictProbaOne !== 'function') throw new MicrolearnError('E_TYPE', 'the saved lighting model is not a classifier');
      return m;
    };
    this.lighting = new Lighting(this.restore('lighting', decodeLighting) || o.lightModel);
  }

  /** The model saved under `name`, read by a model class (typed: another type is E_TYPE) or a decode function. */
  private restore<T>(name: string, decode: ModelClass<T> | ((b: Uint8Array) => T)): T | null {
    if (this.store === null) return null;
    try {
      return this.store.load(name, decode);
    } catch (e) {
      // both slots unreadable (or a model of the wrong kind): start that model afresh
      if (this.onError) this.onError('restoring ' + name, e);
      return null;
    }
  }

  /**
   * One minute. `minute` counts minutes on a clock that never goes back
   * (minutes since an epoch); `minuteOfWeek` is local time from Monday
   * 00:00 (0 .. 10079).
   */
  tick(minute: number, minuteOfWeek: number, r: Readings): void {
    const first = this.minute === NONE;
    this.minute = minute;
    const slot = Math.floor(minuteOfWeek / 30) % SLOTS;
    if (!first && slot !== this.slot) this.slotEnded(this.slot);
    this.slot = slot;
    this.temperature = r.temperature;
    this.humidity = r.humidity;
    if (r.outdoor === r.outdoor) this.outdoor = r.outdoor;
    if (this.luxBeforePress >= 0 && minute === this.lastPress + 1) {
      // the lamp's own contribution to the sensor, from the step a press made
      const step = r.lux - this.luxBeforePress;
      const d = this.light ? step : -step;
      if (d > 20) this.lighting.lampLux = this.lighting.lampLux === 0 ? d : this.lighting.lampLux + (d - this.lighting.lampLux) / 4;
      this.luxBeforePress = -1;
    }
    this.lux = r.lux;
    if (r.motion > 0) this.lastMotion = minute;

    const before = this.presence.state;
    this.presence.update(minute, slot, r.motion > 0, r.co2);
    this.presenceChanged(before, minute);
    if (this.openFrom !== NONE && minute - this.openFrom >= HOLD_MAX) this.closeInterval(minute);

    if (this.thermal.observe(minute, r.temperature, this.outdoor, this.heater)) this.dirty = true;
    this.decide(minute, minuteOfWeek);
    if (this.setpoint !== this.schedule.at(slot)) this.acceptedInSlot = false;
    this.control(r.temperature);
    this.lightControl(minute, minuteOfWeek);
    if (this.store !== null && (this.lastSave === NONE || minute - this.lastSave >= this.saveEvery)) {
      this.save(this.dirty ? MODEL_NAMES : ['schedule', 'presence']);
      this.dirty = false;
    }
  }

  /**
   * The home emptied or fell asleep: a manual change's interval ends at the
   * last sign of life; someone woke or came back: the night's or the absence's change
   * ends now (not at the next turn of the dial, which comes only once they
   * are cold).
   */
  private presenceChanged(before: number, minute: number): void {
    const p = this.presence;
    if (p.state === AWAY && before !== AWAY) {
      this.closeInterval(p.lastEvidence);
      this.holdUntil = NONE;
    }
    // asleep: a turn-down just before is the night's temperature; any other change was made while up and ends there
    if (p.state === QUIET && before === PRESENT && this.openFrom !== NONE) {
      if (p.night && this.openDown && p.lastEvidence - this.openFrom <= 60) {
        this.schedule.learnNight(this.openValue, Math.floor(this.openFrom / 1440));
        this.openFrom = NONE;
        this.save(['schedule']);
      } else {
        this.closeInterval(p.lastEvidence);
      }
      this.holdUntil = NONE;
    }
    if (p.wokeAt !== NONE) {
      if (this.openFrom < p.wokeAt) {
        this.closeInterval(p.wokeAt);
        if (this.holdUntil > minute) this.holdUntil = NONE;
      }
      p.wokeAt = NONE;
    }
  }

  /** A turn of the dial (or a setpoint command) to `target` °C: obeyed now, learned as a wanted temperature. */
  dial(target: number): void {
    if (typeof target !== 'number' || !(target >= 5 && target <= 35)) throw new MicrolearnError('E_INPUT', 'setpoint must be a number of °C in 5..35, got ' + target);
    const t = tenths(target) / 10;
    const minute = this.minute === NONE ? 0 : this.minute;
    const down = t < this.setpoint - 0.4;
    if (down) this.presence.turnedDown(minute);
    const before = this.presence.state;
    this.presence.evidence(minute, true);
    this.presenceChanged(before, minute);
    this.manualChanges++;
    this.closeInterval(minute);
    this.openFrom = minute;
    this.openSlot = this.slot;
    this.openValue = t;
    this.openDown = down;
    if (this.presence.state === PRESENT && !down) this.schedule.comfort = tenths(t);
    this.acceptedInSlot = false;
    this.holdValue = t;
    this.holdUntil = minute + this.holdLength(t);
    this.setpoint = t;
    this.control(this.temperature);
  }

  /** A press of the light switch (or a light command) leaving the light `on`: obeyed and learned. */
  lightSwitch(on: boolean): void {
    const minute = this.minute === NONE ? 0 : this.minute;
    const ambient = this.lux === this.lux ? this.lux - (this.light ? this.lighting.lampLux : 0) : 0;
    const before = this.presence.state;
    this.presence.evidence(minute, true);
    this.presenceChanged(before, minute);
    this.lastMotion = minute; // someone is at the switch
    if (on !== this.light) {
      this.lighting.features(ambient, this.minuteOfWeek(), 0);
      this.lighting.pressed(on, minute);
      this.luxBeforePress = this.lux === this.lux ? this.lux : -1;
      this.lastPress = minute;
    }
    this.lightPresses++;
    this.light = on;
    this.lightManualUntil = minute + 30;
    this.save(['lighting']);
  }

  /** Home Assistant's mode command: 'auto' (learned schedule), 'heat' (hold the last setpoint), 'off'. */
  setMode(mode: string): void {
    if (mode !== 'auto' && mode !== 'heat' && mode !== 'off') throw new MicrolearnError('E_INPUT', 'mode must be auto, heat or off, got ' + mode);
    this.mode = mode;
    if (mode === 'heat') this.holdValue = this.setpoint;
    if (this.minute !== NONE) this.decide(this.minute, this.minuteOfWeek());
    this.control(this.temperature);
  }

  /** Saves the named models now (all by default); failures go to onError. */
  save(names?: string[]): void {
    if (this.store === null) return;
    const list = names || MODEL_NAMES;
    for (let i = 0; i < list.length; i++) {
      const n = list[i];
      try {
        const m = n === 'schedule' ? this.schedule : n === 'presence' ? this.presence : n === 'thermal' ? this.thermal.model : this.lighting.model;
        this.store.save(n, m);
        this.saves++;
      } catch (e) {
        if (this.onError) this.onError('saving ' + n, e);
      }
    }
    this.lastSave = this.minute === NONE ? 0 : this.minute;
  }

  private minuteOfWeek(): number {
    return this.slot * 30 + (this.minute === NONE ? 0 : ((this.minute % 30) + 30) % 30);
  }

  /** What the thermostat plans for a slot when nobody intervenes: the night's temperature where they usually sleep, else the schedule's. */
  planAt(slot: number): number {
    return this.presence.oftenAsleepAt(slot, PLAN_NIGHT) ? this.schedule.nightValue() : this.schedule.at(slot);
  }

  /** Minutes a manual change holds: until the plan's next change of value (at most 12 h). */
  private holdLength(t: number): number {
    const here = this.planAt(this.slot);
    const off = this.minute === NONE ? 0 : ((this.minute % 30) + 30) % 30;
    for (let j = 1; j <= 24; j++) if (this.planAt(this.slot + j) !== here) return j * 30 - off;
    return HOLD_MAX;
  }

  /** The open interval of the last manual change ends at `end`: learn it. */
  private closeInterval(end: number): void {
    if (this.openFrom === NONE) return;
    const from = this.openFrom;
    this.openFrom = NONE;
    if (end - from < 15) return;
    this.schedule.learnInterval(this.openSlot, from, end, this.openValue, Math.floor(from / 1440));
    this.save(['schedule']);
  }

  /** A slot ended: if the occupants were up and had the schedule's value all along without changing it, it is confirmed. */
  private slotEnded(slot: number): void {
    if (this.acceptedInSlot && this.presence.state === PRESENT) this.schedule.confirm(slot);
    this.acceptedInSlot = true;
  }

  /** The setpoint for now. */
  private decide(minute: number, minuteOfWeek: number): void {
    if (this.mode === 'off') {
      this.setpoint = this.holdValue;
      return;
    }
    if (this.mode === 'heat' || minute < this.holdUntil) {
      this.setpoint = this.holdValue;
      return;
    }
    const s = this.schedule;
    const slot = this.slot;
    const want = s.at(slot);
    const t = this.temperature === this.temperature ? this.temperature : want;
    const toSlot = 30 - (minuteOfWeek % 30); // minutes to the start of the next slot
    const p = this.presence;
    if (p.state === AWAY) {
      const gone = p.quietFor(minute);
      if (gone >= 24 * 60) {
        this.setpoint = this.vacation;
        return;
      }
      // usually home now (an outing): a shallow setback; else eco, with a preheat before a predicted return
      let target = p.at(slot) >= 0.5 ? (want - 2 > this.eco ? want - 2 : this.eco) : this.eco;
      for (let j = 1; j <= ARRIVAL_LOOKAHEAD; j++) {
        if (p.at(slot + j) < 0.5) continue;
        const w = this.planAt(slot + j);
        const until = toSlot + (j - 1) * 30;
        if (this.thermal.minutesToHeat(t, w - 0.5, this.outdoor) >= until) target = w;
        break;
      }
      this.setpoint = target;
      return;
    }
    // Someone is home. Asleep (a night): the night's temperature, warming up early before they usually get up.
    // Up in the hours they are often asleep: the day's temperature if they just got up, else the night's (bedtime is near).
    // Up (or still by day): the schedule's, warming up early before its next rise.
    if (!p.oftenAsleepAt(slot, PLAN_NIGHT)) p.afterNight = false;
    const asleepNow = p.oftenAsleepAt(slot, PLAN_NIGHT);
    if (p.state === PRESENT && asleepNow) {
      this.setpoint = p.afterNight ? this.nextDay(slot) : s.nightValue();
      return;
    }
    const night = p.state === QUIET && p.night;
    const now = night ? s.nightValue() : want;
    let target = now;
    for (let j = 1; j <= LOOKAHEAD; j++) {
      const asleep = p.oftenAsleepAt(slot + j, PLAN_NIGHT);
      if (asleep) {
        if (night) continue;
        break; // a night ahead: its own temperature applies when it comes
      }
      const w = s.at(slot + j);
      if (w <= now) {
        if (w < now) break;
        continue;
      }
      const until = toSlot + (j - 1) * 30;
      const end = w - 0.4 < now + 0.45 ? w - 0.4 : now + 0.45;
      if (this.thermal.minutesToHeat(t, end, this.outdoor) >= until) target = w;
      break;
    }
    this.setpoint = target;
  }

  /** The schedule's value at the first slot after `slot` where they are usually up (within 12 hours; else at `slot`). */
  private nextDay(slot: number): number {
    for (let j = 1; j <= 24; j++) if (!this.presence.oftenAsleepAt(slot + j, PLAN_NIGHT)) return this.schedule.at(slot + j);
    return this.schedule.at(slot);
  }

  /** The heater relay. */
  private control(t: number): void {
    this.heater = this.mode !== 'off' && relay(this.heater, t, this.setpoint);
    this.action = this.mode === 'off' ? 'off' : this.heater ? 'heating' : 'idle';
  }

  private lightControl(minute: number, minuteOfWeek: number): void {
    const since = minute - this.lastMotion;
    const ambient = this.lux - (this.light ? this.lighting.lampLux : 0);
    const lt = this.lighting;
    lt.features(ambient, minuteOfWeek, since);
    lt.settle(minute, this.lastMotion);
    if (this.light && since >= 45) {
      this.light = false; // nobody has moved for long: off, even after a manual on
      return;
    }
    if (lt.presses === 0 || minute < this.lightManualUntil) return;
    const p = lt.wantOn();
    // on only for someone up and about (not a night-time trip past the sensor)
    if (!this.light && p >= 0.6 && since <= 5 && this.presence.state === PRESENT) this.light = true;
    else if (this.light && p <= 0.3) this.light = false;
  }

  /** What has been learned, for people: schedule and occupancy by weekday and hour, heating rate. */
  summary(): object {
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const schedule: { [k: string]: number[] } = {};
    const occupancy: { [k: string]: number[] } = {};
    for (let d = 0; d < 7; d++) {
      const w: number[] = [];
      const o: number[] = [];
      for (let h = 0; h < 24; h++) {
        w.push(this.planAt(d * PER_DAY + h * 2));
        o.push(Math.floor((this.presence.prob[d * PER_DAY + h * 2] * 100) / 255 + 0.5) / 100);
      }
      schedule[days[d]] = w;
      occupancy[days[d]] = o;
    }
    const r2 = (v: number) => Math.floor(v * 100 + 0.5) / 100;
    return {
      schedule: schedule,
      occupancy: occupancy,
      heating: {
        samples: this.thermal.samples,
        rateAt20In0Out: r2(this.thermal.rate(true, 20, 0)),
        coolingAt20In0Out: r2(this.thermal.rate(false, 20, 0)),
        minutesFrom16To21At0Out: Math.floor(this.thermal.minutesToHeat(16, 21, 0) + 0.5),
      },
      lighting: { presses: this.lighting.presses, lampLux: Math.floor(this.lighting.lampLux + 0.5) },
      state: {
        mode: this.mode,
        setpoint: this.setpoint,
        heating: this.heater,
        occupancy: this.presence.state === PRESENT ? 'present' : this.presence.state === QUIET ? 'quiet' : 'away',
        holdMinutes: this.minute < this.holdUntil ? this.holdUntil - this.minute : 0,
      },
      counts: { manualChanges: this.manualChanges, lightPresses: this.lightPresses, adopted: this.schedule.adopted, saves: this.saves },
    };
  }
}
