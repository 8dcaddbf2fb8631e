/**
 * The loader core: turns a blob from `toBytes()` back into a model of one of
 * the classes the caller names. It knows no model itself, so a device bundle
 * carries only the classes it loads. `Class.fromBytes(bytes)` and the
 * package's all-types `load(bytes)` (index.ts) are both built on it.
 */
import { MicrolearnError, fail } from './errors.js';
import { ByteReader, openBlob } from './format.js';

/**
 * A model class as the loaders see it: the type id it writes and its decoder.
 * Every class in microlearn is one.
 */
export interface ModelClass<T = unknown> {
  /** The ModelType id (src/format.ts) this class writes. */
  readonly modelType: number;
  /**
   * @internal Decodes a payload. `classes` are the classes nested models may
   * have (a Pipeline's steps); `load` passes the list it was given.
   */
  fromReader(r: ByteReader, classes: ReadonlyArray<ModelClass>): T;
}

/**
 * Reads a model saved with `toBytes()`. Validates magic, version, CRC, every
 * size and every hyper-parameter; throws only MicrolearnError (E_CORRUPT,
 * E_VERSION, E_TYPE) and never returns a half-built model.
 * @param classes the classes the blob (and any model nested in it) may hold
 * @param expected if given, the blob must hold this class (else E_TYPE)
 */
export function loadModel<T>(bytes: Uint8Array, classes: ReadonlyArray<ModelClass>, expected?: ModelClass<T>): T {
  try {
    const r = openBlob(bytes, 0, bytes instanceof Uint8Array ? bytes.length : 0);
    const type = bytes[5];
    if (expected !== undefined && expected.modelType !== type)
      fail('E_TYPE', 'expected a model of type ' + expected.modelType + ' (' + className(expected) + '), found type ' + type);
    let cls: ModelClass | undefined;
    for (let i = 0; i < classes.length; i++) if (classes[i].modelType === type) cls = classes[i];
    if (cls === undefined) return fail('E_TYPE', 'model type ' + type + ' is not among the classes this loader knows');
    const m = cls.fromReader(r, classes);
    r.done();
    return m as T;
  } catch (e) {
    if (e instanceof MicrolearnError) {
      // Options that fail validation inside a checksummed blob mean the blob is corrupt.
      if (e.code === 'E_OPTION' || e.code === 'E_INPUT' || e.code === 'E_LABEL' || e.code === 'E_RANGE') throw new MicrolearnError('E_CORRUPT', e.message);
      throw e;
    }
    throw new MicrolearnError('E_CORRUPT', 'model data could not be decoded: ' + String(e && (e as Error).message));
  }
}

function className(c: ModelClass): string {
  const n = (c as unknown as { name?: unknown }).name;
  return typeof n === 'string' ? n : 'model';
}
