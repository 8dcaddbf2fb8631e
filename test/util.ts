/** Helpers shared by the mocha tests. */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { MicrolearnError } from '../src/errors.js';
import { fileURLToPath } from 'node:url';
import { runConformance } from './conformance/suite.js';

/** Repository root (build/test/util.js → ../..). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface XSResult {
  code: number | null;
  stdout: string;
  stderr: string;
  meter?: number;
  timedOut: boolean;
}

/** Runs scripts on the XS host (targets/xs/run.mjs), building it first if needed. */
export async function runXS(files: string[], options?: { native?: boolean; meter?: boolean; timeoutMs?: number }): Promise<XSResult> {
  const path = join(ROOT, 'targets', 'xs', 'run.mjs');
  const mod = (await import(path)) as { runXS: (f: string[], o?: object) => Promise<XSResult> };
  return mod.runXS(files, options);
}

/** The conformance lines as Node prints them (in this process, TS kernels unless told otherwise). */
export function nodeConformance(): string[] {
  const lines: string[] = [];
  runConformance(function (s) {
    lines.push(s);
  });
  return lines;
}

/** Splits engine output into lines, dropping the trailing empty one. */
export function lines(out: string): string[] {
  const l = out.split('\n');
  if (l.length && l[l.length - 1] === '') l.pop();
  return l;
}

/** Asserts that f throws a MicrolearnError with this code. */
export function expectCode(f: () => unknown, code: string): void {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof MicrolearnError, 'not a MicrolearnError: ' + e);
    assert.equal((e as MicrolearnError).code, code, (e as Error).message);
    return;
  }
  assert.fail('expected ' + code);
}
