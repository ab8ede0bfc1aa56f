import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchMethod } from '../../src/bench/methods.ts';
import type { TaskRegrets } from '../../src/bench/loto.ts';
import { pairedDifferences } from '../../src/bench/paired.ts';
import { readBenchResult } from '../../src/bench/read-result.ts';
import { benchJson, benchMarkdown } from '../../src/bench/report.ts';
import { summarize } from '../../src/bench/summary.ts';
import { InputError } from '../../src/errors.ts';

const budgets = [1, 5];
const row = (task: string, method: BenchMethod, ...regrets: number[][]): TaskRegrets => ({ task, method, regrets });
// Per task, seeds averaged: learned+bo − portfolio = @1: −0.2, 0, +0.1, −0.3; @5: −0.1, 0, 0, −0.1.
const perTask: TaskRegrets[] = [
  row('a', 'learned+bo', [0.1, 0.0]), row('a', 'portfolio', [0.3, 0.1]),
  row('b', 'learned+bo', [0.2, 0.1]), row('b', 'portfolio', [0.2, 0.1]),
  row('c', 'learned+bo', [0.5, 0.2]), row('c', 'portfolio', [0.4, 0.2]),
  row('d', 'learned+bo', [0.3, 0.0]), row('d', 'portfolio', [0.7, 0.2], [0.5, 0.0]),
  row('a', 'random', [0.5, 0.2], [0.7, 0.4]), row('b', 'random', [0.5, 0.2]), row('c', 'random', [0.5, 0.2]), row('d', 'random', [0.5, 0.2]),
];

test('paired differences: mean over tasks of the seed-averaged difference, wins/ties/losses, a bootstrap interval around the mean', () => {
  const [portfolio, random] = pairedDifferences(perTask, 'learned+bo', ['learned+bo', 'portfolio', 'random'], budgets, { resamples: 4000, seed: 3 });
  assert.equal(portfolio.method, 'portfolio');
  assert.equal(portfolio.tasks, 4);
  assert.ok(Math.abs(portfolio.mean[0] - (-0.2 + 0 + 0.1 - 0.3) / 4) < 1e-12);
  assert.ok(Math.abs(portfolio.mean[1] - (-0.1 + 0 + 0 - 0.1) / 4) < 1e-12);
  assert.deepEqual([portfolio.wins, portfolio.ties, portfolio.losses], [[2, 2], [1, 2], [1, 0]]);
  for (let b = 0; b < budgets.length; b++) {
    assert.ok(portfolio.low[b] <= portfolio.mean[b] && portfolio.mean[b] <= portfolio.high[b], `interval at ${b} misses the mean`);
    // a resample of four tasks cannot leave the range of the per-task differences
    assert.ok(portfolio.low[b] >= -0.3 - 1e-12 && portfolio.high[b] <= 0.1 + 1e-12);
  }
  assert.ok(portfolio.low[0] < portfolio.high[0], 'differing tasks give an interval of positive width');
  // random's seeds are averaged per task first: task a is (0.6, 0.3)
  assert.ok(Math.abs(random.mean[0] - ((0.1 - 0.6) + (0.2 - 0.5) + (0.5 - 0.5) + (0.3 - 0.5)) / 4) < 1e-12);
  // the same seed gives the same interval; the reference is never compared with itself
  assert.deepEqual(pairedDifferences(perTask, 'learned+bo', ['portfolio'], budgets, { resamples: 4000, seed: 3 })[0], portfolio);
  assert.equal(pairedDifferences(perTask, 'learned+bo', ['learned+bo'], budgets).length, 0);
});

test('a constant difference has an interval of zero width at that value', () => {
  const shifted = perTask.filter((r) => r.method === 'learned+bo').map((r) => ({ ...r, method: 'knn' as const, regrets: r.regrets.map((s) => s.map((v) => v + 0.05)) }));
  const [knn] = pairedDifferences([...perTask, ...shifted], 'learned+bo', ['knn'], budgets);
  for (let b = 0; b < budgets.length; b++) {
    assert.ok(Math.abs(knn.low[b] + 0.05) < 1e-12 && Math.abs(knn.high[b] + 0.05) < 1e-12);
    assert.equal(knn.wins[b], 4);
  }
});

test('the report marks intervals that exclude 0, and a saved result reads back to the same summary and markdown', () => {
  const methods: BenchMethod[] = ['random', 'portfolio', 'learned+bo'];
  const result = { space: 'mlp', tasks: 4, folds: 2, seeds: 2, budgets, methods, perTask, summary: summarize(perTask, methods, budgets), seconds: 1.5 };
  const markdown = benchMarkdown(result);
  assert.match(markdown, /Paired difference in regret, `learned\+bo` minus each method/);
  assert.match(markdown, /\| random \| \*\*−0\.250 \[/); // every task won by at least 0.2 at @1
  assert.match(markdown, /\| portfolio \| −0\.100 \[−0\.\d{3}, \+0\.\d{3}\] 2\/1\/1 \|/);
  const dir = mkdtempSync(join(tmpdir(), 'metatune-paired-'));
  try {
    const path = join(dir, 'bench.json');
    writeFileSync(path, benchJson(result));
    const read = readBenchResult(path);
    assert.deepEqual(read.summary, result.summary);
    assert.equal(benchMarkdown(read), markdown);
    const broken = JSON.parse(benchJson(result));
    broken.perTask[3].regrets[0] = [0.2];
    writeFileSync(path, JSON.stringify(broken));
    assert.throws(() => readBenchResult(path), (e: unknown) => e instanceof InputError && /bench\.json.*perTask\[3\]\.regrets\[0\]' must be 2 regrets in \[0, 1\]/.test(e.message));
    writeFileSync(path, '{"space": "mlp",');
    assert.throws(() => readBenchResult(path), (e: unknown) => e instanceof InputError && /cannot read a benchmark result/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
