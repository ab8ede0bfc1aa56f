import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { expectedBestOfK, scoreExternalTask, spearman, summarizeExternal } from '../../src/bench/external.ts';
import { drawHoldout, groupOf, RELATED_GROUPS } from '../../src/bench/holdout.ts';
import { readFileSync, readdirSync } from 'node:fs';

test('expected best of k random configurations equals the mean over every k-subset', () => {
  fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 7 }), fc.integer({ min: 1, max: 8 }), (regrets, k) => {
    const subsets: number[][] = [];
    const pick = (start: number, chosen: number[]) => {
      if (chosen.length === Math.min(k, regrets.length)) { subsets.push(chosen); return; }
      for (let i = start; i < regrets.length; i++) pick(i + 1, [...chosen, regrets[i]]);
    };
    pick(0, []);
    const brute = subsets.reduce((s, sub) => s + Math.min(...sub), 0) / subsets.length;
    assert.ok(Math.abs(expectedBestOfK(regrets, k) - brute) < 1e-9);
  }));
});

test('spearman: 1 for the same order, -1 reversed, ties averaged', () => {
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.ok(Math.abs(spearman([1, 1, 2, 3], [1, 2, 3, 4]) - 0.9486832980505138) < 1e-12);
  assert.ok(Number.isNaN(spearman([1, 2], [1, 2])));
});

test('an external task: regret over the pool, R² floored at 0, wins and ties against the default', () => {
  const scores = new Map([['d', 0.5], ['a', 0.9], ['b', -3], ['c', 0.7], ['f', NaN]]);
  const r = scoreExternalTask({
    task: 't', taskType: 'regression', rows: 100, scores, defaultHash: 'd', randomHashes: ['b', 'c'],
    lists: new Map([['m1', ['c', 'a', 'b']], ['m2', ['d', 'b', 'c']], ['m3', ['f', 'a', 'c']]]),
  }, [1, 3]);
  // pool: d .5, a .9, b floored to 0, c .7 (the failed f is left out): best .9, worst 0
  assert.equal(r.poolSize, 4);
  assert.ok(Math.abs(r.defaultRegret - 0.4 / 0.9) < 1e-12);
  const [m1, m2, m3] = r.methods;
  assert.deepEqual(m1.regret.map((x) => +x.toFixed(6)), [+(0.2 / 0.9).toFixed(6), 0]);
  assert.equal(m1.vsDefault, 1);
  assert.equal(m2.vsDefault, 0, 'the default itself is a tie');
  assert.equal(m3.vsDefault, -1, 'a failed first pick loses');
  assert.equal(m3.regret[0], 1);
  assert.ok(Math.abs(r.randomRegret[0] - (1 + 0.2 / 0.9) / 2) < 1e-12);
  const s = summarizeExternal([r, r], [1, 3]);
  assert.equal(s.tasks, 2);
  assert.deepEqual(s.methods.map((m) => [m.wins, m.losses, m.ties]), [[2, 0, 0], [0, 0, 2], [0, 2, 0]]);
});

test('the held-out part of the corpus: whole related groups, 18 classification and 8 regression datasets, as drawn', () => {
  const corpus = ['classification', 'regression'].flatMap((type) => readdirSync(new URL(`../../meta-db/corpus/${type}/`, import.meta.url)).map((f) => ({ name: f.replace(/\.arff\.gz$/, ''), taskType: type as 'classification' | 'regression' })));
  assert.equal(corpus.length, 109);
  const shipped = JSON.parse(readFileSync(new URL('../../meta-db/holdout.json', import.meta.url), 'utf8')) as { heldOut: string[]; seed: number };
  const drawn = drawHoldout(corpus, { classification: 18, regression: 8 }, shipped.seed);
  assert.deepEqual(drawn.heldOut, shipped.heldOut);
  const held = new Set(shipped.heldOut);
  assert.equal(corpus.filter((t) => held.has(t.name) && t.taskType === 'classification').length, 18);
  assert.equal(corpus.filter((t) => held.has(t.name) && t.taskType === 'regression').length, 8);
  for (const members of Object.values(RELATED_GROUPS)) {
    const inside = members.filter((m) => held.has(m)).length;
    assert.ok(inside === 0 || inside === members.length, `group ${members.join(', ')} split`);
  }
  for (const t of corpus) assert.ok(RELATED_GROUPS[groupOf(t.name)] === undefined || RELATED_GROUPS[groupOf(t.name)].includes(t.name));
  // every member of every group is a corpus file (a typo would leave a sibling ungrouped)
  const names = new Set(corpus.map((t) => t.name));
  for (const members of Object.values(RELATED_GROUPS)) for (const m of members) assert.ok(names.has(m), m);
});
