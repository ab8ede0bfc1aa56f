/** optimize(): budget, concurrency, pruning, failures and aborts over ask/tell. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { TrainingError } from '../../src/errors.ts';
import { StudyError } from '../../src/search/errors.ts';
import { InMemoryStudyStorage } from '../../src/search/memory-storage.ts';
import { createStudy } from '../../src/search/open-study.ts';
import { optimize } from '../../src/search/optimize.ts';
import { SuccessiveHalvingPruner } from '../../src/search/pruners/successive-halving.ts';
import { TPESampler } from '../../src/search/samplers/tpe.ts';
import type { Sampler } from '../../src/search/samplers/sampler.ts';
import { TrialPruned } from '../../src/search/trial.ts';
import { bowl, mlp } from './helpers.ts';

test('runs nTrials with at most `concurrency` objectives in flight, reporting each trial', async () => {
  const study = createStudy({ space: mlp, direction: 'minimize', sampler: new TPESampler({ nStartupTrials: 4 }), seed: 4 });
  let running = 0;
  let peak = 0;
  const seen: number[] = [];
  const result = await optimize(study, async (trial) => {
    peak = Math.max(peak, ++running);
    await sleep(1 + (trial.number % 3));
    running--;
    return bowl(mlp, trial.config);
  }, { nTrials: 14, concurrency: 3, onTrial: (t) => seen.push(t.number) });
  assert.equal(peak, 3);
  assert.equal(result.trials.length, 14);
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 14 }, (_, i) => i));
  assert.equal(new Set(study.trials.map((t) => t.configHash)).size, 14);
  assert.equal(result.bestTrial?.number, study.bestTrial?.number);
  assert.equal(result.aborted, false);
});

test('maxTrials is a budget for the whole study, so a second call only tops it up', async () => {
  const study = createStudy({ space: mlp, direction: 'minimize', seed: 4 });
  await optimize(study, (t) => bowl(mlp, t.config), { nTrials: 5 });
  const result = await study.optimize((t) => bowl(mlp, t.config), { maxTrials: 8, concurrency: 4 });
  assert.equal(result.trials.length, 3);
  assert.equal(study.trials.length, 8);
  await assert.rejects(optimize(study, () => 0, {}), StudyError);
  await assert.rejects(optimize(study, () => 0, { nTrials: 1, concurrency: 0 }), StudyError);
});

test('TrialPruned from the objective ends the trial pruned', async () => {
  const study = createStudy({ space: mlp, direction: 'maximize', pruner: new SuccessiveHalvingPruner(), seed: 9 });
  await optimize(study, (trial) => {
    const quality = 1 / (1 + bowl(mlp, trial.config));
    for (let epoch = 1; epoch <= 9; epoch++) {
      trial.report(epoch, quality * (1 - 1 / (epoch + 1)));
      if (trial.shouldPrune()) throw new TrialPruned();
    }
    return quality;
  }, { nTrials: 12 });
  const states = study.trials.map((t) => t.state);
  assert.ok(states.includes('pruned') && states.includes('complete'), states.join(' '));
  for (const t of study.trials.filter((x) => x.state === 'pruned')) assert.ok(t.intermediate.length < 10);
});

test('an objective error fails the trial and the loop goes on; an error catchErrors rejects stops it and is thrown', async () => {
  const study = createStudy({ space: mlp, direction: 'minimize', seed: 9 });
  await optimize(study, (trial) => {
    if (trial.number % 2 === 0) throw new TrainingError('diverged');
    return 1;
  }, { nTrials: 4 });
  assert.deepEqual(study.trials.map((t) => t.error), ['diverged', null, 'diverged', null]);
  await assert.rejects(
    optimize(study, async (trial) => {
      await sleep(trial.number === 4 ? 1 : 20);
      if (trial.number === 4) throw new RangeError('bug');
      return 1;
    }, { nTrials: 10, concurrency: 2, catchErrors: (error) => error instanceof TrainingError }),
    RangeError,
  );
  assert.deepEqual(study.trials.slice(4).map((t) => t.state), ['failed', 'complete']);
});

test('an abort asks nothing more and hands interrupted trials back for the next ask', async () => {
  const study = createStudy({ space: mlp, direction: 'minimize', seed: 9 });
  const controller = new AbortController();
  const result = await optimize(study, async (trial, signal) => {
    if (trial.number === 2) controller.abort();
    if (signal.aborted) throw new Error('stopped');
    return 1;
  }, { nTrials: 10, signal: controller.signal });
  assert.equal(result.aborted, true);
  assert.deepEqual(study.trials.map((t) => t.state), ['complete', 'complete', 'running']);
  const again = study.ask();
  assert.equal(again.number, 2);
});

test('the sampler plug-in point: prepare() is awaited before each round and sees the task and history', async () => {
  const rounds: { finished: number; pending: number; task: string | undefined; feature: number | null | undefined }[] = [];
  let prepared = false;
  const surrogate: Sampler = {
    name: 'meta',
    async prepare(_space, history) {
      await sleep(1);
      prepared = true;
      rounds.push({ finished: history.trials.length, pending: history.pending.length, task: history.task?.name, feature: history.task?.metaFeatures?.nRows });
    },
    sample(space, history, rng) {
      assert.ok(prepared, 'sample() after prepare()');
      assert.equal(history.task?.metaFeatures?.nRows, 150);
      return space.sampleRandom(rng, 1)[0];
    },
    toJSON: () => ({ name: 'meta' }),
  };
  const study = createStudy({ space: mlp, direction: 'minimize', sampler: surrogate, seed: 1, task: { name: 'iris', metaFeatures: { nRows: 150 } } });
  await optimize(study, (t) => bowl(mlp, t.config), { nTrials: 4, concurrency: 2 });
  assert.deepEqual(rounds[0], { finished: 0, pending: 0, task: 'iris', feature: 150 });
  assert.ok(rounds.length >= 2);
  assert.deepEqual(study.trials.map((t) => t.origin), Array(4).fill('sampler:meta'));
});

test('an onTrial error stops the loop only after the trials in flight are told', async () => {
  const study = createStudy({ space: mlp, direction: 'minimize', seed: 9 });
  await assert.rejects(
    optimize(study, async (trial) => {
      await sleep(trial.number === 0 ? 1 : 15);
      return 1;
    }, { nTrials: 10, concurrency: 3, onTrial: (t) => { if (t.number === 0) throw new Error('callback failed'); } }),
    /callback failed/,
  );
  assert.deepEqual(study.trials.map((t) => t.state), ['complete', 'complete', 'complete']);
});

test('workers sharing a study (two study objects, one storage) end with exactly maxTrials distinct trials, none run twice', async () => {
  const storage = new InMemoryStudyStorage();
  const open = () => createStudy({ name: 'shared', space: mlp, direction: 'minimize', storage, seed: 3, sampler: new TPESampler({ nStartupTrials: 4 }), loadIfExists: true });
  const workers = [open(), open(), open()];
  for (const w of workers) w.enqueue(mlp.defaultConfiguration(), { origin: 'default' });
  const ran: number[] = [];
  const results = await Promise.all(workers.map((w) => optimize(w, async (trial) => {
    ran.push(trial.number);
    await sleep(1 + (trial.number % 3));
    return bowl(mlp, trial.config);
  }, { maxTrials: 10, concurrency: 2 })));
  const trials = workers[0].trials;
  assert.deepEqual(trials.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(new Set(trials.map((t) => t.configHash)).size, 10);
  assert.deepEqual([...ran].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'each trial ran once');
  assert.equal(trials.filter((t) => t.origin === 'default').length, 1);
  assert.equal(results.reduce((n, r) => n + r.trials.length, 0), 10);
});
