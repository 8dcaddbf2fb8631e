/**
 * Entry of dist/espruino/conformance.min.js: the conformance suite as a plain
 * script printing through the engine's print(). Set the global
 * MICROLEARN_ONLY to a case-name prefix first to run only those cases (a slow
 * board can take hours for the whole suite); the host runs the same filter.
 */
import { runConformance } from '../../test/conformance/suite.js';

declare const print: (s: string) => void;
declare const MICROLEARN_ONLY: string | undefined;

runConformance(
  function (s: string) {
    print(s);
  },
  typeof MICROLEARN_ONLY === 'string' ? MICROLEARN_ONLY : undefined,
);
