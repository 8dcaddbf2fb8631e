/*
 * Headless Moddable test app (x-cli-lin): runs the conformance suite with the
 * native C kernels, then again with the TypeScript kernels, printing the same
 * lines as Node. targets/moddable/test-moddable.mjs compares them.
 * `microlearn` is imported first so that the native kernels are published
 * before src/kernels.ts loads.
 */
import { backend, useKernels, ModelStore, MemoryStorage, LogisticRegression, load } from 'microlearn';
import { runConformance } from 'microlearn/test/conformance/suite';

function print(s: string): void {
  trace(s + '\n');
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
