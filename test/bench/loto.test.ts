import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/backend/tf.ts';
import { runBenchmark, type BenchResult } from '../../src/bench/loto.ts';
import { BENCH_METHODS, DETERMINISTIC_METHODS, pickOrder } from '../../src/bench/methods.ts';
import { regretPlotSvg } from '../../src/bench/plot.ts';
import { benchJson, benchMarkdown } from '../../src/bench/report.ts';
import { benchTask } from '../../src/bench/task-data.ts';
import { prepareTensorBackend } from '../../src/metamodel/backend.ts';
import { KnnMetaModel } from '../../src/metamodel/knn.ts';
import { LearnedMetaModel } from '../../src/metamodel/learned.ts';
import { PortfolioMetaModel } from '../../src/metamodel/portfolio.ts';
import { averageRanks } from '../../src/evaluation/roc-auc.ts';
import { regretCurve } from '../../src/metamodel/regret.ts';
import { loadTrainingSet, withoutTasks } from '../../src/metamodel/training-set.ts';
import type { TrainingSet } from '../../src/metamodel/types.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { writeSyntheticStore } from '../metamodel/synthetic.ts';

let dir = '';
let training: TrainingSet;
let result: BenchResult;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-bench-'));
  writeSyntheticStore(join(dir, 'synthetic.sqlite'), { tasks: 12, configs: 40, seed: 11 });
  const store = SqliteMetaStore.open(join(dir, 'synthetic.sqlite'));
  training = loadTrainingSet(store, 'mlp');
  store.close();
  await prepareTensorBackend();
  result = await runBenchmark(training, { seeds: 2, folds: 3, budgets: [1, 3, 5, 10, 25], learned: { ensemble: 2, hidden: 16, episodic: { steps: 40 } } });
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('regret is 0 once the best configuration is picked, 1 for the worst alone, and never increases', () => {
  assert.deepEqual(regretCurve([0.9, 0.1, 0.5], 0.9, 0.1, [1, 2, 3]), [0, 0, 0]);
  assert.deepEqual(regretCurve([0.1, 0.5, 0.9], 0.9, 0.1, [1, 2, 3, 10]), [1, 0.5, 0, 0]);
  for (const row of result.perTask.flatMap((r) => r.regrets)) {
    for (let b = 1; b < row.length; b++) assert.ok(row[b] <= row[b - 1], `regret rose: ${row}`);
    assert.ok(row.every((v) => v >= 0 && v <= 1));
  }
});

test('average ranks share ties', () => {
  assert.deepEqual([...averageRanks([0.3, 0.1, 0.3, 0])], [3.5, 2, 3.5, 1]);
  const ranks = result.budgets.map((_, b) => result.methods.reduce((s, m) => s + result.summary.averageRank[m][b], 0));
  const expected = (result.methods.length * (result.methods.length + 1)) / 2;
  for (const total of ranks) assert.ok(Math.abs(total - expected) < 1e-9);
});

test('every method picks distinct evaluated candidates, reproducibly under a seed', async () => {
  const heldOut = training.tasks[0];
  const rest = withoutTasks(training, new Set([heldOut.name]));
  const models = { knn: KnnMetaModel.fit(rest), portfolio: PortfolioMetaModel.fit(rest), learned: await LearnedMetaModel.fit(rest, { ensemble: 2, hidden: 8, episodic: { steps: 10 } }) };
  const tensors = tf.memory().numTensors;
  const data = benchTask(training.space, heldOut);
  for (const method of BENCH_METHODS) {
    const order = pickOrder(method, data, models, 7, 15);
    assert.equal(order.length, 15, method);
    assert.equal(new Set(order).size, order.length, `${method} repeats a pick`);
    assert.ok(order.every((i) => i >= 0 && i < data.configs.length), method);
    assert.deepEqual(pickOrder(method, data, models, 7, 15), order, `${method} is not reproducible`);
  }
  assert.equal(tf.memory().numTensors, tensors, 'benchmark methods leak tensors');
  models.learned.dispose();
});

test('on a learnable benchmark, meta-learning beats random search early', () => {
  const at = (m: string, budget: number) => result.summary.meanRegret[m][result.budgets.indexOf(budget)];
  assert.ok(at('knn', 1) < at('random', 1), `knn ${at('knn', 1)} vs random ${at('random', 1)}`);
  assert.ok(at('learned', 3) < at('random', 3), `learned ${at('learned', 3)} vs random ${at('random', 3)}`);
  assert.equal(result.perTask.length, training.tasks.length * BENCH_METHODS.length);
  for (const r of result.perTask) {
    assert.equal(r.regrets.length, 2);
    if (DETERMINISTIC_METHODS.has(r.method)) assert.deepEqual(r.regrets[1], r.regrets[0]);
  }
  assert.ok(result.perTask.some((r) => r.method === 'random' && r.regrets[0].join() !== r.regrets[1].join()), 'random ignores its seed');
});

test('reports: markdown tables, JSON round trip, an SVG line per method', () => {
  const markdown = benchMarkdown(result);
  assert.match(markdown, /\| method \| @1 \| @3 \| @5 \| @10 \| @25 \|/);
  for (const m of result.methods) assert.match(markdown, new RegExp(`\\| ${m.replace('+', '\\+')} \\|`));
  assert.deepEqual(JSON.parse(benchJson(result)).summary, JSON.parse(JSON.stringify(result.summary)));
  const svg = regretPlotSvg(result.budgets, result.methods.map((m) => ({ label: m, values: result.summary.meanRegret[m] })), 'a < b & c');
  assert.match(svg, /^<svg /);
  assert.match(svg, /<\/svg>\n$/);
  assert.equal(svg.match(/<polyline /g)?.length, result.methods.length);
  assert.match(svg, /a &lt; b &amp; c/);
  assert.doesNotMatch(svg, /NaN/);
});

test('the benchmark refuses a store with fewer than two tasks', async () => {
  await assert.rejects(runBenchmark({ space: training.space, tasks: training.tasks.slice(0, 1) }), /at least two usable tasks/);
  await assert.rejects(LearnedMetaModel.fit({ space: training.space, tasks: [] }), /at least one training task/);
});

