// Packages the tsc output (build/) for Node and bundles scripts for the
// engines that run a single classic script (XS host, Espruino).
//   dist/esm/   ES modules + .d.ts, one file per module (tree-shakeable)
//   dist/cjs/   the same modules as CommonJS (.cjs)
//   build/bundles/conformance.js   the conformance suite as one IIFE script
//   build/bundles/demo.js          the occupancy demo (npm run demo) likewise
import { rollup } from 'rollup';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const build = join(root, 'build');
const dist = join(root, 'dist');

/** Bundles one built entry into a single classic script. */
export async function bundleScript(entry, out, name) {
  const b = await rollup({ input: join(build, entry), onwarn: warn });
  await b.write({ file: join(build, 'bundles', out), format: 'iife', name, strict: true });
  await b.close();
}

function warn(w) {
  if (w.code === 'CIRCULAR_DEPENDENCY') return;
  throw new Error('rollup: ' + w.message);
}

async function main() {
  // Only our own outputs: dist/espruino belongs to targets/espruino/build.mjs.
  for (const d of ['esm', 'cjs']) rmSync(join(dist, d), { recursive: true, force: true });
  for (const d of ['src', 'algorithms', 'integrations']) cpSync(join(build, d), join(dist, 'esm', d), { recursive: true });
  for (const f of ['index.js', 'index.d.ts']) cpSync(join(build, f), join(dist, 'esm', f));
  // the storage adapters of each runtime (the rest of targets/ is build tooling)
  for (const t of ['node', 'espruino', 'moddable'])
    for (const f of ['storage.js', 'storage.d.ts']) cpSync(join(build, 'targets', t, f), join(dist, 'esm', 'targets', t, f));
  // the Espruino device API, for host-side use of the same functions (microlearn/lite)
  for (const f of ['lite.js', 'lite.d.ts']) cpSync(join(build, 'targets', 'espruino', f), join(dist, 'esm', 'targets', 'espruino', f));
  writeFileSync(join(dist, 'esm', 'package.json'), '{ "type": "module" }\n');
  const b = await rollup({ input: [join(build, 'index.js'), join(build, 'targets', 'espruino', 'lite.js')], onwarn: warn, preserveEntrySignatures: 'strict' });
  await b.write({ dir: join(dist, 'cjs'), format: 'cjs', preserveModules: true, preserveModulesRoot: build, entryFileNames: '[name].cjs', exports: 'named' });
  await b.close();
  mkdirSync(join(build, 'bundles'), { recursive: true });
  await bundleScript('test/conformance/entry.js', 'conformance.js', 'microlearnConformance');
  await bundleScript('examples/occupancy-entry.js', 'demo.js', 'microlearnDemo');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
