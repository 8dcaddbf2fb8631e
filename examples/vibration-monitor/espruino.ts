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

declare const VIBMON_CONFIG: { ssid: string; password: string; broker: string; id: string; rate: number; learnSeconds: number; sda: unknown; scl: unknown; user?: string; mqttPassword?: string };
declare const I2C1: { setup(o: object): void; writeTo(addr: number, data: number | number[]): void; readFrom(addr: number, n: number): Uint8Array };
declare const BTN1: unknown;
declare function require(name: string): any;
declare function setInterval(f: () => void, ms: number): unknown;
declare function setTimeout(f: () => void, ms: number): unknown;
declare function clearTimeout(h: unknown): void;
declare function setWatch(f: () => void, pin: unknown, o: object): unknown;

const ADDR = 0x53;
const RATES: { [hz: number]: number } = { 100: 0x0a, 200: 0x0b, 400: 0x0c, 800: 0x0d, 1600: 0x0e, 3200: 0x0f };

/** ADXL345 in FIFO stream mode, full resolution (256 LSB/g: a count × 256 is g in Q16.16), z axis. */
function startSensor(rate: number): (block: Int32Array) => number {
  if (!RATES[rate]) throw new Error('ADXL345 rate must be one of 100, 200, 400, 800, 1600, 3200 Hz');
  I2C1.setup({ sda: VIBMON_CONFIG.sda, scl: VIBMON_CONFIG.scl, bitrate: 400000 });
  I2C1.writeTo(ADDR, 0x00);
  if (I2C1.readFrom(ADDR, 1)[0] !== 0xe5) throw new Error('no ADXL345 at I2C address 0x53');
  I2C1.writeTo(ADDR, [0x2d, 0x00]);
  I2C1.writeTo(ADDR, [0x31, 0x0b]);
  I2C1.writeTo(ADDR, [0x2c, RATES[rate]]);
  I2C1.writeTo(ADDR, [0x38, 0x80 | 31]);
  I2C1.writeTo(ADDR, [0x2d, 0x08]);
  return function (block: Int32Array): number {
    I2C1.writeTo(ADDR, 0x39);
    const n = Math.min(I2C1.readFrom(ADDR, 1)[0] & 0x3f, block.length);
    for (let i = 0; i < n; i++) {
      I2C1.writeTo(ADDR, 0x32);
      const b = I2C1.readFrom(ADDR, 6);
      block[i] = (((b[5] << 24) >> 16) | b[4]) * 256;
    }
    return n;
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
  const read = startSensor(c.rate);
  const block = new Int32Array(32);
  dev.vm.start();
  setInterval(function () {
    const n = read(block);
    if (n > 0) dev.vm.feed(block, n);
  }, 20);
  setWatch(
    function () {
      if (dev.vm.mode === 'learning') dev.log(dev.vm.finishLearning() ? 'button: learning finished' : 'button: too little learned yet');
      else {
        dev.log('button: relearn');
        dev.vm.relearn();
      }
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
