/**
 * `load(bytes)`: turns any blob from `toBytes()` back into the right model.
 * It knows every model type, so importing it pulls in every model; for the
 * smallest bundle call the one class's `fromBytes` instead.
 */
import { MicrolearnError, fail } from './errors.js';
import { ByteReader, ModelType, openBlob } from './format.js';
import { Model } from './learner.js';
import { MinMaxScaler, StandardScaler } from './preprocessing.js';
import { Pipeline } from './pipeline.js';
import { LinearRegression, LogisticRegression } from '../algorithms/linear.js';
import { WindowFeatures } from './window.js';
import { MLP } from '../algorithms/mlp.js';
import { Int8Linear, Int8MLP } from '../algorithms/int8.js';
import { GaussianScorer, HalfSpaceTrees, KMeansDetector } from '../algorithms/anomaly.js';
import { SoftmaxRegression } from '../algorithms/softmax.js';
import { KNNClassifier, KNNRegressor } from '../algorithms/knn.js';
import { KMeans } from '../algorithms/kmeans.js';
import { GaussianNB } from '../algorithms/naive_bayes.js';
import { HoeffdingTreeClassifier } from '../algorithms/hoeffding_tree.js';

function decodePayload(type: number, r: ByteReader): Model {
  switch (type) {
    case ModelType.LinearRegression:
      return LinearRegression.fromReader(r);
    case ModelType.LogisticRegression:
      return LogisticRegression.fromReader(r);
    case ModelType.StandardScaler:
      return StandardScaler.fromReader(r);
    case ModelType.MinMaxScaler:
      return MinMaxScaler.fromReader(r);
    case ModelType.Pipeline:
      return Pipeline.fromReader(r, load);
    case ModelType.SoftmaxRegression:
      return SoftmaxRegression.fromReader(r);
    case ModelType.KNNClassifier:
      return KNNClassifier.fromReader(r);
    case ModelType.KNNRegressor:
      return KNNRegressor.fromReader(r);
    case ModelType.KMeans:
      return KMeans.fromReader(r);
    case ModelType.GaussianNB:
      return GaussianNB.fromReader(r);
    case ModelType.HoeffdingTreeClassifier:
      return HoeffdingTreeClassifier.fromReader(r);
    case ModelType.WindowFeatures:
      return WindowFeatures.fromReader(r);
    case ModelType.MLP:
      return MLP.fromReader(r);
    case ModelType.Int8Linear:
      return Int8Linear.fromReader(r);
    case ModelType.Int8MLP:
      return Int8MLP.fromReader(r);
    case ModelType.GaussianScorer:
      return GaussianScorer.fromReader(r);
    case ModelType.KMeansDetector:
      return KMeansDetector.fromReader(r);
    case ModelType.HalfSpaceTrees:
      return HalfSpaceTrees.fromReader(r);
  }
  return fail('E_TYPE', 'unknown model type ' + type);
}

/**
 * Reads a model saved with `toBytes()`. Validates magic, version, CRC, every
 * size and every hyper-parameter; throws only MicrolearnError (E_CORRUPT,
 * E_VERSION, E_TYPE or E_SHAPE) and never returns a half-built model.
 * @param expectedType if given, the blob must hold this ModelType (else E_SHAPE).
 */
export function load(bytes: Uint8Array, expectedType?: number): Model {
  try {
    const r = openBlob(bytes, 0, bytes instanceof Uint8Array ? bytes.length : 0);
    const type = bytes[5];
    if (expectedType !== undefined && type !== expectedType) fail('E_SHAPE', 'expected model type ' + expectedType + ', found ' + type);
    const m = decodePayload(type, r);
    r.done();
    return m;
  } catch (e) {
    if (e instanceof MicrolearnError) {
      // Options that fail validation inside a checksummed blob mean the blob is corrupt.
      if (e.code === 'E_OPTION' || e.code === 'E_INPUT' || e.code === 'E_LABEL') throw new MicrolearnError('E_CORRUPT', e.message);
      throw e;
    }
    throw new MicrolearnError('E_CORRUPT', 'model data could not be decoded: ' + String(e && (e as Error).message));
  }
}
