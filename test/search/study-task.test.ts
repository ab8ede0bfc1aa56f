/**
 * The task a study names (`createStudy({ task })`, `src/search/study-task.ts`): a dataset file path,
 * a `Dataset`, or a name with optional meta-features; over a real SQLite MetaStore an unregistered
 * task is registered (the same content is the same task; other content under a taken name is a
 * TaskNameTakenError), and a task without meta-features is warm-started from the portfolio of the
 * user's past studies, those on tasks named by name alone included.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/index.ts';
import type { Dataset } from '../../src/data/table.ts';
import { StoreError } from '../../src/errors.ts';
import { extractMetaFeatures } from '../../src/metafeatures/index.ts';
import { TaskNameTakenError } from '../../src/search/errors.ts';
import { createStudy } from '../../src/search/open-study.ts';
import { datasetContentHash } from '../../src/search/study-task.ts';
import { fileSha256, registerTask, taskFromDataset } from '../../src/store/index.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import type { Trial } from '../../src/search/trial.ts';
import { writeFamilyTask } from './fixtures/task-family.ts';

let home: string;
let n = 0;
before(() => {
  home = mkdtempSync(join(tmpdir(), 'metatune-study-task-'));
});
after(() => rmSync(home, { recursive: true, force: true }));

const freshStore = () => SqliteMetaStore.open(join(home, `s${n++}.sqlite`));

/** A define-by-run objective whose best learning rate moves with k. */
const objective = (k: number) => (trial: Trial) => {
  const lr = trial.suggestFloat('lr', 1e-4, 1, { log: true });
  const depth = trial.suggestInt('depth', 1, 8);
  return -((Math.log10(lr) + 2 + k / 4) ** 2) - (depth - 4) ** 2 / 20;
};

test('a dataset file path: registered with its meta-features as db add does, once; the same content is the same task', { timeout: 60_000 }, async () => {
  const file = writeFamilyTask(join(home, 'data'), 0);
  const store = freshStore();
  try {
    const study = createStudy({ storage: store, direction: 'maximize', task: file, seed: 1 });
    assert.equal(study.task?.name, 'task0');
    const task = store.getTask('task0');
    assert.equal(task?.contentHash, await fileSha256(file));
    assert.equal(task?.nRows, 60);
    assert.equal(task?.source, file);
    const stored = store.getMetaFeatures('task0');
    assert.deepEqual(study.task?.metaFeatures, stored?.values);
    assert.deepEqual(stored?.values, extractMetaFeatures(await loadDataset(file)).values);
    await study.optimize(objective(0), { nTrials: 2 });
    // again, as a path and as the loaded Dataset: the same task, nothing registered twice
    createStudy({ storage: store, direction: 'maximize', task: file, seed: 2 });
    createStudy({ storage: store, direction: 'maximize', task: await loadDataset(file), seed: 3 });
    assert.equal(store.listTasks().length, 1);
    assert.equal(store.listStudies().filter((s) => s.task === 'task0').length, 3);
  } finally {
    store.close();
  }
});

test('a Dataset whose content was registered under another name (db add --name) is that task', { timeout: 60_000 }, async () => {
  const file = writeFamilyTask(join(home, 'data'), 1);
  const store = freshStore();
  try {
    const dataset = await loadDataset(file);
    registerTask(store, taskFromDataset(dataset, await fileSha256(file), 'my-digits'), extractMetaFeatures(dataset));
    const study = createStudy({ storage: store, direction: 'maximize', task: dataset, seed: 1 });
    assert.equal(study.task?.name, 'my-digits');
    assert.deepEqual(store.listTasks().map((t) => t.name), ['my-digits']);
  } finally {
    store.close();
  }
});

test('other data under a registered name: a TaskNameTakenError naming the file; another name registers it', { timeout: 60_000 }, async () => {
  const store = freshStore();
  try {
    const first = writeFamilyTask(join(home, 'a'), 2);
    const second = writeFamilyTask(join(home, 'b'), 3);
    createStudy({ storage: store, direction: 'maximize', task: first, seed: 1 });
    // the same file name (task2), other content
    const renamed = join(home, 'b', 'task2.csv');
    copyFileSync(second, renamed);
    assert.throws(() => createStudy({ storage: store, direction: 'maximize', task: renamed, seed: 2 }), (error: unknown) => {
      assert.ok(error instanceof TaskNameTakenError && error instanceof StoreError);
      assert.match(error.message, /task 'task2' is already in the store with other data .*name this dataset otherwise/);
      assert.equal(error.location.file, renamed);
      return true;
    });
    const dataset = await loadDataset(renamed);
    const study = createStudy({ storage: store, direction: 'maximize', task: { ...dataset, name: 'task2-b' }, seed: 3 });
    assert.equal(study.task?.name, 'task2-b');
    assert.deepEqual(store.listTasks().map((t) => t.name), ['task2', 'task2-b']);
  } finally {
    store.close();
  }
});

test('a Dataset built in memory: hashed by its columns; in memory storage nothing is registered', { timeout: 60_000 }, async () => {
  const loaded = await loadDataset(writeFamilyTask(join(home, 'data'), 4));
  const memory: Dataset = { ...loaded, source: 'built in memory', name: 'mem' };
  assert.equal(datasetContentHash(memory), datasetContentHash({ ...memory }));
  assert.notEqual(datasetContentHash(memory), datasetContentHash({ ...memory, name: 'other' }));
  assert.match(datasetContentHash(memory), /^[0-9a-f]{64}$/);
  const store = freshStore();
  try {
    createStudy({ storage: store, direction: 'maximize', task: memory, seed: 1 });
    assert.equal(store.getTask('mem')?.contentHash, datasetContentHash(memory));
  } finally {
    store.close();
  }
  const inMemory = createStudy({ direction: 'maximize', task: memory, seed: 1 });
  assert.deepEqual(inMemory.task?.metaFeatures, extractMetaFeatures(memory).values);
});

test('a bare name: registered with placeholders (and the meta-features given); a name keeps its task type', () => {
  const store = freshStore();
  try {
    createStudy({ storage: store, direction: 'maximize', task: { name: 'my-cnn-task' }, seed: 1 });
    assert.deepEqual({ ...store.getTask('my-cnn-task'), createdAt: undefined }, {
      name: 'my-cnn-task', source: 'named:my-cnn-task', contentHash: store.getTask('my-cnn-task')?.contentHash, nRows: 0, nFeatures: 0,
      taskType: 'classification', target: 'unknown', nClasses: null, createdAt: undefined,
    });
    assert.equal(store.getMetaFeatures('my-cnn-task'), undefined);
    createStudy({ storage: store, direction: 'maximize', task: { name: 'my-cnn-task', metaFeatures: { nRows: 500, nFeatures: 64 } }, seed: 2 });
    assert.deepEqual(store.getMetaFeatures('my-cnn-task')?.values, { nRows: 500, nFeatures: 64 });
    assert.equal(store.listTasks().length, 1);
    createStudy({ storage: store, direction: 'minimize', task: { name: 'house-prices', taskType: 'regression' }, seed: 3 });
    assert.equal(store.getTask('house-prices')?.taskType, 'regression');
    assert.throws(() => createStudy({ storage: store, direction: 'minimize', task: { name: 'house-prices', taskType: 'classification' } }), /registered as regression, not classification/);
  } finally {
    store.close();
  }
});

test('studies on named tasks without meta-features teach the store; the next one starts from their portfolio', { timeout: 60_000 }, async () => {
  const store = freshStore();
  try {
    for (const k of [0, 1]) {
      const past = createStudy({ storage: store, studyName: `past-${k}`, task: { name: `job-${k}` }, spaceName: 'my-net', protocol: 'user:my-net', direction: 'maximize', seed: k });
      await past.optimize(objective(k), { nTrials: 6 });
    }
    assert.equal(store.listEvaluations({ space: 'my-net' }).length, 12);
    const best = new Set(['job-0', 'job-1'].map((task) => {
      const evaluations = store.listEvaluations({ space: 'my-net', task });
      return evaluations.reduce((a, b) => ((b.primaryScore ?? -Infinity) > (a.primaryScore ?? -Infinity) ? b : a)).configHash;
    }));
    const next = createStudy({ storage: store, studyName: 'next', task: { name: 'job-2' }, spaceName: 'my-net', protocol: 'user:my-net', direction: 'maximize', seed: 9, warmStart: 2 });
    await next.optimize(objective(2), { nTrials: 3 });
    assert.deepEqual(next.trials.map((t) => t.origin), ['warm-start:portfolio', 'warm-start:portfolio', 'sampler:random']);
    // the portfolio's first two members are the past tasks' best configurations
    assert.deepEqual(new Set(next.trials.slice(0, 2).map((t) => t.configHash)), best);
    // a task with meta-features, but no past task has any: the portfolio too
    const featured = createStudy({ storage: store, studyName: 'featured', task: { name: 'job-3', metaFeatures: { nRows: 10 } }, spaceName: 'my-net', direction: 'maximize', seed: 10, warmStart: 1 });
    assert.deepEqual(store.listQueue('featured').map((w) => w.origin), ['warm-start:portfolio']);
    featured.close();
  } finally {
    store.close();
  }
});
