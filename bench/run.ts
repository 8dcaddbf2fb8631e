/**
 * `npm run bench`: runs every benchmark in turn; each one rewrites its own
 * sections of docs/benchmarks.md. Pass names to run only some:
 * `npm run bench -- linear suite2`.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ALL = ['linear', 'accuracy-suite1', 'cost-suite1', 'suite2', 'learners', 'native', 'playground', 'raw-ranges', 'fuzz', 'fleet', 'fleet-vibration'];
const here = dirname(fileURLToPath(import.meta.url));
const pick = process.argv.slice(2);
let failed = 0;
for (const name of pick.length ? pick : ALL) {
  if (ALL.indexOf(name) < 0) throw new Error('unknown benchmark ' + name + ' (have: ' + ALL.join(', ') + ')');
  console.log('\n=== bench/' + name + '.ts');
  const t = Date.now();
  const r = spawnSync(process.execPath, [join(here, name + '.js')], { stdio: 'inherit' });
  console.log('=== ' + name + ': ' + (r.status === 0 ? 'ok' : 'FAILED') + ' in ' + ((Date.now() - t) / 1000).toFixed(0) + ' s');
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
