/**
 * `runSearch`: a warm-started hyperparameter search on one dataset, persisted in the
 * meta-knowledge store (what `metatune search` runs).
 *
 * 1. The dataset is registered as a task with its meta-features (so the study can name it).
 * 2. A study is created or resumed (`loadIfExists`): trials a killed process left running are
 *    re-run under their own numbers first.
 * 3. The top `warmStart` ({@link DEFAULT_WARM_START}) configurations of the meta-model are
 *    enqueued with origin `warm-start:<model>` (without a model, or with 0, the space's default,
 *    origin `default`).
 *    The meta-model is the store's trained `learned` model, else `knn` fitted now on the store;
 *    with no usable evaluations in the store, the default alone starts the search.
 * 4. Rounds: `askBatch(batchSize)` → one `evaluate` call on the trainer pool per fidelity → `tell`.
 *    With successive halving (`pruner: 'sh'`) a round is rung-based: every trial is trained for the
 *    rung's epochs (m, m·η, m·η²… below its full budget), reports its score at that step, and the
 *    study's {@link SuccessiveHalvingPruner} decides from the stored rung values which trials are
 *    told pruned; the others are retrained at the next rung, and finally at their full budget.
 * 5. Every evaluation (rungs included, at its fidelity) is added to the store as it finishes, so
 *    the next recommendation learns from this task.
 *
 * Several processes may run the same study (same `study` name and database) at once: each trial is
 * claimed atomically under the budget (`Study.claim`), the warm-start queue lives in the store and
 * is consumed once, the sampler sees every process's running trials (constant liar), each running
 * trial carries its process's heartbeat, and a trial is re-run only when its process stopped beating
 * for `staleAfterMs`. A process whose claims are spent waits for the others' trials to end, so every
 * process returns the finished study. Writes wait on a busy database and retry ({@link retryBusy}).
 *
 * A data error found only while training (too few rows for the protocol...) ends the round's
 * trials as failed with the error, which is rethrown naming the file; an abort (`signal`) hands
 * the trials in training back, so that a resumed search re-runs them at once.
 */
import os from 'node:os';
import { evaluationToInput } from '../build/records.ts';
import { loadDataset } from '../data/index.ts';
import type { Dataset } from '../data/table.ts';
import { DEFAULT_PROTOCOL, evaluate, saveTrainedModel, type EvaluationProtocol, type Evaluation, type MetricName } from '../evaluation/index.ts';
import { TrainerPool } from '../learners/index.ts';
import { extractMetaFeatures } from '../metafeatures/index.ts';
import { loadSearchSpace, type SearchSpace } from '../spaces/index.ts';
import { fileSha256 } from '../store/canonical.ts';
import { openMetaStore } from '../store/locations.ts';
import { registerTask, taskFromDataset } from '../store/register.ts';
import type { EvaluationRecord } from '../store/records.ts';
import type { MetaStore } from '../store/types.ts';
import { MetaStoreStudyStorage } from './metastore-storage.ts';
import { createStudy } from './open-study.ts';
import { NopPruner } from './pruners/none.ts';
import { SuccessiveHalvingPruner } from './pruners/successive-halving.ts';
import { MetaSampler } from './samplers/meta.ts';
import { RandomSampler } from './samplers/random.ts';
import type { Sampler } from './samplers/sampler.ts';
import { TPESampler } from './samplers/tpe.ts';
import type { Study } from './study.ts';
import type { Trial } from './trial.ts';
import type { FrozenTrial, StudyTask } from './types.ts';
import { StudyError } from './errors.ts';
import { prepareTensorBackend } from '../metamodel/backend.ts';
import { KnnMetaModel } from '../metamodel/knn.ts';
import { LearnedMetaModel } from '../metamodel/learned.ts';
import { loadStoredMetaModel, metaModelName } from '../metamodel/serialize.ts';
import { canonicalize, evaluatedConfigurations, loadTrainingSet, withoutTasks } from '../metamodel/training-set.ts';
import type { MetaFeatureValues, MetaModel, TrainingSet } from '../metamodel/types.ts';
import type { Configuration } from '../spaces/index.ts';
import { DatasetError, InputError, StoreError } from '../errors.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { retryBusy } from './busy.ts';
import { TaskNameTakenError, TrialNotOwnedError } from './errors.ts';

/**
 * Meta-model configurations a search tries before its sampler (`metatune bench`'s learned+bo does
 * the same). Measured (10-fold leave-one-task-out, 5 seeds, first 75 configurations of the mlp
 * build, normalisation with the R² floor; the linear bench of the shipped database agrees): after 5
 * warm-start evaluations, the meta sampler's next picks were worse than the learned model's own
 * next-ranked configurations — regret after 10 evaluations .0328 against .0258, average rank 3.40
 * against 3.01 — whatever the acquisition (expected improvement, upper bound, adapted mean; with
 * or without the residual GP; stronger shrinkage of the adapted heads). After 10 the difference at
 * 25 is within noise (.0101 against .0099). So the warm start is the model's top 10.
 */
export const DEFAULT_WARM_START = 10;

/** Options of {@link runSearch}. */
export interface SearchOptions {
  /** Finished trials the study should hold at the end (a budget that survives resuming). */
  readonly budget: number;
  /** Meta-model configurations to try first (default {@link DEFAULT_WARM_START}; 0: the space's default configuration instead). */
  readonly warmStart?: number;
  readonly sampler?: 'meta' | 'tpe' | 'random';
  readonly pruner?: 'sh' | 'none';
  /** Study name; default `search-<file hash>-<space>-s<seed>`. */
  readonly study?: string;
  /** The task's name in the store (default: the dataset's name: ARFF relation or file name). */
  readonly name?: string;
  /** Grace period in ms before another process's running trial with no heartbeat is re-run (default 60 000). */
  readonly staleAfterMs?: number;
  /** Trainer worker threads (default: one per core). */
  readonly workers?: number;
  /** Trials asked and evaluated together (default 2 × workers). */
  readonly batchSize?: number;
  readonly seed?: number;
  /** Search space name or file (default `mlp`). */
  readonly space?: string;
  readonly target?: string;
  /** Full training budget in epochs for every trial (default: each configuration's `max_epochs`). */
  readonly epochs?: number;
  /** Successive halving: epochs of the first rung (default: full budget / η³, at least 1) and η (default 3). */
  readonly minEpochs?: number;
  readonly reductionFactor?: number;
  readonly protocol?: EvaluationProtocol;
  /** Retrain the best configuration and save it with its preprocessing into this folder. */
  readonly saveModel?: string;
  /** Replace an existing `model.json` in {@link saveModel} (default: refuse to). */
  readonly overwrite?: boolean;
  /** One SQLite database instead of the user database over the shipped one. */
  readonly db?: string;
  readonly signal?: AbortSignal;
  /** Called after each trial is told. */
  readonly onTrial?: (trial: FrozenTrial, progress: SearchProgress) => void;
  /** Called as the trials of a round train (after each epoch of any model, and after each trial). */
  readonly onProgress?: (progress: SearchProgress) => void;
  /** Messages for the user (fallbacks, resuming); the library never prints. */
  readonly onNotice?: (message: string) => void;
}

/** Where the search stands. */
export interface SearchProgress {
  readonly finished: number;
  readonly budget: number;
  readonly bestValue: number | undefined;
  /** The round in training: its trials, their epochs at this call, the share of those epochs done. */
  readonly training?: { readonly trials: number; readonly epochs: number | undefined; readonly done: number };
}

/** What {@link runSearch} did. */
export interface SearchResult {
  readonly study: string;
  readonly task: string;
  readonly space: string;
  /** The sampler that ran (`tpe` when `meta` fell back). */
  readonly sampler: string;
  readonly samplerFallback: string | null;
  readonly pruner: string;
  /** The protocol's primary metric for this task: the trials' value, made higher-is-better. */
  readonly primaryMetric: MetricName;
  /** The warm-start model, e.g. `learned-mlp@…`, `knn (fitted now)`, or null (default only). */
  readonly warmStartModel: string | null;
  /** Trials the study held before this call. */
  readonly resumedTrials: number;
  /** The trials this process trained to their end, by number (other processes sharing the study ran the rest). */
  readonly ranTrials: readonly number[];
  readonly trials: readonly FrozenTrial[];
  readonly best: FrozenTrial | undefined;
  /** The best trial's stored evaluation at its full fidelity. */
  readonly bestEvaluation: EvaluationRecord | undefined;
  readonly evaluationsStored: number;
  readonly savedModel: string | null;
  readonly interrupted: boolean;
  readonly wallSeconds: number;
}

/** Everything one search's rounds share. */
interface SearchRun {
  readonly dataset: Dataset;
  readonly space: SearchSpace;
  readonly study: Study;
  readonly store: MetaStore;
  readonly task: string;
  readonly pool: TrainerPool;
  readonly options: SearchOptions;
  readonly sh: SuccessiveHalvingPruner | undefined;
  stored: number;
  progress: SearchProgress;
  /** Numbers of the trials this process told. */
  readonly ran: number[];
}

/**
 * Runs (or resumes) a search; see the module comment.
 * @param file - an .arff or .csv dataset
 * @param options - see {@link SearchOptions}
 * @returns the study's trials, the best one and what was stored
 * @throws DatasetError for an unreadable file; SearchSpaceError for an unknown space; StudyError
 *   for bad options or a study of that name for another task or space; StoreError from the store
 */
export async function runSearch(file: string, options: SearchOptions): Promise<SearchResult> {
  const started = performance.now();
  checkOptions(options);
  const dataset = await loadDataset(file, { target: options.target });
  const space = loadSearchSpace(options.space ?? 'mlp');
  const contentHash = await fileSha256(file);
  const features = extractMetaFeatures(dataset);
  const store = openMetaStore({ db: options.db, write: true });
  try {
    const task = retryBusy(() => registerSearchTask(store, taskFromDataset(dataset, contentHash, options.name), features, file));
    retryBusy(() => store.addSearchSpace({ name: space.name, version: space.fingerprint(), definition: space.toJSON() }));
    const warm = await chooseWarmStartModel(store, space, task, options.onNotice);
    try {
      const { study, fallback, sh } = openSearchStudy(store, space, { name: task, metaFeatures: features.values }, `search-${contentHash.slice(0, 12)}-${space.name}-s${options.seed ?? 0}`, warm, options);
      const resumedTrials = study.trials.length;
      enqueueWarmStart(study, warm, features.values, options.warmStart ?? DEFAULT_WARM_START);
      const pool = new TrainerPool({ workers: options.workers ?? os.availableParallelism() });
      const run = await searchLoop({ dataset, space, study, store, task, sh, options, pool, stored: 0, progress: progressOf(study, options.budget), ran: [] });
      const best = study.bestTrial;
      const savedModel = options.saveModel !== undefined && best !== undefined && !run.interrupted ? await saveBest(dataset, space, best, options) : null;
      return {
        study: study.name, task, space: space.name, sampler: study.sampler.name, samplerFallback: fallback, pruner: sh === undefined ? 'none' : 'sh',
        primaryMetric: (options.protocol ?? DEFAULT_PROTOCOL).primaryMetric[dataset.task],
        warmStartModel: warm?.label ?? null, resumedTrials, ranTrials: run.ran, trials: study.trials, best, bestEvaluation: best === undefined ? undefined : bestEvaluationOf(store, task, space, best),
        evaluationsStored: run.stored, savedModel, interrupted: run.interrupted, wallSeconds: (performance.now() - started) / 1000,
      };
    } finally {
      warm?.model.dispose();
    }
  } finally {
    store.close();
  }
}

/**
 * Registers the dataset as a task with its meta-features.
 * @throws TaskNameTakenError (naming the file) when a task of that name holds other data, e.g. a
 *   user's own `iris.csv` beside the shipped iris
 */
function registerSearchTask(store: MetaStore, task: ReturnType<typeof taskFromDataset>, features: ReturnType<typeof extractMetaFeatures>, file: string): string {
  const existing = store.getTask(task.name);
  if (existing !== undefined && existing.contentHash !== task.contentHash) {
    throw new TaskNameTakenError(
      `task '${task.name}' is already in the store with other data (sha256 ${existing.contentHash.slice(0, 12)}…, this file ${task.contentHash.slice(0, 12)}…): this dataset needs another task name`,
      { file },
    );
  }
  return registerTask(store, task, features).name;
}

/** Creates the study, or resumes it (telling `onNotice`), with the sampler and pruner asked for. */
function openSearchStudy(store: MetaStore, space: SearchSpace, task: StudyTask, defaultName: string, warm: WarmStartModel | undefined, options: SearchOptions): { study: Study; fallback: string | null; sh: SuccessiveHalvingPruner | undefined } {
  const { sampler, fallback } = makeSampler(options, warm);
  if (fallback !== null) options.onNotice?.(fallback);
  const sh = options.pruner === 'sh' ? makeHalving(space, options) : undefined;
  const study = createStudy({
    name: options.study ?? defaultName, space, direction: 'maximize', seed: options.seed ?? 0, sampler, pruner: sh ?? new NopPruner(),
    storage: new MetaStoreStudyStorage(store), task, loadIfExists: true, staleAfterMs: options.staleAfterMs,
  });
  const trials = study.trials;
  const running = trials.filter((t) => t.state === 'running').length;
  if (trials.length > 0) options.onNotice?.(`resuming study '${study.name}' (${trials.length} trials stored${running > 0 ? `, ${running} running: other processes' or interrupted` : ''})`);
  return { study, fallback, sh };
}

function checkOptions(options: SearchOptions): void {
  const positive = (value: number | undefined, name: string) => {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) throw new StudyError(`${name} must be an integer ≥ 1, got ${value}`);
  };
  positive(options.budget, 'budget');
  positive(options.workers, 'workers');
  positive(options.batchSize, 'batchSize');
  positive(options.epochs, 'epochs');
  positive(options.minEpochs, 'minEpochs');
  if (options.staleAfterMs !== undefined && !(options.staleAfterMs >= 0)) throw new StudyError(`staleAfterMs must be ≥ 0, got ${options.staleAfterMs}`);
  if (options.warmStart !== undefined && (!Number.isSafeInteger(options.warmStart) || options.warmStart < 0)) throw new StudyError(`warmStart must be an integer ≥ 0, got ${options.warmStart}`);
}

/** The sampler asked for; `meta` falls back to TPE (with the reason) when no learned model exists. */
function makeSampler(options: SearchOptions, warm: WarmStartModel | undefined): { sampler: Sampler; fallback: string | null } {
  const kind = options.sampler ?? 'meta';
  if (kind === 'random') return { sampler: new RandomSampler(), fallback: null };
  if (kind === 'tpe') return { sampler: new TPESampler(), fallback: null };
  if (warm?.learned !== undefined) return { sampler: new MetaSampler({ source: warm.learned, model: warm.label, anchors: warm.candidates }), fallback: null };
  const why = warm === undefined ? 'the store has no evaluations of this space' : `the store has no trained learned model (warm start used ${warm.label}); run metatune meta-train`;
  return { sampler: new TPESampler(), fallback: `sampler meta needs a learned meta-model: ${why}; falling back to TPE` };
}

/** Successive halving whose first rung is the full budget / η³ (at least 1 epoch) unless given. */
function makeHalving(space: SearchSpace, options: SearchOptions): SuccessiveHalvingPruner {
  const eta = options.reductionFactor ?? 3;
  const full = options.epochs ?? space.fidelity?.defaultValue ?? 27;
  return new SuccessiveHalvingPruner({ minResource: options.minEpochs ?? Math.max(1, Math.floor(full / eta ** 3)), reductionFactor: eta });
}

/**
 * Rounds of claims until the study holds `budget` finished trials or the signal aborts. When the
 * budget is claimed but other processes still run trials, waits (polling) until those end or turn
 * stale and are re-claimed here.
 */
async function searchLoop(run: SearchRun): Promise<{ interrupted: boolean; stored: number; ran: readonly number[] }> {
  const { study, options } = run;
  const batch = options.batchSize ?? 2 * (options.workers ?? os.availableParallelism());
  options.onProgress?.(run.progress);
  const stopHeartbeat = study.startHeartbeat();
  let waitingOn = 0;
  try {
    for (;;) {
      if (isAborted(options)) break;
      await study.prepareSampler();
      const { trials, elsewhere } = claimRound(study, options.budget, batch);
      if (trials.length === 0) {
        if (elsewhere === 0) break;
        if (elsewhere !== waitingOn) options.onNotice?.(`the budget is claimed; waiting for ${elsewhere} trial(s) that other processes are running (re-run here if their process stops for ${study.staleAfterMs / 1000} s)`);
        waitingOn = elsewhere;
        await sleep(Math.max(20, Math.min(1000, study.staleAfterMs / 10)), undefined, { signal: options.signal }).catch(() => undefined);
        continue;
      }
      waitingOn = 0;
      try {
        await runRound(run, trials);
      } catch (error) {
        const live = new Set(study.running);
        const running = trials.filter((t) => live.has(t));
        if (isAborted(options)) {
          for (const t of running) study.release(t);
          break;
        }
        throw failRound(run, running, error);
      }
    }
  } finally {
    stopHeartbeat();
    await run.pool.close();
  }
  return { interrupted: isAborted(options), stored: run.stored, ran: run.ran };
}

/** Claims up to `batch` trials under the budget. @returns them, and how many trials other processes run when none was left */
function claimRound(study: Study, budget: number, batch: number): { trials: Trial[]; elsewhere: number } {
  const trials: Trial[] = [];
  while (trials.length < batch) {
    const claimed = study.claim(budget);
    if (claimed.trial === undefined) return { trials, elsewhere: claimed.runningElsewhere };
    trials.push(claimed.trial);
  }
  return { trials, elsewhere: 0 };
}

/**
 * A round that threw: a user's input error other than the store's (a data error found only at
 * training time) ends its running trials as failed with the message and names the dataset file;
 * any other error hands them back (released: re-run at once on resume).
 * @returns the error to rethrow
 */
function failRound(run: SearchRun, running: readonly Trial[], error: unknown): unknown {
  if (!(error instanceof InputError) || error instanceof StoreError) {
    for (const t of running) run.study.release(t);
    return error;
  }
  for (const t of running) tellAndNotify(run, t, { state: 'failed', error: error.message });
  return error.location.file === undefined ? new DatasetError(error.message, { file: run.dataset.source }, { cause: error }) : error;
}

function isAborted(options: SearchOptions): boolean {
  return options.signal?.aborted === true;
}

/** Evaluates a batch of trials (rung by rung under successive halving) and tells each. */
async function runRound(run: SearchRun, trials: readonly Trial[]): Promise<void> {
  let active = [...trials];
  for (let rung = 0; active.length > 0; rung++) {
    const step = run.sh?.rungStep(rung);
    const partial = step === undefined ? [] : active.filter((t) => step < fullEpochs(run, t));
    const complete = active.filter((t) => !partial.includes(t));
    if (complete.length > 0) for (const [t, e] of await evaluateTrials(run, complete, run.options.epochs)) finish(run, t, e);
    if (partial.length === 0 || step === undefined) break;
    const atRung = await evaluateTrials(run, partial, step);
    // every rung value is stored before the pruner judges any of them
    const owned = atRung.filter(([t, e]) => e.status !== 'ok' || e.primaryScore === null || reportOwned(run, t, step, e.primaryScore));
    active = [];
    for (const [t, e] of owned) {
      if (e.status !== 'ok' || e.primaryScore === null) finish(run, t, e);
      else if (t.shouldPrune()) tellAndNotify(run, t, { state: 'pruned' });
      else active.push(t);
    }
  }
}

/** One `evaluate` call for the trials at `epochs` (undefined: each one's `max_epochs`); each evaluation is stored. */
async function evaluateTrials(run: SearchRun, trials: readonly Trial[], epochs: number | undefined): Promise<[Trial, Evaluation][]> {
  const onProgress = run.options.onProgress;
  const evaluations = await evaluate(run.dataset, run.space, trials.map((t) => t.config), {
    pool: run.pool, seed: run.options.seed ?? 0, epochs, protocol: run.options.protocol, signal: run.options.signal,
    onProgress: onProgress === undefined ? undefined : (p) => onProgress({ ...run.progress, training: { trials: trials.length, epochs, done: p.epochsBudget > 0 ? p.epochsDone / p.epochsBudget : 1 } }),
  });
  const rows = evaluations.map((e) => evaluationToInput(run.task, run.space.name, e));
  const onRetry = (attempt: number) => {
    if (attempt === 1) run.options.onNotice?.('the database is busy (another process holds its write lock past the busy timeout); retrying the write');
  };
  run.stored += retryBusy(() => run.store.addEvaluations(rows), { onRetry }).inserted;
  return trials.map((t, i) => [t, evaluations[i]]);
}

function fullEpochs(run: SearchRun, trial: Trial): number {
  if (run.options.epochs !== undefined) return run.options.epochs;
  const fidelity = run.space.fidelity;
  const value = fidelity === undefined ? undefined : trial.config[fidelity.name];
  return typeof value === 'number' ? value : (fidelity?.defaultValue ?? 0);
}

/**
 * Reports a rung value. @returns false (with a notice) when the trial is no longer this process's:
 * its heartbeat stopped past the grace period and another process re-claimed it.
 */
function reportOwned(run: SearchRun, trial: Trial, step: number, value: number): boolean {
  try {
    trial.report(step, value);
    return true;
  } catch (error) {
    if (!(error instanceof TrialNotOwnedError)) throw error;
    run.options.onNotice?.(error.message);
    return false;
  }
}

function finish(run: SearchRun, trial: Trial, evaluation: Evaluation): void {
  if (evaluation.status === 'ok' && evaluation.primaryScore !== null) {
    if (!reportOwned(run, trial, evaluation.fidelity, evaluation.primaryScore)) return;
    tellAndNotify(run, trial, { value: evaluation.primaryScore });
  } else {
    tellAndNotify(run, trial, { state: 'failed', error: evaluation.error ?? 'evaluation failed' });
  }
}

function tellAndNotify(run: SearchRun, trial: Trial, outcome: Parameters<Study['tell']>[1]): void {
  let frozen: FrozenTrial;
  try {
    frozen = run.study.tell(trial, outcome);
  } catch (error) {
    if (!(error instanceof TrialNotOwnedError)) throw error;
    run.options.onNotice?.(error.message);
    return;
  }
  run.ran.push(frozen.number);
  run.progress = progressOf(run.study, run.options.budget);
  run.options.onTrial?.(frozen, run.progress);
  run.options.onProgress?.(run.progress);
}

function progressOf(study: Study, budget: number): SearchProgress {
  return { finished: study.trials.filter((t) => t.state !== 'running').length, budget, bestValue: study.bestTrial?.value ?? undefined };
}

/** The stored evaluation of the best trial's configuration at its highest fidelity. */
function bestEvaluationOf(store: MetaStore, task: string, space: SearchSpace, best: FrozenTrial): EvaluationRecord | undefined {
  const records = store.listEvaluations({ task, space: space.name, configHash: best.configHash, status: 'ok' });
  return records.reduce<EvaluationRecord | undefined>((top, r) => (top === undefined || r.fidelity > top.fidelity ? r : top), undefined);
}

/** Retrains the best configuration at its full budget, keeping the model, and saves it. */
async function saveBest(dataset: Dataset, space: SearchSpace, best: FrozenTrial, options: SearchOptions): Promise<string> {
  const [evaluation] = await evaluate(dataset, space, [best.config], { seed: options.seed ?? 0, epochs: options.epochs, protocol: options.protocol, keepModels: true, signal: options.signal });
  return saveTrainedModel(options.saveModel ?? '.', evaluation, { overwrite: options.overwrite === true });
}

/** The meta-model that warm-starts a search, and the candidates it ranks. */
interface WarmStartModel {
  readonly model: MetaModel;
  /** e.g. `learned-mlp@2026-…` or `knn (fitted now)`. */
  readonly label: string;
  /** The same model when it is a learned one (a surrogate for the meta sampler). */
  readonly learned: LearnedMetaModel | undefined;
  readonly candidates: readonly Configuration[];
}

/** Space-filling samples the learned model scores besides the stored configurations. */
const LEARNED_POOL = 256;

/**
 * The store's trained learned model of the space, else knn fitted on the store's evaluations
 * (the task itself left out), else undefined.
 */
async function chooseWarmStartModel(store: MetaStore, space: SearchSpace, task: string, onNotice?: (message: string) => void): Promise<WarmStartModel | undefined> {
  const training = trainingSetWithout(store, space.name, task);
  const stored = await storedLearnedModel(store, space, onNotice);
  const seen = training === undefined ? [] : evaluatedConfigurations(training).map((c) => c.config);
  if (stored instanceof LearnedMetaModel && stored.space.fingerprint() === space.fingerprint()) {
    const version = store.getMetaModel(metaModelName('learned', space.name))?.version ?? '?';
    return { model: stored, label: `learned-${space.name}@${version}`, learned: stored, candidates: validIn(space, [...seen, ...space.sampleSpaceFilling(LEARNED_POOL, 0)]) };
  }
  if (stored !== undefined) {
    onNotice?.(`ignoring the stored learned model: it was trained for another version of search space '${space.name}' (retrain with metatune meta-train)`);
    stored.dispose();
  }
  if (training === undefined) return undefined;
  return { model: KnnMetaModel.fit(training), label: 'knn (fitted now)', learned: undefined, candidates: validIn(space, seen) };
}

/** The store's learned model of the space; undefined (with a notice) when it cannot be read. */
async function storedLearnedModel(store: MetaStore, space: SearchSpace, onNotice?: (message: string) => void): Promise<MetaModel | undefined> {
  if (store.getMetaModel(metaModelName('learned', space.name)) === undefined) return undefined;
  await prepareTensorBackend();
  try {
    return loadStoredMetaModel(store, 'learned', space.name);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    onNotice?.(`ignoring the stored learned model: ${error.message}`);
    return undefined;
  }
}

function trainingSetWithout(store: MetaStore, space: string, task: string): TrainingSet | undefined {
  try {
    const training = withoutTasks(loadTrainingSet(store, space), new Set([task]));
    return training.tasks.length > 0 ? training : undefined;
  } catch (error) {
    if (error instanceof StoreError) return undefined;
    throw error;
  }
}

function validIn(space: SearchSpace, configs: readonly Configuration[]): Configuration[] {
  const byHash = new Map<string, Configuration>();
  for (const config of configs) {
    const valid = canonicalize(space, config);
    if (valid !== undefined) byHash.set(valid.hash, valid.config);
  }
  return [...byHash.values()];
}

/**
 * Enqueues the model's top `k` configurations (origin `warm-start:<type>`); without a model or with
 * `k` = 0, the space's default (origin `default`) instead: the meta-model has seen the default on
 * every past task (it opens the shipped design) and ranks it with the rest, so it is not tried on
 * top of the model's picks. Idempotent on a resumed study: configurations already tried are skipped.
 */
function enqueueWarmStart(study: Study, warm: WarmStartModel | undefined, metaFeatures: MetaFeatureValues, k: number): void {
  if (warm !== undefined && k > 0 && warm.candidates.length > 0) {
    for (const ranked of warm.model.rank({ metaFeatures }, warm.candidates).slice(0, k)) {
      study.enqueue(ranked.config, { origin: `warm-start:${warm.model.type}` });
    }
    return;
  }
  study.enqueue(study.space.defaultConfiguration(), { origin: 'default' });
}
