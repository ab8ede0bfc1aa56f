/**
 * `metatune predict` as a user runs it (the compiled CLI in a child process) on a model saved by
 * `evaluate --save-model`: the table fits 120 columns and scores the file's target column, `--json`
 * gives what the library's SavedModel predicts, `--out` writes CSV.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSavedModel } from '../../src/evaluation/saved-model.ts';
import { IRIS, rawArffRows } from './fixtures.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'metatune-predict-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function metatune(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, METATUNE_HOME: path.join(dir, 'home') } });
}

const model = path.join(dir, 'iris-model');
const saved = metatune('evaluate', IRIS, '--epochs', '10', '--backend', 'cpu', '--save-model', model);
assert.equal(saved.status, 0, saved.stderr);

test('predict prints a table within 120 columns, scored against the target column', () => {
  const r = metatune('predict', model, IRIS);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^row\s+predicted\s+probability\s+actual$/);
  assert.equal(lines.length, 2 + 150 + 1);
  assert.match(lines.at(-1) ?? '', /^accuracy against column 'class': 0\.\d+ \(150 rows with a value\)$/);
  assert.ok(lines.every((l) => l.length <= 120));
});

test('--json gives what the library predicts; --out writes CSV with a probability per class', async () => {
  const library = (await loadSavedModel(model)).predict((await rawArffRows(IRIS)).map((r) => r.slice(0, 4)));
  assert.equal(library.task, 'classification');
  if (library.task !== 'classification') return;
  const r = metatune('predict', model, IRIS, '--json');
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.equal(json.model.learner, 'mlp');
  assert.equal(json.rows, 150);
  assert.deepEqual(json.predictions.map((p: { predicted: string }) => p.predicted), library.labels);
  assert.equal(json.predictions[0].probabilities['Iris-setosa'], library.probabilities[0]);
  const correct = library.labels.filter((label, i) => label === json.predictions[i].actual).length;
  assert.deepEqual(json.score, { metric: 'accuracy', value: correct / 150, rows: 150 });

  const out = path.join(dir, 'predictions.csv');
  writeFileSync(out, 'replaced');
  const w = metatune('predict', model, IRIS, '--out', out);
  assert.equal(w.status, 0, w.stderr);
  assert.match(w.stdout, /^wrote 150 predictions to .*predictions\.csv\naccuracy against column 'class'/);
  const csv = readFileSync(out, 'utf8').trimEnd().split('\n');
  assert.equal(csv[0], 'row,predicted,probability_Iris-setosa,probability_Iris-versicolor,probability_Iris-virginica,actual');
  assert.equal(csv.length, 151);
  assert.equal(csv[1].split(',')[1], library.labels[0]);
});

test('a missing column is exit 2 naming it; a missing folder is exit 2 naming model.json', () => {
  const partial = path.join(dir, 'partial.csv');
  writeFileSync(partial, 'sepallength,sepalwidth,petalwidth\n5.1,3.5,0.2\n');
  const r = metatune('predict', model, partial);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^error: .*partial\.csv, column 'petallength': the column is missing/);
  const none = metatune('predict', path.join(dir, 'nowhere'), IRIS);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /nowhere[/\\]model\.json: cannot read a saved model: no such file/);
});
