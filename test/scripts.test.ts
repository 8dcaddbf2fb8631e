/**
 * Every JavaScript file of the repository parses (`node --check`), so a
 * script that no test runs (test:espruino, test:moddable, the CLI...) cannot
 * break unseen. Files are the ones git tracks; generated folders are not.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './util.js';

describe('scripts: every tracked .js/.mjs/.cjs parses', function () {
  it('passes node --check', function () {
    const ls = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '*.js', '*.mjs', '*.cjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(ls.status, 0, 'git ls-files failed: ' + ls.stderr);
    const files = ls.stdout.split('\0').filter((f) => f.length > 0);
    assert.ok(files.length >= 10, 'only ' + files.length + ' files found');
    const broken: string[] = [];
    for (const f of files) {
      const r = spawnSync(process.execPath, ['--check', join(ROOT, f)], { encoding: 'utf8' });
      if (r.status !== 0) broken.push(f + ':\n' + r.stderr);
    }
    assert.deepEqual(broken, []);
    console.log('      ' + files.length + ' files parse');
  });
});

describe('sources: the library type-checks with the Moddable manifest compiler options', function () {
  // mcconfig compiles our TypeScript itself with targets/moddable/manifest.json's options
  // (target es2024: class fields get define semantics, so a redeclared base field must be
  // `declare`d). Our own tsconfig targets ES2017 and would not see such errors.
  it('tsc --noEmit --target es2024 passes on index.ts and the Moddable target', function () {
    this.timeout(300000);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const files = [join(ROOT, 'index.ts'), join(ROOT, 'targets', 'moddable', 'storage.ts')];
    // the options of targets/moddable/manifest.json and of mcconfig's generated tsconfig-base.json
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--target', 'es2024', '--lib', 'es2024', '--module', 'preserve', '--skipLibCheck', '--types', 'node'].concat(files), { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
