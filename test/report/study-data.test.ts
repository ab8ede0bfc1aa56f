/**
 * The data behind each plot, on hand-made records: optimisation history (best so far over
 * complete trials only, in either direction; origin families), parallel coordinates (varying
 * hyperparameters only, log axes, inactive = null, best drawn last), intermediate values with
 * successive-halving rungs, learning curves from the longest stored evaluation, the task projection
 * (one latent direction recovered, neighbours as nearestTasks), the space matrix, the bench curves,
 * and the SVG module (one data-plot element per chart, text escaped).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readBenchResult } from '../../src/bench/read-result.ts';
import { benchCurves, benchReportHtml } from '../../src/report/bench-report.ts';
import { projectTasks } from '../../src/report/projection.ts';
import { configurationMatrix } from '../../src/report/space-data.ts';
import { intermediateValues, learningCurves, optimisationHistory, originKind, parallelCoordinatesData, rungSteps } from '../../src/report/study-data.ts';
import { barChart, escapeXml, lineChart, parallelCoordinates, scatterMap } from '../../src/report/svg.ts';
import { loadSearchSpace } from '../../src/spaces/load.ts';
import type { EvaluationRecord, MetaFeatureRecord, TrialRecord } from '../../src/store/records.ts';
import type { EvaluationScore } from '../../src/store/types.ts';

function trial(number: number, state: TrialRecord['state'], value: number | null, origin = 'sampler:tpe', extra: Partial<TrialRecord> = {}): TrialRecord {
  return { study: 's', number, state, configHash: `h${number}`, config: {}, origin, value, error: null, intermediate: [], startedAt: '2026-01-01T00:00:00Z', finishedAt: null, ...extra };
}

test('originKind groups origins into the four families', () => {
  assert.equal(originKind('warm-start:learned'), 'warm-start');
  assert.equal(originKind('sampler:tpe:startup'), 'sampler');
  assert.equal(originKind('default'), 'default');
  assert.equal(originKind('enqueued'), 'enqueued');
  assert.equal(originKind('design:sobol'), 'other');
});

test('optimisation history: best so far counts complete trials only, in the study direction', () => {
  const trials = [trial(2, 'pruned', 0.99), trial(0, 'complete', 0.5, 'warm-start:knn'), trial(1, 'complete', 0.7), trial(3, 'failed', null), trial(4, 'complete', 0.6)];
  const max = optimisationHistory(trials, 'maximize');
  assert.deepEqual(max.map((p) => p.number), [0, 1, 2, 3, 4]);
  assert.deepEqual(max.map((p) => p.bestSoFar), [0.5, 0.7, 0.7, 0.7, 0.7]);
  assert.deepEqual(max.map((p) => p.kind), ['warm-start', 'sampler', 'sampler', 'sampler', 'sampler']);
  assert.equal(max[3].value, null);
  const min = optimisationHistory(trials, 'minimize');
  assert.deepEqual(min.map((p) => p.bestSoFar), [0.5, 0.5, 0.5, 0.5, 0.5]);
});

test('parallel coordinates: varying hyperparameters on unit axes, inactive is null, best last, score scaled', () => {
  const space = loadSearchSpace('mlp');
  const base = space.defaultConfiguration();
  const a = { ...base, learning_rate: 1e-5, optimizer: 'sgd-momentum', momentum: 0.9 };
  const b = { ...base, learning_rate: 1, optimizer: 'adam' };
  const c = { ...base, learning_rate: 1e-3, optimizer: 'adam' };
  const trials = [trial(0, 'complete', 0.2, 'default', { config: a }), trial(1, 'complete', 0.9, 'sampler:tpe', { config: b }), trial(2, 'complete', 0.5, 'sampler:tpe', { config: c }), trial(3, 'pruned', 0.95, 'sampler:tpe', { config: c })];
  const data = parallelCoordinatesData(space, trials, 'maximize');
  assert.deepEqual(data.axes.map((x) => x.name), ['optimizer', 'learning_rate', 'momentum', 'score']);
  assert.deepEqual(data.lines.map((l) => l.number), [0, 2, 1]);
  assert.equal(data.lines[2].best, true);
  const byNumber = Object.fromEntries(data.lines.map((l) => [l.number, l.coordinates]));
  assert.equal(byNumber[0][1], 0);
  assert.equal(byNumber[1][1], 1);
  assert.ok(Math.abs((byNumber[2][1] as number) - 0.4) < 1e-9, 'log axis: 1e-3 between 1e-5 and 1 sits at 0.4');
  assert.equal(byNumber[1][2], null, 'momentum inactive without sgd-momentum');
  assert.deepEqual([byNumber[0][3], byNumber[1][3]], [0, 1]);
  assert.deepEqual(data.scoreRange, [0.2, 0.9]);
  assert.deepEqual(data.axes[0].ticks.map((t) => t.label), ['sgd', 'sgd-momentum', 'adam', 'adamw', 'rmsprop']);
});

test('intermediate values and rungs of a stored successive-halving pruner', () => {
  assert.deepEqual(rungSteps({ name: 'sh', minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 0, bootstrapCount: 0 }, 30), [1, 3, 9, 27]);
  assert.deepEqual(rungSteps({ name: 'sh', minResource: 2, reductionFactor: 2, minEarlyStoppingRate: 1 }, 20), [4, 8, 16]);
  assert.deepEqual(rungSteps({ name: 'none' }, 30), []);
  assert.deepEqual(rungSteps(null, 30), []);
  const trials = [trial(0, 'pruned', 0.4, 'warm-start:knn', { intermediate: [null, 0.4] }), trial(1, 'complete', 0.8, 'sampler:tpe', { intermediate: [null, 0.5, null, 0.7, null, null, null, null, null, 0.8] }), trial(2, 'complete', 0.1)];
  const data = intermediateValues(trials, { name: 'sh', minResource: 1, reductionFactor: 3 });
  assert.deepEqual(data.rungs, [1, 3, 9]);
  assert.deepEqual(data.curves.map((c) => c.number), [0, 1]);
  assert.deepEqual(data.curves[1].points, [[1, 0.5], [3, 0.7], [9, 0.8]]);
  assert.equal(data.curves[0].kind, 'warm-start');
});

test('learning curves: the validation loss of each trial\'s highest-fidelity ok evaluation', () => {
  const evaluation = (hash: string, fidelity: number, validLoss: number[], status: 'ok' | 'failed' = 'ok'): EvaluationRecord => ({
    task: 't', space: 'mlp', configHash: hash, config: {}, protocolId: 'p', fidelity, seed: 0, status, error: null, metrics: {}, primaryScore: 0.5,
    curve: { trainLoss: validLoss, validLoss }, epochsRun: validLoss.length, wallTimeMs: 1, backend: 'cpu', metatuneVersion: '0', createdAt: '',
  });
  const curves = learningCurves([trial(0, 'pruned', 0.4), trial(1, 'complete', 0.8), trial(2, 'complete', 0.1)], [
    evaluation('h0', 1, [0.9]), evaluation('h1', 1, [0.8]), evaluation('h1', 3, [0.8, 0.6, 0.5]), evaluation('h1', 9, [0.1], 'failed'),
  ]);
  assert.deepEqual(curves.map((c) => [c.number, c.fidelity, c.validLoss]), [[0, 1, [0.9]], [1, 3, [0.8, 0.6, 0.5]]]);
});

test('projection: tasks spread along one latent direction come out in order on the first axis; neighbours as db similar', () => {
  const vectors: MetaFeatureRecord[] = Array.from({ length: 12 }, (_, i) => ({
    task: `t${String(i).padStart(2, '0')}`, extractorVersion: '1', createdAt: '', missing: {},
    values: { f1: i, f2: 2 * i + 1, f3: -i, constant: 5, rare: i === 0 ? 1 : null },
  }));
  const map = projectTasks(vectors, { task: 't05', k: 2 });
  assert.deepEqual(map.features, ['f1', 'f2', 'f3'], 'constant and rare features left out');
  const xs = map.points.map((p) => p.x);
  const sorted = [...xs].sort((a, b) => a - b);
  assert.ok(xs.every((x, i) => x === sorted[i]) || xs.every((x, i) => x === sorted[sorted.length - 1 - i]), 'monotone along PC1');
  assert.ok(map.explained[0] > 0.999, `PC1 explains ${map.explained[0]}`);
  assert.deepEqual(map.neighbors.map((n) => n.task).sort(), ['t04', 't06']);
  assert.equal(map.task, 't05');
  assert.deepEqual(projectTasks(vectors, { task: 't05', k: 2 }), map, 'deterministic');
  assert.deepEqual(projectTasks([]).points, []);
});

test('configuration matrix: scores normalised per task, configurations by mean normalised score', () => {
  const row = (task: string, hash: string, score: number | null, fidelity = 10): EvaluationScore => ({ task, space: 'mlp', configHash: hash, protocolId: 'p', fidelity, seed: 0, status: score === null ? 'failed' : 'ok', primaryScore: score });
  const m = configurationMatrix([
    row('a', 'x', 0.9), row('a', 'y', 0.5), row('a', 'z', 0.7), row('a', 'x', 0.1, 1),
    row('b', 'x', 0.2), row('b', 'y', 0.4), row('b', 'z', 0.4), row('b', 'w', null),
    row('c', 'x', 0.5), row('c', 'y', 0.5),
    row('a', 'only-once', 0.9),
  ]);
  assert.deepEqual(m.tasks, ['a', 'b'], 'c has one score only');
  assert.deepEqual(m.configurations.map((c) => c.hash), ['z', 'x', 'y'], 'only-once (1 task of 2) is not ranked; ties by hash');
  assert.deepEqual(m.configurations.map((c) => c.meanNormalized), [0.75, 0.5, 0.5]);
  assert.deepEqual(m.cells.map((r) => r.map((v) => (v === null ? null : Math.round(v * 1e9) / 1e9))), [[0.5, 1], [1, 0], [0, 1]]);
});

test('bench curves from the shipped mlp benchmark: the summary\'s regret and rank, and a page with two plots', () => {
  const file = fileURLToPath(new URL('../../meta-db/bench/mlp/bench.json', import.meta.url));
  const result = readBenchResult(file);
  const curves = benchCurves(result);
  assert.deepEqual(curves.budgets, [1, 3, 5, 10, 25, 50]);
  const learned = curves.regret.find((c) => c.method === 'learned');
  assert.ok(learned !== undefined && Math.abs(learned.values[0] - 0.079) < 0.0005, `learned @1 ${learned?.values[0]}`);
  const ranks = curves.rank.map((c) => c.values[0]);
  assert.ok(Math.abs(ranks.reduce((s, r) => s + r, 0) - (result.methods.length * (result.methods.length + 1)) / 2) < 1e-6, 'ranks sum to 1+…+m');
  assert.ok(curves.solved.every((c) => c.values.every((v, i) => i === 0 || v >= c.values[i - 1] - 1e-12)), 'solved share never falls');
  const html = benchReportHtml(result, file);
  assert.equal((html.match(/<svg [^>]*data-plot=/g) ?? []).length, 2);
  assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
});

test('svg: one data-plot element per chart, names escaped', () => {
  const evil = '<script>alert(1)</script>&"';
  const charts = [
    lineChart({ id: 'l', title: evil, x: { label: evil }, y: { label: 'y', log: true }, series: [{ label: evil, color: '#000', points: [[1, 0.1], [2, 0.01]], tooltips: [evil, evil] }], rules: [{ x: 1.5, label: evil }] }),
    barChart({ id: 'b', title: evil, xLabel: evil, bars: [{ label: evil, value: 0.5, spread: 0.1 }] }),
    parallelCoordinates({ id: 'p', title: evil, axes: [{ label: evil, ticks: [{ at: 0, label: evil }] }, { label: 'b', ticks: [] }], lines: [{ values: [0, null], color: '#000', tooltip: evil }] }),
    scatterMap({ id: 's', title: evil, xLabel: 'x', yLabel: 'y', points: [{ x: 0, y: 0, label: evil, color: '#000', showLabel: true }] }),
  ];
  for (const svg of charts) {
    assert.equal((svg.match(/<svg /g) ?? []).length, 1);
    assert.match(svg, /^<svg [^>]*data-plot="[lbps]"/);
    assert.doesNotMatch(svg, /<script/);
    assert.ok(svg.includes(escapeXml(evil)));
  }
});
