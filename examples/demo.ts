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
  const xs = (await import(join(ROOT, 'targets', 'xs', 'run.mjs'))) as {
    ensureXS: (native?: boolean) => Promise<{ built: boolean; seconds: number }>;
    runXS: (f: string[], o: object) => Promise<{ code: number; stdout: string; stderr: string; meter?: number }>;
  };
  // The host is compiled once (a minute or two on a fresh clone), then reused.
  const build = await xs.ensureXS();
  if (build.built) console.log('XS host built in ' + build.seconds.toFixed(1) + ' s (once; later runs reuse it)');
  console.log('engine: XS (Moddable XS engine, build/xs/mlxs)');
  const t = Date.now();
  // Streamed: each progress line appears as XS prints it.
  const r = await xs.runXS([join(ROOT, 'build', 'bundles', 'demo.js')], { meter: true, onStdout: (s: string) => process.stdout.write(s) });
  if (r.code !== 0) {
    process.stderr.write(r.stderr);
    process.exit(1);
  }
  console.log('XS ran ' + r.meter + ' metered instructions in ' + (Date.now() - t) + ' ms (wall, the run alone)');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
