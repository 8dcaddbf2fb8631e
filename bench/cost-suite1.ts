/**
 * Per-sample cost and state size of the suite I learners (8 features,
 * 3 classes) on Node and on the XS host (TS kernels), from one bundle
 * (bench/suite1-cost-entry.ts). Writes the `cost-suite1` section of
 * docs/benchmarks.md.
 *
 * Run: npx tsc -p . && node targets/node/bundle.mjs && node build/bench/cost-suite1.js
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, machine, table, writeSection } from './report.js';
import { runCosts } from './suite1-cost.js';

type Costs = { [name: string]: number[] }; // stateBytes, learn meter, learn ns, predict meter, predict ns

function parse(out: string): Costs {
  const r: Costs = {};
  for (const l of out.split('\n')) {
    if (l.indexOf('cost ') !== 0) continue;
    const p = l.slice(5).split(' ');
    const nums = p.slice(-5).map(Number);
    r[p.slice(0, -5).join(' ')] = nums;
  }
  return r;
}

/** Keeps, per learner, the run with the lowest learn time (wall time only ever gains noise). */
function best(into: Costs, r: Costs): void {
  for (const k in r) if (!into[k] || r[k][2] < into[k][2]) into[k] = r[k];
}

async function main(): Promise<void> {
  const { bundleScript } = (await import(join(ROOT, 'targets', 'node', 'bundle.mjs'))) as { bundleScript: (e: string, o: string, n: string) => Promise<void> };
  await bundleScript('bench/suite1-cost-entry.js', 'bench-suite1-cost.js', 'benchSuite1Cost');
  const file = join(ROOT, 'build', 'bundles', 'bench-suite1-cost.js');
  // Node: in this process (JIT-warm after the first round), performance.now(), best of 5.
  const node: Costs = {};
  for (let k = 0; k < 5; k++) {
    let out = '';
    runCosts({ print: (s: string) => (out += s + '\n'), meter: null, now: () => performance.now() });
    best(node, parse(out));
  }
  let xs: Costs | null = null;
  const runPath = join(ROOT, 'targets', 'xs', 'run.mjs');
  if (existsSync(runPath)) {
    try {
      const { runXS } = (await import(runPath)) as { runXS: (f: string[], o?: object) => Promise<{ code: number; stdout: string; stderr: string }> };
      xs = {};
      for (let k = 0; k < 3; k++) {
        const r = await runXS([file]);
        if (r.code !== 0) throw new Error(r.stderr);
        best(xs, parse(r.stdout));
      }
    } catch (e) {
      console.log('XS host not usable, Node only: ' + (e as Error).message);
      xs = null;
    }
  }
  const rows = Object.keys(node).map((name) => {
    const n = node[name];
    const row: (string | number)[] = [name, n[0], (n[2] / 1000).toFixed(2) + ' µs', (n[4] / 1000).toFixed(2) + ' µs'];
    if (xs && xs[name]) {
      const x = xs[name];
      row.push(Math.round(x[1]), Math.round(x[3]), (x[2] / 1000).toFixed(1) + ' µs', (x[4] / 1000).toFixed(1) + ' µs');
    }
    return row;
  });
  const header = ['learner (8 features, 3 classes)', 'stateBytes', 'Node learnOne', 'Node predictOne'];
  if (xs) header.push('XS meter / learnOne', 'XS meter / predictOne', 'XS learnOne', 'XS predictOne');
  const t = table(header, rows);
  console.log(t);
  writeSection(
    'cost-suite1',
    'Measured ' + new Date().toISOString().slice(0, 10) + ' on ' + machine() + ' (load average ' + loadavg()[0].toFixed(1) + ' during the run) with the TypeScript kernels: `learnOneQ` then `predictOneQ` on a stream of 8-feature, 3-class ' +
      'Q16.16 samples after 400 warm-up samples (2,000 samples; 1,000 for k-NN), best of 5 rounds on Node (in process) and 3 runs of the bundle on the XS host (`targets/xs`). XS meter units are deterministic ' +
      '(XS counts bytecode-level operations); wall times vary with machine load. k-NN learns by storing a sample, so its cost is in predictOne; the tree\'s learnOne includes its split attempts ' +
      '(every 100 samples per leaf) and, with `nba`, the naive Bayes check at the leaf. `stateBytes` is the learned state, fixed at construction.\n\n' + t,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
