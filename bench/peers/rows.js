/**
 * The rows of the peer comparison (issue 10 §1): one learning problem each,
 * with the operations measured on it. Shared by the orchestrator (run.mjs)
 * and the scripts bundled for the XS host.
 *
 *   task     'binary' | 'regression' | 'cluster' | 'mlp' | 'knn' (see stream.js)
 *   d        features; centers: clusters (k-means) or classes (k-NN)
 *   k        neighbours (k-NN); window: samples the k-NN window keeps
 *   issueOps the operation(s) issue 10's table measures on the row: the native ≤ 0.2×
 *            and the double-op targets apply to them (the TS ≤ 0.8× target to both ops)
 */
export const ROWS = {
  lr8: { label: 'LogisticRegression d=8', task: 'binary', d: 8, seed: 108, issueOps: ['learnOne'] },
  lr64: { label: 'LogisticRegression d=64', task: 'binary', d: 64, seed: 164, issueOps: ['learnOne'] },
  lin8: { label: 'LinearRegression d=8', task: 'regression', d: 8, seed: 208, issueOps: ['learnOne'] },
  km: { label: 'KMeans k=4 d=8', task: 'cluster', d: 8, centers: 4, seed: 308, issueOps: ['learnOne'] },
  mlp: { label: 'MLP 8-16-1', task: 'mlp', d: 8, hidden: 16, seed: 408, issueOps: ['learnOne'] },
  knn: { label: 'KNN window 100, k 5', task: 'knn', d: 8, centers: 3, k: 5, window: 100, seed: 508, issueOps: ['predictOne'] },
};

/** Learning rate of every SGD subject that takes one (the peers' own defaults otherwise). */
export const LEARNING_RATE = 0.05;
