/**
 * Code blocks of the Markdown docs, for test/docs.test.ts and
 * test/package.test.ts. The fence's info string says what a block is and how
 * it is checked (docs/README convention, see test/docs.test.ts):
 *
 *   ts              a complete TypeScript program using 'microlearn': compiled
 *                   strict and run on Node
 *   ts no-run       compiled strict, not run (it waits on hardware, a timer…)
 *   ts moddable     a Moddable app module (js moddable: likewise in JavaScript):
 *                   built by `npm run test:moddable`, which walks docs/moddable.md
 *   file=NAME       (any kind) the file a walk-through writes the block to
 *   js espruino     an Espruino program: parsed as ES5 and passed through the
 *                   Espruino gate (targets/espruino/gate.mjs)
 *   json            parsed with JSON.parse
 *   sh, text, c, python, or no info string: not checked
 */
import { readFileSync } from 'node:fs';

export interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  flags: string[];
  code: string;
}

/** Every fenced block of a Markdown file, in order. */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const words = open[3].trim().split(/\s+/).filter((w) => w.length > 0);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp('^\\s*' + open[2] + '\\s*$').test(lines[j])) body.push(lines[j++].slice(indent));
    out.push({ file, line: i + 1, lang: words[0] || '', flags: words.slice(1), code: body.join('\n') + '\n' });
    i = j;
  }
  return out;
}
