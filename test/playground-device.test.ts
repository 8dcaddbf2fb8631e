/**
 * The lines docs/playground.md and the playground's export box give a
 * student, run on a real Espruino interpreter ($ESPRUINO: the firmware's
 * Linux build is enough; without it these tests are skipped, saying why).
 * Models are trained in Node on the page's own streams (the Chromium test
 * shows the page exports exactly these bytes); on the board they must
 * answer what Node answers, both when the bytes are pasted and when the
 * .mlrn file is in Storage.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '../index.js';
import { ROOT } from './util.js';

interface Reference {
  Session: new (d: string, l: string, o: object, seed: number, noise: number) => {
    step(): void;
    task: string;
    dataset: { kind: string };
    built: { model: { toBytes(): Uint8Array } };
  };
  learnerSpec(name: string): object;
  defaults(spec: object): object;
  deviceSnippet(bytes: Uint8Array, d: object, task: string): string;
}
interface Espruino {
  runEspruino(binary: string, file: string, o: { cwd: string; timeoutMs?: number }): Promise<{ code: number | null; stdout: string; errors: string[] }>;
  boardDir(): string;
  storageWriteScript(name: string, contents: string): string;
}

const CASES: [string, string, number[][]][] = [
  ['LogisticRegression', 'moons', [[0.2, -0.4], [-0.5, 0.3], [0.9, -0.1]]],
  ['LogisticRegression', 'room', [[21.5, 420, 1], [18.9, 3, 0], [20, 150, 0]]],
  ['KNNClassifier', 'circles', [[0, 0], [0.8, 0.1], [-0.3, 0.6]]],
  ['HoeffdingTreeClassifier', 'blobs', [[-0.5, -0.35], [0.5, -0.35], [0, 0.5]]],
  ['MLP', 'sine', [[0.5], [1.5], [4.7]]],
  ['HalfSpaceTrees', 'moons', [[0.2, -0.4], [0.9, 0.9], [-0.9, -0.9]]],
];

/** The code block of docs/playground.md that contains `marker`. */
function docBlock(marker: string): string {
  const doc = readFileSync(join(ROOT, 'docs', 'playground.md'), 'utf8');
  // the Espruino lines are the ```js espruino blocks (the docs test compiles each fenced block by its tag)
  const blocks = doc.split('```js espruino\n').slice(1).map((b) => b.slice(0, b.indexOf('```')));
  const b = blocks.find((x) => x.includes(marker));
  assert.ok(b, 'docs/playground.md has no js espruino block with ' + marker);
  return b;
}

describe('playground: the device lines on Espruino', function () {
  const binary = process.env.ESPRUINO;
  let ref: Reference;
  let esp: Espruino;
  let bundle: string;

  before(async function () {
    if (!binary) {
      console.log('    (skipped: set $ESPRUINO to an Espruino binary — its Linux build is enough — to run the playground’s device lines on it)');
      this.skip();
    }
    assert.ok(existsSync(binary as string), '$ESPRUINO=' + binary + ' does not exist');
    const build = (await import(join(ROOT, 'examples', 'playground', 'build.mjs'))) as { buildPlayground(o?: object): Promise<string> };
    await build.buildPlayground({ quiet: true });
    ref = (await import(join(ROOT, 'build', 'playground', 'reference.mjs'))) as Reference;
    esp = (await import(join(ROOT, 'targets', 'espruino', 'run.mjs'))) as Espruino;
    // the full bundle (the room's and the trees' Pipelines need it), built aside: dist/ belongs to `npm run build`
    const espruinoBuild = (await import(join(ROOT, 'targets', 'espruino', 'build.mjs'))) as { buildEspruino(o?: object): Promise<{ file: string }[]> };
    const out = mkdtempSync(join(tmpdir(), 'microlearn-playground-espruino-'));
    try {
      await espruinoBuild.buildEspruino({ outDir: out, algorithms: [] });
      bundle = readFileSync(join(out, 'microlearn.min.js'), 'utf8');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  for (const [learner, dataset, inputs] of CASES) {
    it(learner + ' on ' + dataset + ': pasted bytes and the Storage file answer as in Node', async function () {
      const s = new ref.Session(dataset, learner, ref.defaults(ref.learnerSpec(learner)), 1, 0.2);
      for (let i = 0; i < 600; i++) s.step();
      const bytes = s.built.model.toBytes();
      const node = load(bytes) as unknown as { predictOne(x: number[]): number; scoreOne(x: number[]): number };
      const ask = s.task === 'detect' ? 'scoreOne' : 'predictOne';
      const want = inputs.map((x) => node[ask](x));

      const snippet = ref.deviceSnippet(bytes, s.dataset, s.task);
      const pasted = snippet.slice(snippet.indexOf('var ml'), snippet.indexOf('\n\n'));
      const fromFile = docBlock('readArrayBuffer("model.mlrn")');
      const probe = (tag: string) => inputs.map((x) => 'print("' + tag + ' " + model.' + ask + '(' + JSON.stringify(x) + '));').join('\n') + '\n';
      const dir = esp.boardDir();
      try {
        // first "boot": the module and the model file go to Storage (as the IDE's upload does)
        const setup = esp.storageWriteScript('microlearn', bundle) + 'require("Storage").write("model.mlrn", E.toString(new Uint8Array([' + Array.from(bytes).join(',') + '])));\n';
        writeFileSync(join(dir, 'setup.js'), setup);
        const a = await esp.runEspruino(binary as string, join(dir, 'setup.js'), { cwd: dir, timeoutMs: 300000 });
        assert.deepEqual(a.errors, [], a.stdout);
        // second: the student's lines
        writeFileSync(join(dir, 'student.js'), pasted + '\n' + probe('pasted') + fromFile + '\n' + probe('file'));
        const b = await esp.runEspruino(binary as string, join(dir, 'student.js'), { cwd: dir, timeoutMs: 300000 });
        assert.deepEqual(b.errors, [], b.stdout);
        for (const tag of ['pasted', 'file']) {
          const got = b.stdout.split(/\r?\n/).filter((l) => l.startsWith(tag + ' ')).map((l) => Number(l.slice(tag.length + 1)));
          assert.equal(got.length, inputs.length, tag + ': ' + b.stdout);
          // Espruino prints 11 significant digits; classes and Q16.16 values agree to that
          got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-9 * Math.max(1, Math.abs(want[i])), tag + ' ' + JSON.stringify(inputs[i]) + ': Espruino ' + v + ', Node ' + want[i]));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
