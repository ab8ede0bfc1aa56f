import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset } from '../../src/data/table.ts';
import { planFolds, type FoldPlan } from '../../src/evaluation/folds.ts';
import { DEFAULT_PROTOCOL, withFolds } from '../../src/evaluation/protocol.ts';

/** 3 classes of 70, 20 and 10 rows; one numeric feature. */
function syntheticClassification(): Dataset {
  const codes = Int32Array.from({ length: 100 }, (_, i) => (i < 70 ? 0 : i < 90 ? 1 : 2));
  return {
    source: 'synthetic', name: 'synthetic', nRows: 100, task: 'classification',
    features: [{ name: 'x', kind: 'numeric', values: Float64Array.from(codes, (c, i) => c + i / 1000) }],
    target: { name: 'y', kind: 'categorical', levels: ['a', 'b', 'c'], codes },
  };
}

function assertDisjoint(plan: FoldPlan): void {
  const seen = new Set<number>();
  for (const rows of [plan.fitRows, plan.validRows, plan.testRows]) {
    for (const r of rows) {
      assert.ok(!seen.has(r), `row ${r} is in two parts of fold ${plan.index}`);
      seen.add(r);
    }
  }
}

test('holdout: fitting, early-stopping and scored rows are disjoint and stratified', () => {
  const dataset = syntheticClassification();
  const [plan] = planFolds(dataset, DEFAULT_PROTOCOL);
  assertDisjoint(plan);
  assert.equal(plan.testRows.length, 25);
  assert.equal(plan.fitRows.length + plan.validRows.length, 75);
  assert.equal(plan.validRows.length, 15);
  const testClasses = Array.from(plan.testRows, (r) => dataset.target.kind === 'categorical' ? dataset.target.codes[r] : -1);
  assert.deepEqual([0, 1, 2].map((c) => testClasses.filter((k) => k === c).length), [18, 5, 2]);
});

test('the split is fixed by the protocol: equal protocols give equal rows', () => {
  const dataset = syntheticClassification();
  assert.deepEqual(planFolds(dataset, DEFAULT_PROTOCOL), planFolds(dataset, DEFAULT_PROTOCOL));
  const other = planFolds(dataset, { ...DEFAULT_PROTOCOL, splitSeed: 7 });
  assert.notDeepEqual(other[0].testRows, planFolds(dataset, DEFAULT_PROTOCOL)[0].testRows);
});

test('k-fold: scored parts partition the rows, each fold is disjoint', () => {
  const dataset = syntheticClassification();
  const plans = planFolds(dataset, withFolds(DEFAULT_PROTOCOL, 3));
  assert.equal(plans.length, 3);
  plans.forEach(assertDisjoint);
  const scored = plans.flatMap((p) => Array.from(p.testRows)).sort((a, b) => a - b);
  assert.deepEqual(scored, Array.from({ length: 100 }, (_, i) => i));
});

test('the caps bound the training and scored rows', () => {
  const dataset = syntheticClassification();
  const [plan] = planFolds(dataset, { ...DEFAULT_PROTOCOL, maxTrainRows: 40, maxTestRows: 10 });
  assertDisjoint(plan);
  assert.equal(plan.fitRows.length + plan.validRows.length, 40);
  assert.equal(plan.validRows.length, 8);
  assert.equal(plan.testRows.length, 10);
});
