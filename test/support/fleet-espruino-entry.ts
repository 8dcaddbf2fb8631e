/**
 * Entry of the Espruino fleet script (test/fleet-mqtt.test.ts builds it with
 * the Espruino bundle pipeline and runs it in the run-time gate): the role
 * of the global FLEET_ARGS, its MQTT spoken by mqtt-socket.ts over
 * `require("net")`, Espruino's global timers.
 */
import { socketConnector } from '../../integrations/mqtt-socket.js';
import { RoleRun, runRole } from './fleet-roles.js';

declare const FLEET_ARGS: RoleRun;
declare const print: (s: string) => void;
declare const require: (name: string) => any;

const timers = {
  setTimeout: function (fn: () => void, ms: number): unknown {
    return setTimeout(fn, ms);
  },
  clearTimeout: function (h: unknown) {
    clearTimeout(h as any);
  },
};
runRole(socketConnector(require('net'), timers), timers, FLEET_ARGS, print, function () {
  print('done');
});
