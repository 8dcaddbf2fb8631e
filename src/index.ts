/**
 * microlearn: incremental machine learning for microcontrollers.
 * Every export is also reachable from its own module for tree-shaking.
 */
export { MicrolearnError } from './errors.js';
export type { ErrorCode } from './errors.js';
export * as fixed from './fixed.js';
export { Q_ONE, Q_MAX, Q_MIN, toQ, fromQ } from './fixed.js';
export { Random } from './random.js';
export { crc32 } from './crc32.js';
export { K as kernels, backend, backendDetail, useKernels, kernelsTS } from './kernels.js';
export type { Kernels } from './kernels.js';
export type { Model, Regressor, Classifier, AnomalyDetector, Transformer } from './learner.js';
export { ModelType, FORMAT_VERSION } from './format.js';
export { load } from './load.js';
export { ModelStore, MemoryStorage, NodeFileStorage, EspruinoStorage, PreferenceStorage, KeyValueStorage, FlashStorage, RECORD_OVERHEAD } from './storage.js';
export type { StorageAdapter, SlotInfo, ModelStoreOptions } from './storage.js';
export { StandardScaler, MinMaxScaler } from './preprocessing.js';
export { Pipeline } from './pipeline.js';
export { Accuracy, MAE, RMSE, ConfusionMatrix, prequential } from './metrics.js';
export type { Metric } from './metrics.js';
export { LinearRegression, LogisticRegression } from '../algorithms/linear.js';
export { SoftmaxRegression } from '../algorithms/softmax.js';
export { KNNClassifier, KNNRegressor } from '../algorithms/knn.js';
export { KMeans } from '../algorithms/kmeans.js';
export type { Clusterer } from '../algorithms/kmeans.js';
export { GaussianNB } from '../algorithms/naive_bayes.js';
export { HoeffdingTreeClassifier } from '../algorithms/hoeffding_tree.js';
export { WindowFeatures } from './window.js';
export { MLP, Dense } from '../algorithms/mlp.js';
export { Int8Linear, Int8MLP } from '../algorithms/int8.js';
export { GaussianScorer, KMeansDetector, HalfSpaceTrees, Calibrator } from '../algorithms/anomaly.js';
