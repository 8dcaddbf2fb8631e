// Bundles of the thermostat example, from the tsc output in build/ (`npm run build` first):
//
//   build/bundles/thermostat-week.js        one simulated week as a classic script, for the XS host
//                                           (targets/xs/run.mjs) and cross-engine checks
//   build/bundles/thermostat-week.es5.js    the same week for Espruino (ES5, passes the Espruino gate)
//   build/thermostat/espruino/thermostat.js the device app for an Espruino board (examples/thermostat/espruino/main.ts):
//                                           upload it after setting THERMOSTAT_CONFIG (docs/thermostat.md)
//
//   node examples/thermostat/build.mjs      builds them and prints their sizes
//   import { buildThermostat } from './build.mjs'; const files = await buildThermostat();

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleScript } from '../../targets/node/bundle.mjs';
import { bundle } from '../../targets/espruino/build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = path.join(ROOT, 'build');

/** Builds the bundles; returns [{ file, bytes }] with paths relative to the repository. */
export async function buildThermostat() {
  const week = path.join(BUILD, 'examples', 'thermostat', 'sim', 'week-entry.js');
  if (!fs.existsSync(week)) throw new Error(path.relative(ROOT, week) + ' is missing: run `npm run build` first');
  const out = [];
  await bundleScript('examples/thermostat/sim/week-entry.js', 'thermostat-week.js', 'thermostatWeek');
  out.push(path.join('build', 'bundles', 'thermostat-week.js'));
  const es5 = await bundle(week, 'iife', [], 'thermostatWeek');
  fs.writeFileSync(path.join(BUILD, 'bundles', 'thermostat-week.es5.js'), es5);
  out.push(path.join('build', 'bundles', 'thermostat-week.es5.js'));
  const device = await bundle(path.join(BUILD, 'examples', 'thermostat', 'espruino', 'main.js'), 'iife', [], 'thermostat');
  fs.mkdirSync(path.join(BUILD, 'thermostat', 'espruino'), { recursive: true });
  fs.writeFileSync(path.join(BUILD, 'thermostat', 'espruino', 'thermostat.js'), device);
  out.push(path.join('build', 'thermostat', 'espruino', 'thermostat.js'));
  return out.map((file) => ({ file, bytes: fs.statSync(path.join(ROOT, file)).size }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await buildThermostat()) console.log(String(r.bytes).padStart(8) + ' bytes  ' + r.file);
}
