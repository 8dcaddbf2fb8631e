/**
 * Occupancy: is anyone home now, up or asleep, and how likely is each at
 * every half hour of the week?
 *
 * Evidence of presence is a press of the light switch, a turn of the dial,
 * or motion (after a gap, two triggers within 10 minutes: one alone is a
 * night-time trip or a false trigger). A stretch without evidence (a gap) is
 * either a quiet home or an empty one. It is a night when the dial was
 * turned down just before it began or when the week's sleep table says they
 * are usually asleep now; then it is called after 20 minutes. Otherwise the
 * gap is called "away" after a wait that depends on how often someone is home
 * at this time (30 min, 1 h or 2 h), unless the table says someone is nearly
 * always home now: then it is a quiet home. A quiet home becomes "away" after
 * 3 hours without a sign of life, 14 hours for a night. With a CO2 sensor,
 * the air also says when a quiet home has emptied: an empty home's CO2 decays
 * toward the outdoor level.
 *
 * When a half hour ends (or a gap does), it is labelled: home and up, home
 * and asleep, or away. Two tables learn the labels: P(home | slot) and
 * P(asleep | home, slot); each label moves the slot by 1/3 and the same time
 * on the other days of its kind (weekday, weekend) by 1/8, so a weekday habit
 * is learned in days and a Wednesday's own habit over weeks. An absence of
 * more than 20 hours (a trip) teaches nothing about habits. Before any
 * learning, the tables assume people are home and asleep 23:00..06:30.
 */
import { MicrolearnError } from '../../src/errors.js';
import { PER_DAY, SLOTS } from './schedule.js';

const NONE = -1e9;
/** States. */
export const PRESENT = 0;
export const QUIET = 1;
export const AWAY = 2;
const FORMAT = 1;
/** Longest stillness (minutes) believed by day. */
const QUIET_MAX = 180;
/** Longest night (minutes) without a sign of life. */
const NIGHT_MAX = 14 * 60;
const BYTES = 4 + 2 * SLOTS;
const UP = 0;
const ASLEEP = 1;
const OUT = 2;
/** An absence of more than 20 hours is a trip, not a habit: its half hours are not learned. */
const TRIP = 20 * 60;
const TRIP_LABEL = 3;

export class Presence {
  /** P(someone home) per slot of the week, 0..255 (255 = certain). */
  readonly prob: Uint8Array;
  /** P(asleep | someone home) per slot of the week, 0..255. */
  readonly sleep: Uint8Array;
  /** PRESENT (evidence within the wait), QUIET (a gap at a still home) or AWAY. */
  state = PRESENT;
  /** The quiet is a night (after a turn-down, or where they usually sleep). */
  night = false;
  /** Up after a night, still in the hours they are often asleep (early risers). Cleared by the caller once the day has begun. */
  afterNight = false;
  /** Minute of the last evidence. */
  lastEvidence = NONE;
  /**
   * Set to the start of a period of activity once it is one (three signs of
   * life within 20 minutes after a gap): someone woke or came home.
   * The caller reads it and resets it to NONE.
   */
  wokeAt = NONE;
  private presentSince = NONE;
  private activeMinutes = 0;
  private lastMotion = NONE;
  private lastTurnDown = NONE;
  /** Minute and slot of the first half hour not yet labelled. */
  private pendingFrom = NONE;
  private pendingSlot = 0;
  private co2AtGap = -1;

  constructor() {
    this.prob = new Uint8Array(SLOTS);
    this.sleep = new Uint8Array(SLOTS);
    // the factory prior: people are home and asleep from 23:00 to 06:30, unknown otherwise
    for (let i = 0; i < SLOTS; i++) {
      const tod = i % PER_DAY;
      const night = tod >= 46 || tod < 13;
      this.prob[i] = night ? 200 : 128;
      this.sleep[i] = night ? 160 : 0;
    }
  }

  /** P(home) at a slot of the week, 0..1. */
  at(slot: number): number {
    return this.prob[((slot % SLOTS) + SLOTS) % SLOTS] / 255;
  }

  /** True where they are usually asleep (when home). */
  asleepAt(slot: number): boolean {
    return this.sleep[((slot % SLOTS) + SLOTS) % SLOTS] >= 128;
  }

  /** True where they are often asleep by now (P ≥ `p`): for a plan that drops to the night's temperature before most go to bed. */
  oftenAsleepAt(slot: number, p: number): boolean {
    return this.sleep[((slot % SLOTS) + SLOTS) % SLOTS] >= p * 255;
  }

  /** The dial was turned down (a likely bedtime). */
  turnedDown(minute: number): void {
    this.lastTurnDown = minute;
  }

  /** Minutes since the last evidence of presence. */
  quietFor(minute: number): number {
    return minute - this.lastEvidence;
  }

  /** One minute. `motion`: the PIR triggered; `co2`: ppm, or a negative number without a sensor. */
  update(minute: number, slot: number, motion: boolean, co2: number): void {
    if (this.pendingFrom === NONE) {
      // just booted: as if someone had been seen now (a power cut must not turn a sleeping home into an empty one)
      this.pendingFrom = minute - (minute % 30);
      this.pendingSlot = slot;
      this.lastEvidence = minute;
    }
    if (minute % 30 === 0 && minute > this.pendingFrom) {
      // a half hour ended: with someone up in its second half, it was "home and up" (else the gap decides); a long absence is a trip
      if (this.state === PRESENT && minute - this.lastEvidence <= 15) this.label(minute, UP);
      else if (this.state === AWAY && minute - this.lastEvidence > TRIP) this.label(minute, TRIP_LABEL);
    }
    if (motion) {
      this.evidence(minute, false);
      if (this.state === PRESENT) return;
    }
    if (co2 >= 0 && this.co2AtGap < 0) this.co2AtGap = co2;
    const gap = minute - this.lastEvidence;
    if (this.state === PRESENT) {
      const night = this.lastEvidence - this.lastTurnDown <= 60 || this.sleep[slot] >= 128;
      const p = this.prob[slot];
      const wait = night ? 20 : p < 77 ? 30 : p < 153 ? 60 : 120;
      if (gap >= wait) {
        this.night = night;
        this.state = night || p >= 230 ? QUIET : AWAY;
      }
    } else if (this.state === QUIET) {
      if (co2 >= 0 && this.co2AtGap >= 0 && this.co2AtGap - co2 > 250 && co2 < 600) this.state = AWAY;
      else if (gap >= (this.night ? NIGHT_MAX : QUIET_MAX)) this.state = AWAY;
    }
  }

  /**
   * A sign of life at `minute`: `sure` for a press of the switch or a turn
   * of the dial; a motion trigger after a gap counts only with a second one
   * within 10 minutes.
   */
  evidence(minute: number, sure: boolean): void {
    const first = minute - this.lastMotion > 10;
    if (!sure) this.lastMotion = minute;
    if (this.state !== PRESENT && !sure && first) return;
    if (this.state !== PRESENT) {
      if (this.state === QUIET && this.night) this.afterNight = true;
      // the gap is over: its half hours were asleep (a night), up (a still home) or away
      const trip = this.state === AWAY && minute - this.lastEvidence > TRIP;
      this.label(minute - (minute % 30), trip ? TRIP_LABEL : this.state === AWAY ? OUT : this.night ? ASLEEP : UP);
      this.presentSince = minute;
      this.activeMinutes = 0;
    }
    if (minute !== this.lastEvidence) this.activeMinutes++;
    if (this.activeMinutes === 3 && minute - this.presentSince <= 20) this.wokeAt = this.presentSince;
    this.state = PRESENT;
    this.lastEvidence = minute;
    this.co2AtGap = -1;
  }

  /** Labels every pending half hour before `until` (a slot boundary). */
  private label(until: number, what: number): void {
    while (this.pendingFrom + 30 <= until) {
      if (what !== TRIP_LABEL) learn(this.prob, this.pendingSlot, what === OUT ? 0 : 255);
      if (what === UP || what === ASLEEP) learn(this.sleep, this.pendingSlot, what === ASLEEP ? 255 : 0);
      this.pendingFrom += 30;
      this.pendingSlot = (this.pendingSlot + 1) % SLOTS;
    }
  }

  /** The tables as bytes: "TP", format, 0, then P(home) and P(asleep) per slot. */
  toBytes(): Uint8Array {
    const b = new Uint8Array(BYTES);
    b[0] = 84;
    b[1] = 80;
    b[2] = FORMAT;
    b.set(this.prob, 4);
    b.set(this.sleep, 4 + SLOTS);
    return b;
  }

  static fromBytes(b: Uint8Array): Presence {
    if (!(b instanceof Uint8Array) || b.length !== BYTES || b[0] !== 84 || b[1] !== 80)
      throw new MicrolearnError('E_CORRUPT', 'not a thermostat occupancy table (' + (b && b.length) + ' bytes)');
    if (b[2] !== FORMAT) throw new MicrolearnError('E_VERSION', 'occupancy table format ' + b[2] + ', this build reads ' + FORMAT);
    const p = new Presence();
    p.prob.set(b.subarray(4, 4 + SLOTS));
    p.sleep.set(b.subarray(4 + SLOTS, 4 + 2 * SLOTS));
    return p;
  }
}

/** Moves slot `s` of `t` toward `v` by 1/3, and the same time on the other days of its kind by 1/8. */
function learn(t: Uint8Array, s: number, v: number): void {
  const tod = s % PER_DAY;
  const weekend = s >= 5 * PER_DAY;
  for (let d = 0; d < 7; d++) {
    const o = d * PER_DAY + tod;
    if (o !== s && d >= 5 !== weekend) continue;
    const p = t[o];
    t[o] = p + Math.floor((v - p) / (o === s ? 3 : 8));
  }
}
