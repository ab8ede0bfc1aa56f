/**
 * The presorted entropy tree: its fast scan of separated columns agrees with the generic scan,
 * and both agree with a naive recursive tree (sort per node, entropy from the counts) on small
 * data with ties.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecisionTree, TreeMemo, presortColumns, type SortedColumns } from '../../src/metafeatures/learners/tree.ts';
import { SortScratch, argsort } from '../../src/metafeatures/sort.ts';
import type { DesignMatrix } from '../../src/metafeatures/design.ts';
import { Random } from '../../src/random.ts';
import { useKernels } from '../../src/metafeatures/simd-kernels.ts';

function randomProblem(n: number, p: number, seed: number, ties: boolean): { x: DesignMatrix; y: Int32Array } {
  const rng = new Random(seed);
  const data = new Float64Array(n * p);
  for (let i = 0; i < data.length; i++) data[i] = ties && i % 3 === 0 ? rng.int(4) : rng.normal();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = data[i * p] + (p > 1 ? data[i * p + 1] : 0) + rng.normal();
    y[i] = s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
  }
  return { x: { data, nRows: n, nCols: p }, y };
}

/** Predictions of a naive tree: every node sorts its rows per feature and scores each cut from scratch. */
function naiveTree(x: DesignMatrix, y: Int32Array, rows: number[], queries: number[], depth: number, maxDepth: number): number[] {
  const counts = [0, 0, 0];
  for (const r of rows) counts[y[r]]++;
  const label = counts.indexOf(Math.max(...counts));
  const entropyCost = (c: number[]) => {
    const n = c.reduce((s, v) => s + v, 0);
    return c.reduce((s, v) => s - (v > 0 ? v * Math.log(v / n) : 0), 0);
  };
  let best: { cost: number; feature: number; threshold: number } | null = null;
  if (counts[label] < rows.length && depth < maxDepth) {
    for (let f = 0; f < x.nCols; f++) {
      const sorted = [...rows].sort((a, b) => x.data[a * x.nCols + f] - x.data[b * x.nCols + f] || a - b);
      const left = [0, 0, 0];
      for (let k = 0; k + 1 < sorted.length; k++) {
        left[y[sorted[k]]]++;
        const v = x.data[sorted[k] * x.nCols + f];
        const next = x.data[sorted[k + 1] * x.nCols + f];
        if (next <= v + 1e-7) continue;
        const cost = entropyCost(left) + entropyCost(counts.map((c, i) => c - left[i]));
        if (best === null || cost < best.cost - 1e-9) best = { cost, feature: f, threshold: (v + next) / 2 };
      }
    }
  }
  if (best === null) return queries.map(() => label);
  const { feature, threshold } = best;
  const goesLeft = (r: number) => x.data[r * x.nCols + feature] <= threshold;
  const out = new Array<number>(queries.length);
  const l = naiveTree(x, y, rows.filter(goesLeft), queries.filter(goesLeft), depth + 1, maxDepth);
  const r = naiveTree(x, y, rows.filter((q) => !goesLeft(q)), queries.filter((q) => !goesLeft(q)), depth + 1, maxDepth);
  let li = 0;
  let ri = 0;
  queries.forEach((q, i) => (out[i] = goesLeft(q) ? l[li++] : r[ri++]));
  return out;
}

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

test('the separated-column scan gives the same trees as the generic scan, with the kernel and in scalar code', () => {
  for (const kernels of [true, false]) {
    useKernels(kernels);
    try {
      sameTreesBothScans();
    } finally {
      useKernels(true);
    }
  }
});

function sameTreesBothScans(): void {
  for (let seed = 0; seed < 12; seed++) {
    const { x, y } = randomProblem(40 + 23 * seed, 2 + (seed % 5), seed, seed % 2 === 1);
    const sorted = presortColumns(x);
    if (seed % 2 === 0) assert.ok(sorted.separated.some((s) => s === 1), 'continuous columns are separated');
    const generic: SortedColumns = { ...sorted, separated: new Uint8Array(x.nCols) };
    const train = range(Math.floor(x.nRows * 0.8));
    for (const maxDepth of [1, 3, Infinity]) {
      const fast = new DecisionTree(3, sorted, { maxDepth });
      const slow = new DecisionTree(3, generic, { maxDepth });
      fast.fit(x, y, train);
      slow.fit(x, y, train);
      assert.deepEqual(fast.predict(x, range(x.nRows)), slow.predict(x, range(x.nRows)), `seed ${seed}, depth ${maxDepth}`);
    }
  }
}

test('a column with values closer than the split threshold is not separated', () => {
  const x: DesignMatrix = { data: Float64Array.from([1, 0, 1 + 5e-8, 2, 3, 4]), nRows: 3, nCols: 2 };
  assert.deepEqual([...presortColumns(x).separated], [0, 1]);
});

test('the presorted tree predicts as a naive tree on small data with ties', () => {
  for (let seed = 0; seed < 8; seed++) {
    const { x, y } = randomProblem(60, 3, 100 + seed, seed % 2 === 0);
    const train = [...range(45)];
    const queries = [...range(60)];
    for (const maxDepth of [1, 2, Infinity]) {
      const tree = new DecisionTree(3, presortColumns(x), { maxDepth });
      tree.fit(x, y, Int32Array.from(train));
      assert.deepEqual([...tree.predict(x, Int32Array.from(queries))], naiveTree(x, y, train, queries, 0, maxDepth), `seed ${seed}, depth ${maxDepth}`);
    }
  }
});

test('a depth-limited tree read off the full tree of the same rows (TreeMemo) predicts as one grown alone', () => {
  for (const seed of [1, 2, 3]) {
    const { x, y } = randomProblem(300, 6, seed, seed === 2);
    const sorted = presortColumns(x);
    const memo = new TreeMemo();
    const all = Int32Array.from({ length: 300 }, (_, i) => i);
    const trainA = all.filter((r) => r % 5 !== seed);
    const trainB = all.filter((r) => r % 7 !== 0);
    for (const train of [trainA, trainB]) new DecisionTree(3, sorted, { maxDepth: Infinity, memo }).fit(x, y, train);
    for (const train of [trainA, trainB]) {
      for (const maxDepth of [1, 2, 4]) {
        const shared = new DecisionTree(3, sorted, { maxDepth, memo });
        shared.fit(x, y, train);
        const alone = new DecisionTree(3, sorted, { maxDepth });
        alone.fit(x, y, train);
        assert.deepEqual([...shared.predict(x, all)], [...alone.predict(x, all)], `seed ${seed}, depth ${maxDepth}`);
      }
    }
    // A full tree refitted on other rows no longer answers for its old rows.
    const local = new TreeMemo();
    const tree = new DecisionTree(3, sorted, { maxDepth: Infinity, memo: local });
    tree.fit(x, y, trainA);
    assert.equal(local.find(trainA), tree);
    tree.fit(x, y, trainB);
    assert.equal(local.find(trainA), null);
    assert.equal(local.find(trainB), tree);
  }
});

test('argsort orders keys that differ in their low 32 bits only: short runs by insertion, long ones by the full radix sort', () => {
  const rng = new Random(6);
  for (const [n, spread] of [[20, 8], [33, 3], [2000, 1000], [2000, 40]]) {
    for (const base of [1, -1, 3.5e10]) {
      // base + m ulps, m < 2^20: the high words are equal or neighbours, the low words decide
      const keys = Float64Array.from({ length: n }, () => base + rng.int(spread) * base * 2 ** -52);
      const expected = [...keys.keys()].sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
      assert.deepEqual([...argsort(keys)], expected, `n=${n}, spread ${spread}, base ${base}`);
    }
  }
});

test('argsort orders ascending, equal keys (−0 and 0 too) by index, across signs, infinities and subnormals', () => {
  const rng = new Random(5);
  const special = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1, -1, 1e300, -1e300];
  for (const n of [0, 1, 2, 33, 2000]) {
    for (const draw of [() => rng.normal(), () => rng.int(4) - 2, () => special[rng.int(special.length)], () => rng.normal() * 10 ** (rng.int(600) - 300)]) {
      const keys = Float64Array.from({ length: n }, draw);
      const expected = [...keys.keys()].sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
      assert.deepEqual([...argsort(keys)], expected, `n=${n}`);
    }
  }
});

test('argsort with one scratch reused across calls and sizes gives the orders of fresh calls', () => {
  const rng = new Random(8);
  const scratch = new SortScratch();
  for (const n of [2000, 2000, 7, 0, 2000, 33]) {
    const keys = Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? rng.int(3) : i % 7 === 0 ? -0 : rng.normal()));
    assert.deepEqual([...argsort(keys, scratch)], [...argsort(keys)], `n=${n}`);
  }
});
