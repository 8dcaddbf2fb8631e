/**
 * The simulated house as a device's hardware, for the host runs (Node's
 * `npm run thermostat`, the Moddable x-cli-lin app): the World's readings go
 * in, the relay and the light come out, and the simulated occupant's dial
 * and switch reach the device as on a real board.
 */
import { Readings } from '../thermostat.js';
import { Hardware, ThermostatDevice } from '../device.js';
import { Controller } from './world.js';

export class SimulatedBoard implements Hardware, Controller {
  device: ThermostatDevice | null = null;
  heater = false;
  light = false;
  setpoint = 20;
  private readings: Readings | null = null;

  read(r: Readings): void {
    const w = this.readings;
    if (w === null) return;
    r.temperature = w.temperature;
    r.humidity = w.humidity;
    r.lux = w.lux;
    r.motion = w.motion;
    r.co2 = w.co2;
    r.outdoor = w.outdoor;
  }

  drive(heater: boolean, light: boolean): void {
    this.heater = heater;
    this.light = light;
    if (this.device !== null) this.setpoint = this.device.t.setpoint;
  }

  // the World drives the board as a real house would
  tick(minute: number, r: Readings): void {
    this.readings = r;
    if (this.device !== null) this.device.step(minute, minute % 10080);
  }

  dial(target: number): void {
    if (this.device !== null) this.device.dial(target);
  }

  lightSwitch(on: boolean): void {
    if (this.device !== null) this.device.lightSwitch(on);
  }
}
