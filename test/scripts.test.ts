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
