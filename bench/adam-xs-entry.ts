/**
 * The default sine network (Adam, tanh) for the XS host: trains 2,000 noisy
 * samples and prints the time, the clean-grid MAE and the hash of the model,
 * which must equal Node's (bench/learners.ts runs it with TS and native kernels).
 */
import { backend } from '../src/kernels.js';
import { MLP } from '../algorithms/mlp.js';
import { Hasher } from '../test/conformance/harness.js';
import { detSin, sineGrid, sineStream } from '../test/conformance/cases-suite2.js';

declare const print: (s: string) => void;

/** Trains the default network on n samples of stream 99; returns the MAE and fills the hash. */
export function adamSine(n: number, h: Hasher): number {
  const m = new MLP({ nFeatures: 1, hidden: [16, 16] });
  const next = sineStream(99);
  const xy = new Float64Array(2);
  const x = new Float64Array(1);
  for (let i = 0; i < n; i++) {
    next(xy);
    x[0] = xy[0];
    m.learnOne(x, xy[1]);
  }
  let mae = 0;
  for (let i = 0; i < 200; i++) {
    x[0] = sineGrid(i, 200);
    const e = m.predictOne(x) - detSin(x[0]);
    mae += e < 0 ? -e : e;
  }
  h.bytes(m.toBytes());
  return mae / 200;
}

if (typeof print === 'function') {
  const h = new Hasher();
  const t = Date.now();
  const mae = adamSine(2000, h);
  print('adam backend=' + backend() + ' ms=' + (Date.now() - t) + ' mae=' + mae + ' model=' + h.hex());
}
