/*
 * The vibration monitor on an ESP32 with an ADXL345 (Moddable SDK): the
 * same device code as the host (examples/vibration-monitor/device.ts and
 * monitor.ts); here only the sensor, the button, the storage and the MQTT
 * client are the ESP32's. Build:
 *
 *   cd examples/vibration-monitor/moddable/device
 *   mcconfig -d -m -p esp32 ssid="…" password="…" broker=mqtt://192.168.1.10:1883
 *
 * The button (GPIO 0, BOOT on most boards): while learning, ends the
 * learning phase; while monitoring, starts a new one ("Relearn normal").
 */
import config from 'mc/config';
import Timer from 'timer';
import Preference from 'preference';
import Client from 'mqtt';
import { ModelStore } from 'microlearn/src/storage';
import { PreferenceStorage } from 'microlearn/targets/moddable/storage';
import { HomeAssistant } from 'microlearn/integrations/homeassistant';
import { MqttLink, MqttOptions } from 'microlearn/integrations/mqtt';
import { moddableConnector } from 'microlearn/integrations/mqtt-moddable';
import { MonitorDevice } from 'microlearn/examples/vibration-monitor/device';
import { Adxl345, ADXL345_ADDRESS, RegisterBus } from 'microlearn/examples/vibration-monitor/adxl345';

const c = config as unknown as { broker: string; mqttUser: string; mqttPassword: string; id: string; rate: number; learnSeconds: number; button: number };
const id = c.id;
const ha = new HomeAssistant({ id, name: 'Vibration monitor ' + id, model: 'microlearn vibration monitor (ESP32 + ADXL345)', swVersion: '0.1.0' }, { abbreviate: true });
const mo: MqttOptions = { url: c.broker, clientId: id, will: ha.will() };
if (c.mqttUser) mo.username = c.mqttUser;
if (c.mqttPassword) mo.password = c.mqttPassword;
const timers = { setTimeout: (f: () => void, ms: number) => Timer.set(f, ms), clearTimeout: (t: unknown) => Timer.clear(t as Timer) };
const link = new MqttLink(moddableConnector(Client, timers), mo, timers);
const store = new ModelStore(new PreferenceStorage(Preference, 'vibmon'));
const dev = new MonitorDevice(ha, { rate: c.rate, learnSeconds: c.learnSeconds }, store, (m) => link.publish(m));
dev.log = (s) => trace(s + '\n');
dev.attach(link);
link.onStatus = (status, detail) => trace('mqtt ' + status + ' ' + detail + '\n');

// the ADXL345 on the board's default I2C pins, through ECMA-419 I2C
const I2C = device.io.I2C;
const i2c = new I2C({ ...device.I2C.default, address: ADXL345_ADDRESS, hz: 400000 });
const cmd = new Uint8Array(2);
const reg = cmd.subarray(0, 1);
const bus: RegisterBus = {
  write(r, value) {
    cmd[0] = r;
    cmd[1] = value;
    i2c.write(cmd);
  },
  read(r, into) {
    cmd[0] = r;
    i2c.write(reg, false);
    i2c.read(into);
  },
};
const sensor = new Adxl345(bus, c.rate, 2);
const block = new Int32Array(32);
dev.vm.start();
link.start();

// drain the FIFO every 10 ms (at 1.6 kHz it holds 16 new samples by then, of 32)
Timer.repeat(() => {
  const n = sensor.read(block);
  if (n > 0) dev.vm.feed(block, n);
}, 10);

const Digital = device.io.Digital;
new Digital({
  pin: c.button,
  mode: Digital.InputPullUp,
  edge: Digital.Falling,
  onReadable() {
    dev.button();
  },
});
