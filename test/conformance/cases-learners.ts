/**
 * Learner conformance cases: train on seeded synthetic streams, then hash
 * the saved model, its predictions and a load → save round trip.
 * Later algorithm families add their own cases file and list it in suite.ts.
 */
import { MODEL_CLASSES, load } from '../../index.js';
import type { ModelClass } from '../../src/learner.js';
import { MinMaxScaler, StandardScaler } from '../../src/preprocessing.js';
import { Pipeline } from '../../src/pipeline.js';
import { LinearRegression, LogisticRegression } from '../../algorithms/linear.js';
import { Case, Hasher, classStream, regStream } from './harness.js';

/** The part of the protocol the helpers below drive. */
export interface Trainable {
  learnOne(x: ArrayLike<number>, y?: number): void;
  predictOne(x: ArrayLike<number>): number;
  predictProbaOne?(x: ArrayLike<number>): Float64Array;
  scoreOne?(x: ArrayLike<number>): number;
  toBytes(): Uint8Array;
}

/** Checks that load(toBytes()) and the class's own fromBytes give back the same bytes, then hashes them. */
export function hashModel(m: { toBytes(): Uint8Array }, h: Hasher): void {
  const b = m.toBytes();
  // fromBytes is a static inherited from Learner: checks that engines (Espruino's ES5 classes) inherit statics
  const cls = m.constructor as unknown as { fromBytes(b: Uint8Array, c: ReadonlyArray<ModelClass>): Trainable };
  const copies = [(load(b) as unknown as Trainable).toBytes(), cls.fromBytes(b, MODEL_CLASSES).toBytes()];
  for (const again of copies) {
    if (again.length !== b.length) throw new Error('round trip changed the size');
    for (let i = 0; i < b.length; i++) if (again[i] !== b[i]) throw new Error('round trip changed byte ' + i);
  }
  h.bytes(b.subarray(0, b.length - 4)); // the stored CRC adds nothing
}

export { classStream, regStream } from './harness.js';

/** Trains on nTrain samples of `next`, then hashes predictions on nTest more. */
export function supervisedCase(
  name: string,
  make: () => Trainable,
  next: () => (x: Float64Array) => number,
  nFeatures: number,
  nTrain: number,
  nTest: number,
): Case {
  return {
    name: name,
    run(mh: Hasher, ph: Hasher) {
      const m = make();
      const gen = next();
      const x = new Float64Array(nFeatures);
      for (let i = 0; i < nTrain; i++) {
        const y = gen(x);
        m.learnOne(x, y);
      }
      for (let i = 0; i < nTest; i++) {
        gen(x);
        ph.real(m.predictOne(x));
        if (m.predictProbaOne && (m as { nClasses?: number }).nClasses) ph.ints(toInts(m.predictProbaOne(x)));
      }
      hashModel(m, mh);
    },
  };
}

function toInts(p: Float64Array): Int32Array {
  const r = new Int32Array(p.length);
  for (let i = 0; i < p.length; i++) r[i] = Math.floor(p[i] * 65536 + 0.5);
  return r;
}

export const learnerCases: Case[] = [
  supervisedCase('LinearRegression', () => new LinearRegression({ nFeatures: 8, learningRate: 0.02 }), () => regStream(11, 8, 1), 8, 2000, 200),
  supervisedCase(
    'LinearRegression.l2.decay',
    () => new LinearRegression({ nFeatures: 5, learningRate: 0.05, l2: 0.001, decay: 0.01 }),
    () => regStream(12, 5, 3),
    5, 1500, 100,
  ),
  supervisedCase('LogisticRegression', () => new LogisticRegression({ nFeatures: 8, learningRate: 0.05 }), () => classStream(13, 8, 2, 1), 8, 2000, 200),
  supervisedCase(
    'LogisticRegression.l2.tiny-lr',
    () => new LogisticRegression({ nFeatures: 6, learningRate: 0.0005, l2: 0.01 }),
    () => classStream(14, 6, 2, 1),
    6, 1500, 100,
  ),
  supervisedCase(
    'Pipeline.StandardScaler.LogisticRegression',
    () => new Pipeline([new StandardScaler({ nFeatures: 4 }), new LogisticRegression({ nFeatures: 4, learningRate: 0.05 })]),
    () => classStream(15, 4, 2, 400),
    4, 1500, 100,
  ),
  supervisedCase(
    'Pipeline.MinMaxScaler.LinearRegression',
    () => new Pipeline([new MinMaxScaler({ nFeatures: 3 }), new LinearRegression({ nFeatures: 3, learningRate: 0.1 })]),
    () => regStream(16, 3, 1000),
    3, 1500, 100,
  ),
];
