/**
 * Reading a {@link TrainingSet} from the store: per task, the configurations of one search space
 * evaluated successfully, at the highest fidelity stored for each (task, configuration), scores
 * averaged over seeds, and normalised per task to [0, 1] (1 for the task's best configuration).
 * Tasks without meta-features or with fewer than two distinct scores teach nothing and are skipped.
 *
 * The normalisation's floor is the task's worst score, except that on a regression task a score
 * below R² = 0 (worse than predicting the mean: a diverged run, R² down to −10¹³ in the shipped
 * build) counts as 0, the trivial predictor's score. Without that floor one diverged run flattens
 * every other configuration of the task to 0.99999…, and the meta-models learn nothing from half
 * of the corpus.
 */
import { StoreError } from '../errors.ts';
import { loadSearchSpace, parseSearchSpace } from '../spaces/load.ts';
import { ParseContext } from '../spaces/parse-context.ts';
import { configHash } from '../spaces/canonical.ts';
import type { SearchSpace } from '../spaces/search-space.ts';
import type { Configuration } from '../spaces/types.ts';
import type { EvaluationRecord } from '../store/records.ts';
import { vectorPerTask } from '../store/similarity.ts';
import type { MetaStore } from '../store/types.ts';
import type { MetaTask, TaskEvaluation, TrainingSet } from './types.ts';

/**
 * Loads the search space a store's evaluations refer to: the stored definition, else the shipped one.
 * @throws SearchSpaceError when neither exists
 */
export function resolveSpace(store: MetaStore, name: string): SearchSpace {
  const stored = store.getSearchSpace(name);
  return stored === undefined ? loadSearchSpace(name) : parseSearchSpace(stored.definition, new ParseContext(`stored search space '${name}'`));
}

/**
 * Reads every usable past task of a space.
 * @param store - any store
 * @param spaceName - e.g. `mlp`
 * @returns the tasks, sorted by name
 * @throws StoreError when no task of that space can be used
 */
export function loadTrainingSet(store: MetaStore, spaceName: string): TrainingSet {
  const space = resolveSpace(store, spaceName);
  const vectors = new Map(vectorPerTask(store.listMetaFeatures()).map((v) => [v.task, v]));
  const tasks: MetaTask[] = [];
  for (const task of store.listTasks()) {
    const vector = vectors.get(task.name);
    if (vector === undefined) continue;
    const floor = task.taskType === 'regression' ? REGRESSION_SCORE_FLOOR : undefined;
    const evaluations = taskEvaluations(space, store.listEvaluations({ task: task.name, space: spaceName, status: 'ok' }), floor);
    if (evaluations.length < 2) continue;
    tasks.push({ name: task.name, metaFeatures: vector.values, extractorVersion: vector.extractorVersion, evaluations });
  }
  if (tasks.length === 0) {
    throw new StoreError(`no task has meta-features and two or more distinct scores in search space '${spaceName}'; build or add evaluations first (metatune db stats)`);
  }
  return { space, tasks };
}

/** The trivial regression model's R² (predicting the mean): the normalisation's floor on regression tasks. */
export const REGRESSION_SCORE_FLOOR = 0;

/**
 * Collapses one task's evaluations to one normalised score per configuration.
 * @param floor - scores below it normalise as it does (when the best score is above it)
 * @returns the evaluations sorted by hash; empty when the scores do not vary
 */
export function taskEvaluations(space: SearchSpace, records: readonly EvaluationRecord[], floor?: number): TaskEvaluation[] {
  const top = new Map<string, { fidelity: number; scores: number[]; config: Configuration }>();
  const canonical = new Map<string, { hash: string; config: Configuration } | undefined>();
  for (const r of records) {
    if (r.status !== 'ok' || r.primaryScore === null || !Number.isFinite(r.primaryScore)) continue;
    if (!canonical.has(r.configHash)) canonical.set(r.configHash, canonicalize(space, r.config));
    const valid = canonical.get(r.configHash);
    if (valid === undefined) continue;
    const current = top.get(valid.hash);
    if (current === undefined || r.fidelity > current.fidelity) top.set(valid.hash, { fidelity: r.fidelity, scores: [r.primaryScore], config: valid.config });
    else if (r.fidelity === current.fidelity) current.scores.push(r.primaryScore);
  }
  const rows = [...top].map(([configHash, e]) => ({ configHash, config: e.config, score: e.scores.reduce((s, x) => s + x, 0) / e.scores.length }));
  const scores = rows.map((r) => r.score);
  const max = Math.max(...scores);
  const worst = Math.min(...scores);
  const min = floor !== undefined && max > floor ? Math.max(worst, floor) : worst;
  if (!(max > min)) return [];
  rows.sort((a, b) => (a.configHash < b.configHash ? -1 : a.configHash > b.configHash ? 1 : 0));
  return rows.map((r) => ({ ...r, normalized: (Math.max(r.score, min) - min) / (max - min) }));
}

/** @returns the configuration validated against the space with its hash, or undefined when it does not fit the space */
export function canonicalize(space: SearchSpace, config: Configuration): { hash: string; config: Configuration } | undefined {
  try {
    const valid = space.validateConfiguration(config);
    return { hash: configHash(valid), config: valid };
  } catch {
    return undefined;
  }
}

/**
 * @returns the distinct configurations evaluated on any of the tasks, sorted by hash
 */
export function evaluatedConfigurations(training: TrainingSet): { configHash: string; config: Configuration }[] {
  const byHash = new Map<string, Configuration>();
  for (const task of training.tasks) for (const e of task.evaluations) byHash.set(e.configHash, e.config);
  return [...byHash].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([configHash, config]) => ({ configHash, config }));
}

/** @returns the training set without the named tasks (for leave-one-task-out) */
export function withoutTasks(training: TrainingSet, names: ReadonlySet<string>): TrainingSet {
  return { space: training.space, tasks: training.tasks.filter((t) => !names.has(t.name)) };
}
