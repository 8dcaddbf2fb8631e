/**
 * The playground page: controls, the run loop (play, pause, step, speed),
 * teaching by click or keyboard, export/import of .mlrn blobs, and the
 * redraw after learning. The learning itself is the library's.
 */
import { MicrolearnError, Pipeline, load } from 'microlearn';
import { DATASETS, DatasetInfo, datasetInfo } from './datasets.js';
import { Inspection, inspect, inspectTwin, kindOf } from './inspect.js';
import { LEARNERS, LearnerSpec, Options, OptionSpec, Saveable, applies, complete, defaults, followChange, learnerSpec, parseHidden, taskOf, wrapLoaded } from './learners.js';
import { LESSONS } from './lessons.js';
import { deviceSnippet } from './device.js';
import { Score, Session } from './session.js';
import * as view from './view.js';

/** Samples per second of the speed slider. */
const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
/** Parameters listed in the table (the rest are counted). */
const MAX_PARAMS = 40;

function $<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error('missing element #' + id);
  return e as T;
}

const el = {
  lesson: $<HTMLSelectElement>('lesson'),
  lessonText: $('lesson-text'),
  dataset: $<HTMLSelectElement>('dataset'),
  datasetAbout: $('dataset-about'),
  noise: $<HTMLInputElement>('noise'),
  noiseOut: $<HTMLOutputElement>('noise-out'),
  seed: $<HTMLInputElement>('seed'),
  learner: $<HTMLSelectElement>('learner'),
  options: $('options'),
  play: $<HTMLButtonElement>('play'),
  step: $<HTMLButtonElement>('step'),
  reset: $<HTMLButtonElement>('reset'),
  speed: $<HTMLInputElement>('speed'),
  speedOut: $<HTMLOutputElement>('speed-out'),
  teachRoom: $('teach-room'),
  teachOccupied: $<HTMLButtonElement>('teach-occupied'),
  teachEmpty: $<HTMLButtonElement>('teach-empty'),
  plane: $<HTMLCanvasElement>('plane'),
  planeCaption: $('plane-caption'),
  twin: $<HTMLCanvasElement>('twin'),
  diff: $<HTMLCanvasElement>('diff'),
  diffCount: $('diff-count'),
  chart: $<HTMLCanvasElement>('chart'),
  chartCaption: $('chart-caption'),
  samples: $('samples'),
  scoreLabel: $('score-label'),
  scoreFixed: $('score-fixed'),
  scoreTwin: $('score-twin'),
  disagree: $('disagree'),
  thresholdLabel: $('threshold-label'),
  threshold: $('threshold'),
  stateBytes: $('state-bytes'),
  blobBytes: $('blob-bytes'),
  exportBtn: $<HTMLButtonElement>('export'),
  importInput: $<HTMLInputElement>('import'),
  snippet: $<HTMLTextAreaElement>('snippet'),
  copy: $<HTMLButtonElement>('copy'),
  params: $('params'),
  paramsMore: $('params-more'),
  status: $('status'),
};

const ctx = {
  plane: el.plane.getContext('2d') as CanvasRenderingContext2D,
  twin: el.twin.getContext('2d') as CanvasRenderingContext2D,
  diff: el.diff.getContext('2d') as CanvasRenderingContext2D,
  chart: el.chart.getContext('2d') as CanvasRenderingContext2D,
};

// ---- state -------------------------------------------------------------------

let session: Session;
let playing = false;
let budget = 0;
let lastFrame = 0;
let redrawPending = false;
/** Keyboard cursor on the plane, in data coordinates. */
const cursor = { x: 0, y: 0, shown: false };

function status(msg: string, error = false): void {
  el.status.textContent = msg;
  el.status.className = error ? 'error' : '';
}

function optionInput(s: OptionSpec): HTMLInputElement | HTMLSelectElement {
  return document.getElementById('opt-' + s.key) as HTMLInputElement | HTMLSelectElement;
}

/** Options as the controls say, hidden ones included (the Session drops what does not apply). */
function readOptions(spec: LearnerSpec): Options {
  const o: Options = {};
  for (const s of spec.options) {
    const input = optionInput(s);
    if (s.values) o[s.key] = s.values[Number(input.value)];
    else o[s.key] = input.value;
  }
  return o;
}

function formatOption(v: number): string {
  return v !== 0 && Math.abs(v) < 0.001 ? v.toExponential(0) : String(v);
}

/** Builds the labelled controls of a learner's options, set to `values` (defaults where it has none). */
function buildOptionControls(spec: LearnerSpec, values: Options): void {
  el.options.textContent = '';
  for (const s of spec.options) el.options.appendChild(optionControl(spec, s, values[s.key] !== undefined ? values[s.key] : s.def));
  showApplicable(spec, readOptions(spec));
}

/** Shows only the controls that apply (momentum only with optimizer 'sgd'); a hidden control keeps its value. */
function showApplicable(spec: LearnerSpec, o: Options): void {
  for (const s of spec.options) (document.getElementById('opt-' + s.key + '-row') as HTMLElement).hidden = !applies(s, o);
}

/** Sets a control to a value, as if the student had (the slider's read-out follows). */
function setControl(s: OptionSpec, v: number | string): void {
  const input = optionInput(s);
  input.value = s.values ? String(s.values.indexOf(v as number)) : String(v);
  input.dispatchEvent(new Event('input'));
}

/** A control changed: options that follow it take their new default, then the model starts over. */
function optionChanged(spec: LearnerSpec, key: string): void {
  const o = readOptions(spec);
  const next = followChange(spec, o, key);
  const moved: string[] = [];
  for (const s of spec.options) {
    if (next[s.key] === o[s.key]) continue;
    setControl(s, next[s.key]);
    moved.push(s.label.toLowerCase() + ' set to ' + next[s.key] + ', the default for ' + key + ' ' + next[key]);
  }
  showApplicable(spec, next);
  restart('options changed' + (moved.length ? ' (' + moved.join('; ') + ')' : '') + ': the model starts over (a model’s options are fixed when it is built)');
}

function optionControl(spec: LearnerSpec, s: OptionSpec, value: number | string): HTMLElement {
  const wrap = document.createElement('div');
  wrap.id = 'opt-' + s.key + '-row';
  const label = document.createElement('label');
  const id = 'opt-' + s.key;
  label.htmlFor = id;
  label.textContent = s.label + ' ';
  const help = document.createElement('p');
  help.className = 'note';
  help.id = id + '-help';
  help.textContent = s.help;
  let input: HTMLInputElement | HTMLSelectElement;
  if (s.values) {
    const r = document.createElement('input');
    r.type = 'range';
    r.min = '0';
    r.max = String(s.values.length - 1);
    r.step = '1';
    let i = s.values.indexOf(value as number);
    if (i < 0) i = s.values.indexOf(s.def as number);
    r.value = String(i);
    const out = document.createElement('output');
    out.htmlFor.add(id);
    const show = () => {
      const v = formatOption((s.values as number[])[Number(r.value)]);
      out.textContent = v;
      r.setAttribute('aria-valuetext', v);
    };
    show();
    r.addEventListener('input', show);
    label.appendChild(out);
    input = r;
  } else if (s.choices) {
    const sel = document.createElement('select');
    for (const c of s.choices) sel.add(new Option(c, c));
    sel.value = String(value);
    input = sel;
  } else {
    const t = document.createElement('input');
    t.type = 'text';
    t.value = String(value);
    input = t;
  }
  input.id = id;
  input.dataset.option = s.key;
  input.setAttribute('aria-describedby', help.id);
  input.addEventListener('change', () => optionChanged(spec, s.key));
  wrap.append(label, input, help);
  return wrap;
}

/** Marks the learners that cannot take the current data set. */
function refreshLearnerList(d: DatasetInfo): void {
  for (const opt of Array.from(el.learner.options)) {
    const why = learnerSpec(opt.value).misfit(d);
    opt.disabled = why !== null;
    opt.title = why ? opt.value + ' ' + why : '';
  }
}

/** Starts a new run from the controls: new stream from the seed, new model. */
function restart(reason?: string): void {
  const d = datasetInfo(el.dataset.value);
  let spec = learnerSpec(el.learner.value);
  refreshLearnerList(d);
  if (spec.misfit(d)) {
    const first = LEARNERS.find((l) => !l.misfit(d)) as LearnerSpec;
    reason = spec.name + ' ' + spec.misfit(d) + ': switched to ' + first.name;
    spec = first;
    el.learner.value = first.name;
    buildOptionControls(first, defaults(first));
  }
  const seed = Number(el.seed.value);
  if (!(Math.floor(seed) === seed && seed >= -2147483648 && seed <= 2147483647)) {
    status('the seed must be a whole number (32-bit)', true);
    return;
  }
  const noise = Number(el.noise.value);
  let opts: Options;
  try {
    opts = readOptions(spec);
    if (spec.name === 'MLP') parseHidden(String(opts.hidden));
    session = new Session(d.name, spec.name, opts, seed, noise);
  } catch (e) {
    if (e instanceof MicrolearnError) {
      status(e.message, true);
      return;
    }
    throw e;
  }
  el.datasetAbout.textContent = d.about;
  el.noiseOut.textContent = noise.toFixed(2);
  el.teachRoom.hidden = d.kind !== 'room';
  el.planeCaption.textContent =
    d.kind === 'plane'
      ? 'microlearn, fixed point (Q16.16). ' + (session.task === 'classify' ? 'Click to teach a point of class 0, shift-click class 1' + (d.nClasses > 2 ? ', alt-click class 2.' : '.') : 'Click to add a point it learns as normal data.')
      : d.kind === 'curve'
        ? 'microlearn, fixed point (Q16.16): the solid curve; float64 dashed. Click to add a point (x, y).'
        : 'The room, minute by minute: truth and both models on top, the sensors below.';
  el.plane.setAttribute('aria-label', spec.name + ' on ' + d.label);
  el.chartCaption.textContent =
    'Prequential ' + Score.label(session.task) + ' (each sample predicted, then learned) ' +
    (session.task === 'detect' ? 'since the start' : 'over the last 100 samples') + ': fixed point solid, float64 dashed.';
  el.scoreLabel.textContent = Score.label(session.task);
  el.thresholdLabel.hidden = el.threshold.hidden = session.task !== 'detect';
  status(reason || spec.name + ' on ' + d.label + ', seed ' + seed + '.');
  redrawNow();
}

// ---- run loop ------------------------------------------------------------------

function setPlaying(on: boolean): void {
  playing = on;
  el.play.textContent = on ? 'Pause' : 'Play';
  el.play.setAttribute('aria-pressed', String(on));
  if (on) {
    lastFrame = performance.now();
    budget = 0;
    requestAnimationFrame(frame);
  }
}

function frame(now: number): void {
  if (!playing) return;
  const dt = Math.min(now - lastFrame, 100) / 1000;
  lastFrame = now;
  budget += SPEEDS[Number(el.speed.value)] * dt;
  const start = performance.now();
  let n = 0;
  // learn what the speed asks for, but leave time to draw (about 20 ms per frame at most)
  while (budget >= 1 && performance.now() - start < 20) {
    session.step();
    budget--;
    n++;
  }
  if (budget > 1) budget = 1;
  if (n > 0) redrawNow();
  requestAnimationFrame(frame);
}

function stepOnce(): void {
  session.step();
  scheduleRedraw();
}

function scheduleRedraw(): void {
  if (redrawPending) return;
  redrawPending = true;
  requestAnimationFrame(() => {
    redrawPending = false;
    redrawNow();
  });
}

// ---- drawing ---------------------------------------------------------------------

function fmtScore(task: string, v: number): string {
  if (v !== v) return '—';
  return task === 'classify' || task === 'detect' ? (100 * v).toFixed(1) + ' %' : v.toFixed(4);
}

let lastParamsKey = '';

/** Redraws everything from the session. */
function redrawNow(): void {
  const s = session;
  const d = s.dataset;
  const b = s.built;
  const ins = inspect(b, d);
  const twinIns = inspectTwin(b, d);
  let diffCells = -1;
  if (d.kind === 'plane') {
    const ff = view.field(b.fixed, s.task, d, true);
    view.paintField(ctx.plane, ff, s.task, d.nClasses);
    decorate(ctx.plane, s, ins, false);
    if (cursor.shown) view.drawCursor(ctx.plane, d, cursor.x, cursor.y);
    if (b.twin) {
      const tf = view.field(b.twin, s.task, d, false);
      view.paintField(ctx.twin, tf, s.task, d.nClasses);
      decorate(ctx.twin, s, twinIns, true);
      diffCells = view.paintDisagreement(ctx.diff, view.disagreement(ff, tf));
    } else blank();
  } else if (d.kind === 'curve') {
    const maxDiff = view.drawCurve(ctx.plane, s, false, 'both');
    if (cursor.shown) view.drawCursor(ctx.plane, d, cursor.x, cursor.y);
    if (b.twin) {
      view.drawCurve(ctx.twin, s, true, 'twin');
      ctx.diff.fillStyle = 'white';
      ctx.diff.fillRect(0, 0, el.diff.width, el.diff.height);
      ctx.diff.fillStyle = 'black';
      ctx.diff.font = '13px sans-serif';
      ctx.diff.fillText('largest |fixed − float64|', 10, 90);
      ctx.diff.fillText('on the curve: ' + maxDiff.toPrecision(3), 10, 110);
      el.diffCount.textContent = '(largest gap on the curve: ' + maxDiff.toPrecision(3) + ')';
    } else blank();
  } else {
    view.drawRoom(ctx.plane, s, false);
    if (b.twin) {
      view.drawRoom(ctx.twin, s, true);
      ctx.diff.fillStyle = 'white';
      ctx.diff.fillRect(0, 0, el.diff.width, el.diff.height);
    } else blank();
  }
  if (diffCells >= 0) el.diffCount.textContent = '(' + diffCells + ' of ' + view.GRID * view.GRID + ' cells)';
  else if (d.kind === 'room') el.diffCount.textContent = '(see the bands on the left)';
  view.drawChart(ctx.chart, s);
  // readouts
  el.samples.textContent = String(s.seen) + (s.taught.length ? ' + ' + s.taught.length + ' taught' : '');
  el.scoreFixed.textContent = s.seen === 0 ? '—' : fmtScore(s.task, s.fixedScore.value()) + (s.task !== 'detect' ? ' (last 100: ' + fmtScore(s.task, s.fixedScore.recent()) + ')' : detectCounts(s.fixedScore));
  el.scoreTwin.textContent = s.seen === 0 && b.twin ? '—' : b.twin ? fmtScore(s.task, s.twinScore.value()) + (s.task !== 'detect' ? ' (last 100: ' + fmtScore(s.task, s.twinScore.recent()) + ')' : '') : s.imported ? 'none for an imported model' : '—';
  el.disagree.textContent = !b.twin
    ? '—'
    : s.task === 'regress'
      ? 'mean |Δ| ' + (s.seen ? (s.disagree / s.seen).toExponential(2) : '—') + ' per prediction'
      : s.disagree + ' of ' + s.seen + ' predictions';
  if (s.task === 'detect') {
    const t = b.fixed.threshold();
    el.threshold.textContent = t === t ? t.toPrecision(4) : 'not yet (warming up)';
  }
  const bytes = b.model.toBytes();
  el.stateBytes.textContent = b.model.stateBytes + ' bytes';
  el.blobBytes.textContent = bytes.length + ' bytes';
  showParams(ins);
}

function detectCounts(sc: Score): string {
  return ' (caught ' + sc.tp + ' of ' + (sc.tp + sc.fn) + ' anomalies, ' + sc.fp + ' false alarms)';
}

function blank(): void {
  for (const c of [ctx.twin, ctx.diff]) {
    c.fillStyle = '#f0f0f0';
    c.fillRect(0, 0, c.canvas.width, c.canvas.height);
  }
  ctx.twin.fillStyle = 'black';
  ctx.twin.font = '12px sans-serif';
  ctx.twin.fillText('no float64 twin for', 10, 100);
  ctx.twin.fillText('an imported model', 10, 116);
  el.diffCount.textContent = '';
}

/** Samples and the model's structures over the regions. */
function decorate(c: CanvasRenderingContext2D, s: Session, ins: Inspection, small: boolean): void {
  const d = s.dataset;
  view.drawAxes(c, d);
  if (ins.tree) view.drawTree(c, d, ins.tree);
  if (ins.gaussians.length) view.drawGaussians(c, d, ins.gaussians);
  view.drawSamples(c, d, s.task, s.recent, s.taught, ins, small);
  if (ins.centroids.length) view.drawCentroids(c, d, ins.centroids, small);
}

function showParams(ins: Inspection): void {
  const p = ins.params;
  const key = p.length + ':' + p.slice(0, MAX_PARAMS).map((x) => x.raw).join(',');
  if (key === lastParamsKey) return;
  lastParamsKey = key;
  const rows = document.createDocumentFragment();
  for (const x of p.slice(0, MAX_PARAMS)) {
    const tr = document.createElement('tr');
    const hex = x.unit === 'q16' ? '0x' + (x.raw >>> 0).toString(16).padStart(8, '0') : '';
    const val = x.unit === 'q16' ? (x.raw / 65536).toFixed(5) : 'count';
    for (const t of [x.name, String(x.raw), hex, val]) {
      const td = document.createElement('td');
      td.textContent = t;
      tr.appendChild(td);
    }
    rows.appendChild(tr);
  }
  el.params.textContent = '';
  el.params.appendChild(rows);
  el.paramsMore.textContent = p.length > MAX_PARAMS ? '… and ' + (p.length - MAX_PARAMS) + ' more.' : p.length === 0 ? 'Nothing learned yet.' : '';
}

// ---- teaching ----------------------------------------------------------------------

function teachAt(x: number, y: number, shift: boolean, alt: boolean): void {
  const s = session;
  const d = s.dataset;
  if (d.kind === 'curve') s.teach([x], y);
  else if (s.task === 'classify') {
    const c = alt && d.nClasses > 2 ? 2 : shift ? 1 : 0;
    s.teach([x, y], c);
  } else s.teach([x, y], 0);
  scheduleRedraw();
  status('taught (' + x.toFixed(2) + ', ' + y.toFixed(2) + ')' + (s.task === 'classify' ? ' as class ' + s.taught[s.taught.length - 1].y : '') + ': learned at once.');
}

el.plane.addEventListener('click', (e) => {
  const d = session.dataset;
  if (d.kind === 'room') return;
  const r = el.plane.getBoundingClientRect();
  const [x, y] = view.fromCanvas(el.plane, d, ((e.clientX - r.left) / r.width) * el.plane.width, ((e.clientY - r.top) / r.height) * el.plane.height);
  teachAt(x, y, e.shiftKey, e.altKey);
});

el.plane.addEventListener('keydown', (e) => {
  const d = session.dataset;
  if (d.kind === 'room') return;
  const sx = (d.view[1] - d.view[0]) / 40;
  const sy = (d.view[3] - d.view[2]) / 40;
  const moves: { [k: string]: [number, number] } = { ArrowLeft: [-sx, 0], ArrowRight: [sx, 0], ArrowUp: [0, sy], ArrowDown: [0, -sy] };
  if (moves[e.key]) {
    if (!cursor.shown) {
      cursor.x = (d.view[0] + d.view[1]) / 2;
      cursor.y = (d.view[2] + d.view[3]) / 2;
    }
    cursor.shown = true;
    cursor.x = Math.max(d.view[0], Math.min(d.view[1], cursor.x + moves[e.key][0]));
    cursor.y = Math.max(d.view[2], Math.min(d.view[3], cursor.y + moves[e.key][1]));
    e.preventDefault();
    scheduleRedraw();
  } else if (e.key === 'Enter') {
    if (!cursor.shown) return;
    teachAt(cursor.x, cursor.y, e.shiftKey, e.altKey);
    e.preventDefault();
  }
});
el.plane.addEventListener('blur', () => {
  cursor.shown = false;
  scheduleRedraw();
});

function teachRoom(occupied: boolean): void {
  const s = session;
  const last = s.recent[s.recent.length - 1];
  if (!last) {
    status('step at least once: the room teaches with the latest reading', true);
    return;
  }
  s.teach(last.x.slice(), s.task === 'classify' ? (occupied ? 1 : 0) : 0);
  scheduleRedraw();
  status('taught the latest reading (' + last.x.map((v) => v.toFixed(1)).join(', ') + ') as ' + (occupied ? 'occupied' : 'empty') + '.');
}
el.teachOccupied.addEventListener('click', () => teachRoom(true));
el.teachEmpty.addEventListener('click', () => teachRoom(false));

// ---- export / import -------------------------------------------------------------

/** Names the model by what it learned: two different models never share a name (taught points count too). */
function fileName(): string {
  const taught = session.taught.length ? '+' + session.taught.length + 'taught' : '';
  return session.learner.name + '-' + session.dataset.name + '-seed' + session.seed + '-' + session.seen + taught + (session.imported ? '-imported' : '') + '.mlrn';
}

el.exportBtn.addEventListener('click', () => {
  const bytes = session.built.model.toBytes();
  const url = URL.createObjectURL(new Blob([bytes as unknown as BlobPart], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName();
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  el.snippet.value = deviceSnippet(bytes, session.dataset, session.task);
  status('exported ' + bytes.length + ' bytes as ' + a.download + '.');
});

el.copy.addEventListener('click', () => {
  if (!el.snippet.value) el.snippet.value = deviceSnippet(session.built.model.toBytes(), session.dataset, session.task);
  el.snippet.select();
  const ok = navigator.clipboard ? navigator.clipboard.writeText(el.snippet.value).then(() => true, () => false) : Promise.resolve(false);
  ok.then((done) => status(done ? 'copied the device lines.' : 'selected the device lines: press Ctrl+C to copy.'));
});

el.importInput.addEventListener('change', () => {
  const f = el.importInput.files && el.importInput.files[0];
  if (!f) return;
  f.arrayBuffer().then((buf) => {
    el.importInput.value = '';
    importBytes(new Uint8Array(buf), f.name);
  });
});

/** Replaces the model with a loaded one if it fits the current data set; otherwise says why and changes nothing. */
function importBytes(bytes: Uint8Array, name: string): void {
  let model: Saveable;
  try {
    model = load(bytes) as unknown as Saveable;
  } catch (e) {
    if (e instanceof MicrolearnError) {
      status('could not import ' + name + ': ' + e.code + ': ' + e.message + ' (the current model is unchanged)', true);
      return;
    }
    throw e;
  }
  const steps = model instanceof Pipeline ? (model.steps as object[]) : null;
  const core = steps ? steps[steps.length - 1] : (model as object);
  let kind: string;
  try {
    kind = kindOf(core);
  } catch (e) {
    status('could not import ' + name + ': the playground has no view for this model type (the current model is unchanged)', true);
    return;
  }
  const d = session.dataset;
  const spec = learnerSpec(kind);
  const nF = (model as unknown as { nFeatures: number }).nFeatures;
  const why = spec.misfit(d) || (nF !== d.nFeatures ? 'expects ' + nF + ' features, this data set has ' + d.nFeatures : null);
  if (why) {
    status('could not import ' + name + ': ' + kind + ' ' + why + ' (pick a matching data set first; the current model is unchanged)', true);
    return;
  }
  const nC = (core as { nClasses?: number }).nClasses;
  if (taskOf(spec, d) === 'classify' && nC !== undefined && nC !== d.nClasses) {
    status('could not import ' + name + ': ' + kind + ' has ' + nC + ' classes, this data set ' + d.nClasses + ' (the current model is unchanged)', true);
    return;
  }
  el.learner.value = kind;
  buildOptionControls(spec, defaults(spec));
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent = 'The imported model brought its own options (they are in its bytes); changing a control, or Reset, starts a new model from these.';
  el.options.prepend(note);
  session.replaceModel(wrapLoaded(model, core, taskOf(spec, d), d));
  redrawNow();
  status('imported ' + name + ': ' + kind + ', ' + bytes.length + ' bytes. It keeps learning from the stream; the float64 twin cannot follow an imported model.');
}

// ---- controls --------------------------------------------------------------------

function applyLesson(id: string): void {
  const l = LESSONS.find((x) => x.id === id);
  if (!l) {
    el.lessonText.textContent = 'Pick a data set and a learner, or a lesson above.';
    return;
  }
  setPlaying(false);
  el.dataset.value = l.dataset;
  el.learner.value = l.learner;
  el.noise.value = String(l.noise);
  el.seed.value = String(l.seed);
  el.speed.value = String(l.speed);
  showSpeed();
  refreshLearnerList(datasetInfo(l.dataset));
  // completed as a build would be: the learning rate a lesson leaves out is its optimizer's default
  buildOptionControls(learnerSpec(l.learner), complete(learnerSpec(l.learner), l.options));
  el.lessonText.textContent = l.text;
  restart('lesson: ' + l.title + '. Press Play.');
}

function showSpeed(): void {
  const v = SPEEDS[Number(el.speed.value)] + ' samples/s';
  el.speedOut.textContent = v;
  el.speed.setAttribute('aria-valuetext', v);
}

function init(): void {
  el.lesson.add(new Option('(free play)', ''));
  for (const l of LESSONS) el.lesson.add(new Option(l.title, l.id));
  for (const d of DATASETS) el.dataset.add(new Option(d.label, d.name));
  for (const l of LEARNERS) el.learner.add(new Option(l.name, l.name));
  el.dataset.value = 'moons';
  el.learner.value = 'LogisticRegression';
  buildOptionControls(learnerSpec('LogisticRegression'), defaults(learnerSpec('LogisticRegression')));
  showSpeed();
  el.lesson.addEventListener('change', () => applyLesson(el.lesson.value));
  el.dataset.addEventListener('change', () => restart());
  el.learner.addEventListener('change', () => {
    const spec = learnerSpec(el.learner.value);
    buildOptionControls(spec, defaults(spec));
    restart();
  });
  el.noise.addEventListener('input', () => (el.noiseOut.textContent = Number(el.noise.value).toFixed(2)));
  el.noise.addEventListener('change', () => restart());
  el.seed.addEventListener('change', () => restart());
  el.speed.addEventListener('input', showSpeed);
  el.play.addEventListener('click', () => setPlaying(!playing));
  el.step.addEventListener('click', () => {
    setPlaying(false);
    stepOnce();
  });
  el.reset.addEventListener('click', () => {
    setPlaying(false);
    restart('reset: the same seed replays the same samples.');
  });
  document.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || (t.tagName === 'BUTTON' && e.key === ' '))) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === ' ') {
      setPlaying(!playing);
      e.preventDefault();
    } else if (e.key === 's' || e.key === 'S') {
      setPlaying(false);
      stepOnce();
    } else if (e.key === 'r' || e.key === 'R') {
      setPlaying(false);
      restart('reset: the same seed replays the same samples.');
    }
  });
  el.lessonText.textContent = 'Pick a data set and a learner, or a lesson above.';
  restart();
}

/** For the benchmark (bench/playground.ts): n samples, each followed by a full redraw, or without it. */
(window as unknown as { playground: object }).playground = {
  stepAndRedraw(n: number): number {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      session.step();
      redrawNow();
    }
    return performance.now() - t0;
  },
  stepOnly(n: number): number {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) session.step();
    return performance.now() - t0;
  },
  /** One model alone — the fixed-point one, or its float64 twin — learning the next n stream samples. */
  learnOnly(n: number, twin = false): number {
    const xs = [];
    for (let i = 0; i < n; i++) xs.push(session.stream.next());
    const f = twin ? session.built.twin : session.built.fixed;
    if (!f) return NaN;
    const t0 = performance.now();
    for (const s of xs) f.learn(s.x, s.y);
    return performance.now() - t0;
  },
};

init();
