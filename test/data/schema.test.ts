import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArff } from '../../src/data/arff/reader.ts';
import { toDataset } from '../../src/data/dataset.ts';
import { describeDataset } from '../../src/data/schema.ts';

test('the schema counts missing values, distinct values, declared levels and every class', () => {
  const text = '@relation s\n@attribute a numeric\n@attribute c {p,q,r}\n@attribute y {yes,no,never}\n@data\n1,p,yes\n1,?,no\n?,q,yes\n2,p,?\n';
  const schema = describeDataset(toDataset(parseArff(text, 's.arff')));
  assert.equal(schema.rows, 3);
  assert.equal(schema.droppedRows, 1);
  assert.deepEqual(schema.columns.map((c) => [c.name, c.type, c.role, c.missing, c.cardinality, c.levels]), [
    ['a', 'numeric', 'feature', 1, 1, undefined],
    ['c', 'categorical', 'feature', 1, 2, 3],
    ['y', 'categorical', 'target', 0, 2, 3],
  ]);
  assert.deepEqual(schema.classBalance?.map((c) => [c.label, c.count]), [['yes', 2], ['no', 1], ['never', 0]]);
  assert.equal(schema.targetSummary, undefined);
});

test('a regression schema summarises the target', () => {
  const text = '@relation s\n@attribute a numeric\n@attribute y numeric\n@data\n1,2\n2,4\n3,6\n';
  const schema = describeDataset(toDataset(parseArff(text, 'r.arff')));
  assert.equal(schema.task, 'regression');
  assert.deepEqual(schema.targetSummary, { min: 2, max: 6, mean: 4, std: Math.sqrt(8 / 3) });
  assert.equal(schema.classBalance, undefined);
});
