import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadDataset } from '../../src/data/index.ts';
import { InputError } from '../../src/errors.ts';
import { evaluate } from '../../src/evaluation/evaluate.ts';
import { planFolds } from '../../src/evaluation/folds.ts';
import { DEFAULT_PROTOCOL } from '../../src/evaluation/protocol.ts';
import { loadSavedModel, saveTrainedModel, SAVED_MODEL_FILE, SAVED_MODEL_FILES } from '../../src/evaluation/saved-model.ts';
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

test('the folder holds model.json, weights.bin and preprocessing.json; a link at any of them is refused; overwrite replaces all three', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'metatune-model-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dataset = await loadDataset(irisFile);
  const [evaluation] = await evaluate(dataset, mlp, [config], { backend: 'cpu', epochs: 2, keepModels: true });
  const dir = path.join(root, 'model');
  assert.equal(await saveTrainedModel(dir, evaluation), path.join(dir, SAVED_MODEL_FILE));
  assert.deepEqual((await readdir(dir)).sort(), [...SAVED_MODEL_FILES].sort());
  const modelJson = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
  assert.equal(modelJson.format, 'layers-model');
  assert.deepEqual(modelJson.weightsManifest[0].paths, ['weights.bin']);
  const preprocessing = JSON.parse(await readFile(path.join(dir, 'preprocessing.json'), 'utf8'));
  assert.equal(preprocessing.format, 'metatune.preprocessing');
  assert.equal(preprocessing.configHash, evaluation.configHash);
  await assert.rejects(saveTrainedModel(dir, evaluation), /model\.json: already exists/);
  const before = await readFile(path.join(dir, 'weights.bin'));
  const [other] = await evaluate(dataset, mlp, [config], { backend: 'cpu', epochs: 2, seed: 7, keepModels: true });
  await saveTrainedModel(dir, other, { overwrite: true });
  assert.notDeepEqual(await readFile(path.join(dir, 'weights.bin')), before, 'weights replaced');
  assert.equal((await loadSavedModel(dir)).info.configHash, other.configHash);
  assert.deepEqual((await readdir(dir)).sort(), [...SAVED_MODEL_FILES].sort(), 'no temporary file left');

  for (const name of ['weights.bin', 'preprocessing.json']) {
    const linked = path.join(root, `link-${name}`);
    await mkdir(linked);
    await writeFile(path.join(root, 'victim'), 'secret');
    await symlink(path.join(root, 'victim'), path.join(linked, name));
    await assert.rejects(saveTrainedModel(linked, evaluation, { overwrite: true }), new RegExp(`${name.replace('.', '\\.')}: is a symbolic link`));
    assert.deepEqual(await readdir(linked), [name], 'nothing written');
    assert.equal(await readFile(path.join(root, 'victim'), 'utf8'), 'secret');
  }
  const lone = path.join(root, 'lone');
  await mkdir(lone);
  await writeFile(path.join(lone, 'weights.bin'), 'x');
  await assert.rejects(saveTrainedModel(lone, evaluation), /lone[/\\]weights\.bin: already exists/);
});

test('a folder whose model.json is another format is not a saved model; weights that disagree with preprocessing.json are refused', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'metatune-model-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const iris = await loadDataset(irisFile);
  const cpu = await loadDataset(regressionFile);
  const [a] = await evaluate(iris, mlp, [config], { backend: 'cpu', epochs: 2, keepModels: true });
  const [b] = await evaluate(cpu, mlp, [config], { backend: 'cpu', epochs: 2, keepModels: true });
  await saveTrainedModel(path.join(root, 'a'), a);
  await saveTrainedModel(path.join(root, 'b'), b);
  await writeFile(path.join(root, 'a', 'preprocessing.json'), await readFile(path.join(root, 'b', 'preprocessing.json')));
  await assert.rejects(loadSavedModel(path.join(root, 'a')), /model\.json: the network reads 4 columns but preprocessing\.json encodes 6/);
});
