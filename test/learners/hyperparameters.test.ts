import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DenseNetwork, parseModelSpec, scheduledLearningRate, trainBatch, type SerializedModel, type TrainOutcome } from '../../src/learners/index.ts';
import { maxAbsDiff, mlp, smallClassification, useBackend } from './helpers.ts';

await useBackend('wasm');
const task = smallClassification();

function model(outcome: TrainOutcome): SerializedModel {
  assert.ok(outcome.model !== undefined, `no model: ${outcome.error ?? ''}`);
  return outcome.model;
}

function kernelNorm(serialized: SerializedModel): number {
  let sum = 0;
  for (const layer of DenseNetwork.load(serialized).layers) for (const v of layer.kernel) sum += v * v;
  return Math.sqrt(sum);
}

test('patience stops a model after that many epochs without improvement and keeps the best epoch', async () => {
  const [outcome] = await trainBatch(task, [mlp({ patience: 2, max_epochs: 60, learning_rate: 0.05, units: 64 })]);
  assert.ok(outcome.epochsRun < 60, `ran ${outcome.epochsRun} epochs`);
  assert.equal(outcome.epochsRun, outcome.bestEpoch + 1 + 2);
  const best = Math.min(...outcome.curve.validLoss);
  assert.equal(outcome.curve.validLoss[outcome.bestEpoch], best);
});

test('max_epochs bounds training and the fidelity override replaces it', async () => {
  const [byConfig, byOverride] = await trainBatch(task, [mlp({ max_epochs: 3 }), { ...mlp({ max_epochs: 3 }), maxEpochs: 5 }]);
  assert.equal(byConfig.epochsRun, 3);
  assert.equal(byOverride.epochsRun, 5);
  assert.equal(byOverride.curve.trainLoss.length, 5);
});

test('dropout acts only in training: it changes the fit, and inference is deterministic', async () => {
  const [plain, dropped] = await trainBatch(task, [mlp({ dropout: 0 }), mlp({ dropout: 0.5 })], { keepModels: true });
  assert.ok(maxAbsDiff(plain.curve.trainLoss, dropped.curve.trainLoss) > 1e-3);
  const network = DenseNetwork.load(model(dropped));
  const first = network.predict(task.valid.X, task.valid.nRows);
  const second = network.predict(task.valid.X, task.valid.nRows);
  assert.deepEqual(first, second);
  assert.ok(maxAbsDiff(first, dropped.validPredictions) < 1e-5, 'validation predictions come from the inference network');
});

test('L2 lowers the weight norm', async () => {
  const [weak, strong] = await trainBatch(task, [mlp({ l2: 1e-7, max_epochs: 8 }), mlp({ l2: 0.05, max_epochs: 8 })], { keepModels: true });
  assert.ok(kernelNorm(model(strong)) < 0.8 * kernelNorm(model(weak)), `${kernelNorm(model(strong))} vs ${kernelNorm(model(weak))}`);
});

test('AdamW decays weights (decoupled) and differs from Adam', async () => {
  const [adam, adamw] = await trainBatch(task, [mlp({ optimizer: 'adam', l2: 0.05 }), mlp({ optimizer: 'adamw', l2: 0.05 })], { keepModels: true });
  assert.ok(maxAbsDiff(adam.curve.trainLoss, adamw.curve.trainLoss) > 1e-4);
  const [noDecay] = await trainBatch(task, [mlp({ optimizer: 'adamw', l2: 1e-7 })], { keepModels: true });
  assert.ok(kernelNorm(model(adamw)) < kernelNorm(model(noDecay)));
});

test('the schedules give the documented per-epoch learning rates', () => {
  const spec = (config: Record<string, number | string>) => parseModelSpec('mlp', { learning_rate: 0.1, max_epochs: 10, ...config });
  assert.equal(scheduledLearningRate(spec({ lr_schedule: 'constant' }), 7), 0.1);
  assert.ok(Math.abs(scheduledLearningRate(spec({ lr_schedule: 'exponential', lr_decay: 0.9 }), 3) - 0.1 * 0.9 ** 3) < 1e-15);
  assert.equal(scheduledLearningRate(spec({ lr_schedule: 'cosine' }), 0), 0.1);
  assert.ok(Math.abs(scheduledLearningRate(spec({ lr_schedule: 'cosine' }), 5) - 0.05) < 1e-12);
});

test('a schedule changes training from the second epoch on, not the first', async () => {
  const base = { optimizer: 'sgd', learning_rate: 0.05 };
  const [constant, exponential, cosine] = await trainBatch(task, [
    mlp({ ...base, lr_schedule: 'constant' }), mlp({ ...base, lr_schedule: 'exponential', lr_decay: 0.8 }), mlp({ ...base, lr_schedule: 'cosine' }),
  ]);
  for (const scheduled of [exponential, cosine]) {
    assert.equal(scheduled.curve.trainLoss[0], constant.curve.trainLoss[0]);
    assert.ok(maxAbsDiff(scheduled.curve.trainLoss.slice(1), constant.curve.trainLoss.slice(1)) > 1e-5);
  }
  // A slower rate means smaller steps: the decayed run falls behind in training loss.
  assert.ok(exponential.curve.trainLoss[5] > constant.curve.trainLoss[5]);
});

test('every optimizer trains, and each follows its own path; momentum matters', async () => {
  const optimizers = ['sgd', 'sgd-momentum', 'adam', 'adamw', 'rmsprop'];
  const outcomes = await trainBatch(task, [...optimizers.map((optimizer) => mlp({ optimizer, learning_rate: 0.01 })), mlp({ optimizer: 'sgd-momentum', momentum: 0.5, learning_rate: 0.01 })]);
  for (const [i, o] of outcomes.entries()) {
    assert.equal(o.status, 'ok');
    assert.ok(o.curve.trainLoss.at(-1)! < o.curve.trainLoss[0], `${optimizers[i] ?? 'momentum 0.5'} lowers the loss`);
    for (let j = 0; j < i; j++) assert.ok(maxAbsDiff(o.curve.trainLoss, outcomes[j].curve.trainLoss) > 1e-6, `${i} vs ${j}`);
  }
});

test('batch normalisation lets plain SGD train on badly scaled inputs', async () => {
  const scaled = { ...task, train: { ...task.train, X: task.train.X.map((v) => v * 200) }, valid: { ...task.valid, X: task.valid.X.map((v) => v * 200) } };
  const config = { optimizer: 'sgd', learning_rate: 0.05, max_epochs: 8 };
  const [without, withBn] = await trainBatch(scaled, [mlp({ ...config, batch_norm: false }), mlp({ ...config, batch_norm: true })], { keepModels: true });
  const bnLoss = Math.min(...withBn.curve.validLoss);
  assert.ok(without.status === 'failed' || bnLoss < Math.min(...without.curve.validLoss), 'batch norm does better');
  assert.ok(bnLoss < Math.log(3), 'and learns something');
  const bn = DenseNetwork.load(model(withBn)).layers[0].batchNorm;
  assert.ok(bn !== undefined);
  assert.ok(Math.max(...bn.movingVariance) > 100, 'running variance tracked the large pre-activations');
});

test('n_layers, units and activation shape the network', async () => {
  const outcomes = await trainBatch(task, ['relu', 'elu', 'tanh', 'gelu'].map((activation, i) => mlp({ activation, n_layers: i + 1, units: 8 + i })), { keepModels: true });
  outcomes.forEach((o, i) => {
    const layers = model(o).layers;
    assert.equal(layers.length, i + 2);
    assert.deepEqual(layers.slice(0, -1).map((l) => l.units), new Array(i + 1).fill(8 + i));
    assert.equal(model(o).activation, ['relu', 'elu', 'tanh', 'gelu'][i]);
  });
});

test('batch_size changes the number of updates per epoch', async () => {
  const [small, large] = await trainBatch(task, [mlp({ batch_size: 16, optimizer: 'sgd' }), mlp({ batch_size: 240, optimizer: 'sgd' })]);
  assert.ok(small.curve.trainLoss.at(-1)! < large.curve.trainLoss.at(-1)!, 'more updates fit faster');
});

test('the linear learner honours alpha and l1_ratio (L1 zeroes weights)', async () => {
  const linear = (config: Record<string, number>) => ({ learner: 'linear' as const, config: { max_epochs: 10, learning_rate: 0.05, ...config }, seed: 3 });
  const [weak, ridge, lasso] = await trainBatch(task, [linear({ alpha: 1e-8 }), linear({ alpha: 0.1, l1_ratio: 0 }), linear({ alpha: 0.1, l1_ratio: 1 })], { keepModels: true });
  const weights = (o: TrainOutcome) => DenseNetwork.load(model(o)).layers[0].kernel;
  const norm1 = (o: TrainOutcome) => weights(o).reduce((s, v) => s + Math.abs(v), 0);
  const small = (o: TrainOutcome) => weights(o).filter((v) => Math.abs(v) < 0.015).length;
  assert.equal(model(ridge).layers.length, 1);
  assert.ok(norm1(ridge) < norm1(weak), 'alpha shrinks the weights');
  assert.ok(small(lasso) > small(ridge) + 2, 'L1 drives more weights to ~0');
});
