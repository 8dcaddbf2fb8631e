/** Conformance case prefixes run by the partial-native check: kernels directly, then learners that use dot, welford, sqdistMany, argmin. */
export const PARTIAL_CASES = ['kernels', 'LogisticRegression', 'GaussianNB', 'KNNClassifier'];
