/**
 * The conformance suite: every case of every family, in a fixed order.
 * Add a family by writing cases-<family>.ts and concatenating it here.
 */
import { backend } from '../../src/kernels.js';
import { Case, runCases } from './harness.js';
import { coreCases } from './cases-core.js';
import { learnerCases } from './cases-learners.js';
import { suite1Cases } from './cases-suite1.js';
import { suite2Cases } from './cases-suite2.js';
import { optimCases } from './cases-optim.js';
import { treeCases } from './cases-trees.js';
import { rawCases } from './cases-raw.js';
import { mergeCases } from './cases-merge.js';
import { fleetCases } from './cases-fleet.js';

export const allCases: Case[] = ([] as Case[]).concat(coreCases, learnerCases, suite1Cases, suite2Cases, optimCases, treeCases, rawCases, mergeCases, fleetCases);

/** Prints `backend …`, one line per case, then `done N cases, F failed`. Returns the failure count. */
export function runConformance(print: (s: string) => void, only?: string): number {
  print('backend ' + backend());
  let cases = allCases;
  if (only) cases = cases.filter((c) => c.name.indexOf(only) === 0);
  const failed = runCases(cases, print);
  print('done ' + cases.length + ' cases, ' + failed + ' failed');
  return failed;
}
