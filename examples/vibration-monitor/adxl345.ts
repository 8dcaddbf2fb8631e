/**
 * ADXL345 accelerometer driver, the same on every runtime: only the bus
 * differs (ECMA-419 `embedded:io/i2c` on Moddable, `I2C1` on Espruino; a
 * register-level model in the tests). In FIFO stream mode the chip samples
 * at `rate` (100..3200 Hz) into its 32-entry FIFO; {@link Adxl345.read}
 * drains it into a block of Q16.16 g values of one axis. Full resolution is
 * 256 LSB/g, so a raw count × 256 is exactly g in Q16.16.
 *
 * Wiring (I2C; ESP32 default pins SDA 21, SCL 22): VCC 3.3 V, GND, SDA,
 * SCL, CS to 3.3 V (selects I2C), SDO to GND (address 0x53). Each sample
 * costs one 6-byte read: I2C at 400 kHz carries about 1,600 samples a second
 * with room to spare, so use 1,600 Hz or less on I2C (3,200 Hz needs SPI).
 */

/** Register access over some bus; `read` fills `into` from `reg` on, in one transaction (no allocation). */
export interface RegisterBus {
  write(reg: number, value: number): void;
  read(reg: number, into: Uint8Array): void;
}

/** I2C address with SDO to GND. */
export const ADXL345_ADDRESS = 0x53;

const DEVID = 0x00;
const BW_RATE = 0x2c;
const POWER_CTL = 0x2d;
const DATA_FORMAT = 0x31;
const DATAX0 = 0x32;
const FIFO_CTL = 0x38;
const FIFO_STATUS = 0x39;

/** BW_RATE codes by output data rate (datasheet table 7). */
const RATES: { [hz: number]: number } = { 100: 0x0a, 200: 0x0b, 400: 0x0c, 800: 0x0d, 1600: 0x0e, 3200: 0x0f };

export class Adxl345 {
  readonly rate: number;
  /** 0 x, 1 y, 2 z: the axis along the bearing's load direction. */
  readonly axis: number;
  private readonly bus: RegisterBus;
  private readonly one = new Uint8Array(1);
  private readonly xyz = new Uint8Array(6);

  /** Checks the chip's id and starts it; throws an Error in words when the chip or the settings are wrong. */
  constructor(bus: RegisterBus, rate: number, axis: number) {
    if (!RATES[rate]) throw new Error('ADXL345 rate must be one of 100, 200, 400, 800, 1600, 3200 Hz, got ' + rate);
    if (axis !== 0 && axis !== 1 && axis !== 2) throw new Error('ADXL345 axis must be 0 (x), 1 (y) or 2 (z), got ' + axis);
    this.bus = bus;
    this.rate = rate;
    this.axis = axis;
    bus.read(DEVID, this.one);
    if (this.one[0] !== 0xe5) throw new Error('no ADXL345 at the bus: device id 0x' + this.one[0].toString(16) + ', expected 0xe5');
    bus.write(POWER_CTL, 0x00); // standby while configuring
    bus.write(DATA_FORMAT, 0x0b); // full resolution, ±16 g
    bus.write(BW_RATE, RATES[rate]);
    bus.write(FIFO_CTL, 0x80 | 31); // stream mode
    bus.write(POWER_CTL, 0x08); // measure
  }

  /** Drains the FIFO into block (Q16.16 g of the axis), at most block.length samples; returns how many. */
  read(block: Int32Array): number {
    this.bus.read(FIFO_STATUS, this.one);
    const n = Math.min(this.one[0] & 0x3f, block.length);
    const b = this.xyz;
    const lo = 2 * this.axis;
    for (let i = 0; i < n; i++) {
      // all six data registers in one read: the chip pops a FIFO entry when such a read ends
      this.bus.read(DATAX0, b);
      block[i] = (((b[lo + 1] << 24) >> 16) | b[lo]) * 256;
    }
    return n;
  }
}
