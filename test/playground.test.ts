/**
 * The classroom playground (examples/playground) driven in a real headless
 * Chromium (Debian's chromium + puppeteer-core): every learner on a data set
 * it fits, stepped 200 samples through the page's own controls; the read-outs
 * and the canvas must change, nothing may be logged as an error, and the
 * exported .mlrn must equal, byte for byte, the same learner trained in Node
 * (constructed here, independently of the page) on the same seeded samples.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import {
  GaussianNB, GaussianScorer, HalfSpaceTrees, HoeffdingTreeClassifier, KMeans, KMeansDetector, KNNClassifier, LinearRegression,
  LogisticRegression, MLP, MinMaxScaler, Pipeline, SoftmaxRegression, StandardScaler,
} from '../index.js';
import { ROOT } from './util.js';

const SHOTS = join(ROOT, 'build', 'playground-screenshots');
const STEPS = 200;

/** What the test needs of build/playground/reference.mjs (the page's own streams and catalogue, built for Node). */
interface Sample {
  x: number[];
  y: number;
  anomaly: number;
}
interface Reference {
  Stream: new (name: string, o: { seed: number; noise: number; anomalies?: boolean }) => { next(): Sample };
  learnerSpec(name: string): { options: { key: string; values?: number[]; choices?: string[]; text?: boolean }[] };
}
interface Opened {
  page: Page;
  errors: string[];
  /** The next download Chromium completes after the call. */
  nextDownload(): Promise<{ name: string; bytes: Buffer }>;
  close(): Promise<void>;
  version: string;
}

/** A model trained in Node: learnOne(x, y) (detectors and k-means ignore y). */
interface NodeModel {
  learnOne(x: ArrayLike<number>, y: number): void;
  predictOne(x: ArrayLike<number>): number;
  toBytes(): Uint8Array;
  readonly stateBytes: number;
}

interface Case {
  learner: string;
  dataset: string;
  /** Options changed through the page's controls (the rest stay at the page's defaults). */
  set: { [k: string]: number | string };
  task: 'classify' | 'regress' | 'cluster' | 'detect';
  /** The same model, built here in Node with the options the page should have used. */
  node(seed: number): NodeModel;
  seed: number;
  /** Something the parameter table must show after the run. */
  shows?: RegExp;
}

const n2 = { nFeatures: 2 };
const CAL = { margin: 1, quantile: 0.95, warmup: 16 };
const CASES: Case[] = [
  { learner: 'LinearRegression', dataset: 'line', task: 'regress', seed: 3, set: { learningRate: 0.1 }, node: () => new LinearRegression({ nFeatures: 1, learningRate: 0.1, l2: 0, decay: 0 }) },
  {
    // Adam with decoupled L2; the learning rate follows the optimizer to Adam's default
    learner: 'LinearRegression', dataset: 'sine', task: 'regress', seed: 15, set: { optimizer: 'adam', l2: 0.01 },
    node: () => new LinearRegression({ nFeatures: 1, optimizer: 'adam', learningRate: 0.01, l2: 0.01, decay: 0 }),
  },
  { learner: 'LogisticRegression', dataset: 'moons', task: 'classify', seed: 4, set: { learningRate: 0.2, l2: 0.001 }, node: () => new LogisticRegression({ ...n2, learningRate: 0.2, l2: 0.001, decay: 0 }) },
  {
    learner: 'SoftmaxRegression', dataset: 'blobs', task: 'classify', seed: 5, set: { optimizer: 'rmsprop' },
    node: () => new SoftmaxRegression({ ...n2, nClasses: 3, optimizer: 'rmsprop', learningRate: 0.01, l2: 0, decay: 0 }),
  },
  {
    learner: 'KNNClassifier', dataset: 'circles', task: 'classify', seed: 6, set: { k: 3, windowSize: 50, policy: 'reservoir' },
    node: (seed) => new KNNClassifier({ ...n2, nClasses: 2, k: 3, windowSize: 50, policy: 'reservoir', seed }),
  },
  {
    learner: 'GaussianNB', dataset: 'room', task: 'classify', seed: 7, set: {},
    node: () => new Pipeline([new StandardScaler({ nFeatures: 3 }), new GaussianNB({ nFeatures: 3, nClasses: 2, varSmoothing: 0.01 })]) as unknown as NodeModel,
  },
  {
    learner: 'HoeffdingTreeClassifier', dataset: 'blobs', task: 'classify', seed: 8, set: { gracePeriod: 25, delta: 0.1, tieThreshold: 0.2, leafPrediction: 'mc' },
    node: () => new HoeffdingTreeClassifier({ ...n2, nClasses: 3, gracePeriod: 25, delta: 0.1, tieThreshold: 0.2, maxDepth: 6, maxNodes: 31, leafPrediction: 'mc' }),
    // it splits within the 200 samples: the table lists the split nodes
    shows: /node 0: [xy] ≤/,
  },
  {
    // the page's defaults: relu, Adam at 0.01, no momentum option passed
    learner: 'MLP', dataset: 'sine', task: 'regress', seed: 9, set: { hidden: '8, 8' },
    node: (seed) => new MLP({ nFeatures: 1, hidden: [8, 8], activation: 'relu', task: 'regression', nOutputs: 1, optimizer: 'adam', learningRate: 0.01, decay: 0, seed }) as unknown as NodeModel,
  },
  {
    // momentum's control appears with SGD; the learning rate follows the optimizer to SGD's 0.05
    learner: 'MLP', dataset: 'xor', task: 'classify', seed: 10, set: { activation: 'relu', optimizer: 'sgd', momentum: 0.9 },
    node: (seed) => new MLP({ ...n2, hidden: [16], activation: 'relu', task: 'classification', nOutputs: 2, optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, decay: 0, seed }) as unknown as NodeModel,
  },
  { learner: 'KMeans', dataset: 'blobs', task: 'cluster', seed: 11, set: { k: 4 }, node: () => new KMeans({ ...n2, k: 4, decay: 0 }) as unknown as NodeModel },
  {
    learner: 'GaussianScorer', dataset: 'room', task: 'detect', seed: 12, set: {},
    node: () => new Pipeline([new StandardScaler({ nFeatures: 3 }), new GaussianScorer({ nFeatures: 3, ...CAL })]) as unknown as NodeModel,
  },
  { learner: 'KMeansDetector', dataset: 'moons', task: 'detect', seed: 13, set: { decay: 0.02 }, node: () => new KMeansDetector({ ...n2, k: 4, decay: 0.02, ...CAL }) as unknown as NodeModel },
  {
    learner: 'HalfSpaceTrees', dataset: 'moving', task: 'detect', seed: 14, set: { windowSize: 64 },
    node: (seed) => new Pipeline([new MinMaxScaler(n2), new HalfSpaceTrees({ ...n2, nTrees: 8, height: 6, windowSize: 64, seed, ...CAL })]) as unknown as NodeModel,
  },
];

const NOISE = 0.2;

// The page's globals, as far as the callbacks run in the page use them: this file
// compiles without the DOM library (which would let DOM names into the library's code).
declare const document: { getElementById(id: string): { textContent: string | null } | null; querySelector(s: string): unknown };
declare function requestAnimationFrame(cb: () => void): number;
type Valued = { value: string };

async function frames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

async function text(page: Page, sel: string): Promise<string> {
  return page.$eval(sel, (e) => (e.textContent || '').trim());
}

async function planePixels(page: Page): Promise<string> {
  return page.$eval('#plane', (c) => (c as unknown as { toDataURL(): string }).toDataURL());
}

/** Sets a learner option through its control: a slider by keyboard (Home, then →), a choice by selecting, text by typing. */
async function setOption(page: Page, ref: Reference, learner: string, key: string, value: number | string): Promise<void> {
  const spec = ref.learnerSpec(learner).options.find((o) => o.key === key);
  assert.ok(spec, learner + ' has no option ' + key);
  const sel = '#opt-' + key;
  if (spec.values) {
    const i = spec.values.indexOf(value as number);
    assert.ok(i >= 0, key + ' offers no value ' + value);
    await page.focus(sel);
    await page.keyboard.press('Home');
    for (let k = 0; k < i; k++) await page.keyboard.press('ArrowRight');
    await frames(page);
    assert.equal(await page.$eval(sel, (e) => (e as unknown as Valued).value), String(i));
  } else if (spec.choices) {
    await page.select(sel, String(value));
  } else {
    await page.click(sel, { clickCount: 3 });
    await page.keyboard.type(String(value));
    await page.keyboard.press('Tab');
  }
}

async function setSeed(page: Page, seed: number): Promise<void> {
  await page.click('#seed', { clickCount: 3 });
  await page.keyboard.type(String(seed));
  await page.keyboard.press('Tab'); // change fires when the field loses focus
}

/** Clicks Export and returns the downloaded bytes (of this download: an earlier file of the same name proves nothing). */
async function exportBlob(o: Opened): Promise<Buffer> {
  const next = o.nextDownload();
  await o.page.click('#export');
  const status = await text(o.page, '#status');
  const m = /as (\S+\.mlrn)\./.exec(status);
  assert.ok(m, 'export status: ' + status);
  const got = await next;
  assert.equal(got.name, m[1], 'the downloaded file name');
  return got.bytes;
}

/** The read-out as a number: "80.3 % (last 100: …)" → 0.803, "0.0412 (…)" → 0.0412. */
function readout(s: string): number {
  const m = /^(-?[0-9.]+)( %)?/.exec(s);
  if (!m) return NaN;
  return m[2] ? Number(m[1]) / 100 : Number(m[1]);
}

describe('playground in headless Chromium', function () {
  let ref: Reference;
  let o: Opened;

  before(async function () {
    const chromium = (await import(join(ROOT, 'examples', 'playground', 'chromium.mjs'))) as { openPlayground(o?: object): Promise<Opened> };
    o = await chromium.openPlayground();
    ref = (await import(join(ROOT, 'build', 'playground', 'reference.mjs'))) as Reference;
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async function () {
    if (o) await o.close();
  });

  afterEach(function () {
    // every test must leave the page without a logged error
    if (o) assert.deepEqual(o.errors.splice(0), [], 'the page logged errors');
  });

  it('loads with every learner, data set and lesson on offer, and every control labelled', async function () {
    const page = o.page;
    assert.match(o.version, /Chrome\//);
    const learners = await page.$$eval('#learner option', (os) => os.map((e) => (e as unknown as Valued).value));
    assert.deepEqual(learners, ['LinearRegression', 'LogisticRegression', 'SoftmaxRegression', 'KNNClassifier', 'GaussianNB', 'HoeffdingTreeClassifier', 'MLP', 'KMeans', 'GaussianScorer', 'KMeansDetector', 'HalfSpaceTrees']);
    const sets = await page.$$eval('#dataset option', (os) => os.map((e) => (e as unknown as Valued).value));
    for (const d of ['blobs', 'xor', 'circles', 'moons', 'spiral', 'rotating', 'moving', 'sine', 'room']) assert.ok(sets.includes(d), d);
    // every form control has an accessible name: a <label for>, aria-label(ledby), or its own text
    for (const l of learners) {
      await page.select('#dataset', l === 'LinearRegression' ? 'line' : 'moons');
      await page.select('#learner', l);
      assert.equal(await page.$eval('#learner', (e) => (e as unknown as Valued).value), l);
      const unlabelled = await page.$$eval('input, select, textarea, button', (els) =>
        els
          .filter((e) => {
            const id = e.id;
            const byFor = id && document.querySelector('label[for="' + id + '"]');
            const own = e.tagName === 'BUTTON' && (e.textContent || '').trim();
            return !(byFor || own || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby'));
          })
          .map((e) => e.outerHTML.slice(0, 80)),
      );
      assert.deepEqual(unlabelled, [], l + ': controls without a label');
    }
  });

  for (const c of CASES) {
    it(c.learner + ' on ' + c.dataset + ': 200 samples in the page give Node’s bytes', async function () {
      const page = o.page;
      await page.select('#lesson', '');
      await page.select('#dataset', c.dataset);
      await page.select('#learner', c.learner);
      for (const [k, v] of Object.entries(c.set)) await setOption(page, ref, c.learner, k, v);
      await setSeed(page, c.seed);
      await frames(page);
      assert.equal(await text(page, '#samples'), '0');
      assert.equal(await text(page, '#score-fixed'), '—');
      const before = await planePixels(page);
      const paramsBefore = await text(page, '#params');

      // one click on Step, then the S key (the button keeps the focus)
      await page.click('#step');
      for (let i = 1; i < STEPS; i++) await page.keyboard.press('s');
      await frames(page);
      assert.equal(await text(page, '#samples'), String(STEPS));
      const scoreText = await text(page, '#score-fixed');
      const score = readout(scoreText);
      assert.ok(score === score, 'no score read-out after ' + STEPS + ' samples: ' + scoreText);
      assert.ok(readout(await text(page, '#score-twin')) === readout(await text(page, '#score-twin')), 'float64 twin read-out');
      assert.notEqual(await planePixels(page), before, 'the canvas did not change');
      assert.notEqual(await text(page, '#params'), paramsBefore, 'the parameter table did not change');
      if (c.shows) assert.match(await text(page, '#params'), c.shows);
      await page.screenshot({ path: join(SHOTS, c.learner + '-' + c.dataset + '.png') as `${string}.png` });

      // the same samples in Node, into a model built here
      const stream = new ref.Stream(c.dataset, { seed: c.seed, noise: NOISE, anomalies: c.task === 'detect' });
      const m = c.node(c.seed);
      let right = 0;
      let absErr = 0;
      for (let i = 0; i < STEPS; i++) {
        const s = stream.next();
        if (c.task === 'classify') right += m.predictOne(s.x) === s.y ? 1 : 0;
        if (c.task === 'regress') absErr += Math.abs(m.predictOne(s.x) - s.y);
        m.learnOne(s.x, s.y);
      }
      // the prequential read-out is what Node measures (the page rounds it for display)
      if (c.task === 'classify') assert.ok(Math.abs(score - right / STEPS) < 0.0006, 'accuracy ' + scoreText + ' vs Node ' + right / STEPS);
      if (c.task === 'regress') assert.ok(Math.abs(score - absErr / STEPS) < 0.00006, 'MAE ' + scoreText + ' vs Node ' + absErr / STEPS);

      const bytes = await exportBlob(o);
      assert.deepEqual(new Uint8Array(bytes), m.toBytes(), 'the exported .mlrn differs from the model trained in Node');
      assert.equal(await text(page, '#blob-bytes'), bytes.length + ' bytes');
      assert.equal(await text(page, '#state-bytes'), m.stateBytes + ' bytes');
      // the device lines carry the same bytes
      const snippet = await page.$eval('#snippet', (e) => (e as unknown as Valued).value);
      assert.ok(snippet.includes('ml.load(new Uint8Array([' + Array.from(bytes).join(',') + ']))'), 'Espruino line');
      assert.ok(snippet.includes('import { load } from "microlearn";'), 'Moddable line');
    });
  }

  it('teaches by click, shift-click and keyboard, learned at once', async function () {
    const page = o.page;
    await page.select('#dataset', 'moons');
    await page.select('#learner', 'LogisticRegression');
    await page.click('#step');
    await frames(page);
    const b0 = await exportBlob(o);
    const px0 = await planePixels(page);
    const box = await (await page.$('#plane'))!.boundingBox();
    await page.mouse.click(box!.x + 60, box!.y + 60);
    await page.keyboard.down('Shift');
    await page.mouse.click(box!.x + box!.width - 60, box!.y + box!.height - 60);
    await page.keyboard.up('Shift');
    await frames(page);
    assert.equal(await text(page, '#samples'), '1 + 2 taught');
    assert.match(await text(page, '#status'), /as class 1: learned at once/);
    const b1 = await exportBlob(o);
    assert.notDeepEqual(b1, b0, 'the taught points did not change the model');
    // the keyboard way: focus the plane, move the cursor, Enter
    await page.focus('#plane');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await frames(page);
    assert.equal(await text(page, '#samples'), '1 + 3 taught');
    assert.notEqual(await planePixels(page), px0);
    // the room teaches with its latest reading
    await page.select('#dataset', 'room');
    await page.click('#step');
    // a student scrolls the buttons out from under the fixed status bar; puppeteer scrolls only what is off screen
    await page.$eval('#teach-room', (e) => e.scrollIntoView({ block: 'center' }));
    await page.click('#teach-occupied');
    await frames(page);
    assert.equal(await text(page, '#samples'), '1 + 1 taught');
  });

  it('imports a .mlrn: a Node model loads; a corrupt or unfitting one is refused and changes nothing', async function () {
    const page = o.page;
    await page.select('#dataset', 'moons');
    await page.select('#learner', 'LogisticRegression');
    const stream = new ref.Stream('moons', { seed: 99, noise: 0.3 });
    const m = new LogisticRegression({ nFeatures: 2, learningRate: 0.05 });
    for (let i = 0; i < 500; i++) {
      const s = stream.next();
      m.learnOne(s.x, s.y);
    }
    const dir = join(ROOT, 'build', 'playground-test');
    mkdirSync(dir, { recursive: true });
    const good = join(dir, 'node-logistic.mlrn');
    writeFileSync(good, m.toBytes());
    const input = (await page.$('#import'))!;
    await input.uploadFile(good);
    await page.waitForFunction(() => /imported/.test(document.getElementById('status')!.textContent || ''));
    assert.equal(await text(page, '#blob-bytes'), m.toBytes().length + ' bytes');
    assert.match(await text(page, '#score-twin'), /none for an imported model/);
    assert.deepEqual(new Uint8Array(await exportBlob(o)), m.toBytes(), 'import then export changed the bytes');

    const bad = Buffer.from(m.toBytes());
    bad[20] ^= 0x10;
    writeFileSync(join(dir, 'corrupt.mlrn'), bad);
    await input.uploadFile(join(dir, 'corrupt.mlrn'));
    await page.waitForFunction(() => /could not import/.test(document.getElementById('status')!.textContent || ''));
    assert.match(await text(page, '#status'), /E_CORRUPT/);
    assert.deepEqual(new Uint8Array(await exportBlob(o)), m.toBytes(), 'a refused import changed the model');

    const room = new Pipeline([new StandardScaler({ nFeatures: 3 }), new LogisticRegression({ nFeatures: 3 })]);
    writeFileSync(join(dir, 'room.mlrn'), room.toBytes());
    await input.uploadFile(join(dir, 'room.mlrn'));
    await page.waitForFunction(() => /could not import.*3 features/.test(document.getElementById('status')!.textContent || ''));
    assert.deepEqual(new Uint8Array(await exportBlob(o)), m.toBytes());
  });

  it('plays every lesson preset with its text, by keyboard: Space plays and pauses, R resets', async function () {
    const page = o.page;
    const lessons = await page.$$eval('#lesson option', (os) => os.map((e) => (e as unknown as Valued).value).filter((v) => v));
    assert.ok(lessons.length >= 5, 'lessons: ' + lessons.join(', '));
    for (const id of ['learning-rate', 'k-nn', 'window-drift', 'tree-waits', 'sine']) assert.ok(lessons.includes(id), id);
    for (const id of lessons) {
      await page.select('#lesson', id);
      const words = (await text(page, '#lesson-text')).split(/\s+/).length;
      assert.ok(words > 25, id + ': lesson text too short');
      await page.focus('#plane');
      await page.keyboard.press('Space');
      assert.equal(await page.$eval('#play', (e) => e.getAttribute('aria-pressed')), 'true');
      await new Promise((r) => setTimeout(r, 400));
      await page.keyboard.press('Space');
      assert.equal(await page.$eval('#play', (e) => e.getAttribute('aria-pressed')), 'false');
      const seen = Number((await text(page, '#samples')).split(' ')[0]);
      assert.ok(seen > 0, id + ': nothing learned while playing');
      await page.screenshot({ path: join(SHOTS, 'lesson-' + id + '.png') as `${string}.png` });
      await page.keyboard.press('r');
      await frames(page);
      assert.equal(await text(page, '#samples'), '0');
    }
  });

  it('shows momentum only with sgd; changing the optimizer sets its learning rate', async function () {
    const page = o.page;
    await page.select('#lesson', '');
    await page.select('#dataset', 'xor');
    await page.select('#learner', 'MLP');
    const rates = ref.learnerSpec('MLP').options.find((s) => s.key === 'learningRate')!.values!;
    const hidden = (): Promise<boolean> => page.$eval('#opt-momentum-row', (e) => (e as unknown as { hidden: boolean }).hidden);
    const rate = async (): Promise<number> => rates[Number(await page.$eval('#opt-learningRate', (e) => (e as unknown as Valued).value))];
    assert.equal(await page.$eval('#opt-optimizer', (e) => (e as unknown as Valued).value), 'adam', 'the default optimizer');
    assert.equal(await hidden(), true, 'momentum shown with adam');
    assert.equal(await rate(), 0.01);
    await page.select('#opt-optimizer', 'sgd');
    await frames(page);
    assert.equal(await hidden(), false, 'momentum hidden with sgd');
    assert.equal(await rate(), 0.05);
    assert.match(await text(page, '#status'), /learning rate set to 0\.05, the default for optimizer sgd/);
    await setOption(page, ref, 'MLP', 'momentum', 0.9);
    await page.select('#opt-optimizer', 'rmsprop');
    await frames(page);
    assert.equal(await hidden(), true, 'momentum shown with rmsprop');
    assert.equal(await rate(), 0.01);
    // the hidden momentum is not passed: the model builds and learns
    await page.click('#step');
    await frames(page);
    assert.equal(await text(page, '#samples'), '1');
  });

  it('refuses bad options with a message and keeps the page alive', async function () {
    const page = o.page;
    await page.select('#lesson', '');
    await page.select('#dataset', 'sine');
    await page.select('#learner', 'MLP');
    await setOption(page, ref, 'MLP', 'hidden', '16, zero');
    assert.match(await text(page, '#status'), /hidden layer widths/);
    await setOption(page, ref, 'MLP', 'hidden', '4');
    await page.click('#step');
    await frames(page);
    assert.equal(await text(page, '#samples'), '1');
  });
});
