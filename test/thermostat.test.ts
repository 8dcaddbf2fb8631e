/**
 * The learning thermostat (examples/thermostat): it learns a schedule the
 * Nest way, learns a household's week, obeys commands, saves and reloads
 * its models across power cuts, rejects damaged saves, and gives the same
 * model bytes on Node, XS and under the Espruino gate.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { MemoryStorage, MicrolearnError, ModelStore, Random } from '../index.js';
import type { StorageAdapter } from '../index.js';
import { Thermostat, MODEL_NAMES, Readings } from '../examples/thermostat/thermostat.js';
import { PER_DAY, Schedule } from '../examples/thermostat/schedule.js';
import { Presence } from '../examples/thermostat/presence.js';
import { Ours } from '../examples/thermostat/sim/bench.js';
import { COUPLE, HOUSEHOLDS } from '../examples/thermostat/sim/household.js';
import { House } from '../examples/thermostat/sim/house.js';
import { simulate } from '../examples/thermostat/sim/world.js';
import { runWeek } from '../examples/thermostat/sim/week.js';
import { ROOT, lines, runXS } from './util.js';

const MON = 0;
const TUE = 1;
const SAT = 5;
const slot = (day: number, h: number, m = 0) => day * PER_DAY + h * 2 + (m >= 30 ? 1 : 0);
const minute = (day: number, h: number, m = 0) => day * 1440 + h * 60 + m;

function models(t: Thermostat): { [name: string]: number[] } {
  return {
    schedule: Array.from(t.schedule.toBytes()),
    presence: Array.from(t.presence.toBytes()),
    thermal: Array.from(t.thermal.model.toBytes()),
    lighting: Array.from(t.lighting.model.toBytes()),
  };
}

function stored(store: ModelStore): { [name: string]: number[] } {
  const out: { [name: string]: number[] } = {};
  for (const n of MODEL_NAMES) out[n] = Array.from(store.read(n) || []);
  return out;
}

describe('thermostat: the schedule learns the Nest way', function () {
  it('counts an early change at once, on that day and the other days of its kind', function () {
    const s = new Schedule();
    assert.equal(s.at(slot(MON, 7)), 20);
    s.learnInterval(slot(MON, 7), minute(MON, 7), minute(MON, 8, 30), 21, 0);
    for (let d = 0; d < 5; d++) assert.equal(s.at(slot(d, 7, 30)), 21, 'weekday ' + d);
    assert.equal(s.learned[slot(SAT, 7, 30)], 0, 'the weekend has not learned it');
    assert.equal(s.at(slot(SAT, 7, 30)), 20, 'an unset slot gives the comfort temperature');
    s.comfort = 215; // what the thermostat records when they turn the dial up while about
    assert.equal(s.at(slot(SAT, 7, 30)), 21.5);
    assert.equal(s.at(slot(MON, 7, 30)), 21, 'a learned slot keeps its own');
  });

  it('later, moves a slot only when a similar change comes again, for the whole weekday on consecutive days', function () {
    const s = new Schedule();
    s.learnInterval(slot(MON, 18), minute(MON, 18), minute(MON, 22), 21, 0);
    for (let d = 0; d < 5; d++) s.confirm(slot(d, 19));
    // day 10 (a Monday two weeks on): one warmer evening is only a candidate
    const changed = s.learnInterval(slot(MON, 19), minute(MON, 19) + 14 * 1440, minute(MON, 20) + 14 * 1440, 22, 14);
    assert.equal(changed, 0);
    assert.equal(s.at(slot(MON, 19)), 21);
    // the same change on the Tuesday: seen twice on consecutive days, adopted for every weekday
    s.learnInterval(slot(TUE, 19), minute(TUE, 19) + 14 * 1440, minute(TUE, 20) + 14 * 1440, 22, 15);
    for (let d = 0; d < 5; d++) assert.equal(s.at(slot(d, 19)), 22, 'weekday ' + d);
    assert.equal(s.adopted, 1);
  });

  it('learns the night temperature from turn-downs at bedtime the same way', function () {
    const s = new Schedule();
    s.learnNight(19, 0);
    assert.equal(s.nightValue(), 19);
    s.learnNight(18, 20);
    assert.equal(s.nightValue(), 19, 'a later single turn-down is a candidate');
    s.learnNight(18, 21);
    assert.equal(s.nightValue(), 18);
  });

  it('saves to bytes and back, and refuses damaged bytes with E_CORRUPT', function () {
    const s = new Schedule();
    s.learnInterval(slot(MON, 7), minute(MON, 7), minute(MON, 8), 21.5, 3);
    s.learnNight(18.5, 3);
    const b = s.toBytes();
    assert.deepEqual(Array.from(Schedule.fromBytes(b).toBytes()), Array.from(b));
    const bad = b.slice();
    bad[16] = 0xff; // slot 0 now holds an impossible temperature
    bad[17] = 0x7f;
    assert.throws(() => Schedule.fromBytes(bad), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT');
    assert.throws(() => Schedule.fromBytes(b.subarray(0, 100)), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT');
    assert.throws(() => Presence.fromBytes(b), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_CORRUPT');
  });
});

describe('thermostat: learns a household', function () {
  let ours: Ours;
  before(function () {
    ours = new Ours();
    simulate(COUPLE, ours, { weeks: 2, seed: 1 });
  });

  it('after two weeks knows the couple’s week: warm evenings, a cooler night, empty working days', function () {
    const t = ours.t;
    const sum = t.summary() as { schedule: { [d: string]: number[] }; occupancy: { [d: string]: number[] } };
    assert.equal(sum.schedule.tue[20], 21, 'Tuesday 20:00');
    assert.equal(sum.schedule.tue[3], 19.5, 'Tuesday 03:00');
    assert.ok(sum.occupancy.tue[11] < 0.3, 'Tuesday 11:00 is usually empty: ' + sum.occupancy.tue[11]);
    assert.ok(sum.occupancy.tue[20] > 0.8, 'Tuesday 20:00 is usually occupied: ' + sum.occupancy.tue[20]);
    assert.ok(sum.occupancy.tue[3] > 0.8, 'Tuesday 03:00 they are home, asleep: ' + sum.occupancy.tue[3]);
    assert.ok(t.presence.asleepAt(slot(TUE, 3)) && !t.presence.asleepAt(slot(TUE, 20)));
  });

  it('learns the heating rate of the house within 20 %', function () {
    const truth = new House(COUPLE.house).heatingRate(20, 0);
    const learned = ours.t.thermal.rate(true, 20, 0);
    assert.ok(Math.abs(learned - truth) / truth < 0.2, 'learned ' + learned.toFixed(2) + ' K/h, true ' + truth.toFixed(2) + ' K/h');
  });

  it('prints a JSON summary with the schedule and occupancy by weekday and hour', function () {
    const sum = JSON.parse(JSON.stringify(ours.t.summary()));
    for (const d of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) {
      assert.equal(sum.schedule[d].length, 24);
      assert.equal(sum.occupancy[d].length, 24);
    }
    assert.equal(typeof sum.heating.rateAt20In0Out, 'number');
    assert.ok(sum.counts.manualChanges > 0);
  });
});

describe('thermostat: commands', function () {
  const r: Readings = { temperature: 19, humidity: 45, lux: 10, motion: 1, co2: -1, outdoor: 3 };

  it('obeys a setpoint and a mode at once, and a light command', function () {
    const t = new Thermostat();
    t.tick(1000, 1000, r);
    t.dial(22);
    assert.equal(t.setpoint, 22);
    assert.equal(t.heater, true);
    assert.equal(t.action, 'heating');
    t.tick(1001, 1001, r);
    assert.equal(t.setpoint, 22, 'the change holds');
    t.setMode('off');
    assert.equal(t.heater, false);
    assert.equal(t.action, 'off');
    t.tick(1002, 1002, r);
    assert.equal(t.heater, false);
    t.setMode('heat');
    assert.equal(t.heater, true);
    t.lightSwitch(true);
    assert.equal(t.light, true);
    t.lightSwitch(false);
    assert.equal(t.light, false);
  });

  it('refuses a bad setpoint or mode with E_INPUT and changes nothing', function () {
    const t = new Thermostat();
    t.tick(1000, 1000, r);
    t.dial(21);
    const before = JSON.stringify(models(t)) + t.setpoint + t.mode;
    for (const bad of [NaN, Infinity, 4, 36, '21' as unknown as number]) {
      assert.throws(() => t.dial(bad), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_INPUT', String(bad));
    }
    assert.throws(() => t.setMode('cool'), (e: unknown) => e instanceof MicrolearnError && e.code === 'E_INPUT');
    assert.equal(JSON.stringify(models(t)) + t.setpoint + t.mode, before);
  });
});

/** A storage that can be told to cut the next write short, as a power cut in the middle of a flash write. */
class CuttableStorage implements StorageAdapter {
  readonly inner = new MemoryStorage();
  readonly maxBytes = this.inner.maxBytes;
  cutAt = -1;
  read(key: string): Uint8Array | null {
    return this.inner.read(key);
  }
  write(key: string, data: Uint8Array): void {
    if (this.cutAt >= 0) {
      const n = this.cutAt;
      this.cutAt = -1;
      this.inner.write(key, data.subarray(0, n));
      throw new Error('power cut');
    }
    this.inner.write(key, data);
  }
  remove(key: string): void {
    this.inner.remove(key);
  }
}

describe('thermostat: power cuts', function () {
  it('at random minutes, restores exactly what it had saved, never less', function () {
    const store = new ModelStore(new MemoryStorage());
    const ours = new Ours({ store: store });
    const rng = new Random(11);
    const cuts: number[] = [];
    for (let i = 0; i < 12; i++) cuts.push(rng.nextInt(2 * 10080));
    let lastSaved: { [name: string]: number[] } = {};
    // what the thermostat holds right after each save is what must come back
    const watch = () => {
      const t = ours.t;
      const save = t.save.bind(t);
      t.save = (names?: string[]) => {
        save(names);
        const now = models(t);
        for (const n of names || MODEL_NAMES) lastSaved[n] = now[n];
      };
    };
    watch();
    let checked = 0;
    simulate(COUPLE, ours, {
      weeks: 2,
      seed: 3,
      onMinute: (m) => {
        if (cuts.indexOf(m) < 0) return;
        const before = stored(store);
        for (const n of MODEL_NAMES) if (lastSaved[n]) assert.deepEqual(before[n], lastSaved[n], n + ' in the store is its last save');
        ours.reboot();
        assert.deepEqual(models(ours.t), before, 'after the cut at minute ' + m + ' the models are those saved');
        lastSaved = {};
        watch();
        checked++;
      },
    });
    assert.equal(checked, new Set(cuts).size);
  });

  it('cut in the middle of a save, comes back with the model saved before', function () {
    const storage = new CuttableStorage();
    const errors: string[] = [];
    const store = new ModelStore(storage);
    const t = new Thermostat({ store: store, onError: (what) => errors.push(what) });
    const r: Readings = { temperature: 19, humidity: 45, lux: 10, motion: 1, co2: -1, outdoor: 3 };
    t.tick(500, 500, r);
    t.dial(21);
    t.tick(600, 600, r);
    t.dial(22); // closes the 21 interval: the schedule is saved
    t.tick(700, 700, r);
    const good = Array.from(store.read('schedule')!);
    assert.deepEqual(Array.from(t.schedule.toBytes()), good);
    storage.cutAt = 40; // the next write stops after 40 bytes
    t.dial(19);
    assert.deepEqual(errors, ['saving schedule']);
    const again = new Thermostat({ store: store });
    assert.deepEqual(Array.from(again.schedule.toBytes()), good);
  });
});

describe('thermostat: the same week on every engine', function () {
  let node: string[];
  let bundles: { file: string; bytes: number }[];

  before(async function () {
    this.timeout(300000);
    node = [];
    runWeek((s) => node.push(s), 0, 1);
    const build = (await import(join(ROOT, 'examples', 'thermostat', 'build.mjs'))) as { buildThermostat(): Promise<{ file: string; bytes: number }[]> };
    bundles = await build.buildThermostat();
  });

  it('on Node, prints a hash per model and the week’s figures', function () {
    assert.equal(node.length, 6);
    assert.ok(node.some((l) => l.startsWith('thermostat presence-merge ')), 'a merge of occupancy tables');
    for (const n of MODEL_NAMES) assert.ok(node.some((l) => l.startsWith('thermostat ' + n + ' ') && !l.endsWith('none')), n);
  });

  it('gives the same model hashes on XS, with TypeScript and with native kernels', async function () {
    for (const native of [false, true]) {
      const t = Date.now();
      const r = await runXS([join(ROOT, 'build', 'bundles', 'thermostat-week.js')], { native: native, meter: true });
      assert.equal(r.code, 0, r.stderr);
      console.log('      XS' + (native ? ' native' : '') + ': ' + (Date.now() - t) + ' ms, ' + r.meter + ' metered instructions for a simulated week');
      assert.deepEqual(lines(r.stdout), node);
    }
  });

  it('gives the same hashes on XS with every built-in frozen, as a Moddable app that preloads modules', async function () {
    const r = await runXS([join(ROOT, 'test', 'frozen', 'freeze-builtins.js'), join(ROOT, 'build', 'bundles', 'thermostat-week.js')], { native: false });
    assert.equal(r.code, 0, r.stderr);
    const out = lines(r.stdout);
    assert.match(out.shift() as string, /^frozen \d+ built-in objects$/);
    assert.deepEqual(out, node);
  });

  it('gives the same hashes on a real Espruino (a Linux build in $ESPRUINO)', async function () {
    const binary = process.env.ESPRUINO;
    if (!binary) {
      console.log('      skipped: $ESPRUINO is not set (a Linux build of Espruino; docs/espruino.md)');
      return this.skip();
    }
    const run = (await import(join(ROOT, 'targets', 'espruino', 'run.mjs'))) as {
      boardDir(): string;
      runEspruino(b: string, f: string, o: object): Promise<{ code: number | null; stdout: string; errors: string[] }>;
    };
    const dir = run.boardDir();
    try {
      const t = Date.now();
      const r = await run.runEspruino(binary, join(ROOT, 'build', 'bundles', 'thermostat-week.es5.js'), { cwd: dir, timeoutMs: 1800000 });
      console.log('      Espruino: ' + ((Date.now() - t) / 1000).toFixed(0) + ' s for a simulated week');
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.stdout.split(/\r?\n/).filter((l) => l.indexOf('thermostat ') === 0), node);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes the static Espruino gate and gives the same hashes under the run-time gate', async function () {
    const gate = (await import(join(ROOT, 'targets', 'espruino', 'gate.mjs'))) as {
      staticGate(code: string, file: string): { rule: string; at: string; text: string }[];
      runInEspruinoLikeContext(code: string, o?: object): { lines: string[]; error: unknown };
    };
    const code = fs.readFileSync(join(ROOT, 'build', 'bundles', 'thermostat-week.es5.js'), 'utf8');
    console.log('      Espruino bundle: ' + bundles.find((b) => b.file.endsWith('.es5.js'))!.bytes + ' bytes');
    assert.deepEqual(gate.staticGate(code, 'thermostat-week.es5.js').map((p) => p.rule + ' at ' + p.at + ': ' + p.text), []);
    for (let h = 0; h < HOUSEHOLDS.length; h++) {
      const expect: string[] = [];
      if (h === 0) expect.push(...node);
      else runWeek((s) => expect.push(s), h, 1);
      const r = gate.runInEspruinoLikeContext('var THERMOSTAT_HOUSEHOLD = ' + h + ';\n' + code, { filename: 'thermostat-week.es5.js' });
      assert.equal(r.error, null, String(r.error && (r.error as Error).stack));
      assert.deepEqual(r.lines, expect, HOUSEHOLDS[h].name);
    }
  });
});

describe('thermostat: sensor drivers', function () {
  it('BME280: the datasheet example gives 25.08 °C and 100653.27 Pa; humidity agrees with the datasheet integer formula', async function () {
    const { BME280 } = await import('../examples/thermostat/sensors.js');
    const { SimulatedChips, DATASHEET } = await import('./support/i2c-chips.js');
    const chips = new SimulatedChips();
    const m = new BME280(chips).read();
    assert.equal(Math.round(m.temperature * 100) / 100, 25.08);
    assert.equal(Math.round(m.pressure * 100) / 100, 100653.27);
    // the datasheet's 32-bit integer routines (4.2.3), in exact integer arithmetic
    const [T1, T2, T3] = DATASHEET.t;
    const [H1, H2, H3, H4, H5, H6] = DATASHEET.h;
    const sh = (x: number, n: number) => Math.floor(x / Math.pow(2, n));
    const adcT = chips.adcT;
    const fine = sh((sh(adcT, 3) - T1 * 2) * T2, 11) + sh(sh((sh(adcT, 4) - T1) * (sh(adcT, 4) - T1), 12) * T3, 14);
    let v = fine - 76800;
    const a = sh(chips.adcH * 16384 - H4 * 1048576 - H5 * v + 16384, 15);
    const b = sh((sh(sh(v * H6, 10) * (sh(v * H3, 11) + 32768), 10) + 2097152) * H2 + 8192, 14);
    v = a * b;
    v = v - sh(sh(sh(v, 15) * sh(v, 15), 7) * H1, 4);
    const intRH = Math.min(Math.max(v, 0), 419430400) / 4194304; // Q22.10 → %RH
    assert.ok(Math.abs(m.humidity - intRH) < 0.05, 'double ' + m.humidity + ' vs integer ' + intRH);
    assert.ok(m.humidity > 0 && m.humidity < 100);
    assert.deepEqual(chips.writes.filter((w) => w.length === 3), [[0x76, 0xf2, 0x01], [0x76, 0xf5, 0xa0], [0x76, 0xf4, 0x27]], 'normal mode, ×1 oversampling');
  });

  it('refuses a BMP280 (no humidity) in words, and reads the BH1750 in lux', async function () {
    const { BME280, BH1750 } = await import('../examples/thermostat/sensors.js');
    const { SimulatedChips } = await import('./support/i2c-chips.js');
    const chips = new SimulatedChips();
    chips.chipId = 0x58;
    assert.throws(() => new BME280(chips), /no BME280 at 0x76 \(chip id 0x58: a BMP280, which has no humidity\)/);
    chips.lightCount = 600;
    assert.equal(new BH1750(chips).read(), 500);
  });
});

describe('thermostat: the Espruino device bundle', function () {
  this.timeout(300000);

  it('passes the static gate, boots under the run-time gate with simulated chips, heats, learns and saves to Storage', async function () {
    const build = (await import(join(ROOT, 'examples', 'thermostat', 'build.mjs'))) as { buildThermostat(): Promise<{ file: string; bytes: number }[]> };
    const files = await build.buildThermostat();
    const gate = (await import(join(ROOT, 'targets', 'espruino', 'gate.mjs'))) as {
      staticGate(code: string, file: string): { rule: string; at: string; text: string }[];
      runInEspruinoLikeContext(code: string, o?: object): { lines: string[]; error: unknown; context: { [k: string]: unknown } };
    };
    const { SimulatedChips } = await import('./support/i2c-chips.js');
    const code = fs.readFileSync(join(ROOT, 'build', 'thermostat', 'espruino', 'thermostat.js'), 'utf8');
    console.log('      ' + files.find((f) => f.file.endsWith('thermostat.js'))!.bytes + ' bytes (ES5, minified)');
    assert.deepEqual(gate.staticGate(code, 'thermostat.js').map((p) => p.rule + ' at ' + p.at + ': ' + p.text), []);

    // the board: simulated BME280/BH1750 on I2C1, pins, timers and flash Storage as Espruino provides them
    const chips = new SimulatedChips();
    chips.adcT = 500000; // about 18 °C: it must heat
    const pins: { [pin: string]: boolean } = {};
    const watches: { [pin: string]: (e: { state: boolean }) => void } = {};
    let everyMinute: (() => void) | null = null;
    const flash: { [name: string]: Uint8Array } = {};
    const globals = {
      THERMOSTAT_CONFIG: { id: 'esp-1', sda: 'D21', scl: 'D22', pir: 'D27', heater: 'D25', light: 'D26', up: 'D32', down: 'D33', lightButton: 'D14', utcOffset: 60 },
      I2C1: { setup() {}, writeTo: (a: number, d: number[]) => chips.write(a, d), readFrom: (a: number, n: number) => chips.read(a, n) },
      setWatch: (fn: (e: { state: boolean }) => void, pin: string) => (watches[pin] = fn),
      digitalWrite: (pin: string, v: boolean) => (pins[pin] = v),
      pinMode() {},
      setInterval: (fn: () => void) => (everyMinute = fn),
      setTimeout: () => 0,
      clearTimeout() {},
      console: { log() {} },
      require: (name: string) => {
        if (name === 'Storage')
          return {
            readArrayBuffer: (n: string) => (flash[n] ? flash[n].slice().buffer : undefined),
            write: (n: string, d: Uint8Array) => {
              flash[n] = new Uint8Array(d);
              return true;
            },
            erase: (n: string) => delete flash[n],
          };
        throw new Error('module ' + name + ' not found');
      },
    };
    const r = gate.runInEspruinoLikeContext(code, { filename: 'thermostat.js', globals: globals });
    assert.equal(r.error, null, String(r.error && (r.error as Error).stack));
    assert.equal(pins.D25, true, 'the heater relay is on at 18 °C');
    for (let i = 0; i < 5; i++) everyMinute!();
    watches.D27({ state: true }); // someone walks by
    watches.D32({ state: false }); // the dial up by 0.5 °C
    watches.D14({ state: false }); // the light button
    everyMinute!();
    assert.equal(pins.D26, true, 'the light is on');
    assert.ok(Object.keys(flash).some((k) => k.indexOf('lighting.') === 0), 'the light press was saved: ' + Object.keys(flash).join(', '));
    assert.ok(Object.keys(flash).some((k) => k.indexOf('schedule.') === 0), 'the schedule is saved');
  });
});
