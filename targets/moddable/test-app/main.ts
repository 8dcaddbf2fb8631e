/*
 * Headless Moddable test app (x-cli-lin): runs the conformance suite with the
 * native C kernels, then again with the TypeScript kernels, printing the same
 * lines as Node. targets/moddable/test-moddable.mjs compares them.
 * `microlearn` is imported first so that the native kernels are published
 * before src/kernels.ts loads.
 */
import { backend, useKernels, ModelStore, MemoryStorage, LogisticRegression, Pipeline, Random, StandardScaler, load } from 'microlearn';
import { runConformance } from 'microlearn/test/conformance/suite';

function print(s: string): void {
  trace(s + '\n');
}

/** Chunk bytes / heap slots in use (0 / 1, after a GC), their peaks (2 / 3), bytes per slot (4); see host.c. */
function memory(this: unknown, kind: number): number {
  return native('xs_microlearn_test_memory').call(this, kind);
}

// What one small model costs on the XS heap: a scaler + logistic regression on 8
// features, trained on 500 samples, saved and loaded once (figures for docs/moddable.md).
{
  const slot = memory(4);
  const c0 = memory(0);
  const h0 = memory(1);
  // Everything this app imports (the whole library and the conformance suite), loaded and idle:
  print('moddable memory loaded chunks ' + c0 + ' bytes, slots ' + h0 + ' x ' + slot + ' bytes');
  const model = new Pipeline([new StandardScaler({ nFeatures: 8 }), new LogisticRegression({ nFeatures: 8, learningRate: 0.05 })]);
  const rng = new Random(1);
  const x = new Float64Array(8);
  for (let i = 0; i < 500; i++) {
    for (let j = 0; j < 8; j++) x[j] = rng.nextInt(2000) / 100 - 10;
    model.learnOne(x, x[0] + x[1] > 0 ? 1 : 0);
  }
  const store = new ModelStore(new MemoryStorage());
  store.save('m', model);
  const again = store.load('m', load);
  const chunks = memory(0) - c0;
  const slots = memory(1) - h0;
  print('moddable memory model chunks ' + chunks + ' bytes, slots ' + slots + ' x ' + slot + ' bytes (' + (again ? again.stateBytes : -1) + ' stateBytes, blob ' + model.toBytes().length + ' bytes)');
}

print('moddable kernels ' + backend());
let failed = runConformance(print);
useKernels(null);
print('moddable kernels ' + backend());
failed += runConformance(print);

// The public API through the one `microlearn` import, with a save/load round trip.
const m = new LogisticRegression({ nFeatures: 2, learningRate: 0.1 });
for (let i = 0; i < 100; i++) m.learnOne([i % 7 - 3, i % 5 - 2], i % 7 > 3 ? 1 : 0);
const store = new ModelStore(new MemoryStorage());
store.save('m', m);
const back = store.load('m', load) as LogisticRegression;
print('moddable store ' + (back.toBytes().length === m.toBytes().length ? 'ok' : 'MISMATCH') + ' ' + back.predictOne([3, 0]));
print('moddable done ' + failed + ' failed');
