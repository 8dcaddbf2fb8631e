/**
 * The conformance suite on XS with every built-in frozen before the library
 * loads, as the XS linker leaves them for a Moddable app that preloads
 * modules (every ESP32 build does). A write that a frozen built-in refuses
 * (assigning a property a frozen prototype holds, patching a built-in)
 * throws there; here it fails this test instead of a device at start-up.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, lines, nodeConformance, runXS } from './util.js';

const FREEZE = join(ROOT, 'test', 'frozen', 'freeze-builtins.js');
const BUNDLE = join(ROOT, 'build', 'bundles', 'conformance.js');

describe('conformance: XS with frozen built-ins', function () {
  let node: string[];

  before(function () {
    node = nodeConformance();
  });

  for (const native of [false, true]) {
    it('gives Node\'s hashes with ' + (native ? 'native' : 'TypeScript') + ' kernels', async function () {
      const r = await runXS([FREEZE, BUNDLE], { native });
      assert.equal(r.code, 0, r.stderr);
      const xs = lines(r.stdout);
      const frozen = xs.shift() as string;
      assert.match(frozen, /^frozen \d+ built-in objects$/);
      assert.ok(Number(frozen.split(' ')[1]) > 300, frozen);
      assert.equal(xs[0], 'backend ' + (native ? 'native' : 'ts'));
      assert.deepEqual(xs.slice(1), node.slice(1));
      console.log('      ' + frozen + ', ' + (xs.length - 2) + ' cases == node');
    });
  }
});
