/**
 * microlearn: incremental machine learning for microcontrollers.
 *
 * The package's front door for hosts (Node, the browser, tests): every model,
 * the core, the storage adapters of every runtime, and `load`, which knows
 * every model type. Each export is also reachable from its own module
 * (`microlearn/algorithms/linear`, `microlearn/src/load`, …) so that a device
 * bundle carries only what it uses; there, `Class.fromBytes(bytes)` or
 * `loadModel(bytes, [Classes…])` load a model without pulling in the others.
 */
import { ModelClass } from './src/learner.js';
import { loadModel } from './src/load.js';
import { MinMaxScaler, StandardScaler } from './src/preprocessing.js';
import { Pipeline } from './src/pipeline.js';
import { WindowFeatures } from './src/window.js';
import { LinearRegression, LogisticRegression } from './algorithms/linear.js';
import { SoftmaxRegression } from './algorithms/softmax.js';
import { KNNClassifier, KNNRegressor } from './algorithms/knn.js';
import { KMeans } from './algorithms/kmeans.js';
import { GaussianNB } from './algorithms/naive_bayes.js';
import { HoeffdingTreeClassifier } from './algorithms/hoeffding_tree.js';
import { HoeffdingTreeRegressor } from './algorithms/hoeffding_tree_regressor.js';
import { MLP } from './algorithms/mlp.js';
import { Int8Linear, Int8MLP } from './algorithms/int8.js';
import { GaussianScorer } from './algorithms/anomaly/gaussian_scorer.js';
import { KMeansDetector } from './algorithms/anomaly/kmeans_detector.js';
import { HalfSpaceTrees } from './algorithms/anomaly/half_space_trees.js';

export { MicrolearnError } from './src/errors.js';
export type { ErrorCode } from './src/errors.js';
export * as fixed from './src/fixed.js';
export { Q_ONE, Q_MAX, Q_MIN, toQ, fromQ } from './src/fixed.js';
export { Random } from './src/random.js';
export { crc32 } from './src/crc32.js';
export { activeKernels, backend, backendDetail, useKernels, kernelsTS } from './src/kernels.js';
export type { Kernels } from './src/kernels.js';
export { Learner, Supervised, TransformerBase } from './src/learner.js';
export type { Model, ModelClass, Regressor, Classifier, AnomalyDetector, Transformer } from './src/learner.js';
export { ModelType, FORMAT_VERSION } from './src/format.js';
export { loadModel } from './src/load.js';
export { merge, MAX_MERGE } from './src/merge.js';
export type { Mergeable } from './src/merge.js';
export { ModelStore, MemoryStorage, RECORD_OVERHEAD } from './src/storage.js';
export type { StorageAdapter, SlotInfo, ModelStoreOptions } from './src/storage.js';
export { NodeFileStorage } from './targets/node/storage.js';
export type { NodeFs } from './targets/node/storage.js';
export { EspruinoStorage } from './targets/espruino/storage.js';
export type { EspruinoStorageModule } from './targets/espruino/storage.js';
export { PreferenceStorage, KeyValueStorage, FlashStorage } from './targets/moddable/storage.js';
export type { PreferenceModule, KeyValueStore, FlashPartition } from './targets/moddable/storage.js';
export { StandardScaler, MinMaxScaler } from './src/preprocessing.js';
export { Pipeline } from './src/pipeline.js';
export type { Stage, Final } from './src/pipeline.js';
export { WindowFeatures } from './src/window.js';
export type { Band, WindowFeatureName, WindowFeaturesOptions } from './src/window.js';
export { Accuracy, MAE, RMSE, ConfusionMatrix, prequential } from './src/metrics.js';
export type { Metric, Predictive, PrequentialOptions } from './src/metrics.js';
export { LinearRegression, LogisticRegression } from './algorithms/linear.js';
export type { LinearOptions } from './algorithms/linear.js';
export { SoftmaxRegression } from './algorithms/softmax.js';
export type { SoftmaxOptions } from './algorithms/softmax.js';
export { KNNClassifier, KNNRegressor } from './algorithms/knn.js';
export type { KNNOptions } from './algorithms/knn.js';
export { KMeans } from './algorithms/kmeans.js';
export type { Clusterer, KMeansOptions } from './algorithms/kmeans.js';
export { GaussianNB } from './algorithms/naive_bayes.js';
export type { GaussianNBOptions } from './algorithms/naive_bayes.js';
export { HoeffdingTreeClassifier } from './algorithms/hoeffding_tree.js';
export type { HoeffdingTreeOptions } from './algorithms/hoeffding_tree.js';
export { HoeffdingTreeRegressor } from './algorithms/hoeffding_tree_regressor.js';
export { Optimizer } from './algorithms/optim.js';
export type { OptimizerName, OptimizerOptions } from './algorithms/optim.js';
export { MLP, Dense } from './algorithms/mlp.js';
export type { Activation, MLPOptions } from './algorithms/mlp.js';
export { Int8Linear, Int8MLP, toInt8 } from './algorithms/int8.js';
export { Calibrator } from './algorithms/anomaly/calibrator.js';
export type { CalibrationOptions } from './algorithms/anomaly/calibrator.js';
export { Detector } from './algorithms/anomaly/detector.js';
export { GaussianScorer } from './algorithms/anomaly/gaussian_scorer.js';
export type { GaussianScorerOptions } from './algorithms/anomaly/gaussian_scorer.js';
export { KMeansDetector } from './algorithms/anomaly/kmeans_detector.js';
export type { KMeansDetectorOptions } from './algorithms/anomaly/kmeans_detector.js';
export { HalfSpaceTrees } from './algorithms/anomaly/half_space_trees.js';
export type { HalfSpaceTreesOptions } from './algorithms/anomaly/half_space_trees.js';
export { AlarmFilter } from './algorithms/anomaly/alarm.js';
export type { AlarmFilterOptions } from './algorithms/anomaly/alarm.js';
export { AnomalyMonitor } from './algorithms/anomaly/monitor.js';
export type { AnomalyMonitorOptions } from './algorithms/anomaly/monitor.js';
export { MONITOR_RECIPE, RECIPES, completeRecipe, rowMonitor, signalMonitor } from './algorithms/anomaly/recipe.js';
export type { Recipe, RowFrontEnd, SignalFrontEnd } from './algorithms/anomaly/recipe.js';
export { evaluateRows, evaluateSignals, parseTable, rates } from './algorithms/anomaly/evaluate.js';
export type { Counts, LabelledRows, Recording, RowResult, SignalResult, TableOptions } from './algorithms/anomaly/evaluate.js';
export { activeSignalKernels, signalBackend, signalKernelsTS } from './src/kernels.js';
export type { SignalKernels } from './src/kernels.js';

/** Every model class, for {@link load}. */
export const MODEL_CLASSES: ReadonlyArray<ModelClass> = [
  LinearRegression, LogisticRegression, StandardScaler, MinMaxScaler, Pipeline, WindowFeatures, SoftmaxRegression,
  KNNClassifier, KNNRegressor, KMeans, GaussianNB, HoeffdingTreeClassifier, HoeffdingTreeRegressor, MLP, Int8Linear, Int8MLP,
  GaussianScorer, KMeansDetector, HalfSpaceTrees,
];

/** Any microlearn model, as `load(bytes)` returns it (narrow it with `instanceof`). */
export type AnyModel =
  | LinearRegression | LogisticRegression | StandardScaler | MinMaxScaler | Pipeline | WindowFeatures | SoftmaxRegression
  | KNNClassifier | KNNRegressor | KMeans | GaussianNB | HoeffdingTreeClassifier | HoeffdingTreeRegressor | MLP | Int8Linear | Int8MLP
  | GaussianScorer | KMeansDetector | HalfSpaceTrees;

/**
 * Reads any model saved with `toBytes()`, of any type (nested ones included).
 * `load(bytes, LogisticRegression)` returns a LogisticRegression (E_TYPE if
 * the blob holds another type); `load(bytes)` returns {@link AnyModel}.
 * Throws only MicrolearnError (E_CORRUPT, E_VERSION, E_TYPE) and never
 * returns a half-built model.
 *
 * @example
 * const again = load(saved, Pipeline);
 * again.predictProbaOne([20.1, 44, 430, 5]);
 */
export function load<T>(bytes: Uint8Array, expected: ModelClass<T>): T;
export function load(bytes: Uint8Array): AnyModel;
export function load<T>(bytes: Uint8Array, expected?: ModelClass<T>): T | AnyModel {
  return loadModel(bytes, MODEL_CLASSES, expected) as T | AnyModel;
}
