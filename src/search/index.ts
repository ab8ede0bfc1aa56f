/**
 * The search layer: ask/tell studies persisted through a {@link StudyStorage}, samplers (random,
 * TPE) and pruners (none, successive halving) behind one interface each, and `optimize`.
 */
export type { FrozenTrial, TellOutcome, StudyTask, SearchHistory, KnownOrigin } from './types.ts';
export { ORIGIN_PATTERN } from './types.ts';
export { StudyError, TrialNotOwnedError, TaskNameTakenError } from './errors.ts';
export type { StudyStorage, WaitingTrial, TrialOwner, TrialClaim, ClaimResult } from './storage.ts';
export { retryBusy, isBusyError } from './busy.ts';
export { InMemoryStudyStorage } from './memory-storage.ts';
export { MetaStoreStudyStorage } from './metastore-storage.ts';
export { Trial, TrialPruned, type TrialParams } from './trial.ts';
export type { Distribution, FloatDistribution, IntDistribution, CategoricalDistribution, SuggestNumberOptions } from './distributions.ts';
export { Study, DEFINE_BY_RUN_SPACE, DEFAULT_STALE_AFTER_MS, newTrialOwner, type EnqueueOptions, type StudyClaim } from './study.ts';
export { createStudy, loadStudy, resolveStorage, type CreateStudyOptions, type LoadStudyOptions, type StudyStorageSpec } from './open-study.ts';
export { warmStartStudy, type WarmStartOptions, type WarmStartResult } from './warm-start.ts';
export { resolveStudyTask, datasetContentHash, type StudyTaskSpec, type NamedStudyTask } from './study-task.ts';
export { optimize, type Objective, type OptimizeOptions, type OptimizeResult } from './optimize.ts';
export type { Sampler } from './samplers/sampler.ts';
export { RandomSampler } from './samplers/random.ts';
export { TPESampler, defaultGamma, type TPEOptions } from './samplers/tpe.ts';
export type { Pruner, PruningContext } from './pruners/pruner.ts';
export { NopPruner } from './pruners/none.ts';
export { SuccessiveHalvingPruner, isPromotable, type SuccessiveHalvingOptions } from './pruners/successive-halving.ts';
