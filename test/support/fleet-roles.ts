/**
 * The fleet member and the coordinator of test/fleet-mqtt.test.ts's
 * cross-engine runs, as one program for every engine: Node (MQTT.js), the XS
 * host (mqtt-socket.ts over the UART, xs-uart.ts) and the Espruino bundle in
 * the run-time gate (mqtt-socket.ts over espruino-net.ts). Each prints
 * through `log` what the test compares: every model it trained or adopted,
 * as hex of its toBytes().
 *
 * A member adopts round r's global model, learns `samples[r]` samples of
 * classStream(seed + r) and reports; after adopting round `rounds` it
 * says goodbye and calls `done`.
 */
import { LogisticRegression } from '../../algorithms/linear.js';
import { MqttConnector, MqttLink, MqttTimers } from '../../integrations/mqtt.js';
import { FleetCoordinator, FleetDevice, FleetMessage } from '../../integrations/fleet.js';
import { classStream } from '../conformance/harness.js';

export const FLEET = 'office';
/** The options every member's model starts from. */
export const MODEL = { nFeatures: 3, learningRate: 0.05 };

export interface RoleArgs {
  url: string;
  /** The MQTT user name (and, for a member, the device name). */
  name: string;
  password: string;
  rounds: number;
  /** A member: the seed of its data, and the samples it learns in each round. */
  seed?: number;
  samples?: number[];
  /** The coordinator: the members. */
  members?: string[];
}

export function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

function link(connector: MqttConnector, timers: MqttTimers, a: RoleArgs, log: (s: string) => void): MqttLink {
  const l = new MqttLink(connector, { url: a.url, clientId: 'fleet-' + a.name, username: a.name, password: a.password, keepalive: 30 }, timers, { minMs: 200, maxMs: 2000 });
  l.onStatus = function (status: string, detail: string) {
    if (status === 'offline') log('mqtt offline: ' + detail);
  };
  return l;
}

/** A member: lines `local R HEX` (its model before reporting in round R) and `adopted R HEX`. */
export function runMember(connector: MqttConnector, timers: MqttTimers, a: RoleArgs, log: (s: string) => void, done: () => void): MqttLink {
  const l = link(connector, timers, a, log);
  const samples = a.samples || [];
  const dev = new FleetDevice({ fleet: FLEET, device: a.name, classes: [LogisticRegression], model: new LogisticRegression(MODEL) }, function (m: FleetMessage) {
    l.publish(m);
  });
  l.onOnline = function () {
    const t = dev.subscriptions();
    for (let i = 0; i < t.length; i++) l.subscribe(t[i]);
  };
  l.onMessage = function (topic: string, payload: string) {
    dev.receive(topic, payload);
  };
  dev.onAdopt = function (round: number) {
    log('adopted ' + round + ' ' + hex(dev.model.toBytes()));
    if (round >= a.rounds) {
      l.stop();
      done();
      return;
    }
    const next = classStream((a.seed || 0) + round, 3, 2, 1);
    const x = new Float64Array(3);
    for (let i = 0; i < samples[round]; i++) dev.learnOne(x, next(x));
    log('local ' + round + ' ' + hex(dev.model.toBytes()));
    dev.report();
  };
  l.start();
  return l;
}

/** The coordinator: line `merged R DEVICES SAMPLES HEX` per round; stops after `rounds`. */
export function runCoordinator(connector: MqttConnector, timers: MqttTimers, a: RoleArgs, log: (s: string) => void, done: () => void): MqttLink {
  const l = link(connector, timers, a, log);
  const c = new FleetCoordinator({ fleet: FLEET, members: a.members || [], classes: [LogisticRegression], initial: new LogisticRegression(MODEL) }, function (m: FleetMessage) {
    l.publish(m);
  });
  l.onOnline = function () {
    const t = c.subscriptions();
    for (let i = 0; i < t.length; i++) l.subscribe(t[i]);
    c.announce();
  };
  l.onMessage = function (topic: string, payload: string) {
    c.receive(topic, payload);
  };
  c.onReport = function (device: string, outcome: string, reason: string) {
    log(outcome + ' ' + device + (reason ? ': ' + reason : ''));
  };
  c.onMerge = function (round: number, devices: string[], samples: number) {
    log('merged ' + round + ' ' + devices.join(',') + ' ' + samples + ' ' + hex(c.global!.toBytes()));
    if (round >= a.rounds) {
      l.stop();
      done();
    }
  };
  l.start();
  return l;
}

/** What an engine's entry script is given (the global FLEET_ARGS). */
export interface RoleRun extends RoleArgs {
  role: 'member' | 'coordinator';
}

/** Runs the role FLEET_ARGS names; returns its link (stop it to end the role early). */
export function runRole(connector: MqttConnector, timers: MqttTimers, a: RoleRun, log: (s: string) => void, done: () => void): MqttLink {
  return a.role === 'coordinator' ? runCoordinator(connector, timers, a, log, done) : runMember(connector, timers, a, log, done);
}
