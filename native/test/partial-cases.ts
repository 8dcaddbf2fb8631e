/**
 * Conformance case prefixes run by the partial-native check: kernels directly, then learners that use dot, welford, sqdistMany, argmin,
 * then k-means, linear regression and the MLP, whose fused kmeansLearn, kmeansNearest, sgdLinearReal, denseForward and denseBackward
 * the check removes (their TypeScript twins then run on the native pieces).
 */
export const PARTIAL_CASES = ['kernels', 'LogisticRegression', 'GaussianNB', 'KNNClassifier', 'KMeans', 'LinearRegression', 'MLP'];
