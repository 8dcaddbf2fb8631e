/**
 * Drivers for the thermostat's I2C sensors, over any I2C bus: the Bosch
 * BME280 (temperature, humidity, pressure; compensation in double precision
 * from the datasheet, section 8.1) and the ROHM BH1750 (ambient light).
 * A runtime gives the bus: Moddable's ECMA-419 `embedded:io/i2c`
 * (moddable/hardware.ts), Espruino's `I2C1` (espruino/main.ts).
 */

/** An I2C bus as the drivers need it: write bytes to, and read bytes from, a 7-bit address. */
export interface I2CBus {
  write(address: number, bytes: number[]): void;
  read(address: number, count: number): ArrayLike<number>;
}

function u16(b: ArrayLike<number>, i: number): number {
  return b[i] | (b[i + 1] << 8);
}

function s16(b: ArrayLike<number>, i: number): number {
  const v = u16(b, i);
  return v > 32767 ? v - 65536 : v;
}

function s8(v: number): number {
  return v > 127 ? v - 256 : v;
}

/** One BME280 measurement. */
export interface Climate {
  /** °C */
  temperature: number;
  /** % relative humidity */
  humidity: number;
  /** Pa */
  pressure: number;
}

/** Bosch BME280 in normal mode (1 s standby, oversampling ×1), at 0x76 (SDO low) or 0x77. */
export class BME280 {
  private readonly bus: I2CBus;
  private readonly address: number;
  private readonly t: number[];
  private readonly p: number[];
  private readonly h: number[];
  /** The last measurement. */
  readonly last: Climate = { temperature: NaN, humidity: NaN, pressure: NaN };

  constructor(bus: I2CBus, address?: number) {
    this.bus = bus;
    this.address = address === undefined ? 0x76 : address;
    const id = this.readRegisters(0xd0, 1)[0];
    if (id !== 0x60) throw new Error('no BME280 at 0x' + this.address.toString(16) + ' (chip id 0x' + id.toString(16) + (id === 0x58 ? ': a BMP280, which has no humidity' : '') + ')');
    const c = this.readRegisters(0x88, 26);
    const e = this.readRegisters(0xe1, 7);
    this.t = [u16(c, 0), s16(c, 2), s16(c, 4)];
    this.p = [u16(c, 6)];
    for (let i = 8; i < 24; i += 2) this.p.push(s16(c, i));
    this.h = [c[25], s16(e, 0), e[2], (s8(e[3]) << 4) | (e[4] & 0x0f), (s8(e[5]) << 4) | (e[4] >> 4), s8(e[6])];
    bus.write(this.address, [0xf2, 0x01]); // humidity ×1 (takes effect with the next ctrl_meas write)
    bus.write(this.address, [0xf5, 0xa0]); // 1000 ms standby, no filter
    bus.write(this.address, [0xf4, 0x27]); // temperature ×1, pressure ×1, normal mode
  }

  private readRegisters(register: number, count: number): ArrayLike<number> {
    this.bus.write(this.address, [register]);
    return this.bus.read(this.address, count);
  }

  /** Reads and compensates one measurement. */
  read(): Climate {
    const d = this.readRegisters(0xf7, 8);
    return compensate(this.t, this.p, this.h, (d[3] << 12) | (d[4] << 4) | (d[5] >> 4), (d[0] << 12) | (d[1] << 4) | (d[2] >> 4), (d[6] << 8) | d[7], this.last);
  }
}

/**
 * The BME280 datasheet's double-precision compensation: `t`, `p`, `h` the
 * calibration words (T1..T3, P1..P9, H1..H6), then the raw ADC values.
 */
export function compensate(t: number[], p: number[], h: number[], adcT: number, adcP: number, adcH: number, out: Climate): Climate {
  let v1 = (adcT / 16384 - t[0] / 1024) * t[1];
  let v2 = adcT / 131072 - t[0] / 8192;
  v2 = v2 * v2 * t[2];
  const fine = v1 + v2;
  out.temperature = fine / 5120;
  v1 = fine / 2 - 64000;
  v2 = (v1 * v1 * p[5]) / 32768;
  v2 = v2 + v1 * p[4] * 2;
  v2 = v2 / 4 + p[3] * 65536;
  v1 = ((p[2] * v1 * v1) / 524288 + p[1] * v1) / 524288;
  v1 = (1 + v1 / 32768) * p[0];
  if (v1 === 0) out.pressure = 0;
  else {
    let pa = 1048576 - adcP;
    pa = ((pa - v2 / 4096) * 6250) / v1;
    v1 = (p[8] * pa * pa) / 2147483648;
    v2 = (pa * p[7]) / 32768;
    out.pressure = pa + (v1 + v2 + p[6]) / 16;
  }
  let hv = fine - 76800;
  hv = (adcH - (h[3] * 64 + (h[4] / 16384) * hv)) * ((h[1] / 65536) * (1 + (h[5] / 67108864) * hv * (1 + (h[2] / 67108864) * hv)));
  hv = hv * (1 - (h[0] * hv) / 524288);
  out.humidity = hv > 100 ? 100 : hv < 0 ? 0 : hv;
  return out;
}

/** ROHM BH1750 in continuous high-resolution mode (1 lx, 120 ms), at 0x23 (ADDR low) or 0x5c. */
export class BH1750 {
  private readonly bus: I2CBus;
  private readonly address: number;

  constructor(bus: I2CBus, address?: number) {
    this.bus = bus;
    this.address = address === undefined ? 0x23 : address;
    bus.write(this.address, [0x01]); // power on
    bus.write(this.address, [0x10]); // continuous high-resolution mode
  }

  /** Illuminance (lx). */
  read(): number {
    const d = this.bus.read(this.address, 2);
    return ((d[0] << 8) | d[1]) / 1.2;
  }
}
