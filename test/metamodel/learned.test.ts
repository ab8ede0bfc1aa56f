import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/backend/tf.ts';
import { prepareTensorBackend } from '../../src/metamodel/backend.ts';
import { heldOutQuality } from '../../src/metamodel/cross-validate.ts';
import { RESIDUAL_MIN_EVALUATIONS } from '../../src/metamodel/head.ts';
import { LearnedMetaModel, OPENER_MARGIN, ZERO_SHOT_SET } from '../../src/metamodel/learned.ts';
import { conditionedPortfolio, scenarioWeights } from '../../src/metamodel/conditioned.ts';
import { TaskIndex } from '../../src/metamodel/task-index.ts';
import { decodeMetaModel, encodeMetaModel, loadStoredMetaModel, saveMetaModel } from '../../src/metamodel/serialize.ts';
import { loadTrainingSet, withoutTasks } from '../../src/metamodel/training-set.ts';
import type { TrainingSet } from '../../src/metamodel/types.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { writeSyntheticStore } from './synthetic.ts';

let dir = '';
let training: TrainingSet;
let model: LearnedMetaModel;
let tensorsBefore = 0;
const heldOut = new Set<string>();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-learned-'));
  const names = writeSyntheticStore(join(dir, 'synthetic.sqlite'), { tasks: 24, configs: 60, seed: 3 });
  names.slice(0, 6).forEach((n) => heldOut.add(n));
  const store = SqliteMetaStore.open(join(dir, 'synthetic.sqlite'));
  training = loadTrainingSet(store, 'mlp');
  store.close();
  await prepareTensorBackend();
  tensorsBefore = tf.memory().numTensors;
  model = await LearnedMetaModel.fit(withoutTasks(training, heldOut), { ensemble: 2, hidden: 32, seed: 5, episodic: { steps: 150 } });
});

after(() => {
  model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('learned model ranks held-out synthetic tasks far better than random', () => {
  const tasks = training.tasks.filter((t) => heldOut.has(t.name));
  const quality = tasks.map((t) => heldOutQuality(model, t));
  const meanRegret = quality.reduce((s, q) => s + q.regretAt1, 0) / quality.length;
  const meanRho = quality.reduce((s, q) => s + q.spearman, 0) / quality.length;
  // A random pick's expected regret is 1 − the mean normalised score of the task.
  const randomRegret = tasks.reduce((s, t) => s + 1 - t.evaluations.reduce((a, e) => a + e.normalized, 0) / t.evaluations.length, 0) / tasks.length;
  assert.ok(meanRegret < 0.5 * randomRegret, `learned regret@1 ${meanRegret} vs random ${randomRegret}`);
  assert.ok(meanRho > 0.5, `mean Spearman ${meanRho}`);
});

test('adaptation on evaluated configurations moves the ranking towards a task that contradicts the meta-features', () => {
  const task = training.tasks.find((t) => heldOut.has(t.name));
  assert.ok(task !== undefined);
  // The task's scores reversed: what the meta-features predict as best is worst there.
  const observed = task.evaluations.filter((_, i) => i % 2 === 0);
  const rest = task.evaluations.filter((_, i) => i % 2 === 1);
  const rho = (evaluated: typeof observed) => {
    const ranked = model.rank({ metaFeatures: task.metaFeatures, evaluated: evaluated.map((e) => ({ config: e.config, score: -e.score })) }, rest.map((e) => e.config));
    const truth = new Map(rest.map((e) => [e.configHash, -e.score]));
    const pairs = ranked.map((r) => [r.score, truth.get(r.configHash) ?? 0]);
    let concordant = 0;
    let total = 0;
    for (let i = 0; i < pairs.length; i++) for (let j = i + 1; j < pairs.length; j++) {
      total++;
      if (Math.sign(pairs[i][0] - pairs[j][0]) === Math.sign(pairs[i][1] - pairs[j][1])) concordant++;
    }
    return concordant / total;
  };
  const zeroShot = rho([]);
  const adapted = rho(observed);
  assert.ok(adapted > zeroShot + 0.05, `concordance zero-shot ${zeroShot}, adapted ${adapted}`);
});

test('learned model: uncertainty from the ensemble, no tensor leaks, identical predictions after save/load', () => {
  const task = training.tasks[0];
  const candidates = task.evaluations.map((e) => e.config);
  const during = tf.memory().numTensors;
  const ranked = model.rank({ metaFeatures: task.metaFeatures, evaluated: [{ config: candidates[0], score: 0.5 }, { config: candidates[1], score: 0.7 }] }, candidates);
  assert.equal(tf.memory().numTensors, during, 'rank leaks tensors');
  assert.ok(ranked.every((r) => typeof r.uncertainty === 'number' && r.uncertainty >= 0));
  assert.ok(ranked.some((r) => (r.uncertainty ?? 0) > 0));
  for (let i = 1; i < ranked.length; i++) assert.ok(ranked[i - 1].score >= ranked[i].score);

  const copy = decodeMetaModel(encodeMetaModel(model.toJSON()));
  assert.deepEqual(copy.rank({ metaFeatures: task.metaFeatures }, candidates), model.rank({ metaFeatures: task.metaFeatures }, candidates));
  copy.dispose();

  const store = SqliteMetaStore.open(join(dir, 'models.sqlite'));
  assert.equal(saveMetaModel(store, model, 'v1', { note: 'test' }), true);
  const stored = loadStoredMetaModel(store, 'learned', 'mlp');
  store.close();
  assert.ok(stored !== undefined);
  assert.deepEqual(stored.rank({ metaFeatures: task.metaFeatures }, candidates), model.rank({ metaFeatures: task.metaFeatures }, candidates));
  stored.dispose();
  assert.equal(tf.memory().numTensors, during, 'save/load leaks tensors');
});

test('the zero-shot configuration prior is blended as (network + weight × training mean score) / (1 + weight)', () => {
  const task = training.tasks.find((t) => heldOut.has(t.name));
  assert.ok(task !== undefined);
  const configs = task.evaluations.map((e) => e.config);
  const plain = model.surrogate(task.metaFeatures, {}, 0).predict(configs);
  const withPrior = model.surrogate(task.metaFeatures, {}, 0.5).predict(configs);
  // A configuration's prior: its normalised scores summed over the training tasks, over their number.
  const trainingTasks = withoutTasks(training, heldOut).tasks;
  const sums = new Map<string, number>();
  for (const t of trainingTasks) for (const e of t.evaluations) sums.set(e.configHash, (sums.get(e.configHash) ?? 0) + e.normalized);
  const prior = new Map([...sums].map(([h, s]) => [h, s / trainingTasks.length]));
  const centre = [...prior.values()].reduce((a, x) => a + x, 0) / prior.size;
  assert.ok(task.evaluations.some((e) => prior.has(e.configHash)), 'the held-out task shares configurations with the training tasks');
  task.evaluations.forEach((e, i) => {
    const expected = (plain[i].mean + 0.5 * (prior.get(e.configHash) ?? centre)) / 1.5;
    assert.ok(Math.abs(withPrior[i].mean - expected) < 1e-9, `config ${i}: ${withPrior[i].mean} vs ${expected}`);
    assert.equal(withPrior[i].std, plain[i].std);
  });
});

test('without the set choice (zeroShot null), the first pick is hedged: the best-prior configuration opens unless the ensemble is confident in its favourite', () => {
  const trainingTasks = withoutTasks(training, heldOut).tasks;
  const sums = new Map<string, number>();
  for (const t of trainingTasks) for (const e of t.evaluations) sums.set(e.configHash, (sums.get(e.configHash) ?? 0) + e.normalized);
  let hedged = 0;
  let kept = 0;
  for (const task of training.tasks.filter((t) => heldOut.has(t.name))) {
    const configs = task.evaluations.map((e) => e.config);
    const hashes = task.evaluations.map((e) => e.configHash);
    const bold = model.rank({ metaFeatures: task.metaFeatures }, configs, 0, null).map((r) => r.configHash);
    const safeOnly = model.rank({ metaFeatures: task.metaFeatures }, configs, Infinity, null).map((r) => r.configHash);
    const hedgedOrder = model.rank({ metaFeatures: task.metaFeatures }, configs, OPENER_MARGIN, null).map((r) => r.configHash);
    // The safe configuration: the best mean normalised score over the training tasks (ties: the smaller hash).
    const safe = [...hashes].sort((a, b) => (sums.get(b) ?? 0) - (sums.get(a) ?? 0) || (a < b ? -1 : 1))[0];
    assert.equal(safeOnly[0], safe);
    const withFirst = (h: string) => [h, ...bold.filter((x) => x !== h)];
    assert.deepEqual(safeOnly, withFirst(safe));
    const predictions = model.surrogate(task.metaFeatures).predict(configs);
    const [f, sIndex] = [hashes.indexOf(bold[0]), hashes.indexOf(safe)];
    const confident = predictions[f].mean - predictions[sIndex].mean > OPENER_MARGIN * Math.sqrt(predictions[f].std ** 2 + predictions[sIndex].std ** 2);
    assert.deepEqual(hedgedOrder, confident ? bold : withFirst(safe), task.name);
    if (bold[0] !== safe) (confident ? kept++ : hedged++);
  }
  assert.ok(hedged + kept > 0, 'some held-out task has a favourite other than the safe configuration');
});

test('the residual GP corrects the prediction only from RESIDUAL_MIN_EVALUATIONS evaluations on', () => {
  const task = training.tasks.find((t) => heldOut.has(t.name));
  assert.ok(task !== undefined);
  const configs = task.evaluations.map((e) => e.config);
  const observed = task.evaluations.slice(0, RESIDUAL_MIN_EVALUATIONS).map((e) => ({ config: e.config, score: e.score }));
  const means = (evaluated: typeof observed, residualGp: boolean) => model.surrogate(task.metaFeatures, { residualGp }).predict(configs, evaluated).map((p) => p.mean);
  const fewer = observed.slice(0, RESIDUAL_MIN_EVALUATIONS - 1);
  assert.deepEqual(means(fewer, true), means(fewer, false));
  const corrected = means(observed, true);
  const plain = means(observed, false);
  assert.ok(corrected.some((m, i) => Math.abs(m - plain[i]) > 1e-6), 'the GP moves some prediction once enough evaluations are in');
});

test('fitting and disposing a learned model frees every tensor', async () => {
  const small = await LearnedMetaModel.fit(withoutTasks(training, heldOut), { ensemble: 1, hidden: 8, episodic: { steps: 5 } });
  small.dispose();
  model.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore);
  model = await LearnedMetaModel.fit(withoutTasks(training, heldOut), { ensemble: 1, hidden: 8, episodic: { steps: 1 } });
});

test('ZERO_SHOT_SET (measured, not the default): the zero-shot list chosen as a set: the hedged opener, then greedy expected best under the network\'s mean and the past tasks\' deviations; unseen candidates after', () => {
  assert.equal(ZERO_SHOT_SET.mode, 'residual');
  const trainingTasks = withoutTasks(training, heldOut);
  const index = TaskIndex.fromTraining(trainingTasks);
  const known = new Set(trainingTasks.tasks.flatMap((t) => t.evaluations.map((e) => e.configHash)));
  let openedUnseen = 0;
  for (const task of training.tasks.filter((t) => heldOut.has(t.name))) {
    // the task's configurations plus unseen samples: the set is chosen among the known ones only
    const unseen = trainingTasks.space.sampleSpaceFilling(8, 99);
    const configs = [...task.evaluations.map((e) => e.config), ...unseen];
    const ranked = model.rank({ metaFeatures: task.metaFeatures }, configs, OPENER_MARGIN, ZERO_SHOT_SET);
    assert.equal(ranked.length, configs.length);
    assert.equal(new Set(ranked.map((r) => r.configHash)).size, configs.length, 'every candidate once');
    assert.deepEqual(model.rank({ metaFeatures: task.metaFeatures }, configs).map((r) => r.configHash), model.rank({ metaFeatures: task.metaFeatures }, configs, OPENER_MARGIN, null).map((r) => r.configHash), 'the default is the hedged ranking (DEFAULT_ZERO_SHOT)');
    const hedged = model.rank({ metaFeatures: task.metaFeatures }, configs, OPENER_MARGIN, null);
    // the hedged opener opens when a past task ran it; an unseen favourite does not (no evidence)
    if (known.has(hedged[0].configHash)) assert.equal(ranked[0].configHash, hedged[0].configHash, 'the hedged opener opens');
    else openedUnseen++;
    const hashes = configs.map((c) => ranked.find((r) => r.config === c)!.configHash);
    const knownKeys = hashes.map((h, i) => [h, i] as const).filter(([h]) => known.has(h)).map(([h, i]) => `${h}#${i}`);
    const weights = scenarioWeights(index.nearest(task.metaFeatures), index.tasks.map((t) => t.name), ZERO_SHOT_SET.scenarios);
    const network = model.surrogate(task.metaFeatures, undefined, 0).predict(configs).map((p) => p.mean);
    const at = (k: string) => Number(k.split('#')[1]);
    const mean = new Map(knownKeys.map((k) => {
      let sum = 0;
      let w = 0;
      index.tasks.forEach((t, j) => {
        const there = t.scores[hashes[at(k)]];
        if (there !== undefined) (sum += weights[j] * there, w += weights[j]);
      });
      return [k, sum / w];
    }));
    const scenarios = index.tasks.map((t) => new Map(knownKeys.map((k) => {
      const there = t.scores[hashes[at(k)]];
      return [k, network[at(k)] + (there === undefined ? 0 : ZERO_SHOT_SET.spread * (there - mean.get(k)!))] as const;
    })));
    const opener = knownKeys.find((k) => hashes[at(k)] === hedged[0].configHash);
    const tieBreak = new Map(knownKeys.map((k) => [k, network[at(k)]]));
    const expected = conditionedPortfolio(scenarios, weights, knownKeys, ZERO_SHOT_SET.size, opener === undefined ? [] : [opener], tieBreak).map((k) => hashes[at(k)]);
    assert.deepEqual(ranked.slice(0, ZERO_SHOT_SET.size).map((r) => r.configHash), expected, task.name);
    // the rest: the surrogate's order without the set choice, minus the chosen ones
    const plain = hedged.map((r) => r.configHash).filter((h) => !expected.includes(h));
    assert.deepEqual(ranked.slice(ZERO_SHOT_SET.size).map((r) => r.configHash), plain, task.name);
  }
});
