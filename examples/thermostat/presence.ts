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
 *
 * Each slot also counts the labels that moved it, so that a fleet of flats
 * can merge its tables ({@link Presence.merge}: a per-slot mean weighted by
 * those counts, docs/fleet.md) and a flat can start from the fleet's table
 * ({@link Presence.adopt}).
 */
import { MicrolearnError } from '../../src/errors.js';
import { crc32 } from '../../src/crc32.js';
import { floorDiv } from '../../src/fixed.js';
import { MAX_MERGE, WeightedMean } from '../../src/merge.js';
import { PER_DAY, SLOTS } from './schedule.js';

const NONE = -1e9;
/** States. */
export const PRESENT = 0;
export const QUIET = 1;
export const AWAY = 2;
/** 2: with the label counts and a CRC-32. Format 1 (the tables alone) is still read, with counts 0. */
const FORMAT = 2;
/** Longest stillness (minutes) believed by day. */
const QUIET_MAX = 180;
/** Longest night (minutes) without a sign of life. */
const NIGHT_MAX = 14 * 60;
const BYTES_1 = 4 + 2 * SLOTS;
const BYTES = 4 + 6 * SLOTS + 4;
const COUNT_MAX = 65535;
const UP = 0;
const ASLEEP = 1;
const OUT = 2;
/** Labels of a half hour ({@link Presence.learnSlot}): someone home and up, home and asleep, nobody home. */
export const LABEL_UP = UP;
export const LABEL_ASLEEP = ASLEEP;
export const LABEL_AWAY = OUT;
/** An absence of more than 20 hours is a trip, not a habit: its half hours are not learned. */
const TRIP = 20 * 60;
const TRIP_LABEL = 3;

export class Presence {
  /** P(someone home) per slot of the week, 0..255 (255 = certain). */
  readonly prob: Uint8Array;
  /** P(asleep | someone home) per slot of the week, 0..255. */
  readonly sleep: Uint8Array;
  /** Labels that moved each slot of `prob` (its own and those of the same time on the other days of its kind), saturating at 65535: its weight in a merge. */
  readonly probCount: Uint16Array;
  /** The same for `sleep` (labels of a home: up or asleep). */
  readonly sleepCount: Uint16Array;
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
    this.probCount = new Uint16Array(SLOTS);
    this.sleepCount = new Uint16Array(SLOTS);
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
      if (what !== TRIP_LABEL) this.learnSlot(this.pendingSlot, what);
      this.pendingFrom += 30;
      this.pendingSlot = (this.pendingSlot + 1) % SLOTS;
    }
  }

  /**
   * Learns that half hour `slot` of the week (0..335) was {@link LABEL_UP},
   * {@link LABEL_ASLEEP} or {@link LABEL_AWAY}: what the presence logic
   * calls once a half hour is over (a reference table of a fleet learns the
   * same labels). Anything else is E_INPUT, the tables unchanged.
   */
  learnSlot(slot: number, label: number): void {
    if (typeof slot !== 'number' || Math.floor(slot) !== slot || !(slot >= 0 && slot < SLOTS)) throw new MicrolearnError('E_INPUT', 'slot must be an integer 0..' + (SLOTS - 1) + ', got ' + slot);
    if (label !== UP && label !== ASLEEP && label !== OUT) throw new MicrolearnError('E_INPUT', 'label must be LABEL_UP, LABEL_ASLEEP or LABEL_AWAY, got ' + label);
    learn(this.prob, this.probCount, slot, label === OUT ? 0 : 255);
    if (label !== OUT) learn(this.sleep, this.sleepCount, slot, label === ASLEEP ? 255 : 0);
  }

  /**
   * Takes the tables of `from` (a fleet's merged table) and goes on learning
   * from them; the counts restart at 0, so they count the labels learned since,
   * this table's weight in the next merge (as a fleet device reports the
   * samples since its global model). The state of the home now is kept.
   */
  adopt(from: Presence): void {
    if (from === null || typeof from !== 'object' || from.constructor !== Presence) throw new MicrolearnError('E_TYPE', 'can only adopt a Presence');
    this.prob.set(from.prob);
    this.sleep.set(from.sleep);
    for (let i = 0; i < SLOTS; i++) {
      this.probCount[i] = 0;
      this.sleepCount[i] = 0;
    }
  }

  /**
   * A new table merging `tables` (a fleet of flats): each slot of each table
   * is the mean of the tables' values there, rounded half up once. Without
   * `weights`, a table's weight at a slot is its count there (the labels that
   * moved it; a slot no table has learned takes the plain mean); with
   * `weights` (integers 0..2^32 − 1, one per table), every slot of a table
   * has that weight: `merge([local, fleet], [1, 1])` is a 50/50 mix. The
   * counts of the result are the sums of the counts (saturating at 65535).
   * Exact integer sums: the same bytes for any order of the tables and on
   * every engine; a merge of merges can differ from the flat merge by 1 (of
   * 255) per level, from the rounding. Throws E_INPUT for an empty list, too
   * many tables or bad weights, E_TYPE for anything but a Presence, E_STATE when
   * every weight is 0; the inputs are left as they were. The result's state is
   * a fresh one (present, nothing pending).
   */
  static merge(tables: ReadonlyArray<Presence>, weights?: ArrayLike<number>): Presence {
    if (!tables || typeof tables.length !== 'number' || tables.length < 1) throw new MicrolearnError('E_INPUT', 'merge needs a non-empty array of occupancy tables');
    const n = tables.length;
    if (n > MAX_MERGE) throw new MicrolearnError('E_INPUT', 'at most ' + MAX_MERGE + ' tables in one merge (merge larger fleets in shards)');
    for (let k = 0; k < n; k++) {
      const t = tables[k];
      if (t === null || typeof t !== 'object' || t.constructor !== Presence) throw new MicrolearnError('E_TYPE', 'table ' + k + ' is not a Presence');
    }
    if (weights !== undefined && (weights === null || typeof weights !== 'object' || weights.length !== n)) throw new MicrolearnError('E_INPUT', 'expected ' + n + ' weights');
    const out = new Presence();
    if (weights !== undefined) {
      // one weight per table for every slot: the exact weighted mean of src/merge.ts
      const mean = new WeightedMean(n, weights, function () {
        return 0;
      });
      const v = new Int32Array(SLOTS);
      const ins: Int32Array[] = [];
      for (let k = 0; k < n; k++) ins.push(new Int32Array(SLOTS));
      for (let t = 0; t < 2; t++) {
        for (let k = 0; k < n; k++) ins[k].set(t === 0 ? tables[k].prob : tables[k].sleep); // Int32Array.from: not on Espruino
        mean.ints(v, ins);
        (t === 0 ? out.prob : out.sleep).set(v);
      }
    } else {
      weightedBySlot(out.prob, tables, 'prob', 'probCount');
      weightedBySlot(out.sleep, tables, 'sleep', 'sleepCount');
    }
    for (let s = 0; s < SLOTS; s++) {
      let a = 0;
      let b = 0;
      for (let k = 0; k < n; k++) {
        a += tables[k].probCount[s];
        b += tables[k].sleepCount[s];
      }
      out.probCount[s] = a > COUNT_MAX ? COUNT_MAX : a;
      out.sleepCount[s] = b > COUNT_MAX ? COUNT_MAX : b;
    }
    return out;
  }

  /** The tables as bytes: "TP", format, 0, P(home) and P(asleep) per slot, their counts (uint16 little-endian), CRC-32 of all before it (little-endian). */
  toBytes(): Uint8Array {
    const b = new Uint8Array(BYTES);
    b[0] = 84;
    b[1] = 80;
    b[2] = FORMAT;
    b.set(this.prob, 4);
    b.set(this.sleep, 4 + SLOTS);
    let o = 4 + 2 * SLOTS;
    for (let i = 0; i < SLOTS; i++, o += 2) {
      b[o] = this.probCount[i] & 255;
      b[o + 1] = this.probCount[i] >> 8;
    }
    for (let i = 0; i < SLOTS; i++, o += 2) {
      b[o] = this.sleepCount[i] & 255;
      b[o + 1] = this.sleepCount[i] >> 8;
    }
    const c = crc32(b, 0, o);
    b[o] = c & 255;
    b[o + 1] = (c >>> 8) & 255;
    b[o + 2] = (c >>> 16) & 255;
    b[o + 3] = c >>> 24;
    return b;
  }

  /** Reads {@link toBytes}' bytes (or format 1's, counts 0). E_CORRUPT for damaged bytes, E_VERSION for a format this build does not know. */
  static fromBytes(b: Uint8Array): Presence {
    if (!(b instanceof Uint8Array) || b.length < 4 || b[0] !== 84 || b[1] !== 80 || b[3] !== 0)
      throw new MicrolearnError('E_CORRUPT', 'not a thermostat occupancy table (' + (b && b.length) + ' bytes)');
    if (b[2] !== FORMAT && b[2] !== 1) throw new MicrolearnError('E_VERSION', 'occupancy table format ' + b[2] + ', this build reads 1 and ' + FORMAT);
    const size = b[2] === 1 ? BYTES_1 : BYTES;
    if (b.length !== size) throw new MicrolearnError('E_CORRUPT', 'occupancy table of format ' + b[2] + ' has ' + b.length + ' bytes, expected ' + size);
    const p = new Presence();
    p.prob.set(b.subarray(4, 4 + SLOTS));
    p.sleep.set(b.subarray(4 + SLOTS, 4 + 2 * SLOTS));
    if (b[2] === 1) return p;
    let o = 4 + 2 * SLOTS;
    const c = (b[BYTES - 4] | (b[BYTES - 3] << 8) | (b[BYTES - 2] << 16) | (b[BYTES - 1] << 24)) >>> 0;
    if (crc32(b, 0, BYTES - 4) !== c) throw new MicrolearnError('E_CORRUPT', 'occupancy table fails its CRC');
    for (let i = 0; i < SLOTS; i++, o += 2) p.probCount[i] = b[o] | (b[o + 1] << 8);
    for (let i = 0; i < SLOTS; i++, o += 2) p.sleepCount[i] = b[o] | (b[o + 1] << 8);
    return p;
  }
}

/**
 * out[s] = Σ_k c_k[s]·v_k[s] / Σ_k c_k[s], rounded half up, with c = the
 * tables' counts (all 1 where every count is 0). Exact: Σ c·v < 65536·256·2^19 = 2^43.
 */
function weightedBySlot(out: Uint8Array, tables: ReadonlyArray<Presence>, values: 'prob' | 'sleep', counts: 'probCount' | 'sleepCount'): void {
  const n = tables.length;
  for (let s = 0; s < SLOTS; s++) {
    let w = 0;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const c = tables[k][counts][s];
      w += c;
      sum += c * tables[k][values][s];
    }
    if (w === 0) {
      w = n;
      for (let k = 0; k < n; k++) sum += tables[k][values][s];
    }
    out[s] = floorDiv(2 * sum + w, 2 * w);
  }
}

/** Moves slot `s` of `t` toward `v` by 1/3, and the same time on the other days of its kind by 1/8, counting the label in each slot it moved. */
function learn(t: Uint8Array, count: Uint16Array, s: number, v: number): void {
  const tod = s % PER_DAY;
  const weekend = s >= 5 * PER_DAY;
  for (let d = 0; d < 7; d++) {
    const o = d * PER_DAY + tod;
    if (o !== s && d >= 5 !== weekend) continue;
    const p = t[o];
    t[o] = p + Math.floor((v - p) / (o === s ? 3 : 8));
    if (count[o] < COUNT_MAX) count[o]++;
  }
}
