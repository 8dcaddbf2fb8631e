/**
 * Loaders for the shared datasets in ../shared/data (see ../shared/README.md beside the project)
 * and the seeded shuffle every accuracy benchmark uses, so that all of them
 * score learners on the same sample order.
 *
 *   const d = loadDataset('iris');           // null when ../shared/data is missing
 *   const order = shuffled(d.n, 42);         // seeded permutation of 0..n-1
 *   for (const i of order) model.learnOne(d.X[i], d.y[i]);
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import seedrandom from 'seedrandom';
import { sharedData } from './report.js';

/** A table of samples: X[i] is row i, y[i] its label (class index) or regression target. */
export interface Dataset {
  name: string;
  /** Number of rows. */
  n: number;
  nFeatures: number;
  /** Number of classes; 0 for a regression dataset. */
  nClasses: number;
  X: Float64Array[];
  y: Float64Array;
}

/** The names {@link loadDataset} knows. */
export const DATASETS = ['iris', 'wine', 'breast_cancer', 'digits', 'diabetes'];

/** Classification datasets, in the order benchmark tables list them. */
export const CLASSIFICATION = ['breast_cancer', 'wine', 'iris', 'digits'];

function readText(path: string): string {
  const raw = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

function rows(text: string, sep: RegExp): number[][] {
  const out: number[][] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    out.push(t.split(sep).map(Number));
  }
  return out;
}

/** scikit-learn CSV: optional header `n,nFeatures,class names…`, then rows of features with the label last. */
function labelled(name: string, path: string, header: boolean): Dataset {
  let text = readText(path);
  let nClasses = 0;
  let nRows = -1;
  if (header) {
    const nl = text.indexOf('\n');
    const h = text.slice(0, nl).split(',');
    nRows = Number(h[0]);
    nClasses = h.length - 2;
    text = text.slice(nl + 1);
  }
  const r = rows(text, /,/);
  if (nRows >= 0 && r.length !== nRows) throw new Error(name + ': expected ' + nRows + ' rows, found ' + r.length);
  const nFeatures = r[0].length - 1;
  const X: Float64Array[] = [];
  const y = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) {
    if (r[i].length !== nFeatures + 1) throw new Error(name + ': row ' + i + ' has ' + r[i].length + ' fields');
    X.push(Float64Array.from(r[i].slice(0, nFeatures)));
    y[i] = r[i][nFeatures];
    if (!header && y[i] + 1 > nClasses) nClasses = y[i] + 1;
  }
  return { name, n: r.length, nFeatures, nClasses, X, y };
}

/**
 * Loads a dataset by name (one of {@link DATASETS}), or returns null when the
 * shared data directory is missing (callers print a skip message).
 */
export function loadDataset(name: string): Dataset | null {
  const dir = sharedData();
  if (dir === null) return null;
  const sk = join(dir, 'sklearn');
  switch (name) {
    case 'iris':
      return labelled(name, join(sk, 'iris.csv'), true);
    case 'wine':
      return labelled(name, join(sk, 'wine_data.csv'), true);
    case 'breast_cancer':
      return labelled(name, join(sk, 'breast_cancer.csv'), true);
    case 'digits':
      return labelled(name, join(sk, 'digits.csv.gz'), false);
    case 'diabetes': {
      const xr = rows(readText(join(sk, 'diabetes_data_raw.csv.gz')), /\s+/);
      const yr = rows(readText(join(sk, 'diabetes_target.csv.gz')), /\s+/);
      if (xr.length !== yr.length) throw new Error('diabetes: ' + xr.length + ' rows but ' + yr.length + ' targets');
      return { name, n: xr.length, nFeatures: xr[0].length, nClasses: 0, X: xr.map((r) => Float64Array.from(r)), y: Float64Array.from(yr.map((r) => r[0])) };
    }
  }
  throw new Error('unknown dataset ' + name + ' (known: ' + DATASETS.join(', ') + ')');
}

/** True when the shared datasets are present. */
export function haveData(): boolean {
  const d = sharedData();
  return d !== null && existsSync(join(d, 'sklearn'));
}

/** A seeded permutation of 0..n-1 (Fisher–Yates driven by seedrandom(String(seed))). */
export function shuffled(n: number, seed: number): Int32Array {
  const rng = seedrandom(String(seed));
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** The rows of `d` in the seeded shuffled order, as [x, y] pairs (for prequential). */
export function stream(d: Dataset, seed: number): [Float64Array, number][] {
  const p = shuffled(d.n, seed);
  const out: [Float64Array, number][] = [];
  for (let i = 0; i < p.length; i++) out.push([d.X[p[i]], d.y[p[i]]]);
  return out;
}

// ---- SKAB (anomaly detection) ---------------------------------------------------

/** One SKAB file: the 8 sensor columns and the `anomaly` label. */
export interface Stream {
  X: number[][];
  anomaly: number[];
}

/** SKAB valve1, its 16 files in numeric order. */
export function skabFiles(dir: string): Stream[] {
  const d = join(dir, 'skab', 'valve1');
  const files = readdirSync(d).filter((f) => f.endsWith('.csv')).sort((a, b) => parseInt(a) - parseInt(b));
  return files.map((f) => {
    const rows = readFileSync(join(d, f), 'utf8').trim().split('\n').slice(1).map((l) => l.split(';'));
    return { X: rows.map((r) => r.slice(1, 9).map(Number)), anomaly: rows.map((r) => Number(r[9])) };
  });
}

/** A detector as the SKAB protocol drives it. */
export interface Det {
  learnOne(x: ArrayLike<number>): void;
  isAnomaly(x: ArrayLike<number>): boolean;
  stateBytes: number;
}

/**
 * The SKAB protocol: per file, learn the first 400 rows (normal operation), then only score the rest;
 * F1, FAR and MAR pooled over every scored row, state bytes and µs per learned row.
 */
export function skabEval(files: Stream[], make: () => Det): { f1: number; far: number; mar: number; bytes: number; us: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let bytes = 0;
  let ms = 0;
  let n = 0;
  for (const f of files) {
    const m = make();
    const t = performance.now();
    for (let i = 0; i < 400; i++) m.learnOne(f.X[i]);
    ms += performance.now() - t;
    n += 400;
    for (let i = 400; i < f.X.length; i++) {
      const p = m.isAnomaly(f.X[i]);
      const a = f.anomaly[i] === 1;
      if (p && a) tp++;
      else if (p) fp++;
      else if (a) fn++;
      else tn++;
    }
    bytes = m.stateBytes;
  }
  return { f1: (2 * tp) / (2 * tp + fp + fn), far: fp / (fp + tn), mar: fn / (fn + tp), bytes, us: (ms * 1000) / n };
}

