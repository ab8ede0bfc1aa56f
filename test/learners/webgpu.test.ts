/**
 * The fused trainer on the WebGPU backend (software adapter in CI: Dawn's OpenGL ES adapter on
 * Mesa's llvmpipe, see scripts/ci/install-webgpu.sh). Tasks are tiny: the software adapter proves
 * the code, not the speed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/backend/tf.ts';
import { selectBackend } from '../../src/backend/index.ts';
import { DenseNetwork, TrainerPool, trainBatch, type TrainRequest, type TrainTask } from '../../src/learners/index.ts';
import { syntheticTask } from '../../src/learners/synthetic.ts';
import { maxAbsDiff, mlp } from './helpers.ts';

/** 120 rows (96 train, 24 valid), 5 features, 3 classes. */
const task: TrainTask = syntheticTask({ seed: 1, nRows: 120, nCols: 5, nClasses: 3 });
const requests: TrainRequest[] = [
  mlp({ optimizer: 'adam', units: 8, max_epochs: 3 }, 1),
  mlp({ optimizer: 'sgd-momentum', momentum: 0.8, units: 12, learning_rate: 0.05, max_epochs: 3 }, 2),
  mlp({ optimizer: 'adamw', units: 6, l2: 0.05, dropout: 0.2, max_epochs: 2 }, 3),
];

/** Float32 rounding differs between backends (GPU reductions sum in another order). */
const TOLERANCE = 1e-4;

const selection = await selectBackend('webgpu');

test('the webgpu backend is active, on the adapter it reports', () => {
  assert.equal(selection.name, 'webgpu');
  assert.equal(tf.getBackend(), 'webgpu');
  assert.ok(selection.adapter !== undefined, 'adapter reported');
  assert.equal(typeof selection.adapter.software, 'boolean');
});

test('on webgpu a batched run matches training each model alone', async () => {
  const together = await trainBatch(task, requests);
  for (const [i, request] of requests.entries()) {
    const [alone] = await trainBatch(task, [request]);
    assert.equal(together[i].status, 'ok', together[i].error ?? '');
    assert.equal(together[i].backend, 'webgpu');
    assert.equal(together[i].epochsRun, alone.epochsRun, `model ${i} epochs`);
    assert.ok(maxAbsDiff(together[i].curve.validLoss, alone.curve.validLoss) < TOLERANCE, `model ${i} validation curve`);
    assert.ok(maxAbsDiff(together[i].validPredictions, alone.validPredictions) < TOLERANCE, `model ${i} predictions`);
  }
});

test('webgpu trains the same models as wasm, within float tolerance', async () => {
  const onGpu = await trainBatch(task, requests);
  await selectBackend('wasm');
  try {
    const onWasm = await trainBatch(task, requests);
    onGpu.forEach((gpu, i) => {
      assert.equal(gpu.epochsRun, onWasm[i].epochsRun, `model ${i} epochs`);
      assert.ok(maxAbsDiff(gpu.curve.trainLoss, onWasm[i].curve.trainLoss) < TOLERANCE, `model ${i} training curve`);
      assert.ok(maxAbsDiff(gpu.validPredictions, onWasm[i].validPredictions) < TOLERANCE, `model ${i} predictions`);
    });
  } finally {
    await selectBackend('webgpu');
  }
});

test('20 trainings on webgpu leave tf.memory().numTensors unchanged', async () => {
  const tiny = syntheticTask({ seed: 3, nRows: 40, nCols: 3, nClasses: 2 });
  const request = mlp({ units: 4, batch_size: 32, max_epochs: 1 }, 5);
  await trainBatch(tiny, [request]);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) {
    const [outcome] = await trainBatch(tiny, [{ ...request, seed: i }], { keepModels: i === 0 });
    assert.equal(outcome.status, 'ok', outcome.error ?? '');
  }
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.getBackend(), 'webgpu');
});

test('a trained network predicts while webgpu is active (synchronously, on cpu) and webgpu stays active', async () => {
  const [outcome] = await trainBatch(task, [requests[0]], { keepModels: true });
  assert.ok(outcome.model !== undefined);
  const before = tf.memory().numTensors;
  const network = DenseNetwork.load(outcome.model);
  const valid = task.valid;
  const probabilities = network.predict(valid.X, valid.nRows);
  assert.equal(tf.getBackend(), 'webgpu');
  assert.equal(tf.memory().numTensors, before);
  assert.ok(maxAbsDiff(probabilities, outcome.validPredictions) < TOLERANCE, 'predict matches the best validation predictions');
});

test('a webgpu pool has one worker by default (one device, many models per step) and matches in-process training', async () => {
  const pool = new TrainerPool({ backend: 'webgpu' });
  try {
    assert.deepEqual(await pool.backends(), ['webgpu']);
    const pooled = await pool.run(task, requests);
    const local = await trainBatch(task, requests);
    pooled.forEach((o, i) => assert.ok(maxAbsDiff(o.validPredictions, local[i].validPredictions) < TOLERANCE, `request ${i}`));
  } finally {
    await pool.close();
  }
});
