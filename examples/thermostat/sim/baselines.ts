/**
 * What people already have, measured in the same run as ours:
 *
 * - {@link FixedSchedule}: a programmable thermostat the owner set once to
 *   the routine they had at the start. A turn of the dial holds until the
 *   next programmed change. The light is a plain switch.
 * - {@link NestLike}: the Nest Auto-Schedule rule as Google describes it: in
 *   the first days every change is replayed on the following days; after
 *   that, a change is adopted only once a similar one (±1 h, ±0.5 °C) was
 *   made on another day of the same kind (weekday/weekend) in the past week.
 *   No occupancy sensing (Nest's Home/Away Assist needs its phone app and
 *   sensors we do not model). The light is a commodity motion-sensor lamp
 *   (on at motion below 50 lux, off 10 minutes after the last motion).
 */
import { relay, Readings } from '../thermostat.js';
import { Controller } from './world.js';
import { FixedSchedule as Program, SchedulePoint } from './household.js';

const MAX_HOLD = 12 * 60;

/** The value of a day's sorted points at minute of day `m` (the last point at or before it, else the day's last). */
function valueAt(points: SchedulePoint[], m: number): number {
  let v = points[points.length - 1][1];
  for (let i = 0; i < points.length; i++) if (points[i][0] <= m) v = points[i][1];
  return v;
}

/** Minutes from minute of day `m` to the next point of the day (or to midnight). */
function toNextPoint(points: SchedulePoint[], m: number): number {
  for (let i = 0; i < points.length; i++) if (points[i][0] > m) return points[i][0] - m;
  return 1440 - m;
}

/** Shared by both baselines: a per-day program, holds, the relay and a plain light switch. */
class Programmed implements Controller {
  heater = false;
  light = false;
  setpoint = 20;
  protected days: SchedulePoint[][] = [];
  protected minute = 0;
  private holdValue = 20;
  private holdUntil = -1;

  tick(minute: number, r: Readings): void {
    this.minute = minute;
    const day = Math.floor(minute / 1440) % 7;
    const m = minute % 1440;
    this.setpoint = minute < this.holdUntil ? this.holdValue : valueAt(this.days[day], m);
    this.heater = relay(this.heater, r.temperature, this.setpoint);
    this.lamp(minute, r);
  }

  dial(target: number, minute: number): void {
    const day = Math.floor(minute / 1440) % 7;
    const wait = toNextPoint(this.days[day], minute % 1440);
    this.holdValue = target;
    this.holdUntil = minute + (wait < MAX_HOLD ? wait : MAX_HOLD);
    this.setpoint = target;
    this.learn(target, minute);
  }

  lightSwitch(on: boolean, minute: number): void {
    this.light = on;
  }

  protected learn(target: number, minute: number): void {}

  protected lamp(minute: number, r: Readings): void {}
}

export class FixedSchedule extends Programmed {
  constructor(p: Program) {
    super();
    for (let d = 0; d < 7; d++) this.days.push(d < 5 ? p.weekday : p.weekend);
  }
}

interface Change {
  day: number;
  m: number;
  t: number;
}

export class NestLike extends Programmed {
  private readonly log: Change[] = [];
  private lastMotion = -1e9;
  private offUntil = -1e9;

  constructor() {
    super();
    for (let d = 0; d < 7; d++) this.days.push([[0, 20]]);
  }

  protected override learn(t: number, minute: number): void {
    const day = Math.floor(minute / 1440);
    const m = minute % 1440;
    if (day < 3) {
      // the first days: every change is replayed on every day
      for (let d = 0; d < 7; d++) this.put(d, m, t);
    } else {
      for (let i = this.log.length - 1; i >= 0; i--) {
        const c = this.log[i];
        if (day - c.day > 7) break;
        if (c.day === day || kind(c.day) !== kind(day)) continue;
        if (c.m - m > 60 || m - c.m > 60 || c.t - t > 0.5 || t - c.t > 0.5) continue;
        // seen twice on days of the same kind: adopted for that kind
        for (let d = 0; d < 7; d++) if (kind(d) === kind(day)) this.put(d, m, t);
        break;
      }
    }
    this.log.push({ day: day, m: m, t: t });
  }

  /** Sets a point at minute of day `m` on day `d`, replacing points within an hour of it. */
  private put(d: number, m: number, t: number): void {
    const pts = this.days[d].filter(function (p) {
      return p[0] < m - 60 || p[0] > m + 60;
    });
    pts.push([m, t]);
    pts.sort(function (a, b) {
      return a[0] - b[0];
    });
    this.days[d] = pts;
  }

  override lightSwitch(on: boolean, minute: number): void {
    this.light = on;
    if (!on) this.offUntil = minute + 15;
  }

  protected override lamp(minute: number, r: Readings): void {
    if (r.motion > 0) {
      this.lastMotion = minute;
      if (!this.light && minute >= this.offUntil && r.lux < 50) this.light = true;
    }
    if (this.light && minute - this.lastMotion >= 10) this.light = false;
  }
}

function kind(day: number): number {
  return day % 7 < 5 ? 0 : 1;
}
