import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadDataset } from '../../src/data/index.ts';
import { InputError } from '../../src/errors.ts';
import { evaluate } from '../../src/evaluation/evaluate.ts';
import { planFolds } from '../../src/evaluation/folds.ts';
import { DEFAULT_PROTOCOL } from '../../src/evaluation/protocol.ts';
import { loadSavedModel, saveTrainedModel, SAVED_MODEL_FILE } from '../../src/evaluation/saved-model.ts';
import { loadSearchSpace } from '../../src/spaces/index.ts';

const irisFile = fileURLToPath(new URL('../../meta-db/corpus/classification/iris.arff.gz', import.meta.url));
const regressionFile = fileURLToPath(new URL('../../meta-db/corpus/regression/machine.cpu.arff.gz', import.meta.url));
const mlp = loadSearchSpace('mlp');
const config = { ...mlp.defaultConfiguration(), learning_rate: 0.01 };

/** The data lines of an ARFF file as string cells, as a user would pass them. */
async function rawArffRows(file: string): Promise<string[][]> {
  const text = gunzipSync(await readFile(file)).toString('utf8');
  const data = text.slice(text.search(/^@data/im)).split('\n').slice(1);
  return data.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('%')).map((l) => l.split(',').map((c) => c.trim()));
}

test('iris end to end: save, load, predict on raw string rows reproduces the scored accuracy', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'metatune-model-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dataset = await loadDataset(irisFile);
  const [evaluation] = await evaluate(dataset, mlp, [config], { backend: 'cpu', epochs: 20, keepModels: true });
  assert.equal(evaluation.status, 'ok', evaluation.error ?? '');
  await saveTrainedModel(dir, evaluation);

  const model = await loadSavedModel(dir);
  assert.deepEqual(model.inputColumns, ['sepallength', 'sepalwidth', 'petallength', 'petalwidth']);
  assert.equal(model.info.configHash, evaluation.configHash);
  const rows = await rawArffRows(irisFile);
  assert.equal(rows.length, 150);
  const prediction = model.predict(rows.map((r) => r.slice(0, 4)));
  assert.equal(prediction.task, 'classification');
  if (prediction.task !== 'classification') return;
  assert.equal(prediction.probabilities.length, 150 * 3);

  const [plan] = planFolds(dataset, DEFAULT_PROTOCOL);
  const correct = Array.from(plan.testRows).filter((r) => prediction.labels[r] === rows[r][4]).length;
  assert.equal(correct / plan.testRows.length, evaluation.metrics.accuracy);
  const all = prediction.labels.filter((label, r) => label === rows[r][4]).length / 150;
  assert.ok(all > 0.8, `accuracy on all rows ${all}`);

  const byName = model.predict([{ sepallength: '5.1', sepalwidth: '3.5', petallength: '1.4', petalwidth: '0.2' }]);
  assert.equal(byName.task === 'classification' ? byName.labels[0] : '', 'Iris-setosa');
});

test('a regression model predicts on the original scale of its target', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'metatune-model-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dataset = await loadDataset(regressionFile);
  const [evaluation] = await evaluate(dataset, mlp, [config], { backend: 'cpu', epochs: 20, keepModels: true });
  await saveTrainedModel(dir, evaluation);
  const rows = await rawArffRows(regressionFile);
  const prediction = (await loadSavedModel(dir)).predict(rows.map((r) => r.slice(0, -1)));
  assert.equal(prediction.task, 'regression');
  if (prediction.task !== 'regression') return;
  const truth = rows.map((r) => Number(r[r.length - 1]));
  const meanTruth = truth.reduce((a, b) => a + b, 0) / truth.length;
  const meanPrediction = prediction.values.reduce((a, b) => a + b, 0) / truth.length;
  assert.ok(Math.abs(meanPrediction - meanTruth) < 0.5 * meanTruth, `mean prediction ${meanPrediction} vs ${meanTruth}`);
});

test('loading a folder without a valid model.json is an input error naming the file', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'metatune-model-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(loadSavedModel(dir), (e: unknown) => e instanceof InputError && e.message.includes(SAVED_MODEL_FILE));
  await writeFile(path.join(dir, SAVED_MODEL_FILE), '{"format": "something-else"}');
  await assert.rejects(loadSavedModel(dir), /not a metatune saved model/);
});

test('saving a failed evaluation is refused', async () => {
  const dataset = await loadDataset(irisFile);
  const [failed] = await evaluate(dataset, mlp, [{ ...config, units: 2 }], { backend: 'cpu', keepModels: true });
  await assert.rejects(saveTrainedModel(os.tmpdir(), failed), /no trained model to save/);
});
