import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { conditionedPortfolio, scenarioWeights } from '../../src/metamodel/conditioned.ts';
import { greedyPortfolio } from '../../src/metamodel/portfolio.ts';

const matrix = fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }), { minLength: 2, maxLength: 7 });
const toMaps = (rows: number[][]) => rows.map((r) => new Map(r.map((v, c) => [`c${c}`, v])));
const pool = Array.from({ length: 6 }, (_, c) => `c${c}`);

test('uniform weights give the greedy portfolio of auto-sklearn 2.0', () => {
  fc.assert(fc.property(matrix, (rows) => {
    const maps = toMaps(rows);
    const uniform = new Float64Array(rows.length).fill(1); // equal weights (unnormalised, so the sums are bit-identical)
    assert.deepEqual(conditionedPortfolio(maps, uniform, pool, 4), greedyPortfolio(maps, pool, 4));
  }));
});

test('all the weight on one scenario lists that task\'s best configuration first; the opener is never below the default in weighted expectation', () => {
  fc.assert(fc.property(matrix, fc.nat(), (rows, pick) => {
    const maps = toMaps(rows);
    const t = pick % rows.length;
    const one = new Float64Array(rows.length);
    one[t] = 1;
    const [first] = conditionedPortfolio(maps, one, pool, 3);
    assert.equal(rows[t][Number(first.slice(1))], Math.max(...rows[t]));
    const weights = Float64Array.from(rows, (_, i) => (i + 1) / ((rows.length * (rows.length + 1)) / 2));
    const [opener] = conditionedPortfolio(maps, weights, pool, 1);
    const expected = (c: string) => rows.reduce((s, r, i) => s + weights[i] * r[Number(c.slice(1))], 0);
    // c0 plays the space's default: it is a candidate, so the opener's expectation is at least its
    assert.ok(expected(opener) >= expected('c0') - 1e-12);
  }));
});

test('each pick maximises the weighted expected best of the list so far', () => {
  // two scenarios that want different configurations: the second pick covers the other scenario
  const maps = toMaps([[1, 0.9, 0], [0, 0.1, 1]].map((r) => [...r, 0, 0, 0]));
  assert.deepEqual(conditionedPortfolio(maps, [0.6, 0.4], pool, 2), ['c0', 'c2']);
  // a near-duplicate of the first pick adds nothing: c1 is never second
  assert.notEqual(conditionedPortfolio(maps, [0.6, 0.4], pool, 2)[1], 'c1');
});

test('scenario weights: a kernel on the distance, mixed with a uniform share, summing to 1', () => {
  const neighbors = [{ task: 'a', distance: 1, extractorVersion: '', compared: 1 }, { task: 'b', distance: 2, extractorVersion: '', compared: 1 }, { task: 'c', distance: 5, extractorVersion: '', compared: 1 }];
  const w = scenarioWeights(neighbors, ['c', 'b', 'a'], { tau: 0.1, lambda: 0.3 });
  assert.ok(Math.abs(w.reduce((s, x) => s + x, 0) - 1) < 1e-12);
  assert.ok(w[2] > w[1] && w[1] > w[0], 'nearer tasks weigh more');
  assert.ok(w[0] >= 0.3 / 3 - 1e-12, 'every task keeps its uniform share');
  const flat = scenarioWeights(neighbors, ['a', 'b', 'c'], { tau: 0.1, lambda: 1 });
  assert.deepEqual([...flat].map((x) => x.toFixed(6)), ['0.333333', '0.333333', '0.333333']);
});
