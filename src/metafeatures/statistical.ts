/**
 * Statistical meta-features of the numeric features: auto-sklearn's skewness and kurtosis
 * summaries (scipy, bias=True), pymfe's `skewness`/`kurtosis` (e1071 type 3) and `cor`
 * (absolute Pearson between attributes), and, for regression, the target's moments and its
 * absolute correlation with each feature. Missing values are skipped per column.
 */
import type { FeatureSink } from './types.ts';
import type { DatasetView } from './view.ts';
import { kurtosis, kurtosisType3, moments, skewness, skewnessType3, summarize, type Summary } from './moments.ts';
import { absolutePairCorrelations, absoluteTargetCorrelations } from './correlation.ts';
import { sampleIndices } from './design.ts';
import { Random, deriveSeed } from '../random.ts';

/** `cor` costs one pass per pair: above this many numeric columns, a seeded sample is used. */
export const COR_MAX_COLUMNS = 300;

/** Names of the statistical group, in output order. */
export const STATISTICAL_FEATURES = [
  'SkewnessMin', 'SkewnessMax', 'SkewnessMean', 'SkewnessSTD', 'KurtosisMin', 'KurtosisMax', 'KurtosisMean', 'KurtosisSTD',
  'skewness.mean', 'skewness.sd', 'kurtosis.mean', 'kurtosis.sd', 'cor.mean', 'cor.sd', 'cor.max',
  'TargetSkewness', 'TargetKurtosis', 'TargetCorrelationMean', 'TargetCorrelationMax',
] as const;

/**
 * Computes the statistical group.
 * @param view - the prepared dataset
 * @param sink - receives every name of {@link STATISTICAL_FEATURES}
 * @param seed - seeds the column sample of `cor` on very wide data
 */
export function extractStatistical(view: DatasetView, sink: FeatureSink, seed: number): void {
  const columns = view.numeric.map((c) => c.values);
  const stats = columns.map((_, j) => view.numericMoments(j));
  setAutoSklearnMoments('Skewness', summarize(stats.map(skewness)), sink);
  setAutoSklearnMoments('Kurtosis', summarize(stats.map(kurtosis)), sink);
  const none = view.numeric.length === 0 ? 'the dataset has no numeric feature' : 'every numeric feature is constant or empty';
  setMeanSd('skewness', summarize(stats.map(skewnessType3)), none, sink);
  setMeanSd('kurtosis', summarize(stats.map(kurtosisType3)), none, sink);
  const sampled = sampleIndices(columns.length, COR_MAX_COLUMNS, new Random(deriveSeed(seed, 'cor-columns')));
  const cor = summarize(absolutePairCorrelations(sampled.map((j) => columns[j]), sampled.map((j) => stats[j])));
  const noPair = view.numeric.length < 2 ? 'fewer than two numeric features' : 'fewer than two non-constant numeric features';
  setMeanSd('cor', cor, noPair, sink);
  sink.set('cor.max', cor.max, noPair);
  setTargetFeatures(view, columns, sink);
}

/** auto-sklearn replaces an undefined summary (no numeric feature, all constant) by 0. */
function setAutoSklearnMoments(prefix: string, s: Summary, sink: FeatureSink): void {
  const orZero = (v: number) => (Number.isFinite(v) ? v : 0);
  sink.set(`${prefix}Min`, orZero(s.min));
  sink.set(`${prefix}Max`, orZero(s.max));
  sink.set(`${prefix}Mean`, orZero(s.mean));
  sink.set(`${prefix}STD`, orZero(s.std));
}

/** pymfe's `mean` and `sd` (ddof = 1) summaries; sd needs two values. */
export function setMeanSd(prefix: string, s: Summary, emptyReason: string, sink: FeatureSink): void {
  sink.set(`${prefix}.mean`, s.mean, emptyReason);
  sink.set(`${prefix}.sd`, s.sd, s.count === 1 ? 'a standard deviation needs at least two values' : emptyReason);
}

const TARGET_FEATURES = ['TargetSkewness', 'TargetKurtosis', 'TargetCorrelationMean', 'TargetCorrelationMax'];

function setTargetFeatures(view: DatasetView, columns: readonly Float64Array[], sink: FeatureSink): void {
  const target = view.targetValues;
  if (target === null || view.classes !== null) {
    sink.setAllMissing(TARGET_FEATURES, 'defined for regression tasks only');
    return;
  }
  const m = moments(target);
  sink.set('TargetSkewness', skewness(m), 'the target is constant');
  sink.set('TargetKurtosis', kurtosis(m), 'the target is constant');
  const r = summarize(absoluteTargetCorrelations(columns, target));
  const reason = view.numeric.length === 0 ? 'the dataset has no numeric feature' : 'no numeric feature varies together with the target';
  sink.set('TargetCorrelationMean', r.mean, reason);
  sink.set('TargetCorrelationMax', r.max, reason);
}
