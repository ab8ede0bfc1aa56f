/**
 * Warm-starting a study from the user's past studies of the same space (stored as evaluations by
 * a study with a `protocol`, `teach.ts`): the top configurations of a meta-model fitted on the
 * other tasks of the space are enqueued with origin `warm-start:<model>`. The model is the stored
 * learned model of the space (`metatune meta-train --space NAME`) when there is one, else knn
 * fitted now on the tasks' meta-features, and — for a task without meta-features — the portfolio
 * (the configurations that did best across the past tasks).
 */
import { SearchSpaceError, StoreError } from '../errors.ts';
import { KnnMetaModel } from '../metamodel/knn.ts';
import { PortfolioMetaModel } from '../metamodel/portfolio.ts';
import { loadStoredMetaModel } from '../metamodel/serialize.ts';
import { evaluatedConfigurations, loadTrainingSet, withoutTasks } from '../metamodel/training-set.ts';
import type { MetaModel } from '../metamodel/types.ts';
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
  let training;
  try {
    training = withoutTasks(loadTrainingSet(store, study.spaceName), new Set([task.name]));
  } catch (error) {
    // no stored space of that name, or no usable task in it yet
    if (error instanceof StoreError || error instanceof SearchSpaceError) return { model: null, enqueued: 0 };
    throw error;
  }
  if (training.tasks.length === 0 || count === 0) return { model: null, enqueued: 0 };
  const metaFeatures = task.metaFeatures ?? store.getMetaFeatures(task.name)?.values;
  let model: MetaModel;
  if (metaFeatures === undefined) model = PortfolioMetaModel.fit(training);
  else model = loadStoredMetaModel(store, 'learned', study.spaceName) ?? KnnMetaModel.fit(training);
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
