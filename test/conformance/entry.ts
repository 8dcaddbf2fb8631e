/**
 * Entry point of the conformance bundle for engines that run a plain script
 * (XS host, Espruino): prints through the engine's global `print`.
 */
import { runConformance } from './suite.js';

declare const print: (s: string) => void;
runConformance(function (s: string) {
  print(s);
});
