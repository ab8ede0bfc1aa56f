/**
 * Combining the folds of one configuration into one evaluation: metrics are averaged over folds,
 * learning curves are averaged epoch by epoch over the folds that reached that epoch.
 */

/** Per-epoch training and validation losses, index 0 being the first epoch. */
export interface LearningCurve {
  readonly trainLoss: readonly number[];
  readonly validLoss: readonly number[];
}

/**
 * Averages learning curves epoch by epoch. Folds stop early at different epochs, so epoch `e`
 * of the result averages the folds that ran at least `e + 1` epochs; the result is as long as
 * the longest curve.
 * @param curves - one curve per fold
 * @returns the averaged curve
 */
export function averageCurves(curves: readonly LearningCurve[]): LearningCurve {
  return {
    trainLoss: averageSeries(curves.map((c) => c.trainLoss)),
    validLoss: averageSeries(curves.map((c) => c.validLoss)),
  };
}

/**
 * Averages series of unequal lengths position by position.
 * @param series - the series
 * @returns position `i` holds the mean of the series that have a position `i`
 */
export function averageSeries(series: readonly (readonly number[])[]): number[] {
  const length = Math.max(0, ...series.map((s) => s.length));
  const result: number[] = [];
  for (let i = 0; i < length; i++) {
    let sum = 0;
    let n = 0;
    for (const s of series) {
      if (i < s.length) {
        sum += s[i];
        n++;
      }
    }
    result.push(sum / n);
  }
  return result;
}

/**
 * Averages metric records over folds. A metric missing from a fold or NaN there (e.g. a ROC AUC
 * undefined on a fold holding one class) is averaged over the folds where it is defined; a
 * metric defined on no fold is left out.
 * @param folds - one metric record per fold
 * @returns the mean of each metric
 */
export function averageMetrics(folds: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const metrics of folds) {
    for (const [name, value] of Object.entries(metrics)) {
      if (!Number.isFinite(value)) continue;
      const entry = sums.get(name) ?? { sum: 0, n: 0 };
      entry.sum += value;
      entry.n++;
      sums.set(name, entry);
    }
  }
  const result: Record<string, number> = {};
  for (const [name, { sum, n }] of sums) result[name] = sum / n;
  return result;
}

/**
 * Arithmetic mean, 0 for an empty list.
 * @param values - numbers to average
 * @returns their mean
 */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
