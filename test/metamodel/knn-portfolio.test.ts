import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KnnMetaModel } from '../../src/metamodel/knn.ts';
import { PortfolioMetaModel, greedyPortfolio, portfolioRegret } from '../../src/metamodel/portfolio.ts';
import { decodeMetaModel, encodeMetaModel } from '../../src/metamodel/serialize.ts';
import { configHash } from '../../src/spaces/canonical.ts';
import { handMadeTraining, mlpConfigs } from './fixtures.ts';

const configs = mlpConfigs(4);
const training = handMadeTraining(configs, {
  near: { features: { size: 1, classes: 2 }, scores: [0.1, 0.9, 0.5, 0.2] },
  middle: { features: { size: 5, classes: 5 }, scores: [0.3, 0.2, 0.1, 0.8] },
  far: { features: { size: 10, classes: 9 }, scores: [0.95, 0.1, 0.2, 0.3] },
});

test('knn: the best configuration of the nearest task first, then of the next nearest', () => {
  const model = KnnMetaModel.fit(training);
  const ranked = model.rank({ metaFeatures: { size: 1.5, classes: 2 } }, configs);
  assert.deepEqual(ranked.slice(0, 3).map((r) => r.configHash), [configs[1], configs[3], configs[0]].map((c) => configHash(c)));
  assert.equal(ranked.length, configs.length);
  assert.deepEqual(ranked[0].why.nearestTasks.map((n) => n.name), ['near', 'middle', 'far']);
  assert.equal(ranked[0].why.nearestTasks[0].scoreThere, 1);
  assert.ok(ranked[0].why.nearestTasks[0].distance < ranked[0].why.nearestTasks[1].distance);
  const far = model.rank({ metaFeatures: { size: 9, classes: 9 } }, configs);
  assert.equal(far[0].configHash, configHash(configs[0]));
});

test('knn and portfolio: encode/decode round trip ranks identically', () => {
  for (const model of [KnnMetaModel.fit(training, { warmStart: 2 }), PortfolioMetaModel.fit(training, { size: 2, orderByNeighbors: true })]) {
    const copy = decodeMetaModel(encodeMetaModel(model.toJSON()));
    assert.equal(copy.type, model.type);
    const query = { metaFeatures: { size: 4, classes: 3 } };
    assert.deepEqual(copy.rank(query, configs), model.rank(query, configs));
  }
});

test('portfolio: greedy equals the brute-force optimum on a hand-checkable example', () => {
  // Three tasks, four configurations: a specialist per task and a generalist.
  const scores = [
    new Map([['A', 1], ['B', 0], ['C', 0], ['G', 0.8]]),
    new Map([['A', 0], ['B', 1], ['C', 0], ['G', 0.8]]),
    new Map([['A', 0], ['B', 0], ['C', 1], ['G', 0.7]]),
  ];
  const pool = ['A', 'B', 'C', 'G'];
  // Size 1: G (mean regret (0.2+0.2+0.3)/3) beats any specialist (2/3).
  assert.deepEqual(greedyPortfolio(scores, pool, 1), ['G']);
  // Size 2: G then C (regrets 0.2, 0.2, 0) — the best pair by brute force.
  const greedy = greedyPortfolio(scores, pool, 2);
  assert.deepEqual(greedy, ['G', 'C']);
  const pairs = pool.flatMap((a, i) => pool.slice(i + 1).map((b) => [a, b]));
  const best = Math.min(...pairs.map((p) => portfolioRegret(scores, p)));
  assert.ok(Math.abs(portfolioRegret(scores, greedy) - best) < 1e-12);
  assert.ok(Math.abs(best - 0.4 / 3) < 1e-12);
  // Size 4 ends at zero regret; members never repeat.
  const full = greedyPortfolio(scores, pool, 10);
  assert.equal(new Set(full).size, 4);
  assert.equal(portfolioRegret(scores, full), 0);
});

test('portfolio model: members first in greedy order, the rest by neighbour score', () => {
  const model = PortfolioMetaModel.fit(training, { size: 2 });
  const ranked = model.rank({ metaFeatures: { size: 1, classes: 2 } }, configs);
  assert.deepEqual(ranked.slice(0, 2).map((r) => r.configHash), [...model.members]);
  assert.equal(new Set(ranked.map((r) => r.configHash)).size, configs.length);
});
