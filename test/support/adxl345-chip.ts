/**
 * A register-level model of the ADXL345 (datasheet rev. G) behind the
 * driver's RegisterBus, for driving examples/vibration-monitor/adxl345.ts
 * without hardware: the device id, the configuration registers, and a
 * 32-entry FIFO of x, y, z counts (little-endian, two's complement) that
 * pops an entry when a read of the data registers ends.
 */
import { RegisterBus } from '../../examples/vibration-monitor/adxl345.js';

export class SimulatedAdxl345 implements RegisterBus {
  readonly regs = new Uint8Array(64);
  /** Register writes in order, [reg, value]. */
  readonly writes: [number, number][] = [];
  /** Data reads (FIFO pops). */
  pops = 0;
  private readonly fifo: [number, number, number][] = [];

  constructor(devid = 0xe5) {
    this.regs[0x00] = devid;
  }

  /** Queues samples as the chip would (counts of 3.9 mg; the FIFO keeps the newest 32 in stream mode). */
  sample(x: number, y: number, z: number): void {
    this.fifo.push([x, y, z]);
    if (this.fifo.length > 32) this.fifo.shift();
  }

  write(reg: number, value: number): void {
    if (reg < 0 || reg > 0x39 || value < 0 || value > 255 || Math.floor(value) !== value) throw new Error('bad register write ' + reg + ' = ' + value);
    this.writes.push([reg, value]);
    this.regs[reg] = value;
  }

  read(reg: number, into: Uint8Array): void {
    if (reg === 0x39) {
      into[0] = Math.min(this.fifo.length, 32);
      return;
    }
    if (reg === 0x32) {
      if (into.length !== 6) throw new Error('data must be read as 6 bytes, got ' + into.length);
      const e = this.fifo.shift() || [0, 0, 0];
      for (let i = 0; i < 3; i++) {
        const u = e[i] < 0 ? e[i] + 65536 : e[i];
        into[2 * i] = u & 0xff;
        into[2 * i + 1] = u >> 8;
      }
      this.pops++;
      return;
    }
    for (let i = 0; i < into.length; i++) into[i] = this.regs[reg + i];
  }
}
