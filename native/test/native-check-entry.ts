/**
 * Bundle entry of the native binding check (see native-check.ts) for engines
 * that run one classic script: the XS host (globalThis.__microlearnNative)
 * and Espruino (the global `Microlearn` object).
 */
import { runNativeCheck } from './native-check.js';

declare const print: (s: string) => void;
declare const Microlearn: { [name: string]: (...args: unknown[]) => unknown } | undefined;

const g = typeof globalThis !== 'undefined' ? (globalThis as unknown as { [k: string]: unknown }) : undefined;
const xs = g ? (g.__microlearnNative as { [name: string]: (...args: unknown[]) => unknown } | undefined) : undefined;
const espruino = typeof Microlearn !== 'undefined' ? Microlearn : undefined;
// Espruino interprets the TypeScript reference about 100× slower than XS: fewer rounds there.
runNativeCheck(xs || espruino, print, xs ? 300 : 40, xs !== undefined);
