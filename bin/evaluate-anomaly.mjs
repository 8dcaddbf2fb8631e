// microlearn evaluate-anomaly — score an anomaly-monitoring recipe on your own
// labelled recordings, the way the device runs it: a fresh monitor per file
// learns its first part, then monitors the rest.
//
//   microlearn evaluate-anomaly --learn 400 --label anomaly --sep ';' --drop datetime,changepoint [--recipe NAME|FILE.json] FILES…
//   microlearn evaluate-anomaly --signal --rate 48000 --learn-seconds 2 --normal FILES… --faulty FILES… [--recipe …]
//
// The library code (recipes, monitor, scoring) is the package's dist/esm build.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The subcommand's help; `names` lists the built-in recipes. */
export function usage(names) {
  return `usage:
  microlearn evaluate-anomaly [--learn ROWS] [--label COLUMN] [--sep SEP] [--drop A,B] [--recipe NAME|FILE.json] [--json] FILES…
      Rows mode: every FILE is a table with a header line (.csv, or .csv.gz).
      A fresh monitor learns its first ROWS rows (default 400), then the debounced
      alarm of every later row is compared with COLUMN (default "anomaly"; 1 or
      non-zero = anomalous; a file without it counts as all normal). Every other
      column not in --drop is a feature. Prints per file and pooled F1, FAR
      (false alarms / normal rows), MAR (missed / anomalous rows) and the state size.
  microlearn evaluate-anomaly --signal --rate HZ [--learn-seconds S] --normal FILES… [--faulty FILES…] [--recipe …] [--json]
      Signal mode: single-column recordings of one sensor (a header line is
      skipped). For each normal recording a fresh monitor learns its first S
      seconds (default 2), then monitors the rest of it (false alarms) and every
      faulty recording from its start (detections); prints the share of windows
      flagged and alarmed, and the time to the first alarm. HZ must be the rate the
      files were recorded at (CWRU's normal records are 48 kHz, not 12 kHz).
  --recipe: a name (${names.join(', ')}) or a JSON file with the fields of a Recipe
  (algorithms/anomaly/recipe.ts); missing fields are the monitor's. Default: monitor.`;
}

export class EvalError extends Error {}

async function library() {
  const dist = path.join(PKG, 'dist', 'esm', 'algorithms', 'anomaly');
  if (!fs.existsSync(path.join(dist, 'evaluate.js'))) throw new EvalError('the library build is missing (' + dist + '): run `npm run build` in the microlearn checkout');
  const evaluate = await import(pathToFileURL(path.join(dist, 'evaluate.js')).href);
  const recipe = await import(pathToFileURL(path.join(dist, 'recipe.js')).href);
  return { ...evaluate, ...recipe };
}

/** --name value, --flag, --multi v1 v2 … (values until the next --option). */
function parse(argv) {
  const o = { files: [], normal: [], faulty: [] };
  const multi = { normal: true, faulty: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--signal') o.signal = true;
    else if (a === '--json') o.json = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (multi[name]) {
        if (eq > 0) o[name].push(a.slice(eq + 1));
        while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) o[name].push(argv[++i]);
        if (o[name].length === 0) throw new EvalError('--' + name + ' needs at least one file');
      } else if (['learn', 'label', 'sep', 'drop', 'recipe', 'rate', 'learn-seconds'].indexOf(name) >= 0) {
        if (eq > 0) o[name] = a.slice(eq + 1);
        else {
          if (i + 1 >= argv.length) throw new EvalError('option --' + name + ' needs a value');
          o[name] = argv[++i];
        }
      } else throw new EvalError('unknown option ' + a);
    } else o.files.push(a);
  }
  return o;
}

function readText(file) {
  let b;
  try {
    b = fs.readFileSync(file);
  } catch (e) {
    throw new EvalError('cannot read ' + file + ': ' + (e.code || e.message));
  }
  if (b[0] === 0x1f && b[1] === 0x8b) b = zlib.gunzipSync(b);
  return b.toString('utf8');
}

function number(v, name, lo, hi) {
  const x = Number(v);
  if (v === undefined || v === '' || !(x >= lo && x <= hi)) throw new EvalError('--' + name + ' must be a number in ' + lo + '..' + hi + ', got ' + v);
  return x;
}

function loadRecipe(lib, spec) {
  if (spec === undefined) return lib.MONITOR_RECIPE;
  if (lib.RECIPES[spec]) return lib.RECIPES[spec];
  if (spec.endsWith('.json') || fs.existsSync(spec)) {
    let r;
    try {
      r = JSON.parse(readText(spec));
    } catch (e) {
      throw new EvalError('recipe ' + spec + ': ' + (e instanceof EvalError ? e.message : 'not valid JSON: ' + e.message));
    }
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new EvalError('recipe ' + spec + ': expected a JSON object');
    if (r.name === undefined) r.name = path.basename(spec, '.json');
    return r;
  }
  throw new EvalError('unknown recipe "' + spec + '": use one of ' + Object.keys(lib.RECIPES).join(', ') + ' or a .json file');
}

const pct = (v) => (v !== v ? '—' : (100 * v).toFixed(1) + ' %');
const f3 = (v) => (v !== v ? '—' : v.toFixed(3));
const secs = (v) => (v !== v ? 'none' : v.toFixed(3) + ' s');

function columns(rows) {
  const w = rows[0].map((_, j) => Math.max(...rows.map((r) => String(r[j]).length)));
  return rows.map((r) => r.map((c, j) => (j === 0 ? String(c).padEnd(w[j]) : String(c).padStart(w[j]))).join('  ')).join('\n');
}

/** The recipe as it applies in this mode (signal mode: with the signal front end's own options). */
function describe(lib, r, signal) {
  const c = lib.completeRecipe(r);
  const s = c.signal || {};
  const options = signal ? { ...c.options, ...(s.options || {}) } : c.options;
  const alarm = signal && s.alarm ? s.alarm : c.alarm;
  const cal = signal && s.calibrateLast !== undefined ? s.calibrateLast : c.calibrateLast;
  const front = signal
    ? 'features ' + (s.features || []).join(', ') + (s.nBands ? ' + ' + s.nBands + ' bands' : '') + (s.bands ? ' + ' + s.bands.length + ' given bands' : '') + (s.envelope ? ' + ' + s.envelope.bands.length + ' envelope bands' : '')
    : (c.rows.window > 1 ? (c.rows.features || ['mean']).join('+') + ' of ' + c.rows.window + ' rows' : 'raw rows');
  return 'recipe ' + c.name + ': ' + front + ' → ' + c.detector + ' ' + JSON.stringify(options) + (c.scaler !== 'none' ? ', ' + c.scaler + ' scaler' : '') +
    (cal < 1 ? ', threshold from the last ' + Math.round(cal * 100) + ' % of learning' : '') + ', alarm ' + alarm.k + ' of ' + alarm.n;
}

function rowsMode(lib, o, recipe, out) {
  if (o.files.length === 0) throw new EvalError('no FILES given\n' + usage(Object.keys(lib.RECIPES)));
  const learn = o.learn === undefined ? 400 : number(o.learn, 'learn', 1, 1e9);
  const label = o.label === undefined ? 'anomaly' : o.label;
  const sep = o.sep === undefined ? ',' : o.sep === '\\t' ? '\t' : o.sep;
  const drop = o.drop === undefined ? [] : o.drop.split(',').map((s) => s.trim()).filter((s) => s);
  const files = [];
  let pooled = { tp: 0, fp: 0, fn: 0, tn: 0 };
  let state = 0;
  let cols = null;
  for (const f of o.files) {
    const t = lib.parseTable(f, readText(f), { sep, label, drop });
    if (cols !== null && t.columns.join(',') !== cols.join(',')) throw new EvalError(f + ': its feature columns (' + t.columns.join(', ') + ') differ from the first file\'s (' + cols.join(', ') + ')');
    cols = t.columns;
    const r = lib.evaluateRows(recipe, t, Math.floor(learn));
    pooled = lib.addCounts(pooled, r.counts);
    state = r.stateBytes;
    files.push({ file: f, hasLabel: t.hasLabel, scored: r.scored, anomalous: r.counts.tp + r.counts.fn, ...r.counts, ...lib.rates(r.counts) });
  }
  const p = lib.rates(pooled);
  const result = { mode: 'rows', recipe: lib.completeRecipe(recipe), learn, columns: cols, stateBytes: state, files, pooled: { ...pooled, ...p } };
  if (o.json) return out(JSON.stringify(result, null, 2));
  out(describe(lib, recipe, false));
  out('features: ' + cols.join(', ') + '; learned: the first ' + learn + ' rows of each file; state: ' + state + ' bytes');
  const table = [['file', 'scored', 'anomalous', 'F1', 'FAR', 'MAR']];
  for (const f of files) table.push([f.file + (f.hasLabel ? '' : ' (no ' + label + ' column: all normal)'), f.scored, f.anomalous, f3(f.f1), pct(f.far), pct(f.mar)]);
  table.push(['pooled (' + files.length + ' files)', files.reduce((a, f) => a + f.scored, 0), pooled.tp + pooled.fn, f3(p.f1), pct(p.far), pct(p.mar)]);
  out(columns(table));
}

function readSignal(file) {
  const lines = readText(file).split(/\r?\n/);
  const v = [];
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i].trim();
    if (s === '') continue;
    const x = Number(s.split(/[,;\t ]/)[0]);
    if (x !== x) {
      if (v.length === 0 && i === 0) continue; // header
      throw new EvalError(file + ': line ' + (i + 1) + ' is not a number: ' + JSON.stringify(lines[i].slice(0, 40)));
    }
    if (!(Math.abs(x) < 32768)) throw new EvalError(file + ': line ' + (i + 1) + ': ' + x + ' is outside ±32768 (Q16.16)');
    v.push(Math.floor(x * 65536 + 0.5));
  }
  if (v.length === 0) throw new EvalError(file + ': no samples');
  return { name: file, samples: Int32Array.from(v) };
}

function signalMode(lib, o, recipe, out) {
  if (o.files.length > 0) throw new EvalError('signal mode takes its files after --normal and --faulty, not ' + o.files[0]);
  if (o.normal.length === 0) throw new EvalError('signal mode needs --normal FILES…');
  const rate = number(o.rate, 'rate', 1, 1000000);
  if (Math.floor(rate) !== rate) throw new EvalError('--rate must be an integer number of Hz');
  const learn = o['learn-seconds'] === undefined ? 2 : number(o['learn-seconds'], 'learn-seconds', 0.001, 1e6);
  const normal = o.normal.map(readSignal);
  const faulty = o.faulty.map(readSignal);
  const { results, stateBytes } = lib.evaluateSignals(recipe, rate, learn, normal, faulty);
  const result = { mode: 'signal', recipe: lib.completeRecipe(recipe), rate, learnSeconds: learn, stateBytes, results };
  if (o.json) return out(JSON.stringify(result, null, 2));
  out(describe(lib, recipe, true));
  const c = lib.completeRecipe(recipe).signal;
  out('window ' + c.windowSize + ' samples (' + ((1000 * c.windowSize) / rate).toFixed(1) + ' ms at ' + rate + ' Hz), a verdict every ' + (c.hop || c.windowSize) + ' samples; learned: the first ' + learn + ' s of each normal recording; state: ' + stateBytes + ' bytes');
  const table = [['recording', 'learned on', 'kind', 'seconds', 'windows', 'flagged', 'alarmed', 'first alarm']];
  for (const r of results)
    table.push([r.name, r.machine === r.name ? '(itself)' : r.machine, r.kind === 'normal' ? 'normal (rest)' : 'faulty', r.seconds.toFixed(2), r.windows, pct(r.flagged / r.windows), pct(r.alarmed / r.windows), secs(r.firstAlarm)]);
  out(columns(table));
  out('normal: flagged/alarmed windows are false alarms; faulty: they are detections.');
}

/** Runs the subcommand; `out` prints a line. Returns the exit code. */
export async function run(argv, out = console.log) {
  const o = parse(argv);
  const lib = await library();
  if (o.help) {
    out(usage(Object.keys(lib.RECIPES)));
    return 0;
  }
  const recipe = loadRecipe(lib, o.recipe);
  try {
    if (o.signal) signalMode(lib, o, recipe, out);
    else {
      if (o.normal.length || o.faulty.length || o.rate !== undefined) throw new EvalError('--normal, --faulty and --rate need --signal');
      rowsMode(lib, o, recipe, out);
    }
  } catch (e) {
    if (e && e.name === 'MicrolearnError') throw new EvalError(e.message);
    throw e;
  }
  return 0;
}
