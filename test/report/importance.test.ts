/**
 * fANOVA importances on functions whose important parameters are known: a score that depends
 * strongly on x1, weakly on x2 and not at all on x3 is rated x1 > x2 > x3; an additive function's
 * first-order shares match their analytic values; a study's conditional and constant
 * hyperparameters are left out with the reason; the result is deterministic under a seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../src/random.ts';
import { fanovaImportances, studyImportances } from '../../src/report/importance.ts';
import { loadSearchSpace } from '../../src/spaces/load.ts';
import type { TrialRecord } from '../../src/store/records.ts';

function sample(n: number, seed: number, f: (x: number[]) => number): { x: number[][]; y: number[] } {
  const rng = new Random(seed);
  const x = Array.from({ length: n }, () => [rng.next(), rng.next(), rng.next()]);
  return { x, y: x.map(f) };
}

test('a score strong in x1, weak in x2, independent of x3: importances x1 > x2 > x3', () => {
  const { x, y } = sample(200, 1, ([a, b]) => Math.sin(3 * a) * 4 + 0.8 * b * b);
  const result = fanovaImportances(x, y, ['x1', 'x2', 'x3'], { seed: 7 });
  assert.deepEqual(result.map((r) => r.name), ['x1', 'x2', 'x3']);
  const [x1, x2, x3] = result;
  assert.ok(x1.importance > 0.8, `x1 ${x1.importance}`);
  assert.ok(x2.importance > 0.01 && x2.importance < 0.2, `x2 ${x2.importance}`);
  assert.ok(x3.importance < 0.02, `x3 ${x3.importance}`);
  assert.ok(Math.abs(result.reduce((s, r) => s + r.importance, 0) - 1) < 1e-9);
});

test('an additive function: first-order variance shares close to the analytic a²/(a²+b²)', () => {
  // f = 3·x1 + 1·x2 on uniform inputs: Var = (9 + 1)/12, shares .9 and .1, nothing for x3
  const { x, y } = sample(400, 2, ([a, b]) => 3 * a + b);
  const byName = Object.fromEntries(fanovaImportances(x, y, ['x1', 'x2', 'x3'], { seed: 1 }).map((r) => [r.name, r]));
  assert.ok(Math.abs(byName.x1.importance - 0.9) < 0.04, `x1 ${byName.x1.importance}`);
  assert.ok(Math.abs(byName.x2.importance - 0.1) < 0.04, `x2 ${byName.x2.importance}`);
  assert.ok(byName.x1.varianceFraction > 0.8);
});

test('an interaction only (x1 xor x2): little first-order importance for either, none for x3', () => {
  const { x, y } = sample(300, 3, ([a, b]) => ((a > 0.5) !== (b > 0.5) ? 1 : 0));
  const byName = Object.fromEntries(fanovaImportances(x, y, ['x1', 'x2', 'x3'], { seed: 1 }).map((r) => [r.name, r]));
  for (const name of ['x1', 'x2', 'x3']) assert.ok(byName[name].varianceFraction < 0.1, `${name} ${byName[name].varianceFraction}`);
});

test('deterministic under a seed', () => {
  const { x, y } = sample(80, 4, ([a, b, c]) => a + 0.3 * b + 0.1 * c);
  assert.deepEqual(fanovaImportances(x, y, ['a', 'b', 'c'], { seed: 3 }), fanovaImportances(x, y, ['a', 'b', 'c'], { seed: 3 }));
});

test('studyImportances on mlp trials: learning_rate matters, conditional and constant ones are not rated', () => {
  const space = loadSearchSpace('mlp');
  const rng = new Random(5);
  const trials: TrialRecord[] = space.sampleRandom(rng, 120).map((c, number) => {
    const config: Record<string, number | string | boolean> = { ...c, batch_norm: false };
    const lr = space.toVector(config)[space.hyperparameters.findIndex((h) => h.name === 'learning_rate')];
    const value = 0.9 - (lr - 0.6) ** 2 - (config.activation === 'tanh' ? 0.05 : 0);
    return { study: 's', number, state: 'complete', configHash: String(number), config, origin: 'sampler:random', value, error: null, intermediate: [], startedAt: '', finishedAt: '' };
  });
  const pruned: TrialRecord = { ...trials[0], number: 999, state: 'pruned', value: 0 };
  const result = studyImportances(space, [...trials, pruned], { seed: 2 });
  assert.equal(result.trials, 120);
  assert.equal(result.note, null);
  assert.equal(result.importances[0].name, 'learning_rate');
  assert.equal(result.importances[1].name, 'activation');
  const notRated = Object.fromEntries(result.notRated.map((r) => [r.name, r.reason]));
  assert.match(notRated.momentum, /conditional/);
  assert.match(notRated.batch_norm, /one value/);
  assert.ok(!result.importances.some((r) => r.name === 'momentum' || r.name === 'batch_norm'));
});

test('studyImportances with too few trials says why', () => {
  const space = loadSearchSpace('mlp');
  const one: TrialRecord = { study: 's', number: 0, state: 'complete', configHash: 'h', config: space.defaultConfiguration(), origin: 'default', value: 0.5, error: null, intermediate: [], startedAt: '', finishedAt: null };
  const result = studyImportances(space, [one]);
  assert.deepEqual(result.importances, []);
  assert.match(result.note ?? '', /fewer than 2/);
});
