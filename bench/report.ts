/**
 * Writes one named section of docs/benchmarks.md (or of another doc that
 * shows the same table, such as docs/vibration-monitor.md), leaving the
 * others alone, so every benchmark can refresh its own table:
 *   <!-- BEGIN name --> … <!-- END name -->
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (build/bench/report.js → ../..). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOC = join(ROOT, 'docs', 'benchmarks.md');

/** Writes the section `name` of docs/benchmarks.md and of each of `alsoIn` (file names in docs/; the section must exist there). */
export function writeSection(name: string, markdown: string, alsoIn: string[] = []): void {
  for (const f of alsoIn) replaceSection(join(ROOT, 'docs', f), name, markdown, false);
  replaceSection(DOC, name, markdown, true);
}

export function replaceSection(file: string, name: string, markdown: string, create: boolean): void {
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nEvery table below is written by a script in `bench/` from a run on the machine named in it. Re-run with `npm run bench`.\n';
  const begin = '<!-- BEGIN ' + name + ' -->';
  const end = '<!-- END ' + name + ' -->';
  const block = begin + '\n' + markdown.trim() + '\n' + end;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) doc = doc.slice(0, i) + block + doc.slice(j + end.length);
  else if (!create) throw new Error(file + ' has no section ' + name + ' to replace');
  else doc = doc.trimEnd() + '\n\n' + block + '\n';
  writeFileSync(file, doc);
}

/** Directory of the shared datasets, or null (benchmarks then skip with a message). */
export function sharedData(): string | null {
  const d = join(ROOT, '..', 'shared', 'data');
  return existsSync(d) ? d : null;
}

/** Markdown table from a header and rows. */
export function table(header: string[], rows: (string | number)[][]): string {
  const lines = ['| ' + header.join(' | ') + ' |', '|' + header.map(() => '---').join('|') + '|'];
  for (const r of rows) lines.push('| ' + r.join(' | ') + ' |');
  return lines.join('\n');
}

/** One-line description of this machine for table captions. */
export function machine(): string {
  return process.platform + ' ' + process.arch + ', node ' + process.version;
}
