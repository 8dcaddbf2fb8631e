/**
 * Households with habits: when they wake, leave, come back and sleep, with
 * noise in every time, a vacation week, and (for some) a change of routine
 * in week 5. A household's plan is a list of (minute, state) transitions for
 * the whole run, drawn from a seeded Random, so every engine replays the
 * same weeks. States: AWAY, AWAKE (someone home and up) and ASLEEP (everyone
 * home is asleep).
 */
import { Random } from '../../../src/random.js';
import { gauss, roundInt } from './weather.js';
import { HouseParams } from './house.js';

export const AWAY = 0;
export const AWAKE = 1;
export const ASLEEP = 2;

/** One point of a heating schedule: from minute of day `m`, `t` °C. */
export type SchedulePoint = [number, number];

/** The schedule an owner programs once (used by the fixed-schedule baseline). */
export interface FixedSchedule {
  weekday: SchedulePoint[];
  weekend: SchedulePoint[];
}

export interface Household {
  name: string;
  /** Temperature wanted when someone is home and awake / when everyone home is asleep (°C). */
  wantAwake: number;
  wantAsleep: number;
  /** Daylight (lux) below which the occupants want the light on when they are up. */
  lightBelow: number;
  house: HouseParams;
  /** Week (1-based) spent away; 0 for none. */
  vacationWeek: number;
  /** Week (1-based) from which the routine changes; 0 for none. */
  routineChangeWeek: number;
  /** People at home when someone is (for internal gains, W each ≈ 100). */
  people: number;
  fixed: FixedSchedule;
  /** Transitions of one ordinary day, minutes from that day's midnight (may run past 24:00). */
  day(day: number, rng: Random): SchedulePoint[];
}

const H = 60;

/** Minutes `mean` ± a normal jitter of `sd` minutes. */
function jit(rng: Random, mean: number, sd: number): number {
  return roundInt(mean + sd * gauss(rng));
}

function chance(rng: Random, p: number): boolean {
  return rng.nextU32() / 4294967296 < p;
}

function weekOf(day: number): number {
  return Math.floor(day / 7) + 1;
}

/** 0 = Monday .. 6 = Sunday (the run starts on a Monday). */
function weekdayOf(day: number): number {
  return day % 7;
}

export const COUPLE: Household = {
  name: '9-to-5 couple',
  wantAwake: 21,
  wantAsleep: 19.5,
  lightBelow: 150,
  house: { ua: 200, capacity: 8e6, heaterW: 7000, solarW: 900, start: 19 },
  vacationWeek: 3,
  routineChangeWeek: 5,
  people: 2,
  fixed: {
    weekday: [[0, 19.5], [6 * H + 15, 21], [7 * H + 45, 16], [16 * H + 15, 21], [23 * H, 19.5]],
    weekend: [[0, 19.5], [8 * H, 21], [23 * H + 30, 19.5]],
  },
  day(day, rng) {
    const wd = weekdayOf(day);
    const changed = weekOf(day) >= 5;
    if (wd >= 5) {
      const p: SchedulePoint[] = [[jit(rng, 8 * H + 30, 40), AWAKE]];
      if (chance(rng, 0.6)) {
        const out = jit(rng, 13 * H, 60);
        p.push([out, AWAY], [out + jit(rng, 3 * H, 60), AWAKE]);
      }
      p.push([jit(rng, 23 * H + 45, 30), ASLEEP]);
      return p;
    }
    if (chance(rng, 0.04)) return [[jit(rng, 8 * H, 30), AWAKE], [jit(rng, 22 * H + 30, 30), ASLEEP]]; // a day off sick
    if (changed) {
      // new jobs from week 5: earlier start, home by mid-afternoon, earlier nights
      const wake = jit(rng, 6 * H, 10);
      return [[wake, AWAKE], [wake + jit(rng, 50, 8), AWAY], [jit(rng, 15 * H + 45, 20), AWAKE], [jit(rng, 22 * H + 15, 20), ASLEEP]];
    }
    const wake = jit(rng, 6 * H + 45, 15);
    return [[wake, AWAKE], [wake + jit(rng, 60, 10), AWAY], [jit(rng, 17 * H + 45, 30), AWAKE], [jit(rng, 23 * H, 25), ASLEEP]];
  },
};

export const SHIFT_WORKER: Household = {
  name: 'shift worker',
  wantAwake: 20.5,
  wantAsleep: 19,
  lightBelow: 100,
  house: { ua: 120, capacity: 5e6, heaterW: 4000, solarW: 500, start: 19 },
  vacationWeek: 6,
  routineChangeWeek: 0,
  people: 1,
  fixed: {
    weekday: [[0, 19], [6 * H, 20.5], [23 * H, 19]],
    weekend: [[0, 19], [6 * H, 20.5], [23 * H, 19]],
  },
  day(day, rng) {
    const wd = weekdayOf(day);
    const shift = (weekOf(day) - 1) % 3; // weekly rotation: early, late, night
    const p: SchedulePoint[] = [];
    // Saturday after a night-shift week: home from the Friday night shift, sleeps the morning
    if (wd === 5 && shift === 2) p.push([jit(rng, 6 * H + 45, 10), AWAKE], [jit(rng, 7 * H + 30, 10), ASLEEP]);
    if (wd >= 5) {
      p.push([jit(rng, wd === 5 && shift === 2 ? 14 * H + 30 : 9 * H, 30), AWAKE]);
      if (chance(rng, 0.5)) {
        const out = jit(rng, 15 * H, 60);
        p.push([out, AWAY], [out + jit(rng, 4 * H, 60), AWAKE]);
      }
      p.push([jit(rng, 24 * H + 30, 30), ASLEEP]);
      return p;
    }
    if (shift === 0) {
      const wake = jit(rng, 4 * H + 45, 10);
      p.push([wake, AWAKE], [wake + jit(rng, 45, 5), AWAY], [jit(rng, 14 * H + 45, 15), AWAKE], [jit(rng, 21 * H + 45, 20), ASLEEP]);
    } else if (shift === 1) {
      p.push([jit(rng, 8 * H + 30, 30), AWAKE], [jit(rng, 13 * H + 15, 10), AWAY], [jit(rng, 22 * H + 45, 10), AWAKE], [jit(rng, 24 * H + 15, 20), ASLEEP]);
    } else {
      // night shift Mon..Fri nights; the Monday morning follows a normal Sunday night
      if (wd > 0) p.push([jit(rng, 6 * H + 45, 10), AWAKE], [jit(rng, 7 * H + 30, 10), ASLEEP]);
      p.push([jit(rng, wd > 0 ? 14 * H + 30 : 9 * H, 20), AWAKE], [jit(rng, 21 * H + 15, 10), AWAY]);
    }
    return p;
  },
};

export const FAMILY: Household = {
  name: 'family with children',
  wantAwake: 21.5,
  wantAsleep: 20,
  lightBelow: 200,
  house: { ua: 260, capacity: 11e6, heaterW: 9000, solarW: 1200, start: 19 },
  vacationWeek: 7,
  routineChangeWeek: 0,
  people: 4,
  fixed: {
    weekday: [[0, 20], [6 * H, 21.5], [8 * H + 15, 17], [14 * H + 15, 21.5], [22 * H + 30, 20]],
    weekend: [[0, 20], [7 * H + 30, 21.5], [22 * H + 30, 20]],
  },
  day(day, rng) {
    const wd = weekdayOf(day);
    const p: SchedulePoint[] = [[jit(rng, wd >= 5 ? 7 * H + 45 : 6 * H + 30, wd >= 5 ? 30 : 10), AWAKE]];
    if (wd === 5 && chance(rng, 0.8)) p.push([jit(rng, 9 * H + 30, 10), AWAY], [jit(rng, 12 * H, 15), AWAKE]); // Saturday sports
    if (wd === 6 && chance(rng, 0.5)) p.push([jit(rng, 14 * H, 30), AWAY], [jit(rng, 17 * H, 30), AWAKE]);
    // weekdays except Wednesday (a parent works part-time): everyone out until the children come back
    if (wd < 5 && wd !== 2) p.push([jit(rng, 8 * H + 15, 15), AWAY], [jit(rng, 15 * H + 30, 15), AWAKE]);
    p.push([jit(rng, 22 * H + 30, 20), ASLEEP]);
    return p;
  },
};

export const HOME_OFFICE: Household = {
  name: 'home office',
  wantAwake: 21,
  wantAsleep: 19,
  lightBelow: 120,
  house: { ua: 150, capacity: 7e6, heaterW: 6000, solarW: 700, start: 19 },
  vacationWeek: 4,
  routineChangeWeek: 5,
  people: 1,
  fixed: {
    weekday: [[0, 19], [6 * H + 30, 21], [23 * H + 15, 19]],
    weekend: [[0, 19], [7 * H + 30, 21], [23 * H + 15, 19]],
  },
  day(day, rng) {
    const wd = weekdayOf(day);
    const changed = weekOf(day) >= 5;
    const p: SchedulePoint[] = [[jit(rng, wd >= 5 ? 8 * H + 30 : 7 * H, wd >= 5 ? 40 : 15), AWAKE]];
    if (wd < 5) {
      if (changed && (wd === 1 || wd === 3)) {
        // from week 5: office days on Tuesday and Thursday
        p.push([jit(rng, 8 * H, 10), AWAY], [jit(rng, 17 * H + 45, 20), AWAKE]);
      } else {
        if (chance(rng, 0.7)) p.push([jit(rng, 12 * H + 30, 10), AWAY], [jit(rng, 13 * H + 15, 10), AWAKE]);
        if (!changed && (wd === 1 || wd === 3)) p.push([jit(rng, 18 * H, 10), AWAY], [jit(rng, 19 * H + 30, 15), AWAKE]);
      }
    } else if (wd === 5 && chance(rng, 0.5)) {
      p.push([jit(rng, 10 * H, 30), AWAY], [jit(rng, 18 * H, 45), AWAKE]);
    }
    p.push([jit(rng, 23 * H + 15, 30), ASLEEP]);
    return p;
  },
};

export const HOUSEHOLDS: Household[] = [COUPLE, SHIFT_WORKER, FAMILY, HOME_OFFICE];

/** A household's transitions over a whole run, with its vacation, as parallel arrays. */
export class Plan {
  readonly times: number[] = [];
  readonly states: number[] = [];
  private cursor = 0;

  constructor(h: Household, weeks: number, seed: number) {
    const rng = new Random(seed);
    const days = weeks * 7;
    this.push(0, ASLEEP);
    // the vacation: away from the Saturday before the week until its Sunday evening
    const vFrom = h.vacationWeek > 0 ? (h.vacationWeek - 1) * 7 - 2 : -99;
    const vTo = vFrom + 8;
    for (let d = 0; d < days; d++) {
      const start = d * 1440;
      // drawn every day, so a vacation does not shift the draws of the other weeks
      const pts = h.day(d, rng);
      const leave = jit(rng, 10 * H, 30);
      const back = jit(rng, 17 * H, 60);
      const bed = jit(rng, 23 * H, 20);
      if (d > vFrom && d < vTo) continue;
      if (d === vTo) {
        // back on the Sunday evening
        this.push(start + back, AWAKE);
        this.push(start + bed, ASLEEP);
        continue;
      }
      for (let i = 0; i < pts.length; i++) {
        if (d === vFrom && pts[i][0] >= leave) break;
        this.push(start + pts[i][0], pts[i][1]);
      }
      if (d === vFrom) this.push(start + leave, AWAY);
    }
  }

  private push(m: number, s: number): void {
    const n = this.times.length;
    if (n > 0) {
      if (this.states[n - 1] === s) return;
      if (m <= this.times[n - 1]) m = this.times[n - 1] + 1; // jitter may reorder two close events
    }
    this.times.push(m);
    this.states.push(s);
  }

  /** State at a minute at or after the last {@link stateAt} (looking ahead; the cursor stays). */
  stateAtAhead(m: number): number {
    let i = this.cursor;
    while (i + 1 < this.times.length && this.times[i + 1] <= m) i++;
    return this.states[i];
  }

  /** State at minute m; calls must come in non-decreasing m (a cursor walks the list). */
  stateAt(m: number): number {
    if (this.cursor > 0 && this.times[this.cursor] > m) this.cursor = 0;
    while (this.cursor + 1 < this.times.length && this.times[this.cursor + 1] <= m) this.cursor++;
    return this.states[this.cursor];
  }
}
