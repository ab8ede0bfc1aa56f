import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend, type BackendName } from '../../src/backend/index.ts';
import { trainBatch, type TrainRequest } from '../../src/learners/index.ts';
import { syntheticTask } from '../../src/learners/synthetic.ts';
import { maxAbsDiff, mlp } from './helpers.ts';

const task = syntheticTask({ seed: 9, nRows: 150, nCols: 5, nClasses: 3 });
const requests: TrainRequest[] = [
  mlp({ max_epochs: 3, dropout: 0.3, units: 12 }, 11),
  mlp({ max_epochs: 3, batch_norm: true, optimizer: 'rmsprop', units: 10 }, 12),
];

for (const backend of ['cpu', 'wasm'] satisfies BackendName[]) {
  test(`seeded runs reproduce exactly on the ${backend} backend`, async () => {
    await selectBackend(backend);
    const first = await trainBatch(task, requests);
    const second = await trainBatch(task, requests);
    for (let i = 0; i < requests.length; i++) {
      assert.equal(first[i].backend, backend);
      assert.deepEqual(first[i].curve, second[i].curve);
      assert.deepEqual(first[i].validPredictions, second[i].validPredictions);
    }
  });
}

test('different seeds give different initialisations; different shuffle seeds different data orders', async () => {
  await selectBackend('wasm');
  const [a, b, c] = await trainBatch(task, [mlp({ max_epochs: 2 }, 1, 5), mlp({ max_epochs: 2 }, 2, 5), mlp({ max_epochs: 2 }, 1, 6)]);
  assert.ok(maxAbsDiff(a.validPredictions, b.validPredictions) > 1e-4);
  assert.ok(maxAbsDiff(a.validPredictions, c.validPredictions) > 1e-4);
});

test('the cpu and wasm backends agree closely (float rounding only)', async () => {
  const pair = [mlp({ max_epochs: 3, optimizer: 'rmsprop', units: 10 }, 12), requests[1]];
  await selectBackend('cpu');
  const onCpu = await trainBatch(task, pair);
  await selectBackend('wasm');
  const onWasm = await trainBatch(task, pair);
  assert.ok(maxAbsDiff(onCpu[0].curve.validLoss, onWasm[0].curve.validLoss) < 1e-5);
  assert.ok(maxAbsDiff(onCpu[0].curve.trainLoss, onWasm[0].curve.trainLoss) < 1e-5);
  // With batch normalisation, inference divides by running variances estimated over a few steps,
  // which amplifies rounding differences.
  assert.ok(maxAbsDiff(onCpu[1].curve.validLoss, onWasm[1].curve.validLoss) < 1e-2);
});
