/**
 * The lines a student types to load an exported model on a device
 * (docs/playground.md explains them; test/playground-device.test.ts runs
 * the Espruino ones on an Espruino build when $ESPRUINO is set).
 */
import { DatasetInfo } from './datasets.js';
import { Task } from './learners.js';

/** An input the model accepts, to try it with. */
export function sampleInput(d: DatasetInfo): number[] {
  return d.kind === 'room' ? [21.5, 420, 1] : d.kind === 'curve' ? [1.5] : [0.2, -0.4];
}

/** Espruino's REPL lines, then Moddable's module lines, for these bytes. */
export function deviceSnippet(bytes: Uint8Array, d: DatasetInfo, task: Task): string {
  const arr = 'new Uint8Array([' + Array.prototype.join.call(bytes, ',') + '])';
  const x = JSON.stringify(sampleInput(d)).replace(/,/g, ', ');
  const ask = task === 'detect' ? 'scoreOne' : 'predictOne';
  return (
    '// Espruino (after uploading the microlearn module, docs/espruino.md):\n' +
    'var ml = require("microlearn");\n' +
    'var model = ml.load(' + arr + ');\n' +
    'print(model.' + ask + '(' + x + '));\n\n' +
    '// Moddable (main.js or main.ts, docs/moddable.md):\n' +
    'import { load } from "microlearn";\n' +
    'const model = load(' + arr + ');\n' +
    'trace(model.' + ask + '(' + x + ') + "\\n");\n'
  );
}
