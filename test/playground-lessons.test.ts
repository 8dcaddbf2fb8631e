/**
 * The playground's lessons (examples/playground/src/lessons.ts) quote
 * figures — "about 82 % right", "waits some 500 samples" — that a student
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
  twinScore: Score;
  built: { core: { nNodes?: number }; fixed: { predict(x: number[]): number } };
}
interface Reference {
  LESSONS: Lesson[];
  Session: new (d: string, l: string, o: object, seed: number, noise: number) => Session;
  Stream: new (d: string, o: { seed: number; noise: number; anomalies: boolean }) => { next(): { x: number[]; y: number } };
  learnerSpec(name: string): object;
  complete(spec: object, chosen: Options): Options;
  followChange(spec: object, o: Options, key: string): Options;
}
type Options = { [k: string]: number | string };

describe('playground lessons: the figures they quote', function () {
  let ref: Reference;

  before(async function () {
    const build = (await import(join(ROOT, 'examples', 'playground', 'build.mjs'))) as { buildPlayground(o?: object): Promise<string> };
    await build.buildPlayground({ quiet: true });
    ref = (await import(join(ROOT, 'build', 'playground', 'reference.mjs'))) as Reference;
  });

  /**
   * Runs a lesson's preset for n samples, with `change` applied as the
   * student would, control by control (changing the optimizer sets its
   * default learning rate, as on the page); `learner` switches the learner
   * (its defaults then).
   */
  function run(id: string, change: Options, n: number, learner?: string): Session {
    const l = ref.LESSONS.find((x) => x.id === id);
    assert.ok(l, 'no lesson ' + id);
    const name = learner || l.learner;
    const spec = ref.learnerSpec(name);
    let opts = ref.complete(spec, learner ? {} : l.options);
    for (const k of Object.keys(change)) opts = ref.followChange(spec, { ...opts, [k]: change[k] }, k);
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

  it('the learning rate: 0.01 still falling at 1 000, 1 noisy near 0.2, 0.1 near 0.12; adam 0.13 at 200 against 0.26', function () {
    const slow = run('learning-rate', {}, 1000);
    const s500 = run('learning-rate', {}, 500).fixedScore.recent();
    assert.ok(slow.fixedScore.recent() < s500, 'at 0.01 the error should still fall between 500 and 1 000 samples');
    near(run('learning-rate', { learningRate: 1 }, 1000).fixedScore.recent(), 0.2, 0.05, 'MAE at rate 1');
    near(run('learning-rate', { learningRate: 0.1 }, 1000).fixedScore.recent(), 0.12, 0.02, 'MAE at rate 0.1');
    const adam = run('learning-rate', { optimizer: 'adam' }, 0) as unknown as { options: Options };
    assert.equal(adam.options.learningRate, 0.01, "adam's rate after the switch");
    near(run('learning-rate', { optimizer: 'adam' }, 200).fixedScore.recent(), 0.13, 0.02, 'MAE with adam after 200 samples');
    near(run('learning-rate', {}, 200).fixedScore.recent(), 0.26, 0.02, 'MAE with sgd at 0.01 after 200 samples');
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

  it('the tree waits some 500 samples at one in three, then jumps to 100 %; δ 0.1 splits at the 100th', function () {
    const s = run('tree-waits', {}, 450);
    assert.equal(s.built.core.nNodes, 1, 'split before 450 samples');
    near(s.fixedScore.recent(), 1 / 3, 0.1, 'accuracy while waiting');
    for (let i = 450; i < 550; i++) s.step();
    assert.ok((s.built.core.nNodes as number) > 1, 'no split by 550 samples');
    for (let i = 550; i < 650; i++) s.step();
    assert.ok((s.built.core.nNodes as number) >= 5, 'two splits by 650 samples');
    for (let i = 650; i < 800; i++) s.step();
    assert.ok(s.fixedScore.recent() >= 0.98, 'accuracy after the splits: ' + s.fixedScore.recent());
    const quick = run('tree-waits', { delta: 0.1 }, 99);
    assert.equal(quick.built.core.nNodes, 1, 'δ 0.1: split before the 100th sample');
    quick.step();
    assert.ok((quick.built.core.nNodes as number) > 1, 'δ 0.1: no split at the 100th sample');
  });

  it('the sine: hump by 400, trough by 1 500, about 0.07 after 20 000 (noise alone 0.05), the twin on top; sgd 0.13 at 4 000 against 0.09', function () {
    const s = run('sine', {}, 400);
    const f = (x: number): number => s.built.fixed.predict([x]);
    near(f(Math.PI / 2), 1, 0.15, 'the hump at 400 samples');
    assert.ok(f((3 * Math.PI) / 2) > -0.6, 'the trough is not there yet at 400 samples: ' + f((3 * Math.PI) / 2));
    for (let i = 400; i < 1500; i++) s.step();
    near(f((3 * Math.PI) / 2), -1, 0.2, 'the trough at 1 500 samples');
    for (let i = 1500; i < 4000; i++) s.step();
    near(s.fixedScore.recent(), 0.09, 0.01, 'MAE at 4 000 samples');
    for (let i = 4000; i < 20000; i++) s.step();
    near(s.fixedScore.recent(), 0.07, 0.01, 'MAE');
    assert.ok(Math.abs(s.twinScore.recent() - s.fixedScore.recent()) < 0.002, 'float64 twin ' + s.twinScore.recent() + ' vs ' + s.fixedScore.recent());
    // the noise alone: the mean |y − sin x| of the lesson's stream
    const l = ref.LESSONS.find((x) => x.id === 'sine') as Lesson;
    const st = new ref.Stream('sine', { seed: l.seed, noise: l.noise, anomalies: false });
    let e = 0;
    for (let i = 0; i < 20000; i++) {
      const p = st.next();
      e += Math.abs(p.y - Math.sin(p.x[0]));
    }
    near(e / 20000, 0.05, 0.005, 'the noise alone');
    near(run('sine', { optimizer: 'sgd' }, 4000).fixedScore.recent(), 0.13, 0.01, 'MAE with sgd at 4 000 samples');
  });

  it('XOR: logistic regression near 50 %, an MLP above 90 % after 2 000 samples, k-NN above 90 % after 500, the tree near 50 %', function () {
    near(run('xor', {}, 2000).fixedScore.value(), 0.5, 0.03, 'LogisticRegression');
    assert.ok(run('xor', {}, 2000, 'MLP').fixedScore.recent() > 0.9, 'MLP');
    assert.ok(run('xor', {}, 500, 'KNNClassifier').fixedScore.recent() > 0.9, 'KNNClassifier');
    near(run('xor', {}, 4000, 'HoeffdingTreeClassifier').fixedScore.value(), 0.5, 0.03, 'HoeffdingTreeClassifier');
  });

  it('the anomaly threshold: about 76 % with decay 0.02, 62 % without, over 4 000 samples', function () {
    near(run('anomaly', {}, 4000).fixedScore.value(), 0.76, 0.015, 'decay 0.02');
    near(run('anomaly', { decay: 0 }, 4000).fixedScore.value(), 0.62, 0.015, 'decay 0');
  });
});
