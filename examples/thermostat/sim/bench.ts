/**
 * The benchmark: every household for N weeks with our thermostat and the two
 * baselines, the same weather, plan and occupant in each run.
 */
import { GaussianNB } from '../../../algorithms/naive_bayes.js';
import { KNNClassifier } from '../../../algorithms/knn.js';
import { LogisticRegression } from '../../../algorithms/linear.js';
import { Pipeline } from '../../../src/pipeline.js';
import { StandardScaler } from '../../../src/preprocessing.js';
import { Thermostat, ThermostatOptions, Readings } from '../thermostat.js';
import { LIGHT_FEATURES, LightModel } from '../models.js';
import type { ModelClass } from '../../../src/learner.js';
import { FixedSchedule, NestLike } from './baselines.js';
import { Household } from './household.js';
import { Controller, SimOptions, SimResult, WeekStats, simulate } from './world.js';

/** Our thermostat as the simulator sees it (time of week = minutes since the Monday the run starts). */
export class Ours implements Controller {
  t: Thermostat;
  heater = false;
  light = false;
  setpoint = 20;
  /** Power cuts so far. */
  reboots = 0;
  private readonly opts: ThermostatOptions | undefined;

  constructor(opts?: ThermostatOptions) {
    this.opts = opts;
    this.t = new Thermostat(opts);
  }

  /** A power cut: everything in RAM is lost; the thermostat starts again from what its store holds. */
  reboot(): void {
    this.t = new Thermostat(this.opts);
    this.reboots++;
    this.sync();
  }

  tick(minute: number, r: Readings): void {
    this.t.tick(minute, minute % 10080, r);
    this.sync();
  }

  dial(target: number): void {
    this.t.dial(target);
    this.sync();
  }

  lightSwitch(on: boolean): void {
    this.t.lightSwitch(on);
    this.sync();
  }

  private sync(): void {
    this.heater = this.t.heater;
    this.light = this.t.light;
    this.setpoint = this.t.setpoint;
  }
}

export const CONTROLLERS = ['ours', 'fixed', 'nest-like'];

export function makeController(name: string, h: Household, opts?: ThermostatOptions): Controller {
  if (name === 'ours') return new Ours(opts);
  if (name === 'fixed') return new FixedSchedule(h.fixed);
  if (name === 'nest-like') return new NestLike();
  throw new Error('unknown controller ' + name);
}

export interface HouseholdResult {
  household: Household;
  runs: { [controller: string]: SimResult };
}

export function runHousehold(h: Household, opts: SimOptions, ours?: () => ThermostatOptions): HouseholdResult {
  const runs: { [c: string]: SimResult } = {};
  for (let i = 0; i < CONTROLLERS.length; i++) runs[CONTROLLERS[i]] = simulate(h, makeController(CONTROLLERS[i], h, ours ? ours() : undefined), opts);
  return { household: h, runs: runs };
}

/** Lighting models compared by the benchmark (`--light NAME`); the first is the thermostat's default. */
export const LIGHT_CLASSES_ALL: ReadonlyArray<ModelClass> = [Pipeline, StandardScaler, LogisticRegression, GaussianNB, KNNClassifier];
export const LIGHT_MODELS: { [name: string]: () => LightModel } = {
  'scaler+logistic': function () {
    return new Pipeline([new StandardScaler({ nFeatures: LIGHT_FEATURES }), new LogisticRegression({ nFeatures: LIGHT_FEATURES, learningRate: 0.1 })]);
  },
  'gaussian-nb': function () {
    return new GaussianNB({ nFeatures: LIGHT_FEATURES, nClasses: 2 });
  },
  'scaler+knn': function () {
    return new Pipeline([new StandardScaler({ nFeatures: LIGHT_FEATURES }), new KNNClassifier({ nFeatures: LIGHT_FEATURES, nClasses: 2, k: 5, windowSize: 128 })]);
  },
};

/** Comfort (%) of a week or of several. */
export function comfort(w: WeekStats[]): number {
  let occ = 0;
  let ok = 0;
  for (let i = 0; i < w.length; i++) {
    occ += w[i].occupiedMinutes;
    ok += w[i].comfortMinutes;
  }
  return occ > 0 ? (100 * ok) / occ : 100;
}

export function total(w: WeekStats[], key: 'manualChanges' | 'energyKWh' | 'lightPresses' | 'lightCorrections'): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i][key];
  return s;
}
