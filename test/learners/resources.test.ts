import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/backend/tf.ts';
import { predict, trainBatch } from '../../src/learners/index.ts';
import { syntheticTask } from '../../src/learners/synthetic.ts';
import { mlp, useBackend } from './helpers.ts';

await useBackend('wasm');

test('50 trainings (ok, failed, stopped, with batch norm and dropout, models kept and used) leak no tensors', async () => {
  const task = syntheticTask({ seed: 5, nRows: 120, nCols: 4, nClasses: 3 });
  await trainBatch(task, [mlp({ max_epochs: 1 })]); // warm-up: kernels register their own state once
  const before = tf.memory().numTensors;
  for (let i = 0; i < 10; i++) {
    const outcomes = await trainBatch(task, [
      mlp({ max_epochs: 2, dropout: 0.2 }, i),
      mlp({ max_epochs: 3, batch_norm: true, patience: 2 }, i),
      mlp({ max_epochs: 2, optimizer: 'sgd', learning_rate: 50, units: 64 }, i),
      mlp({ activation: 'nonsense' }, i),
      { learner: 'linear', config: { max_epochs: 2 }, seed: i },
    ], { keepModels: true });
    for (const o of outcomes) if (o.model !== undefined) predict(o.model, task.valid.X, task.valid.nRows);
  }
  assert.equal(tf.memory().numTensors, before);
});

test('an aborted batch rejects and frees its tensors', async () => {
  const task = syntheticTask({ seed: 5, nRows: 120, nCols: 4, nClasses: 3 });
  const before = tf.memory().numTensors;
  const controller = new AbortController();
  const run = trainBatch(task, [mlp({ max_epochs: 50 })], { signal: controller.signal, onEpoch: (_, epoch) => epoch === 2 && controller.abort(new Error('stop')) });
  await assert.rejects(run, /stop/);
  assert.equal(tf.memory().numTensors, before);
});
