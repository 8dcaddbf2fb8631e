/**
 * A longer run of the model-format fuzzer of test/fuzz.test.ts (test/fuzz.ts),
 * written into docs/benchmarks.md (section fuzz): blobs per model type,
 * accepted, rejected by code, and the largest allocation of a load beyond
 * 2 × its blob. Run: npm run bench -- fuzz   (FUZZ_PER_TYPE to change the count)
 */
import { MODEL_CLASSES } from '../index.js';
import { fuzz } from '../test/fuzz.js';
import { machine, table, writeSection } from './report.js';

const perType = Number(process.env.FUZZ_PER_TYPE || 60000);
const r = fuzz(perType, 50000, 777);
const rows: (string | number)[][] = [];
for (const c of MODEL_CLASSES) {
  const s = r.byType[c.modelType];
  const rej = s.rejected;
  rows.push([(c as unknown as { name: string }).name, s.blobs, s.accepted, rej.E_CORRUPT || 0, rej.E_VERSION || 0, rej.E_TYPE || 0, s.maxAlloc, s.maxExcess]);
}
const t = r.total;
const md = 'Measured ' + new Date().toISOString().slice(0, 10) + ' on ' + machine() + ': ' + t.blobs + ' blobs (' + perType + ' mutations per model type, their length and CRC ' +
  'recomputed, nested blobs mutated too, 1 in 20 decoded as another type, 1 in 40 with another format version; plus 50,000 random and truncated blobs) in ' +
  (r.ms / 1000).toFixed(0) + ' s. Every accepted model was exercised (predict, predictProba, score, transform and the Q16.16 paths at three input scales, ' +
  'learn, save, reload). Foreign exceptions: ' + r.foreign + '; broken round trips: ' + r.brokenRoundTrips + '; loads beyond 2 × blob + allowance: ' + r.overBound +
  '; accepted models that re-save to other bytes: ' + t.reencoded + '. "beyond 2×" is the largest (allocated bytes − 2 × blob length) of one load (negative: within 2×).\n\n' +
  table(['model type', 'blobs', 'accepted', 'E_CORRUPT', 'E_VERSION', 'E_TYPE', 'max allocation (bytes)', 'beyond 2× (bytes)'], rows);
console.log(md);
for (const f of r.failures) console.log('FAILURE ' + f);
writeSection('fuzz', md);
if (r.foreign || r.brokenRoundTrips || r.overBound) process.exit(1);
