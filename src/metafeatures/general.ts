/**
 * General meta-features: auto-sklearn's simple features (sizes, ratios, missing values, class
 * distribution, symbols of nominal features), with auto-sklearn's names and formulas.
 */
import { countMissing, type Column } from '../data/table.ts';
import type { FeatureSink } from './types.ts';
import type { DatasetView } from './view.ts';
import { summarize } from './moments.ts';

/** Names of the general group, in output order. */
export const GENERAL_FEATURES = [
  'NumberOfInstances', 'LogNumberOfInstances', 'NumberOfClasses', 'NumberOfFeatures', 'LogNumberOfFeatures',
  'NumberOfNumericFeatures', 'NumberOfCategoricalFeatures', 'RatioNumericalToNominal', 'RatioNominalToNumerical',
  'DatasetRatio', 'LogDatasetRatio', 'InverseDatasetRatio', 'LogInverseDatasetRatio',
  'NumberOfMissingValues', 'PercentageOfMissingValues', 'NumberOfFeaturesWithMissingValues',
  'PercentageOfFeaturesWithMissingValues', 'NumberOfInstancesWithMissingValues',
  'PercentageOfInstancesWithMissingValues', 'ClassEntropy', 'ClassProbabilityMin', 'ClassProbabilityMax',
  'ClassProbabilityMean', 'ClassProbabilitySTD', 'SymbolsMin', 'SymbolsMax', 'SymbolsMean', 'SymbolsSTD', 'SymbolsSum',
] as const;

/**
 * Computes the general group.
 * @param view - the prepared dataset
 * @param sink - receives every name of {@link GENERAL_FEATURES}
 */
export function extractGeneral(view: DatasetView, sink: FeatureSink): void {
  const n = view.nRows;
  const d = view.dataset.features.length;
  sink.set('NumberOfInstances', n);
  sink.set('LogNumberOfInstances', n > 0 ? Math.log(n) : null, 'the dataset has no rows');
  sink.set('NumberOfFeatures', d);
  sink.set('LogNumberOfFeatures', d > 0 ? Math.log(d) : null, 'the dataset has no features');
  setTypeCounts(view, sink);
  setRatios(n, d, sink);
  setMissingCounts(view, sink);
  setClassDistribution(view, sink);
  setSymbols(view, sink);
}

function setTypeCounts(view: DatasetView, sink: FeatureSink): void {
  const numeric = view.numeric.length;
  const nominal = view.categorical.length;
  sink.set('NumberOfNumericFeatures', numeric);
  sink.set('NumberOfCategoricalFeatures', nominal);
  // auto-sklearn returns 0 instead of dividing by zero.
  sink.set('RatioNumericalToNominal', nominal === 0 ? 0 : numeric / nominal);
  sink.set('RatioNominalToNumerical', numeric === 0 ? 0 : nominal / numeric);
}

function setRatios(n: number, d: number, sink: FeatureSink): void {
  const noRows = 'the dataset has no rows';
  const noFeatures = 'the dataset has no features';
  sink.set('DatasetRatio', n > 0 ? d / n : null, noRows);
  sink.set('LogDatasetRatio', n > 0 && d > 0 ? Math.log(d / n) : null, n > 0 ? noFeatures : noRows);
  sink.set('InverseDatasetRatio', d > 0 ? n / d : null, noFeatures);
  sink.set('LogInverseDatasetRatio', n > 0 && d > 0 ? Math.log(n / d) : null, d > 0 ? noRows : noFeatures);
}

function isMissingAt(column: Column, row: number): boolean {
  return column.kind === 'numeric' ? Number.isNaN(column.values[row]) : column.codes[row] < 0;
}

function setMissingCounts(view: DatasetView, sink: FeatureSink): void {
  const { nRows: n, dataset } = view;
  const d = dataset.features.length;
  let cells = 0;
  let columnsWithMissing = 0;
  const rowHasMissing = new Uint8Array(n);
  // A numeric column's present values are counted by the view's shared moments (computed once
  // for the statistical group too).
  const numericIndex = new Map(view.numeric.map((c, j) => [c, j]));
  for (const column of dataset.features) {
    const j = column.kind === 'numeric' ? numericIndex.get(column) : undefined;
    const k = j !== undefined ? n - view.numericMoments(j).n : countMissing(column);
    cells += k;
    if (k === 0) continue;
    columnsWithMissing++;
    for (let i = 0; i < n; i++) if (isMissingAt(column, i)) rowHasMissing[i] = 1;
  }
  let rows = 0;
  for (const flag of rowHasMissing) rows += flag;
  const empty = n === 0 || d === 0 ? 'the dataset has no cells' : '';
  sink.set('NumberOfMissingValues', cells);
  sink.set('PercentageOfMissingValues', empty ? null : cells / (n * d), empty);
  sink.set('NumberOfFeaturesWithMissingValues', columnsWithMissing);
  sink.set('PercentageOfFeaturesWithMissingValues', d > 0 ? columnsWithMissing / d : null, 'the dataset has no features');
  sink.set('NumberOfInstancesWithMissingValues', rows);
  sink.set('PercentageOfInstancesWithMissingValues', n > 0 ? rows / n : null, 'the dataset has no rows');
}

const CLASS_FEATURES = ['NumberOfClasses', 'ClassEntropy', 'ClassProbabilityMin', 'ClassProbabilityMax', 'ClassProbabilityMean', 'ClassProbabilitySTD'];

function setClassDistribution(view: DatasetView, sink: FeatureSink): void {
  if (view.classes === null) {
    sink.setAllMissing(CLASS_FEATURES, 'defined for classification tasks only');
    return;
  }
  const total = view.labeled.length;
  if (total === 0) {
    sink.setAllMissing(CLASS_FEATURES, 'no row has a class');
    return;
  }
  const p = view.classCounts.map((c) => c / total);
  const s = summarize(p);
  sink.set('NumberOfClasses', view.nClasses);
  sink.set('ClassEntropy', entropyBits(view.classCounts));
  sink.set('ClassProbabilityMin', s.min);
  sink.set('ClassProbabilityMax', s.max);
  sink.set('ClassProbabilityMean', s.mean);
  sink.set('ClassProbabilitySTD', s.std);
}

/**
 * Shannon entropy in bits of a frequency table (scipy.stats.entropy(counts, base=2)).
 * @param counts - absolute frequencies; zeros contribute nothing
 * @returns the entropy, 0 for a single value, NaN for an empty table
 */
export function entropyBits(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return NaN;
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c > 0) h -= (c / total) * Math.log2(c / total);
  }
  return h;
}

/** Number of levels of a nominal column that occur at least once (auto-sklearn's NumSymbols). */
function occurringLevels(codes: Int32Array, nLevels: number): number {
  const seen = new Uint8Array(nLevels);
  let k = 0;
  for (const c of codes) {
    if (c >= 0 && seen[c] === 0) {
      seen[c] = 1;
      k++;
    }
  }
  return k;
}

function setSymbols(view: DatasetView, sink: FeatureSink): void {
  const symbols = view.categorical.map((c) => occurringLevels(c.codes, c.levels.length));
  // auto-sklearn: columns without any symbol do not count; 0 when there is no nominal feature.
  const s = summarize(symbols.filter((k) => k > 0));
  sink.set('SymbolsMin', s.count > 0 ? s.min : 0);
  sink.set('SymbolsMax', s.count > 0 ? s.max : 0);
  sink.set('SymbolsMean', s.count > 0 ? s.mean : 0);
  sink.set('SymbolsSTD', s.count > 0 ? s.std : 0);
  sink.set('SymbolsSum', symbols.reduce((a, b) => a + b, 0));
}
