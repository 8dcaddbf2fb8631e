/**
 * brain.js' NeuralNetwork (sigmoid), trained one sample at a time with
 * trainPattern({ input, output }), its per-sample step. Only
 * brain.js/dist/neural-network.js: the package's index pulls in gpu.js.
 * Its default momentum (0.1) stays: brain.js rejects 0.
 */
import nn from 'brain.js/dist/neural-network.js';
import { LEARNING_RATE } from '../rows.js';

export function setup(row, data) {
  const NeuralNetwork = nn.default || nn;
  const net = new NeuralNetwork({ hiddenLayers: [row.hidden], activation: 'sigmoid', learningRate: LEARNING_RATE });
  net.sizes = [row.d, row.hidden, 1];
  net.initialize();
  const X = data.loop.X;
  const P = data.loop.X.map(function (x, k) { return { input: x, output: [data.loop.Y[k]] }; });
  return {
    learn: function (x, y) { net.trainPattern({ input: x, output: [y] }); },
    ops: {
      learnOne: function (k) { net.trainPattern(P[k]); },
      predictOne: function (k) { net.run(X[k]); },
    },
    touch: function (k) { X[k]; P[k]; },
    value: function (k) { return net.run(X[k])[0]; },
  };
}
