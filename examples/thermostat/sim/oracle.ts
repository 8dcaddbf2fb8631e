/**
 * A reference, not a product: a thermostat that knows the household's plan
 * (who is home, up or asleep, minute by minute, noise included) and the
 * house's exact physics, and heats with the same relay. It shows what the
 * comfort measure allows at best: every change between the day's and the
 * night's temperature takes the room time to follow, and an empty home at
 * eco takes time to warm. The benchmark prints its comfort next to ours.
 */
import { relay, Readings } from '../thermostat.js';
import { Controller } from './world.js';
import { ASLEEP, AWAKE, AWAY, Household, Plan } from './household.js';

const LOOKAHEAD = 8 * 60;

export class Oracle implements Controller {
  heater = false;
  light = false;
  setpoint = 20;
  private readonly h: Household;
  private readonly plan: Plan;
  private readonly eco: number;

  /** `seed` and `weeks`: the World's (its plan is drawn with seed + 1). */
  constructor(h: Household, weeks: number, seed: number, eco?: number) {
    this.h = h;
    this.plan = new Plan(h, weeks, seed + 1);
    this.eco = eco === undefined ? 16 : eco;
  }

  private want(state: number): number {
    return state === AWAKE ? this.h.wantAwake : state === ASLEEP ? this.h.wantAsleep : this.eco;
  }

  /** K/h with the heater on (true) or off at `t` indoors, `out` outdoors, without free gains. */
  private rate(on: boolean, t: number, out: number): number {
    const p = this.h.house;
    return (3600 * ((on ? p.heaterW : 0) + p.ua * (out - t))) / p.capacity;
  }

  tick(minute: number, r: Readings): void {
    const now = this.plan.stateAt(minute);
    const here = this.want(now);
    let target = here;
    const t = r.temperature;
    // the next change of wanted temperature: start heating (or stop) so the room is within 0.4 °C of it on time,
    // without leaving the present one's comfort band when someone is home
    for (let k = 1; k <= LOOKAHEAD; k++) {
      const next = this.want(this.plan.stateAtAhead(minute + k));
      if (next === here) continue;
      if (next > here) {
        const end = now === AWAY ? next - 0.4 : next - 0.4 < here + 0.45 ? next - 0.4 : here + 0.45;
        const r1 = this.rate(true, (t + end) / 2, r.outdoor);
        if (end > t && r1 > 0 && ((end - t) / r1) * 60 >= k) target = next;
      } else if (now !== AWAY) {
        const end = here - 0.45 > next + 0.4 ? here - 0.45 : next + 0.4;
        const r0 = this.rate(false, (t + end) / 2, r.outdoor);
        if (end < t && r0 < 0 && ((t - end) / -r0) * 60 >= k) target = next;
      }
      break;
    }
    this.setpoint = target;
    this.heater = relay(this.heater, t, target);
  }

  dial(target: number, minute: number): void {}

  lightSwitch(on: boolean, minute: number): void {
    this.light = on;
  }
}
