// Builds the playground into build/playground/ with rollup:
//   app.js         the page's script: our TypeScript plus the library's own ESM build (dist/esm)
//   reference.mjs  the same streams and learners for Node (imports 'microlearn', i.e. dist/esm)
//   index.html, style.css
// The TypeScript is type-checked with examples/playground/tsconfig.json (DOM typings),
// then transpiled module by module in a rollup plugin. Needs `npm run build` first (dist/esm).
import { rollup } from 'rollup';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const OUT = join(root, 'build', 'playground');
/** The library's ESM build: what `import 'microlearn'` gives a user (package.json "exports"). */
const LIBRARY = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports['.'].import);

/** 'microlearn' → the ESM build; './x.js' → './x.ts' when that is the source; .ts → JavaScript. */
function typescript(external) {
  return {
    name: 'playground-typescript',
    resolveId(id, importer) {
      if (id === 'microlearn') return external ? { id: 'microlearn', external: true } : LIBRARY;
      if (importer && importer.endsWith('.ts') && id.startsWith('.') && id.endsWith('.js')) {
        const ts = resolve(dirname(importer), id.slice(0, -3) + '.ts');
        if (existsSync(ts)) return ts;
      }
      return null;
    },
    transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const out = ts.transpileModule(code, { fileName: id, compilerOptions: { target: ts.ScriptTarget.ES2017, module: ts.ModuleKind.ES2020 } });
      return { code: out.outputText, map: null };
    },
  };
}

function warn(w) {
  if (w.code === 'CIRCULAR_DEPENDENCY') return;
  throw new Error('rollup: ' + w.message);
}

/** Type-checks and bundles; returns the output directory. */
export async function buildPlayground({ quiet = false } = {}) {
  if (!existsSync(LIBRARY)) throw new Error(LIBRARY + ' is missing: run `npm run build` first');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
  } catch {
    throw new Error('examples/playground does not type-check (errors above)');
  }
  mkdirSync(OUT, { recursive: true });
  const page = await rollup({ input: join(here, 'src', 'app.ts'), plugins: [typescript(false)], onwarn: warn });
  await page.write({ file: join(OUT, 'app.js'), format: 'iife', strict: true });
  await page.close();
  const ref = await rollup({ input: join(here, 'src', 'reference.ts'), plugins: [typescript(true)], onwarn: warn });
  await ref.write({ file: join(OUT, 'reference.mjs'), format: 'es' });
  await ref.close();
  for (const f of ['index.html', 'style.css']) copyFileSync(join(here, f), join(OUT, f));
  if (!quiet) console.log('playground built: ' + OUT + ' (app.js ' + readFileSync(join(OUT, 'app.js')).length + ' bytes)');
  return OUT;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildPlayground();
