import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractMetaFeatures, GENERAL_FEATURES, METAFEATURE_EXTRACTOR_VERSION } from '../../src/metafeatures/index.ts';
import { FeatureSink } from '../../src/metafeatures/types.ts';
import { classification, nominal, numeric, regression } from './fixtures.ts';

// 6 rows: x numeric with one missing, c nominal with one missing and a declared level 'z' that never occurs.
const tiny = classification(
  [numeric('x', [1, 2, 3, 4, null, 6]), nominal('c', ['a', 'a', 'b', null, 'b', 'a'], ['a', 'b', 'z'])],
  ['p', 'p', 'p', 'q', 'q', 'r'],
);

const close = (actual: number | null, expected: number, tol = 1e-12) =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected}`);

test('sizes, ratios and logs are auto-sklearn’s on a hand-made dataset', () => {
  const { values } = extractMetaFeatures(tiny, { groups: ['general'] });
  assert.equal(values.NumberOfInstances, 6);
  close(values.LogNumberOfInstances, Math.log(6));
  assert.equal(values.NumberOfFeatures, 2);
  close(values.LogNumberOfFeatures, Math.log(2));
  assert.equal(values.NumberOfNumericFeatures, 1);
  assert.equal(values.NumberOfCategoricalFeatures, 1);
  assert.equal(values.RatioNumericalToNominal, 1);
  assert.equal(values.RatioNominalToNumerical, 1);
  close(values.DatasetRatio, 2 / 6);
  close(values.LogDatasetRatio, Math.log(2 / 6));
  close(values.InverseDatasetRatio, 3);
  close(values.LogInverseDatasetRatio, Math.log(3));
});

test('missing values are counted by cell, feature and row', () => {
  const { values } = extractMetaFeatures(tiny, { groups: ['general'] });
  assert.equal(values.NumberOfMissingValues, 2);
  close(values.PercentageOfMissingValues, 2 / 12);
  assert.equal(values.NumberOfFeaturesWithMissingValues, 2);
  assert.equal(values.PercentageOfFeaturesWithMissingValues, 1);
  assert.equal(values.NumberOfInstancesWithMissingValues, 2);
  close(values.PercentageOfInstancesWithMissingValues, 2 / 6);
});

test('class distribution: entropy in bits and population std of the class probabilities', () => {
  const { values } = extractMetaFeatures(tiny, { groups: ['general'] });
  assert.equal(values.NumberOfClasses, 3);
  // p = (1/2, 1/3, 1/6): H = 1/2·1 + 1/3·log2 3 + 1/6·log2 6
  close(values.ClassEntropy, 0.5 + Math.log2(3) / 3 + Math.log2(6) / 6);
  close(values.ClassProbabilityMin, 1 / 6);
  close(values.ClassProbabilityMax, 1 / 2);
  close(values.ClassProbabilityMean, 1 / 3);
  close(values.ClassProbabilitySTD, Math.sqrt(((1 / 6) ** 2 * 2) / 3));
});

test('symbols count only the levels that occur; no nominal feature gives auto-sklearn’s zeros', () => {
  const { values } = extractMetaFeatures(tiny, { groups: ['general'] });
  assert.deepEqual([values.SymbolsMin, values.SymbolsMax, values.SymbolsMean, values.SymbolsSTD, values.SymbolsSum], [2, 2, 2, 0, 2]);
  const numericOnly = extractMetaFeatures(classification([numeric('x', [1, 2])], ['a', 'b']), { groups: ['general'] }).values;
  assert.deepEqual([numericOnly.SymbolsMin, numericOnly.SymbolsMax, numericOnly.SymbolsMean, numericOnly.SymbolsSTD, numericOnly.SymbolsSum], [0, 0, 0, 0, 0]);
  assert.equal(numericOnly.RatioNumericalToNominal, 0);
});

test('regression datasets get explained nulls for the class features', () => {
  const v = extractMetaFeatures(regression([numeric('x', [1, 2, 3])], [1, 2, 3]), { groups: ['general'] });
  assert.equal(v.values.ClassEntropy, null);
  assert.match(v.missing.ClassEntropy, /classification/);
  assert.deepEqual(Object.keys(v.values), [...GENERAL_FEATURES]);
  assert.equal(v.extractorVersion, METAFEATURE_EXTRACTOR_VERSION);
});

test('the sink never stores NaN or Infinity', () => {
  const sink = new FeatureSink();
  sink.set('a', NaN, 'why a');
  sink.set('b', Infinity, 'why b');
  sink.set('c', -0);
  assert.deepEqual(sink.values, { a: null, b: null, c: 0 });
  assert.deepEqual(sink.missing, { a: 'why a', b: 'why b' });
  assert.ok(!Object.is(sink.values.c, -0));
});
