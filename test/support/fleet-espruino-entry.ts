/**
 * Entry of the Espruino fleet script (test/fleet-mqtt.test.ts builds it with
 * the Espruino bundle pipeline and runs it in the run-time gate): the role
 * of the global FLEET_ARGS, its MQTT spoken by mqtt-socket.ts over
 * `require("net")`, Espruino's global timers.
 */
import { socketConnector } from '../../integrations/mqtt-socket.js';
import { RoleRun, runRole } from './fleet-roles.js';
import { espruinoTimers } from './espruino-timers.js';

declare const FLEET_ARGS: RoleRun;
declare const print: (s: string) => void;
declare const require: (name: string) => any;

runRole(socketConnector(require('net'), espruinoTimers), espruinoTimers, FLEET_ARGS, print, function () {
  print('done');
});
