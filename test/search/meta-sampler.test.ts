/**
 * The meta sampler: expected improvement, reproducibility under a seed, the proposal is the EI
 * argmax of its candidate pool, and on a synthetic store where good configurations follow from the
 * meta-features it beats random search on a held-out task.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LearnedMetaModel } from '../../src/metamodel/learned.ts';
import { loadTrainingSet, withoutTasks } from '../../src/metamodel/training-set.ts';
import { Random } from '../../src/random.ts';
import { createStudy } from '../../src/search/open-study.ts';
import { RandomSampler } from '../../src/search/samplers/random.ts';
import { MetaSampler, expectedImprovement } from '../../src/search/samplers/meta.ts';
import type { Sampler } from '../../src/search/samplers/sampler.ts';
import { loadSearchSpace } from '../../src/spaces/load.ts';
import type { Configuration } from '../../src/spaces/types.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { syntheticScore, writeSyntheticStore } from '../metamodel/synthetic.ts';

const space = loadSearchSpace('mlp');
const HELD_OUT = 'synthetic-003';
let dir = '';
let model: LearnedMetaModel;
let heldOut: Record<string, number> = {};
let anchors: Configuration[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-meta-sampler-'));
  const path = join(dir, 'store.sqlite');
  writeSyntheticStore(path, { tasks: 20, configs: 150, seed: 3 });
  const store = SqliteMetaStore.open(path);
  try {
    const training = loadTrainingSet(store, 'mlp');
    const task = training.tasks.find((t) => t.name === HELD_OUT);
    assert.ok(task !== undefined);
    heldOut = Object.fromEntries(Object.entries(task.metaFeatures).flatMap(([k, v]) => (v === null ? [] : [[k, v]])));
    anchors = training.tasks.filter((t) => t.name !== HELD_OUT).flatMap((t) => t.evaluations.map((e) => e.config)).filter((c, i, all) => all.findIndex((d) => space.configHash(d) === space.configHash(c)) === i);
    model = await LearnedMetaModel.fit(withoutTasks(training, new Set([HELD_OUT])), { ensemble: 2, hidden: 32, seed: 5, episodic: { steps: 150 } });
  } finally {
    store.close();
  }
});

after(() => {
  model?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const objective = (config: Configuration) => syntheticScore(heldOut, space.toVector(config));

/** Runs `n` sequential trials of a sampler on the held-out synthetic task; returns the configurations and the best score. */
function search(sampler: Sampler, seed: number, n: number): { configs: Configuration[]; best: number } {
  const study = createStudy({ space, direction: 'maximize', seed, sampler, task: { name: HELD_OUT, metaFeatures: heldOut } });
  const configs: Configuration[] = [];
  let best = -Infinity;
  for (let i = 0; i < n; i++) {
    const trial = study.ask();
    const value = objective(trial.config);
    configs.push(trial.config);
    best = Math.max(best, value);
    study.tell(trial, { value });
  }
  return { configs, best };
}

test('expected improvement: closed form at the target, no uncertainty, monotone in the mean', () => {
  assert.ok(Math.abs(expectedImprovement(0.5, 0.2, 0.5) - 0.2 / Math.sqrt(2 * Math.PI)) < 1e-6);
  assert.equal(expectedImprovement(0.7, 0, 0.5), 0.7 - 0.5);
  assert.equal(expectedImprovement(0.3, 0, 0.5), 0);
  assert.ok(expectedImprovement(0.6, 0.1, 0.5) > expectedImprovement(0.4, 0.1, 0.5));
  assert.ok(expectedImprovement(0.4, 0.3, 0.5) > expectedImprovement(0.4, 0.1, 0.5));
});

test('meta sampler: the same seed proposes the same configurations; another seed others', { timeout: 60_000 }, () => {
  const a = search(new MetaSampler({ source: model, nCandidates: 64 }), 11, 4);
  const b = search(new MetaSampler({ source: model, nCandidates: 64 }), 11, 4);
  const c = search(new MetaSampler({ source: model, nCandidates: 64 }), 12, 4);
  assert.deepEqual(a.configs, b.configs);
  assert.notDeepEqual(a.configs, c.configs);
});

test('meta sampler: the proposal is the EI argmax of its candidate pool, away from pending trials', { timeout: 60_000 }, () => {
  const sampler = new MetaSampler({ source: model, nCandidates: 64 });
  const study = createStudy({ space, direction: 'maximize', seed: 1, sampler, task: { name: HELD_OUT, metaFeatures: heldOut } });
  for (const config of space.sampleSpaceFilling(3, 9)) {
    const trial = study.ask();
    study.tell(trial, { value: objective(trial.config) });
    void config;
  }
  const pending = study.ask();
  const history = study.history(study.trials);
  const pool = sampler.candidatePool(space, history, new Random(42));
  assert.ok(!pool.some((c) => space.configHash(c) === pending.configHash), 'the pool leaves out pending trials');
  const scores = sampler.scoreCandidates(space, history, pool);
  assert.ok(scores.every((s) => Number.isFinite(s) && s >= 0));
  assert.ok(Math.max(...scores) > 0, 'some candidate is expected to improve');
  const proposed = sampler.sample(space, history, new Random(42));
  const argmax = scores.indexOf(Math.max(...scores));
  assert.deepEqual(proposed, pool[argmax]);
});

test('meta sampler: on a held-out task where transfer is learnable it beats random search', { timeout: 120_000 }, (t) => {
  const seeds = [0, 1, 2, 3, 4];
  const meta = seeds.map((s) => search(new MetaSampler({ source: model, anchors, nCandidates: 128 }), s, 6).best);
  const random = seeds.map((s) => search(new RandomSampler(), s, 6).best);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  t.diagnostic(`best of 6 trials, mean of 5 seeds: meta ${mean(meta).toFixed(3)}, random ${mean(random).toFixed(3)}`);
  assert.ok(mean(meta) > mean(random) + 0.05, `meta ${mean(meta).toFixed(3)} vs random ${mean(random).toFixed(3)}`);
});

test('meta sampler: refuses a study without task meta-features', () => {
  const study = createStudy({ space, direction: 'maximize', seed: 1, sampler: new MetaSampler({ source: model }) });
  assert.throws(() => study.ask(), /meta-features/);
});

test('meta sampler: a trust region of M leaves EI to the M candidates of best zero-shot score', { timeout: 60_000 }, () => {
  const surrogate = model.surrogate(heldOut);
  const pool = space.sampleSpaceFilling(40, 4);
  const unadapted = surrogate.predict(pool, []).map((p) => p.mean);
  assert.deepEqual(surrogate.zeroShot(pool, 0), unadapted, 'before any evaluation, zero-shot = the prediction');
  const sampler = new MetaSampler({ source: model, nCandidates: 64, trustRegion: 7 });
  const study = createStudy({ space, direction: 'maximize', seed: 1, sampler, task: { name: HELD_OUT, metaFeatures: heldOut } });
  for (let i = 0; i < 4; i++) {
    const trial = study.ask();
    study.tell(trial, { value: objective(trial.config) });
  }
  const history = study.history(study.trials);
  const scores = sampler.scoreCandidates(space, history, pool);
  const zeroShot = surrogate.zeroShot(pool, 4);
  const top = zeroShot.map((_, i) => i).sort((a, b) => zeroShot[b] - zeroShot[a]).slice(0, 7).sort((a, b) => a - b);
  assert.deepEqual(scores.flatMap((s, i) => (s >= 0 ? [i] : [])), top);
  assert.ok(scores.every((s) => s >= 0 || s === -1));
  const open = new MetaSampler({ source: model, nCandidates: 64, trustRegion: 0 }).scoreCandidates(space, history, pool);
  top.forEach((i) => assert.equal(scores[i], open[i], 'inside the region, the same EI as without one'));
  assert.throws(() => new MetaSampler({ source: model, trustRegion: -1 }), /trustRegion/);
});
