/**
 * Entry of build/bundles/vibration-run.js (XS host, Moddable) and its ES5
 * twin for Espruino: the deterministic device run of run.ts, printed
 * through the engine's print().
 */
import { backend, signalBackend } from '../../src/kernels.js';
import { runMonitor } from './run.js';

declare const print: (s: string) => void;

print('kernels ' + backend() + ' signal ' + signalBackend());
runMonitor(function (s: string) {
  print(s);
}, 3200);
