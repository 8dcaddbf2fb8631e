#!/usr/bin/env node
// Builds mlxs, our command-line host for the Moddable XS engine, from the XS
// sources that ship inside the @agoric/xsnap npm package. Only gcc and files
// already in node_modules are used: nothing is downloaded.
//
//   node targets/xs/build.mjs            -> build/xs/mlxs
//   node targets/xs/build.mjs --native   -> build/xs/mlxs-native, which also links
//        native/microlearn_kernels.c and native/xs/xs_microlearn.c (override with
//        --source FILE ... and add include dirs with --include DIR ...)
//   node targets/xs/build.mjs --instrument -> build/xs/mlxs-instrument (with --native:
//        mlxs-native-instrument): the engine built with XS's -DmxInstrument, whose
//        floating-point counter scripts read with the floatOps() global. For the
//        double-op counts of bench/peers only: the counter costs time, so tests and
//        timings use the default binaries.
//
//   import { buildXS } from './build.mjs'; await buildXS({ native: true });
//
// Objects are cached under build/xs/obj/. Each object's name carries a hash of
// its compiler, flags, source and the headers it can see, and each binary has a
// stamp holding the hash of its objects and link flags, so an unchanged tree
// rebuilds nothing and any change rebuilds exactly what it affects.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '../..');
export const BUILD_DIR = path.join(REPO_ROOT, 'build', 'xs');
const HOST_DIR = path.join(HERE, 'host');
const OBJ_DIR = path.join(BUILD_DIR, 'obj');

export const DEFAULT_NATIVE_SOURCES = ['native/microlearn_kernels.c', 'native/xs/xs_microlearn.c'];
export const DEFAULT_NATIVE_INCLUDES = ['native', 'native/xs'];

// Engine configuration, shared by every translation unit (they must agree on
// struct layouts). Compare Moddable's makefiles/lin/xst.mk and xsnap.mk.
const XS_DEFINES = [
  '-DINCLUDE_XSPLATFORM', // xs.h/xsPlatform.h take platform details from...
  '-DXSPLATFORM="mlxs_platform.h"', // ...our header instead of lin_xs.h (which needs glib)
  '-DmxParse=1', // include the parser: we run .js source, not precompiled archives
  '-DmxRun=1', // include the runtime halves of BigInt and RegExp
  '-DmxSloppy=1', // as in xst/xsnap (no effect in this XS version)
  '-DmxMetering=1', // count work for meter(); the host sets interval 1
  '-DmxBoundsCheck=1', // check the JS stack; without it deep recursion corrupts memory
  '-DmxMinusZero=1', // integer fast paths honour -0 (0 * -1 === -0)
  '-DmxRegExpUnicodePropertyEscapes=1', // /\p{...}/u
  '-DmxStringNormalize=1', // String.prototype.normalize
];
const OPT_FLAGS = ['-O2', '-fno-common'];
const LIBS = ['-lm', '-ldl', '-lpthread'];
// Our own C must compile cleanly with these; XS's sources get none.
const WARN_FLAGS = ['-Wall', '-Wextra', '-Wno-unused-parameter'];
// Not needed by this host: heap snapshots (mxSnapshot), SES lockdown/harden
// (mxLockdown) and the profiler (mxProfile; empty without it).
const XS_SKIP = new Set(['xsSnapshot.c', 'xsLockdown.c', 'xsProfile.c']);

const CC = process.env.CC || 'gcc';

// Find @agoric/xsnap's copy of Moddable XS. Its package.json has no "exports"
// map today, so package.json resolves; if a future version adds one that hides
// it, fall back to the package's main entry, then to the node_modules search path.
export function findXSDir() {
  const require = createRequire(import.meta.url);
  const candidates = [];
  try {
    candidates.push(path.dirname(require.resolve('@agoric/xsnap/package.json')));
  } catch {
    try {
      let dir = path.dirname(require.resolve('@agoric/xsnap'));
      while (dir !== path.dirname(dir) && !fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
      candidates.push(dir);
    } catch {
      /* not resolvable at all: try the search path below */
    }
  }
  for (const dir of require.resolve.paths('@agoric/xsnap') || []) candidates.push(path.join(dir, '@agoric', 'xsnap'));
  for (const pkg of candidates) {
    const xs = path.join(pkg, 'moddable', 'xs');
    if (fs.existsSync(path.join(xs, 'sources', 'xsAll.h'))) return xs;
  }
  throw new Error('cannot find the Moddable XS sources: is the @agoric/xsnap dev dependency installed (npm install)?');
}

export function binaryPath({ native = false, instrument = false } = {}) {
  return path.join(BUILD_DIR, (native ? 'mlxs-native' : 'mlxs') + (instrument ? '-instrument' : ''));
}

const sha = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

// Hash of every header in the given include dirs (non-recursive). Coarser than
// gcc's dependency lists but cheap and never misses a header.
function headerHash(dirs) {
  const h = createHash('sha256');
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.h')).sort()) {
      h.update(path.join(dir, name)).update('\0').update(fs.readFileSync(path.join(dir, name)));
    }
  }
  return h.digest('hex');
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('error', (error) => resolve({ code: -1, output: `${cmd}: ${error.message}` }));
    child.on('close', (code) => resolve({ code, output: Buffer.concat(out).toString() }));
  });
}

// Run tasks (functions returning promises) with at most `limit` in flight;
// stop starting new ones after the first failure.
async function pool(tasks, limit) {
  let next = 0;
  let failure = null;
  const worker = async () => {
    while (!failure && next < tasks.length) {
      const task = tasks[next++];
      try {
        await task();
      } catch (error) {
        failure = failure || error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failure) throw failure;
}

let ccIdentity = null;
async function compilerIdentity() {
  if (!ccIdentity) {
    const { code, output } = await run(CC, ['--version']);
    if (code !== 0) throw new Error(`cannot run the C compiler "${CC}": ${output.trim()}`);
    ccIdentity = output.split('\n')[0];
  }
  return ccIdentity;
}

// Write through a temporary name so that an interrupted or concurrent build
// never leaves a truncated file under the final name.
const tmpName = (file) => `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Build build/xs/mlxs (or mlxs-native). Resolves to { binary, built, seconds }
 * where built says whether anything had to be compiled or linked; rejects with
 * gcc's messages when a compilation fails.
 */
export async function buildXS({ native = false, instrument = false, sources, includes, quiet = false } = {}) {
  const started = Date.now();
  const xsDir = findXSDir();
  const xsIncludes = ['includes', 'platforms', 'sources'].map((d) => path.join(xsDir, d));
  const compiler = await compilerIdentity();

  // Compile groups: the engine (shared by both binaries), then the host and,
  // for mlxs-native, the kernel files with -DMLXS_NATIVE.
  const groups = [];
  const xsSources = fs
    .readdirSync(path.join(xsDir, 'sources'))
    .filter((n) => n.endsWith('.c') && !XS_SKIP.has(n))
    .sort()
    .map((n) => path.join(xsDir, 'sources', n));
  const xsIncludeDirs = [...xsIncludes, HOST_DIR];
  // -DmxInstrument changes struct layouts (txMachine), so every unit of an
  // instrumented binary gets it, and its engine objects live apart.
  const variantDefines = instrument ? ['-DmxInstrument=1'] : [];
  groups.push({ dir: instrument ? 'xs-instrument' : 'xs', files: xsSources, includeDirs: xsIncludeDirs, flags: variantDefines });

  const variant = path.basename(binaryPath({ native, instrument }));
  const hostFiles = [path.join(HOST_DIR, 'mlxs.c')];
  let hostIncludeDirs = xsIncludeDirs;
  let hostFlags = [...WARN_FLAGS, ...variantDefines];
  if (native) {
    const extra = (sources || DEFAULT_NATIVE_SOURCES).map((f) => path.resolve(REPO_ROOT, f));
    const missing = extra.filter((f) => !fs.existsSync(f));
    if (missing.length) {
      throw new Error(
        `mlxs-native needs ${missing.map((f) => path.relative(REPO_ROOT, f)).join(' and ')}, ` +
          'which must define mlxs_register_natives(xsMachine*); build without --native for the plain host.',
      );
    }
    hostFiles.push(...extra);
    hostIncludeDirs = [...(includes || DEFAULT_NATIVE_INCLUDES).map((d) => path.resolve(REPO_ROOT, d)), ...xsIncludeDirs];
    hostFlags = [...hostFlags, '-DMLXS_NATIVE'];
  }
  groups.push({ dir: variant, files: hostFiles, includeDirs: hostIncludeDirs, flags: hostFlags });

  // Decide which objects are missing.
  const objects = [];
  const jobs = [];
  for (const group of groups) {
    const args = [...OPT_FLAGS, ...XS_DEFINES, ...group.flags, ...group.includeDirs.map((d) => `-I${d}`)];
    const headers = headerHash(group.includeDirs);
    const dir = path.join(OBJ_DIR, group.dir);
    fs.mkdirSync(dir, { recursive: true });
    const wanted = new Set();
    for (const src of group.files) {
      const key = sha(compiler, args.join(' '), src, fs.readFileSync(src), headers).slice(0, 16);
      const obj = path.join(dir, `${path.basename(src, '.c')}-${key}.o`);
      wanted.add(path.basename(obj));
      objects.push(obj);
      if (!fs.existsSync(obj)) jobs.push({ src, obj, args, size: fs.statSync(src).size });
    }
    // Drop objects this build does not use (older versions, removed sources).
    for (const name of fs.readdirSync(dir)) {
      if (/-[0-9a-f]{16}\.o$/.test(name) && !wanted.has(name)) fs.rmSync(path.join(dir, name), { force: true });
    }
  }

  const binary = binaryPath({ native, instrument });
  const stampFile = `${binary}.stamp`;
  const linkArgs = [...objects, ...LIBS];
  const stamp = sha(compiler, linkArgs.join(' '));
  const upToDate =
    jobs.length === 0 && fs.existsSync(binary) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp;
  if (upToDate) return { binary, built: false, seconds: (Date.now() - started) / 1000 };

  // Biggest sources first, so the long compilations do not end up last.
  jobs.sort((a, b) => b.size - a.size);
  const say = quiet ? () => {} : (line) => console.log(line);
  say(`building XS host from @agoric/xsnap's Moddable XS sources… (${variant}, ${jobs.length} file${jobs.length === 1 ? '' : 's'} to compile)`);
  await pool(
    jobs.map(({ src, obj, args }) => async () => {
      const tmp = tmpName(obj);
      const { code, output } = await run(CC, [...args, '-c', src, '-o', tmp]);
      if (code !== 0) {
        fs.rmSync(tmp, { force: true });
        throw new Error(`${CC} failed on ${path.relative(REPO_ROOT, src)}:\n${output}`);
      }
      if (output) process.stderr.write(output); // warnings (our code builds with -Wall -Wextra)
      fs.renameSync(tmp, obj);
    }),
    Math.max(1, os.cpus().length),
  );
  const tmp = tmpName(binary);
  const { code, output } = await run(CC, ['-o', tmp, ...linkArgs]);
  if (code !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`${CC} failed to link ${path.relative(REPO_ROOT, binary)}:\n${output}`);
  }
  fs.renameSync(tmp, binary);
  fs.writeFileSync(stampFile, stamp);
  const seconds = (Date.now() - started) / 1000;
  say(`built ${path.relative(process.cwd(), binary) || binary} in ${seconds.toFixed(1)}s`);
  return { binary, built: true, seconds };
}

// CLI
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const options = { native: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--native') options.native = true;
    else if (arg === '--instrument') options.instrument = true;
    // Paths on the command line are relative to the current directory.
    else if (arg === '--source' && i + 1 < argv.length) (options.sources ||= []).push(path.resolve(argv[++i]));
    else if (arg === '--include' && i + 1 < argv.length) (options.includes ||= []).push(path.resolve(argv[++i]));
    else {
      console.error('usage: node targets/xs/build.mjs [--instrument] [--native [--source FILE.c]... [--include DIR]...]');
      process.exit(2);
    }
  }
  if ((options.sources || options.includes) && !options.native) {
    console.error('build.mjs: --source and --include only apply with --native');
    process.exit(2);
  }
  buildXS(options).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
