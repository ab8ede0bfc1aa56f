/**
 * Warm-starting a study from the user's past studies of the same space (stored as evaluations by
 * a study with a `protocol`, `teach.ts`): the top configurations of a meta-model fitted on the
 * other tasks of the space are enqueued with origin `warm-start:<model>`. The model is the stored
 * learned model of the space (`metatune meta-train --space NAME`) when there is one, else knn
 * fitted now on the tasks' meta-features, and — for a task without meta-features, or when no past
 * task of the space has meta-features — the portfolio (the configurations that did best across the
 * past tasks), fitted on every past task of the space with two or more distinct scores, those
 * without meta-features included (tasks a study named by name alone, `study-task.ts`).
 */
import { SearchSpaceError, StoreError } from '../errors.ts';
import { KnnMetaModel } from '../metamodel/knn.ts';
import { PortfolioMetaModel } from '../metamodel/portfolio.ts';
import { loadStoredMetaModel } from '../metamodel/serialize.ts';
import { evaluatedConfigurations, loadTrainingSet, REGRESSION_SCORE_FLOOR, resolveSpace, taskEvaluations, withoutTasks } from '../metamodel/training-set.ts';
import type { MetaModel, MetaTask, TrainingSet } from '../metamodel/types.ts';
import type { MetaStore } from '../store/types.ts';
import { StudyError } from './errors.ts';
import { MetaStoreStudyStorage } from './metastore-storage.ts';
import type { Study } from './study.ts';

/** Options of {@link warmStartStudy}. */
export interface WarmStartOptions {
  /** Configurations to enqueue (default 10). */
  readonly count?: number;
}

/** What {@link warmStartStudy} did. */
export interface WarmStartResult {
  /** `learned`, `knn` or `portfolio`; null when the space has no usable past task yet. */
  readonly model: 'learned' | 'knn' | 'portfolio' | null;
  /** Configurations enqueued (already tried or queued ones are skipped). */
  readonly enqueued: number;
}

/**
 * Enqueues the top configurations of a meta-model fitted on the space's other tasks.
 * @param study - a study over the meta-knowledge store with a task
 * @param options - how many
 * @returns the model used and how many configurations were enqueued
 * @throws StudyError without a meta-knowledge store or a task
 */
export function warmStartStudy(study: Study, options: WarmStartOptions = {}): WarmStartResult {
  const count = options.count ?? 10;
  if (!Number.isSafeInteger(count) || count < 0) throw new StudyError(`warm start: count must be an integer ≥ 0, got ${count}`);
  if (!(study.storage instanceof MetaStoreStudyStorage)) throw new StudyError('warm start needs the meta-knowledge store (a sqlite:// or postgresql:// storage URL, or a MetaStore)');
  const task = study.task;
  if (task === undefined) throw new StudyError('warm start needs the study\'s task ({ task: { name } })');
  const store = study.storage.store;
  if (count === 0) return { model: null, enqueued: 0 };
  const self = new Set([task.name]);
  const metaFeatures = task.metaFeatures ?? store.getMetaFeatures(task.name)?.values;
  // with meta-features: the learned model or knn over the past tasks that have them
  const similar = metaFeatures === undefined ? undefined : trainingOrUndefined(() => withoutTasks(loadTrainingSet(store, study.spaceName), self));
  let model: MetaModel;
  let training: TrainingSet;
  if (metaFeatures !== undefined && similar !== undefined && similar.tasks.length > 0) {
    training = similar;
    model = loadStoredMetaModel(store, 'learned', study.spaceName) ?? KnnMetaModel.fit(training);
  } else {
    // without meta-features (or no past task with them): the portfolio of every past study of the space
    const past = trainingOrUndefined(() => withoutTasks(pastStudies(store, study.spaceName), self));
    if (past === undefined || past.tasks.length === 0) return { model: null, enqueued: 0 };
    training = past;
    model = PortfolioMetaModel.fit(training);
  }
  try {
    const candidates = evaluatedConfigurations(training).map((c) => c.config);
    let enqueued = 0;
    for (const ranked of model.rank({ metaFeatures: metaFeatures ?? {} }, candidates).slice(0, count)) {
      if (study.enqueueTrial(ranked.config, { origin: `warm-start:${model.type}` })) enqueued++;
    }
    return { model: model.type, enqueued };
  } finally {
    model.dispose();
  }
}

/** @returns the training set, or undefined when the space is not stored or has no usable task */
function trainingOrUndefined(load: () => TrainingSet): TrainingSet | undefined {
  try {
    return load();
  } catch (error) {
    if (error instanceof StoreError || error instanceof SearchSpaceError) return undefined;
    throw error;
  }
}

/**
 * Every past task of a space with two or more distinct scores, with or without meta-features (the
 * portfolio needs none; `loadTrainingSet` keeps only tasks that have them).
 */
function pastStudies(store: MetaStore, spaceName: string): TrainingSet {
  const space = resolveSpace(store, spaceName);
  const tasks: MetaTask[] = [];
  for (const task of store.listTasks()) {
    const evaluations = taskEvaluations(space, store.listEvaluations({ task: task.name, space: spaceName, status: 'ok' }), task.taskType === 'regression' ? REGRESSION_SCORE_FLOOR : undefined);
    if (evaluations.length < 2) continue;
    const vector = store.getMetaFeatures(task.name);
    tasks.push({ name: task.name, metaFeatures: vector?.values ?? {}, extractorVersion: vector?.extractorVersion ?? 'none', evaluations });
  }
  return { space, tasks };
}
