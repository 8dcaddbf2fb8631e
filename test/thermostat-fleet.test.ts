/**
 * The thermostat's occupancy tables in a fleet of flats
 * (examples/thermostat/presence.ts): label counts, the byte format with
 * them (and format 1 still read), the count-weighted merge and the mix,
 * their determinism, and bad input refused with the inputs untouched.
 */
import assert from 'node:assert/strict';
import { MemoryStorage, MicrolearnError, ModelStore, Random } from '../index.js';
import { Thermostat } from '../examples/thermostat/thermostat.js';
import { LABEL_ASLEEP, LABEL_AWAY, LABEL_UP, Presence } from '../examples/thermostat/presence.js';
import { PER_DAY, SLOTS, Schedule } from '../examples/thermostat/schedule.js';

const MON = 0;
/** The label presence.ts uses inside for a trip: not one learnSlot takes. */
const TRIP = 3;
const SAT = 5;
const slot = (day: number, h: number, m = 0) => day * PER_DAY + h * 2 + (m >= 30 ? 1 : 0);
const code = (c: string) => (e: unknown) => e instanceof MicrolearnError && e.code === c;
const bytes = (p: Presence) => Array.from(p.toBytes());

/** `p`'s tables in format 1 (before the counts): "TP", 1, 0, P(home), P(asleep). */
function format1(p: Presence): Uint8Array {
  const old = new Uint8Array(4 + 2 * SLOTS);
  old.set([84, 80, 1, 0]);
  old.set(p.prob, 4);
  old.set(p.sleep, 4 + SLOTS);
  return old;
}

/** A table that learned `n` random labels (seeded). */
function random(seed: number, n: number): Presence {
  const r = new Random(seed);
  const p = new Presence();
  for (let i = 0; i < n; i++) p.learnSlot(r.nextInt(SLOTS), r.nextInt(3));
  return p;
}

describe('thermostat fleet: occupancy tables count their labels', function () {
  it('counts a label in the slot and the same time of the other days of its kind', function () {
    const p = new Presence();
    p.learnSlot(slot(MON, 12), LABEL_AWAY);
    for (let d = 0; d < 5; d++) assert.equal(p.probCount[slot(d, 12)], 1, 'weekday ' + d);
    assert.equal(p.probCount[slot(SAT, 12)], 0);
    assert.equal(p.sleepCount[slot(MON, 12)], 0, 'an empty home teaches nothing about sleep');
    p.learnSlot(slot(SAT, 2), LABEL_ASLEEP);
    assert.equal(p.probCount[slot(SAT, 2)], 1);
    assert.equal(p.probCount[slot(SAT + 1, 2)], 1);
    assert.equal(p.sleepCount[slot(SAT + 1, 2)], 1);
    assert.equal(p.probCount[slot(MON, 2)], 0);
    // the values move as before: 128 → 128 − 43 at the slot, 128 − 16 on the other weekdays
    assert.equal(p.prob[slot(MON, 12)], 85);
    assert.equal(p.prob[slot(MON + 1, 12)], 112);
  });

  it('refuses a bad slot or label with E_INPUT and learns nothing', function () {
    const p = random(1, 50);
    const before = bytes(p);
    for (const s of [-1, SLOTS, 1.5, NaN, '3' as unknown as number]) assert.throws(() => p.learnSlot(s, LABEL_UP), code('E_INPUT'), String(s));
    for (const l of [3, -1, 0.5, TRIP]) assert.throws(() => p.learnSlot(0, l), code('E_INPUT'), String(l));
    assert.deepEqual(bytes(p), before);
  });
});

describe('thermostat fleet: the byte format', function () {
  it('saves the tables and counts and reads them back; refuses damaged bytes with E_CORRUPT', function () {
    const p = random(2, 400);
    const b = p.toBytes();
    assert.equal(b.length, 2024);
    assert.equal(b[2], 2);
    const q = Presence.fromBytes(b);
    assert.deepEqual(Array.from(q.probCount), Array.from(p.probCount));
    assert.deepEqual(Array.from(q.sleepCount), Array.from(p.sleepCount));
    assert.deepEqual(bytes(q), Array.from(b));
    for (const i of [4, 500, 1000, 2023]) {
      const bad = b.slice();
      bad[i] ^= 1;
      assert.throws(() => Presence.fromBytes(bad), code('E_CORRUPT'), 'byte ' + i);
    }
    assert.throws(() => Presence.fromBytes(b.subarray(0, 2020)), code('E_CORRUPT'));
    const extra = new Uint8Array(2025);
    extra.set(b);
    assert.throws(() => Presence.fromBytes(extra), code('E_CORRUPT'));
    assert.throws(() => Presence.fromBytes(new Schedule().toBytes()), code('E_CORRUPT'));
    assert.throws(() => Presence.fromBytes([84, 80, 2, 0] as unknown as Uint8Array), code('E_CORRUPT'));
  });

  it('reads format 1 (the tables alone, 676 bytes) with counts 0, and refuses an unknown format with E_VERSION', function () {
    const p = random(3, 300);
    const old = format1(p);
    assert.equal(old.length, 676);
    const q = Presence.fromBytes(old);
    assert.deepEqual(Array.from(q.prob), Array.from(p.prob));
    assert.deepEqual(Array.from(q.sleep), Array.from(p.sleep));
    assert.equal(q.probCount.reduce((a, v) => a + v, 0), 0);
    const next = p.toBytes();
    next[2] = 3;
    assert.throws(() => Presence.fromBytes(next), code('E_VERSION'));
  });

  it('a thermostat restores a table saved in format 1 before an update, and saves it as format 2', function () {
    const store = new ModelStore(new MemoryStorage());
    const p = random(4, 300);
    store.save('presence', format1(p), Presence.fromBytes);
    const t = new Thermostat({ store: store });
    assert.deepEqual(Array.from(t.presence.prob), Array.from(p.prob));
    assert.deepEqual(Array.from(t.presence.sleep), Array.from(p.sleep));
    t.save(['presence']);
    const b = store.read('presence') as Uint8Array;
    assert.equal(b.length, 2024);
    assert.deepEqual(Array.from(Presence.fromBytes(b).prob), Array.from(p.prob));
  });
});

describe('thermostat fleet: merging occupancy tables', function () {
  it('takes the mean of each slot weighted by the labels each table learned there', function () {
    const a = new Presence();
    const b = new Presence();
    const s = slot(MON, 12);
    for (let i = 0; i < 3; i++) a.learnSlot(s, LABEL_AWAY); // 128 → 85 → 56 → 37
    b.learnSlot(s, LABEL_UP); // 128 → 170
    assert.equal(a.prob[s], 37);
    assert.equal(b.prob[s], 170);
    const m = Presence.merge([a, b]);
    assert.equal(m.prob[s], 70); // (3·37 + 170) / 4 = 70.25
    assert.equal(m.probCount[s], 4);
    // P(asleep) there: only b has learned it (a home, up): b's value alone
    assert.equal(m.sleep[s], b.sleep[s]);
    assert.equal(m.sleepCount[s], 1);
    // a slot neither learned: the factory prior of both
    assert.equal(m.prob[slot(SAT, 12)], 128);
    assert.equal(m.prob[slot(SAT, 2)], 200);
    assert.equal(m.probCount[slot(SAT, 12)], 0);
  });

  it('rounds half up once, and takes the plain mean where no table has counts', function () {
    const a = new Presence();
    const b = new Presence();
    const s = slot(MON, 12);
    a.prob[s] = 10;
    b.prob[s] = 13; // counts 0 in both: (10 + 13) / 2 = 11.5 → 12
    assert.equal(Presence.merge([a, b]).prob[s], 12);
    a.probCount[s] = 1;
    b.probCount[s] = 2; // (10 + 26) / 3 = 12
    assert.equal(Presence.merge([a, b]).prob[s], 12);
    b.probCount[s] = 0; // only a counts
    assert.equal(Presence.merge([a, b]).prob[s], 10);
  });

  it('gives the same bytes for any order of the tables; a merge of merges is within 1 of the flat merge, counts exact', function () {
    const tables: Presence[] = [];
    for (let k = 0; k < 7; k++) tables.push(random(10 + k, 100 + 80 * k));
    const flat = bytes(Presence.merge(tables));
    const r = new Random(5);
    for (let t = 0; t < 5; t++) {
      const order = tables.slice();
      for (let i = order.length - 1; i > 0; i--) {
        const j = r.nextInt(i + 1);
        const x = order[i];
        order[i] = order[j];
        order[j] = x;
      }
      assert.deepEqual(bytes(Presence.merge(order)), flat);
    }
    const f = Presence.merge(tables);
    const tree = Presence.merge([Presence.merge(tables.slice(0, 3)), Presence.merge(tables.slice(3))]);
    let worst = 0;
    for (let s = 0; s < SLOTS; s++) {
      worst = Math.max(worst, Math.abs(tree.prob[s] - f.prob[s]), Math.abs(tree.sleep[s] - f.sleep[s]));
      assert.equal(tree.probCount[s], f.probCount[s]);
      assert.equal(tree.sleepCount[s], f.sleepCount[s]);
    }
    assert.ok(worst <= 1, 'largest difference ' + worst);
  });

  it('mixes by given weights: 50/50, all of one, and the counts still add', function () {
    const a = random(20, 500);
    const b = random(21, 200);
    const half = Presence.merge([a, b], [1, 1]);
    for (let s = 0; s < SLOTS; s++) {
      assert.equal(half.prob[s], Math.floor((a.prob[s] + b.prob[s] + 1) / 2), 'slot ' + s);
      assert.equal(half.sleep[s], Math.floor((a.sleep[s] + b.sleep[s] + 1) / 2), 'slot ' + s);
      assert.equal(half.probCount[s], Math.min(65535, a.probCount[s] + b.probCount[s]));
    }
    const onlyA = Presence.merge([a, b], [4294967295, 0]);
    assert.deepEqual(Array.from(onlyA.prob), Array.from(a.prob));
    assert.deepEqual(Array.from(onlyA.sleep), Array.from(a.sleep));
    assert.deepEqual(bytes(Presence.merge([b, a], [1, 1])), bytes(half));
  });

  it('adopts a fleet table: its tables, counts from 0, the state of the home kept', function () {
    const fleet = Presence.merge([random(30, 300), random(31, 300)]);
    const p = random(32, 50);
    p.update(100, 3, true, -1);
    const state = p.state;
    const last = p.lastEvidence;
    p.adopt(fleet);
    assert.deepEqual(Array.from(p.prob), Array.from(fleet.prob));
    assert.deepEqual(Array.from(p.sleep), Array.from(fleet.sleep));
    assert.equal(p.probCount.reduce((a, v) => a + v, 0) + p.sleepCount.reduce((a, v) => a + v, 0), 0);
    assert.equal(p.state, state);
    assert.equal(p.lastEvidence, last);
    assert.throws(() => p.adopt({ prob: new Uint8Array(SLOTS) } as unknown as Presence), code('E_TYPE'));
    assert.deepEqual(Array.from(p.prob), Array.from(fleet.prob));
  });

  it('refuses bad input with MicrolearnError and leaves every input as it was', function () {
    const a = random(40, 300);
    const b = random(41, 300);
    const ba = bytes(a);
    const bb = bytes(b);
    assert.throws(() => Presence.merge([]), code('E_INPUT'));
    assert.throws(() => Presence.merge(null as unknown as Presence[]), code('E_INPUT'));
    assert.throws(() => Presence.merge([a, new Schedule() as unknown as Presence]), code('E_TYPE'));
    assert.throws(() => Presence.merge([a, null as unknown as Presence]), code('E_TYPE'));
    class Sub extends Presence {}
    assert.throws(() => Presence.merge([a, new Sub()]), code('E_TYPE'));
    assert.throws(() => Presence.merge([a, b], [1]), code('E_INPUT'));
    assert.throws(() => Presence.merge([a, b], [1, -1]), code('E_INPUT'));
    assert.throws(() => Presence.merge([a, b], [1, 0.5]), code('E_INPUT'));
    assert.throws(() => Presence.merge([a, b], [1, 2 ** 32]), code('E_INPUT'));
    assert.throws(() => Presence.merge([a, b], [0, 0]), code('E_STATE'));
    Presence.merge([a, b]);
    Presence.merge([a, b], [2, 1]);
    assert.deepEqual(bytes(a), ba);
    assert.deepEqual(bytes(b), bb);
  });
});
