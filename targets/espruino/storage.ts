/**
 * The Espruino storage adapter for {@link ModelStore}: models in flash
 * `Storage` files, as binary (docs/storage.md).
 */
import { fail } from '../../src/errors.js';
import { StorageAdapter } from '../../src/storage.js';

/** The part of Espruino's `require("Storage")` that {@link EspruinoStorage} uses. */
export interface EspruinoStorageModule {
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  write(name: string, data: Uint8Array): boolean | void;
  erase(name: string): void;
}

/**
 * Espruino's flash `Storage`, written as binary (never JSON: Espruino prints
 * floats with 11 significant digits). `read` returns a view of the flash
 * itself, so loading needs no second copy of the model in RAM.
 * @example
 * const store = new ModelStore(new EspruinoStorage(require("Storage")));
 */
export class EspruinoStorage implements StorageAdapter {
  readonly maxBytes: number;
  private readonly s: EspruinoStorageModule;

  constructor(storage: EspruinoStorageModule, maxBytes?: number) {
    if (!storage || typeof storage.readArrayBuffer !== 'function')
      fail('E_OPTION', 'EspruinoStorage needs the Storage module: new EspruinoStorage(require("Storage"))');
    this.s = storage;
    this.maxBytes = maxBytes === undefined ? 0x7fffffff : maxBytes;
  }

  read(key: string): Uint8Array | null {
    const ab = this.s.readArrayBuffer(key);
    return ab === undefined || ab === null ? null : new Uint8Array(ab);
  }

  write(key: string, data: Uint8Array): void {
    if (this.s.write(key, data) === false) fail('E_STORAGE', 'Storage.write("' + key + '") returned false (flash full?)');
  }

  remove(key: string): void {
    this.s.erase(key);
  }
}
