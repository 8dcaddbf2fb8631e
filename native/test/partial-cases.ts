/**
 * Conformance case prefixes run by the partial-native check: kernels directly, then learners that use dot, welford, sqdistMany, argmin,
 * and k-means, whose fused kmeansLearn the check removes (its TypeScript twin then runs on the native pieces).
 */
export const PARTIAL_CASES = ['kernels', 'LogisticRegression', 'GaussianNB', 'KNNClassifier', 'KMeans'];
