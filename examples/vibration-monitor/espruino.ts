/**
 * The vibration monitor on an Espruino board (ESP32 with WiFi) with an
 * ADXL345 on I2C: the same device code as the host and Moddable
 * (device.ts, monitor.ts); here the sensor, the button, Storage and the MQTT
 * module are Espruino's. `node examples/vibration-monitor/build.mjs` writes
 * build/bundles/vibration-espruino.js (ES5, through the Espruino gate); set
 * VIBMON_CONFIG before it, then upload it:
 *
 *   var VIBMON_CONFIG = { ssid: "…", password: "…", broker: "mqtt://192.168.1.10:1883",
 *                         id: "vibration-1", rate: 400, learnSeconds: 600, sda: D21, scl: D22 };
 *
 * The raw-signal path needs the native kernels (a firmware built with
 * native/espruino/jswrap_microlearn.c, docs/espruino-native.md): with the
 * TypeScript kernels an Espruino interpreter computes a 1,024-sample
 * window's features far slower than the window fills (docs/vibration-monitor.md).
 * The button (BTN1) ends the learning phase, or starts a new one.
 */
import { ModelStore } from '../../src/storage.js';
import { EspruinoStorage } from '../../targets/espruino/storage.js';
import { HomeAssistant } from '../../integrations/homeassistant.js';
import { MqttLink, MqttOptions } from '../../integrations/mqtt.js';
import { espruinoConnector } from '../../integrations/mqtt-espruino.js';
import { MonitorDevice } from './device.js';
import { Adxl345, ADXL345_ADDRESS, RegisterBus } from './adxl345.js';

declare const VIBMON_CONFIG: { ssid: string; password: string; broker: string; id: string; rate: number; learnSeconds: number; sda: unknown; scl: unknown; user?: string; mqttPassword?: string };
declare const I2C1: { setup(o: object): void; writeTo(addr: number, data: number | number[]): void; readFrom(addr: number, n: number): Uint8Array };
declare const BTN1: unknown;
declare function require(name: string): any;
declare function setInterval(f: () => void, ms: number): unknown;
declare function setTimeout(f: () => void, ms: number): unknown;
declare function clearTimeout(h: unknown): void;
declare function setWatch(f: () => void, pin: unknown, o: object): unknown;

/** The ADXL345 on I2C1 (Espruino's readFrom returns a new array: copied into the driver's buffer). */
function espruinoBus(): RegisterBus {
  I2C1.setup({ sda: VIBMON_CONFIG.sda, scl: VIBMON_CONFIG.scl, bitrate: 400000 });
  return {
    write: function (reg: number, value: number) {
      I2C1.writeTo(ADXL345_ADDRESS, [reg, value]);
    },
    read: function (reg: number, into: Uint8Array) {
      I2C1.writeTo(ADXL345_ADDRESS, reg);
      into.set(I2C1.readFrom(ADXL345_ADDRESS, into.length));
    },
  };
}

function main(): void {
  const c = VIBMON_CONFIG;
  const ha = new HomeAssistant({ id: c.id, name: 'Vibration monitor ' + c.id, model: 'microlearn vibration monitor (Espruino + ADXL345)', swVersion: '0.1.0' }, { abbreviate: true });
  const mo: MqttOptions = { url: c.broker, clientId: c.id, will: ha.will() };
  if (c.user) mo.username = c.user;
  if (c.mqttPassword) mo.password = c.mqttPassword;
  const link = new MqttLink(espruinoConnector(require('MQTT')), mo, { setTimeout: setTimeout, clearTimeout: clearTimeout });
  const store = new ModelStore(new EspruinoStorage(require('Storage')));
  const dev = new MonitorDevice(ha, { rate: c.rate, learnSeconds: c.learnSeconds }, store, function (m) {
    return link.publish(m);
  });
  dev.log = function (s: string) {
    console.log(s);
  };
  dev.attach(link);
  const sensor = new Adxl345(espruinoBus(), c.rate, 2);
  const block = new Int32Array(32);
  dev.vm.start();
  setInterval(function () {
    const n = sensor.read(block);
    if (n > 0) dev.vm.feed(block, n);
  }, 20);
  setWatch(
    function () {
      dev.button();
    },
    BTN1,
    { repeat: true, edge: 'falling', debounce: 50 },
  );
  require('Wifi').connect(c.ssid, { password: c.password }, function (err: unknown) {
    if (err) console.log('WiFi: ' + err + ' (monitoring goes on offline)');
    link.start();
  });
}

main();
