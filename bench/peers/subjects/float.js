/**
 * The floor: a hand-written float64 loop of each update, the least code that
 * does the same job (plain Array input, Float64Array state, no checks). What
 * an engine's doubles cost when nothing else is done.
 */
import { LEARNING_RATE } from '../rows.js';

export class FloatLogistic {
  constructor(d, lr) {
    this.d = d;
    this.lr = lr;
    this.w = new Float64Array(d);
    this.b = 0;
  }
  z(x) {
    let s = this.b;
    for (let j = 0; j < this.d; j++) s += this.w[j] * x[j];
    return s;
  }
  learnOne(x, y) {
    const g = this.lr * (y - 1 / (1 + Math.exp(-this.z(x))));
    for (let j = 0; j < this.d; j++) this.w[j] += g * x[j];
    this.b += g;
  }
  predictOne(x) {
    return this.z(x) >= 0 ? 1 : 0;
  }
}

export class FloatLinear {
  constructor(d, lr) {
    this.d = d;
    this.lr = lr;
    this.w = new Float64Array(d);
    this.b = 0;
  }
  predictOne(x) {
    let s = this.b;
    for (let j = 0; j < this.d; j++) s += this.w[j] * x[j];
    return s;
  }
  learnOne(x, y) {
    const g = this.lr * (y - this.predictOne(x));
    for (let j = 0; j < this.d; j++) this.w[j] += g * x[j];
    this.b += g;
  }
}

/** Online k-means: the first k samples seed the centroids, then running means. */
export class FloatKMeans {
  constructor(d, k) {
    this.d = d;
    this.k = k;
    this.c = new Float64Array(d * k);
    this.n = new Float64Array(k);
    this.filled = 0;
  }
  predictOne(x) {
    let best = 0;
    let bestD = Infinity;
    for (let i = 0; i < this.filled; i++) {
      let s = 0;
      for (let j = 0, o = i * this.d; j < this.d; j++) {
        const t = x[j] - this.c[o + j];
        s += t * t;
      }
      if (s < bestD) {
        bestD = s;
        best = i;
      }
    }
    return best;
  }
  learnOne(x) {
    const i = this.filled < this.k ? this.filled++ : this.predictOne(x);
    const n = ++this.n[i];
    for (let j = 0, o = i * this.d; j < this.d; j++) this.c[o + j] += (x[j] - this.c[o + j]) / n;
  }
}

/** d-h-1 perceptron, sigmoid hidden layer, linear output, squared loss, plain SGD. */
export class FloatMLP {
  constructor(d, h, lr, random) {
    this.d = d;
    this.h = h;
    this.lr = lr;
    this.w1 = new Float64Array(d * h);
    this.b1 = new Float64Array(h);
    this.w2 = new Float64Array(h);
    this.b2 = 0;
    this.a = new Float64Array(h);
    const s = 1 / Math.sqrt(d);
    for (let i = 0; i < d * h; i++) this.w1[i] = (random() * 2 - 1) * s;
    for (let i = 0; i < h; i++) this.w2[i] = (random() * 2 - 1) / Math.sqrt(h);
  }
  predictOne(x) {
    let out = this.b2;
    for (let i = 0; i < this.h; i++) {
      let s = this.b1[i];
      for (let j = 0, o = i * this.d; j < this.d; j++) s += this.w1[o + j] * x[j];
      const a = 1 / (1 + Math.exp(-s));
      this.a[i] = a;
      out += this.w2[i] * a;
    }
    return out;
  }
  learnOne(x, y) {
    const e = this.lr * (y - this.predictOne(x));
    for (let i = 0; i < this.h; i++) {
      const a = this.a[i];
      const g = e * this.w2[i] * a * (1 - a);
      this.w2[i] += e * a;
      this.b1[i] += g;
      for (let j = 0, o = i * this.d; j < this.d; j++) this.w1[o + j] += g * x[j];
    }
    this.b2 += e;
  }
}

/** k-NN classifier over a FIFO window: all distances, the k nearest by insertion, majority vote. */
export class FloatKNN {
  constructor(d, window, k, classes) {
    this.d = d;
    this.size = window;
    this.k = k;
    this.data = new Float64Array(window * d);
    this.ys = new Int32Array(window);
    this.filled = 0;
    this.pos = 0;
    this.nd = new Float64Array(k);
    this.ni = new Int32Array(k);
    this.votes = new Int32Array(classes);
  }
  learnOne(x, y) {
    for (let j = 0, o = this.pos * this.d; j < this.d; j++) this.data[o + j] = x[j];
    this.ys[this.pos] = y;
    if (++this.pos === this.size) this.pos = 0;
    if (this.filled < this.size) this.filled++;
  }
  predictOne(x) {
    let found = 0;
    for (let r = 0; r < this.filled; r++) {
      let s = 0;
      for (let j = 0, o = r * this.d; j < this.d; j++) {
        const t = x[j] - this.data[o + j];
        s += t * t;
      }
      if (found < this.k || s < this.nd[found - 1]) {
        let p = found < this.k ? found++ : found - 1;
        while (p > 0 && this.nd[p - 1] > s) {
          this.nd[p] = this.nd[p - 1];
          this.ni[p] = this.ni[p - 1];
          p--;
        }
        this.nd[p] = s;
        this.ni[p] = r;
      }
    }
    this.votes.fill(0);
    for (let i = 0; i < found; i++) this.votes[this.ys[this.ni[i]]]++;
    let best = 0;
    for (let c = 1; c < this.votes.length; c++) if (this.votes[c] > this.votes[best]) best = c;
    return best;
  }
}

export function setup(row, data) {
  let m;
  if (row.task === 'binary') m = new FloatLogistic(row.d, LEARNING_RATE);
  else if (row.task === 'regression') m = new FloatLinear(row.d, LEARNING_RATE);
  else if (row.task === 'cluster') m = new FloatKMeans(row.d, row.centers);
  else if (row.task === 'mlp') m = new FloatMLP(row.d, row.hidden, LEARNING_RATE, Math.random);
  else m = new FloatKNN(row.d, row.window, row.k, row.centers);
  const X = data.loop.X;
  const Y = data.loop.Y;
  return {
    learn: function (x, y) { m.learnOne(x, y); },
    ops: {
      learnOne: function (k) { m.learnOne(X[k], Y[k]); },
      predictOne: function (k) { m.predictOne(X[k]); },
    },
    touch: function (k) { X[k]; Y[k]; },
    value: function (k) { return m.predictOne(X[k]); },
  };
}
