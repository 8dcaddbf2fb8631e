/*
 * The learning thermostat on an ESP32 with the Moddable SDK: BME280 + BH1750
 * on I2C, a PIR, heater and light relays, three buttons (ECMA-419, see
 * hardware.ts); models in Preference (NVS), power-safe; Home Assistant over
 * MQTT with the SDK's MQTT client (TLS with a CA certificate resource when
 * the broker URL is mqtts://). Settings come from the manifest's "config"
 * (or `mcconfig ... ssid=… password=… mqtt=mqtt://…`).
 */
import config from 'mc/config';
import Timer from 'timer';
import Preference from 'preference';
import Client from 'mqtt';
import SecureSocket from 'securesocket';
import Resource from 'Resource';
import { Thermostat } from 'microlearn/examples/thermostat/thermostat';
import { ThermostatDevice, thermostatEntities } from 'microlearn/examples/thermostat/device';
import { HomeAssistant } from 'microlearn/integrations/homeassistant';
import { MqttLink, MqttOptions } from 'microlearn/integrations/mqtt';
import { moddableConnector } from 'microlearn/integrations/mqtt-moddable';
import { ModelStore } from 'microlearn/src/storage';
import { PreferenceStorage } from 'microlearn/targets/moddable/storage';
import { ModdableHardware } from './hardware';

const c = config as unknown as {
  id: string;
  name: string;
  mqtt: string;
  mqttUser?: string;
  mqttPassword?: string;
  ca?: string;
  utcOffset: number;
  sda: number;
  scl: number;
  pir: number;
  heater: number;
  light: number;
  up: number;
  down: number;
  lightButton: number;
};

const hw = new ModdableHardware(c);
const t = new Thermostat({ store: new ModelStore(new PreferenceStorage(Preference, 'thermostat')), onError: (what, e) => trace(what + ': ' + e + '\n') });
const ha = thermostatEntities(new HomeAssistant({ id: c.id, name: c.name, model: 'microlearn learning thermostat', swVersion: '0.1.0' }, { abbreviate: true }));
const timers = { setTimeout: (f: () => void, ms: number) => Timer.set(f, ms), clearTimeout: (h: unknown) => Timer.clear(h as Timer) };
let link: MqttLink | undefined;
if (c.mqtt) {
  const o: MqttOptions = { url: c.mqtt, clientId: c.id, will: ha.will() };
  if (c.mqttUser) o.username = c.mqttUser;
  if (c.mqttPassword) o.password = c.mqttPassword;
  const tls = c.ca ? { SecureSocket: SecureSocket, certificate: new Resource(c.ca) as unknown as ArrayBuffer } : { SecureSocket: SecureSocket };
  link = new MqttLink(moddableConnector(Client, timers, tls), o, timers);
  link.onStatus = (status, detail) => trace('mqtt ' + status + (detail ? ': ' + detail : '') + '\n');
}
const device = new ThermostatDevice(t, hw, ha, link);
device.log = (s) => trace(s + '\n');
hw.onUp = () => device.dial(t.setpoint + 0.5);
hw.onDown = () => device.dial(t.setpoint - 0.5);
hw.onLight = () => device.lightSwitch(!t.light);

// local minutes since 1970 and the minute of the week from Monday 00:00 (1 Jan 1970 was a Thursday)
function tick(): void {
  const minute = Math.floor(Date.now() / 60000) + (c.utcOffset || 0);
  device.step(minute, (((Math.floor(minute / 1440) + 3) % 7) * 1440 + (minute % 1440)) % 10080);
}

// wait for the network's SNTP time (the clock must never go back), then once a minute
const waitClock = Timer.repeat(() => {
  if (Date.now() < Date.UTC(2024, 0, 1)) return;
  Timer.clear(waitClock);
  if (link) link.start();
  tick();
  Timer.repeat(tick, 60000);
}, 1000);
