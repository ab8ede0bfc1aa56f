import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DenseNetwork, predict, trainBatch, type SerializedModel } from '../../src/learners/index.ts';
import { TrainingError } from '../../src/errors.ts';
import { maxAbsDiff, mlp, smallClassification, smallRegression, useBackend } from './helpers.ts';

await useBackend('wasm');

for (const [name, task] of [['classification', smallClassification()], ['regression', smallRegression()]] as const) {
  test(`save → load → predict is identical (${name}, batch norm)`, async () => {
    const [outcome] = await trainBatch(task, [mlp({ batch_norm: true, n_layers: 2, activation: 'gelu' })], { keepModels: true });
    assert.ok(outcome.model !== undefined);
    const before = predict(outcome.model, task.valid.X, task.valid.nRows);
    const json: SerializedModel = JSON.parse(JSON.stringify(outcome.model));
    const after = DenseNetwork.load(json).predict(task.valid.X, task.valid.nRows);
    assert.deepEqual(after, before);
    assert.ok(maxAbsDiff(after, outcome.validPredictions) < 1e-5, 'the saved model is the best-epoch model');
    assert.equal(after.length, task.valid.nRows * (name === 'classification' ? 3 : 1));
  });
}

test('loading rejects foreign or truncated data with a typed error', () => {
  const bad: SerializedModel = JSON.parse('{"format":"keras","formatVersion":1,"layers":[]}');
  assert.throws(() => DenseNetwork.load(bad), TrainingError);
});

test('predict checks the input width', async () => {
  const task = smallClassification();
  const [outcome] = await trainBatch(task, [mlp({ max_epochs: 1 })], { keepModels: true });
  assert.ok(outcome.model !== undefined);
  assert.throws(() => predict(outcome.model!, new Float32Array(5), 1), /expected 1 × 6/);
});

test('linear regression trains, and its saved model predicts its validation outputs', async () => {
  const task = smallRegression();
  const [outcome] = await trainBatch(task, [{ learner: 'linear', config: { max_epochs: 8, learning_rate: 0.01 }, seed: 4 }], { keepModels: true });
  assert.equal(outcome.status, 'ok');
  assert.ok(outcome.curve.trainLoss.at(-1)! < outcome.curve.trainLoss[0]);
  assert.ok(outcome.model !== undefined);
  assert.ok(maxAbsDiff(predict(outcome.model, task.valid.X, task.valid.nRows), outcome.validPredictions) < 1e-5);
});
