/**
 * `npm run demo`: trains a model on a synthetic sensor stream on the real XS
 * engine (the JavaScript engine of Moddable's SDK, built from
 * @agoric/xsnap's sources), printing accuracy as it learns.
 * `npm run demo -- --engine node` runs the same code on Node instead.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOccupancyDemo } from './occupancy.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const i = process.argv.indexOf('--engine');
  const engine = i > 0 ? process.argv[i + 1] : 'xs';
  if (engine === 'node') {
    console.log('engine: Node ' + process.version);
    runOccupancyDemo((s) => console.log(s), 6000, 500);
    return;
  }
  if (engine !== 'xs') throw new Error('--engine must be xs or node');
  const { runXS } = (await import(join(ROOT, 'targets', 'xs', 'run.mjs'))) as {
    runXS: (f: string[], o: object) => Promise<{ code: number; stdout: string; stderr: string; meter?: number }>;
  };
  console.log('engine: XS (Moddable XS engine, build/xs/mlxs)');
  const t = Date.now();
  const r = await runXS([join(ROOT, 'build', 'bundles', 'demo.js')], { meter: true });
  process.stdout.write(r.stdout);
  if (r.code !== 0) {
    process.stderr.write(r.stderr);
    process.exit(1);
  }
  console.log('XS ran ' + r.meter + ' metered instructions in ' + (Date.now() - t) + ' ms (wall, incl. start-up)');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
