/**
 * The Node storage adapter for {@link ModelStore}: one file per key, written
 * to a temporary name, fsync'd and renamed (docs/storage.md).
 */
import { fail } from '../../src/errors.js';
import { StorageAdapter, storageError } from '../../src/storage.js';

/** The part of Node's `fs` that {@link NodeFileStorage} uses. */
export interface NodeFs {
  readFileSync(path: string): Uint8Array;
  openSync(path: string, flags: string): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  mkdirSync(path: string, options: { recursive: boolean }): unknown;
}

function isMissing(e: unknown): boolean {
  return !!e && (e as { code?: string }).code === 'ENOENT';
}

/**
 * One file per key in a directory (Node). A write goes to `key.tmp`, is
 * fsync'd, then renamed over `key` and the directory is fsync'd: readers see
 * the old file or the new one, never a mixture.
 * @example
 * import * as fs from 'node:fs';
 * const store = new ModelStore(new NodeFileStorage('./models', fs));
 */
export class NodeFileStorage implements StorageAdapter {
  readonly maxBytes: number;
  readonly dir: string;
  private readonly fs: NodeFs;

  /** @param fs Node's `fs` module; when omitted it is taken from `process.getBuiltinModule` (Node ≥ 20.16). */
  constructor(dir: string, fs?: NodeFs) {
    if (typeof dir !== 'string' || dir.length === 0) fail('E_OPTION', 'NodeFileStorage needs a directory path');
    let f = fs;
    if (f === undefined) {
      const p = (globalThis as unknown as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
      if (p && typeof p.getBuiltinModule === 'function') f = p.getBuiltinModule('fs') as NodeFs;
    }
    if (!f || typeof f.renameSync !== 'function') fail('E_OPTION', "NodeFileStorage needs Node's fs module: new NodeFileStorage(dir, fs)");
    this.fs = f as NodeFs;
    this.dir = dir;
    this.maxBytes = 0x7fffffff;
    try {
      this.fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw storageError('creating ' + dir, e);
    }
  }

  private path(key: string): string {
    return this.dir + '/' + key;
  }

  read(key: string): Uint8Array | null {
    try {
      const b = this.fs.readFileSync(this.path(key));
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  write(key: string, data: Uint8Array): void {
    const fs = this.fs;
    const tmp = this.path(key) + '.tmp';
    const fd = fs.openSync(tmp, 'w');
    try {
      let done = 0;
      while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.path(key));
    // Make the rename itself durable; not every platform can fsync a directory.
    try {
      const d = fs.openSync(this.dir, 'r');
      try {
        fs.fsyncSync(d);
      } finally {
        fs.closeSync(d);
      }
    } catch (e) {
      // best effort
    }
  }

  remove(key: string): void {
    try {
      this.fs.unlinkSync(this.path(key));
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
  }
}
