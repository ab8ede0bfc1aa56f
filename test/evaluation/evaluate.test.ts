import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { tf } from '../../src/backend/tf.ts';
import { loadDataset } from '../../src/data/index.ts';
import { loadSearchSpace, SearchSpace } from '../../src/spaces/index.ts';
import { evaluate } from '../../src/evaluation/evaluate.ts';
import { DEFAULT_PROTOCOL, protocolId, withFolds } from '../../src/evaluation/protocol.ts';
import type { Evaluation, EvaluationProgress, Trainer } from '../../src/evaluation/types.ts';
import { TrainerPool, type TrainOutcome } from '../../src/learners/index.ts';
import { VERSION } from '../../src/version.ts';

const datasets = new URL('../../meta-db/corpus/', import.meta.url);
const iris = () => loadDataset(fileURLToPath(new URL('classification/iris.arff.gz', datasets)));
const machineCpu = () => loadDataset(fileURLToPath(new URL('regression/machine.cpu.arff.gz', datasets)));
const mlp = loadSearchSpace('mlp');
const fast = { ...mlp.defaultConfiguration(), learning_rate: 0.01 };

/** Drops what legitimately differs between two identical runs. */
const withoutTimes = (e: Evaluation) => ({ ...e, wallTimeMs: 0, folds: e.folds.map((f) => ({ ...f, wallTimeMs: 0 })) });

test('iris, holdout, default protocol: the default mlp scores well and every field is filled', async () => {
  const tensorsBefore = tf.memory().numTensors;
  const [e] = await evaluate(await iris(), mlp, [mlp.defaultConfiguration()], { backend: 'cpu', epochs: 30, seed: 1 });
  assert.equal(e.status, 'ok', e.error ?? '');
  assert.ok(e.metrics.accuracy > 0.8, `accuracy ${e.metrics.accuracy}`);
  assert.ok(e.metrics.rocAuc > 0.9, `AUC ${e.metrics.rocAuc}`);
  assert.ok(e.metrics.logLoss < 0.8, `log loss ${e.metrics.logLoss}`);
  assert.equal(e.primaryMetric, 'balancedAccuracy');
  assert.equal(e.primaryScore, e.metrics.balancedAccuracy);
  assert.equal(e.protocolId, protocolId(DEFAULT_PROTOCOL));
  assert.equal(e.configHash, mlp.configHash(mlp.defaultConfiguration()));
  assert.equal(e.fidelity, 30);
  assert.equal(e.seed, 1);
  assert.equal(e.backend, 'cpu');
  assert.equal(e.metatuneVersion, VERSION);
  assert.ok(e.epochsRun >= 1 && e.epochsRun <= 30);
  assert.equal(e.curve.validLoss.length, e.epochsRun);
  assert.ok(e.wallTimeMs > 0);
  assert.deepEqual(e.folds[0].rows, { fit: 90, valid: 22, test: 38 });
  assert.equal(e.trainedModel, undefined);
  assert.equal(tf.memory().numTensors, tensorsBefore, 'evaluate leaked tensors');
});

test('regression, holdout and 3-fold: R² on the original scale, k-fold averages its folds', async () => {
  const dataset = await machineCpu();
  const [holdout] = await evaluate(dataset, mlp, [fast], { backend: 'cpu', epochs: 20 });
  assert.equal(holdout.status, 'ok', holdout.error ?? '');
  assert.equal(holdout.primaryMetric, 'r2');
  assert.ok(holdout.metrics.r2 > 0.5, `R² ${holdout.metrics.r2}`);
  // errors are in the target's unit (published performance, tens to hundreds), not standardised
  assert.ok(holdout.metrics.rmse > 5 && holdout.metrics.mae > 5, `RMSE ${holdout.metrics.rmse}`);

  const [kfold] = await evaluate(dataset, mlp, [fast], { backend: 'cpu', epochs: 20, folds: 3 });
  assert.equal(kfold.status, 'ok', kfold.error ?? '');
  assert.equal(kfold.protocolId, protocolId(withFolds(DEFAULT_PROTOCOL, 3)));
  assert.equal(kfold.folds.length, 3);
  assert.equal(kfold.folds.reduce((s, f) => s + f.rows.test, 0), dataset.nRows);
  const meanR2 = kfold.folds.reduce((s, f) => s + f.metrics.r2, 0) / 3;
  assert.ok(Math.abs(kfold.metrics.r2 - meanR2) < 1e-12);
  assert.ok(kfold.metrics.r2 > 0.5, `3-fold R² ${kfold.metrics.r2}`);
  assert.equal(kfold.curve.validLoss.length, Math.max(...kfold.folds.map((f) => f.epochsRun)));
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`equal seeds reproduce exactly on the ${backend} backend; another seed trains differently`, async () => {
    const dataset = await iris();
    const run = (seed: number) => evaluate(dataset, mlp, [fast, mlp.defaultConfiguration()], { backend, epochs: 8, seed, folds: 2 });
    const [a, b, c] = [await run(3), await run(3), await run(4)];
    assert.equal(a[0].backend, backend);
    assert.deepEqual(a.map(withoutTimes), b.map(withoutTimes));
    assert.notDeepEqual(a[0].curve, c[0].curve);
  });
}

test('a worker pool gives the same evaluations as training in this thread', async (t) => {
  const dataset = await iris();
  const configs = [fast, { ...fast, units: 32 }, { ...fast, activation: 'tanh' }];
  const pool = new TrainerPool({ workers: 2, backend: 'cpu' });
  t.after(() => pool.close());
  const local = await evaluate(dataset, mlp, configs, { backend: 'cpu', epochs: 6, seed: 2 });
  const pooled = await evaluate(dataset, mlp, configs, { backend: 'cpu', epochs: 6, seed: 2, pool });
  assert.deepEqual(pooled.map(withoutTimes), local.map(withoutTimes));
});

test('an invalid configuration is recorded as failed with its reason; the others still run', async () => {
  const bad = { ...mlp.defaultConfiguration(), units: 3 };
  const results = await evaluate(await iris(), mlp, [bad, fast], { backend: 'cpu', epochs: 5 });
  assert.equal(results[0].status, 'failed');
  assert.match(results[0].error ?? '', /units/);
  assert.equal(results[0].primaryScore, null);
  assert.deepEqual(results[0].metrics, {});
  assert.equal(results[1].status, 'ok', results[1].error ?? '');
});

test('a trainer that fails or crashes never throws out of the loop', async () => {
  const failing: Trainer = {
    run: async (_task, requests) => requests.map((): TrainOutcome => ({
      status: 'failed', error: 'diverged: loss is NaN at epoch 3', epochsRun: 3, bestEpoch: -1,
      curve: { trainLoss: [1, 2, NaN], validLoss: [1, 2, NaN] }, validPredictions: new Float32Array(0), wallTimeMs: 1, backend: 'cpu',
    })),
  };
  const crashing: Trainer = { run: async () => { throw new Error('worker exited with code 134'); } };
  const dataset = await iris();
  const [diverged] = await evaluate(dataset, mlp, [fast], { backend: 'cpu', pool: failing, folds: 3 });
  assert.equal(diverged.status, 'failed');
  assert.match(diverged.error ?? '', /^fold 1\/3: diverged/);
  assert.equal(diverged.folds.length, 3);
  const [crashed] = await evaluate(dataset, mlp, [fast], { backend: 'cpu', pool: crashing });
  assert.equal(crashed.status, 'failed');
  assert.match(crashed.error ?? '', /training failed: worker exited/);
});

test('progress counts epochs up to the whole budget', async () => {
  const events: EvaluationProgress[] = [];
  await evaluate(await iris(), mlp, [fast, fast], { backend: 'cpu', epochs: 4, folds: 2, onProgress: (p) => events.push(p) });
  assert.ok(events.length > 2);
  assert.ok(events.every((p, i) => i === 0 || p.epochsDone >= events[i - 1].epochsDone));
  const last = events[events.length - 1];
  assert.deepEqual(last, { fold: 1, folds: 2, epochsDone: 16, epochsBudget: 16 });
});

test('an abort stops the evaluation with the signal\'s reason instead of recording failures', async () => {
  const controller = new AbortController();
  const run = evaluate(await iris(), mlp, [fast], {
    backend: 'cpu', epochs: 50, signal: controller.signal,
    onProgress: (p) => p.epochsDone >= 2 && controller.abort(new Error('stopped by the user')),
  });
  await assert.rejects(run, /stopped by the user/);
});

test('a space for another task is refused before any training', async () => {
  const classificationOnly = new SearchSpace({ ...mlp.definition, taskTypes: ['classification'] });
  await assert.rejects(evaluate(await machineCpu(), classificationOnly, [fast]), /is for classification/);
});
