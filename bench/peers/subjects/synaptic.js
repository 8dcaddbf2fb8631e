/** synaptic's Perceptron (sigmoid units), trained one sample at a time: activate, then propagate. */
import synaptic from 'synaptic';
import { LEARNING_RATE } from '../rows.js';

export function setup(row, data) {
  const net = new synaptic.Architect.Perceptron(row.d, row.hidden, 1);
  const X = data.loop.X;
  const T = data.loop.Y.map(function (y) { return [y]; });
  return {
    learn: function (x, y) { net.activate(x); net.propagate(LEARNING_RATE, [y]); },
    ops: {
      learnOne: function (k) { net.activate(X[k]); net.propagate(LEARNING_RATE, T[k]); },
      predictOne: function (k) { net.activate(X[k]); },
    },
    touch: function (k) { X[k]; T[k]; },
    value: function (k) { return net.activate(X[k])[0]; },
  };
}
