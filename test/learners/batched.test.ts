import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainBatch, type TrainRequest } from '../../src/learners/index.ts';
import { maxAbsDiff, mlp, smallClassification, smallRegression, useBackend } from './helpers.ts';

await useBackend('wasm');

const mixed: TrainRequest[] = [
  mlp({ optimizer: 'adam', units: 16, dropout: 0.3 }, 1),
  mlp({ optimizer: 'sgd-momentum', momentum: 0.8, units: 24, learning_rate: 0.05 }, 2),
  mlp({ optimizer: 'rmsprop', units: 8, l2: 0.01, lr_schedule: 'exponential', lr_decay: 0.9 }, 3),
  mlp({ optimizer: 'adamw', units: 16, l2: 0.05, lr_schedule: 'cosine', patience: 2 }, 4),
  mlp({ optimizer: 'sgd', units: 32, learning_rate: 0.1, max_epochs: 3 }, 5),
];

test('a batched run matches training each model alone', async () => {
  const task = smallClassification();
  const together = await trainBatch(task, mixed);
  for (const [i, request] of mixed.entries()) {
    const [alone] = await trainBatch(task, [request]);
    assert.equal(together[i].epochsRun, alone.epochsRun, `model ${i} epochs`);
    assert.equal(together[i].bestEpoch, alone.bestEpoch, `model ${i} best epoch`);
    assert.ok(maxAbsDiff(together[i].curve.validLoss, alone.curve.validLoss) < 1e-5, `model ${i} validation curve`);
    assert.ok(maxAbsDiff(together[i].validPredictions, alone.validPredictions) < 1e-5, `model ${i} predictions`);
  }
});

test('batched equals alone with batch normalisation, three layers and regression', async () => {
  const task = smallRegression();
  const requests = [
    mlp({ batch_norm: true, n_layers: 3, activation: 'tanh', units: 12 }, 7),
    mlp({ batch_norm: true, n_layers: 3, activation: 'tanh', units: 20, optimizer: 'sgd', learning_rate: 0.02 }, 8),
  ];
  const together = await trainBatch(task, requests);
  for (const [i, request] of requests.entries()) {
    const [alone] = await trainBatch(task, [request]);
    assert.ok(maxAbsDiff(together[i].curve.trainLoss, alone.curve.trainLoss) < 1e-5, `model ${i} training curve`);
    assert.ok(maxAbsDiff(together[i].validPredictions, alone.validPredictions) < 1e-5, `model ${i} predictions`);
  }
});

test('models that stop early leave the group (it is rebuilt) without changing anyone\'s result', async () => {
  const task = smallClassification();
  const requests = [2, 4, 6, 8].map((epochs, i) => mlp({ max_epochs: epochs, batch_norm: true, dropout: 0.2, units: 8 + 4 * i, optimizer: i % 2 ? 'adam' : 'sgd-momentum' }, 20 + i));
  const epochsSeen: number[][] = requests.map(() => []);
  const together = await trainBatch(task, requests, { onEpoch: (index, epoch) => epochsSeen[index].push(epoch) });
  for (const [i, request] of requests.entries()) {
    const [alone] = await trainBatch(task, [request]);
    assert.equal(together[i].epochsRun, [2, 4, 6, 8][i]);
    assert.deepEqual(epochsSeen[i], Array.from({ length: [2, 4, 6, 8][i] }, (_, e) => e), 'progress is reported under the original index');
    assert.ok(maxAbsDiff(together[i].curve.validLoss, alone.curve.validLoss) < 1e-5, `model ${i} validation curve`);
    assert.ok(maxAbsDiff(together[i].validPredictions, alone.validPredictions) < 1e-5, `model ${i} predictions`);
  }
});

test('a diverging model fails with its reason and leaves the others of its batch untouched', async () => {
  const task = smallRegression();
  const good = mlp({ optimizer: 'adam' }, 3);
  const bad = mlp({ optimizer: 'sgd', learning_rate: 5, units: 32 }, 4);
  const [goodTogether, badTogether] = await trainBatch(task, [good, bad]);
  assert.equal(badTogether.status, 'failed');
  assert.match(badTogether.error ?? '', /diverged/);
  assert.equal(badTogether.validPredictions.length, 0);
  const [goodAlone] = await trainBatch(task, [good]);
  assert.equal(goodTogether.status, 'ok');
  assert.ok(maxAbsDiff(goodTogether.validPredictions, goodAlone.validPredictions) < 1e-5);
});

test('an invalid configuration fails alone, with the hyperparameter named', async () => {
  const outcomes = await trainBatch(smallClassification(), [mlp({ activation: 'swish' }), mlp({ bogus: 1 }), mlp()]);
  assert.equal(outcomes[0].status, 'failed');
  assert.match(outcomes[0].error ?? '', /activation/);
  assert.match(outcomes[1].error ?? '', /unknown hyperparameter 'bogus'/);
  assert.equal(outcomes[2].status, 'ok');
});
