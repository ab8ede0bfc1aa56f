/**
 * The evaluation loop: scores configurations of a search space on a dataset under a protocol.
 * Folds run one after another; within a fold every configuration trains in one call to the
 * trainer, which fuses models that share an architecture and spreads them over its workers.
 */
import { selectBackend } from '../backend/index.ts';
import type { Dataset } from '../data/table.ts';
import { SearchSpaceError } from '../errors.ts';
import { trainBatch, type LearnerName, type TrainRequest } from '../learners/index.ts';
import { deriveSeed } from '../random.ts';
import { configHash, type Configuration, type SearchSpace } from '../spaces/index.ts';
import { VERSION } from '../version.ts';
import { averageCurves, averageMetrics, mean } from './aggregate.ts';
import { planFolds } from './folds.ts';
import { runFold, type FoldOutcome } from './fold-runner.ts';
import { higherIsBetter, type MetricName } from './metrics.ts';
import { DEFAULT_PROTOCOL, protocolId, validateProtocol, withFolds, type EvaluationProtocol } from './protocol.ts';
import type { EvaluateOptions, Evaluation, Trainer } from './types.ts';

/** A configuration checked against its space, or the reason it was rejected. */
interface Candidate {
  readonly config: Configuration;
  readonly configHash: string;
  readonly fidelity: number;
  readonly invalid?: string;
}

/** What every evaluation of one call shares. */
interface Context {
  readonly dataset: Dataset;
  readonly space: SearchSpace;
  readonly learner: LearnerName;
  readonly protocol: EvaluationProtocol;
  readonly protocolId: string;
  readonly seed: number;
}

/**
 * Evaluates configurations on a dataset.
 * @param dataset - the task
 * @param space - the search space the configurations belong to; its name (`mlp`, `linear`, or
 *   `mlp-…`/`linear-…` for custom spaces) picks the learner
 * @param configs - the configurations; invalid ones come back failed with the reason
 * @param options - protocol, folds, seed, backend, pool, fidelity, progress
 * @returns one evaluation per configuration, in order; failed runs are recorded, never thrown
 * @throws SearchSpaceError when the space names no learner or does not fit the task;
 *   InputError when the dataset is too small for the protocol; the signal's reason when aborted
 */
export async function evaluate(dataset: Dataset, space: SearchSpace, configs: readonly Configuration[], options: EvaluateOptions = {}): Promise<Evaluation[]> {
  const context = makeContext(dataset, space, options);
  const candidates = configs.map((config) => checkCandidate(space, config, options.epochs));
  const plans = planFolds(dataset, context.protocol);
  const trainer: Trainer = options.pool ?? { run: (task, requests, o) => trainBatch(task, requests, { ...o, backend: options.backend }) };
  await selectBackend(options.backend ?? 'auto');
  const runnable = candidates.flatMap((c, i) => (c.invalid === undefined ? [i] : []));
  const budgetPerFold = runnable.reduce((s, i) => s + candidates[i].fidelity, 0);
  const perConfig: FoldOutcome[][] = candidates.map(() => []);
  let epochsDone = 0;
  for (const plan of plans) {
    const report = () => options.onProgress?.({ fold: plan.index, folds: plans.length, epochsDone, epochsBudget: budgetPerFold * plans.length });
    const requests = runnable.map((i) => trainRequest(context, candidates[i], plan.index, options.epochs));
    if (requests.length > 0) {
      const outcomes = await runFold({
        dataset, plan, protocol: context.protocol, requests, trainer, signal: options.signal,
        onEpoch: () => {
          epochsDone++;
          report();
        },
      });
      outcomes.forEach((outcome, k) => perConfig[runnable[k]].push(outcome));
    }
    epochsDone = budgetPerFold * (plan.index + 1);
    report();
  }
  return candidates.map((c, i) => buildEvaluation(context, c, perConfig[i], options.keepModels === true));
}

function makeContext(dataset: Dataset, space: SearchSpace, options: EvaluateOptions): Context {
  const base = options.protocol ?? DEFAULT_PROTOCOL;
  const protocol = options.folds === undefined ? base : withFolds(base, options.folds);
  validateProtocol(protocol);
  if (space.taskTypes !== undefined && !space.taskTypes.includes(dataset.task)) {
    throw new SearchSpaceError(`search space '${space.name}' is for ${space.taskTypes.join(' and ')}, but '${dataset.name}' is a ${dataset.task} task`);
  }
  return { dataset, space, learner: learnerOf(space), protocol, protocolId: protocolId(protocol), seed: options.seed ?? 0 };
}

/**
 * The learner a search space configures, from its name.
 * @throws SearchSpaceError when the name starts with neither `mlp` nor `linear`
 */
export function learnerOf(space: SearchSpace): LearnerName {
  if (space.name === 'mlp' || space.name.startsWith('mlp-')) return 'mlp';
  if (space.name === 'linear' || space.name.startsWith('linear-')) return 'linear';
  throw new SearchSpaceError(`search space '${space.name}' names no learner: its name must be 'mlp' or 'linear', or start with 'mlp-' or 'linear-'`, { file: space.source });
}

function checkCandidate(space: SearchSpace, config: Configuration, epochs: number | undefined): Candidate {
  try {
    const checked = space.validateConfiguration(config);
    return { config: checked, configHash: configHash(checked), fidelity: fidelityOf(space, checked, epochs) };
  } catch (error) {
    const invalid = error instanceof Error ? error.message : String(error);
    return { config, configHash: configHash(config), fidelity: epochs ?? 0, invalid };
  }
}

/** The epoch budget: the override, else the space's fidelity hyperparameter, else its default. */
function fidelityOf(space: SearchSpace, config: Configuration, epochs: number | undefined): number {
  if (epochs !== undefined) return epochs;
  const fidelity = space.fidelity;
  if (fidelity === undefined) return 0;
  const value = config[fidelity.name];
  return typeof value === 'number' ? value : fidelity.defaultValue;
}

function trainRequest(context: Context, candidate: Candidate, fold: number, epochs: number | undefined): TrainRequest {
  return {
    learner: context.learner,
    config: candidate.config,
    seed: deriveSeed(context.seed, 'init', fold),
    shuffleSeed: deriveSeed(context.seed, 'shuffle', fold),
    maxEpochs: epochs,
  };
}

function buildEvaluation(context: Context, candidate: Candidate, folds: readonly FoldOutcome[], keepModels: boolean): Evaluation {
  const primaryMetric: MetricName = context.protocol.primaryMetric[context.dataset.task];
  const failedFold = folds.find((f) => f.evaluation.status === 'failed');
  const foldLabel = failedFold !== undefined && folds.length > 1 ? `fold ${failedFold.evaluation.fold + 1}/${folds.length}: ` : '';
  const error = candidate.invalid ?? (failedFold === undefined ? undefined : foldLabel + (failedFold.evaluation.error ?? 'failed'));
  const ok = error === undefined && folds.length > 0;
  const metrics = ok ? averageMetrics(folds.map((f) => f.evaluation.metrics)) : {};
  const primary = metrics[primaryMetric];
  return {
    configHash: candidate.configHash,
    config: candidate.config,
    learner: context.learner,
    spaceFingerprint: context.space.fingerprint(),
    dataset: context.dataset.name,
    protocolId: context.protocolId,
    fidelity: candidate.fidelity,
    seed: context.seed,
    status: ok ? 'ok' : 'failed',
    ...(ok ? {} : { error: error ?? 'no fold was run' }),
    metrics,
    primaryMetric,
    primaryScore: ok && primary !== undefined ? higherIsBetter(primaryMetric, primary) : null,
    curve: averageCurves(folds.map((f) => f.evaluation.curve)),
    epochsRun: mean(folds.map((f) => f.evaluation.epochsRun)),
    wallTimeMs: folds.reduce((s, f) => s + f.evaluation.wallTimeMs, 0),
    backend: folds[0]?.backend ?? 'none',
    metatuneVersion: VERSION,
    folds: folds.map((f) => f.evaluation),
    ...(keepModels && ok && folds[0].trainedModel !== undefined ? { trainedModel: folds[0].trainedModel } : {}),
  };
}
