/**
 * The user's own model of the warm-start benchmark (scripts/bench-warm-start.ts), written as a
 * user of the package would write it: metatune loads and encodes the data (its public API, from
 * the package entry), the model is the user's — a one-hidden-layer network in plain TypeScript
 * trained by mini-batch SGD with momentum or Adam, no TensorFlow.js (a tfjs network costs
 * milliseconds of per-op overhead a batch, too slow for the ~2,000 trainings of the rotation on
 * two CPU cores; the README's own-model example is the tfjs one). Its parameters are defined by
 * the objective as it runs (`trial.suggest*`, define-by-run), one of them conditional.
 *
 * The objective is deterministic: the network's initial weights and batch order come from a fixed
 * seed, so a configuration scores the same in a cold and a warm study (and the benchmark may
 * remember a score instead of training the same configuration again).
 */
import { balancedAccuracy, fitEncoder, loadDataset, stratifiedHoldout, type Trial } from '../src/index.ts';

/** One task of the family: its encoded training and validation rows. */
export interface PreparedTask {
  readonly name: string;
  readonly file: string;
  readonly nClasses: number;
  readonly nCols: number;
  readonly train: { readonly X: Float32Array; readonly y: Int32Array };
  readonly valid: { readonly X: Float32Array; readonly y: Int32Array };
}

/** Training rows are capped (a stratified sample) so the largest task costs what a mid-sized one does. */
const MAX_TRAIN_ROWS = 300;

/**
 * Loads a classification dataset and encodes a stratified 2/3 : 1/3 split of it (the encoder fitted
 * on the training rows only).
 * @param file - an ARFF or CSV file
 * @param name - the task's name
 */
export async function prepareTask(file: string, name: string): Promise<PreparedTask> {
  const dataset = await loadDataset(file);
  const split = stratifiedHoldout(dataset.target, { testFraction: 1 / 3, seed: 0 });
  const trainRows = split.train.length <= MAX_TRAIN_ROWS ? split.train : stratifiedHoldout(dataset.target, { rows: split.train, testFraction: MAX_TRAIN_ROWS / split.train.length, seed: 1 }).test;
  const encoder = fitEncoder(dataset, trainRows);
  const encode = (rows: Int32Array) => ({ X: encoder.transform(dataset, rows).X, y: classIndices(encoder.encodeTarget(dataset, rows)) });
  return { name, file, nClasses: encoder.classes.length, nCols: encoder.nCols, train: encode(trainRows), valid: encode(split.test) };
}

/** The network's hyperparameters. */
export interface MlpParams {
  readonly optimizer: 'adam' | 'sgd';
  readonly lr: number;
  readonly momentum: number;
  readonly hidden: number;
  readonly activation: 'relu' | 'tanh';
  readonly l2: number;
  readonly epochs: number;
  readonly batchSize: number;
}

/** What the objective returns: balanced accuracy, or the negated mean log loss (both maximised). */
export type Metric = 'balanced-accuracy' | 'log-loss';

/**
 * The user's define-by-run objective: the parameters it asks for are the space.
 * @param task - the task
 * @param memory - scores by parameters, to train a configuration once (the benchmark's; a user needs none)
 * @param metric - balanced accuracy (default) or −log loss on the validation rows; NaN (diverged) fails the trial
 * @returns the score (maximise)
 */
export function mlpObjective(task: PreparedTask, memory?: Map<string, number>, metric: Metric = 'balanced-accuracy'): (trial: Trial) => number {
  return (trial) => {
    const optimizer = trial.suggestCategorical('optimizer', ['adam', 'sgd'] as const);
    const params: MlpParams = {
      optimizer,
      lr: trial.suggestFloat('lr', 1e-4, 1, { log: true }),
      momentum: optimizer === 'sgd' ? trial.suggestFloat('momentum', 0, 0.99) : 0,
      hidden: trial.suggestInt('hidden', 2, 64, { log: true }),
      activation: trial.suggestCategorical('activation', ['relu', 'tanh'] as const),
      l2: trial.suggestFloat('l2', 1e-6, 0.1, { log: true }),
      epochs: trial.suggestInt('epochs', 1, 20),
      batchSize: trial.suggestCategorical('batchSize', [8, 32, 128]),
    };
    const key = JSON.stringify(params);
    const known = memory?.get(key);
    if (known !== undefined) return known;
    const { predicted, logLoss } = trainAndPredict(task, params);
    const score = metric === 'log-loss' ? -logLoss : balancedAccuracy(task.valid.y, predicted);
    memory?.set(key, score);
    return score;
  };
}

/** mulberry32: the user's seeded generator. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A weight tensor with its optimiser state. */
class Param {
  readonly g: Float64Array;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  constructor(readonly w: Float64Array) {
    this.g = new Float64Array(w.length);
    this.m = new Float64Array(w.length);
    this.v = new Float64Array(w.length);
  }
  step(p: MlpParams, t: number, decay: boolean): void {
    const { w, g, m, v } = this;
    for (let i = 0; i < w.length; i++) {
      const grad = g[i] + (decay ? p.l2 * w[i] : 0);
      if (p.optimizer === 'adam') {
        m[i] = 0.9 * m[i] + 0.1 * grad;
        v[i] = 0.999 * v[i] + 0.001 * grad * grad;
        w[i] -= (p.lr * (m[i] / (1 - 0.9 ** t))) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8);
      } else {
        m[i] = p.momentum * m[i] + grad;
        w[i] -= p.lr * m[i];
      }
      g[i] = 0;
    }
  }
}

/**
 * Trains the network on the task's training rows and predicts its validation rows. Diverged
 * weights (non-finite) predict class 0.
 * @returns the predicted class of each validation row, and the mean log loss of the validation rows
 */
export function trainAndPredict(task: PreparedTask, p: MlpParams): { predicted: Int32Array; logLoss: number } {
  const { nCols: d, nClasses: k } = task;
  const h = p.hidden;
  const rand = generator(12345);
  const init = (n: number, fanIn: number) => Float64Array.from({ length: n }, () => (rand() * 2 - 1) * Math.sqrt(6 / fanIn));
  const W1 = new Param(init(d * h, d));
  const b1 = new Param(new Float64Array(h));
  const W2 = new Param(init(h * k, h));
  const b2 = new Param(new Float64Array(k));
  const act = p.activation === 'relu' ? (x: number) => (x > 0 ? x : 0) : Math.tanh;
  const dAct = p.activation === 'relu' ? (a: number) => (a > 0 ? 1 : 0) : (a: number) => 1 - a * a;
  const hid = new Float64Array(h);
  const out = new Float64Array(k);
  const dHid = new Float64Array(h);
  const forward = (X: Float32Array, r: number): void => {
    for (let j = 0; j < h; j++) {
      let s = b1.w[j];
      for (let i = 0; i < d; i++) s += X[r * d + i] * W1.w[i * h + j];
      hid[j] = act(s);
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let s = b2.w[c];
      for (let j = 0; j < h; j++) s += hid[j] * W2.w[j * k + c];
      out[c] = s;
      if (s > max) max = s;
    }
    let z = 0;
    for (let c = 0; c < k; c++) z += (out[c] = Math.exp(out[c] - max));
    for (let c = 0; c < k; c++) out[c] /= z;
  };
  const { X, y } = task.train;
  const n = y.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let t = 0;
  for (let epoch = 0; epoch < p.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < n; start += p.batchSize) {
      const end = Math.min(n, start + p.batchSize);
      const scale = 1 / (end - start);
      for (let b = start; b < end; b++) {
        const r = order[b];
        forward(X, r);
        dHid.fill(0);
        for (let c = 0; c < k; c++) {
          const dOut = (out[c] - (y[r] === c ? 1 : 0)) * scale;
          b2.g[c] += dOut;
          for (let j = 0; j < h; j++) {
            W2.g[j * k + c] += hid[j] * dOut;
            dHid[j] += W2.w[j * k + c] * dOut;
          }
        }
        for (let j = 0; j < h; j++) {
          const dz = dHid[j] * dAct(hid[j]);
          if (dz === 0) continue;
          b1.g[j] += dz;
          for (let i = 0; i < d; i++) W1.g[i * h + j] += X[r * d + i] * dz;
        }
      }
      t++;
      W1.step(p, t, true);
      b1.step(p, t, false);
      W2.step(p, t, true);
      b2.step(p, t, false);
    }
  }
  const valid = task.valid;
  const predicted = new Int32Array(valid.y.length);
  let loss = 0;
  for (let r = 0; r < predicted.length; r++) {
    forward(valid.X, r);
    let best = 0;
    for (let c = 1; c < k; c++) if (out[c] > out[best]) best = c;
    predicted[r] = best;
    loss -= Math.log(Math.min(1, Math.max(1e-15, out[valid.y[r]])));
  }
  return { predicted, logLoss: loss / predicted.length };
}

function classIndices(target: Int32Array | Float32Array): Int32Array {
  if (!(target instanceof Int32Array)) throw new Error('a classification task was expected');
  return target;
}
