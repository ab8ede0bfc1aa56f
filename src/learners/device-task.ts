/**
 * A training task uploaded once to the active backend, with its loss: softmax cross-entropy for
 * classification, mean squared error for regression. All tensors are freed by {@link dispose}.
 */
import { tf } from '../backend/tf.ts';
import type { TrainTask, TrainingData } from './types.ts';

/** Keras's probability clip in cross-entropy. */
export const PROBABILITY_EPSILON = 1e-7;

/** The task's tensors and loss. */
export class DeviceTask {
  readonly classification: boolean;
  readonly nFeatures: number;
  /** Output units per model: classes, or 1 for regression. */
  readonly nOutputs: number;
  readonly nTrain: number;
  readonly nValid: number;
  /** Row-major training features, on the host. */
  private readonly trainX: Float32Array;
  /** Training targets, one-hot `nTrain × nClasses` or `nTrain × 1`, on the host. */
  private readonly trainY: Float32Array;
  readonly validXt: tf.Tensor;
  /** Validation targets, for losses computed in JavaScript. */
  readonly validY: Int32Array | Float32Array;

  /** @param task - the task, already validated by {@link checkTask} */
  constructor(task: TrainTask) {
    this.classification = task.task === 'classification';
    this.nFeatures = task.train.nCols;
    this.nOutputs = this.classification ? task.nClasses : 1;
    this.nTrain = task.train.nRows;
    this.nValid = task.valid.nRows;
    this.trainX = task.train.X;
    this.trainY = this.targets(task.train);
    this.validXt = tf.tensor2d(transpose(task.valid), [this.nFeatures, this.nValid]);
    this.validY = task.valid.y;
  }

  private targets(data: TrainingData): Float32Array {
    if (!this.classification) return Float32Array.from(data.y);
    const out = new Float32Array(data.nRows * this.nOutputs);
    data.y.forEach((label, i) => (out[i * this.nOutputs + label] = 1));
    return out;
  }

  /**
   * Uploads the training rows in an epoch's order, so that each mini-batch is a contiguous block.
   * @param order - a permutation of the training rows
   * @returns `nTrain × nFeatures` features and `nTrain × nOutputs` targets; dispose after the epoch
   */
  epochRows(order: Int32Array): { X: tf.Tensor; Y: tf.Tensor } {
    return { X: tf.tensor2d(permuteRows(this.trainX, order, this.nFeatures), [this.nTrain, this.nFeatures]),
      Y: tf.tensor2d(permuteRows(this.trainY, order, this.nOutputs), [this.nTrain, this.nOutputs]) };
  }

  /**
   * The gradient of each model's mean batch loss with respect to its outputs, and each model's
   * summed (not averaged) batch loss. Call inside `tf.tidy`.
   * @param output - `K × batch × nOutputs` outputs of the K models
   * @param yb - the batch's targets (`batch × nOutputs`)
   */
  lossGradient(output: tf.Tensor, yb: tf.Tensor): { dOutput: tf.Tensor; loss: tf.Tensor } {
    const batch = output.shape[1] ?? 1;
    if (!this.classification) {
      const diff = tf.sub(output, yb);
      return { dOutput: tf.mul(diff, 2 / batch), loss: tf.sum(tf.square(diff), [1, 2]) };
    }
    const probabilities = tf.softmax(output);
    const dOutput = tf.mul(tf.sub(probabilities, yb), 1 / batch);
    const trueClass = tf.sum(tf.mul(probabilities, yb), 2);
    return { dOutput, loss: tf.neg(tf.sum(tf.log(tf.maximum(trueClass, PROBABILITY_EPSILON)), 1)) };
  }

  /**
   * Predictions from the models' outputs. Call inside `tf.tidy`.
   * @param output - `K × n × nOutputs`
   * @returns `K × n × nClasses` probabilities or `K × n × 1` values
   */
  predictions(output: tf.Tensor): tf.Tensor {
    return this.classification ? tf.softmax(output) : output;
  }

  /**
   * The validation loss of one model's predictions, as in training.
   * @param values - `nValid × nClasses` probabilities or `nValid` values
   */
  validLoss(values: Float32Array): number {
    let total = 0;
    if (this.classification) {
      const c = this.nOutputs;
      for (let i = 0; i < this.nValid; i++) total -= Math.log(Math.max(values[i * c + this.validY[i]], PROBABILITY_EPSILON));
      for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return Number.NaN;
    } else {
      for (let i = 0; i < this.nValid; i++) total += (values[i] - this.validY[i]) ** 2;
    }
    return total / this.nValid;
  }

  /** Frees the tensors. */
  dispose(): void {
    this.validXt.dispose();
  }
}

function permuteRows(values: Float32Array, order: Int32Array, width: number): Float32Array {
  const out = new Float32Array(order.length * width);
  for (let i = 0; i < order.length; i++) out.set(values.subarray(order[i] * width, (order[i] + 1) * width), i * width);
  return out;
}

function transpose(data: TrainingData): Float32Array {
  const { X, nRows, nCols } = data;
  const out = new Float32Array(nRows * nCols);
  for (let i = 0; i < nRows; i++) for (let j = 0; j < nCols; j++) out[j * nRows + i] = X[i * nCols + j];
  return out;
}
