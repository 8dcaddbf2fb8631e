/**
 * Entry of the Espruino script of test/mqtt-espruino.test.ts:
 * integrations/mqtt-espruino.ts over Espruino's own `MQTT` module (the test
 * adds the user's copy of it with Modules.addCached before this script), an
 * MqttLink with a last will, one JSON line printed per event.
 */
import { MqttLink } from '../../integrations/mqtt.js';
import { espruinoConnector } from '../../integrations/mqtt-espruino.js';
import { espruinoTimers } from './espruino-timers.js';

declare const MQTT_ARGS: { url: string; clientId: string; username: string; password: string };
declare const print: (s: string) => void;
declare const require: (name: string) => any;

const a = MQTT_ARGS;
const link = new MqttLink(
  espruinoConnector(require('MQTT')),
  { url: a.url, clientId: a.clientId, username: a.username, password: a.password, will: { topic: 'up/avail', payload: 'offline', retain: true } },
  espruinoTimers,
  { minMs: 60000 },
);
link.onOnline = function () {
  link.subscribe('down/#');
  link.publish({ topic: 'up/avail', payload: 'online', retain: true });
  link.publish({ topic: 'up/state', payload: '21,5 °C', retain: true });
  print(JSON.stringify({ event: 'online' }));
};
link.onMessage = function (topic: string, payload: string) {
  print(JSON.stringify({ event: 'message', topic: topic, payload: payload }));
};
link.onStatus = function (status: string, detail: string) {
  print(JSON.stringify({ event: 'status', status: status, detail: detail, auth: link.lastError }));
};
link.start();
