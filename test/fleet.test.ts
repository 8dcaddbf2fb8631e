/**
 * The fleet protocol (integrations/fleet.ts) on an in-memory broker: rounds,
 * the global model equal to merge of exactly the accepted reports, refusals
 * with reasons on the status topic (corrupt, stale, other shape, other round),
 * foreign senders ignored, a silent device not stalling the round, sequence
 * numbers surviving a restart, personalisation by mix, base64 and names.
 * The same protocol against a real Mosquitto is in fleet-mqtt.test.ts.
 */
import assert from 'node:assert/strict';
import { expectCode } from './util.js';
import { MODEL_CLASSES } from '../index.js';
import { merge } from '../src/merge.js';
import { LogisticRegression } from '../algorithms/linear.js';
import { SoftmaxRegression } from '../algorithms/softmax.js';
import {
  FleetCoordinator, FleetDevice, FleetMessage, checkName, encodeReport, fromBase64, parseGlobal, parseStatus, toBase64,
} from '../integrations/fleet.js';
import { ManualTimers, MemoryBus, attach, topicMatches } from './conformance/cases-fleet.js';
import { classStream } from './conformance/cases-learners.js';

function setup(n: number, opts?: { deadlineMs?: number; quorum?: number }) {
  const bus = new MemoryBus();
  const timers = new ManualTimers();
  const send = (m: FleetMessage) => bus.publish(m);
  const names = Array.from({ length: n }, (_, i) => 'dev' + i);
  const make = () => new LogisticRegression({ nFeatures: 3, learningRate: 0.05 });
  const coord = new FleetCoordinator({ fleet: 'test', members: names, classes: MODEL_CLASSES, initial: make(), deadlineMs: opts && opts.deadlineMs, quorum: opts && opts.quorum }, send, timers);
  attach(bus, coord);
  coord.announce();
  const devices = names.map((d) => {
    const dev = new FleetDevice({ fleet: 'test', device: d, classes: MODEL_CLASSES, model: make() }, send);
    attach(bus, dev);
    return dev;
  });
  const statuses = (d: string) => bus.log.filter((m) => m.topic === 'microlearn/test/' + d + '/status').map((m) => parseStatus(m.payload));
  return { bus, timers, send, coord, devices, statuses, make };
}

function learn(d: FleetDevice<LogisticRegression>, seed: number, n: number): void {
  const next = classStream(seed, 3, 2, 1);
  const x = new Float64Array(3);
  for (let i = 0; i < n; i++) d.learnOne(x, next(x));
}

describe('fleet protocol (in memory)', function () {
  it('a round: every device adopts round 0, learns, reports; the global model is merge of the reports weighted by their samples', function () {
    const { coord, devices, bus } = setup(3);
    assert.ok(devices.every((d) => d.adopted && d.round === 0));
    const locals: LogisticRegression[] = [];
    devices.forEach((d, i) => {
      learn(d, 10 + i, 50 + 25 * i);
      locals.push(LogisticRegression.fromBytes(d.model.toBytes()));
      d.report();
    });
    assert.equal(coord.round, 1);
    const expected = merge(locals, [50, 75, 100]);
    assert.deepEqual(Buffer.from(coord.global!.toBytes()), Buffer.from(expected.toBytes()));
    const g = parseGlobal(bus.log.filter((m) => m.topic === 'microlearn/test/global').pop()!.payload);
    assert.deepEqual(g.devices, ['dev0', 'dev1', 'dev2']);
    assert.equal(g.samples, 225);
    for (const d of devices) {
      assert.equal(d.round, 1);
      assert.equal(d.samples, 0);
      assert.deepEqual(Buffer.from(d.model.toBytes()), Buffer.from(expected.toBytes()));
      assert.equal(d.lastStatus!.ok, true);
    }
  });

  it('refuses corrupt, stale, other-shape, other-type and other-round reports with the reason on the status topic; ignores foreigners', function () {
    const { coord, devices, send, statuses } = setup(2);
    const reasons: string[] = [];
    coord.onReport = (d, outcome, why) => reasons.push(d + ' ' + outcome + ' ' + why);
    const report = (d: string, seq: number, round: number, model: Uint8Array) => send({ topic: 'microlearn/test/' + d + '/model', payload: encodeReport({ seq, round, samples: 10, model }), retain: true });
    const good = devices[0].model.toBytes();
    const bad = good.slice();
    bad[20] ^= 1;
    report('dev0', 1, 0, bad);
    report('dev0', 1, 0, good); // sequence 1 again: stale
    send({ topic: 'microlearn/test/dev0/model', payload: 'not json', retain: true });
    send({ topic: 'microlearn/test/dev0/model', payload: '{"seq":7,"round":0,"samples":1,"model":"@@@@"}', retain: true });
    report('dev1', 1, 0, new LogisticRegression({ nFeatures: 4 }).toBytes());
    report('dev1', 2, 0, new SoftmaxRegression({ nFeatures: 3, nClasses: 3 }).toBytes());
    report('dev1', 3, 5, good);
    report('intruder', 1, 0, good);
    send({ topic: 'microlearn/other/dev0/model', payload: encodeReport({ seq: 99, round: 0, samples: 10, model: good }), retain: false });
    const e0 = statuses('dev0').map((s) => s.error);
    assert.match(e0[0], /^E_CORRUPT: checksum mismatch/);
    assert.match(e0[1], /^E_STATE: stale report: sequence 1 is not above 1/);
    assert.match(e0[2], /^E_CORRUPT: report is not JSON/);
    assert.match(e0[3], /^E_CORRUPT: model is not base64/);
    const e1 = statuses('dev1').map((s) => s.error);
    assert.match(e1[0], /^E_SHAPE: model 1 has another nFeatures/);
    assert.match(e1[1], /^E_TYPE: model 1 is a SoftmaxRegression/);
    assert.match(e1[2], /^E_STATE: the report starts from round 5, the global model is round 0/);
    assert.equal(statuses('intruder').length, 0);
    assert.deepEqual(coord.counts, { accepted: 0, refused: 7, ignored: 1, merges: 0 });
    assert.equal(coord.reported().length, 0);
    assert.equal(coord.round, 0);
  });

  it('a device that goes silent does not stall the fleet: the deadline closes the round with whoever reported', function () {
    const { coord, devices, timers } = setup(3, { deadlineMs: 5000 });
    learn(devices[0], 1, 40);
    devices[0].report();
    learn(devices[1], 2, 40);
    devices[1].report();
    assert.equal(coord.round, 0);
    timers.fire();
    assert.equal(coord.round, 1);
    assert.equal(devices[2].round, 1); // the silent one still receives the global model
  });

  it('the sequence number survives a restart through the retained status', function () {
    const { bus, devices, send, make } = setup(1, { quorum: 1 });
    learn(devices[0], 3, 20);
    devices[0].report();
    learn(devices[0], 4, 20);
    devices[0].report();
    assert.equal(devices[0].seq, 2);
    // the device reboots with a fresh state: it reads its last status and the global model back
    const again = new FleetDevice({ fleet: 'test', device: 'dev0', classes: MODEL_CLASSES, model: make() }, send);
    attach(bus, again);
    assert.equal(again.seq, 2);
    assert.equal(again.round, 2);
    learn(again, 5, 20);
    again.report();
    assert.equal(again.lastStatus!.ok, true, again.lastStatus!.error);
    assert.equal(again.round, 3);
  });

  it('mix keeps a share of the local model on adoption', function () {
    const bus = new MemoryBus();
    const send = (m: FleetMessage) => bus.publish(m);
    const make = () => new LogisticRegression({ nFeatures: 3 });
    const coord = new FleetCoordinator({ fleet: 'm', members: ['a', 'b'], classes: MODEL_CLASSES, initial: make() }, send);
    attach(bus, coord);
    const a = new FleetDevice({ fleet: 'm', device: 'a', classes: MODEL_CLASSES, model: make(), mix: 0.5 }, send);
    const b = new FleetDevice({ fleet: 'm', device: 'b', classes: MODEL_CLASSES, model: make() }, send);
    attach(bus, a);
    attach(bus, b);
    learn(a as FleetDevice<LogisticRegression>, 7, 100);
    learn(b as FleetDevice<LogisticRegression>, 8, 100);
    const localA = LogisticRegression.fromBytes(a.model.toBytes());
    b.report();
    a.report();
    const expected = merge([coord.global as LogisticRegression, localA], [32768, 32768]);
    assert.deepEqual(Buffer.from(a.model.toBytes()), Buffer.from(expected.toBytes()));
    assert.deepEqual(Buffer.from(b.model.toBytes()), Buffer.from(coord.global!.toBytes()));
    expectCode(() => new FleetDevice({ fleet: 'm', device: 'c', classes: MODEL_CLASSES, model: make(), mix: 2 }, send), 'E_OPTION');
  });

  it('base64, topic names and filters', function () {
    for (let n = 0; n < 10; n++) {
      const b = new Uint8Array(n).map((_, i) => (i * 97 + n) & 255);
      assert.equal(toBase64(b), Buffer.from(b).toString('base64'));
      assert.deepEqual(Buffer.from(fromBase64(toBase64(b))), Buffer.from(b));
    }
    expectCode(() => fromBase64('abc'), 'E_CORRUPT');
    expectCode(() => fromBase64('ab=c'), 'E_CORRUPT');
    expectCode(() => checkName('device', 'a/b'), 'E_OPTION');
    expectCode(() => checkName('device', 'a+'), 'E_OPTION');
    expectCode(() => checkName('device', ''), 'E_OPTION');
    checkName('device', 'pump-17_b');
    assert.ok(topicMatches('microlearn/f/+/model', 'microlearn/f/x/model'));
    assert.ok(!topicMatches('microlearn/f/+/model', 'microlearn/f/x/y/model'));
  });
});
