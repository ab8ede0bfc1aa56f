import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averageCurves, averageMetrics, averageSeries } from '../../src/evaluation/aggregate.ts';

test('series of unequal length average over the folds that reached each epoch', () => {
  assert.deepEqual(averageSeries([[1, 2, 3], [3, 4], [5]]), [3, 3, 3]);
  assert.deepEqual(averageSeries([]), []);
  const curve = averageCurves([
    { trainLoss: [2, 1], validLoss: [4, 2] },
    { trainLoss: [4], validLoss: [6] },
  ]);
  assert.deepEqual(curve, { trainLoss: [3, 1], validLoss: [5, 2] });
});

test('metrics average over the folds where they are defined', () => {
  const mean = averageMetrics([
    { accuracy: 0.5, rocAuc: NaN },
    { accuracy: 1, rocAuc: 0.8 },
    { accuracy: 0.75 },
  ]);
  assert.deepEqual(mean, { accuracy: 0.75, rocAuc: 0.8 });
  assert.deepEqual(averageMetrics([{ rocAuc: NaN }]), {});
});
