/**
 * Bundle entry of the suite I cost measurement for the XS host: prints with
 * the host's `print` and reads its `meter()`.
 */
import { runCosts } from './suite1-cost.js';

declare const print: (s: string) => void;
declare const meter: (() => number) | undefined;

runCosts({
  print: function (s: string) {
    print(s);
  },
  meter: typeof meter === 'function' ? meter : null,
  now: function () {
    return Date.now();
  },
});
