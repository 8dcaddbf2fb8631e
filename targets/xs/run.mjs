// Run JavaScript files in the mlxs XS host, for tests and benchmarks.
//
//   import { runXS } from '../targets/xs/run.mjs';
//   const { code, stdout, stderr, meter } = await runXS(['bundle.js', 'test.js'], { meter: true });
//
// The binary is (re)built on first use in each process when missing or stale;
// later calls reuse it without checking again.

import { spawn } from 'node:child_process';
import { buildXS } from './build.mjs';

const builds = new Map(); // variant -> Promise of buildXS() result

/**
 * Builds the XS host if it is missing or stale (once per process and variant).
 * @param {boolean} [native] the variant with the C kernels
 * @returns {Promise<{ binary: string, built: boolean, seconds: number }>}
 *   built: whether this call compiled it; seconds: time spent checking/building
 */
export function ensureXS(native = false) {
  return ensureBuilt(native);
}

function ensureBuilt(native) {
  if (!builds.has(native)) {
    const build = buildXS({ native });
    // Let a later call retry after a failed build (e.g. native files not written yet).
    build.catch(() => builds.delete(native));
    builds.set(native, build);
  }
  return builds.get(native);
}

/**
 * @param {string[]} files scripts to evaluate in order, in one XS machine
 * @param {{ native?: boolean, meter?: boolean, timeoutMs?: number, onStdout?: (text: string) => void }} [options]
 *   native: use build/xs/mlxs-native (with the C kernels) instead of build/xs/mlxs
 *   meter: ask for the final metering count (returned as `meter`, and removed from stderr)
 *   timeoutMs: kill the process after this long (then code is null and timedOut true)
 *   onStdout: called with each piece of stdout as the engine prints it (stdout is
 *     still returned whole at exit)
 * @returns {Promise<{ code: number|null, signal: string|null, timedOut: boolean,
 *   stdout: string, stderr: string, meter?: number }>}
 *   code 0: success; 1: uncaught exception, unhandled rejection or engine abort
 *   (message on stderr); 2: bad arguments.
 */
export async function runXS(files, { native = false, meter = false, timeoutMs, onStdout } = {}) {
  const { binary } = await ensureBuilt(native);
  const args = [...(meter ? ['--meter'] : []), '--', ...files];
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, timeoutMs)
        : null;
    child.stdout.on('data', (d) => {
      out.push(d);
      if (onStdout) onStdout(d.toString());
    });
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const result = { code, signal, timedOut, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
      if (meter) {
        // mlxs prints the count as the last line of stderr.
        const match = /(?:^|\n)meter: (\d+)\n$/.exec(result.stderr);
        if (match) {
          result.meter = Number(match[1]);
          result.stderr = result.stderr.slice(0, match.index + (match[0][0] === '\n' ? 1 : 0));
        }
      }
      resolve(result);
    });
  });
}
