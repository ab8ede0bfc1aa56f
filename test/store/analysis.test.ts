import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.ts';
import { checkFieldKnown, matchesFilter, parseFilter } from '../../src/store/filter.ts';
import type { MetaFeatureRecord } from '../../src/store/records.ts';
import { nearestTasks, vectorPerTask } from '../../src/store/similarity.ts';
import { rankConfigurations, scoreDistribution } from '../../src/store/summary.ts';
import { makeEvaluation, makeTask } from './records.ts';

const at = '2026-01-01T00:00:00.000Z';
const vector = (task: string, values: Record<string, number | null>, extractorVersion = '1', createdAt = at): MetaFeatureRecord =>
  ({ task, extractorVersion, values, missing: {}, createdAt });

test('filters: clauses joined by && , and; numbers and words; missing features fail', () => {
  const clauses = parseFilter('NumberOfInstances>1000 && taskType=classification, nClasses != 2');
  assert.deepEqual(clauses, [
    { field: 'NumberOfInstances', op: '>', value: 1000 },
    { field: 'taskType', op: '=', value: 'classification' },
    { field: 'nClasses', op: '!=', value: 2 },
  ]);
  const task = { ...makeTask('iris'), createdAt: at };
  assert.equal(matchesFilter({ task, features: { NumberOfInstances: 1500 } }, clauses), true);
  assert.equal(matchesFilter({ task, features: { NumberOfInstances: 150 } }, clauses), false);
  assert.equal(matchesFilter({ task, features: {} }, parseFilter('NumberOfInstances<5')), false);
  assert.equal(matchesFilter({ task, features: { X: null } }, parseFilter('X >= 0 and name = "iris"')), false);
  assert.throws(() => parseFilter('A>1, B'), (e: unknown) => e instanceof UsageError && e.location.column === 6);
  assert.throws(() => parseFilter('A ~ 3'), /expected FEATURE OP VALUE/);
});

test('similar tasks: min-max scaled L1, missing values imputed with the mean, self excluded', () => {
  const stored = [
    vector('a', { f: 0, g: 0 }),
    vector('b', { f: 10, g: 100 }),
    vector('c', { f: 5, g: null }),
  ];
  // f scales by /10, g by /100; c's g takes the mean of a and b (0.5).
  const result = nearestTasks({ f: 4, g: 50 }, stored, { k: 3 });
  assert.deepEqual(result.map((n) => n.task), ['c', 'a', 'b']);
  assert.ok(Math.abs(result[0].distance - 0.1) < 1e-12);
  assert.ok(Math.abs(result[1].distance - 0.9) < 1e-12);
  assert.ok(Math.abs(result[2].distance - 1.1) < 1e-12);
  assert.equal(result[0].compared, 1);
  assert.deepEqual(nearestTasks({ f: 0, g: 0 }, stored, { exclude: 'a', k: 1 }).map((n) => n.task), ['c']);
  const picked = vectorPerTask([vector('a', { f: 1 }, '1'), vector('a', { f: 2 }, '2', '2026-02-01T00:00:00.000Z')], '1');
  assert.deepEqual(picked.map((v) => v.values.f), [1]);
});

test('configuration ranking normalises scores per task; score quantiles', () => {
  const evaluations = [
    makeEvaluation('t1', 0, { primaryScore: 0.9 }), makeEvaluation('t1', 1, { primaryScore: 0.5 }),
    makeEvaluation('t2', 0, { primaryScore: 0.2 }), makeEvaluation('t2', 1, { primaryScore: 0.4 }),
    makeEvaluation('t2', 2, { primaryScore: 0.1 }), makeEvaluation('t1', 2, { status: 'failed', primaryScore: null }),
  ].map((e) => ({ ...e, error: null, createdAt: at }));
  const ranked = rankConfigurations(evaluations);
  assert.deepEqual(ranked.map((r) => [r.configHash, r.meanNormalizedScore, r.tasks, r.failed]), [
    [evaluations[0].configHash, (1 + 1 / 3) / 2, 2, 0],
    [evaluations[1].configHash, (0 + 1) / 2, 2, 0],
    [evaluations[4].configHash, 0, 1, 1],
  ]);
  const dist = scoreDistribution(evaluations);
  assert.equal(dist?.count, 5);
  assert.equal(dist?.min, 0.1);
  assert.equal(dist?.median, 0.4);
  assert.equal(dist?.max, 0.9);
  assert.equal(scoreDistribution([]), null);
});

test('a filter comparing a number with a word, or naming a field no task has, is a UsageError, not an empty list', () => {
  assert.throws(() => parseFilter('nRows>abc'), /'nRows > abc' compares a number with 'abc', which is not a finite number/);
  assert.throws(() => parseFilter('NumberOfInstances >= NaN'), /not a finite number/);
  assert.deepEqual(parseFilter('name=123'), [{ field: 'name', op: '=', value: '123' }]);
  assert.deepEqual(parseFilter('Odd!=none'), [{ field: 'Odd', op: '!=', value: 'none' }]);
  const features = new Set(['NumberOfInstances']);
  assert.doesNotThrow(() => checkFieldKnown('nRows', features, '--sort'));
  assert.throws(() => checkFieldKnown('numberofinstances', features, '--filter'), (e: unknown) =>
    e instanceof UsageError && e.location.column === '--filter' && /did you mean 'NumberOfInstances'\?/.test(e.message));
  assert.throws(() => checkFieldKnown('Bogus', features, '--sort'), /no stored task has a field or meta-feature 'Bogus'/);
});
