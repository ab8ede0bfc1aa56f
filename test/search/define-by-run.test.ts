/**
 * One study API for both kinds of space: define-by-run (`trial.suggestFloat/Int/Categorical`) and
 * declared spaces, through every sampler and pruner, on real SQLite files in temp dirs.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SearchSpaceError } from '../../src/errors.ts';
import { createStudy, loadStudy } from '../../src/search/open-study.ts';
import { SuccessiveHalvingPruner } from '../../src/search/pruners/successive-halving.ts';
import { MetaSampler, type SurrogateSource } from '../../src/search/samplers/meta.ts';
import { RandomSampler } from '../../src/search/samplers/random.ts';
import type { Sampler } from '../../src/search/samplers/sampler.ts';
import { TPESampler } from '../../src/search/samplers/tpe.ts';
import { StudyError } from '../../src/search/errors.ts';
import type { Trial } from '../../src/search/trial.ts';
import type { FrozenTrial } from '../../src/search/types.ts';
import { parseSearchSpace, type Configuration } from '../../src/spaces/index.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-dbr-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A storage URL of a new SQLite file in the temp dir. */
function freshUrl(): string {
  return `sqlite:///${join(dir, `study-${files++}.sqlite`)}`;
}

/**
 * The objective of both kinds of space: a bowl in x (log-scaled lr, an integer width and, only for
 * the 'mlp' model, a conditional depth). The same code runs on the declared space below, whose
 * trials carry their configuration, and define-by-run, where the suggest calls define the space.
 */
function objective(trial: Trial): number {
  const lr = trial.suggestFloat('lr', 1e-4, 1, { log: true });
  const width = trial.suggestInt('width', 8, 256, { log: true });
  const model = trial.suggestCategorical('model', ['linear', 'mlp'] as const);
  const depth = model === 'mlp' ? trial.suggestInt('depth', 1, 4) : 0;
  const dropout = trial.suggestFloat('dropout', 0, 0.5, { step: 0.1 });
  return (Math.log10(lr) + 2) ** 2 + (Math.log2(width) - 6) ** 2 / 4 + (model === 'mlp' ? (depth - 3) ** 2 : 1.5) + (dropout - 0.2) ** 2;
}

const declared = parseSearchSpace({
  name: 'dbr-declared',
  format_version: 1,
  hyperparameters: [
    { name: 'lr', type: 'uniform_float', lower: 1e-4, upper: 1, log: true, default_value: 0.01 },
    { name: 'width', type: 'uniform_int', lower: 8, upper: 256, log: true, default_value: 64 },
    { name: 'model', type: 'categorical', choices: ['linear', 'mlp'], default_value: 'mlp' },
    { name: 'depth', type: 'uniform_int', lower: 1, upper: 4, default_value: 2 },
    { name: 'dropout', type: 'ordinal', sequence: [0, 0.1, 0.2, 0.3, 0.4, 0.5], default_value: 0 },
  ],
  conditions: [{ child: 'depth', type: 'equals', parent: 'model', value: 'mlp' }],
});

const samplers: Record<string, () => Sampler> = {
  random: () => new RandomSampler(),
  tpe: () => new TPESampler({ nStartupTrials: 5 }),
  'tpe independent': () => new TPESampler({ nStartupTrials: 5, multivariate: false }),
};

const summary = (trials: readonly FrozenTrial[]) => trials.map((t) => ({ number: t.number, state: t.state, config: t.config, value: t.value, origin: t.origin }));

async function run(kind: 'declared' | 'define-by-run', sampler: Sampler, seed: number, nTrials: number, storage?: string) {
  const study = createStudy({ storage, space: kind === 'declared' ? declared : undefined, direction: 'minimize', sampler, seed });
  await study.optimize(objective, { nTrials });
  const trials = study.trials;
  study.close();
  return trials;
}

for (const [name, make] of Object.entries(samplers)) {
  for (const kind of ['declared', 'define-by-run'] as const) {
    test(`${name} on a ${kind} space: legal parameters, conditions respected, reproducible under a seed (SQLite)`, { timeout: 60_000 }, async () => {
      const a = await run(kind, make(), 7, 20, freshUrl());
      const b = await run(kind, make(), 7, 20, freshUrl());
      const c = await run(kind, make(), 8, 20);
      assert.deepEqual(summary(a).map(({ config, value }) => ({ config, value })), summary(b).map(({ config, value }) => ({ config, value })));
      assert.notDeepEqual(a.map((t) => t.config), c.map((t) => t.config));
      for (const t of a) {
        assert.equal(t.state, 'complete');
        const { lr, width, model, depth, dropout } = t.config;
        assert.ok(typeof lr === 'number' && lr >= 1e-4 && lr <= 1, `lr ${lr}`);
        assert.ok(Number.isInteger(width) && (width as number) >= 8 && (width as number) <= 256, `width ${width}`);
        assert.ok(model === 'linear' || model === 'mlp');
        assert.equal(depth !== undefined, model === 'mlp', `depth is there only for mlp: ${JSON.stringify(t.config)}`);
        assert.ok([0, 0.1, 0.2, 0.3, 0.4, 0.5].includes(dropout as number), `dropout ${dropout} on its grid`);
      }
      if (kind === 'define-by-run') assert.ok(a.every((t) => t.origin === `sampler:${make().name}`));
    });
  }
}

test('TPE learns on define-by-run parameters: a lower mean best than random over 5 seeds (40 trials)', { timeout: 120_000 }, async (t) => {
  const seeds = [0, 1, 2, 3, 4];
  const best = async (make: () => Sampler) => {
    const bests = [];
    for (const seed of seeds) bests.push(Math.min(...(await run('define-by-run', make(), seed, 40)).map((x) => x.value as number)));
    return bests.reduce((s, x) => s + x, 0) / bests.length;
  };
  const tpe = await best(() => new TPESampler());
  const random = await best(() => new RandomSampler());
  t.diagnostic(`define-by-run bowl, best of 40 trials, mean of 5 seeds: tpe ${tpe.toFixed(3)}, random ${random.toFixed(3)}`);
  assert.ok(tpe < random, `tpe ${tpe} vs random ${random}`);
});

test('the meta sampler serves declared spaces, and define-by-run through its independent sampler until the space is stored', { timeout: 60_000 }, async () => {
  // a stand-in meta-model whose mean prefers a learning rate near 0.01 (the objective's optimum)
  const source: SurrogateSource = {
    surrogate: () => ({
      predict: (configs: readonly Configuration[]) => configs.map((c) => ({ mean: 1 - Math.abs(Math.log10(Number(c.lr)) + 2) / 4, std: 0.1 })),
    }),
  };
  const task = { name: 'toy', metaFeatures: { nRows: 100 } };
  // in memory: a MetaStore would ask for the task to be registered
  const study = createStudy({ space: declared, direction: 'minimize', sampler: new MetaSampler({ source, nCandidates: 32 }), seed: 3, task });
  await study.optimize(objective, { nTrials: 6 });
  assert.equal(study.trials.length, 6);
  assert.ok(study.trials.every((t) => t.state === 'complete' && t.origin === 'sampler:meta'));
  study.close();
  // define-by-run in memory: no stored space, so every parameter comes from the independent sampler (random)
  const byRun = createStudy({ direction: 'minimize', sampler: new MetaSampler({ source }), seed: 3, task });
  await byRun.optimize(objective, { nTrials: 3 });
  assert.ok(byRun.trials.every((t) => t.state === 'complete' && t.origin === 'sampler:meta:random'), byRun.trials.map((t) => t.origin).join());
  byRun.close();
});

test('successive halving prunes define-by-run and declared trials through report/shouldPrune', { timeout: 60_000 }, async () => {
  for (const space of [undefined, declared]) {
    const study = createStudy({ storage: freshUrl(), space, direction: 'minimize', seed: 5, pruner: new SuccessiveHalvingPruner() });
    await study.optimize(async (trial) => {
      const final = objective(trial);
      for (let epoch = 1; epoch <= 9; epoch++) {
        trial.report(epoch, final + 1 / epoch);
        if (trial.shouldPrune()) throw new (await import('../../src/search/trial.ts')).TrialPruned();
      }
      return final;
    }, { nTrials: 15 });
    const states = study.trials.map((t) => t.state);
    assert.ok(states.includes('pruned') && states.includes('complete'), states.join(' '));
    // a pruned define-by-run trial keeps the parameters it suggested
    for (const t of study.trials) assert.ok(typeof t.config.lr === 'number', JSON.stringify(t.config));
    study.close();
  }
});

test('a study resumed from a storage URL (absolute and relative) in fresh createStudy/loadStudy calls has the same history and goes on', { timeout: 60_000 }, async () => {
  const path = join(dir, 'resume', 'deep', 'study.sqlite');
  const absolute = `sqlite:///${path}`;
  const first = createStudy({ storage: absolute, studyName: 'resume-me', direction: 'minimize', sampler: new TPESampler({ nStartupTrials: 4 }), seed: 11 });
  await first.optimize(objective, { nTrials: 8 });
  const history = summary(first.trials);
  const bestParams = first.bestParams;
  first.close();

  const relativeUrl = `sqlite:///${relative(process.cwd(), path)}`;
  const loaded = loadStudy({ studyName: 'resume-me', storage: relativeUrl });
  assert.deepEqual(summary(loaded.trials), history);
  assert.deepEqual(loaded.bestParams, bestParams);
  assert.equal(loaded.sampler.name, 'tpe', 'the sampler is rebuilt from the stored settings');
  loaded.close();

  const resumed = createStudy({ storage: absolute, studyName: 'resume-me', direction: 'minimize', loadIfExists: true });
  assert.deepEqual(summary(resumed.trials), history);
  assert.equal(resumed.seed, 11, 'the stored seed is kept');
  await resumed.optimize(objective, { nTrials: 4 });
  assert.deepEqual(resumed.trials.map((t) => t.number), [...Array(12).keys()]);
  assert.deepEqual(summary(resumed.trials.slice(0, 8)), history);
  resumed.close();

  // the same file through an open MetaStore, and positional loadStudy
  const store = SqliteMetaStore.open(path);
  try {
    const again = loadStudy('resume-me', store);
    assert.equal(again.trials.length, 12);
    assert.ok(again.bestValue <= Math.min(...history.map((t) => t.value as number)));
  } finally {
    store.close();
  }
  assert.throws(() => createStudy({ storage: 'mysql://x/db', direction: 'minimize' }), /unsupported storage 'mysql'/);
  assert.throws(() => createStudy({ storage: 'sqlite://host/x.sqlite', direction: 'minimize' }), /sqlite:\/\/\/relative\/path or sqlite:\/\/\/\/absolute/);
  assert.throws(() => loadStudy({ studyName: 'nope', storage: absolute }), /unknown study/);
});

test('bestParams, bestValue and bestTrial', async () => {
  const study = createStudy({ direction: 'maximize', seed: 1 });
  assert.equal(study.trials.length, 0);
  assert.equal(study.bestTrial, undefined as FrozenTrial | undefined);
  assert.throws(() => study.bestParams, /no complete trial/);
  await study.optimize((t) => t.suggestInt('k', 0, 100), { nTrials: 10 });
  const values = study.trials.map((t) => t.value as number);
  assert.equal(study.bestValue, Math.max(...values));
  assert.deepEqual(study.bestParams, { k: study.bestValue });
  const best: FrozenTrial | undefined = study.bestTrial;
  assert.equal(best?.value, study.bestValue);
});

test('enqueueTrial with partial parameters: define-by-run samples the rest', { timeout: 30_000 }, async () => {
  const study = createStudy({ storage: freshUrl(), direction: 'minimize', sampler: new TPESampler(), seed: 2 });
  assert.equal(study.enqueueTrial({ lr: 0.01, model: 'mlp' }), true);
  assert.equal(study.enqueueTrial({ lr: 0.01, model: 'mlp' }), false, 'queued already');
  study.enqueueTrial({ lr: 5 }); // outside the distribution the objective asks: the trial fails
  await study.optimize(objective, { nTrials: 3 });
  const [a, b, c] = study.trials;
  assert.equal(a.origin, 'enqueued');
  assert.equal(a.config.lr, 0.01);
  assert.equal(a.config.model, 'mlp');
  assert.ok(typeof a.config.width === 'number' && typeof a.config.depth === 'number' && typeof a.config.dropout === 'number', JSON.stringify(a.config));
  assert.equal(b.state, 'failed');
  assert.match(b.error ?? '', /enqueued value 5 of 'lr' is not a float in \[0.0001, 1\]/);
  assert.equal(c.origin, 'sampler:tpe');
  study.close();
});

test('enqueueTrial with partial parameters: a declared space completes them, activating what they switch on', { timeout: 30_000 }, async () => {
  const study = createStudy({ storage: freshUrl(), space: declared, direction: 'minimize', sampler: new TPESampler(), seed: 2 });
  study.enqueueTrial({ model: 'mlp', depth: 4 });
  study.enqueueTrial({ model: 'linear', lr: 0.5 });
  study.enqueueTrial({ width: 8 });
  assert.throws(() => study.enqueueTrial({ width: 7 }), SearchSpaceError);
  assert.throws(() => study.enqueueTrial({ nope: 1 }), SearchSpaceError);
  await study.optimize(objective, { nTrials: 3 });
  const [a, b, c] = study.trials.map((t) => t.config);
  assert.equal(a.model, 'mlp');
  assert.equal(a.depth, 4);
  assert.deepEqual(Object.keys(a).sort(), ['depth', 'dropout', 'lr', 'model', 'width']);
  assert.equal(b.model, 'linear');
  assert.equal(b.lr, 0.5);
  assert.equal(b.depth, undefined);
  assert.equal(c.width, 8);
  for (const config of [a, b, c]) declared.validateConfiguration(config);
  assert.deepEqual(study.trials.map((t) => t.origin), ['enqueued', 'enqueued', 'enqueued']);
  study.close();
});

test('failed trials: the error is stored and the loop goes on, in both space kinds', { timeout: 30_000 }, async () => {
  for (const space of [undefined, declared]) {
    const study = createStudy({ storage: freshUrl(), space, direction: 'minimize', seed: 4 });
    const result = await study.optimize((trial) => {
      const lr = trial.suggestFloat('lr', 1e-4, 1, { log: true });
      if (trial.number % 3 === 1) throw new RangeError(`diverged at lr ${lr}`);
      if (trial.number === 5) return Number.NaN;
      return lr;
    }, { nTrials: 9 });
    assert.equal(result.trials.length, 9);
    const trials = study.trials;
    assert.deepEqual(trials.map((t) => t.state), ['complete', 'failed', 'complete', 'complete', 'failed', 'failed', 'complete', 'failed', 'complete']);
    assert.match(trials[1].error ?? '', /^diverged at lr /);
    assert.match(trials[5].error ?? '', /not finite/);
    assert.equal(typeof trials[1].config.lr, 'number', 'a failed trial keeps its parameters');
    study.close();
  }
});

test('optimize with concurrency 2 runs exactly nTrials, at most 2 at once (SQLite, both kinds)', { timeout: 30_000 }, async () => {
  for (const space of [undefined, declared]) {
    const study = createStudy({ storage: freshUrl(), space, direction: 'minimize', sampler: new TPESampler({ nStartupTrials: 3 }), seed: 6 });
    let inFlight = 0;
    let most = 0;
    const result = await study.optimize(async (trial) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const value = objective(trial);
      await sleep(2 + (trial.number % 3));
      inFlight--;
      return value;
    }, { nTrials: 7, concurrency: 2 });
    assert.equal(result.trials.length, 7);
    assert.equal(study.trials.length, 7);
    assert.equal(most, 2);
    assert.ok(study.trials.every((t) => t.state === 'complete'));
    await study.optimize(objective, { nTrials: 3, concurrency: 2 });
    assert.equal(study.trials.length, 10, 'a second call adds its nTrials');
    study.close();
  }
});

test('optimize timeout (seconds): no new trial after it; nTrials may be left out', { timeout: 30_000 }, async () => {
  const study = createStudy({ direction: 'minimize', seed: 1 });
  const result = await study.optimize(async (t) => {
    await sleep(30);
    return t.suggestFloat('x', 0, 1);
  }, { timeout: 0.1 });
  assert.ok(result.trials.length >= 1 && result.trials.length < 50, `${result.trials.length} trials`);
  await assert.rejects(study.optimize(() => 0, { timeout: -1 }), StudyError);
});

test('conditional parameters: asked only when their parent has some value; TPE learns each from the trials that have it', { timeout: 30_000 }, async () => {
  const study = createStudy({ storage: freshUrl(), direction: 'maximize', sampler: new TPESampler({ nStartupTrials: 5 }), seed: 9 });
  await study.optimize((trial) => {
    const kind = trial.suggestCategorical('kind', ['svm', 'tree', 'knn'] as const);
    if (kind === 'svm') return -Math.abs(Math.log10(trial.suggestFloat('C', 1e-3, 1e3, { log: true })) - 1);
    if (kind === 'tree') return -Math.abs(trial.suggestInt('maxDepth', 1, 20) - 6) / 4 - 0.5;
    return -1;
  }, { nTrials: 40 });
  for (const t of study.trials) {
    const keys = Object.keys(t.config).sort();
    const expected = { svm: ['C', 'kind'], tree: ['kind', 'maxDepth'], knn: ['kind'] }[t.config.kind as 'svm' | 'tree' | 'knn'];
    assert.deepEqual(keys, expected, JSON.stringify(t.config));
  }
  const later = study.trials.slice(20);
  assert.ok(later.filter((t) => t.config.kind === 'svm').length > later.length / 2, 'TPE favours the best branch');
  assert.equal(study.bestParams.kind, 'svm');
  study.close();
});

test('Optuna semantics of one name: the same distribution returns the same value, another one is an error', async () => {
  const study = createStudy({ direction: 'minimize', seed: 1 });
  const trial = study.ask();
  const x = trial.suggestFloat('x', 0, 1);
  assert.equal(trial.suggestFloat('x', 0, 1), x);
  assert.throws(() => trial.suggestFloat('x', 0, 2), /one name, one distribution/);
  assert.throws(() => trial.suggestInt('x', 0, 1), /one name, one distribution/);
  const c = trial.suggestCategorical('c', [1, 'two', true]);
  assert.equal(trial.suggestCategorical('c', [1, 'two', true]), c);
  assert.deepEqual(trial.params, { x, c });
  assert.deepEqual([...trial.distributions.keys()], ['x', 'c']);
  study.tell(trial, { value: 1 });
  assert.deepEqual(study.trials[0].config, { c, x });
  assert.throws(() => trial.suggestFloat('y', 0, 1), /suggest only while it runs/);
  // a later trial may not change a name's kind
  const next = study.ask();
  if (typeof c === 'string' || typeof c === 'boolean') assert.throws(() => next.suggestFloat('c', 0, 1), /keeps its kind/);
  assert.throws(() => next.suggestFloat('bad', 1, 0), StudyError);
  assert.throws(() => next.suggestFloat('bad', 0, 1, { log: true }), /log scale needs low > 0/);
  assert.throws(() => next.suggestFloat('bad', 1, 2, { log: true, step: 0.5 }), /log and step/);
  assert.throws(() => next.suggestInt('bad', 0.5, 2), /integers/);
  assert.throws(() => next.suggestCategorical('bad', []), /non-empty/);
  assert.throws(() => next.suggestCategorical('bad', ['a', 'a']), /repeat/);
});

test('declared spaces answer suggest calls from the configuration; an inactive or unknown name is an error', () => {
  const study = createStudy({ space: declared, direction: 'minimize', seed: 1 });
  study.enqueueTrial({ model: 'linear' });
  const trial = study.ask();
  assert.equal(trial.suggestCategorical('model', ['linear', 'mlp']), 'linear');
  assert.equal(trial.suggestFloat('lr', 1e-4, 1, { log: true }), trial.config.lr);
  assert.throws(() => trial.suggestInt('depth', 1, 4), /inactive in this configuration/);
  assert.throws(() => trial.suggestFloat('nope', 0, 1), /not a hyperparameter/);
  assert.throws(() => trial.suggestCategorical('width', ['a']), /uniform_int hyperparameter/);
  assert.deepEqual(trial.params, trial.config);
});

test('suggest results are precisely typed (checked by tsc)', () => {
  const study = createStudy({ direction: 'minimize', seed: 1 });
  const trial = study.ask();
  const opt: 'adam' | 'sgd' = trial.suggestCategorical('opt', ['adam', 'sgd'] as const);
  const inferred: 'relu' | 'tanh' = trial.suggestCategorical('act', ['relu', 'tanh']);
  const n: number = trial.suggestInt('n', 1, 3);
  const f: number = trial.suggestFloat('f', 0, 1);
  // @ts-expect-error a categorical result is the union of its choices, not any string
  const wrong: 'adam' = trial.suggestCategorical('opt2', ['adam', 'sgd'] as const);
  const p: number | string | boolean | undefined = trial.params.opt;
  assert.ok([opt, inferred, n, f, wrong, p].every((v) => v !== undefined));
});

test('define-by-run with workers sharing a study (two study objects, one SQLite file): exactly maxTrials trials, each with its parameters', { timeout: 30_000 }, async () => {
  const url = freshUrl();
  const a = createStudy({ storage: url, studyName: 'shared', direction: 'minimize', sampler: new TPESampler({ nStartupTrials: 3 }), seed: 12 });
  const b = loadStudy({ studyName: 'shared', storage: url });
  const slow = async (trial: Trial) => {
    const value = objective(trial);
    await sleep(1 + (trial.number % 4));
    return value;
  };
  const [ra, rb] = await Promise.all([a.optimize(slow, { maxTrials: 12, concurrency: 2 }), b.optimize(slow, { maxTrials: 12, concurrency: 2 })]);
  assert.equal(ra.trials.length + rb.trials.length, 12);
  const trials = a.trials;
  assert.deepEqual(trials.map((t) => t.number), [...Array(12).keys()]);
  assert.ok(trials.every((t) => t.state === 'complete' && typeof t.config.lr === 'number'));
  assert.equal(new Set(trials.map((t) => t.configHash)).size, 12, 'distinct parameters: each trial draws from its own seed');
  a.close();
  b.close();
});
