/**
 * Meta-models: rank configurations of a search space for a new task from what past tasks taught.
 * `knn` (auto-sklearn 1.0), `portfolio` (auto-sklearn 2.0 / FLAML zero-shot) and `learned` (the
 * default: an episodically meta-trained, task-adapted network ensemble) share {@link MetaModel}.
 */
export type * from './types.ts';
export { META_MODEL_TYPES } from './types.ts';
export { KnnMetaModel, type KnnOptions } from './knn.ts';
export { PortfolioMetaModel, greedyPortfolio, portfolioRegret, type PortfolioOptions } from './portfolio.ts';
export { LearnedMetaModel, type LearnedOptions } from './learned.ts';
export { TaskSurrogate, type SurrogatePrediction } from './surrogate.ts';
export { fitMetaModel, type MetaModelOptions } from './factory.ts';
export { loadTrainingSet, resolveSpace, withoutTasks, evaluatedConfigurations, canonicalize } from './training-set.ts';
export { crossValidate, heldOutQuality, taskFolds, type CrossValidationReport, type HeldOutQuality } from './cross-validate.ts';
export { regretCurve, spearman } from './regret.ts';
export { encodeMetaModel, decodeMetaModel, saveMetaModel, loadStoredMetaModel, metaModelName } from './serialize.ts';
export { prepareTensorBackend } from './backend.ts';
export { recommend, DEFAULT_RECOMMEND_POOL, type RecommendOptions, type Recommendations, type SpaceRecommendation } from './recommend.ts';
export { MetaFeatureScaler } from './features.ts';
