/**
 * Entry of the XS host's fleet script (test/fleet-mqtt.test.ts bundles it
 * and runs it with `mlxs --uart`): the role of the global FLEET_ARGS, its
 * MQTT spoken by mqtt-socket.ts over the UART, timers from the run loop.
 */
import { socketConnector } from '../../integrations/mqtt-socket.js';
import { RoleRun, runRole } from './fleet-roles.js';
import { UartLoop } from './xs-uart.js';

declare const FLEET_ARGS: RoleRun & { limitMs: number };
declare const print: (s: string) => void;

const loop = new UartLoop();
const timers = {
  setTimeout: function (fn: () => void, ms: number) {
    return loop.setTimeout(fn, ms);
  },
  clearTimeout: function (h: unknown) {
    loop.clearTimeout(h);
  },
};
let finished = false;
runRole(socketConnector(loop.net(), timers), timers, FLEET_ARGS, print, function () {
  finished = true;
});
if (!loop.run(function () {
  return finished;
}, FLEET_ARGS.limitMs)) throw new Error(FLEET_ARGS.name + ': not done within ' + FLEET_ARGS.limitMs + ' ms');
print('done');
