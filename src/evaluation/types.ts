/**
 * What the evaluation loop takes and returns. An {@link Evaluation} is plain JSON-safe data (the
 * optional trained model included) so that the store can record it as it is.
 */
import type { BackendPreference } from '../backend/index.ts';
import type { EncoderJSON } from '../data/index.ts';
import type { LearnerName, SerializedModel, TrainBatchOptions, TrainOutcome, TrainRequest, TrainTask } from '../learners/index.ts';
import type { Configuration } from '../spaces/index.ts';
import type { LearningCurve } from './aggregate.ts';
import type { MetricName } from './metrics.ts';
import type { EvaluationProtocol } from './protocol.ts';

/** Trains a batch of requests on one task: `trainBatch`, or a `TrainerPool`'s `run`. */
export interface Trainer {
  run(task: TrainTask, requests: readonly TrainRequest[], options?: TrainBatchOptions): Promise<TrainOutcome[]>;
}

/** A trained model with the preprocessing fitted for it: enough to predict on raw rows. */
export interface TrainedModel {
  readonly encoder: EncoderJSON;
  readonly model: SerializedModel;
}

/** The result of one configuration on one fold. */
export interface FoldEvaluation {
  readonly fold: number;
  readonly status: 'ok' | 'failed';
  readonly error?: string;
  readonly metrics: Readonly<Record<string, number>>;
  /** Classes the macro ROC AUC skipped on this fold (absent from its scored rows). */
  readonly aucSkippedClasses?: readonly number[];
  readonly epochsRun: number;
  /** 0-based epoch whose weights were kept (lowest validation loss); -1 if none. */
  readonly bestEpoch: number;
  readonly curve: LearningCurve;
  /** Training plus scoring time of this model. */
  readonly wallTimeMs: number;
  /** Rows used to fit, to stop early, and to score. */
  readonly rows: { readonly fit: number; readonly valid: number; readonly test: number };
}

/** The result of one configuration under a protocol. */
export interface Evaluation {
  readonly configHash: string;
  readonly config: Configuration;
  readonly learner: LearnerName;
  /** The search space's fingerprint, when the configuration came from a space. */
  readonly spaceFingerprint: string;
  readonly dataset: string;
  readonly protocolId: string;
  /** The training budget in epochs (the fidelity: `--epochs` or the configuration's `max_epochs`). */
  readonly fidelity: number;
  readonly seed: number;
  /** `failed` when any fold failed; the error is the first fold's reason. */
  readonly status: 'ok' | 'failed';
  readonly error?: string;
  /** Every metric, averaged over folds (empty when failed). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly primaryMetric: MetricName;
  /** The primary metric made higher-is-better (log loss and errors negated); null when failed. */
  readonly primaryScore: number | null;
  /** Per-epoch losses averaged over the folds that reached each epoch (validation loss on the
   * early-stopping rows, in the encoded target's scale). */
  readonly curve: LearningCurve;
  /** Mean epochs run over folds. */
  readonly epochsRun: number;
  /** Sum over folds of each model's training and scoring time. */
  readonly wallTimeMs: number;
  readonly backend: string;
  readonly metatuneVersion: string;
  readonly folds: readonly FoldEvaluation[];
  /** The first fold's trained model, with `keepModels` only. */
  readonly trainedModel?: TrainedModel;
}

/** Progress of an evaluation, counted in model epochs. */
export interface EvaluationProgress {
  /** 0-based fold being trained. */
  readonly fold: number;
  readonly folds: number;
  /** Epochs finished over every configuration and fold; early-stopped runs count their unspent budget. */
  readonly epochsDone: number;
  /** configurations × folds × fidelity. */
  readonly epochsBudget: number;
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Default: `DEFAULT_PROTOCOL`. */
  readonly protocol?: EvaluationProtocol;
  /** Replaces the protocol's split by stratified k-fold with this many folds. */
  readonly folds?: number;
  /** Seeds training (initialisation, shuffling, dropout); the split comes from the protocol. Default 0. */
  readonly seed?: number;
  /** Backend of this thread (for training without a pool, and for scoring). Default `auto`. */
  readonly backend?: BackendPreference;
  /** Trains on these workers instead of this thread. */
  readonly pool?: Trainer;
  /** Fidelity: replaces every configuration's `max_epochs`. */
  readonly epochs?: number;
  /** Return the first fold's trained model with each evaluation. */
  readonly keepModels?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: EvaluationProgress) => void;
}
