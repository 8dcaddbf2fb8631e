/**
 * The fleet protocol (integrations/fleet.ts) on an in-memory broker: rounds,
 * the global model equal to merge of exactly the accepted reports, refusals
 * with reasons on the status topic (corrupt, stale, other shape, other round),
 * foreign senders ignored, a silent device not stalling the round, sequence
 * numbers surviving a restart, personalisation by mix, base64 and names;
 * statistics models counting every reading once over many rounds.
 * The same protocol against a real Mosquitto is in fleet-mqtt.test.ts.
 */
import assert from 'node:assert/strict';
import { expectCode } from './util.js';
import { MODEL_CLASSES } from '../index.js';
import { merge } from '../src/merge.js';
import { LogisticRegression } from '../algorithms/linear.js';
import { SoftmaxRegression } from '../algorithms/softmax.js';
import { GaussianScorer } from '../algorithms/anomaly/gaussian_scorer.js';
import { StandardScaler } from '../src/preprocessing.js';
import { Pipeline } from '../src/pipeline.js';
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

describe('fleet of models that pool statistics (in memory)', function () {
  const bytes = (m: { toBytes(): Uint8Array }) => Buffer.from(m.toBytes());

  it('a Pipeline with a scaler: over rounds the global scaler is the merge of every device\'s own-data scaler (each reading once), the final step the FedAvg of the round; mix leaves the statistics the fleet\'s', function () {
    const bus = new MemoryBus();
    const timers = new ManualTimers();
    const send = (m: FleetMessage) => bus.publish(m);
    const names = ['p0', 'p1', 'p2'];
    const make = () => new Pipeline([new StandardScaler({ nFeatures: 3 }), new LogisticRegression({ nFeatures: 3, learningRate: 0.05 })]);
    const coord = new FleetCoordinator({ fleet: 's', members: names, classes: MODEL_CLASSES, initial: make(), deadlineMs: 1000 }, send, timers);
    attach(bus, coord);
    coord.announce();
    const devices = names.map((d, i) => {
      const dev = new FleetDevice({ fleet: 's', device: d, classes: MODEL_CLASSES, model: make(), mix: i === 2 ? 0.5 : 0 }, send);
      attach(bus, dev);
      return dev;
    });
    // what each device's own readings make, learned apart from the fleet
    const owns = names.map(() => new StandardScaler({ nFeatures: 3 }));
    const x = new Float64Array(3);
    let total = 0;
    for (let r = 0; r < 3; r++) {
      const finals: LogisticRegression[] = [];
      const weights: number[] = [];
      let mixLocal: LogisticRegression | null = null;
      devices.forEach((d, i) => {
        if (r === 2 && i === 1) return; // p1 is silent in the last round: its earlier readings still count
        const next = classStream(700 + 10 * r + i, 3, 2, 1);
        const n = 40 + 30 * i;
        for (let j = 0; j < n; j++) {
          const y = next(x);
          for (let k = 0; k < 3; k++) x[k] = x[k] * (1 + i) + 10 * i; // devices differ in range and offset
          d.learnOne(x, y);
          owns[i].learnOne(x);
        }
        total += n;
        const final = LogisticRegression.fromBytes((d.model as Pipeline).steps[1].toBytes());
        finals.push(final);
        weights.push(n);
        if (i === 2) mixLocal = final;
        d.report();
      });
      timers.fire();
      assert.equal(coord.round, r + 1);
      const g = coord.global as Pipeline;
      const scaler = g.steps[0] as StandardScaler;
      assert.equal(scaler.count, total, 'every reading counted once');
      assert.deepEqual(bytes(scaler), bytes(StandardScaler.merge(owns)));
      assert.deepEqual(bytes(g.steps[1]), bytes(merge(finals, weights)));
      // devices: p0 adopts the global model as it is; p2 mixes its final step but takes the fleet's scaler
      assert.deepEqual(bytes(devices[0].model), bytes(g));
      const p2 = devices[2].model as Pipeline;
      assert.deepEqual(bytes(p2.steps[0]), bytes(scaler));
      assert.deepEqual(bytes(p2.steps[1]), bytes(merge([g.steps[1] as LogisticRegression, mixLocal!], [32768, 32768])));
      // `own` holds the device's readings only, and its SGD step, never reported, never learns
      assert.deepEqual(bytes((devices[1].own as Pipeline).steps[0]), bytes(owns[1]));
      assert.deepEqual(bytes((devices[1].own as Pipeline).steps[1]), bytes(make().steps[1]));
    }
  });

  it('a GaussianScorer fleet: the global detector is the merge of the members\' own detectors, equal to one merged by hand', function () {
    const bus = new MemoryBus();
    const send = (m: FleetMessage) => bus.publish(m);
    const make = () => new GaussianScorer({ nFeatures: 2 });
    const coord = new FleetCoordinator({ fleet: 'g', members: ['a', 'b'], classes: MODEL_CLASSES, initial: make() }, send);
    attach(bus, coord);
    coord.announce();
    const devs = ['a', 'b'].map((d) => {
      const dev = new FleetDevice({ fleet: 'g', device: d, classes: MODEL_CLASSES, model: make() }, send);
      attach(bus, dev);
      return dev;
    });
    const owns = [make(), make()];
    for (let r = 0; r < 2; r++) {
      devs.forEach((d, i) => {
        for (let j = 0; j < 300; j++) {
          const v = [20 + 5 * i + Math.sin(j * 0.37 + r), 3 * i + Math.cos(j * 0.11)];
          d.learnOne(v);
          owns[i].learnOne(v);
        }
        d.report();
      });
      assert.equal(coord.round, r + 1);
      assert.deepEqual(bytes(coord.global!), bytes(GaussianScorer.merge(owns)));
      assert.deepEqual(bytes(devs[0].model), bytes(coord.global!));
    }
    // a report of another shape is still refused, with the reason
    send({ topic: 'microlearn/g/a/model', payload: encodeReport({ seq: 99, round: 2, samples: 5, model: new GaussianScorer({ nFeatures: 3 }).toBytes() }), retain: true });
    const st = parseStatus(bus.log.filter((m) => m.topic === 'microlearn/g/a/status').pop()!.payload);
    assert.equal(st.ok, false);
    assert.match(st.error, /^E_SHAPE/);
  });
});
