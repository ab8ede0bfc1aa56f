/**
 * One fold of an evaluation: fit the encoder on the fold's fitting rows, train every
 * configuration together through the trainer (fused batches, workers), then score each trained
 * model on the fold's scored rows. A configuration that fails — invalid, diverged, non-finite
 * predictions, or a trainer that crashed — gets a failed {@link FoldEvaluation}; nothing throws
 * except an abort.
 */
import { fitEncoder, type EncodedMatrix, type Encoder } from '../data/index.ts';
import type { Dataset } from '../data/table.ts';
import { predict, type TrainOutcome, type TrainRequest, type TrainTask } from '../learners/index.ts';
import { classificationReport, regressionReport } from './metrics.ts';
import type { FoldPlan } from './folds.ts';
import type { EvaluationProtocol } from './protocol.ts';
import type { FoldEvaluation, TrainedModel, Trainer } from './types.ts';

/** A fold's result for one configuration, with what the caller aggregates besides. */
export interface FoldOutcome {
  readonly evaluation: FoldEvaluation;
  readonly backend: string;
  readonly trainedModel?: TrainedModel;
}

/** What one fold needs. */
export interface FoldJob {
  readonly dataset: Dataset;
  readonly plan: FoldPlan;
  readonly protocol: EvaluationProtocol;
  readonly requests: readonly TrainRequest[];
  readonly trainer: Trainer;
  readonly signal?: AbortSignal;
  readonly onEpoch?: (index: number, epoch: number) => void;
}

/** The encoded rows of a fold. */
interface EncodedFold {
  readonly encoder: Encoder;
  readonly task: TrainTask;
  readonly test: EncodedMatrix;
  /** Scored targets: class indices in the encoder's class order, or values on the original scale. */
  readonly testTarget: Int32Array | Float64Array;
}

/**
 * Trains and scores every request of a fold.
 * @param job - the fold, its requests and the trainer
 * @returns one outcome per request, in order
 * @throws the signal's reason when aborted
 */
export async function runFold(job: FoldJob): Promise<FoldOutcome[]> {
  const fold = encodeFold(job.dataset, job.plan, job.protocol);
  let outcomes: TrainOutcome[];
  try {
    outcomes = await job.trainer.run(fold.task, job.requests, {
      keepModels: true,
      signal: job.signal,
      onEpoch: job.onEpoch === undefined ? undefined : (index, epoch) => job.onEpoch?.(index, epoch),
    });
  } catch (error) {
    if (job.signal?.aborted) throw error;
    const reason = `training failed: ${errorMessage(error)}`;
    return job.requests.map(() => ({ evaluation: failedFold(job.plan, reason), backend: 'none' }));
  }
  return outcomes.map((outcome) => scoreOutcome(fold, job.plan, outcome));
}

/**
 * Fits the encoder on the fitting rows and encodes the fold.
 * @returns the encoder, the trainer's task and the encoded scored rows
 */
export function encodeFold(dataset: Dataset, plan: FoldPlan, protocol: EvaluationProtocol): EncodedFold {
  const encoder = fitEncoder(dataset, plan.fitRows, protocol.encoder);
  const part = (rows: Int32Array) => ({ ...encoder.transform(dataset, rows), y: encoder.encodeTarget(dataset, rows) });
  const target = dataset.target;
  const testTarget = target.kind === 'categorical'
    ? Int32Array.from(encoder.encodeTarget(dataset, plan.testRows))
    : Float64Array.from(plan.testRows, (r) => target.values[r]);
  const task: TrainTask = {
    task: dataset.task,
    nClasses: dataset.task === 'classification' ? encoder.classes.length : 1,
    train: part(plan.fitRows),
    valid: part(plan.validRows),
  };
  return { encoder, task, test: encoder.transform(dataset, plan.testRows), testTarget };
}

function scoreOutcome(fold: EncodedFold, plan: FoldPlan, outcome: TrainOutcome): FoldOutcome {
  const base = {
    fold: plan.index,
    epochsRun: outcome.epochsRun,
    bestEpoch: outcome.bestEpoch,
    curve: { trainLoss: outcome.curve.trainLoss, validLoss: outcome.curve.validLoss },
    rows: rowCounts(plan),
  };
  const failed = (error: string): FoldOutcome => ({
    evaluation: { ...base, status: 'failed', error, metrics: {}, wallTimeMs: outcome.wallTimeMs },
    backend: outcome.backend,
  });
  if (outcome.status === 'failed') return failed(outcome.error ?? 'training failed without a reason');
  if (outcome.model === undefined) return failed('the trainer returned no model to score');
  const started = performance.now();
  let scored: { metrics: Record<string, number>; aucSkippedClasses?: readonly number[] };
  try {
    scored = scorePredictions(fold, predict(outcome.model, fold.test.X, fold.test.nRows));
  } catch (error) {
    return failed(`scoring failed: ${errorMessage(error)}`);
  }
  const wallTimeMs = outcome.wallTimeMs + (performance.now() - started);
  return {
    evaluation: { ...base, status: 'ok', metrics: scored.metrics, aucSkippedClasses: scored.aucSkippedClasses, wallTimeMs },
    backend: outcome.backend,
    trainedModel: { encoder: fold.encoder.toJSON(), model: outcome.model },
  };
}

/**
 * Computes the metrics of predictions on the scored rows (regression on the original scale).
 * @throws Error when a prediction is not finite
 */
function scorePredictions(fold: EncodedFold, predictions: Float32Array): { metrics: Record<string, number>; aucSkippedClasses?: readonly number[] } {
  const bad = predictions.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`prediction ${bad} on the scored rows is ${predictions[bad]}`);
  const y = fold.testTarget;
  if (y instanceof Int32Array) {
    const report = classificationReport(y, predictions, fold.task.nClasses);
    return { metrics: { ...report.metrics }, aucSkippedClasses: report.aucSkippedClasses };
  }
  return { metrics: { ...regressionReport(y, fold.encoder.inverseTarget(predictions)) } };
}

function failedFold(plan: FoldPlan, error: string): FoldEvaluation {
  return {
    fold: plan.index, status: 'failed', error, metrics: {}, epochsRun: 0, bestEpoch: -1,
    curve: { trainLoss: [], validLoss: [] }, wallTimeMs: 0, rows: rowCounts(plan),
  };
}

function rowCounts(plan: FoldPlan): FoldEvaluation['rows'] {
  return { fit: plan.fitRows.length, valid: plan.validRows.length, test: plan.testRows.length };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
