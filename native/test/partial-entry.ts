/**
 * Bundle entry for the partial-native check (test/native.test.ts): run after
 * a prelude that removes some of the host's native kernels, it prints which
 * implementation each kernel uses and runs a few conformance cases, whose
 * hashes must still equal Node's.
 */
import { backendDetail } from '../../src/kernels.js';
import { runConformance } from '../../test/conformance/suite.js';
import { PARTIAL_CASES } from './partial-cases.js';

declare const print: (s: string) => void;

print('detail ' + JSON.stringify(backendDetail()));
for (const prefix of PARTIAL_CASES) runConformance(print, prefix);
