/**
 * The playground's lessons (examples/playground/src/lessons.ts) quote
 * figures — "about 82 % right", "waits some 700 samples" — that a student
 * will see when running the preset. This replays each preset in Node (the
 * page's own streams and learners, built to build/playground/reference.mjs)
 * and checks every quoted figure, and that docs/playground.md prints each
 * lesson's text word for word.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './util.js';

interface Lesson {
  id: string;
  title: string;
  dataset: string;
  learner: string;
  options: { [k: string]: number | string };
  noise: number;
  seed: number;
  text: string;
}
interface Score {
  value(): number;
  recent(): number;
}
interface Session {
  step(): void;
  fixedScore: Score;
  built: { core: { nNodes?: number } };
}
interface Reference {
  LESSONS: Lesson[];
  Session: new (d: string, l: string, o: object, seed: number, noise: number) => Session;
  learnerSpec(name: string): object;
  defaults(spec: object): { [k: string]: number | string };
}

describe('playground lessons: the figures they quote', function () {
  let ref: Reference;

  before(async function () {
    const build = (await import(join(ROOT, 'examples', 'playground', 'build.mjs'))) as { buildPlayground(o?: object): Promise<string> };
    await build.buildPlayground({ quiet: true });
    ref = (await import(join(ROOT, 'build', 'playground', 'reference.mjs'))) as Reference;
  });

  /** Runs a lesson's preset (with `change` applied, as the student would) for n samples. */
  function run(id: string, change: { [k: string]: number | string }, n: number, learner?: string): Session {
    const l = ref.LESSONS.find((x) => x.id === id);
    assert.ok(l, 'no lesson ' + id);
    const name = learner || l.learner;
    const opts = { ...ref.defaults(ref.learnerSpec(name)), ...(learner ? {} : l.options), ...change };
    const s = new ref.Session(l.dataset, name, opts, l.seed, l.noise);
    for (let i = 0; i < n; i++) s.step();
    return s;
  }

  function near(v: number, want: number, tol: number, what: string): void {
    assert.ok(Math.abs(v - want) <= tol, what + ': ' + v.toFixed(3) + ', the lesson says about ' + want);
  }

  it('docs/playground.md prints every lesson text as the page shows it', function () {
    const doc = readFileSync(join(ROOT, 'docs', 'playground.md'), 'utf8');
    for (const l of ref.LESSONS) {
      assert.ok(doc.includes('### ' + l.title + '\n\n' + l.text + '\n'), 'docs/playground.md: lesson "' + l.title + '" differs from examples/playground/src/lessons.ts');
    }
  });

  it('the learning rate: 0.01 still falling at 1 000, 1 noisy near 0.2, 0.1 near 0.12', function () {
    const slow = run('learning-rate', {}, 1000);
    const s500 = run('learning-rate', {}, 500).fixedScore.recent();
    assert.ok(slow.fixedScore.recent() < s500, 'at 0.01 the error should still fall between 500 and 1 000 samples');
    near(run('learning-rate', { learningRate: 1 }, 1000).fixedScore.recent(), 0.2, 0.05, 'MAE at rate 1');
    near(run('learning-rate', { learningRate: 0.1 }, 1000).fixedScore.recent(), 0.12, 0.02, 'MAE at rate 0.1');
  });

  it('k in k-NN: about 82 % at k = 1, 87 % at k = 9 and 15', function () {
    near(run('k-nn', {}, 1000).fixedScore.value(), 0.82, 0.015, 'k = 1');
    near(run('k-nn', { k: 9 }, 1000).fixedScore.value(), 0.87, 0.015, 'k = 9');
    near(run('k-nn', { k: 15 }, 1000).fixedScore.value(), 0.87, 0.015, 'k = 15');
  });

  it('memory window vs drift: 400 about 80 %, 50 about 93 %, reservoir 54 % over 4 000 samples', function () {
    near(run('window-drift', {}, 4000).fixedScore.value(), 0.8, 0.015, 'window 400');
    near(run('window-drift', { windowSize: 50 }, 4000).fixedScore.value(), 0.93, 0.015, 'window 50');
    near(run('window-drift', { policy: 'reservoir' }, 4000).fixedScore.value(), 0.54, 0.015, 'reservoir');
  });

  it('the tree waits some 700 samples at one in three, then jumps to 100 %', function () {
    const s = run('tree-waits', {}, 650);
    assert.equal(s.built.core.nNodes, 1, 'split before 650 samples');
    near(s.fixedScore.recent(), 1 / 3, 0.1, 'accuracy while waiting');
    for (let i = 650; i < 800; i++) s.step();
    assert.ok((s.built.core.nNodes as number) >= 5, 'two splits by 800 samples');
    for (let i = 800; i < 1000; i++) s.step();
    assert.ok(s.fixedScore.recent() >= 0.98, 'accuracy after the splits: ' + s.fixedScore.recent());
  });

  it('the sine: mean error about 0.08 after 20 000 samples', function () {
    near(run('sine', {}, 20000).fixedScore.recent(), 0.08, 0.01, 'MAE');
  });

  it('XOR: logistic regression near 50 %, an MLP above 90 % after 2 000 samples', function () {
    near(run('xor', {}, 2000).fixedScore.value(), 0.5, 0.03, 'LogisticRegression');
    assert.ok(run('xor', {}, 2000, 'MLP').fixedScore.recent() > 0.9, 'MLP');
  });

  it('the anomaly threshold: about 76 % with decay 0.02, 62 % without, over 4 000 samples', function () {
    near(run('anomaly', {}, 4000).fixedScore.value(), 0.76, 0.015, 'decay 0.02');
    near(run('anomaly', { decay: 0 }, 4000).fixedScore.value(), 0.62, 0.015, 'decay 0');
  });
});
