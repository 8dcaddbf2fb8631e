/*
 * The thermostat's headless Moddable app (platform x-cli-lin), for checks
 * on the host with the real SDK (test/thermostat-moddable.test.ts):
 *
 *   thermostat-test week [HOUSEHOLD]       one simulated week; prints the model hashes (as Node does)
 *   thermostat-test mqtt URL ID SPEED MIN  the device in the simulated house, on a broker through
 *                                          Moddable's own MQTT client, for MIN simulated minutes
 */
import { runWeek } from 'microlearn/examples/thermostat/sim/week';
import { Thermostat } from 'microlearn/examples/thermostat/thermostat';
import { ThermostatDevice, thermostatEntities } from 'microlearn/examples/thermostat/device';
import { SimulatedBoard } from 'microlearn/examples/thermostat/sim/board';
import { World } from 'microlearn/examples/thermostat/sim/world';
import { COUPLE } from 'microlearn/examples/thermostat/sim/household';
import { HomeAssistant } from 'microlearn/integrations/homeassistant';
import { MqttLink } from 'microlearn/integrations/mqtt';
import { moddableConnector } from 'microlearn/integrations/mqtt-moddable';
import { ModelStore, MemoryStorage } from 'microlearn/src/storage';
import Client from 'mqtt';
import Timer from 'timer';

function print(s: string): void {
  trace(s + '\n');
}

const args = native('thermostat_args')() as string[];
const exit = native('thermostat_exit') as (code: number) => void;

if (args[0] === 'week') {
  runWeek(print, Number(args[1] || 0), 1);
  exit(0);
} else if (args[0] === 'mqtt') {
  const id = args[2];
  const speed = Number(args[3]);
  const minutes = Number(args[4]);
  const t = new Thermostat({ store: new ModelStore(new MemoryStorage()) });
  const ha = thermostatEntities(new HomeAssistant({ id: id, name: 'Thermostat (Moddable)', model: 'microlearn learning thermostat', swVersion: '0.1.0' }, { abbreviate: true }));
  const timers = { setTimeout: (f: () => void, ms: number) => Timer.set(f, ms), clearTimeout: (h: unknown) => Timer.clear(h as Timer) };
  const link = new MqttLink(moddableConnector(Client, timers), { url: args[1], clientId: id, will: ha.will() }, timers);
  link.onStatus = (status, detail) => print('mqtt ' + status + (detail ? ' ' + detail : ''));
  const board = new SimulatedBoard();
  const device = new ThermostatDevice(t, board, ha, link);
  device.log = print;
  board.device = device;
  const world = new World(COUPLE, board, { weeks: 1, seed: 1 });
  link.start();
  Timer.repeat(() => {
    if (world.minute >= minutes || !world.step()) {
      print('done ' + world.minute + ' minutes, setpoint ' + t.setpoint + ', mode ' + t.mode);
      exit(0);
    }
  }, Math.max(1, Math.floor(60000 / speed)));
} else {
  print('usage: thermostat-test week [HOUSEHOLD] | mqtt URL ID SPEED MINUTES');
  exit(2);
}
