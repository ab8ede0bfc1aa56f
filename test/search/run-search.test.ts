/**
 * runSearch end to end on iris with tiny budgets: warm-start origins (default only on an empty
 * store, knn fitted on the fly, the stored learned model with the meta sampler), evaluations added
 * to the store, rung-based successive halving, the saved best model, and a clean stop that resumes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LearnedMetaModel } from '../../src/metamodel/learned.ts';
import { saveMetaModel } from '../../src/metamodel/serialize.ts';
import { loadTrainingSet } from '../../src/metamodel/training-set.ts';
import { runSearch, type SearchOptions } from '../../src/search/run-search.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { writeSyntheticStore } from '../metamodel/synthetic.ts';

const IRIS = fileURLToPath(new URL('../../meta-db/corpus/classification/iris.arff.gz', import.meta.url));
const FAST: Omit<SearchOptions, 'budget'> = { epochs: 2, workers: 1, seed: 3 };
let dir = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-run-search-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function storedEvaluations(db: string, task: string) {
  const store = SqliteMetaStore.open(db);
  try {
    return store.listEvaluations({ task, space: 'mlp' });
  } finally {
    store.close();
  }
}

test('runSearch on an empty store: the default first, meta falls back to TPE, evaluations stored, best model saved', { timeout: 120_000 }, async () => {
  const db = join(dir, 'empty.sqlite');
  const notices: string[] = [];
  const progress: number[] = [];
  const result = await runSearch(IRIS, { ...FAST, budget: 3, batchSize: 3, db, saveModel: join(dir, 'model'), onNotice: (m) => notices.push(m), onTrial: (_t, p) => progress.push(p.finished) });
  assert.equal(result.task, 'iris');
  assert.equal(result.sampler, 'tpe');
  assert.match(result.samplerFallback ?? '', /falling back to TPE/);
  assert.ok(notices.some((m) => /falling back to TPE/.test(m)));
  assert.equal(result.warmStartModel, null);
  assert.deepEqual(result.trials.map((t) => t.number), [0, 1, 2]);
  assert.equal(result.trials[0].origin, 'default');
  assert.ok(result.trials.slice(1).every((t) => t.origin.startsWith('sampler:tpe')));
  assert.ok(result.trials.every((t) => t.state === 'complete'));
  assert.deepEqual(progress, [1, 2, 3]);
  assert.equal(storedEvaluations(db, 'iris').length, 3);
  assert.equal(result.evaluationsStored, 3);
  assert.equal(result.bestEvaluation?.primaryScore, result.best?.value);
  assert.ok(result.savedModel !== null && existsSync(result.savedModel));
});

test('runSearch warm-starts from knn fitted on the store, then from the stored learned model with the meta sampler', { timeout: 180_000 }, async () => {
  const db = join(dir, 'synthetic.sqlite');
  writeSyntheticStore(db, { tasks: 8, configs: 30, seed: 2 });
  const knn = await runSearch(IRIS, { ...FAST, budget: 3, batchSize: 3, warmStart: 2, db, study: 'knn-start' });
  assert.equal(knn.warmStartModel, 'knn (fitted now)');
  assert.equal(knn.sampler, 'tpe');
  assert.deepEqual(knn.trials.map((t) => t.origin), ['warm-start:knn', 'warm-start:knn', 'sampler:tpe:startup']);

  const store = SqliteMetaStore.open(db);
  try {
    const model = await LearnedMetaModel.fit(loadTrainingSet(store, 'mlp'), { ensemble: 1, hidden: 8, episodic: { steps: 5 } });
    saveMetaModel(store, model, '2026-01-01', {});
    model.dispose();
  } finally {
    store.close();
  }
  const meta = await runSearch(IRIS, { ...FAST, budget: 4, batchSize: 2, warmStart: 2, db, study: 'learned-start' });
  assert.equal(meta.sampler, 'meta');
  assert.equal(meta.samplerFallback, null);
  assert.match(meta.warmStartModel ?? '', /^learned-mlp@2026-01-01$/);
  assert.deepEqual(meta.trials.map((t) => t.origin), ['warm-start:learned', 'warm-start:learned', 'sampler:meta', 'sampler:meta']);
});

test('runSearch with successive halving: rungs at 1 and 3 epochs, pruned trials keep their rung value, survivors train fully', { timeout: 120_000 }, async () => {
  const db = join(dir, 'sh.sqlite');
  const result = await runSearch(IRIS, { ...FAST, budget: 6, batchSize: 6, epochs: 9, pruner: 'sh', minEpochs: 1, db, sampler: 'random' });
  const pruned = result.trials.filter((t) => t.state === 'pruned');
  const complete = result.trials.filter((t) => t.state === 'complete');
  assert.equal(result.trials.length, 6);
  assert.ok(pruned.length >= 3, `${pruned.length} pruned`);
  assert.ok(complete.length >= 1);
  for (const t of pruned) {
    const steps = t.intermediate.flatMap((v, step) => (v === null ? [] : [step]));
    assert.ok(steps.length >= 1 && steps.every((s) => s === 1 || s === 3), `trial ${t.number} reported at ${steps.join(',')}`);
    assert.equal(t.value, t.intermediate[steps[steps.length - 1]]);
  }
  for (const t of complete) assert.equal(t.intermediate[9], t.value);
  const fidelities = storedEvaluations(db, 'iris').map((e) => e.fidelity);
  assert.equal(fidelities.filter((f) => f === 1).length, 6, 'every trial ran the first rung');
  assert.equal(fidelities.filter((f) => f === 9).length, complete.length);
});

test('runSearch stops cleanly when aborted and the same study resumes to its budget with no trial lost or repeated', { timeout: 120_000 }, async () => {
  const db = join(dir, 'abort.sqlite');
  const controller = new AbortController();
  const first = await runSearch(IRIS, { ...FAST, budget: 4, batchSize: 1, db, study: 'stop', sampler: 'random', signal: controller.signal, onTrial: () => controller.abort() });
  assert.equal(first.interrupted, true);
  assert.equal(first.trials.length, 1);
  const second = await runSearch(IRIS, { ...FAST, budget: 4, batchSize: 2, db, study: 'stop', sampler: 'random' });
  assert.equal(second.resumedTrials, 1);
  assert.deepEqual(second.trials.map((t) => t.number), [0, 1, 2, 3]);
  assert.equal(new Set(second.trials.map((t) => t.configHash)).size, 4);
  assert.ok(second.trials.every((t) => t.state === 'complete'));
});
