/**
 * The store's records stay structurally compatible with what the other layers produce: an
 * `Evaluation` of src/evaluation (plus its task and space) is an `EvaluationInput`, a
 * `MetaFeatureVector` of src/metafeatures is a `MetaFeatureInput`. The type checker verifies the
 * adapters below; the tests store such records and read them back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Evaluation } from '../../src/evaluation/types.ts';
import type { MetaFeatureVector } from '../../src/metafeatures/types.ts';
import { exportLines } from '../../src/store/jsonl-export.ts';
import { importLines } from '../../src/store/jsonl-import.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import type { EvaluationInput, MetaFeatureInput } from '../../src/store/types.ts';
import { makeEvaluation, makeSpace, makeTask } from './records.ts';

/** How `db build` turns an evaluation into a store record (checked by tsc). */
export function evaluationRecord(evaluation: Evaluation, task: string, space: string): EvaluationInput {
  return { ...evaluation, task, space };
}

/** A meta-feature vector is stored as it is (checked by tsc). */
export function metaFeatureRecord(vector: MetaFeatureVector): MetaFeatureInput {
  return vector;
}

test('learning curves as { trainLoss, validLoss } are stored, read back and round-trip through export', () => {
  const store = SqliteMetaStore.open(':memory:');
  const copy = SqliteMetaStore.open(':memory:');
  try {
    store.addSearchSpace(makeSpace());
    store.addTask(makeTask('iris'));
    const curve = { trainLoss: [1.2, 0.8, Number.NaN], validLoss: [1.3, 0.9, 0.85] };
    store.addEvaluations([makeEvaluation('iris', 0, { curve })]);
    assert.deepEqual(store.listEvaluations()[0].curve, { trainLoss: [1.2, 0.8, null], validLoss: [1.3, 0.9, 0.85] });
    const lines = [...exportLines(store)];
    importLines(copy, lines, 'export.jsonl');
    assert.deepEqual([...exportLines(copy)], lines);
  } finally {
    store.close();
    copy.close();
  }
});
