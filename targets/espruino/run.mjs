// Runs scripts on a Linux build of Espruino ($ESPRUINO) and on Node, for
// test:espruino and `microlearn test-device`.
//
// Espruino runs `espruino file.js`, then reads the REPL from stdin; with stdin at
// EOF it exits. Storage lives in ./espruino.flash of the working directory, so
// each run gets a directory of its own (runs that share one share their flash,
// like reboots of one board). No network: `--telnet` is never used here.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/** The conformance lines in a script's output (`backend …`, `case …`, `done …`). */
export function conformanceLines(out) {
  return out.split(/\r?\n/).filter((l) => /^(backend|case|done) /.test(l));
}

/** A fresh directory for an Espruino "board" (its flash file lives there). */
export function boardDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'microlearn-espruino-'));
}

/**
 * Runs one script file on the Espruino binary with `cwd` as its board directory.
 * @returns {Promise<{ code: number|null, timedOut: boolean, stdout: string, errors: string[] }>}
 *   errors: Espruino's "Uncaught …" lines (it exits 0 even after one).
 */
export function runEspruino(binary, file, { cwd, timeoutMs = 30 * 60 * 1000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [file], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('latin1');
      const errors = stdout.split(/\r?\n/).filter((l) => /Uncaught|^ERROR|Out of Memory/i.test(l));
      resolve({ code, timedOut, stdout, errors });
    });
  });
}

/** Runs a script in a plain Node vm context with a print() global; returns the printed lines. */
export function runNodeScript(code, filename = 'script.js') {
  const lines = [];
  const context = vm.createContext({ print: (s) => lines.push(String(s)) });
  vm.runInContext(code, context, { filename });
  return lines;
}

/** JS that writes `contents` (a string) to an Espruino Storage file, in chunks to bound RAM use. */
export function storageWriteScript(name, contents) {
  const CHUNK = 4096;
  const parts = [];
  for (let i = 0; i < contents.length; i += CHUNK) {
    const part = JSON.stringify(contents.slice(i, i + CHUNK));
    parts.push('require("Storage").write(' + JSON.stringify(name) + ',' + part + ',' + i + (i === 0 ? ',' + contents.length : '') + ');');
  }
  return parts.join('\n') + '\n';
}
