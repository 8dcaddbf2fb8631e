/*
 * ADXL345 accelerometer over I2C (ECMA-419 `embedded:io/i2c`), in FIFO
 * stream mode: the chip samples at `rate` (100..3200 Hz) into its 32-sample
 * FIFO; `read` drains it into a block of Q16.16 g values of one axis. Full
 * resolution is 256 LSB/g, so a raw count × 256 is exactly g in Q16.16.
 *
 * Wiring (ESP32 default I2C: SDA 21, SCL 22): VCC 3.3 V, GND, SDA, SCL,
 * CS to 3.3 V (I2C mode), SDO to GND (address 0x53). At 3200 Hz use the SPI
 * interface (I2C at 400 kHz carries about 1,600 three-axis samples a second).
 */
const POWER_CTL = 0x2d;
const BW_RATE = 0x2c;
const DATA_FORMAT = 0x31;
const FIFO_CTL = 0x38;
const FIFO_STATUS = 0x39;
const DATAX0 = 0x32;
const DEVID = 0x00;

/** BW_RATE codes by output data rate. */
const RATES: { [hz: number]: number } = { 100: 0x0a, 200: 0x0b, 400: 0x0c, 800: 0x0d, 1600: 0x0e, 3200: 0x0f };

export class Adxl345 {
  readonly rate: number;
  /** 0 x, 1 y, 2 z: the axis along the bearing's load direction. */
  readonly axis: number;
  private readonly i2c: { write(b: ArrayBufferLike | ArrayBufferView, stop?: boolean): void; read(n: number, stop?: boolean): ArrayBuffer };
  private readonly cmd = new Uint8Array(2);

  constructor(i2cOptions: object, rate: number, axis: number) {
    if (!RATES[rate]) throw new Error('ADXL345 rate must be one of ' + Object.keys(RATES).join(', ') + ' Hz');
    const I2C = device.io.I2C;
    this.i2c = new I2C({ ...(i2cOptions as ConstructorParameters<typeof I2C>[0]), address: 0x53, hz: 400000 });
    this.rate = rate;
    this.axis = axis;
    if (this.register(DEVID) !== 0xe5) throw new Error('no ADXL345 at I2C address 0x53');
    this.set(POWER_CTL, 0x00); // standby while configuring
    this.set(DATA_FORMAT, 0x0b); // full resolution, ±16 g
    this.set(BW_RATE, RATES[rate]);
    this.set(FIFO_CTL, 0x80 | 31); // stream mode
    this.set(POWER_CTL, 0x08); // measure
  }

  private set(reg: number, value: number): void {
    this.cmd[0] = reg;
    this.cmd[1] = value;
    this.i2c.write(this.cmd);
  }

  private register(reg: number): number {
    this.cmd[0] = reg;
    this.i2c.write(this.cmd.subarray(0, 1), false);
    return new Uint8Array(this.i2c.read(1))[0];
  }

  /** Drains the FIFO into block (Q16.16 g of the chosen axis); returns the number of samples. */
  read(block: Int32Array): number {
    const n = Math.min(this.register(FIFO_STATUS) & 0x3f, block.length);
    for (let i = 0; i < n; i++) {
      this.cmd[0] = DATAX0;
      this.i2c.write(this.cmd.subarray(0, 1), false);
      const b = new Uint8Array(this.i2c.read(6));
      const lo = b[2 * this.axis];
      const hi = b[2 * this.axis + 1];
      block[i] = (((hi << 24) >> 16) | lo) * 256;
    }
    return n;
  }
}
