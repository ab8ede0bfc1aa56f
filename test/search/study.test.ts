/** Ask/tell studies: the warm-start queue and origins, batches, tell, best trial, load and resume. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SearchSpaceError, StoreError } from '../../src/errors.ts';
import { StudyError, TrialNotOwnedError } from '../../src/search/errors.ts';
import { InMemoryStudyStorage } from '../../src/search/memory-storage.ts';
import { createStudy, loadStudy } from '../../src/search/open-study.ts';
import { SuccessiveHalvingPruner } from '../../src/search/pruners/successive-halving.ts';
import { TPESampler } from '../../src/search/samplers/tpe.ts';
import type { Sampler } from '../../src/search/samplers/sampler.ts';
import { Random } from '../../src/random.ts';
import { bowl, constrainedMlp, mlp, runBowl } from './helpers.ts';

const configs = mlp.sampleRandom(new Random(7), 4);

test('enqueued configurations are asked first, in order, each with its origin', () => {
  const study = createStudy({ space: mlp, direction: 'minimize', sampler: new TPESampler(), seed: 1 });
  assert.equal(study.enqueue(configs[0], { origin: 'warm-start:learned' }), true);
  assert.equal(study.enqueue(mlp.defaultConfiguration(), { origin: 'default' }), true);
  assert.equal(study.enqueue(configs[1]), true);
  const asked = study.askBatch(4);
  assert.deepEqual(asked.map((t) => t.origin), ['warm-start:learned', 'default', 'enqueued', 'sampler:tpe:startup']);
  assert.deepEqual(asked.slice(0, 3).map((t) => t.config), [configs[0], mlp.defaultConfiguration(), configs[1]]);
  assert.deepEqual(asked.map((t) => t.number), [0, 1, 2, 3]);
  assert.deepEqual(study.trials.map((t) => t.origin), asked.map((t) => t.origin));
});

test('sampler trials say whether TPE was still drawing its random start-up trials', () => {
  const origins = runBowl(new TPESampler({ nStartupTrials: 3 }), 1, 5).trials.map((t) => t.origin);
  assert.deepEqual(origins, ['sampler:tpe:startup', 'sampler:tpe:startup', 'sampler:tpe:startup', 'sampler:tpe', 'sampler:tpe']);
});

test('enqueue skips configurations already tried or queued unless told otherwise', () => {
  const study = createStudy({ space: mlp, direction: 'minimize', seed: 1 });
  study.enqueue(configs[0]);
  assert.equal(study.enqueue(configs[0]), false);
  study.tell(study.ask(), { value: 1 });
  assert.equal(study.enqueue({ ...configs[0] }, { origin: 'warm-start:knn' }), false);
  assert.equal(study.enqueue(configs[0], { skipIfTried: false }), true);
  assert.equal(study.ask().configHash, study.trials[0].configHash);
});

test('enqueue rejects illegal configurations and malformed origins', () => {
  const space = constrainedMlp();
  const study = createStudy({ space, direction: 'minimize', seed: 1 });
  assert.throws(() => study.enqueue({ ...space.defaultConfiguration(), n_layers: 4 }), SearchSpaceError);
  assert.throws(() => study.enqueue({ ...space.defaultConfiguration(), momentum: 0.9 }), SearchSpaceError);
  assert.throws(() => study.enqueue(space.defaultConfiguration(), { origin: 'Warm Start' }), StudyError);
  assert.equal(study.storage.listWaiting(study.name).length, 0);
});

test('askBatch never proposes a configuration that is pending or already tried', () => {
  const small = constrainedMlp();
  const study = runBowl(new TPESampler({ nStartupTrials: 4 }), 2, 12, { space: small });
  const batch = study.askBatch(16);
  const hashes = study.trials.map((t) => t.configHash);
  assert.equal(new Set(hashes).size, hashes.length);
  assert.equal(batch.filter((t) => t.state === 'running').length, 16);
});

test('tell: values complete, non-finite values fail, pruned keeps the last report, a told trial is closed', () => {
  const study = createStudy({ space: mlp, direction: 'maximize', seed: 3 });
  const [a, b, c, d] = study.askBatch(4);
  assert.equal(study.tell(a, { value: 0.7 }).state, 'complete');
  const failed = study.tell(b.number, { value: Number.NaN });
  assert.deepEqual([failed.state, failed.error], ['failed', 'objective value NaN is not finite']);
  c.report(1, 0.4);
  c.report(3, 0.5);
  const pruned = study.tell(c, { state: 'pruned' });
  assert.deepEqual([pruned.state, pruned.value, pruned.intermediate], ['pruned', 0.5, [null, 0.4, null, 0.5]]);
  assert.equal(study.tell(d, { state: 'failed', error: 'out of memory' }).error, 'out of memory');
  assert.throws(() => study.tell(a, { value: 1 }), StoreError);
  assert.throws(() => c.report(4, 1), StudyError);
  assert.equal(c.state, 'pruned');
  assert.equal(c.shouldPrune(), false);
});

test('bestTrial follows the direction and prefers the earlier trial on ties', () => {
  for (const direction of ['maximize', 'minimize'] as const) {
    const study = createStudy({ space: mlp, direction, seed: 3 });
    const values = [0.3, 0.9, 0.1, 0.9];
    for (const value of values) study.tell(study.ask(), { value });
    assert.equal(study.bestTrial?.number, direction === 'maximize' ? 1 : 2);
  }
  assert.equal(createStudy({ space: mlp, direction: 'maximize', seed: 3 }).bestTrial, undefined);
});

test('a study resumed from storage continues exactly as an uninterrupted one', () => {
  const sampler = () => new TPESampler({ nStartupTrials: 5 });
  const straight = runBowl(sampler(), 21, 24).trials.map((t) => t.configHash);
  const storage = new InMemoryStudyStorage();
  runBowl(sampler(), 21, 12, { storage, name: 'resumable' });
  const resumed = createStudy({ space: mlp, direction: 'minimize', storage, name: 'resumable', seed: 99, loadIfExists: true });
  assert.equal(resumed.sampler.name, 'tpe', 'the stored sampler, not the default');
  assert.equal(resumed.seed, 21, 'the stored seed');
  assert.deepEqual(resumed.sampler.toJSON(), sampler().toJSON());
  for (let i = 0; i < 12; i++) {
    const trial = resumed.ask();
    resumed.tell(trial, { value: bowl(mlp, trial.config) });
  }
  assert.deepEqual(resumed.trials.map((t) => t.configHash), straight);
});

test('loadStudy hands out trials of a dead worker again, with their number, before the queue', () => {
  const storage = new InMemoryStudyStorage();
  const first = createStudy({ space: mlp, direction: 'minimize', storage, name: 'crash', seed: 5, pruner: new SuccessiveHalvingPruner() });
  first.tell(first.ask(), { value: 1 });
  const [lost1, lost2] = first.askBatch(2);
  lost1.report(1, 0.5);
  // `first` stands for a killed process: its heartbeat is not refreshed, and a grace period of 0 takes it as dead
  assert.equal(loadStudy('crash', storage).ask().number, 3, 'within the grace period a live worker keeps its trials');
  const resumed = loadStudy('crash', storage, { staleAfterMs: 0 });
  assert.equal(resumed.pruner.name, 'sh');
  resumed.enqueue(configs[2], { origin: 'warm-start:knn' });
  const again = resumed.askBatch(5);
  assert.deepEqual(again.map((t) => t.number), [1, 2, 3, 4, 5]);
  assert.deepEqual(again.slice(0, 3).map((t) => t.configHash), [lost1.configHash, lost2.configHash, again[2].configHash]);
  assert.deepEqual(again.map((t) => t.origin), [lost1.origin, lost2.origin, 'sampler:random', 'warm-start:knn', 'sampler:random']);
  assert.deepEqual(again[0].intermediate, []);
  assert.throws(() => first.tell(lost1, { value: 9 }), TrialNotOwnedError, 'the dead worker cannot tell a re-claimed trial');
  for (const t of again) resumed.tell(t, { value: 2 });
  assert.deepEqual(resumed.trials.map((t) => t.state), Array(6).fill('complete'));
  const joined = loadStudy('crash', storage, { resumeRunning: false });
  assert.equal(joined.ask().number, 6);
});

test('a released trial is asked again with the same number', () => {
  const study = createStudy({ space: mlp, direction: 'minimize', seed: 5 });
  const trial = study.ask();
  study.release(trial);
  assert.throws(() => study.release(trial), StudyError);
  const again = study.ask();
  assert.deepEqual([again.number, again.configHash], [trial.number, trial.configHash]);
});

test('createStudy refuses a taken name unless loadIfExists; loadStudy checks the space and the sampler', () => {
  const storage = new InMemoryStudyStorage();
  const custom: Sampler = { name: 'custom', sample: (space, _h, rng) => space.sampleRandom(rng, 1)[0], toJSON: () => ({ name: 'custom' }) };
  createStudy({ space: mlp, direction: 'minimize', storage, name: 'x', seed: 1, sampler: custom });
  assert.throws(() => createStudy({ space: mlp, direction: 'minimize', storage, name: 'x', seed: 1 }), StudyError);
  assert.equal(createStudy({ space: mlp, direction: 'minimize', storage, name: 'x', seed: 1, sampler: custom, loadIfExists: true }).name, 'x');
  assert.throws(() => createStudy({ space: mlp, direction: 'maximize', storage, name: 'x', seed: 1, sampler: custom, loadIfExists: true }), /exists for task/);
  assert.throws(() => loadStudy('x', storage), /cannot rebuild sampler/);
  assert.throws(() => loadStudy('x', storage, { sampler: custom, space: constrainedMlp() }), /another version of search space/);
  assert.throws(() => loadStudy('nope', storage), StudyError);
  assert.equal(loadStudy('x', storage, { sampler: custom }).ask().origin, 'sampler:custom');
  assert.throws(() => createStudy({ space: mlp, direction: 'minimize', seed: 1.5 }), StudyError);
});
