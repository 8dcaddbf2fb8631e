/*
 * The thermostat's hardware on a Moddable device, through ECMA-419
 * (embedded:io): a BME280 and a BH1750 on I2C, a PIR on a digital input,
 * relays for the heater and the light, buttons for the dial (up, down) and
 * the light. Pins come from the manifest's "config".
 */
import I2C from 'embedded:io/i2c';
import Digital from 'embedded:io/digital';
import { BH1750, BME280, I2CBus } from 'microlearn/examples/thermostat/sensors';
import type { Readings } from 'microlearn/examples/thermostat/thermostat';
import type { Hardware } from 'microlearn/examples/thermostat/device';

export interface Pins {
  sda: number;
  scl: number;
  pir: number;
  heater: number;
  light: number;
  up?: number;
  down?: number;
  lightButton?: number;
}

/** An I2CBus over ECMA-419 I2C (one I2C object per device address). */
function bus(sda: number, scl: number): I2CBus {
  const devices: { [address: number]: I2C } = {};
  const at = (address: number) => devices[address] || (devices[address] = new I2C({ data: sda, clock: scl, hz: 100000, address: address }));
  return {
    write(address: number, bytes: number[]) {
      at(address).write(Uint8Array.from(bytes));
    },
    read(address: number, count: number) {
      return new Uint8Array(at(address).read(count));
    },
  };
}

export class ModdableHardware implements Hardware {
  private readonly climate: BME280;
  private readonly lux: BH1750;
  private readonly heater: Digital;
  private readonly light: Digital;
  private motion = 0;
  /** Called on a press of the up, down and light buttons. */
  onUp: () => void = () => {};
  onDown: () => void = () => {};
  onLight: () => void = () => {};

  constructor(p: Pins) {
    const b = bus(p.sda, p.scl);
    this.climate = new BME280(b);
    this.lux = new BH1750(b);
    this.heater = new Digital({ pin: p.heater, mode: Digital.Output });
    this.light = new Digital({ pin: p.light, mode: Digital.Output });
    const self = this;
    new Digital({
      pin: p.pir,
      mode: Digital.Input,
      edge: Digital.Rising,
      onReadable() {
        self.motion++;
      },
    });
    const button = (pin: number | undefined, fn: () => void) => {
      if (pin === undefined) return;
      new Digital({
        pin: pin,
        mode: Digital.InputPullUp,
        edge: Digital.Falling,
        onReadable() {
          fn();
        },
      });
    };
    button(p.up, () => self.onUp());
    button(p.down, () => self.onDown());
    button(p.lightButton, () => self.onLight());
  }

  read(r: Readings): void {
    const m = this.climate.read();
    r.temperature = m.temperature;
    r.humidity = m.humidity;
    r.lux = this.lux.read();
    r.motion = this.motion;
    r.co2 = -1;
    this.motion = 0;
  }

  drive(heater: boolean, light: boolean): void {
    this.heater.write(heater ? 1 : 0);
    this.light.write(light ? 1 : 0);
  }
}
