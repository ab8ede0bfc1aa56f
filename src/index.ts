/**
 * metatune's library API. The CLI is a thin layer over what is exported here.
 */
export * from './errors.ts';
export * from './data/table.ts';
export { VERSION } from './version.ts';
export * from './data/index.ts';
export * from './spaces/index.ts';
export * from './evaluation/index.ts';
export * from './store/index.ts';
export * from './metafeatures/index.ts';
export * from './search/index.ts';
export * from './metamodel/index.ts';
export * from './bench/index.ts';
export { runSearch, type SearchOptions, type SearchResult, type SearchProgress } from './search/run-search.ts';
export { MetaSampler, expectedImprovement, type MetaSamplerOptions, type SurrogateSource, type TaskSurrogateLike } from './search/samplers/meta.ts';
export { trainBatch, checkTask, TrainerPool, DenseNetwork, predict, parseModelSpec, type TrainTask, type TrainRequest, type TrainOutcome, type TrainingData, type SerializedModel, type TrainBatchOptions, type TrainerPoolOptions, type ModelSpec } from './learners/index.ts';
export { selectBackend, parseBackendPreference, activeBackend, BACKEND_NAMES, type BackendName, type BackendPreference, type BackendSelection, type GpuAdapter } from './backend/index.ts';
export * from './report/index.ts';
