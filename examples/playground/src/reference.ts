/**
 * What Node needs to reproduce a page run: the same streams and the same
 * learner construction (the test and the benchmark import this, built to
 * build/playground/reference.mjs).
 */
export { DATASETS, Stream, datasetInfo } from './datasets.js';
export { LEARNERS, complete, defaults, followChange, learnerSpec, parseHidden, taskOf } from './learners.js';
export { Session, Score } from './session.js';
export { LESSONS } from './lessons.js';
export { deviceSnippet, sampleInput } from './device.js';
