/**
 * The playground in Debian's headless Chromium: samples learned per second
 * per learner (default options, seed 1, noise 0.2), measured in the page:
 *
 * - step + redraw: what the Step button does, once per sample — predict and
 *   learn with the fixed-point model and its float64 twin, then redraw
 *   everything (two 64×64 region grids, overlays, score curve, toBytes);
 * - playing: Play at the top speed for 3 s (learning up to ~20 ms per frame,
 *   one redraw per frame): samples per second the student actually sees;
 * - step only: predict + learn of both models, no redraw;
 * - learnOne only: the fixed-point model alone, in Chromium and, in the same
 *   run, in Node (the ratio is what the browser costs).
 *
 * Writes the table into docs/playground.md. `--screenshots` also refreshes
 * the PNGs under docs/playground/ (`--screenshots-only`: only those).
 * Not a test: nothing here is asserted.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { ROOT, machine, table, writeSection } from './report.js';

interface Page {
  evaluate<T>(f: string | ((...a: never[]) => T), ...args: unknown[]): Promise<T>;
  select(sel: string, v: string): Promise<string[]>;
  click(sel: string): Promise<void>;
  $eval<T>(sel: string, f: (e: never) => T): Promise<T>;
  $(sel: string): Promise<{ boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null> } | null>;
  screenshot(o: object): Promise<unknown>;
}
interface Opened {
  page: Page;
  errors: string[];
  close(): Promise<void>;
  version: string;
}
interface Ref {
  Stream: new (name: string, o: { seed: number; noise: number; anomalies?: boolean }) => { next(): { x: number[]; y: number } };
  Session: new (d: string, l: string, o: object, seed: number, noise: number) => { task: string; stream: { next(): { x: number[]; y: number } }; built: { fixed: { learn(x: number[], y: number): void } } };
  learnerSpec(n: string): object;
  defaults(spec: object): object;
}

const PAIRS: [string, string][] = [
  ['LinearRegression', 'line'],
  ['LogisticRegression', 'moons'],
  ['LogisticRegression', 'room'],
  ['SoftmaxRegression', 'blobs'],
  ['KNNClassifier', 'moons'],
  ['GaussianNB', 'moons'],
  ['HoeffdingTreeClassifier', 'blobs'],
  ['MLP', 'moons'],
  ['MLP', 'sine'],
  ['KMeans', 'blobs'],
  ['GaussianScorer', 'moons'],
  ['KMeansDetector', 'moons'],
  ['HalfSpaceTrees', 'moons'],
];

/** Runs `call(k)` (returns ms for k samples) in growing chunks until `ms` have passed; samples per second. */
async function rate(call: (k: number) => Promise<number>, ms: number): Promise<number> {
  let n = 0;
  let t = 0;
  let k = 1;
  while (t < ms) {
    const dt = await call(k);
    n += k;
    t += dt;
    if (dt < 50) k *= 2;
  }
  return (n / t) * 1000;
}

function nodeLearnRate(ref: Ref, learner: string, dataset: string): number {
  const s = new ref.Session(dataset, learner, ref.defaults(ref.learnerSpec(learner)), 1, 0.2);
  const xs: { x: number[]; y: number }[] = [];
  for (let i = 0; i < 200; i++) {
    const v = s.stream.next();
    s.built.fixed.learn(v.x, v.y); // warm up, as the page does
  }
  for (let i = 0; i < 20000; i++) xs.push(s.stream.next());
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000 && n < xs.length) {
    const v = xs[n++];
    s.built.fixed.learn(v.x, v.y);
  }
  return (n / (performance.now() - t0)) * 1000;
}

async function pick(page: Page, learner: string, dataset: string): Promise<void> {
  await page.select('#lesson', '');
  await page.select('#dataset', dataset);
  await page.select('#learner', learner);
  await page.evaluate("(() => { const s = document.getElementById('seed'); s.value = '1'; s.dispatchEvent(new Event('change')); })()");
}

function fmt(v: number): string {
  return v >= 100 ? String(Math.round(v)) : v.toPrecision(3);
}

async function main(): Promise<void> {
  const shotsOnly = process.argv.includes('--screenshots-only');
  const shots = shotsOnly || process.argv.includes('--screenshots');
  const chromium = (await import(join(ROOT, 'examples', 'playground', 'chromium.mjs'))) as { openPlayground(o?: object): Promise<Opened> };
  const o = await chromium.openPlayground();
  const ref = (await import(join(ROOT, 'build', 'playground', 'reference.mjs'))) as Ref;
  const page = o.page;
  const rows: (string | number)[][] = [];
  try {
    if (shotsOnly) {
      await screenshots(page, o);
      return;
    }
    for (const [learner, dataset] of PAIRS) {
      await pick(page, learner, dataset);
      await page.evaluate('window.playground.stepOnly(200)');
      const redraw = await rate((k) => page.evaluate('window.playground.stepAndRedraw(' + k + ')'), 1500);
      const step = await rate((k) => page.evaluate('window.playground.stepOnly(' + k + ')'), 1000);
      const learn = await rate((k) => page.evaluate('window.playground.learnOnly(' + k + ')'), 1000);
      // Play at the top speed for 3 s
      await pick(page, learner, dataset);
      await page.evaluate("(() => { const s = document.getElementById('speed'); s.value = s.max; s.dispatchEvent(new Event('input')); })()");
      await page.click('#play');
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 3000));
      await page.click('#play');
      const played = Number((await page.$eval('#samples', (e: { textContent: string }) => e.textContent)).split(' ')[0]);
      const playRate = (played / (Date.now() - t0)) * 1000;
      const nodeLearn = nodeLearnRate(ref, learner, dataset);
      rows.push([learner, dataset, fmt(redraw), fmt(playRate), fmt(step), fmt(learn), fmt(nodeLearn), (nodeLearn / learn).toFixed(2)]);
      console.log(rows[rows.length - 1].join('  '));
    }
    if (o.errors.length) throw new Error('the page logged errors: ' + o.errors.join('; '));
    const md =
      'Samples per second, measured by `bench/playground.ts` in ' + o.version + ' (headless, `--disable-gpu`), ' + machine() +
      ', on a 2-core machine shared with other work (figures vary by ±20 % between runs). Default options, seed 1, noise 0.2. ' +
      '"step + redraw": each sample predicted and learned by both models, then the whole page redrawn (what Step does); ' +
      '"playing": Play at the top speed for 3 s, one redraw per frame; "step only": both models, no redraw; ' +
      '"learnOne": the fixed-point model alone, in Chromium and in Node in the same run.\n\n' +
      table(['learner', 'data set', 'step + redraw', 'playing', 'step only', 'learnOne (Chromium)', 'learnOne (Node)', 'Node / Chromium'], rows);
    writeSection('playground-speed', md, join(ROOT, 'docs', 'playground.md'));
    console.log('wrote docs/playground.md (section playground-speed)');
    if (shots) await screenshots(page, o);
  } finally {
    await o.close();
  }
}

/** The docs' pictures: a lesson each, run for a while, clipped to the canvases (and, for one, the model panel). */
async function screenshots(page: Page, o: Opened): Promise<void> {
  const dir = join(ROOT, 'docs', 'playground');
  mkdirSync(dir, { recursive: true });
  const list: [string, number, boolean][] = [
    ['sine', 20000, true],
    ['tree-waits', 900, false],
    ['window-drift', 1200, false],
    ['anomaly', 1500, false],
    ['room', 2880, false],
  ];
  for (const [lesson, n, panel] of list) {
    await page.select('#lesson', lesson);
    await page.evaluate('window.playground.stepOnly(' + (n - 1) + ')');
    await page.click('#step');
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    // page coordinates of the stage (and the model panel): the clip is in page coordinates
    const clip = await page.evaluate(
      '(() => { const a = document.querySelector(".stage").getBoundingClientRect(); const b = document.getElementById("model").getBoundingClientRect();' +
        ' const right = ' + String(panel) + ' ? b.right : a.right; return { x: a.left + scrollX - 4, y: a.top + scrollY - 4, width: right - a.left + 8, height: a.height + 8 }; })()',
    );
    await page.screenshot({ path: join(dir, lesson + '.png'), clip });
    console.log('docs/playground/' + lesson + '.png');
  }
  if (o.errors.length) throw new Error('the page logged errors: ' + o.errors.join('; '));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
