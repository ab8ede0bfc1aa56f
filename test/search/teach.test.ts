/**
 * Every study teaches the store: a custom-space study with a protocol writes its finished trials
 * as evaluations of its task, and `metatune recommend --space NAME` (a real child process of the
 * CLI) then recommends in that space for a new dataset.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../../src/data/index.ts';
import { extractMetaFeatures } from '../../src/metafeatures/index.ts';
import { createStudy, loadStudy } from '../../src/search/open-study.ts';
import { warmStartStudy } from '../../src/search/warm-start.ts';
import { TPESampler } from '../../src/search/samplers/tpe.ts';
import { StudyError } from '../../src/search/errors.ts';
import { parseSearchSpace, type Configuration } from '../../src/spaces/index.ts';
import { fileSha256, registerTask, taskFromDataset } from '../../src/store/index.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { writeFamilyTask } from './fixtures/task-family.ts';
import { discoverSpace } from '../../src/search/discovered-space.ts';
import type { Distribution } from '../../src/search/distributions.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

let home: string;
let db: string;
before(() => {
  home = mkdtempSync(join(tmpdir(), 'metatune-teach-'));
  db = join(home, 'metatune.sqlite');
});
after(() => rmSync(home, { recursive: true, force: true }));

/** A custom space: a user's gradient-boosting call, say. */
const space = parseSearchSpace({
  name: 'my-gbm',
  format_version: 1,
  hyperparameters: [
    { name: 'eta', type: 'uniform_float', lower: 0.001, upper: 1, log: true, default_value: 0.1 },
    { name: 'depth', type: 'uniform_int', lower: 2, upper: 12, default_value: 6 },
    { name: 'booster', type: 'categorical', choices: ['gbtree', 'dart'], default_value: 'gbtree' },
  ],
});

/** A task-dependent objective: the best eta moves with the task. */
function score(k: number, config: { eta: number; depth: number; booster: string }): number {
  return 1 - (Math.log10(config.eta) + 1 + k / 3) ** 2 / 4 - (config.depth - 4 - k) ** 2 / 100 - (config.booster === 'dart' ? 0.05 : 0);
}

test('a custom-space study with a protocol stores its trials as evaluations, and recommend --space NAME uses them', { timeout: 120_000 }, async () => {
  const store = SqliteMetaStore.open(db);
  const files = [0, 1, 2, 3].map((k) => writeFamilyTask(join(home, 'data'), k));
  try {
    for (const file of files.slice(0, 3)) {
      const dataset = await loadDataset(file);
      registerTask(store, taskFromDataset(dataset, await fileSha256(file)), extractMetaFeatures(dataset));
    }
  } finally {
    store.close();
  }

  for (const k of [0, 1, 2]) {
    const study = createStudy({
      storage: `sqlite:///${db}`, studyName: `gbm-task${k}`, task: { name: `task${k}` }, space, protocol: 'user:my-gbm',
      direction: 'maximize', sampler: new TPESampler({ nStartupTrials: 4 }), seed: k,
    });
    await study.optimize((trial) => {
      if (trial.number === 3) throw new Error('out of memory');
      return score(k, {
        eta: trial.suggestFloat('eta', 0.001, 1, { log: true }),
        depth: trial.suggestInt('depth', 2, 12),
        booster: trial.suggestCategorical('booster', ['gbtree', 'dart']),
      });
    }, { nTrials: 10 });
    study.close();
  }

  const check = SqliteMetaStore.open(db);
  try {
    const evaluations = check.listEvaluations({ space: 'my-gbm', protocolId: 'user:my-gbm' });
    assert.equal(evaluations.length, 30);
    assert.equal(evaluations.filter((e) => e.status === 'failed').length, 3);
    assert.ok(evaluations.filter((e) => e.status === 'failed').every((e) => e.error === 'out of memory'));
    const trials = check.listTrials('gbm-task1');
    for (const t of trials.filter((x) => x.state === 'complete')) {
      const e = evaluations.find((x) => x.task === 'task1' && x.configHash === t.configHash);
      assert.equal(e?.primaryScore, t.value, 'a maximised value is the primary score');
    }
    assert.ok(check.getSearchSpace('my-gbm') !== undefined, 'the space is registered');
  } finally {
    check.close();
  }

  // loadStudy goes on teaching: the protocol is stored with the study
  const resumed = loadStudy({ studyName: 'gbm-task0', storage: `sqlite:///${db}` });
  await resumed.optimize((trial) => score(0, trial.config as { eta: number; depth: number; booster: string }), { nTrials: 2 });
  resumed.close();
  const after = SqliteMetaStore.open(db);
  try {
    assert.equal(after.listEvaluations({ task: 'task0', space: 'my-gbm' }).length, 12);
  } finally {
    after.close();
  }

  const cli = spawnSync(process.execPath, [join(REPO, 'bin/metatune.js'), 'recommend', files[3], '--space', 'my-gbm', '--top', '3', '--json'], {
    cwd: home, env: { ...process.env, METATUNE_HOME: home, METATUNE_SHIPPED_DB: 'none' }, encoding: 'utf8', timeout: 60_000,
  });
  assert.equal(cli.status, 0, cli.stderr);
  const result = JSON.parse(cli.stdout) as { spaces: { space: string; top: { config: Record<string, unknown> }[] }[] };
  assert.equal(result.spaces[0].space, 'my-gbm');
  assert.equal(result.spaces[0].top.length, 3);
  for (const pick of result.spaces[0].top) space.validateConfiguration(pick.config);
});

test('teaching needs the meta-knowledge store, a task, and a space name of its own for define-by-run', () => {
  assert.throws(() => createStudy({ direction: 'maximize', space, task: { name: 't' }, protocol: 'user:x' }), /needs the meta-knowledge store/);
  assert.throws(() => createStudy({ storage: `sqlite:///${join(home, 'other.sqlite')}`, direction: 'maximize', space, protocol: 'user:x' }), /name the study's task/);
  assert.throws(() => createStudy({ storage: `sqlite:///${join(home, 'other.sqlite')}`, direction: 'maximize', task: { name: 't' }, protocol: 'user:x' }), /names the space/);
  assert.throws(() => createStudy({ storage: `sqlite:///${join(home, 'other.sqlite')}`, direction: 'maximize', task: { name: 't' }, spaceName: 'mlp', protocol: 'user:x' }), /names the space/);
  assert.throws(() => createStudy({ storage: `sqlite:///${join(home, 'other.sqlite')}`, direction: 'maximize', space, task: { name: 't' }, protocol: 'Bad Name' }), StudyError);
});

test('a define-by-run study teaches the store too: its discovered space (conditions inferred) is stored, and recommend --space NAME uses it', { timeout: 120_000 }, async () => {
  // the tasks of the first test are registered in the same database
  const url = `sqlite:///${db}`;
  for (const k of [0, 1, 2]) {
    const study = createStudy({
      storage: url, studyName: `dbr-task${k}`, task: { name: `task${k}` }, spaceName: 'my-dbr', protocol: 'user:my-dbr',
      direction: 'maximize', sampler: new TPESampler({ nStartupTrials: 4 }), seed: 10 + k,
    });
    await study.optimize((trial) => {
      const booster = trial.suggestCategorical('booster', ['gbtree', 'linear']);
      const eta = trial.suggestFloat('eta', 0.001, k === 2 ? 2 : 1, { log: true });   // the last study widens eta
      const depth = booster === 'gbtree' ? trial.suggestInt('depth', 2, 12) : 4;       // conditional
      return score(k, { eta, depth, booster: booster === 'gbtree' ? 'gbtree' : 'dart' });
    }, { nTrials: 10 });
    study.close();
  }
  const store = SqliteMetaStore.open(db);
  try {
    const stored = store.getSearchSpace('my-dbr');
    assert.ok(stored !== undefined);
    const discovered = parseSearchSpace(stored.definition);
    assert.deepEqual(discovered.hyperparameters.map((hp) => hp.name).sort(), ['booster', 'depth', 'eta']);
    const eta = discovered.hyperparameter('eta');
    assert.ok(eta.type === 'uniform_float' && eta.upper === 2 && eta.log, 'the widened range of the last study');
    assert.deepEqual(discovered.conditionOn('depth'), { type: 'equals', parent: 'booster', value: 'gbtree' });
    const evaluations = store.listEvaluations({ space: 'my-dbr' });
    assert.equal(evaluations.length, 30);
    for (const e of evaluations) discovered.validateConfiguration(e.config);
  } finally {
    store.close();
  }
  const cli = spawnSync(process.execPath, [join(REPO, 'bin/metatune.js'), 'recommend', join(home, 'data', 'task3.csv'), '--space', 'my-dbr', '--top', '2', '--json'], {
    cwd: home, env: { ...process.env, METATUNE_HOME: home, METATUNE_SHIPPED_DB: 'none' }, encoding: 'utf8', timeout: 60_000,
  });
  assert.equal(cli.status, 0, cli.stderr);
  const result = JSON.parse(cli.stdout) as { spaces: { space: string; top: { config: Record<string, unknown> }[] }[] };
  assert.equal(result.spaces[0].space, 'my-dbr');
  assert.equal(result.spaces[0].top.length, 2);
});

test('discoverSpace: ranges widened, choices united, a condition only where a categorical explains presence', () => {
  const d = new Map<string, Distribution>([
    ['kind', { type: 'categorical', choices: ['a', 'b', 'c'] }],
    ['x', { type: 'float', low: 0, high: 1, log: false, step: null }],
    ['y', { type: 'int', low: 1, high: 5, log: false, step: 1 }],
    ['z', { type: 'float', low: 0, high: 1, log: false, step: 0.5 }],
  ]);
  const configs: Configuration[] = [
    { kind: 'a', x: 0.1, y: 2, z: 0 }, { kind: 'b', x: 0.2, y: 3 }, { kind: 'c', x: 0.3 }, { kind: 'a', y: 1, z: 0.5 },
  ];
  const first = discoverSpace('s', undefined, d, configs);
  assert.equal(first.conditionOn('kind'), undefined);
  assert.equal(first.conditionOn('x'), undefined, 'x is missing in a trial whose kind (a) also has x elsewhere: no condition');
  assert.deepEqual(first.conditionOn('y'), { type: 'in', parent: 'kind', values: ['a', 'b'] });
  assert.deepEqual(first.conditionOn('z'), { type: 'equals', parent: 'kind', value: 'a' });
  const wider = discoverSpace('s', first, new Map<string, Distribution>([['kind', { type: 'categorical', choices: ['d'] }], ['y', { type: 'int', low: 0, high: 9, log: false, step: 1 }]]), configs);
  const kind = wider.hyperparameter('kind');
  assert.ok(kind.type === 'categorical');
  assert.deepEqual(kind.choices, ['a', 'b', 'c', 'd']);
  const y = wider.hyperparameter('y');
  assert.ok(y.type === 'uniform_int' && y.lower === 0 && y.upper === 9);
});

test('warmStart: the next study of the space starts from the past ones (knn on meta-features; portfolio for a task without them)', { timeout: 60_000 }, async () => {
  // runs after the first test: tasks 0-2 hold my-gbm evaluations
  const store = SqliteMetaStore.open(db);
  try {
    const file = join(home, 'data', 'task3.csv');
    const dataset = await loadDataset(file);
    registerTask(store, taskFromDataset(dataset, await fileSha256(file)), extractMetaFeatures(dataset));
    const bareFile = writeFamilyTask(join(home, 'data'), 4);
    store.addTask(taskFromDataset(await loadDataset(bareFile), await fileSha256(bareFile), 'bare'));
  } finally {
    store.close();
  }
  const past = new Set<string>();
  const check = SqliteMetaStore.open(db);
  try {
    for (const e of check.listEvaluations({ space: 'my-gbm', status: 'ok' })) past.add(e.configHash);
  } finally {
    check.close();
  }
  const url = `sqlite:///${db}`;
  const study = createStudy({ storage: url, studyName: 'gbm-task3', task: { name: 'task3' }, space, protocol: 'user:my-gbm', direction: 'maximize', seed: 3, warmStart: 3 });
  await study.optimize((trial) => score(3, trial.config as { eta: number; depth: number; booster: string }), { nTrials: 5 });
  const trials = study.trials;
  assert.deepEqual(trials.map((t) => t.origin), ['warm-start:knn', 'warm-start:knn', 'warm-start:knn', 'sampler:random', 'sampler:random']);
  for (const t of trials.slice(0, 3)) assert.ok(past.has(t.configHash), 'a past configuration');
  study.close();

  const bare = createStudy({ storage: url, studyName: 'gbm-bare', task: { name: 'bare' }, space, direction: 'maximize', seed: 4 });
  assert.deepEqual(warmStartStudy(bare, { count: 2 }), { model: 'portfolio', enqueued: 2 });
  assert.deepEqual(bare.storage.listWaiting('gbm-bare').map((w) => w.origin), ['warm-start:portfolio', 'warm-start:portfolio']);
  bare.close();

  const fresh = createStudy({ storage: url, studyName: 'new-space', task: { name: 'task3' }, space: parseSearchSpace({ ...space.toJSON(), name: 'never-used' }), direction: 'maximize', seed: 5 });
  assert.deepEqual(warmStartStudy(fresh), { model: null, enqueued: 0 }, 'no past task in the space yet');
  fresh.close();
  assert.throws(() => warmStartStudy(createStudy({ space, direction: 'maximize', task: { name: 'x' } })), /meta-knowledge store/);
});
