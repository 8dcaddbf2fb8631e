/**
 * Lesson presets: a data set, a learner with options, and what to notice.
 * docs/playground.md prints the same texts (keep them in step).
 */
import { Options } from './learners.js';

export interface Lesson {
  id: string;
  title: string;
  dataset: string;
  learner: string;
  options: Options;
  noise: number;
  seed: number;
  /** Index into the speed steps of the page. */
  speed: number;
  text: string;
}

export const LESSONS: Lesson[] = [
  {
    id: 'learning-rate',
    title: 'The learning rate',
    dataset: 'line',
    learner: 'LinearRegression',
    options: { optimizer: 'sgd', learningRate: 0.01, l2: 0, decay: 0 },
    noise: 0.5,
    seed: 1,
    speed: 6,
    text:
      'Each sample moves the line by a step proportional to the learning rate and to its error. At 0.01 the line creeps into place: the error is still falling after 1 000 samples. Set it to 1 and the line jumps with every noisy sample and never settles: over the last 100 samples its mean error stays around 0.2, against 0.12 at a rate of 0.1 — quick and steady. Then switch the optimizer to adam (its rate is 0.01 too): each weight moves about 0.01 per sample whatever the error, so after 200 samples the mean error over the last 100 is already 0.13, against 0.26 with sgd at 0.01.',
  },
  {
    id: 'k-nn',
    title: 'k in k-NN',
    dataset: 'moons',
    learner: 'KNNClassifier',
    options: { k: 1, windowSize: 200, policy: 'fifo' },
    noise: 1,
    seed: 1,
    speed: 6,
    text:
      'With k = 1 every noisy sample carves its own island: the regions are ragged and about 82 % of the predictions are right. Raise k to 9 or 15 and the vote smooths the boundary (87 %); at 25 it starts to blur the moons’ tips. The filled dots are the model’s whole memory — nothing else is kept.',
  },
  {
    id: 'window-drift',
    title: 'Memory window vs drift',
    dataset: 'rotating',
    learner: 'KNNClassifier',
    options: { k: 5, windowSize: 400, policy: 'fifo' },
    noise: 0,
    seed: 1,
    speed: 8,
    text:
      'The boundary turns slowly, so yesterday’s samples are today’s mistakes. A window of 400 remembers too much and lags behind the turn (about 80 % right over 4 000 samples); 50 follows it closely (93 %) with fewer samples to vote. Switch the policy to reservoir: it keeps a sample of the whole history, so it never catches up (54 %).',
  },
  {
    id: 'tree-waits',
    title: 'Why the tree waits before it splits',
    dataset: 'blobs',
    learner: 'HoeffdingTreeClassifier',
    options: { gracePeriod: 50, delta: 1e-7, tieThreshold: 0.05, maxDepth: 6, maxNodes: 31, leafPrediction: 'mc' },
    noise: 0.3,
    seed: 1,
    speed: 6,
    text:
      'A leaf sees each sample once and cannot go back, so it splits only when the Hoeffding bound says the best split beats the runner-up with probability 1 − δ. Here the x and y splits look equally good, so the root waits some 500 samples (10 grace periods) while the accuracy sits at one in three; then two lines appear and it jumps to 100 %. Make δ larger (0.1) and it splits at the 100th sample, on less evidence; Max nodes fixes the memory however long it learns.',
  },
  {
    id: 'sine',
    title: 'A network fitting the sine',
    dataset: 'sine',
    learner: 'MLP',
    options: { hidden: '16, 16', activation: 'tanh', optimizer: 'adam', learningRate: 0.005, decay: 0 },
    noise: 0.2,
    seed: 1,
    speed: 10,
    text:
      'The TinyML "hello world": two layers of 16 tanh units, trained with Adam, learn y = sin(x) from one noisy sample at a time. From its random start the curve finds the hump within some 400 samples, the trough only by 1 500; after 20 000 samples its mean error over the last 100 is about 0.07, against 0.05 for the noise alone. The orange dashed curve is the same network in float64: it stays on top of ours. Switch the optimizer to sgd (its rate becomes 0.05): it gets there more slowly, 0.13 at 4 000 samples against 0.09.',
  },
  {
    id: 'same-thing',
    title: 'Integer arithmetic learns the same thing',
    dataset: 'blobs',
    learner: 'SoftmaxRegression',
    options: { optimizer: 'sgd', learningRate: 0.1, l2: 0, decay: 0 },
    noise: 0.3,
    seed: 1,
    speed: 6,
    text:
      'Our model computes only with 32-bit integers (Q16.16: 16 bits before the binary point, 16 after), the float64 twin with doubles. The disagreement map is almost always empty: the two draw the same regions. The parameter table shows each learned number as the integer the microcontroller stores.',
  },
  {
    id: 'xor',
    title: 'XOR needs a hidden layer',
    dataset: 'xor',
    learner: 'LogisticRegression',
    options: { optimizer: 'sgd', learningRate: 0.1, l2: 0, decay: 0 },
    noise: 0.1,
    seed: 1,
    speed: 6,
    text:
      'A logistic regression draws one straight line, and no line separates XOR’s quadrants: it stays near 50 %. Switch the learner to MLP (one hidden layer of 16 units): the regions bend around the quadrants and after 2 000 samples it is right more than 90 % of the time. k-NN solves it at once (above 90 % after 500 samples). The tree judges one cut at a time, and no single cut through the middle helps: it cuts thin slices off the edge instead and stays near 50 %.',
  },
  {
    id: 'anomaly',
    title: 'An anomaly threshold that calibrates itself',
    dataset: 'moving',
    learner: 'KMeansDetector',
    options: { k: 4, decay: 0.02, margin: 1, quantile: 0.95, warmup: 16 },
    noise: 0.2,
    seed: 1,
    speed: 7,
    text:
      'The detector never sees a label: it learns what normal looks like, and its threshold is a quantile of the scores of what it learned (red = above it). The red crosses are injected anomalies. With decay the centroids follow the moving cluster (a balanced accuracy of about 76 % after 4 000 samples); set decay to 0 and they stay where the cluster was (62 %).',
  },
  {
    id: 'room',
    title: 'A room learns when it is occupied',
    dataset: 'room',
    learner: 'LogisticRegression',
    options: { optimizer: 'sgd', learningRate: 0.05, l2: 0, decay: 0 },
    noise: 0.2,
    seed: 1,
    speed: 9,
    text:
      'One reading a minute — temperature, light, motion — goes through a StandardScaler into a logistic regression, exactly as on a device. Light gives it away in the evening, motion during the day; the heating lags behind. Export the model: the same bytes load on an Espruino or an ESP32.',
  },
];
