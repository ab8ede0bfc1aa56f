import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../src/errors.ts';
import { prepareTensorBackend } from '../../src/metamodel/backend.ts';
import { LearnedMetaModel } from '../../src/metamodel/learned.ts';
import { recommend } from '../../src/metamodel/recommend.ts';
import { saveMetaModel } from '../../src/metamodel/serialize.ts';
import { loadTrainingSet, withoutTasks } from '../../src/metamodel/training-set.ts';
import type { MetaFeatureValues } from '../../src/metamodel/types.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { writeSyntheticStore } from './synthetic.ts';

let dir = '';
let store: SqliteMetaStore;
let query: MetaFeatureValues;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-recommend-'));
  const names = writeSyntheticStore(join(dir, 'store.sqlite'), { tasks: 10, configs: 30, seed: 4 });
  // the query is a stored task's vector, removed from the store's training tasks by name below
  store = SqliteMetaStore.open(join(dir, 'store.sqlite'));
  query = loadTrainingSet(store, 'mlp').tasks.find((t) => t.name === names[0])?.metaFeatures as MetaFeatureValues;
  await prepareTensorBackend();
});

after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** @returns what fn wrote to stdout and stderr while it ran (the library must write nothing) */
function captured<T>(fn: () => T): { value: T; written: string } {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let written = '';
  const sink = (chunk: unknown) => ((written += String(chunk)), true);
  process.stdout.write = sink as typeof process.stdout.write;
  process.stderr.write = sink as typeof process.stderr.write;
  try {
    return { value: fn(), written };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

test('recommend without a stored model: knn fitted now, in every space the store has configurations of, silently', () => {
  const { value, written } = captured(() => recommend(store, query, { top: 4 }));
  assert.equal(written, '');
  assert.deepEqual(value.spaces.map((s) => s.space), ['mlp']);
  assert.deepEqual(value.skipped, []);
  const [mlp] = value.spaces;
  assert.match(mlp.model, /^knn \(fitted now; no stored learned-mlp model/);
  assert.equal(mlp.candidates, 30);
  assert.equal(mlp.top.length, 4);
  assert.equal(new Set(mlp.top.map((c) => c.configHash)).size, 4);
  assert.equal(mlp.top[0].why.nearestTasks[0].distance, 0, 'the query is a stored task: it is its own nearest');
});

test('a space without usable tasks is skipped when several are asked for, an error when it is the only one', () => {
  const { value, written } = captured(() => recommend(store, query, { spaces: ['mlp', 'linear'], top: 1 }));
  assert.equal(written, '');
  assert.deepEqual(value.spaces.map((s) => s.space), ['mlp']);
  assert.equal(value.skipped.length, 1);
  assert.equal(value.skipped[0].space, 'linear');
  assert.match(value.skipped[0].reason, /no task has meta-features/);
  assert.throws(() => recommend(store, query, { spaces: ['linear'] }), StoreError);
});

test('with a stored learned model: its label, an uncertainty per pick, and the space-filling pool on request', async () => {
  const training = loadTrainingSet(store, 'mlp');
  const model = await LearnedMetaModel.fit(withoutTasks(training, new Set([training.tasks[0].name])), { ensemble: 2, hidden: 16, episodic: { steps: 30 } });
  try {
    saveMetaModel(store, model, 'test-version', {});
  } finally {
    model.dispose();
  }
  const stored = recommend(store, query, { top: 5, pool: 0 });
  const pooled = recommend(store, query, { top: 5, pool: 40 });
  assert.equal(stored.spaces[0].model, 'learned-mlp@test-version');
  assert.equal(stored.spaces[0].candidates, 30);
  assert.equal(pooled.spaces[0].candidates, 70);
  for (const r of [stored, pooled]) assert.ok(r.spaces[0].top.every((c) => Number.isFinite(c.uncertainty)));
  // the same call gives the same answer
  assert.deepEqual(recommend(store, query, { top: 5, pool: 40 }), pooled);
  // asking for knn still works beside the stored learned model
  assert.match(recommend(store, query, { model: 'knn', top: 1 }).spaces[0].model, /^knn \(fitted now/);
});
