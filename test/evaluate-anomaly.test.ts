/**
 * `microlearn evaluate-anomaly`, run as a user runs it (node bin/microlearn.mjs
 * on the package build): rows mode on generated labelled CSVs (figures equal
 * to the library's own evaluation, JSON output, a file without labels, a
 * recipe from a JSON file, clear errors), signal mode on simulated
 * recordings, and, when ../shared/data is there, SKAB valve1 files and the
 * CWRU recordings.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import seedrandom from 'seedrandom';
import { MONITOR_RECIPE, RECIPES } from '../algorithms/anomaly/recipe.js';
import { evaluateRows, parseTable, rates } from '../algorithms/anomaly/evaluate.js';
import { Machine } from '../examples/vibration-monitor/sim.js';
import { ROOT } from './util.js';

const CLI = join(ROOT, 'bin', 'microlearn.mjs');

function cli(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'evaluate-anomaly', ...args], { encoding: 'utf8', timeout: 300000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function normal(rng: () => number): number {
  let s = 0;
  for (let i = 0; i < 12; i++) s += rng();
  return s - 6;
}

/** A SKAB-like file: `datetime;a;b;c;anomaly;changepoint`, anomalous rows [from, to) shifted in column b. */
function table(seed: string, rows: number, from: number, to: number, withLabel = true): string {
  const rng = seedrandom(seed);
  let s = 'datetime;a;b;c' + (withLabel ? ';anomaly;changepoint' : '') + '\n';
  for (let i = 0; i < rows; i++) {
    const bad = i >= from && i < to;
    s += '2020-03-09 10:' + i + ';' + (20 + normal(rng)).toFixed(3) + ';' + (5 + normal(rng) * 0.1 + (bad ? 1 : 0)).toFixed(3) + ';' + (normal(rng) + i / 500).toFixed(3);
    if (withLabel) s += ';' + (bad ? '1.0' : '0.0') + ';' + (i === from ? '1.0' : '0.0');
    s += '\n';
  }
  return s;
}

describe('microlearn evaluate-anomaly', function () {
  this.timeout(300000);
  let dir: string;

  before(function () {
    dir = fs.mkdtempSync(join(os.tmpdir(), 'evalanom-'));
    fs.writeFileSync(join(dir, 'a.csv'), table('a', 1100, 600, 900));
    fs.writeFileSync(join(dir, 'b.csv'), table('b', 1000, 550, 800));
    fs.writeFileSync(join(dir, 'free.csv.gz'), zlib.gzipSync(table('c', 900, 0, 0, false)));
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints per-file and pooled F1, FAR, MAR and the state size, equal to the library\'s evaluation', function () {
    const args = ['--learn', '400', '--label', 'anomaly', '--sep', ';', '--drop', 'datetime,changepoint'];
    const r = cli([...args, join(dir, 'a.csv'), join(dir, 'b.csv'), join(dir, 'free.csv.gz')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^recipe monitor: mean of 32 rows → gaussian/m);
    assert.match(r.out, /features: a, b, c; learned: the first 400 rows of each file; state: \d+ bytes/);
    assert.match(r.out, /free\.csv\.gz \(no anomaly column: all normal\)/);
    const j = cli([...args, '--json', join(dir, 'a.csv'), join(dir, 'b.csv'), join(dir, 'free.csv.gz')]);
    assert.equal(j.code, 0, j.err);
    const res = JSON.parse(j.out);
    const opts = { sep: ';', label: 'anomaly', drop: ['datetime', 'changepoint'] };
    const a = evaluateRows(MONITOR_RECIPE, parseTable('a', fs.readFileSync(join(dir, 'a.csv'), 'utf8'), opts), 400);
    assert.deepEqual({ tp: res.files[0].tp, fp: res.files[0].fp, fn: res.files[0].fn, tn: res.files[0].tn }, a.counts);
    assert.equal(res.files[0].scored, 700);
    assert.equal(res.files[2].anomalous, 0);
    assert.equal(res.stateBytes, a.stateBytes);
    const pooled = res.files.reduce((s: number, f: { tp: number }) => s + f.tp, 0);
    assert.equal(res.pooled.tp, pooled);
    assert.ok(res.pooled.f1 > 0.8, 'the shift is found: F1 ' + res.pooled.f1);
    assert.ok(res.pooled.far < 0.15, 'FAR ' + res.pooled.far);
    // the printed pooled line has the same figures
    const line = r.out.split('\n').find((l) => l.startsWith('pooled (3 files)'))!;
    assert.ok(line.indexOf(res.pooled.f1.toFixed(3)) >= 0 && line.indexOf((100 * res.pooled.far).toFixed(1) + ' %') >= 0, line);
  });

  it('takes a named recipe or a JSON file, the monitor\'s fields filling the gaps', function () {
    const named = cli(['--sep', ';', '--drop', 'datetime,changepoint', '--recipe', 'kmeans-mean16', '--json', join(dir, 'a.csv')]);
    assert.equal(named.code, 0, named.err);
    assert.equal(JSON.parse(named.out).recipe.detector, 'kmeans');
    fs.writeFileSync(join(dir, 'mine.json'), JSON.stringify({ options: { margin: 3 }, rows: { window: 8 } }));
    const mine = cli(['--sep', ';', '--drop', 'datetime,changepoint', '--recipe', join(dir, 'mine.json'), '--json', join(dir, 'a.csv')]);
    assert.equal(mine.code, 0, mine.err);
    const m = JSON.parse(mine.out);
    assert.equal(m.recipe.name, 'mine');
    assert.equal(m.recipe.rows.window, 8);
    assert.deepEqual(m.recipe.alarm, MONITOR_RECIPE.alarm);
    const direct = rates(evaluateRows({ options: { margin: 3 }, rows: { window: 8 } }, parseTable('a', fs.readFileSync(join(dir, 'a.csv'), 'utf8'), { sep: ';', label: 'anomaly', drop: ['datetime', 'changepoint'] }), 400).counts);
    assert.equal(m.pooled.f1, direct.f1);
    assert.ok(Object.keys(RECIPES).every((n) => cli(['--help']).out.indexOf(n) >= 0));
  });

  it('says what is wrong in words, with exit code 1', function () {
    const cases: [string[], RegExp][] = [
      [[join(dir, 'nope.csv')], /cannot read .*nope\.csv: ENOENT/],
      [['--recipe', 'best', join(dir, 'a.csv')], /unknown recipe "best": use one of monitor/],
      [['--sep', ';', join(dir, 'a.csv')], /line 2, column datetime: not a number/],
      [['--sep', ';', '--drop', 'datetime,changepoint', '--learn', '2000', join(dir, 'a.csv')], /1100 rows, but 2000 are to be learned/],
      [['--sep', ';', '--drop', 'datetime,changepoint', join(dir, 'a.csv'), join(dir, 'free.csv.gz')], /no anomaly column|differ from the first file/],
      [['--signal', '--normal', join(dir, 'a.csv')], /--rate must be a number/],
      [['--frobnicate'], /unknown option --frobnicate/],
      [[], /no FILES given/],
    ];
    for (const [args, re] of cases) {
      const r = cli(args);
      if (re.source.indexOf('no anomaly column') >= 0) {
        // free.csv.gz has the same feature columns once the labels are dropped: that one is fine
        assert.equal(r.code, 0, r.err);
        continue;
      }
      assert.equal(r.code, 1, args.join(' ') + ': ' + r.out);
      assert.match(r.err, re, args.join(' '));
      assert.ok(!/\n\s+at /.test(r.err), 'no stack trace: ' + r.err);
    }
  });

  it('signal mode: learns the first seconds of each normal recording, then reports false alarms and detections', function () {
    const write = (name: string, fault: string | null, seed: number) => {
      const m = new Machine({ rate: 3200, seed });
      if (fault) m.setFault(fault as 'outer', 0.3);
      const v: string[] = ['accel_g'];
      for (let i = 0; i < 3200 * 20; i++) v.push(m.next().toFixed(5));
      fs.writeFileSync(join(dir, name), v.join('\n') + '\n');
      return join(dir, name);
    };
    const healthy = write('healthy.csv', null, 1);
    const outer = write('outer.csv', 'outer', 2);
    const inner = write('inner.csv', 'inner', 3);
    const r = cli(['--signal', '--rate', '3200', '--learn-seconds', '10', '--normal', healthy, '--faulty', outer, inner, '--json']);
    assert.equal(r.code, 0, r.err);
    const res = JSON.parse(r.out);
    assert.equal(res.results.length, 3);
    const [rest, o, i] = res.results;
    assert.equal(rest.kind, 'normal');
    assert.ok(rest.alarmed / rest.windows < 0.05, 'false alarms on the rest of the normal recording: ' + rest.alarmed + '/' + rest.windows);
    for (const f of [o, i]) {
      assert.equal(f.kind, 'faulty');
      assert.ok(f.alarmed / f.windows > 0.9, f.name + ' detected in ' + f.alarmed + '/' + f.windows + ' windows');
      assert.ok(f.firstAlarm > 0 && f.firstAlarm < 2, f.name + ' first alarm after ' + f.firstAlarm + ' s');
    }
    const text = cli(['--signal', '--rate', '3200', '--learn-seconds', '10', '--normal', healthy, '--faulty', outer]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /window 1024 samples \(320\.0 ms at 3200 Hz\)/);
    assert.match(text.out, /healthy\.csv\s+\(itself\)\s+normal \(rest\)/);
    const short = cli(['--signal', '--rate', '3200', '--learn-seconds', '30', '--normal', healthy]);
    assert.equal(short.code, 1);
    assert.match(short.err, /shorter than the 30 s to learn/);
  });

  it('on the shared data: SKAB valve1 and the CWRU recordings at 48 kHz', function () {
    const data = join(ROOT, '..', 'shared', 'data');
    if (!fs.existsSync(join(data, 'skab', 'valve1'))) {
      console.log('      skipped: ../shared/data is not here');
      this.skip();
    }
    const skab = cli(['--learn', '400', '--label', 'anomaly', '--sep', ';', '--drop', 'datetime,changepoint', '--json', join(data, 'skab', 'valve1', '1.csv'), join(data, 'skab', 'valve1', '3.csv')]);
    assert.equal(skab.code, 0, skab.err);
    const s = JSON.parse(skab.out);
    assert.equal(s.columns.length, 8);
    assert.ok(s.pooled.f1 > 0.8 && s.pooled.far < 0.15, JSON.stringify(s.pooled));
    const v = join(data, 'vibration');
    const cwru = cli(['--signal', '--rate', '48000', '--learn-seconds', '2', '--json', '--normal', join(v, 'cwru_48k_de_normal_0hp_097.csv.gz'),
      '--faulty', join(v, 'cwru_48k_de_ir007_0hp_109.csv.gz'), join(v, 'cwru_48k_de_b007_0hp_122.csv.gz'), join(v, 'cwru_48k_de_or007at6_0hp_135.csv.gz')]);
    assert.equal(cwru.code, 0, cwru.err);
    const c = JSON.parse(cwru.out);
    assert.ok(c.results[0].alarmed / c.results[0].windows < 0.05, 'false alarms on record 97 after 2 s: ' + c.results[0].alarmed + '/' + c.results[0].windows);
    for (const f of c.results.slice(1)) assert.ok(f.alarmed / f.windows > 0.9, f.name + ': ' + f.alarmed + '/' + f.windows);
  });
});
