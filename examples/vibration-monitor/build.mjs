// Bundles of the vibration monitor example, from the tsc output in build/ (`npm run build` first):
//
//   build/bundles/vibration-run.js       the deterministic device run (run.ts) as a classic script,
//                                        for the XS host (targets/xs/run.mjs) and cross-engine checks
//   build/bundles/vibration-run.es5.js   the same run for Espruino (ES5, passes the Espruino gate)
//   build/bundles/vibration-espruino.js  the device for an Espruino board (espruino.ts, ES5)
//
//   node examples/vibration-monitor/build.mjs      builds them and prints their sizes
//   import { buildVibration } from './build.mjs'; const files = await buildVibration();

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleScript } from '../../targets/node/bundle.mjs';
import { bundle } from '../../targets/espruino/build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = path.join(ROOT, 'build');

/** Builds the bundles; returns [{ file, bytes }] with paths relative to the repository. */
export async function buildVibration() {
  const entry = path.join(BUILD, 'examples', 'vibration-monitor', 'run-entry.js');
  if (!fs.existsSync(entry)) throw new Error(path.relative(ROOT, entry) + ' is missing: run `npm run build` first');
  const out = [];
  await bundleScript('examples/vibration-monitor/run-entry.js', 'vibration-run.js', 'vibrationRun');
  out.push(path.join('build', 'bundles', 'vibration-run.js'));
  const es5 = await bundle(entry, 'iife', [], 'vibrationRun');
  fs.writeFileSync(path.join(BUILD, 'bundles', 'vibration-run.es5.js'), es5);
  out.push(path.join('build', 'bundles', 'vibration-run.es5.js'));
  const dev = await bundle(path.join(BUILD, 'examples', 'vibration-monitor', 'espruino.js'), 'iife', [], 'vibrationMonitor');
  fs.writeFileSync(path.join(BUILD, 'bundles', 'vibration-espruino.js'), dev);
  out.push(path.join('build', 'bundles', 'vibration-espruino.js'));
  return out.map((file) => ({ file, bytes: fs.statSync(path.join(ROOT, file)).size }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await buildVibration()) console.log(String(r.bytes).padStart(8) + ' bytes  ' + r.file);
}
