/**
 * Winter weather for the household simulator: outdoor temperature with a
 * day/night swing, a seasonal drift over the weeks and passing weather
 * fronts, and daylight (indoor lux near a window, and solar gain) with
 * cloudy and clear days. Hourly values are precomputed from a seeded
 * Random; everything is + - * / and floor, so every engine gives the same
 * bits (no Math.sin/exp, which differ between engines).
 */
import { Random } from '../../../src/random.js';

/** Day swing of the outdoor temperature, -1 (around 05:00) .. +1 (15:00), by hour. */
const SWING = [
  -0.7, -0.8, -0.9, -0.95, -1, -1, -0.95, -0.8, -0.55, -0.25, 0.1, 0.4, 0.65, 0.85, 0.97, 1, 0.9, 0.7, 0.45, 0.2, 0, -0.2, -0.4, -0.55,
];

/** Approximately normal N(0, 1) from four uniforms (Irwin–Hall), exact on every engine. */
export function gauss(rng: Random): number {
  let s = 0;
  for (let i = 0; i < 4; i++) s += rng.nextU32() / 4294967296;
  return (s - 2) * 1.7320508075688772;
}

/** Round half up to an integer, the same on every engine (Espruino's Math.round differs for negative halves). */
export function roundInt(x: number): number {
  return Math.floor(x + 0.5);
}

export interface WeatherOptions {
  /** Mean outdoor temperature (°C) of each simulated week. */
  weeklyMean: number[];
  /** Half the day/night difference (°C), default 3. */
  swing?: number;
  seed: number;
}

/** Sun height shape 0..1 of a winter day: up 07:45, full 09:45..14:30, down 16:30. */
function sun(minuteOfDay: number): number {
  if (minuteOfDay < 465 || minuteOfDay >= 990) return 0;
  if (minuteOfDay < 585) return (minuteOfDay - 465) / 120;
  if (minuteOfDay < 870) return 1;
  return (990 - minuteOfDay) / 120;
}

export class Weather {
  readonly hours: number;
  private readonly temp: Float64Array;
  private readonly cloud: Float64Array; // per day, 0 clear .. 1 overcast

  constructor(opts: WeatherOptions) {
    const rng = new Random(opts.seed);
    const weeks = opts.weeklyMean.length;
    const days = weeks * 7;
    this.hours = days * 24;
    this.temp = new Float64Array(this.hours + 1);
    this.cloud = new Float64Array(days + 1);
    const swing = opts.swing === undefined ? 3 : opts.swing;
    let front = 0;
    for (let d = 0; d <= days; d++) this.cloud[d] = 0.15 + 0.85 * (rng.nextU32() / 4294967296);
    for (let h = 0; h <= this.hours; h++) {
      // seasonal mean: linear between the centres of consecutive weeks
      const w = h / 168 - 0.5;
      const i = w < 0 ? 0 : Math.floor(w);
      const a = i >= weeks - 1 ? weeks - 1 : i;
      const b = a + 1 >= weeks ? weeks - 1 : a + 1;
      const f = w < 0 ? 0 : w - i > 1 ? 1 : w - i;
      const mean = opts.weeklyMean[a] + (opts.weeklyMean[b] - opts.weeklyMean[a]) * f;
      front = 0.98 * front + 0.35 * gauss(rng);
      const day = Math.floor(h / 24);
      // clear days swing more (cold nights, sunny afternoons)
      const amp = swing * (1.4 - 0.8 * this.cloud[day]);
      this.temp[h] = mean + amp * SWING[h % 24] + front;
    }
  }

  /** Outdoor temperature (°C) at a minute of the run, linear between hours. */
  outdoor(minute: number): number {
    const h = Math.floor(minute / 60);
    if (h >= this.hours) return this.temp[this.hours];
    const f = (minute - h * 60) / 60;
    return this.temp[h] + (this.temp[h + 1] - this.temp[h]) * f;
  }

  /** Daylight (lux) reaching a sensor near a window. */
  daylight(minute: number): number {
    const day = Math.floor(minute / 1440);
    return 900 * sun(minute - day * 1440) * (1.1 - this.cloud[day]);
  }

  /** Solar heat gain through the windows (W). */
  solarGain(minute: number, peakW: number): number {
    const day = Math.floor(minute / 1440);
    return peakW * sun(minute - day * 1440) * (1 - this.cloud[day]);
  }
}
