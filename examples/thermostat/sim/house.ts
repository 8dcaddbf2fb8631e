/**
 * A one-zone RC thermal model of a house: heat capacity C (J/K) of the air
 * and furnishings, heat loss UA (W/K) to the outdoors, an on/off heater of
 * fixed power, and free gains (people, sun). Integrated with one explicit
 * Euler step per simulated minute (the time constant C/UA is hours).
 */
export interface HouseParams {
  /** Heat loss coefficient (W/K): walls, windows, ventilation. */
  ua: number;
  /** Effective heat capacity (J/K). */
  capacity: number;
  /** Heater output when on (W). */
  heaterW: number;
  /** Peak solar gain through the windows on a clear day (W). */
  solarW: number;
  /** Indoor temperature at the start (°C). */
  start: number;
}

export class House {
  /** Indoor air temperature (°C). */
  t: number;
  readonly p: HouseParams;

  constructor(p: HouseParams) {
    this.p = p;
    this.t = p.start;
  }

  /** Advances one minute. */
  step(heaterOn: boolean, outdoor: number, gainsW: number): void {
    const p = this.p;
    const q = (heaterOn ? p.heaterW : 0) + p.ua * (outdoor - this.t) + gainsW;
    this.t += (60 * q) / p.capacity;
  }

  /** The true heating rate (K/h) with the heater on at indoor `t` and outdoor `out`, no free gains. */
  heatingRate(t: number, out: number): number {
    return (3600 * (this.p.heaterW + this.p.ua * (out - t))) / this.p.capacity;
  }
}
