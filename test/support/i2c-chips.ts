/**
 * Register-level models of the thermostat's I2C chips, behind one bus, for
 * driving the drivers (examples/thermostat/sensors.ts) and the device
 * bundles without hardware: a BME280 holding calibration words and raw ADC
 * values, and a BH1750 holding a raw count.
 */
import { I2CBus } from '../../examples/thermostat/sensors.js';

function le16(v: number): number[] {
  const u = v < 0 ? v + 65536 : v;
  return [u & 0xff, u >> 8];
}

export interface BME280Calibration {
  t: number[];
  p: number[];
  h: number[];
}

/** The BMP280 datasheet's example (section 3.12) for T and P; typical BME280 humidity words. */
export const DATASHEET: BME280Calibration = {
  t: [27504, 26435, -1000],
  p: [36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000],
  h: [75, 362, 0, 313, 50, 30],
};

export class SimulatedChips implements I2CBus {
  readonly writes: number[][] = [];
  /** Raw ADC values the BME280 reports. */
  adcT = 519888;
  adcP = 415148;
  adcH = 30000;
  /** The BH1750's raw count (lux × 1.2). */
  lightCount = 120;
  chipId = 0x60;
  private readonly regs = new Uint8Array(256);
  private pointer = 0;

  constructor(cal: BME280Calibration = DATASHEET) {
    const r = this.regs;
    const c: number[] = [];
    for (const v of cal.t) c.push(...le16(v));
    for (const v of cal.p) c.push(...le16(v));
    c.push(0, cal.h[0]);
    r.set(c, 0x88);
    const h4 = cal.h[3];
    const h5 = cal.h[4];
    r.set([...le16(cal.h[1]), cal.h[2], (h4 >> 4) & 0xff, (h4 & 0x0f) | ((h5 & 0x0f) << 4), (h5 >> 4) & 0xff, cal.h[5] < 0 ? cal.h[5] + 256 : cal.h[5]], 0xe1);
  }

  write(address: number, bytes: number[]): void {
    this.writes.push([address].concat(bytes));
    if (address === 0x76) {
      this.pointer = bytes[0];
      for (let i = 1; i < bytes.length; i++) this.regs[bytes[0] + i - 1] = bytes[i];
    }
  }

  read(address: number, count: number): Uint8Array {
    if (address === 0x23) return new Uint8Array([(this.lightCount >> 8) & 0xff, this.lightCount & 0xff]);
    if (address !== 0x76) throw new Error('no device at 0x' + address.toString(16));
    const r = this.regs;
    r[0xd0] = this.chipId;
    r.set([(this.adcP >> 12) & 0xff, (this.adcP >> 4) & 0xff, (this.adcP & 0x0f) << 4, (this.adcT >> 12) & 0xff, (this.adcT >> 4) & 0xff, (this.adcT & 0x0f) << 4, (this.adcH >> 8) & 0xff, this.adcH & 0xff], 0xf7);
    return r.slice(this.pointer, this.pointer + count);
  }
}
