import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stratifiedHoldout, stratifiedKFold } from '../../src/data/split.ts';
import type { CategoricalColumn, NumericColumn } from '../../src/data/table.ts';
import { InputError } from '../../src/errors.ts';

/** 60 of class a, 30 of b, 9 of c, 1 of d, shuffled deterministically. */
function classes(): CategoricalColumn {
  const counts = [60, 30, 9, 1];
  const codes: number[] = counts.flatMap((n, c) => Array<number>(n).fill(c));
  const order = codes.map((_, i) => (i * 37) % codes.length);
  return { name: 'y', kind: 'categorical', levels: ['a', 'b', 'c', 'd'], codes: Int32Array.from(order, (i) => codes[i]) };
}

function countBy(codes: Int32Array, rows: Int32Array, nLevels: number): number[] {
  const counts = Array<number>(nLevels).fill(0);
  for (const r of rows) counts[codes[r]]++;
  return counts;
}

test('holdout keeps class proportions and is a disjoint cover', () => {
  const y = classes();
  const { train, test: held } = stratifiedHoldout(y, { testFraction: 0.2, seed: 1 });
  assert.equal(held.length, 20);
  assert.equal(train.length, 80);
  assert.deepEqual(countBy(y.codes, held, 4).slice(0, 2), [12, 6]);
  assert.deepEqual([...new Set([...train, ...held])].sort((a, b) => a - b), [...Array(100).keys()]);
});

test('holdout and k-fold are deterministic under a seed and change with it', () => {
  const y = classes();
  assert.deepEqual(stratifiedHoldout(y, { testFraction: 0.3, seed: 7 }), stratifiedHoldout(y, { testFraction: 0.3, seed: 7 }));
  assert.notDeepEqual(stratifiedHoldout(y, { testFraction: 0.3, seed: 7 }).test, stratifiedHoldout(y, { testFraction: 0.3, seed: 8 }).test);
  assert.deepEqual(stratifiedKFold(y, { k: 5, seed: 3 }), stratifiedKFold(y, { k: 5, seed: 3 }));
});

test('k-fold: disjoint test folds covering every row, balanced sizes and classes', () => {
  const y = classes();
  const folds = stratifiedKFold(y, { k: 5, seed: 2 });
  const seen = new Int32Array(100);
  for (const { train, test: fold } of folds) {
    assert.equal(fold.length, 20);
    assert.equal(train.length + fold.length, 100);
    for (const r of fold) seen[r]++;
    assert.deepEqual(countBy(y.codes, fold, 4).slice(0, 2), [12, 6]);
    assert.ok(!fold.some((r) => train.includes(r)));
  }
  assert.ok(seen.every((n) => n === 1));
  // class c (9 rows) is in every fold; class d (1 row) in exactly one
  assert.ok(folds.every((f) => countBy(y.codes, f.test, 4)[2] >= 1));
  assert.equal(folds.filter((f) => countBy(y.codes, f.test, 4)[3] === 1).length, 1);
});

test('regression is stratified on quantile bins of the target', () => {
  const values = Float64Array.from({ length: 200 }, (_, i) => ((i * 73) % 200) ** 2);
  const y: NumericColumn = { name: 't', kind: 'numeric', values };
  const { test: held } = stratifiedHoldout(y, { testFraction: 0.25, seed: 4 });
  assert.equal(held.length, 50);
  const sortedValues = [...values].sort((a, b) => a - b);
  for (let bin = 0; bin < 10; bin++) {
    const lo = sortedValues[bin * 20];
    const hi = sortedValues[bin * 20 + 19];
    const inBin = [...held].filter((r) => values[r] >= lo && values[r] <= hi).length;
    assert.equal(inBin, 5, `bin ${bin}`);
  }
});

test('a subset of rows can be split, and bad arguments are InputErrors', () => {
  const y = classes();
  const rows = Int32Array.from({ length: 50 }, (_, i) => i * 2);
  const { train, test: held } = stratifiedHoldout(y, { testFraction: 0.5, seed: 1, rows });
  assert.ok([...train, ...held].every((r) => r % 2 === 0));
  assert.equal(train.length + held.length, 50);
  assert.throws(() => stratifiedKFold(y, { k: 1, seed: 0 }), InputError);
  assert.throws(() => stratifiedHoldout(y, { testFraction: 1, seed: 0 }), InputError);
});
