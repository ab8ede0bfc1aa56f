/**
 * The own-model flow end to end, as a user of the package runs it: a model of the user's own (a
 * k-nearest-neighbours classifier written here, on real corpus datasets encoded by metatune) is
 * tuned by define-by-run studies that name their task, space and protocol; their trials become
 * evaluations; `metatune meta-train --space NAME` and `metatune recommend --space NAME` (real
 * child processes of the compiled CLI) learn from them; the next study of the space on a new
 * dataset is warm-started by the learned model, knn or — without meta-features — the portfolio;
 * and a study resumed from its storage URL goes on teaching without warm-starting twice.
 *
 * Storage URLs here are `sqlite:////abs/path` (four slashes): absolute under both the current
 * parser and SQLAlchemy's convention, which the URL parsing is moving to.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createStudy, extractMetaFeatures, fileSha256, fitEncoder, loadDataset, loadStudy, parseSearchSpace, registerTask,
  SqliteMetaStore, stratifiedHoldout, taskFromDataset, TPESampler, balancedAccuracy, warmStartStudy, type Trial,
} from '../../src/index.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = join(REPO, 'meta-db/corpus/classification');
const PAST = ['heart.c', 'heart.h', 'heart.statlog', 'column2C'];
const NEW = 'column3C';
const SPACE = 'user-knn';
const PROTOCOL = 'user:knn';

let home: string;
let db: string;
let url: string;
before(() => {
  home = mkdtempSync(join(tmpdir(), 'metatune-own-model-'));
  db = join(home, 'metatune.sqlite');
  url = `sqlite:///${db}`;
});
after(() => rmSync(home, { recursive: true, force: true }));

/** The user's model: k-NN on a 2/3 : 1/3 split, balanced accuracy on the third. */
async function knnObjective(name: string, crashOn = -1): Promise<(trial: Trial) => number> {
  const dataset = await loadDataset(join(CORPUS, `${name}.arff.gz`));
  const split = stratifiedHoldout(dataset.target, { testFraction: 1 / 3, seed: 0 });
  const encoder = fitEncoder(dataset, split.train);
  const train = encoder.transform(dataset, split.train);
  const test = encoder.transform(dataset, split.test);
  const yTrain = encoder.encodeTarget(dataset, split.train);
  const yTest = Int32Array.from(encoder.encodeTarget(dataset, split.test));
  const d = train.nCols;
  return (trial) => {
    const k = trial.suggestInt('k', 1, 25, { log: true });
    const weights = trial.suggestCategorical('weights', ['uniform', 'distance'] as const);
    const p = weights === 'distance' ? trial.suggestFloat('power', 0.5, 3) : 0;
    const metric = trial.suggestCategorical('metric', ['l1', 'l2'] as const);
    if (trial.number === crashOn) throw new Error('the user\'s model crashed');
    const predicted = new Int32Array(test.nRows);
    for (let r = 0; r < test.nRows; r++) {
      const dist = Array.from({ length: train.nRows }, (_, i) => {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const diff = Math.abs(test.X[r * d + j] - train.X[i * d + j]);
          s += metric === 'l1' ? diff : diff * diff;
        }
        return [s, i] as const;
      }).sort((a, b) => a[0] - b[0]).slice(0, k);
      const votes = new Map<number, number>();
      for (const [s, i] of dist) votes.set(yTrain[i], (votes.get(yTrain[i]) ?? 0) + (weights === 'uniform' ? 1 : 1 / (s + 1e-9) ** p));
      predicted[r] = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
    }
    return balancedAccuracy(yTest, predicted);
  };
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(REPO, 'bin/metatune.js'), ...args], {
    cwd: home, env: { ...process.env, METATUNE_HOME: home, METATUNE_SHIPPED_DB: 'none' }, encoding: 'utf8', timeout: 120_000,
  });
}

test('own model: past studies teach the store; meta-train and recommend --space learn from them; the next study starts from the learned model, knn or the portfolio; a resumed study goes on teaching', { timeout: 300_000 }, async () => {
  const store = SqliteMetaStore.open(db);
  try {
    for (const name of [...PAST, NEW]) {
      const file = join(CORPUS, `${name}.arff.gz`);
      const dataset = await loadDataset(file);
      registerTask(store, taskFromDataset(dataset, await fileSha256(file), name), extractMetaFeatures(dataset));
    }
    // a dataset the user names without meta-features: the portfolio's case
    const bare = join(CORPUS, 'breast.w.arff.gz');
    store.addTask(taskFromDataset(await loadDataset(bare), await fileSha256(bare), 'bare'));
  } finally {
    store.close();
  }

  // 1. one study per past dataset; in the first, trial 0 fails before its first suggest call (no
  // configuration: a failed trial, no evaluation) and trial 1 after them (a failed evaluation)
  const taught = new Set<string>();
  for (const [i, name] of PAST.entries()) {
    const objective = await knnObjective(name, i === 0 ? 1 : -1);
    const study = createStudy({ storage: url, studyName: `knn-${name}`, task: { name }, spaceName: SPACE, protocol: PROTOCOL, direction: 'maximize', sampler: new TPESampler({ nStartupTrials: 4 }), seed: i, warmStart: 3 });
    await study.optimize((trial) => {
      if (trial.number === 0 && i === 0) throw new Error('no GPU memory');
      return objective(trial);
    }, { nTrials: 8 });
    assert.equal(study.trials.length, 8);
    if (i === 0) assert.deepEqual(study.trials.slice(0, 2).map((t) => [t.state, t.error]), [['failed', 'no GPU memory'], ['failed', 'the user\'s model crashed']]);
    // a configuration tried twice by one study is one evaluation
    for (const t of study.trials.filter((x) => Object.keys(x.config).length > 0)) taught.add(`${name} ${t.configHash}`);
    // every study after the first starts from the ones before it (knn: the tasks have meta-features)
    if (i > 0) assert.deepEqual(study.trials.slice(0, 3).map((t) => t.origin), ['warm-start:knn', 'warm-start:knn', 'warm-start:knn']);
    else assert.ok(study.trials.every((t) => t.origin.startsWith('sampler:')), 'the first study of the space has nothing to start from');
    study.close();
  }

  const check = SqliteMetaStore.open(db);
  let pastConfigs: Set<string>;
  try {
    const evaluations = check.listEvaluations({ space: SPACE, protocolId: PROTOCOL });
    assert.equal(evaluations.length, taught.size);
    assert.ok(taught.size >= PAST.length * 6, `${taught.size} evaluations`);
    const failed = evaluations.filter((e) => e.status === 'failed');
    assert.deepEqual(failed.map((e) => [e.task, e.error]), [['heart.c', 'the user\'s model crashed']]);
    const space = parseSearchSpace(check.getSearchSpace(SPACE)!.definition);
    assert.deepEqual(space.hyperparameters.map((hp) => hp.name).sort(), ['k', 'metric', 'power', 'weights']);
    assert.deepEqual(space.conditionOn('power'), { type: 'equals', parent: 'weights', value: 'distance' });
    for (const e of evaluations.filter((x) => x.status === 'ok')) space.validateConfiguration(e.config);
    pastConfigs = new Set(evaluations.map((e) => e.configHash));
  } finally {
    check.close();
  }

  // 2. the CLI learns from the user's studies
  const recommend = cli('recommend', join(CORPUS, `${NEW}.arff.gz`), '--space', SPACE, '--top', '3', '--json');
  assert.equal(recommend.status, 0, recommend.stderr);
  const picks = (JSON.parse(recommend.stdout) as { spaces: { space: string; top: { config: Record<string, unknown> }[] }[] }).spaces[0];
  assert.equal(picks.space, SPACE);
  assert.equal(picks.top.length, 3);
  const train = cli('meta-train', '--space', SPACE, '--model', 'learned', '--no-validate', '--steps', '40', '--ensemble', '1');
  assert.equal(train.status, 0, train.stderr);

  // 3. the next study of the space, on a new dataset: the stored learned model ranks the past configurations
  const next = createStudy({ storage: url, studyName: `knn-${NEW}`, task: { name: NEW }, spaceName: SPACE, protocol: PROTOCOL, direction: 'maximize', sampler: new TPESampler({ nStartupTrials: 4 }), seed: 9, warmStart: 4 });
  await next.optimize(await knnObjective(NEW), { nTrials: 3 });
  const firstPart = next.trials;
  assert.deepEqual(firstPart.map((t) => t.origin), ['warm-start:learned', 'warm-start:learned', 'warm-start:learned']);
  for (const t of firstPart) assert.ok(pastConfigs.has(t.configHash), 'a configuration of a past study');
  next.close();

  // 4. resumed from its URL (another process, later): the queue is not enqueued again, teaching goes on
  const resumed = loadStudy({ studyName: `knn-${NEW}`, storage: url });
  await resumed.optimize(await knnObjective(NEW), { nTrials: 3 });
  assert.deepEqual(resumed.trials.map((t) => t.origin).slice(0, 4), ['warm-start:learned', 'warm-start:learned', 'warm-start:learned', 'warm-start:learned']);
  assert.ok(resumed.trials.slice(4).every((t) => t.origin.startsWith('sampler:tpe')));
  assert.deepEqual(resumed.trials.slice(0, 3), firstPart);
  resumed.close();
  const after = SqliteMetaStore.open(db);
  try {
    assert.equal(after.listEvaluations({ task: NEW, space: SPACE }).length, 6);
  } finally {
    after.close();
  }

  // 5. a dataset without meta-features falls back to the portfolio of the past studies
  const bare = createStudy({ storage: url, studyName: 'knn-bare', task: { name: 'bare' }, spaceName: SPACE, direction: 'maximize', seed: 1 });
  assert.deepEqual(warmStartStudy(bare, { count: 2 }), { model: 'portfolio', enqueued: 2 });
  bare.close();
});
