/**
 * Conformance of the fleet (integrations/fleet.ts) without a network: a
 * coordinator and four devices on an in-memory broker with retained
 * messages, three rounds, a corrupt report, a stale one, one of another
 * shape, a foreign sender and a device that stops reporting (the deadline
 * closes the round). Hashes every global model and status, so the whole
 * protocol gives the same bits on every engine.
 */
import { load, MODEL_CLASSES } from '../../index.js';
import { LogisticRegression } from '../../algorithms/linear.js';
import { MLP } from '../../algorithms/mlp.js';
import { GaussianScorer } from '../../algorithms/anomaly/gaussian_scorer.js';
import { StandardScaler } from '../../src/preprocessing.js';
import { Pipeline } from '../../src/pipeline.js';
import { FleetCoordinator, FleetDevice, FleetMessage, FleetModel, FleetTimers, encodeReport } from '../../integrations/fleet.js';
import { Case, Hasher } from './harness.js';
import { classStream } from './cases-learners.js';

/** True when MQTT topic filter f (with + and #) matches topic t. */
export function topicMatches(f: string, t: string): boolean {
  const a = f.split('/');
  const b = t.split('/');
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '#') return true;
    if (i >= b.length || (a[i] !== '+' && a[i] !== b[i])) return false;
  }
  return a.length === b.length;
}

/** A broker in memory: retained messages, delivery in publish order (queued, never re-entrant). */
export class MemoryBus {
  private readonly subs: { filter: string; fn: (t: string, p: string) => void }[] = [];
  private readonly retained: { [topic: string]: string } = {};
  private readonly queue: { topic: string; payload: string }[] = [];
  private busy = false;
  /** Every message published, in order. */
  readonly log: FleetMessage[] = [];

  subscribe(filter: string, fn: (t: string, p: string) => void): void {
    this.subs.push({ filter: filter, fn: fn });
    const topics = Object.keys(this.retained).sort();
    for (let i = 0; i < topics.length; i++) if (topicMatches(filter, topics[i])) this.queue.push({ topic: topics[i], payload: this.retained[topics[i]] });
    this.drain();
  }

  publish(m: FleetMessage): void {
    this.log.push(m);
    if (m.retain) this.retained[m.topic] = m.payload;
    this.queue.push({ topic: m.topic, payload: m.payload });
    this.drain();
  }

  private drain(): void {
    if (this.busy) return;
    this.busy = true;
    while (this.queue.length > 0) {
      const q = this.queue.shift() as { topic: string; payload: string };
      for (let i = 0; i < this.subs.length; i++) if (topicMatches(this.subs[i].filter, q.topic)) this.subs[i].fn(q.topic, q.payload);
    }
    this.busy = false;
  }
}

/** Timers run by hand: `fire()` runs every pending one. */
export class ManualTimers implements FleetTimers {
  private next = 1;
  private readonly fns: { [id: number]: () => void } = {};
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.fns[id] = fn;
    return id;
  }
  clearTimeout(h: unknown): void {
    delete this.fns[h as number];
  }
  fire(): void {
    const ids = Object.keys(this.fns);
    for (let i = 0; i < ids.length; i++) {
      const f = this.fns[Number(ids[i])];
      delete this.fns[Number(ids[i])];
      if (f) f();
    }
  }
}

/** Connects a device or coordinator to the bus. */
export function attach(bus: MemoryBus, node: { subscriptions(): string[]; receive(t: string, p: string): void }): void {
  const s = node.subscriptions();
  for (let i = 0; i < s.length; i++)
    bus.subscribe(s[i], function (t, p) {
      node.receive(t, p);
    });
}

function hashText(h: Hasher, s: string): void {
  for (let i = 0; i < s.length; i++) h.int(s.charCodeAt(i));
}

function fleetCase(name: string, make: () => FleetModel, nf: number, nc: number): Case {
  return {
    name: 'Fleet.' + name,
    run(mh: Hasher, ph: Hasher) {
      const bus = new MemoryBus();
      const timers = new ManualTimers();
      const send = function (m: FleetMessage) {
        bus.publish(m);
      };
      const names = ['d0', 'd1', 'd2', 'd3'];
      const coord = new FleetCoordinator({ fleet: 'conf', members: names, classes: MODEL_CLASSES, initial: make(), deadlineMs: 1000 }, send, timers);
      attach(bus, coord);
      coord.announce();
      const devices: FleetDevice<FleetModel>[] = [];
      for (let i = 0; i < names.length; i++) {
        const d = new FleetDevice({ fleet: 'conf', device: names[i], classes: MODEL_CLASSES, model: make(), mix: i === 3 ? 0.25 : 0 }, send);
        attach(bus, d);
        devices.push(d);
      }
      const x = new Float64Array(nf);
      for (let r = 0; r < 3; r++) {
        for (let i = 0; i < devices.length; i++) {
          if (r === 2 && i === 2) continue; // d2 goes silent in round 3: the deadline closes the round
          const next = classStream(500 + 10 * r + i, nf, nc, 1);
          for (let j = 0; j < 60 + 20 * i; j++) devices[i].learnOne(x, next(x));
          if (r === 1 && i === 0) {
            // a corrupt blob, a replayed (stale) sequence and a model of another shape, each refused
            send({ topic: 'microlearn/conf/d0/model', payload: '{"seq":1000,"round":1,"samples":5,"model":"AAAA"}', retain: true });
            send({ topic: 'microlearn/conf/d0/model', payload: encodeReport({ seq: 3, round: 1, samples: 5, model: devices[0].model.toBytes() }), retain: true });
            send({ topic: 'microlearn/conf/d1/model', payload: encodeReport({ seq: 50, round: 1, samples: 5, model: new LogisticRegression({ nFeatures: nf + 1 }).toBytes() }), retain: true });
            // a foreign sender: ignored
            send({ topic: 'microlearn/conf/intruder/model', payload: encodeReport({ seq: 1, round: 1, samples: 100000, model: devices[0].model.toBytes() }), retain: true });
          }
          devices[i].report();
        }
        timers.fire();
      }
      for (let i = 0; i < bus.log.length; i++) {
        const m = bus.log[i];
        if (m.topic.indexOf('/status') < 0) continue;
        // the code, not the words: messages name classes, which a minifier renames
        const st = JSON.parse(m.payload) as { seq: number; ok: boolean; round: number; error: string };
        hashText(ph, m.topic + ' ' + st.seq + ' ' + st.ok + ' ' + st.round + ' ' + st.error.split(':')[0]);
      }
      if (coord.global === null) throw new Error('no global model');
      const g = coord.global.toBytes();
      const copy = (load(g) as unknown as FleetModel).toBytes();
      for (let i = 0; i < g.length; i++) if (copy[i] !== g[i]) throw new Error('global model round trip');
      mh.bytes(g.subarray(0, g.length - 4));
      for (let i = 0; i < devices.length; i++) {
        const b = devices[i].model.toBytes();
        mh.bytes(b.subarray(0, b.length - 4));
        ph.int(devices[i].round);
      }
      ph.ints([coord.round, coord.counts.accepted, coord.counts.refused, coord.counts.ignored, coord.counts.merges]);
    },
  };
}

export const fleetCases: Case[] = [
  fleetCase('LogisticRegression', () => new LogisticRegression({ nFeatures: 4, learningRate: 0.05 }), 4, 2),
  fleetCase('MLP.classification', () => new MLP({ nFeatures: 4, hidden: [6], task: 'classification', nOutputs: 3, seed: 8 }), 4, 3),
  // statistics: the scaler and the scorer from every member's own readings, the final step averaged
  fleetCase('Pipeline.scaler', () => new Pipeline([new StandardScaler({ nFeatures: 4 }), new LogisticRegression({ nFeatures: 4, learningRate: 0.05 })]), 4, 2),
  fleetCase('GaussianScorer', () => new GaussianScorer({ nFeatures: 4 }), 4, 2),
];
