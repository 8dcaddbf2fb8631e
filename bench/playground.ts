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
 * - learnOne only: one model alone — the fixed-point one and its float64
 *   twin in Chromium, and the fixed-point one in Node — in the same run.
 *
 * Writes the table into docs/playground.md. `--screenshots` also refreshes
 * the PNGs under docs/playground/ (`--screenshots-only`: only those).
 * Not a test: nothing here is asserted.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ROOT, machine, replaceSection, table } from './report.js';

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
  Session: new (d: string, l: string, o: object, seed: number, noise: number) => {
    step(): void;
    stream: { next(): { x: number[]; y: number } };
    built: { fixed: { learn(x: number[], y: number): void } };
  };
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

/**
 * Samples per second of `call(k)` (which returns the ms that k samples took):
 * 300 ms of warm-up first (the JIT), then chunks growing to ~50 ms until `ms` have passed.
 */
async function rate(call: (k: number) => Promise<number>, ms: number): Promise<number> {
  let k = 1;
  for (let t = 0; t < 300; ) {
    const dt = await call(k);
    t += dt;
    if (dt < 50) k *= 2;
  }
  let n = 0;
  let t = 0;
  while (t < ms) {
    const dt = await call(k);
    n += k;
    t += dt;
    if (dt < 50) k *= 2;
  }
  return (n / t) * 1000;
}

/** learnOne of the fixed-point model in Node, measured the same way (the page's learner and stream, built for Node). */
async function nodeLearnRate(ref: Ref, learner: string, dataset: string): Promise<number> {
  const s = new ref.Session(dataset, learner, ref.defaults(ref.learnerSpec(learner)), 1, 0.2);
  for (let i = 0; i < 200; i++) s.step();
  return rate(async (k) => {
    const xs: { x: number[]; y: number }[] = [];
    for (let i = 0; i < k; i++) xs.push(s.stream.next());
    const t0 = performance.now();
    for (const v of xs) s.built.fixed.learn(v.x, v.y);
    return performance.now() - t0;
  }, 1000);
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
      const learnTwin = await rate((k) => page.evaluate('window.playground.learnOnly(' + k + ', true)'), 1000);
      // Play at the top speed for 3 s
      await pick(page, learner, dataset);
      await page.evaluate("(() => { const s = document.getElementById('speed'); s.value = s.max; s.dispatchEvent(new Event('input')); })()");
      await page.click('#play');
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 3000));
      await page.click('#play');
      const played = Number((await page.$eval('#samples', (e: { textContent: string }) => e.textContent)).split(' ')[0]);
      const playRate = (played / (Date.now() - t0)) * 1000;
      const nodeLearn = await nodeLearnRate(ref, learner, dataset);
      rows.push([learner, dataset, fmt(redraw), fmt(playRate), fmt(step), fmt(learn), fmt(learnTwin), (learn / learnTwin).toFixed(2), fmt(nodeLearn), (learn / nodeLearn).toFixed(2)]);
      console.log(rows[rows.length - 1].join('  '));
    }
    if (o.errors.length) throw new Error('the page logged errors: ' + o.errors.join('; '));
    const loads = loadavg();
    const md =
      'Samples per second, measured by `bench/playground.ts` in ' + o.version + ' (headless, `--disable-gpu`), ' + machine() +
      ', on a 2-core machine shared with other work. Default options, seed 1, noise 0.2. ' +
      '"step + redraw": each sample predicted and learned by both models, then the whole page redrawn (what Step does); ' +
      '"playing": Play at the top speed for 3 s, one redraw per frame; "step only": both models, no redraw; ' +
      '"learnOne": one model alone learning — the fixed-point one and its float64 twin in Chromium, the fixed-point one in Node — ' +
      'each after 300 ms of warm-up. Load average during the run: ' + loads.map((v) => v.toFixed(0)).join(' / ') + ' (1/5/15 min).\n\n' +
      table(
        ['learner', 'data set', 'step + redraw', 'playing', 'step only', 'learnOne fixed', 'learnOne float64', 'fixed / float64', 'learnOne fixed, Node', 'Chromium / Node'],
        rows,
      );
    replaceSection(join(ROOT, 'docs', 'playground.md'), 'playground-speed', md, true);
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
