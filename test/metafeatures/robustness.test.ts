import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractMetaFeatures, METAFEATURE_NAMES } from '../../src/metafeatures/index.ts';
import type { Dataset } from '../../src/data/table.ts';
import { Random } from '../../src/random.ts';
import { classification, nominal, numeric, nullsOf, regression } from './fixtures.ts';

const EVERY_NAME = Object.values(METAFEATURE_NAMES).flat();

function extractAll(d: Dataset): { values: Record<string, number | null>; nulls: string[]; missing: Record<string, string> } {
  const v = extractMetaFeatures(d, { seed: 1 });
  assert.deepEqual(Object.keys(v.values).sort(), [...EVERY_NAME].sort());
  return { values: v.values, missing: v.missing, nulls: nullsOf(v.values, v.missing) };
}

test('constant and all-missing columns', () => {
  const d = classification(
    [numeric('const', [3, 3, 3, 3, 3, 3]), numeric('empty', [null, null, null, null, null, null]), nominal('one', ['k', 'k', 'k', 'k', 'k', 'k']), nominal('gone', [null, null, null, null, null, null], ['u'])],
    ['a', 'b', 'a', 'b', 'a', 'b'],
  );
  const { values, missing } = extractAll(d);
  assert.equal(values.NumberOfMissingValues, 12);
  assert.equal(values.Landmark1NN, null);
  assert.match(missing.Landmark1NN, /no feature varies/);
  assert.match(missing.PCASkewnessFirstPC, /no feature varies/);
});

test('classes with a single row, and one feature', () => {
  const d = classification([numeric('x', [1, 2, 3, 4, 5, 6, 7])], ['a', 'a', 'a', 'b', 'b', 'c', 'd']);
  const { values } = extractAll(d);
  assert.equal(values.NumberOfClasses, 4);
  assert.ok(values.Landmark1NN !== null && values.LandmarkLDA !== null);
  assert.equal(values['cor.mean'], null);
});

test('a single row, and a dataset without features', () => {
  const one = extractAll(classification([numeric('x', [1])], ['a']));
  assert.equal(one.values.NumberOfInstances, 1);
  assert.equal(one.values.Landmark1NN, null);
  const none = extractAll(classification([], ['a', 'b', 'a']));
  assert.equal(none.values.NumberOfFeatures, 0);
  assert.equal(none.values.LogNumberOfFeatures, null);
  assert.equal(none.values.InverseDatasetRatio, null);
});

test('regression with a constant target', () => {
  const { values, missing } = extractAll(regression([numeric('x', [1, 2, 3, 4])], [5, 5, 5, 5]));
  assert.equal(values.TargetSkewness, null);
  assert.match(missing.LandmarkLinearRegressionR2, /constant/);
});

test('40,000 mixed rows with missing values stay finite and fast', () => {
  const rng = new Random(9);
  const n = 40_000;
  const x = Array.from({ length: n }, () => (rng.next() < 0.05 ? null : rng.normal()));
  const z = Array.from({ length: n }, () => rng.int(1000));
  const c = Array.from({ length: n }, () => (rng.next() < 0.1 ? null : ['r', 'g', 'b'][rng.int(3)]));
  const labels = x.map((v, i) => ((v ?? 0) + (c[i] === 'r' ? 1 : 0) > 0.5 ? 'yes' : 'no'));
  const start = performance.now();
  const { values } = extractAll(classification([numeric('x', x), numeric('z', z), nominal('c', c)], labels));
  assert.equal(values.NumberOfInstances, n);
  assert.ok(values.LandmarkDecisionTree! > 0.8);
  assert.ok(performance.now() - start < 20_000);
});

test('very wide data: PCA is skipped with a reason, landmarks and cor use seeded column samples', () => {
  const rng = new Random(4);
  const n = 60;
  const wide = Array.from({ length: 700 }, (_, j) => numeric(`x${j}`, Array.from({ length: n }, () => rng.normal())));
  const ids = Array.from({ length: 300 }, (_, j) => nominal(`id${j}`, Array.from({ length: n }, (_, i) => `v${(i * (j + 1)) % 50}`)));
  const labels = Array.from({ length: n }, (_, i) => (i % 2 ? 'a' : 'b'));
  const start = performance.now();
  const { values, missing } = extractAll(classification([...wide, ...ids], labels));
  assert.equal(values.PCASkewnessFirstPC, null);
  assert.match(missing.PCASkewnessFirstPC, /columns/);
  for (const name of ['LandmarkLDA', 'Landmark1NN', 'LandmarkDecisionTree', 'cor.mean', 'attr_conc.mean']) assert.notEqual(values[name], null, name);
  assert.ok(performance.now() - start < 30_000);
});
