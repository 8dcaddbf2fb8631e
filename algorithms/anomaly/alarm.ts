/**
 * AlarmFilter: k-of-n debouncing of per-sample anomaly flags, so that one
 * noisy window does not page an operator and a real fault is reported once.
 */
import { fail } from '../../src/errors.js';
import { checkOptions, mutable, optInt } from '../../src/learner.js';

/** Options of {@link AlarmFilter}. */
export interface AlarmFilterOptions {
  /** Flags among the last `n` that raise the alarm, 1..n (default 3). */
  k?: number;
  /** Length of the look-back, 1..32 (default 5). */
  n?: number;
}

/**
 * The alarm is on while at least k of the last n flags were set. Holds n bits
 * of state; `update` allocates nothing.
 *
 * @example
 * const f = new AlarmFilter({ k: 3, n: 5 });
 * f.update(detector.monitorOne(x) > detector.threshold()); // the debounced state
 */
export class AlarmFilter {
  readonly k: number;
  readonly n: number;
  /** The debounced state after the last update. */
  readonly on: boolean;
  /** Bit i: the flag of i updates ago. */
  private bits: number;
  private count: number;

  constructor(opts?: AlarmFilterOptions) {
    const o = checkOptions(opts === undefined ? {} : opts);
    this.n = optInt(o, 'n', 5, 1, 32);
    this.k = optInt(o, 'k', this.n < 3 ? this.n : 3, 1, 32);
    if (this.k > this.n) fail('E_OPTION', 'option k must be at most n (' + this.n + '), got ' + this.k);
    this.on = false;
    this.bits = 0;
    this.count = 0;
  }

  /** Records one flag; returns the debounced state. */
  update(flag: boolean): boolean {
    const top = (this.bits >>> (this.n - 1)) & 1; // the flag that leaves the look-back
    this.bits = this.n === 32 ? (this.bits << 1) | (flag ? 1 : 0) : ((this.bits << 1) | (flag ? 1 : 0)) & ((1 << this.n) - 1);
    this.count += (flag ? 1 : 0) - top;
    mutable(this).on = this.count >= this.k;
    return this.on;
  }

  /** Forgets every flag (alarm off). */
  reset(): void {
    this.bits = 0;
    this.count = 0;
    mutable(this).on = false;
  }
}
