/**
 * Every group on every shared dataset (meta-db/corpus/**\/*.arff.gz): each value is finite or a
 * null with a reason. Landmarks run on at most 300 rows here to keep the suite fast.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/index.ts';
import { extractMetaFeatures, METAFEATURE_NAMES } from '../../src/metafeatures/index.ts';
import { DATASETS, nullsOf } from './fixtures.ts';

const EVERY_NAME = Object.values(METAFEATURE_NAMES).flat().sort();
const files = ['classification', 'regression'].flatMap((dir) =>
  readdirSync(join(DATASETS, dir)).filter((f) => f.endsWith('.arff.gz')).sort().map((f) => join(dir, f)),
);

test('the corpus is there', () => {
  assert.ok(files.length >= 100, `found ${files.length} ARFF files under ${DATASETS}`);
});

test('all groups on all shared datasets: finite values or explained nulls', async () => {
  const start = performance.now();
  for (const file of files) {
    const dataset = await loadDataset(join(DATASETS, file));
    const v = extractMetaFeatures(dataset, { landmarkCap: 300, seed: 0 });
    assert.deepEqual(Object.keys(v.values).sort(), EVERY_NAME, file);
    const nulls = nullsOf(v.values, v.missing);
    const expectedForTask = dataset.task === 'classification' ? /regression tasks only/ : /classification tasks only/;
    // Landmarks for the dataset's own task are always computed on the corpus.
    const ownLandmarks = (dataset.task === 'classification' ? ['Landmark1NN', 'LandmarkLDA', 'LandmarkDecisionTree'] : ['LandmarkLinearRegressionR2', 'Landmark1NNR2']);
    for (const name of ownLandmarks) assert.ok(v.values[name] !== null, `${file}: ${name} is null (${v.missing[name]})`);
    for (const name of nulls) assert.ok(v.missing[name].length > 5, `${file}: ${name}`);
    assert.ok(nulls.some((n) => expectedForTask.test(v.missing[n])), file);
  }
  assert.ok(performance.now() - start < 120_000);
});
