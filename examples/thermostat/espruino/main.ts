/**
 * The thermostat on an Espruino board (ESP32 with WiFi, or any board with
 * I2C and a network): a BME280 and a BH1750 on I2C1, a PIR on a digital
 * input, relays for the heater and the light, buttons for the dial and the
 * light, models in flash (Storage, power-safe), Home Assistant over MQTT
 * with Espruino's `MQTT` module. Bundled to ES5 by examples/thermostat/build.mjs
 * (build/thermostat/espruino/thermostat.js); set THERMOSTAT_CONFIG before it
 * runs (docs/thermostat.md shows the lines a maker writes).
 */
import { Readings, Thermostat } from '../thermostat.js';
import { Hardware, ThermostatDevice, thermostatEntities } from '../device.js';
import { BH1750, BME280, I2CBus } from '../sensors.js';
import { HomeAssistant } from '../../../integrations/homeassistant.js';
import { MqttLink, MqttOptions } from '../../../integrations/mqtt.js';
import { espruinoConnector } from '../../../integrations/mqtt-espruino.js';
import { ModelStore } from '../../../src/storage.js';
import { EspruinoStorage } from '../../../targets/espruino/storage.js';

/** What the maker sets (pins are Espruino pin names or objects). */
export interface EspruinoThermostatConfig {
  id: string;
  name?: string;
  sda: unknown;
  scl: unknown;
  pir: unknown;
  heater: unknown;
  light: unknown;
  /** Buttons (pressed = low, internal pull-up): the dial up and down by 0.5 °C, the light. */
  up?: unknown;
  down?: unknown;
  lightButton?: unknown;
  /** Minutes to add to UTC for local time (e.g. 60 for CET; DST is the maker's). */
  utcOffset?: number;
  /** mqtt://host[:port] or mqtts://…; credentials and a CA (PEM) if the broker has them. */
  mqtt?: string;
  username?: string;
  password?: string;
  ca?: string;
}

declare const I2C1: { setup(o: object): void; writeTo(a: number, d: number[]): void; readFrom(a: number, n: number): Uint8Array };
declare function setWatch(fn: (e: { state: boolean }) => void, pin: unknown, o: object): unknown;
declare function setInterval(fn: () => void, ms: number): unknown;
declare function setTimeout(fn: () => void, ms: number): unknown;
declare function clearTimeout(h: unknown): void;
declare function digitalWrite(pin: unknown, v: boolean): void;
declare function pinMode(pin: unknown, mode: string): void;
declare function require(name: string): any;
declare const THERMOSTAT_CONFIG: EspruinoThermostatConfig;

function optional(name: string): any {
  try {
    return require(name);
  } catch (e) {
    return null;
  }
}

/** Starts the thermostat with `c`; returns the device (for the REPL: device.t.summary()). */
export function start(c: EspruinoThermostatConfig): ThermostatDevice {
  I2C1.setup({ sda: c.sda, scl: c.scl, bitrate: 100000 });
  const bus: I2CBus = {
    write: function (a, bytes) {
      I2C1.writeTo(a, bytes);
    },
    read: function (a, n) {
      return I2C1.readFrom(a, n);
    },
  };
  const climate = new BME280(bus);
  const light = new BH1750(bus);
  let motion = 0;
  setWatch(function () {
    motion++;
  }, c.pir, { repeat: true, edge: 'rising' });
  const hw: Hardware = {
    read: function (r: Readings) {
      const m = climate.read();
      r.temperature = m.temperature;
      r.humidity = m.humidity;
      r.lux = light.read();
      r.motion = motion;
      r.co2 = -1;
      motion = 0;
    },
    drive: function (heater: boolean, on: boolean) {
      digitalWrite(c.heater, heater);
      digitalWrite(c.light, on);
    },
  };
  const store = new ModelStore(new EspruinoStorage(require('Storage')));
  const t = new Thermostat({ store: store });
  const ha = thermostatEntities(new HomeAssistant({ id: c.id, name: c.name || 'Thermostat', model: 'microlearn learning thermostat', swVersion: '0.1.0' }, { abbreviate: true }));
  let link: MqttLink | undefined;
  if (c.mqtt) {
    const o: MqttOptions = { url: c.mqtt, clientId: c.id, will: ha.will() };
    if (c.username !== undefined) o.username = c.username;
    if (c.password !== undefined) o.password = c.password;
    if (c.ca !== undefined) o.ca = c.ca;
    link = new MqttLink(espruinoConnector(require("MQTT"), optional("tls")), o, { setTimeout: setTimeout, clearTimeout: clearTimeout });
    link.onStatus = function (status, detail) {
      console.log('mqtt ' + status + (detail ? ': ' + detail : ''));
    };
    link.start();
  }
  const device = new ThermostatDevice(t, hw, ha, link);
  device.log = function (s) {
    console.log(s);
  };
  const press = function (pin: unknown, fn: () => void) {
    if (pin === undefined) return;
    pinMode(pin, 'input_pullup');
    setWatch(fn, pin, { repeat: true, edge: 'falling', debounce: 50 });
  };
  press(c.up, function () {
    device.dial(t.setpoint + 0.5);
  });
  press(c.down, function () {
    device.dial(t.setpoint - 0.5);
  });
  press(c.lightButton, function () {
    device.lightSwitch(!t.light);
  });
  const offset = c.utcOffset || 0;
  const tick = function () {
    // local minutes since 1970 (never going back once the clock is set), and the minute of the week from Monday 00:00
    const minute = Math.floor(Date.now() / 60000) + offset;
    const minuteOfWeek = (((Math.floor(minute / 1440) + 3) % 7) * 1440 + (minute % 1440)) % 10080; // 1 Jan 1970 was a Thursday
    device.step(minute, minuteOfWeek);
  };
  tick();
  setInterval(tick, 60000);
  return device;
}

start(THERMOSTAT_CONFIG);
