/**
 * The saved folder is a standard TensorFlow.js layers model that reproduces the trained network:
 * for every hidden activation, with and without batch normalisation, and the linear learner, on a
 * classification and a regression task, `tf.loadLayersModel` (tfjs-layers, through an IOHandler
 * that reads the manifest's files, and over HTTP through `metatune/predictor`) predicts what
 * metatune's own network predicts. A metatune 0.1 folder still loads in Node; the predictor
 * refuses it, naming how to re-save.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadSavedModel } from '../../src/evaluation/saved-model.ts';
import { predict as networkPredict } from '../../src/learners/index.ts';
import { loadPredictor } from '../../src/predictor/index.ts';
import { Preprocessing } from '../../src/predictor/preprocessing.ts';
import { VERSION } from '../../src/version.ts';
import { maxAbsDiff, saveCases, type SavedCase } from './fixtures.ts';

let root = '';
let cases: SavedCase[] = [];
let server: Server | undefined;
let baseUrl = '';

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'metatune-layers-'));
  cases = await saveCases(root, 'all');
  server = createServer((request, response) => {
    readFile(path.join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)))
      .then((body) => response.writeHead(200).end(body))
      .catch(() => response.writeHead(404).end('not found'));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});
after(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await rm(root, { recursive: true, force: true });
});

/** Loads a folder's model.json + weight files the way tf.io's http handler does, from disk. */
function folderHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
      const manifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] = json.weightsManifest;
      const bytes = Buffer.concat(await Promise.all(manifest.flatMap((g) => g.paths).map((p) => readFile(path.join(dir, p)))));
      return {
        modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
        weightSpecs: manifest.flatMap((g) => g.weights),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

test('the saved network reproduces the trained one exactly, and tf.loadLayersModel reproduces it within 1e-5', async () => {
  assert.equal(cases.length, 10);
  for (const c of cases) {
    const saved = await loadSavedModel(c.dir);
    assert.equal(saved.legacy, false);
    assert.equal(saved.info.configHash, c.evaluation.configHash);
    const { X, nRows, nCols } = saved.preprocessing.encode(c.rows);
    const trained = c.evaluation.trainedModel?.model;
    assert.ok(trained !== undefined);
    const own = networkPredict(trained, X, nRows);
    const prediction = saved.predict(c.rows);
    const before = tf.memory().numTensors;
    const layers = await tf.loadLayersModel(folderHandler(c.dir));
    const output = tf.tidy(() => layers.predict(tf.tensor2d(X, [nRows, nCols])) as tf.Tensor);
    const viaLayers = await output.data();
    output.dispose();
    layers.dispose();
    assert.equal(tf.memory().numTensors, before, `${c.name}: tensors freed`);
    assert.ok(maxAbsDiff(viaLayers, own) < 1e-5, `${c.name}: layers model vs metatune network ${maxAbsDiff(viaLayers, own)}`);
    if (prediction.task === 'classification') {
      assert.deepEqual(prediction.probabilities, own, `${c.name}: saved = trained`);
      assert.ok(c.name.startsWith('iris'));
    } else {
      assert.deepEqual(prediction.values, saved.preprocessing.encoder.inverseTarget(own), `${c.name}: saved = trained`);
    }
  }
});

test('metatune/predictor loads the folder over HTTP with tf.loadLayersModel and predicts what Node predicts', async () => {
  for (const c of cases) {
    const saved = await loadSavedModel(c.dir);
    const expected = saved.predict(c.rows);
    const predictor = await loadPredictor(tf, `${baseUrl}/${path.basename(c.dir)}`);
    assert.deepEqual(predictor.inputColumns, saved.inputColumns);
    const before = tf.memory().numTensors;
    const got = await predictor.predict(c.rows);
    assert.equal(tf.memory().numTensors, before, `${c.name}: tensors freed`);
    predictor.dispose();
    assert.equal(got.task, expected.task);
    if (got.task === 'classification' && expected.task === 'classification') {
      assert.deepEqual(got.labels, expected.labels, c.name);
      assert.ok(maxAbsDiff(got.probabilities, expected.probabilities) < 1e-5, c.name);
    } else if (got.task === 'regression' && expected.task === 'regression') {
      assert.ok(maxAbsDiff(got.values, expected.values) < 1e-5 * Math.max(1, ...expected.values.map(Math.abs)), c.name);
    }
  }
});

test('records by column name predict like arrays; a bad cell names its row and column', async () => {
  const c = cases[0];
  const saved = await loadSavedModel(c.dir);
  const columns = saved.inputColumns;
  const records = c.rows.slice(0, 5).map((r) => Object.fromEntries(columns.map((name, k) => [name, r[k]])));
  assert.deepEqual(saved.predict(records), saved.predict(c.rows.slice(0, 5)));
  assert.throws(() => saved.predict([['5.1', 'wide', '1.4', '0.2']]), /raw row 1.*sepalwidth.*'wide' is not a number/);
});

test('a metatune 0.1 model.json still loads in Node (flagged legacy); the predictor refuses it, naming how to re-save', async () => {
  const c = cases[0];
  const trained = c.evaluation.trainedModel;
  assert.ok(trained !== undefined);
  const dir = path.join(root, 'legacy');
  await import('node:fs/promises').then((fs) => fs.mkdir(dir));
  const e = c.evaluation;
  await writeFile(path.join(dir, 'model.json'), JSON.stringify({
    format: 'metatune.saved-model', formatVersion: 1, metatuneVersion: VERSION, dataset: e.dataset, protocolId: e.protocolId,
    configHash: e.configHash, config: e.config, metrics: e.metrics, encoder: trained.encoder, model: trained.model,
  }));
  const legacy = await loadSavedModel(dir);
  assert.equal(legacy.legacy, true);
  assert.deepEqual(legacy.predict(c.rows), (await loadSavedModel(c.dir)).predict(c.rows));
  await assert.rejects(loadPredictor(tf, `${baseUrl}/legacy/`), /preprocessing\.json.*HTTP 404.*metatune\.saved-model.*re-save it with `metatune search --save-model DIR`/);
});

test('preprocessing.json is checked field by field', () => {
  assert.throws(() => Preprocessing.fromJSON({ format: 'metatune.preprocessing', formatVersion: 2 }, 'p.json'), /p\.json.*unsupported formatVersion 2/);
  assert.throws(() => Preprocessing.fromJSON([], 'p.json'), /not a metatune preprocessing file/);
});
