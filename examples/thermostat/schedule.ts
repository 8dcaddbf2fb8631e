/**
 * The learned schedule: the temperature the occupants want at each half hour
 * of the week (336 slots), learned from their manual changes the way Nest's
 * Auto-Schedule does it.
 *
 * - A manual change opens an interval "from now, T °C" that closes at the
 *   next change, when the home empties, or after 12 hours; the interval is
 *   what is learned (so the change's end is known, not guessed).
 * - Early changes count at once: a slot whose time of day has never been
 *   learned on that day takes the value, and so do the same times on every
 *   other not-yet-learned day of the same kind (weekday or weekend), which
 *   gives a basic schedule after a day or two.
 * - Later, one change only becomes a candidate; a second similar change
 *   (within 0.5 °C, same half hour ± 30 min, within 8 days) adopts it: for
 *   every day of the kind when the two were on consecutive days, else for
 *   the days it was seen on (Tuesday-and-Thursday habits stay theirs).
 * - Occupied slots without a change confirm the value they had (and a value
 *   copied from another day becomes that day's own once confirmed).
 *
 * State is 7 bytes per slot (2.4 KB) and saves as one blob.
 */
import { MicrolearnError } from '../../src/errors.js';

export const SLOTS = 336;
/** Slots per day. */
export const PER_DAY = 48;
const DEFAULT = 200; // tenths of °C, the factory schedule
const EARLY_DAYS = 3;
const PENDING_DAYS = 8;
const FORMAT = 1;
const BYTES = 16 + SLOTS * 7;
const MIN_T = 50;
const MAX_T = 350;

function dayKind(day: number): number {
  return day < 5 ? 0 : 1;
}

/** Tenths of °C, rounded half up. */
export function tenths(t: number): number {
  return Math.floor(t * 10 + 0.5);
}

export class Schedule {
  /** Wanted temperature per slot, tenths of °C. */
  readonly want: Int16Array;
  /** 0: factory value; 1: copied from another day; 2 and more: learned here (confirmations + 2, capped at 255). */
  readonly learned: Uint8Array;
  /** A candidate value waiting for a second similar change (0: none), and the day it was seen. */
  readonly pend: Int16Array;
  readonly pendDay: Uint16Array;
  /** Day number of the first learning event (0xffff: none yet). */
  firstDay: number;
  /** Counts since boot, for the summary. */
  adopted = 0;

  constructor() {
    this.want = new Int16Array(SLOTS);
    this.learned = new Uint8Array(SLOTS);
    this.pend = new Int16Array(SLOTS);
    this.pendDay = new Uint16Array(SLOTS);
    for (let i = 0; i < SLOTS; i++) this.want[i] = DEFAULT;
    this.firstDay = 0xffff;
  }

  /**
   * The temperature they want when up and about (tenths of °C): the last
   * one they chose while up. Slots they never set take it, so a comfort
   * temperature learned at 7:00 also serves a Saturday at 11:00.
   */
  comfort = DEFAULT;

  /**
   * The night's temperature (tenths of °C), learned from the turn-downs at
   * bedtime with the same rule as the slots (at once in the first days,
   * later when seen twice); `nightSet` 0 until the first one.
   */
  night = DEFAULT;
  nightSet = 0;
  private nightPend = 0;
  private nightPendDay = 0;

  /** The temperature for sleeping (°C): the learned night's, else the comfort temperature. */
  nightValue(): number {
    return (this.nightSet > 0 ? this.night : this.comfort) / 10;
  }

  /** Learns a turn-down to `t` °C at bedtime on running day `day`. */
  learnNight(t: number, day: number): void {
    const v = tenths(t);
    if (!(v >= MIN_T && v <= MAX_T)) return;
    if (this.firstDay === 0xffff) this.firstDay = day & 0xffff;
    if (this.nightSet > 0 && v - this.night <= 3 && this.night - v <= 3) {
      if (this.nightSet < 255) this.nightSet++;
      return;
    }
    const early = ((day - this.firstDay) & 0xffff) < EARLY_DAYS;
    const seenTwice = this.nightPend !== 0 && this.nightPendDay !== (day & 0xffff) && ((day - this.nightPendDay) & 0xffff) <= PENDING_DAYS && v - this.nightPend <= 5 && this.nightPend - v <= 5;
    if (early || this.nightSet === 0 || seenTwice) {
      if (seenTwice) this.adopted++;
      this.night = v;
      this.nightSet = 1;
      this.nightPend = 0;
      return;
    }
    this.nightPend = v;
    this.nightPendDay = day & 0xffff;
  }

  /** Wanted temperature (°C) at a slot of the week. */
  at(slot: number): number {
    const s = ((slot % SLOTS) + SLOTS) % SLOTS;
    return (this.learned[s] === 0 ? this.comfort : this.want[s]) / 10;
  }

  /**
   * Learns "from minute `from` to minute `to` they wanted `t` °C"; `fromSlot`
   * is the slot of the week at `from` and `day` the running day number of
   * `from` (for the early phase and candidate expiry).
   * Returns the number of slots whose value changed.
   */
  learnInterval(fromSlot: number, from: number, to: number, t: number, day: number): number {
    const v = tenths(t);
    if (!(v >= MIN_T && v <= MAX_T) || !(to > from)) return 0;
    if (this.firstDay === 0xffff) this.firstDay = day & 0xffff;
    const early = ((day - this.firstDay) & 0xffff) < EARLY_DAYS;
    let changed = 0;
    // every slot the interval covers for at least 15 minutes
    const start = from - (from % 30);
    for (let m = start, s = fromSlot; m < to; m += 30, s++) {
      const covered = (to < m + 30 ? to : m + 30) - (from > m ? from : m);
      if (covered < 15) continue;
      changed += this.learnSlot(s % SLOTS, v, early, (day + Math.floor(((fromSlot % PER_DAY) * 30 + m - start) / 1440)) & 0xffff);
    }
    return changed;
  }

  private learnSlot(s: number, v: number, early: boolean, day: number): number {
    const d = Math.floor(s / PER_DAY);
    const tod = s % PER_DAY;
    const kind = dayKind(d);
    const diff = v - (this.learned[s] === 0 ? this.comfort : this.want[s]);
    if (diff <= 3 && diff >= -3) {
      this.confirm(s);
      return 0;
    }
    if (early || this.learned[s] < 2) {
      // counts at once, here and on the days of the same kind that have not learned this time themselves
      let n = 0;
      for (let e = 0; e < 7; e++) {
        const o = e * PER_DAY + tod;
        if (e === d || (dayKind(e) === kind && this.learned[o] < 2)) {
          if (this.want[o] !== v) n++;
          this.want[o] = v;
          this.pend[o] = 0;
          this.learned[o] = e === d ? 2 : 1;
        }
      }
      return n;
    }
    // later: a candidate, adopted when a similar change was seen on another day (or a week before)
    for (let e = 0; e < 7; e++) {
      if (dayKind(e) !== kind) continue;
      for (let k = -1; k <= 1; k++) {
        const o = e * PER_DAY + ((tod + k + PER_DAY) % PER_DAY);
        const p = this.pend[o];
        if (p === 0 || ((day - this.pendDay[o]) & 0xffff) > PENDING_DAYS) continue;
        if (e === d && this.pendDay[o] === day) continue; // the same day's change (or a neighbour slot of it)
        if (p - v > 5 || v - p > 5) continue;
        // seen twice: consecutive days make it a habit of the whole kind, else of those days
        const whole = e === (d + 1) % 7 || d === (e + 1) % 7;
        let n = 0;
        for (let f = 0; f < 7; f++) {
          if (dayKind(f) !== kind || (!whole && f !== d && f !== e)) continue;
          const q = f * PER_DAY + tod;
          if (this.want[q] !== v) n++;
          this.want[q] = v;
          this.learned[q] = 2;
          this.pend[q] = 0;
        }
        this.pend[o] = 0;
        this.adopted++;
        return n;
      }
    }
    this.pend[s] = v;
    this.pendDay[s] = day;
    return 0;
  }

  /** An occupied slot went by without a change: its value (as {@link at} gives it) is confirmed. */
  confirm(slot: number): void {
    const s = ((slot % SLOTS) + SLOTS) % SLOTS;
    if (this.learned[s] === 0) this.want[s] = this.comfort;
    if (this.learned[s] < 2) this.learned[s] = 2;
    else if (this.learned[s] < 255) this.learned[s]++;
  }

  /**
   * The schedule as bytes: "TS", format, 0, first day (u16), comfort (u16),
   * night (u16), night count, 0, night candidate (u16) and its day (u16),
   * then per slot: want (i16), learned, candidate (i16), its day (u16).
   */
  toBytes(): Uint8Array {
    const b = new Uint8Array(BYTES);
    b[0] = 84;
    b[1] = 83;
    b[2] = FORMAT;
    b[4] = this.firstDay & 0xff;
    b[5] = this.firstDay >> 8;
    b[6] = this.comfort & 0xff;
    b[7] = this.comfort >> 8;
    b[8] = this.night & 0xff;
    b[9] = this.night >> 8;
    b[10] = this.nightSet;
    b[12] = this.nightPend & 0xff;
    b[13] = this.nightPend >> 8;
    b[14] = this.nightPendDay & 0xff;
    b[15] = this.nightPendDay >> 8;
    let p = 16;
    for (let i = 0; i < SLOTS; i++) {
      b[p] = this.want[i] & 0xff;
      b[p + 1] = (this.want[i] >> 8) & 0xff;
      b[p + 2] = this.learned[i];
      b[p + 3] = this.pend[i] & 0xff;
      b[p + 4] = (this.pend[i] >> 8) & 0xff;
      b[p + 5] = this.pendDay[i] & 0xff;
      b[p + 6] = this.pendDay[i] >> 8;
      p += 7;
    }
    return b;
  }

  /** The schedule saved by {@link toBytes}; throws E_CORRUPT (E_VERSION) on bytes it cannot trust. */
  static fromBytes(b: Uint8Array): Schedule {
    if (!(b instanceof Uint8Array) || b.length !== BYTES || b[0] !== 84 || b[1] !== 83)
      throw new MicrolearnError('E_CORRUPT', 'not a thermostat schedule (' + (b && b.length) + ' bytes)');
    if (b[2] !== FORMAT) throw new MicrolearnError('E_VERSION', 'schedule format ' + b[2] + ', this build reads ' + FORMAT);
    const s = new Schedule();
    s.firstDay = b[4] | (b[5] << 8);
    s.comfort = b[6] | (b[7] << 8);
    s.night = b[8] | (b[9] << 8);
    s.nightSet = b[10];
    s.nightPend = b[12] | (b[13] << 8);
    s.nightPendDay = b[14] | (b[15] << 8);
    if (s.comfort < MIN_T || s.comfort > MAX_T || s.night < MIN_T || s.night > MAX_T || (s.nightPend !== 0 && (s.nightPend < MIN_T || s.nightPend > MAX_T)))
      throw new MicrolearnError('E_CORRUPT', 'schedule comfort or night temperature out of range');
    let p = 16;
    for (let i = 0; i < SLOTS; i++) {
      const w = (b[p] | (b[p + 1] << 8)) << 16 >> 16;
      const q = (b[p + 3] | (b[p + 4] << 8)) << 16 >> 16;
      if (w < MIN_T || w > MAX_T || (q !== 0 && (q < MIN_T || q > MAX_T)))
        throw new MicrolearnError('E_CORRUPT', 'schedule slot ' + i + ' holds an impossible temperature');
      s.want[i] = w;
      s.learned[i] = b[p + 2];
      s.pend[i] = q;
      s.pendDay[i] = b[p + 5] | (b[p + 6] << 8);
      p += 7;
    }
    return s;
  }
}
