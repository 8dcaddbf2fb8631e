/**
 * The full sine check for engines that run a plain script (XS host): trains
 * the 1-16-16-1 network on 20,000 noisy samples and prints its clean-grid
 * MAE and the hashes of the model and of its grid predictions, to be compared
 * with Node (test/suite2.test.ts).
 */
import { backend } from '../../src/kernels.js';
import { Hasher } from './harness.js';
import { sineRun } from './cases-suite2.js';

declare const print: (s: string) => void;
const mh = new Hasher();
const ph = new Hasher();
const mae = sineRun(20000, 99, mh, ph);
print('sine backend=' + backend() + ' mae=' + mae + ' model=' + mh.hex() + ' pred=' + ph.hex());
