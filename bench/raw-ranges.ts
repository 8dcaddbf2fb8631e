/**
 * Raw sensor ranges (issue 9 §5), written into docs/benchmarks.md
 * (section raw-ranges): readings in their own units (lux to 100,000, Pa,
 * ppm, particles to ~1e6, SKAB in SI sub-units, breast-cancer features in
 * units that reach 1e5–1e6) against the same readings pre-scaled into
 * Q16.16-friendly ranges, through the learners that keep statistics of raw
 * features; and Welford's small-variance accuracy after 10,000 samples.
 * Run: npm run bench -- raw-ranges
 */
import { Pipeline } from '../src/pipeline.js';
import { MinMaxScaler, StandardScaler } from '../src/preprocessing.js';
import { Random } from '../src/random.js';
import { LogisticRegression } from '../algorithms/linear.js';
import { GaussianNB } from '../algorithms/naive_bayes.js';
import { KNNClassifier } from '../algorithms/knn.js';
import { GaussianScorer } from '../algorithms/anomaly/gaussian_scorer.js';
import { KMeansDetector } from '../algorithms/anomaly/kmeans_detector.js';
import { HalfSpaceTrees } from '../algorithms/anomaly/half_space_trees.js';
import { roomComparisons } from '../test/raw-compare.js';
import { Det, Stream, loadDataset, skabEval, skabFiles, stream } from './datasets.js';
import { machine, sharedData, table, writeSection } from './report.js';

const pct = (v: number) => (100 * v).toFixed(2) + ' %';
const pts = (a: number, b: number) => ((100 * (a - b)).toFixed(2) + ' pt').replace(/^(\d)/, '+$1');

/** SKAB columns in SI sub-units: accelerations in mg, current in mA, pressure in Pa, voltage in mV, flow in ml/min. */
const SKAB_UNITS = [1000, 1000, 1000, 100000, 1, 1, 1000, 1000];

function scaled(files: Stream[], f: number[]): Stream[] {
  return files.map((s) => ({ X: s.X.map((r) => r.map((v, i) => v * f[i])), anomaly: s.anomaly }));
}

function detector(d: GaussianScorer | KMeansDetector | HalfSpaceTrees, front?: StandardScaler | MinMaxScaler): Det {
  if (!front) return d;
  const p = new Pipeline([front, d]);
  return { learnOne: (x) => p.learnOne(x), isAnomaly: (x) => p.isAnomaly(x), stateBytes: p.stateBytes };
}

function skabSection(dir: string): string {
  const orig = skabFiles(dir);
  const raw = scaled(orig, SKAB_UNITS);
  let maxAbs = 0;
  for (const s of raw) for (const r of s.X) for (const v of r) if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
  const confs: [string, string, () => Det, Stream[]][] = [
    ['GaussianScorer (margin 1)', 'original units', () => new GaussianScorer({ nFeatures: 8, margin: 1 }), orig],
    ['Pipeline(StandardScaler, KMeansDetector k 4, margin 2.5)', 'original units', () => detector(new KMeansDetector({ nFeatures: 8, k: 4, margin: 2.5 }), new StandardScaler({ nFeatures: 8 })), orig],
    ['Pipeline(MinMaxScaler, HalfSpaceTrees 16 × 4, window 200)', 'original units', () => detector(new HalfSpaceTrees({ nFeatures: 8, nTrees: 16, height: 4, windowSize: 200, seed: 1, quantile: 0.9, margin: 0.8 }), new MinMaxScaler({ nFeatures: 8 })), orig],
  ];
  const rows: (string | number)[][] = [];
  for (const [name, pre, make, base] of confs) {
    const a = skabEval(raw, make);
    const b = skabEval(base, make);
    rows.push([name, pre, a.f1.toFixed(3), b.f1.toFixed(3), (a.f1 - b.f1).toFixed(3), pct(a.far) + ' / ' + pct(b.far), pct(a.mar) + ' / ' + pct(b.mar)]);
  }
  return '**SKAB valve1 in SI sub-units** (accelerations in mg, current in mA, pressure in Pa, voltage in mV, flow in ml/min: values up to ' + Math.round(maxAbs) +
    '), the SKAB protocol of the suite2-anomaly section (learn the first 400 rows of each file, score the rest), raw against the same files in their original units ' +
    '(the detectors are scale-free or have a scaler in front):\n\n' +
    table(['detector', 'pre-scaled as', 'F1 raw', 'F1 pre-scaled', 'Δ F1', 'FAR raw / pre-scaled', 'MAR raw / pre-scaled'], rows);
}

/** Breast cancer with every feature in a unit that brings its largest value into [1e5, 1e6). */
function cancerSection(): string {
  const d = loadDataset('breast_cancer');
  if (d === null) return '';
  const f: number[] = [];
  for (let i = 0; i < d.nFeatures; i++) {
    let mx = 0;
    for (const x of d.X) if (Math.abs(x[i]) > mx) mx = Math.abs(x[i]);
    let u = 1;
    while (mx * u < 1e5) u *= 10;
    f.push(u);
  }
  const rows: (string | number)[][] = [];
  const models: [string, () => { learnOne(x: ArrayLike<number>, y: number): void; predictOne(x: ArrayLike<number>): number }][] = [
    ['Pipeline(StandardScaler, LogisticRegression)', () => new Pipeline([new StandardScaler({ nFeatures: 30 }), new LogisticRegression({ nFeatures: 30, learningRate: 0.05 })])],
    ['GaussianNB', () => new GaussianNB({ nFeatures: 30, nClasses: 2 })],
    ['Pipeline(StandardScaler, KNNClassifier k 5, window 200)', () => new Pipeline([new StandardScaler({ nFeatures: 30 }), new KNNClassifier({ nFeatures: 30, nClasses: 2, k: 5, windowSize: 200 })])],
  ];
  for (const [name, make] of models) {
    const acc = (units: boolean) => {
      const m = make();
      let right = 0;
      const x = new Float64Array(30);
      const s = stream(d, 42);
      for (const [xi, y] of s) {
        for (let i = 0; i < 30; i++) x[i] = units ? xi[i] * f[i] : xi[i];
        if (m.predictOne(x) === y) right++;
        m.learnOne(x, y);
      }
      return right / s.length;
    };
    const a = acc(true);
    const b = acc(false);
    rows.push([name, pct(a), pct(b), pts(a, b)]);
  }
  return '**breast cancer** (569 × 30, prequential in the seeded shuffle 42), every feature multiplied by the power of ten that brings its largest value into [1e5, 1e6) ' +
    '(factors 10 to 10^7), against the original units:\n\n' + table(['model', 'raw units', 'original units', 'Δ'], rows);
}

/** StandardScaler's standard deviation after 10,000 samples of N(offset, std²) rounded to Q16.16, against float64 on the same samples. */
function welfordSection(): string {
  const rows: (string | number)[][] = [];
  for (const [std, off] of [[0.0006, 0], [0.0006, 20], [0.00005, 3], [0.002, 1000], [1, 0], [3000, 50000]]) {
    const rng = new Random(5);
    const s = new StandardScaler({ nFeatures: 1 });
    const xs: number[] = [];
    for (let i = 0; i < 10000; i++) {
      let t = 0;
      for (let k = 0; k < 12; k++) t += rng.nextU32() / 4294967296;
      const x = Math.round((off + (t - 6) * std) * 65536) / 65536;
      xs.push(x);
      s.learnOne([x]);
    }
    let mean = 0;
    for (const x of xs) mean += x / xs.length;
    let v = 0;
    for (const x of xs) v += ((x - mean) * (x - mean)) / xs.length;
    rows.push([String(std), String(off), Math.sqrt(v).toExponential(5), Math.sqrt(s.variances()[0]).toExponential(5), Math.sqrt(s.variances()[0] / v).toFixed(5)]);
  }
  return '**Welford on small variances** (the division remainder carried, see docs/fixed-point.md 5.4): a StandardScaler learns 10,000 samples of N(offset, std²) ' +
    '(Irwin–Hall, seed 5) rounded to Q16.16; the reference is float64 on the same rounded samples.\n\n' +
    table(['std', 'offset', 'float64 std', 'StandardScaler std', 'ratio'], rows);
}

function main(): void {
  const room = roomComparisons(20000, 2026);
  const rows = room.map((c) => [c.name, c.prescale, pct(c.raw), pct(c.scaled), pts(c.raw, c.scaled)]);
  let md = 'Measured ' + new Date().toISOString().slice(0, 10) + ' on ' + machine() + ' (every figure is deterministic: the same on every engine).\n\n' +
    '**Raw room** (`RawRoom` in test/conformance/cases-raw.ts: temperature °C, humidity %, CO2 ppm, light 0–100,000 lux, pressure ≈ 101,325 Pa, particles to ~1e6 per litre; ' +
    '20,000 readings every 10 minutes, prequential accuracy of occupancy), raw against the same readings pre-scaled; test/raw-ranges.test.ts asserts ≤ 0.5 point:\n\n' +
    table(['model', 'pre-scaled as', 'raw', 'pre-scaled', 'Δ'], rows);
  const dir = sharedData();
  if (dir) md += '\n\n' + skabSection(dir) + '\n\n' + cancerSection();
  else console.log('raw-ranges: ../shared/data not found, SKAB and breast cancer skipped');
  md += '\n\n' + welfordSection();
  console.log(md);
  writeSection('raw-ranges', md);
}

main();
