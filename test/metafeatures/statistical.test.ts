import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractMetaFeatures } from '../../src/metafeatures/index.ts';
import { classification, numeric, regression } from './fixtures.ts';

const close = (actual: number | null, expected: number, tol = 1e-12) =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected}`);

// x present = [1, 2, 3, 4, 6]: mean 3.2, deviations −2.2 −1.2 −0.2 0.8 2.8;
// m2 = 14.8/5 = 2.96, m3 = 10.08/5 = 2.016, m4 = 87.376/5 = 17.4752 (scipy: skew 0.39587, kurtosis −1.00548).
const m2 = 2.96;
const m3 = 2.016;
const m4 = 17.4752;

test('skewness and kurtosis are scipy’s population (bias=True, Fisher) moments, missing values skipped', () => {
  const d = classification([numeric('x', [1, 2, null, 3, 4, 6])], ['a', 'a', 'b', 'b', 'a', 'b']);
  const { values, missing } = extractMetaFeatures(d, { groups: ['statistical'] });
  close(values.SkewnessMean, m3 / m2 ** 1.5);
  close(values.SkewnessMean, 0.3958703373438166, 1e-12);
  close(values.KurtosisMax, m4 / m2 ** 2 - 3);
  close(values.KurtosisMin, -1.0054784514243975, 1e-12);
  assert.equal(values.SkewnessSTD, 0);
  // pymfe's type-3 estimators: g1·((n−1)/n)^1.5 and (g2+3)·((n−1)/n)² − 3 with n = 5
  close(values['skewness.mean'], (m3 / m2 ** 1.5) * 0.8 ** 1.5);
  close(values['kurtosis.mean'], (m4 / m2 ** 2) * 0.8 ** 2 - 3);
  assert.equal(values['skewness.sd'], null);
  assert.match(missing['skewness.sd'], /two values/);
  assert.equal(values['cor.mean'], null);
});

test('absolute correlations between attributes: mean, sd and max over pairs', () => {
  const a = [1, 2, 3, 4, 5];
  const d = classification(
    [numeric('a', a), numeric('b', a.map((v) => -2 * v + 1)), numeric('c', [2, 1, 2, 1, 2])],
    ['x', 'y', 'x', 'y', 'x'],
  );
  const { values } = extractMetaFeatures(d, { groups: ['statistical'] });
  // |r(a,b)| = 1; r(a,c) = 0 (c is symmetric around the middle row); |r(b,c)| = 0
  close(values['cor.max'], 1);
  close(values['cor.mean'], 1 / 3);
  close(values['cor.sd'], Math.sqrt(((2 / 3) ** 2 + 2 * (1 / 3) ** 2) / 2));
});

test('constant and all-missing columns are left out; with nothing left auto-sklearn’s features are 0 and pymfe’s are null', () => {
  const d = classification([numeric('k', [5, 5, 5, 5]), numeric('m', [null, null, null, null])], ['a', 'b', 'a', 'b']);
  const { values, missing } = extractMetaFeatures(d, { groups: ['statistical'] });
  assert.equal(values.SkewnessMean, 0);
  assert.equal(values.KurtosisSTD, 0);
  assert.equal(values['skewness.mean'], null);
  assert.ok(missing['skewness.mean'].length > 0);
});

test('regression: target moments and absolute correlation with the target', () => {
  const y = [1, 2, 3, 4, 6];
  const d = regression([numeric('same', y), numeric('noise', [1, -1, 0, -1, 1])], y);
  const { values } = extractMetaFeatures(d, { groups: ['statistical'] });
  close(values.TargetSkewness, m3 / m2 ** 1.5);
  close(values.TargetKurtosis, m4 / m2 ** 2 - 3);
  close(values.TargetCorrelationMax, 1);
  // r(noise, y): Σ(noise − 0)(y − 3.2) = −2.2 − 1.2·(−1)·... computed: (−2.2)(1) + (−1.2)(−1) + 0 + (0.8)(−1) + (2.8)(1) = 1.0
  close(values.TargetCorrelationMean, (1 + 1 / Math.sqrt(14.8 * 4)) / 2, 1e-12);
});
