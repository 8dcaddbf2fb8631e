/**
 * Drawing: the plane (decision regions, clusters or the anomaly score map,
 * with samples, centroids, tree splits, Gaussians and the k-NN window),
 * the regression curve, the room's strip chart and the score curve.
 * Canvas 2D only.
 */
import { DatasetInfo, Sample } from './datasets.js';
import { Inspection, Tree } from './inspect.js';
import { Predictor, Task } from './learners.js';
import { Score, Session, Taught } from './session.js';

/** Cells per side of the region grid. */
export const GRID = 64;

const CLASS_RGB: [number, number, number][] = [
  [235, 130, 20],
  [20, 110, 190],
  [40, 150, 70],
  [150, 70, 170],
  [200, 60, 60],
  [90, 90, 90],
  [20, 160, 160],
  [160, 130, 20],
];

function rgb(c: number, a = 1): string {
  const v = CLASS_RGB[c % CLASS_RGB.length];
  return 'rgba(' + v[0] + ',' + v[1] + ',' + v[2] + ',' + a + ')';
}

/** What one model says over the grid: class/cluster/flag per cell, and a shade (confidence or score ratio). */
export interface Field {
  value: Float64Array;
  shade: Float64Array;
  /** Detect: the threshold used (NaN: none yet). */
  threshold: number;
}

/** Real coordinates of cell (i, j), j = 0 at the top. */
function cellX(d: DatasetInfo, i: number): number {
  return d.view[0] + ((i + 0.5) / GRID) * (d.view[1] - d.view[0]);
}
function cellY(d: DatasetInfo, j: number): number {
  return d.view[3] - ((j + 0.5) / GRID) * (d.view[3] - d.view[2]);
}

/** Evaluates a model on every grid cell of the plane. */
export function field(p: Predictor, task: Task, d: DatasetInfo, withShade: boolean): Field {
  const value = new Float64Array(GRID * GRID);
  const shade = new Float64Array(GRID * GRID);
  const t = task === 'detect' ? p.threshold() : NaN;
  const x = [0, 0];
  for (let j = 0; j < GRID; j++) {
    x[1] = cellY(d, j);
    for (let i = 0; i < GRID; i++) {
      x[0] = cellX(d, i);
      const k = j * GRID + i;
      const v = p.predict(x);
      if (task === 'detect') {
        value[k] = t === t && v > t ? 1 : 0;
        shade[k] = v;
      } else {
        value[k] = v;
        // the shade needs less detail than the regions: one confidence per 2×2 cells (a quarter of the calls)
        if (!withShade || task !== 'classify') shade[k] = NaN;
        else if (i % 2 === 0 && j % 2 === 0) shade[k] = p.confidence(x, v);
        else shade[k] = shade[(j - (j % 2)) * GRID + i - (i % 2)];
      }
    }
  }
  return { value, shade, threshold: t };
}

/** Cells where the two fields disagree (class, cluster or anomaly flag). */
export function disagreement(a: Field, b: Field): Uint8Array {
  const out = new Uint8Array(GRID * GRID);
  for (let k = 0; k < out.length; k++) out[k] = a.value[k] !== b.value[k] ? 1 : 0;
  return out;
}

/** Paints the regions (or score map) of a field onto ctx, filling the canvas. */
export function paintField(ctx: CanvasRenderingContext2D, f: Field, task: Task, nClasses: number): void {
  const img = new ImageData(GRID, GRID);
  const px = img.data;
  let maxScore = 0;
  if (task === 'detect') for (let k = 0; k < f.shade.length; k++) if (f.shade[k] > maxScore && f.shade[k] < 1e9) maxScore = f.shade[k];
  for (let k = 0; k < GRID * GRID; k++) {
    let r = 255;
    let g = 255;
    let b = 255;
    if (task === 'detect') {
      const t = f.threshold;
      // normal: white → teal as the score nears the threshold; anomalous: red
      const s = f.shade[k];
      if (t === t) {
        if (s > t) {
          r = 225;
          g = 80;
          b = 70;
        } else {
          const u = t > 0 ? s / t : 0;
          r = 255 - 150 * u;
          g = 255 - 60 * u;
          b = 255 - 90 * u;
        }
      } else {
        const u = maxScore > 0 ? Math.min(s / maxScore, 1) : 0;
        r = g = b = 255 - 120 * u;
      }
    } else {
      const c = f.value[k];
      const v = CLASS_RGB[c % CLASS_RGB.length];
      const conf = f.shade[k];
      // confidence 1/C → faint, 1 → strong; no confidence: medium
      const a = conf === conf && nClasses > 1 ? 0.12 + 0.5 * Math.max(0, (conf - 1 / nClasses) / (1 - 1 / nClasses)) : 0.35;
      r = 255 + (v[0] - 255) * a;
      g = 255 + (v[1] - 255) * a;
      b = 255 + (v[2] - 255) * a;
    }
    px[4 * k] = r;
    px[4 * k + 1] = g;
    px[4 * k + 2] = b;
    px[4 * k + 3] = 255;
  }
  drawImage(ctx, img);
}

/** Blits a GRID×GRID image over the whole canvas, crisp. */
function drawImage(ctx: CanvasRenderingContext2D, img: ImageData): void {
  const off = document.createElement('canvas');
  off.width = GRID;
  off.height = GRID;
  (off.getContext('2d') as CanvasRenderingContext2D).putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, ctx.canvas.width, ctx.canvas.height);
}

/** Paints the disagreement cells (black) on white; returns how many there are. */
export function paintDisagreement(ctx: CanvasRenderingContext2D, diff: Uint8Array): number {
  const img = new ImageData(GRID, GRID);
  let n = 0;
  for (let k = 0; k < diff.length; k++) {
    const v = diff[k] ? 20 : 250;
    n += diff[k];
    img.data[4 * k] = diff[k] ? 200 : v;
    img.data[4 * k + 1] = v;
    img.data[4 * k + 2] = v;
    img.data[4 * k + 3] = 255;
  }
  drawImage(ctx, img);
  if (n === 0) {
    ctx.fillStyle = 'rgba(0,0,0,0.55)';
    ctx.font = '13px sans-serif';
    ctx.fillText('no cell differs', 10, 20);
  }
  return n;
}

/** Canvas coordinates of a real point. */
export function toCanvas(ctx: CanvasRenderingContext2D, d: DatasetInfo, x: number, y: number): [number, number] {
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  return [((x - d.view[0]) / (d.view[1] - d.view[0])) * w, ((d.view[3] - y) / (d.view[3] - d.view[2])) * h];
}

/** Real coordinates of a canvas point. */
export function fromCanvas(canvas: HTMLCanvasElement, d: DatasetInfo, cx: number, cy: number): [number, number] {
  return [d.view[0] + (cx / canvas.width) * (d.view[1] - d.view[0]), d.view[3] - (cy / canvas.height) * (d.view[3] - d.view[2])];
}

function dot(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, fill: string, stroke: string): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.strokeStyle = stroke;
  ctx.lineWidth = 1;
  ctx.stroke();
}

function cross(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, color: string, width: number): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x - r, y + r);
  ctx.lineTo(x + r, y - r);
  ctx.stroke();
}

/** Samples: recent stream points (hollow when a k-NN no longer keeps them), taught points, anomalies. */
export function drawSamples(ctx: CanvasRenderingContext2D, d: DatasetInfo, task: Task, recent: Sample[], taught: Taught[], ins: Inspection, small: boolean): void {
  const r = small ? 1.6 : 3;
  const knn = ins.window.length > 0;
  for (const s of recent) {
    const [x, y] = toCanvas(ctx, d, s.x[0], s.x[1]);
    if (s.anomaly) cross(ctx, x, y, r + 1, 'rgb(200,30,30)', 1.5);
    else if (task === 'classify' && !knn) dot(ctx, x, y, r, rgb(s.y), 'white');
    else if (task === 'classify') dot(ctx, x, y, r - 0.5, 'rgba(255,255,255,0.6)', rgb(s.y, 0.5));
    else dot(ctx, x, y, r - 0.5, 'rgba(60,60,60,0.55)', 'white');
  }
  // the k-NN's memory: exactly the samples it keeps
  for (const s of ins.window) {
    const [x, y] = toCanvas(ctx, d, s.x[0], s.x[1]);
    dot(ctx, x, y, r, rgb(s.y), 'rgba(0,0,0,0.6)');
  }
  for (const s of taught) {
    const [x, y] = toCanvas(ctx, d, s.x[0], s.x[1]);
    dot(ctx, x, y, r + 2, task === 'classify' ? rgb(s.y) : 'rgb(60,60,60)', 'black');
  }
}

/** Centroids as crosses with a white halo. */
export function drawCentroids(ctx: CanvasRenderingContext2D, d: DatasetInfo, c: number[][], small: boolean): void {
  const r = small ? 4 : 8;
  c.forEach((p, j) => {
    const [x, y] = toCanvas(ctx, d, p[0], p[1]);
    cross(ctx, x, y, r, 'white', small ? 3 : 5);
    cross(ctx, x, y, r, rgb(j), small ? 1.5 : 2.5);
  });
}

/** The tree's axis-aligned splits, each drawn inside its node's region. */
export function drawTree(ctx: CanvasRenderingContext2D, d: DatasetInfo, t: Tree): void {
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  ctx.strokeStyle = 'rgba(0,0,0,0.75)';
  const walk = (v: number, x0: number, x1: number, y0: number, y1: number, depth: number): void => {
    if (v >= t.nNodes || t.feat[v] < 0) return;
    const thr = t.thr[v];
    ctx.lineWidth = Math.max(0.75, 2.5 - 0.4 * depth);
    ctx.beginPath();
    if (t.feat[v] === 0) {
      const [cx] = toCanvas(ctx, d, thr, 0);
      ctx.moveTo(cx, y0);
      ctx.lineTo(cx, y1);
      ctx.stroke();
      walk(t.child[v], x0, Math.min(cx, x1), y0, y1, depth + 1); // x ≤ thr: left
      walk(t.child[v] + 1, Math.max(cx, x0), x1, y0, y1, depth + 1);
    } else {
      const [, cy] = toCanvas(ctx, d, 0, thr);
      ctx.moveTo(x0, cy);
      ctx.lineTo(x1, cy);
      ctx.stroke();
      walk(t.child[v], x0, x1, Math.max(cy, y0), y1, depth + 1); // y ≤ thr: below
      walk(t.child[v] + 1, x0, x1, y0, Math.min(cy, y1), depth + 1);
    }
  };
  walk(0, 0, w, 0, h, 0);
}

/** Axis-aligned 1σ and 2σ ellipses of each Gaussian. */
export function drawGaussians(ctx: CanvasRenderingContext2D, d: DatasetInfo, g: Inspection['gaussians']): void {
  const sx = ctx.canvas.width / (d.view[1] - d.view[0]);
  const sy = ctx.canvas.height / (d.view[3] - d.view[2]);
  for (const e of g) {
    const [x, y] = toCanvas(ctx, d, e.mean[0], e.mean[1]);
    for (const k of [1, 2]) {
      ctx.beginPath();
      ctx.ellipse(x, y, Math.max(1, k * e.sd[0] * sx), Math.max(1, k * e.sd[1] * sy), 0, 0, 2 * Math.PI);
      ctx.strokeStyle = e.label >= 0 ? rgb(e.label, k === 1 ? 0.9 : 0.5) : k === 1 ? 'rgba(0,0,0,0.7)' : 'rgba(0,0,0,0.35)';
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
  }
}

/** Light axes through 0 and a frame. */
export function drawAxes(ctx: CanvasRenderingContext2D, d: DatasetInfo): void {
  ctx.strokeStyle = 'rgba(0,0,0,0.15)';
  ctx.lineWidth = 1;
  const [ox, oy] = toCanvas(ctx, d, 0, 0);
  ctx.beginPath();
  if (ox > 0 && ox < ctx.canvas.width) {
    ctx.moveTo(ox, 0);
    ctx.lineTo(ox, ctx.canvas.height);
  }
  if (oy > 0 && oy < ctx.canvas.height) {
    ctx.moveTo(0, oy);
    ctx.lineTo(ctx.canvas.width, oy);
  }
  ctx.stroke();
}

/** Regression: points, and the fixed (solid) and float64 (dashed) curves. Returns max |fixed − twin| over the curve. */
export function drawCurve(ctx: CanvasRenderingContext2D, s: Session, small: boolean, which: 'both' | 'twin'): number {
  const d = s.dataset;
  const w = ctx.canvas.width;
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, w, ctx.canvas.height);
  drawAxes(ctx, d);
  for (const p of s.recent) {
    const [x, y] = toCanvas(ctx, d, p.x[0], p.y);
    if (p.anomaly) cross(ctx, x, y, 3, 'rgb(200,30,30)', 1.5);
    else dot(ctx, x, y, small ? 1.5 : 2.5, 'rgba(20,110,190,0.55)', 'white');
  }
  for (const p of s.taught) {
    const [x, y] = toCanvas(ctx, d, p.x[0], p.y);
    dot(ctx, x, y, 5, 'rgb(235,130,20)', 'black');
  }
  const N = 200;
  const xs = [0];
  let maxDiff = 0;
  const line = (p: Predictor, color: string, dash: number[]): number[] => {
    const ys: number[] = [];
    ctx.beginPath();
    for (let i = 0; i <= N; i++) {
      xs[0] = d.view[0] + (i / N) * (d.view[1] - d.view[0]);
      const v = p.predict(xs);
      ys.push(v);
      const [cx, cy] = toCanvas(ctx, d, xs[0], Math.max(d.view[2] - 1, Math.min(d.view[3] + 1, v)));
      if (i === 0) ctx.moveTo(cx, cy);
      else ctx.lineTo(cx, cy);
    }
    ctx.setLineDash(dash);
    ctx.strokeStyle = color;
    ctx.lineWidth = small ? 1.5 : 2.5;
    ctx.stroke();
    ctx.setLineDash([]);
    return ys;
  };
  const twin = s.built.twin;
  const ft = which === 'both' ? line(s.built.fixed, 'rgb(20,20,20)', []) : null;
  const tt = twin ? line(twin, 'rgb(235,130,20)', [6, 4]) : null;
  if (ft && tt) for (let i = 0; i <= N; i++) maxDiff = Math.max(maxDiff, Math.abs(ft[i] - tt[i]));
  return maxDiff;
}

/** The room: the last readings as a strip chart, with the truth and both models' answers (or scores) on top. */
export function drawRoom(ctx: CanvasRenderingContext2D, s: Session, small: boolean): void {
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, w, h);
  const rec = s.recent;
  if (rec.length === 0) return;
  const bandH = small ? 8 : 14;
  const top = 3 * bandH + 6;
  const n = rec.length;
  const X = (i: number) => (i / Math.max(n - 1, 1)) * w;
  const series = (f: (p: Sample) => number, lo: number, hi: number, color: string) => {
    ctx.beginPath();
    rec.forEach((p, i) => {
      const v = (f(p) - lo) / (hi - lo);
      const y = h - 4 - Math.max(0, Math.min(1, v)) * (h - top - 8);
      if (i === 0) ctx.moveTo(X(i), y);
      else ctx.lineTo(X(i), y);
    });
    ctx.strokeStyle = color;
    ctx.lineWidth = small ? 1 : 1.5;
    ctx.stroke();
  };
  series((p) => p.x[0], 15, 30, 'rgb(200,60,60)');
  series((p) => p.x[1], 0, 900, 'rgb(200,160,20)');
  rec.forEach((p, i) => {
    if (p.x[2] > 0.5) {
      ctx.fillStyle = 'rgba(60,60,60,0.8)';
      ctx.fillRect(X(i) - 0.5, h - (small ? 6 : 10), 1.5, small ? 6 : 10);
    }
    if (p.anomaly) cross(ctx, X(i), top + 6, 3, 'rgb(200,30,30)', 1.5);
  });
  // bands: truth, fixed, float64 (occupied = blue)
  const band = (row: number, f: (p: Sample, i: number) => number) => {
    rec.forEach((p, i) => {
      ctx.fillStyle = f(p, i) ? 'rgb(20,110,190)' : 'rgb(235,235,235)';
      ctx.fillRect(X(i), row * bandH, w / n + 0.5, bandH - 2);
    });
  };
  band(0, (p) => (s.task === 'detect' ? p.anomaly : p.y));
  const b = s.built;
  const flag = (pr: Predictor, x: number[]) => {
    const v = pr.predict(x);
    if (s.task !== 'detect') return v;
    const t = pr.threshold();
    return t === t && v > t ? 1 : 0;
  };
  band(1, (p) => flag(b.fixed, p.x));
  if (b.twin) band(2, (p) => flag(b.twin as Predictor, p.x));
  if (!small) {
    ctx.fillStyle = 'rgba(0,0,0,0.7)';
    ctx.font = '11px sans-serif';
    ctx.fillText(s.task === 'detect' ? 'injected anomaly' : 'occupied (truth)', 4, bandH - 4);
    ctx.fillText('fixed point says', 4, 2 * bandH - 4);
    ctx.fillText('float64 says', 4, 3 * bandH - 4);
    ctx.fillStyle = 'rgb(200,60,60)';
    ctx.fillText('temperature 15–30 °C', 4, top + 14);
    ctx.fillStyle = 'rgb(170,130,10)';
    ctx.fillText('light 0–900 lux', 140, top + 14);
    ctx.fillStyle = 'rgb(60,60,60)';
    ctx.fillText('motion', 250, top + 14);
  }
}

/** The moving score of both models against samples seen. */
export function drawChart(ctx: CanvasRenderingContext2D, s: Session): void {
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, w, h);
  const hist = s.history;
  const pad = 28;
  let hi = 1;
  if (!Score.higherIsBetter(s.task)) {
    hi = 0;
    for (const r of hist) for (const v of [r[1], r[2]]) if (v === v && v > hi) hi = v;
    hi = hi > 0 ? hi * 1.1 : 1;
  }
  ctx.strokeStyle = 'rgba(0,0,0,0.2)';
  ctx.lineWidth = 1;
  ctx.strokeRect(pad, 4, w - pad - 4, h - 20);
  ctx.fillStyle = 'rgba(0,0,0,0.7)';
  ctx.font = '10px sans-serif';
  ctx.fillText(hi.toPrecision(2), 2, 12);
  ctx.fillText('0', 2, h - 16);
  const last = hist.length ? hist[hist.length - 1][0] : 1;
  ctx.fillText(String(last) + ' samples', w - 70, h - 4);
  const line = (col: number, color: string, dash: number[]) => {
    ctx.beginPath();
    let started = false;
    for (const r of hist) {
      const v = r[col];
      if (v !== v) continue;
      const x = pad + (r[0] / last) * (w - pad - 4);
      const y = 4 + (1 - v / hi) * (h - 20);
      if (!started) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
      started = true;
    }
    ctx.setLineDash(dash);
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.stroke();
    ctx.setLineDash([]);
  };
  line(1, 'rgb(20,20,20)', []);
  line(2, 'rgb(235,130,20)', [5, 4]);
}

/** A keyboard cursor on the plane (for teaching by keyboard). */
export function drawCursor(ctx: CanvasRenderingContext2D, d: DatasetInfo, x: number, y: number): void {
  const [cx, cy] = toCanvas(ctx, d, x, y);
  ctx.strokeStyle = 'black';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.arc(cx, cy, 9, 0, 2 * Math.PI);
  ctx.moveTo(cx - 14, cy);
  ctx.lineTo(cx + 14, cy);
  ctx.moveTo(cx, cy - 14);
  ctx.lineTo(cx, cy + 14);
  ctx.stroke();
}
