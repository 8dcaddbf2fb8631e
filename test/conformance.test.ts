/**
 * The conformance suite on every engine we can run here: Node (in process)
 * and the real XS engine (build/xs/mlxs, built from @agoric/xsnap's Moddable
 * sources). Hashes of every trained model and its predictions must match.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, lines, nodeConformance, runXS } from './util.js';

const BUNDLE = join(ROOT, 'build', 'bundles', 'conformance.js');

describe('conformance: Node vs XS', function () {
  let node: string[];

  before(function () {
    node = nodeConformance();
  });

  it('passes every case on Node', function () {
    assert.equal(node[0], 'backend ts');
    const done = node[node.length - 1];
    assert.match(done, /^done \d+ cases, 0 failed$/);
    for (const l of node) assert.ok(l.indexOf(' FAIL ') < 0, l);
  });

  it('gives the same hashes on XS with TypeScript kernels', async function () {
    const t = Date.now();
    const r = await runXS([BUNDLE], { meter: true });
    assert.equal(r.code, 0, r.stderr);
    const xs = lines(r.stdout);
    console.log('      XS (TS kernels), ' + (Date.now() - t) + ' ms, meter ' + r.meter + ':');
    for (let i = 0; i < xs.length; i++) console.log('        ' + xs[i] + (xs[i] === node[i] ? '  == node' : '  != node: ' + node[i]));
    assert.deepEqual(xs, node);
  });
});
