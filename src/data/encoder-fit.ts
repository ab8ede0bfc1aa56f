/**
 * Fitting the encoder's statistics on the training rows: medians, means and scales of numeric
 * features, kept levels and modes of categorical ones, the target's classes or scale.
 */
import type { CategoricalColumn, Column, Dataset, NumericColumn } from './table.ts';
import type { ResolvedEncoderOptions } from './encode-options.ts';
import type { CategoricalFeatureSpec, FeatureSpec, NumericFeatureSpec, TargetSpec } from './encoder-spec.ts';

/**
 * Fits one feature on the training rows.
 * @param column - the feature column
 * @param rows - training row indices
 * @param options - the resolved encoder options
 */
export function fitFeature(column: Column, rows: Int32Array, options: ResolvedEncoderOptions): FeatureSpec {
  return column.kind === 'numeric' ? fitNumeric(column, rows, options) : fitCategorical(column, rows, options);
}

function fitNumeric(column: NumericColumn, rows: Int32Array, options: ResolvedEncoderOptions): NumericFeatureSpec {
  const present = new Float64Array(rows.length);
  let n = 0;
  for (const r of rows) {
    const v = column.values[r];
    if (Number.isFinite(v)) present[n++] = v;
  }
  const values = present.subarray(0, n).sort();
  const median = n === 0 ? 0 : n % 2 === 1 ? values[(n - 1) / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  // Imputed rows take the median, so the statistics include them as they will be seen.
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const total = rows.length;
  const mean = total === 0 ? 0 : (sum + (total - n) * median) / total;
  let squares = (total - n) * (median - mean) ** 2;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  const std = total > 0 ? Math.sqrt(squares / total) : 0;
  const standardize = options.standardize && std > 1e-12;
  return {
    kind: 'numeric',
    name: column.name,
    median,
    mean: standardize ? mean : 0,
    scale: standardize ? std : 1,
    indicator: options.missingIndicators && n < total,
  };
}

function fitCategorical(column: CategoricalColumn, rows: Int32Array, options: ResolvedEncoderOptions): CategoricalFeatureSpec {
  const counts = new Int32Array(column.levels.length);
  let missing = 0;
  for (const r of rows) {
    const c = column.codes[r];
    if (c >= 0) counts[c]++;
    else missing++;
  }
  const seen = [...counts.keys()].filter((c) => counts[c] > 0).sort((a, b) => counts[b] - counts[a] || a - b);
  const eligible = seen.filter((c) => counts[c] >= options.minLevelCount);
  const cap = Math.max(1, options.maxLevels);
  const grouped = eligible.length < seen.length || eligible.length > cap;
  const kept = grouped ? eligible.slice(0, cap - 1) : eligible;
  return {
    kind: 'categorical',
    name: column.name,
    levels: kept.map((c) => column.levels[c]),
    other: grouped,
    mode: seen.length > 0 ? column.levels[seen[0]] : null,
    indicator: options.missingIndicators && missing > 0,
  };
}

/**
 * Fits the target on the training rows.
 * @param dataset - the task
 * @param rows - training row indices
 * @param options - the resolved encoder options
 */
export function fitTarget(dataset: Dataset, rows: Int32Array, options: ResolvedEncoderOptions): TargetSpec {
  const target = dataset.target;
  if (target.kind === 'categorical') return { kind: 'classification', name: target.name, classes: target.levels };
  if (!options.standardizeTarget) return { kind: 'regression', name: target.name, mean: 0, scale: 1 };
  let sum = 0;
  for (const r of rows) sum += target.values[r];
  const mean = rows.length > 0 ? sum / rows.length : 0;
  let squares = 0;
  for (const r of rows) squares += (target.values[r] - mean) ** 2;
  const std = rows.length > 0 ? Math.sqrt(squares / rows.length) : 0;
  return { kind: 'regression', name: target.name, mean, scale: std > 1e-12 ? std : 1 };
}
