/**
 * Scoring metrics of the evaluation protocol. Classification metrics take class indices and
 * row-major class probabilities; regression metrics take targets and predictions on the original
 * scale of the target (undo any standardisation first). Every function matches scikit-learn's
 * function of the same name on the inputs it accepts.
 */
import { macroOvrRocAuc } from './roc-auc.ts';

/** Names of the metrics the protocol records. */
export type ClassificationMetricName = 'accuracy' | 'balancedAccuracy' | 'logLoss' | 'rocAuc';
export type RegressionMetricName = 'rmse' | 'mae' | 'r2';
export type MetricName = ClassificationMetricName | RegressionMetricName;

/** Whether larger values of a metric are better. */
export type MetricDirection = 'maximize' | 'minimize';

/** Direction of every metric, used to turn any metric into a higher-is-better score. */
export const METRIC_DIRECTIONS: Readonly<Record<MetricName, MetricDirection>> = {
  accuracy: 'maximize',
  balancedAccuracy: 'maximize',
  logLoss: 'minimize',
  rocAuc: 'maximize',
  rmse: 'minimize',
  mae: 'minimize',
  r2: 'maximize',
};

/** Probabilities are clipped to [LOG_LOSS_EPS, 1 − LOG_LOSS_EPS] before the logarithm. */
export const LOG_LOSS_EPS = 1e-15;

/** The classification metrics of one scored split. */
export interface ClassificationReport {
  readonly metrics: Readonly<Record<ClassificationMetricName, number>>;
  /** Classes left out of the macro ROC AUC because the split holds none of them (or only them). */
  readonly aucSkippedClasses: readonly number[];
}

/**
 * Turns a metric value into a score where higher is always better (negates minimised metrics).
 * @param name - the metric
 * @param value - its value
 * @returns `value` for maximised metrics, `-value` for minimised ones
 */
export function higherIsBetter(name: MetricName, value: number): number {
  return METRIC_DIRECTIONS[name] === 'maximize' ? value : -value;
}

/**
 * Index of the largest probability of each row (the first one on ties).
 * @param proba - row-major `nRows × nClasses` probabilities
 * @param nClasses - number of classes
 * @returns the predicted class of each row
 */
export function argmaxRows(proba: ArrayLike<number>, nClasses: number): Int32Array {
  const nRows = Math.floor(proba.length / nClasses);
  const predicted = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) {
    let best = 0;
    for (let c = 1; c < nClasses; c++) if (proba[i * nClasses + c] > proba[i * nClasses + best]) best = c;
    predicted[i] = best;
  }
  return predicted;
}

/**
 * Fraction of rows whose predicted class is the true class (`accuracy_score`).
 * @param yTrue - true class indices
 * @param yPred - predicted class indices
 * @returns accuracy in [0, 1]; NaN for no rows
 */
export function accuracy(yTrue: Int32Array, yPred: Int32Array): number {
  checkLengths(yTrue.length, yPred.length);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return yTrue.length > 0 ? correct / yTrue.length : NaN;
}

/**
 * Mean per-class recall over the classes present in `yTrue` (`balanced_accuracy_score`):
 * chance level is 1/K whatever the class balance.
 * @param yTrue - true class indices
 * @param yPred - predicted class indices
 * @returns balanced accuracy in [0, 1]; NaN for no rows
 */
export function balancedAccuracy(yTrue: Int32Array, yPred: Int32Array): number {
  checkLengths(yTrue.length, yPred.length);
  const support = new Map<number, number>();
  const hits = new Map<number, number>();
  for (let i = 0; i < yTrue.length; i++) {
    const c = yTrue[i];
    support.set(c, (support.get(c) ?? 0) + 1);
    if (yPred[i] === c) hits.set(c, (hits.get(c) ?? 0) + 1);
  }
  if (support.size === 0) return NaN;
  let sum = 0;
  for (const [c, n] of support) sum += (hits.get(c) ?? 0) / n;
  return sum / support.size;
}

/**
 * Mean negative log-likelihood of the true classes (`log_loss`). Each row is clipped to
 * [{@link LOG_LOSS_EPS}, 1 − eps] and renormalised to sum to one, so a confident mistake costs
 * about 34.5 nats instead of infinity.
 * @param yTrue - true class indices
 * @param proba - row-major `yTrue.length × nClasses` probabilities
 * @param nClasses - number of classes
 * @returns the log loss (≥ 0); NaN for no rows
 */
export function logLoss(yTrue: Int32Array, proba: ArrayLike<number>, nClasses: number): number {
  checkLengths(yTrue.length * nClasses, proba.length);
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    let rowSum = 0;
    for (let c = 0; c < nClasses; c++) rowSum += clip(proba[i * nClasses + c]);
    total -= Math.log(clip(proba[i * nClasses + yTrue[i]]) / rowSum);
  }
  return yTrue.length > 0 ? total / yTrue.length : NaN;
}

/**
 * Every classification metric of one split.
 * @param yTrue - true class indices
 * @param proba - row-major `yTrue.length × nClasses` probabilities
 * @param nClasses - number of classes
 * @returns the metrics and the classes the ROC AUC skipped
 */
export function classificationReport(yTrue: Int32Array, proba: ArrayLike<number>, nClasses: number): ClassificationReport {
  const yPred = argmaxRows(proba, nClasses);
  const auc = macroOvrRocAuc(yTrue, proba, nClasses);
  return {
    metrics: {
      accuracy: accuracy(yTrue, yPred),
      balancedAccuracy: balancedAccuracy(yTrue, yPred),
      logLoss: logLoss(yTrue, proba, nClasses),
      rocAuc: auc.value,
    },
    aucSkippedClasses: auc.skippedClasses,
  };
}

/**
 * Root mean squared error (`root_mean_squared_error`).
 * @returns RMSE in the target's unit; NaN for no rows
 */
export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLengths(yTrue.length, yPred.length);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += (yTrue[i] - yPred[i]) ** 2;
  return yTrue.length > 0 ? Math.sqrt(sum / yTrue.length) : NaN;
}

/**
 * Mean absolute error (`mean_absolute_error`).
 * @returns MAE in the target's unit; NaN for no rows
 */
export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLengths(yTrue.length, yPred.length);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += Math.abs(yTrue[i] - yPred[i]);
  return yTrue.length > 0 ? sum / yTrue.length : NaN;
}

/**
 * Coefficient of determination (`r2_score` with `force_finite=True`): 1 − SSres/SStot. For a
 * constant target it is 1 when the predictions are exact and 0 otherwise.
 * @returns R² (≤ 1, unbounded below); NaN for no rows
 */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLengths(yTrue.length, yPred.length);
  const n = yTrue.length;
  if (n === 0) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (yTrue[i] - yPred[i]) ** 2;
    ssTot += (yTrue[i] - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/**
 * Every regression metric of one split, on the original scale of the target.
 * @param yTrue - true targets
 * @param yPred - predictions
 * @returns RMSE, MAE and R²
 */
export function regressionReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Readonly<Record<RegressionMetricName, number>> {
  return { rmse: rmse(yTrue, yPred), mae: mae(yTrue, yPred), r2: r2(yTrue, yPred) };
}

function clip(p: number): number {
  return Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p));
}

function checkLengths(expected: number, actual: number): void {
  if (expected !== actual) throw new RangeError(`metric inputs disagree in length: ${expected} vs ${actual}`);
}
