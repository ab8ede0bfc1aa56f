/**
 * The contract between the learners and their callers (the evaluation protocol, the pool's
 * workers). Data arrive already encoded and standardised by the data layer.
 */
import type { Configuration, LearnerName } from './config.ts';
import type { BackendName } from '../backend/index.ts';

/** A row-major matrix of encoded features and its targets. */
export interface TrainingData {
  /** Row-major `nRows × nCols` features. */
  readonly X: Float32Array;
  readonly nRows: number;
  readonly nCols: number;
  /** Class indices (classification) or standardised targets (regression). */
  readonly y: Int32Array | Float32Array;
}

/** A training problem: a train split and the validation split used for early stopping. */
export interface TrainTask {
  readonly task: 'classification' | 'regression';
  /** Number of classes; 1 for regression. */
  readonly nClasses: number;
  readonly train: TrainingData;
  readonly valid: TrainingData;
}

/** One model to train. */
export interface TrainRequest {
  readonly learner: LearnerName;
  readonly config: Configuration;
  /** Seeds weight initialisation and dropout masks, and the mini-batch order unless `shuffleSeed` is given. */
  readonly seed: number;
  /**
   * Seeds the mini-batch order. Requests fuse into one group only when they share it, so a study
   * that wants its trials trained together gives them all the same `shuffleSeed`. Default: `seed`.
   */
  readonly shuffleSeed?: number;
  /** Fidelity: replaces the configuration's `max_epochs`. */
  readonly maxEpochs?: number;
}

/** What training one model produced. */
export interface TrainOutcome {
  readonly status: 'ok' | 'failed';
  /** Why it failed (invalid configuration, divergence...). */
  readonly error?: string;
  readonly epochsRun: number;
  /** 0-based epoch of the lowest validation loss, whose weights the model keeps; -1 if none. */
  readonly bestEpoch: number;
  /** Per-epoch mean training loss (data term only) and validation loss. */
  readonly curve: { readonly trainLoss: number[]; readonly validLoss: number[] };
  /**
   * Predictions of the best weights on the validation split: row-major `nValid × nClasses`
   * probabilities, or `nValid` values; empty when the run failed.
   */
  readonly validPredictions: Float32Array;
  /** Wall time of the model's fused group, apportioned to it by epochs run. */
  readonly wallTimeMs: number;
  readonly backend: BackendName | string;
  readonly model?: SerializedModel;
}

/** Base64 of a little-endian float32 array. */
export type EncodedFloats = string;

/** One dense layer of a serialised network, in Keras orientation. */
export interface SerializedLayer {
  /** Row-major `inputs × units` kernel. */
  readonly kernel: EncodedFloats;
  readonly bias: EncodedFloats;
  readonly inputs: number;
  readonly units: number;
  readonly batchNorm?: {
    readonly gamma: EncodedFloats;
    readonly beta: EncodedFloats;
    readonly movingMean: EncodedFloats;
    readonly movingVariance: EncodedFloats;
  };
}

/** A trained network as plain JSON (see {@link DenseNetwork.toJSON}). */
export interface SerializedModel {
  readonly format: 'metatune.dense-network';
  readonly formatVersion: 1;
  readonly learner: LearnerName;
  readonly task: 'classification' | 'regression';
  readonly config: Configuration;
  readonly activation: string;
  readonly nFeatures: number;
  readonly nOutputs: number;
  /** Hidden layers, then the output layer. */
  readonly layers: readonly SerializedLayer[];
}

/** Options of {@link trainBatch}. */
export interface TrainBatchOptions {
  /** Return each model (best weights) in its outcome. */
  readonly keepModels?: boolean;
  /** Aborts between epochs; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called after every epoch of every model with its validation loss. */
  readonly onEpoch?: (index: number, epoch: number, validLoss: number) => void;
  /** Backend to train on (selected in this thread if needed); default: the active one, else `auto`. */
  readonly backend?: BackendName | 'auto';
}
