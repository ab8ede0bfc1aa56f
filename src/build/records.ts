/**
 * From the evaluation loop's records to the store's: the one place that maps an
 * {@link Evaluation} onto an {@link EvaluationInput} (builds and searches both write through it).
 */
import type { Evaluation } from '../evaluation/index.ts';
import type { EvaluationInput } from '../store/index.ts';

/**
 * Describes an evaluation for the store.
 * @param task - the task's name in the store
 * @param space - the search space's name
 * @param evaluation - what `evaluate` returned
 * @returns the row to add; non-finite numbers become null in the store
 */
export function evaluationToInput(task: string, space: string, evaluation: Evaluation): EvaluationInput {
  return {
    task,
    space,
    configHash: evaluation.configHash,
    config: evaluation.config,
    protocolId: evaluation.protocolId,
    fidelity: evaluation.fidelity,
    seed: evaluation.seed,
    status: evaluation.status,
    error: evaluation.error ?? null,
    metrics: evaluation.metrics,
    primaryScore: evaluation.primaryScore,
    curve: { trainLoss: evaluation.curve.trainLoss, validLoss: evaluation.curve.validLoss },
    epochsRun: evaluation.epochsRun,
    wallTimeMs: Math.round(evaluation.wallTimeMs),
    backend: evaluation.backend,
    metatuneVersion: evaluation.metatuneVersion,
  };
}
