/**
 * Every code block of README.md and docs/*.md is checked, so the docs cannot
 * drift from the library. The fence's info string says how (test/docs-blocks.ts):
 * `ts` blocks are complete programs, compiled with tsc --strict against the
 * package (import 'microlearn', as a user writes it) and run on Node;
 * `ts no-run` are compiled only; `js espruino` blocks pass the Espruino gate;
 * `json` blocks parse. `ts moddable` / `js moddable` blocks need the Moddable
 * SDK: `npm run test:moddable` builds them (docs/moddable.md's walk-through,
 * with the files named by `file=NAME`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './util.js';
import { CodeBlock, codeBlocks } from './docs-blocks.js';

const KINDS = ['ts', 'ts no-run', 'ts moddable', 'js moddable', 'js espruino', 'json', 'sh', 'text', 'c', 'python', ''];

/** A block's kind: its language and flags, without `file=NAME` (which names the file a walk-through writes it to). */
function kind(b: CodeBlock): string {
  return [b.lang].concat(b.flags.filter((f) => !f.startsWith('file='))).join(' ');
}

function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => join(ROOT, 'docs', f));
  return [join(ROOT, 'README.md')].concat(docs);
}

function where(b: CodeBlock): string {
  return relative(ROOT, b.file) + ':' + b.line;
}

describe('docs: every code block compiles, the runnable ones run', function () {
  const blocks: CodeBlock[] = [];
  for (const f of docFiles()) blocks.push(...codeBlocks(f));
  const programs = blocks.filter((b) => kind(b) === 'ts' || kind(b) === 'ts no-run');
  let dir = '';

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'microlearn-docs-'));
    // 'microlearn' resolves as in a user's project: through the package's exports to dist/.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'microlearn'), 'dir');
    symlinkSync(join(ROOT, 'node_modules', '@types'), join(dir, 'node_modules', '@types'), 'dir');
    // the MQTT client the thermostat's Node example imports beside microlearn (a dev dependency here)
    symlinkSync(join(ROOT, 'node_modules', 'mqtt'), join(dir, 'node_modules', 'mqtt'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'docs', private: true, type: 'module' }));
    programs.forEach((b, i) => writeFileSync(join(dir, 'block' + i + '.ts'), '// ' + where(b) + '\n' + b.code));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'], outDir: 'out', skipLibCheck: false }, include: ['block*.ts'] }),
    );
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('marks every block with a known kind', function () {
    const bad = blocks.filter((b) => KINDS.indexOf(kind(b)) < 0).map((b) => where(b) + ': ```' + [b.lang].concat(b.flags).join(' '));
    assert.deepEqual(bad, [], 'unknown fence info strings (see test/docs-blocks.ts)');
    assert.ok(programs.length >= 5, 'only ' + programs.length + ' ts blocks');
  });

  it('compiles every ts block with tsc --strict', function () {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
    // Point each error at the doc line it comes from (line 1 of a block file is the "// where" comment).
    const errors = (r.stdout + r.stderr).replace(/block(\d+)\.ts\((\d+),(\d+)\)/g, (_m, i: string, l: string, c: string) => {
      const b = programs[Number(i)];
      return relative(ROOT, b.file) + ':' + (b.line + Number(l) - 1) + ':' + c;
    });
    assert.equal(r.status, 0, errors);
    console.log('      ' + programs.length + ' ts blocks compiled');
  });

  it('runs every runnable ts block on Node', async function () {
    let ran = 0;
    for (let i = 0; i < programs.length; i++) {
      if (programs[i].flags.indexOf('no-run') >= 0) continue;
      const r = spawnSync(process.execPath, [join(dir, 'out', 'block' + i + '.js')], { cwd: dir, encoding: 'utf8', timeout: 60000 });
      assert.equal(r.status, 0, where(programs[i]) + ' failed:\n' + r.stdout + r.stderr);
      ran++;
    }
    console.log('      ' + ran + ' ran');
  });

  it('passes every js espruino block through the Espruino gate', async function () {
    const { staticGate } = (await import(pathToFileURL(join(ROOT, 'targets', 'espruino', 'gate.mjs')).href)) as {
      staticGate: (code: string, file: string) => Array<{ rule: string; at: string; text: string }>;
    };
    const espruino = blocks.filter((b) => kind(b) === 'js espruino');
    assert.ok(espruino.length > 0);
    for (const b of espruino) assert.deepEqual(staticGate(b.code, where(b)), [], where(b));
  });

  it('parses every json block', function () {
    for (const b of blocks.filter((x) => x.lang === 'json')) assert.doesNotThrow(() => JSON.parse(b.code), where(b));
  });
});
