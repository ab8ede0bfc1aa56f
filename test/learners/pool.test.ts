import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrainerPool, trainBatch } from '../../src/learners/index.ts';
import { maxAbsDiff, mlp, smallClassification, useBackend } from './helpers.ts';

await useBackend('wasm');

test('the pool spreads a batch over two workers and matches training in-process', async () => {
  const task = smallClassification();
  const requests = [
    mlp({ units: 8 }, 1), mlp({ units: 16, optimizer: 'sgd' }, 2), mlp({ units: 12, batch_size: 64 }, 3),
    mlp({ activation: 'tanh' }, 4), mlp({ units: 'wide' }, 5), { learner: 'linear' as const, config: {}, seed: 6 },
  ];
  const pool = new TrainerPool({ workers: 2, backend: 'wasm' });
  try {
    assert.deepEqual(await pool.backends(), ['wasm', 'wasm']);
    const epochs: number[] = [];
    const pooled = await pool.run(task, requests, { onEpoch: (index) => epochs.push(index) });
    const local = await trainBatch(task, requests);
    assert.equal(pooled.length, requests.length);
    pooled.forEach((o, i) => {
      assert.equal(o.status, local[i].status, `request ${i}`);
      assert.ok(maxAbsDiff(o.validPredictions, local[i].validPredictions) < 1e-5, `request ${i}`);
    });
    assert.match(pooled[4].error ?? '', /units/);
    assert.deepEqual([...new Set(epochs)].sort(), [0, 1, 2, 3, 5]);
  } finally {
    await pool.close();
  }
});

test('aborting a pooled run rejects with the signal reason', async () => {
  const pool = new TrainerPool({ workers: 1, backend: 'wasm' });
  try {
    const controller = new AbortController();
    const run = pool.run(smallClassification(), [mlp({ max_epochs: 500, patience: 500 })], {
      signal: controller.signal, onEpoch: () => controller.abort(new Error('user stop')),
    });
    await assert.rejects(run, /user stop/);
  } finally {
    await pool.close();
  }
});
