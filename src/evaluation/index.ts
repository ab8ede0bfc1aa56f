/**
 * The evaluation protocol: scoring configurations on a dataset (holdout or k-fold), the metrics,
 * the protocols that make scores comparable, and saved models.
 */
export * from './metrics.ts';
export { binaryRocAuc, macroOvrRocAuc, averageRanks, type MacroAucResult } from './roc-auc.ts';
export * from './protocol.ts';
export type * from './types.ts';
export { evaluate, learnerOf } from './evaluate.ts';
export { planFolds, capRows, type FoldPlan } from './folds.ts';
export { averageCurves, averageMetrics, averageSeries, type LearningCurve } from './aggregate.ts';
export { saveTrainedModel, loadSavedModel, SavedModel, SAVED_MODEL_FILE, SAVED_MODEL_FILES, type SavedModelJSON, type RawPrediction } from './saved-model.ts';
export type { Prediction, PreprocessingJSON } from '../predictor/preprocessing.ts';
