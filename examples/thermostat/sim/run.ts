/**
 * `npm run thermostat:sim`: 8 simulated weeks for every household, with our
 * thermostat and the two baselines, printed week by week, then the issue's
 * targets checked on those figures, and our thermostat once more with power
 * cuts at random minutes. Options:
 *   --weeks N       weeks to simulate (default 8)
 *   --seed N        seed of weather, plans and occupants (default 1)
 *   --household S   only households whose name contains S
 *   --light NAME    lighting model of our thermostat (see LIGHT_MODELS in bench.ts)
 *   --reboots N     power cuts per week in the extra run (default 3; 0: no extra run)
 *   --svg DIR       write SVG plots of week 6 into DIR: ours for every household, the baselines for the first
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelStore, MemoryStorage } from '../../../src/storage.js';
import { Random } from '../../../src/random.js';
import { HOUSEHOLDS, Household } from './household.js';
import { CONTROLLERS, HouseholdResult, LIGHT_CLASSES_ALL, LIGHT_MODELS, Ours, comfort, runHousehold, total } from './bench.js';
import { SimResult, WeekStats, simulate } from './world.js';
import { weekSvg } from './plot.js';
import { Oracle } from './oracle.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

function pad(s: string, n: number): string {
  while (s.length < n) s = ' ' + s;
  return s;
}

function f1(v: number): string {
  return (Math.floor(v * 10 + 0.5) / 10).toFixed(1);
}

const COLS = ['manual changes', 'comfort %', 'heating kWh', 'light corrections'];
const SHORT: { [c: string]: string } = { ours: 'ours', fixed: 'fixed', 'nest-like': 'nest' };

function cells(runs: SimResult[], pick: (w: WeekStats[]) => WeekStats[]): string[][] {
  const out: string[][] = [[], [], [], []];
  for (const r of runs) {
    const w = pick(r.weeks);
    out[0].push(String(total(w, 'manualChanges')));
    out[1].push(f1(comfort(w)));
    out[2].push(f1(total(w, 'energyKWh')));
    out[3].push(String(total(w, 'lightCorrections')));
  }
  return out;
}

function row(label: string, c: string[][]): string {
  let s = pad(label, 5) + ' |';
  for (let i = 0; i < c.length; i++) s += ' ' + c[i].map((v) => pad(v, 6)).join(' ') + ' |';
  return s;
}

export function printTable(r: HouseholdResult, print: (s: string) => void): void {
  const h = r.household;
  const notes: string[] = [];
  if (h.vacationWeek) notes.push('away all of week ' + h.vacationWeek);
  if (h.routineChangeWeek) notes.push('new routine from week ' + h.routineChangeWeek);
  print(h.name + (notes.length ? ' (' + notes.join(', ') + ')' : ''));
  let head = pad('', 5) + ' |';
  let sub = pad('week', 5) + ' |';
  for (const c of COLS) {
    head += ' ' + pad(c, 20) + ' |';
    sub += ' ' + CONTROLLERS.map((n) => pad(SHORT[n], 6)).join(' ') + ' |';
  }
  print(head);
  print(sub);
  const runs = CONTROLLERS.map((c) => r.runs[c]);
  const weeks = runs[0].weeks.length;
  for (let i = 0; i < weeks; i++) print(row(String(i + 1), cells(runs, (w) => [w[i]])));
  print(row('2-' + weeks, cells(runs, (w) => w.slice(1))));
}

/** The targets on one household's figures (weeks 2..N). */
function targets(r: HouseholdResult, seed: number, print: (s: string) => void): boolean[] {
  const h = r.household;
  const ours = r.runs.ours.weeks;
  const fixed = r.runs.fixed.weeks;
  const later = ours.slice(1);
  let worst = 0;
  let worstWeek = 0;
  for (let i = 1; i < ours.length; i++) if (ours[i].manualChanges > worst) {
    worst = ours[i].manualChanges;
    worstWeek = i + 1;
  }
  const perWeek = total(later, 'manualChanges') / later.length;
  const c = comfort(later);
  const e = total(later, 'energyKWh');
  const ef = total(fixed.slice(1), 'energyKWh');
  const saving = 100 * (1 - e / ef);
  const ok = [worst <= 1, c >= 95, saving >= 10];
  const mark = (b: boolean) => (b ? 'met   ' : 'MISSED');
  print('  ' + mark(ok[0]) + ' ≤ 1 manual change a week after week 1: ' + f1(perWeek) + ' a week on average, at most ' + worst + ' (week ' + worstWeek + ')');
  const oracle = simulate(h, new Oracle(h, ours.length, seed), { weeks: ours.length, seed: seed }).weeks.slice(1);
  print(
    '  ' + mark(ok[1]) + ' comfort ≥ 95 % of occupied minutes: ' + f1(c) + ' % (fixed ' + f1(comfort(fixed.slice(1))) + ' %, nest-like ' + f1(comfort(r.runs['nest-like'].weeks.slice(1))) +
      ' %; a thermostat knowing the plan and the physics in advance: ' + f1(comfort(oracle)) + ' % with ' + f1(total(oracle, 'energyKWh')) + ' kWh)',
  );
  print('  ' + mark(ok[2]) + ' heating ≤ fixed − 10 %: ' + f1(e) + ' kWh vs ' + f1(ef) + ' kWh, ' + (saving >= 0 ? '−' : '+') + f1(saving >= 0 ? saving : -saving) + ' %');
  if (h.routineChangeWeek > 0 && h.routineChangeWeek < ours.length) {
    const wk = h.routineChangeWeek;
    const after = ours[wk].manualChanges; // the 7 days after the week of the change
    ok.push(after <= 1);
    print('  ' + mark(after <= 1) + ' back under 1 change a week within 7 days of the week-' + wk + ' routine change: ' + ours[wk - 1].manualChanges + ' changes in week ' + wk + ', ' + after + ' in week ' + (wk + 1));
  }
  return ok;
}

/** Our thermostat again, with `perWeek` power cuts a week at random minutes (seeded), saving into a MemoryStorage. */
function withReboots(h: Household, weeks: number, seed: number, perWeek: number, light: string): { result: SimResult; reboots: number } {
  const store = new ModelStore(new MemoryStorage());
  const ours = new Ours({ store: store, lightModel: light ? LIGHT_MODELS[light]() : undefined, lightClasses: LIGHT_CLASSES_ALL });
  const rng = new Random(seed + 99);
  const cuts: number[] = [];
  for (let i = 0; i < perWeek * weeks; i++) cuts.push(rng.nextInt(weeks * 10080));
  const result = simulate(h, ours, {
    weeks: weeks,
    seed: seed,
    onMinute: function (m) {
      if (cuts.indexOf(m) >= 0) ours.reboot();
    },
  });
  return { result: result, reboots: ours.reboots };
}

function main(): void {
  const weeks = Number(arg('--weeks', '8'));
  const seed = Number(arg('--seed', '1'));
  const only = arg('--household', '');
  const light = arg('--light', '');
  const reboots = Number(arg('--reboots', '3'));
  const svgDir = arg('--svg', '');
  if (light && !LIGHT_MODELS[light]) throw new Error('--light must be one of ' + Object.keys(LIGHT_MODELS).join(', '));
  const t0 = Date.now();
  const list: Household[] = HOUSEHOLDS.filter((h) => h.name.indexOf(only) >= 0);
  const print = (s: string) => console.log(s);
  print('Simulated winter, ' + weeks + ' weeks, seed ' + seed + '. Per week: turns of the dial by the occupants, % of occupied minutes within 0.5 °C of');
  print('what they wanted, heater energy, presses of the light switch that corrected a wrong light. "fixed": a programmable');
  print('thermostat set once to the first routine, plain light switch; "nest": the Nest Auto-Schedule rule, motion-sensor lamp.');
  print('');
  const summary: string[] = [];
  for (const h of list) {
    const r = runHousehold(h, { weeks: weeks, seed: seed, traceWeek: svgDir ? Math.min(6, weeks) : 0 }, () => ({ lightModel: light ? LIGHT_MODELS[light]() : undefined }));
    printTable(r, print);
    const ok = targets(r, seed, print);
    summary.push(pad(h.name, 22) + '  ' + ok.map((b) => (b ? 'met' : 'missed')).join(', '));
    if (reboots > 0) {
      const rb = withReboots(h, weeks, seed, reboots, light);
      const w = rb.result.weeks.slice(1);
      const base = r.runs.ours.weeks.slice(1);
      print(
        '  with ' + rb.reboots + ' power cuts at random minutes (models restored from ModelStore): ' + total(w, 'manualChanges') + ' changes, ' + f1(comfort(w)) + ' % comfort, ' +
          f1(total(w, 'energyKWh')) + ' kWh, ' + total(w, 'lightCorrections') + ' light corrections in weeks 2-' + weeks + ' (without: ' + total(base, 'manualChanges') + ', ' +
          f1(comfort(base)) + ' %, ' + f1(total(base, 'energyKWh')) + ' kWh, ' + total(base, 'lightCorrections') + ')',
      );
    }
    if (svgDir) {
      fs.mkdirSync(svgDir, { recursive: true });
      const wk = Math.min(6, weeks);
      // ours for every household; the baselines too for the first (the same week, side by side)
      for (const c of CONTROLLERS) {
        const tr = r.runs[c].trace;
        if (!tr || (c !== 'ours' && h !== list[0])) continue;
        const file = path.join(svgDir, h.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase() + '-week' + wk + '-' + c + '.svg');
        fs.writeFileSync(file, weekSvg(tr, h.name + ', week ' + wk + ', ' + (c === 'ours' ? 'our thermostat' : c === 'fixed' ? 'fixed schedule' : 'Nest-like rule')));
      }
    }
    print('');
  }
  print('targets (≤ 1 change a week, comfort ≥ 95 %, heating ≤ fixed − 10 %, back under 1 change within 7 days of a routine change):');
  for (const s of summary) print('  ' + s);
  print('simulated ' + list.length + ' households × ' + weeks + ' weeks × ' + (CONTROLLERS.length + (reboots > 0 ? 1 : 0)) + ' runs in ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s');
}

main();
