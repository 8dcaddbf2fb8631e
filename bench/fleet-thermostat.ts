/**
 * Fleet benchmark of the thermostat's occupancy model (docs/fleet.md, "The
 * thermostat's occupancy model as a fleet"): N = 2, 5, 10, 20 simulated
 * flats (examples/thermostat/sim), each with our thermostat in the loop, its
 * occupancy tables (examples/thermostat/presence.ts) learning from the
 * thermostat's own labels for 6 weeks. Households differ (non-IID): the
 * simulator's four (a 9-to-5 couple with a new routine from week 5, a shift
 * worker on a weekly rotation, a family, a home office), each flat's days
 * shifted by −90..+90 minutes (early birds to night owls), some with later
 * weekends, a vacation in week 2..5.
 *
 * Two protocols. Shared: every flat learns its own tables and reports them,
 * the fleet table is their merge (`Presence.merge`, weighted by the labels
 * each slot learned), used next to the flat's own (a 50/50 mix) or by a new
 * flat; it never feeds back, so it is the same for any number of rounds.
 * Adopted, R = 6 (weekly) or 42 (daily) rounds: report, merge (weighted by the
 * labels since the last round), every flat adopts the merge and goes on
 * learning from it, as FleetDevice does; the thermostat then decides with it
 * (waits, eco, preheat), so the merge changes what it labels next; with
 * "mix 0.5" it adopts the 50/50 merge of the fleet's and its own table.
 * FleetDevice and FleetCoordinator themselves are not used: they load
 * library model blobs (loadModel, a ModelType id), and the occupancy tables
 * are the app's own format; the payloads and topics are theirs.
 * Scored on the 2 weeks after (weeks 7 and 8) of every flat: home/away per
 * half hour (P(home) ≥ 0.5) and, where someone is home, asleep or up.
 *
 * Cold start: 16 new flats (households and shifts of their own) get a new
 * thermostat in week 7, starting from the factory prior or from a fleet's
 * table; accuracy of its table's prediction of each half hour before it
 * happens, in its first and second week, and the first week's comfort figures.
 *
 * Bytes per flat per day: the fleet protocol's MQTT PUBLISH packets
 * (integrations/fleet.ts payloads, integrations/mqtt-packets.ts encoding)
 * against streaming the raw readings.
 *
 *   npm run bench:fleet-thermostat          (seed 1: writes the docs)
 *   node build/bench/fleet-thermostat.js --seed 2   (prints only)
 */
import { Presence } from '../examples/thermostat/presence.js';
import { SLOTS } from '../examples/thermostat/schedule.js';
import type { Readings } from '../examples/thermostat/thermostat.js';
import { Ours } from '../examples/thermostat/sim/bench.js';
import { FixedSchedule } from '../examples/thermostat/sim/baselines.js';
import { ASLEEP, AWAY, HOUSEHOLDS, Household, Plan, SchedulePoint } from '../examples/thermostat/sim/household.js';
import { Controller, World } from '../examples/thermostat/sim/world.js';
import type { Random } from '../src/random.js';
import { encodeGlobal, encodeReport, fleetTopics } from '../integrations/fleet.js';
import { publishPacket } from '../integrations/mqtt-packets.js';
import { machine, table, writeSection } from './report.js';

const WEEK = 10080;
const TRAIN_WEEKS = 6;
const TEST_WEEKS = 2;
const TRAIN_DAYS = TRAIN_WEEKS * 7;
const MEMBERS = 20;
const NEWCOMERS = 16;
const SIZES = [2, 5, 10, 20];
/** How the fleet runs: rounds in the 6 weeks; adopt the merge (else each flat keeps its own tables); keep half of the flat's own table when adopting (FleetDevice's `mix` 0.5). */
interface Protocol {
  name: string;
  rounds: number;
  adopt: boolean;
  keep: boolean;
}
const PROTOCOLS: Protocol[] = [
  { name: 'shared', rounds: 1, adopt: false, keep: false },
  { name: 'adopted weekly', rounds: 6, adopt: true, keep: false },
  { name: 'adopted daily', rounds: 42, adopt: true, keep: false },
  { name: 'adopted weekly, mix 0.5', rounds: 6, adopt: true, keep: true },
];
const TOPICS = fleetTopics('flats');
/** `--seed N` (default 1): another draw of every flat's weather, plan and occupant; only seed 1 writes the docs. */
const SEED = Number(process.argv.indexOf('--seed') > 0 ? process.argv[process.argv.indexOf('--seed') + 1] : 1);

interface Flat {
  name: string;
  h: Household;
  seed: number;
}

/** Flat k: a household of the simulator with its days shifted, its weekends later or not, its own vacation week and seed. */
function flat(k: number): Flat {
  const base = HOUSEHOLDS[k % HOUSEHOLDS.length];
  const shift = (((k * 3) % 7) - 3) * 30;
  const weekend = k % 3 === 1 ? 90 : 0;
  const h: Household = {
    name: base.name,
    wantAwake: base.wantAwake,
    wantAsleep: base.wantAsleep,
    lightBelow: base.lightBelow,
    house: base.house,
    vacationWeek: 2 + (k % 4),
    routineChangeWeek: base.routineChangeWeek,
    people: base.people,
    fixed: base.fixed,
    day(day: number, rng: Random): SchedulePoint[] {
      const s = shift + (day % 7 >= 5 ? weekend : 0);
      return base.day(day, rng).map((p) => [p[0] + s, p[1]] as SchedulePoint);
    },
  };
  return { name: 'flat' + k, h: h, seed: 100 + 7 * k + 1000 * (SEED - 1) };
}

/** What each half hour of weeks [from, from + weeks) was: the state of most of its minutes (AWAY, AWAKE, ASLEEP). */
function truth(f: Flat, from: number, weeks: number): Uint8Array {
  const plan = new Plan(f.h, from + weeks, f.seed + 1); // the World's plan (seed + 1)
  const out = new Uint8Array(weeks * SLOTS);
  const n = [0, 0, 0];
  for (let i = 0; i < out.length; i++) {
    n[0] = n[1] = n[2] = 0;
    const m0 = from * WEEK + i * 30;
    for (let m = m0; m < m0 + 30; m++) n[plan.stateAt(m)]++;
    out[i] = n[0] >= n[1] && n[0] >= n[2] ? 0 : n[1] >= n[2] ? 1 : 2;
  }
  return out;
}

interface Score {
  home: number;
  asleep: number;
}

/** Accuracy of a table on half hours `t` (starting on a Monday): home/away, and asleep/up where someone was home. */
function score(p: Presence, t: Uint8Array): Score {
  let home = 0;
  let asleep = 0;
  let present = 0;
  for (let i = 0; i < t.length; i++) {
    const s = i % SLOTS;
    if (p.prob[s] >= 128 === (t[i] !== AWAY)) home++;
    if (t[i] !== AWAY) {
      present++;
      if (p.sleep[s] >= 128 === (t[i] === ASLEEP)) asleep++;
    }
  }
  return { home: home / t.length, asleep: asleep / present };
}

/** Our thermostat, counting the events a central learner would need streamed: motion minutes, dial turns, switch presses. */
class Counted extends Ours {
  events = 0;
  override tick(minute: number, r: Readings): void {
    if (r.motion > 0) this.events++;
    super.tick(minute, r);
  }
  override dial(target: number): void {
    this.events++;
    super.dial(target);
  }
  override lightSwitch(on: boolean): void {
    this.events++;
    super.lightSwitch(on);
  }
}

/** One flat of a fleet: its world, its thermostat, and a table of its own that learns the same labels from the factory prior and never adopts. */
class Device {
  readonly f: Flat;
  readonly ours = new Counted();
  readonly world: World;
  readonly own = new Presence();
  /** Half hours labelled since the last round. */
  labels = 0;
  seq = 0;

  constructor(f: Flat, centrals: Presence[]) {
    this.f = f;
    this.world = new World(f.h, this.ours, { weeks: TRAIN_WEEKS, seed: f.seed });
    const p = this.ours.t.presence;
    const learn = p.learnSlot;
    const self = this;
    // every label the thermostat learns also goes to its own table and to the central references
    p.learnSlot = function (slot: number, label: number): void {
      learn.call(p, slot, label);
      self.own.learnSlot(slot, label);
      self.labels++;
      for (let i = 0; i < centrals.length; i++) centrals[i].learnSlot(slot, label);
    };
  }
}

const packet = (topic: string, payload: string) => publishPacket(topic, payload, true).length;

/** One round: every device reports, the coordinator merges and publishes, every device adopts. Returns the bytes up and down (all devices). */
function round(devices: Device[], r: number, adopt: boolean, keep: boolean): { global: Presence; up: number; down: number } {
  const tables = devices.map((d) => d.ours.t.presence);
  const global = Presence.merge(tables);
  let up = 0;
  let down = 0;
  let samples = 0;
  for (const d of devices) {
    d.seq++;
    up += packet(TOPICS.model(d.f.name), encodeReport({ seq: d.seq, round: r, samples: d.labels, model: d.ours.t.presence.toBytes() }));
    down += packet(TOPICS.status(d.f.name), JSON.stringify({ seq: d.seq, ok: true, round: r + 1, error: '' })); // as FleetCoordinator answers
    samples += d.labels;
  }
  const g = packet(TOPICS.global, encodeGlobal({ round: r + 1, samples: samples, devices: devices.map((d) => d.f.name), model: global.toBytes() }));
  down += g * devices.length;
  if (adopt)
    for (const d of devices) {
      const p = d.ours.t.presence;
      p.adopt(keep ? Presence.merge([global, p], [1, 1]) : global);
      d.labels = 0;
    }
  return { global: global, up: up, down: down };
}

/** Slots of a table with P(home) ≥ 0.5. */
function homeSlots(p: Presence): number {
  let n = 0;
  for (let i = 0; i < SLOTS; i++) if (p.prob[i] >= 128) n++;
  return n;
}

interface FleetRun {
  devices: Device[];
  global: Presence;
  /** homeSlots of the merged table after each round. */
  trail: number[];
  up: number;
  down: number;
}

/** N flats for 6 weeks in step, `rounds` rounds evenly spaced (the last at the end). */
function runFleet(flats: Flat[], rounds: number, keep: boolean, centrals: Presence[][]): FleetRun {
  const devices = flats.map((f, k) => new Device(f, centrals[k] || []));
  const total = TRAIN_WEEKS * WEEK;
  const every = total / rounds;
  let up = 0;
  let down = 0;
  let global: Presence | null = null;
  let r = 0;
  const trail: number[] = [];
  for (let m = 0; m < total; m++) {
    for (const d of devices) d.world.step();
    if ((m + 1) % every === 0) {
      const res = round(devices, r++, m + 1 < total, keep);
      global = res.global;
      trail.push(homeSlots(global));
      up += res.up;
      down += res.down;
    }
  }
  return { devices: devices, global: global as Presence, trail: trail, up: up, down: down };
}

/** A controller that is a fixed-schedule thermostat until `from`, then ours (a new thermostat installed that minute). */
class Installed implements Controller {
  heater = false;
  light = false;
  setpoint = 20;
  readonly old: FixedSchedule;
  readonly ours = new Ours();
  private readonly from: number;

  constructor(h: Household, from: number) {
    this.old = new FixedSchedule(h.fixed);
    this.from = from;
  }

  private now(minute: number): Controller {
    return minute < this.from ? this.old : this.ours;
  }

  tick(minute: number, r: Readings): void {
    const c = this.now(minute);
    c.tick(minute, r);
    this.heater = c.heater;
    this.light = c.light;
    this.setpoint = c.setpoint;
  }

  dial(target: number, minute: number): void {
    this.now(minute).dial(target, minute);
    this.setpoint = this.now(minute).setpoint;
  }

  lightSwitch(on: boolean, minute: number): void {
    this.now(minute).lightSwitch(on, minute);
    this.light = this.now(minute).light;
  }
}

interface ColdStart {
  /** Per new flat, per week after the installation. */
  home: number[][];
  asleep: number[][];
  /** First week, per flat. */
  changes: number;
  comfort: number;
  kwh: number;
}

const AFTER = 8 - TRAIN_WEEKS; // the simulated winter has 8 weeks

/** New flats get our thermostat at the start of week 7, its tables starting from `start`: their first two weeks. */
function coldStart(start: Presence): ColdStart {
  const out: ColdStart = { home: [[], []], asleep: [[], []], changes: 0, comfort: 0, kwh: 0 };
  let occupied = 0;
  for (let j = 0; j < NEWCOMERS; j++) {
    const f = flat(MEMBERS + j);
    const from = TRAIN_WEEKS * WEEK;
    const c = new Installed(f.h, from);
    c.ours.t.presence.adopt(start);
    const w = new World(f.h, c, { weeks: TRAIN_WEEKS + AFTER, seed: f.seed });
    const t = truth(f, TRAIN_WEEKS, AFTER);
    const home = [0, 0];
    const asleep = [0, 0];
    const present = [0, 0];
    while (w.minute < w.minutes) {
      const m = w.minute;
      if (m >= from && m % 30 === 0) {
        // the table's prediction of this half hour, before it happens
        const i = (m - from) / 30;
        const wk = Math.floor(i / SLOTS);
        const p = c.ours.t.presence;
        if (p.prob[i % SLOTS] >= 128 === (t[i] !== AWAY)) home[wk]++;
        if (t[i] !== AWAY) {
          present[wk]++;
          if (p.sleep[i % SLOTS] >= 128 === (t[i] === ASLEEP)) asleep[wk]++;
        }
      }
      w.step();
    }
    for (let k = 0; k < AFTER; k++) {
      out.home[k].push(home[k] / SLOTS);
      out.asleep[k].push(asleep[k] / present[k]);
    }
    const wk = w.weeks[TRAIN_WEEKS];
    out.changes += wk.manualChanges;
    out.comfort += wk.comfortMinutes;
    occupied += wk.occupiedMinutes;
    out.kwh += wk.energyKWh;
  }
  out.changes /= NEWCOMERS;
  out.comfort = (100 * out.comfort) / occupied;
  out.kwh /= NEWCOMERS;
  return out;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const pct = (v: number) => (100 * v).toFixed(1);
const copy = (p: Presence) => Presence.fromBytes(p.toBytes());

function main(): void {
  const t0 = Date.now();
  const flats: Flat[] = [];
  for (let k = 0; k < MEMBERS; k++) flats.push(flat(k));
  const tests = flats.map((f) => truth(f, TRAIN_WEEKS, TEST_WEEKS));
  // R = 1 with all 20 flats: each flat's table is its own until the one merge at the end (the "alone" tables);
  // the central references of N flats learn the labels of flats 0..N−1 in the order they happen
  const central = SIZES.map(() => new Presence());
  const feeds: Presence[][] = flats.map((f, k) => central.filter((c, i) => k < SIZES[i]));
  const once = runFleet(flats, 1, false, feeds);
  const alone = once.devices.map((d) => copy(d.ours.t.presence));
  const aloneScore = alone.map((p, k) => score(p, tests[k]));
  let events = 0;
  for (const d of once.devices) events += d.ours.events;
  console.log('alone and central runs: ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s');

  const homeRows: (string | number)[][] = [];
  const sleepRows: (string | number)[][] = [];
  const traffic: (string | number)[][] = [];
  const globals: { [key: string]: Presence } = {};
  const trails: string[] = [];
  const trailsKeep: string[] = [];
  const byHousehold: (string | number)[][] = [];
  for (let si = 0; si < SIZES.length; si++) {
    const n = SIZES[si];
    const members = flats.slice(0, n);
    const cs = tests.slice(0, n).map((t) => score(central[si], t));
    for (const pr of PROTOCOLS) {
      const rounds = pr.rounds;
      let run: FleetRun;
      let own: Presence[];
      if (!pr.adopt) {
        // the flats' own tables merged once: the same as the R = 1 run of the first N flats
        const devs = once.devices.slice(0, n);
        const res = round(devs, 0, false, false);
        run = { devices: devs, global: res.global, trail: [homeSlots(res.global)], up: res.up, down: res.down };
        own = alone.slice(0, n);
      } else {
        run = runFleet(members, rounds, pr.keep, []);
        own = run.devices.map((d) => d.own);
      }
      globals[n + '/' + pr.name] = run.global;
      const fleet = tests.slice(0, n).map((t) => score(run.global, t));
      const mixed = own.map((p, k) => score(Presence.merge([p, run.global], [1, 1]), tests[k]));
      const a = aloneScore.slice(0, n);
      if (n === MEMBERS && !pr.adopt)
        for (let t = 0; t < HOUSEHOLDS.length; t++) {
          const ks = a.map((x, k) => k).filter((k) => k % HOUSEHOLDS.length === t);
          const m = (v: Score[], key: keyof Score) => pct(mean(ks.map((k) => v[k][key])));
          byHousehold.push([HOUSEHOLDS[t].name, ks.length, m(a, 'home'), m(fleet, 'home'), m(mixed, 'home'), m(a, 'asleep'), m(fleet, 'asleep'), m(mixed, 'asleep')]);
        }
      const prior = tests.slice(0, n).map((t) => score(new Presence(), t));
      if (rounds === 6) (pr.keep ? trailsKeep : trails).push(n + ' flats: ' + run.trail.join(', '));
      for (const [rows, key] of [[homeRows, 'home'], [sleepRows, 'asleep']] as [(string | number)[][], keyof Score][]) {
        const fa = fleet.map((s) => s[key]);
        const aa = a.map((s) => s[key]);
        const better = fa.filter((v, k) => v >= aa[k]).length;
        rows.push([
          n, pr.name, pct(mean(prior.map((s) => s[key]))), pct(mean(aa)), pct(Math.min(...aa)), pct(mean(fa)), pct(Math.min(...fa)), better + ' of ' + n, pct(mean(mixed.map((s) => s[key]))), pct(mean(cs.map((s) => s[key]))),
        ]);
        if (key === 'home') rows[rows.length - 1].push(homeSlots(run.global));
      }
      const upDay = run.up / n / TRAIN_DAYS;
      const downDay = run.down / n / TRAIN_DAYS;
      if (!pr.keep) traffic.push([n, rounds, Math.round(upDay), Math.round(downDay)]);
      console.log('N ' + n + ', ' + pr.name + ': ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s');
    }
  }
  // raw streaming, per flat per day: a reading a minute (temperature, humidity, lux, motion), or only the events (motion minutes, dial, switch)
  const rawTopic = TOPICS.model('flat0').replace('/model', '/raw');
  const rawBin = 1440 * packet(rawTopic, 'x'.repeat(16));
  const rawJson = 1440 * packet(rawTopic, JSON.stringify({ t: 21.37, h: 47, lux: 305, motion: 0 }));
  const eventsPerDay = events / MEMBERS / TRAIN_DAYS;
  const eventBytes = Math.round(eventsPerDay * packet(rawTopic.replace('/raw', '/event'), 'x'.repeat(5)));
  for (const row of traffic) {
    const fleet = (row[2] as number) + (row[3] as number);
    row.push(rawBin, rawJson, eventBytes, (rawBin / fleet).toFixed(1), (eventBytes / fleet).toFixed(1));
  }

  const coldRows: (string | number)[][] = [];
  const starts: [string, Presence][] = [['factory prior', new Presence()]];
  for (const n of SIZES) starts.push(['fleet of ' + n + ', shared', globals[n + '/shared']]);
  starts.push(['fleet of 20, shared, 50/50 with the factory prior', Presence.merge([globals['20/shared'], new Presence()], [1, 1])]);
  starts.push(['fleet of 20, adopted daily', globals['20/adopted daily']]);
  starts.push(['fleet of 20, adopted weekly, mix 0.5', globals['20/adopted weekly, mix 0.5']]);
  for (const [label, start] of starts) {
    const c = coldStart(start);
    coldRows.push([
      label, pct(mean(c.home[0])), pct(Math.min(...c.home[0])), pct(mean(c.asleep[0])), pct(mean(c.home[1])), pct(Math.min(...c.home[1])), pct(mean(c.asleep[1])),
      c.changes.toFixed(1), c.comfort.toFixed(1), c.kwh.toFixed(0),
    ]);
    console.log('cold start from ' + label + ': ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s');
  }

  const head = ['N flats', 'fleet', 'factory prior', 'alone (mean)', 'alone (worst)', 'fleet (mean)', 'fleet (worst)', 'fleet ≥ alone', 'fleet + own 50/50', 'central'];
  const md =
    'Simulated flats (examples/thermostat/sim), our thermostat in the loop, ' + TRAIN_WEEKS + ' weeks of learning; hold-out = weeks 7 and 8 of every flat (' + TEST_WEEKS * SLOTS + ' half hours each). ' +
    'Households: the simulator\'s four in turn, days shifted by −90..+90 min, every third with weekends 90 min later, vacation in week 2..5. ' +
    'Shared: every flat keeps learning its own tables and reports them, the fleet table is their merge (weighted by the labels each slot learned) and is not fed back into the flats\' learning, so it is the same after any number of rounds; ' +
    'adopted weekly (R = 6 rounds) or daily (R = 42): report, merge (weighted by the labels since the last round), every flat adopts the merge and goes on learning from it (as `FleetDevice` does with a library model); ' +
    'mix 0.5: every flat adopts `Presence.merge([fleet, its table], [1, 1])` instead (`FleetDevice`\'s `mix` option at 0.5). ' +
    'Alone = a flat\'s own tables (no fleet) on its own hold-out; fleet = the last merged table on each member\'s hold-out (mean over flats, worst flat; "fleet ≥ alone": flats where it does at least as well as their own); ' +
    'fleet + own 50/50 = `Presence.merge([own, fleet], [1, 1])`, own = a table that learned the flat\'s labels alone; central = one table that learned every flat\'s labels in the order they came. Accuracy in %.\n\n' +
    'Factory prior = the table before any learning (home all day: the share of half hours someone was home). ' +
    'Home or away, per half hour (P(home) ≥ 0.5; the last column: slots of the fleet table with P(home) ≥ 0.5, of ' + SLOTS + '):\n\n' + table(head.concat(['fleet table: home slots']), homeRows) +
    '\n\nSlots of the fleet table with P(home) ≥ 0.5 after each of the 6 weekly rounds, adopted: ' + trails.join('; ') + '; adopted with mix 0.5: ' + trailsKeep.join('; ') + '.' +
    '\n\nAsleep or up, per half hour someone was home (P(asleep | home) ≥ 0.5):\n\n' + table(head, sleepRows) +
    '\n\nBy household, N = ' + MEMBERS + ', shared (flats of one household differ in their shift, weekends and vacation):\n\n' +
    table(['household', 'flats', 'home/away alone', 'fleet', 'fleet + own 50/50', 'asleep/up alone', 'fleet', 'fleet + own 50/50'], byHousehold) +
    '\n\nCold start: ' + NEWCOMERS + ' new flats (households ' + MEMBERS + '..' + (MEMBERS + NEWCOMERS - 1) + ' of the same generator: none is a member) get our thermostat at the start of week 7, its tables starting from the factory prior ' +
    '(home all day, asleep 23:00..06:30) or from a fleet\'s last merged table (shared = the members\' own tables merged; adopted daily = the R = 42 fleet), and learns on; accuracy of the table\'s prediction of each half hour, made before the half hour, ' +
    'in its first and second week (weeks 7 and 8; mean, worst flat), and the first week\'s figures (dial turns per flat, % of occupied minutes within 0.5 °C of what they wanted, kWh per flat; the schedule is learned from scratch in every case).\n\n' +
    table(['start from', 'week 1 home/away (mean)', '(worst)', 'week 1 asleep/up (mean)', 'week 2 home/away (mean)', '(worst)', 'week 2 asleep/up (mean)', 'week 1 dial turns', 'week 1 comfort %', 'week 1 kWh'], coldRows) +
    '\n\nBytes per flat per day, MQTT PUBLISH packets at QoS 0 with headers (integrations/fleet.ts payloads: the ' + once.devices[0].ours.t.presence.toBytes().length +
    '-byte table in base64 JSON). Up = its reports; down = the merged tables it receives and its status. Raw = a reading a minute (temperature, humidity, lux, motion) as packed float32 (16 bytes) or JSON; ' +
    'events = only what the occupancy model learns from (motion minutes, dial turns, switch presses: ' + eventsPerDay.toFixed(0) + ' a day on average, measured), 5 bytes each.\n\n' +
    table(['N', 'R', 'fleet up', 'fleet down', 'raw float32', 'raw JSON', 'events', 'raw float32 / fleet', 'events / fleet'], traffic) +
    '\n\n' + machine() + '; ' + ((Date.now() - t0) / 1000).toFixed(0) + ' s';
  console.log(md);
  if (SEED !== 1) return;
  writeSection('fleet-thermostat', md, ['fleet.md']);
  console.log('wrote docs/fleet.md and docs/benchmarks.md');
}

main();
