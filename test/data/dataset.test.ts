import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArff } from '../../src/data/arff/reader.ts';
import { inferTask, toDataset } from '../../src/data/dataset.ts';
import type { DataTable } from '../../src/data/table.ts';
import { DatasetError } from '../../src/errors.ts';

const ARFF = [
  '@relation r',
  '@attribute a numeric',
  '@attribute c {x,y,z}',
  '@attribute y numeric',
  '@attribute k {p,q}',
  '@data',
  '1,x,1.5,p',
  '2,y,?,q',
  '3,z,2,?',
  '4,x,7,q',
].join('\n');

test('the target defaults to the last column; rows with a missing target are dropped and counted', () => {
  const ds = toDataset(parseArff(ARFF, 'd.arff'));
  assert.equal(ds.target.name, 'k');
  assert.equal(ds.task, 'classification');
  assert.equal(ds.nRows, 3);
  assert.equal(ds.droppedRows, 1);
  assert.deepEqual(ds.features.map((f) => f.name), ['a', 'c', 'y']);
  assert.equal(ds.features[0].kind === 'numeric' && [...ds.features[0].values].join(), '1,2,4');
});

test('target by name, by index and by negative index', () => {
  const table = parseArff(ARFF, 'd.arff');
  assert.equal(toDataset(table, { target: 'y' }).task, 'regression');
  assert.equal(toDataset(table, { target: 2 }).target.name, 'y');
  assert.equal(toDataset(table, { target: '1' }).target.name, 'c');
  assert.equal(toDataset(table, { target: -3 }).target.name, 'c');
});

test('forcing classification on a numeric target makes ascending levels', () => {
  const ds = toDataset(parseArff(ARFF, 'd.arff'), { target: 'a', task: 'classification' });
  assert.equal(ds.target.kind, 'categorical');
  assert.deepEqual(ds.target.kind === 'categorical' && ds.target.levels, ['1', '2', '3', '4']);
});

test('forcing regression on a categorical target needs numeric levels', () => {
  assert.throws(() => toDataset(parseArff(ARFF, 'd.arff'), { task: 'regression' }), /d\.arff, column 'k': regression needs a numeric target/);
  const numericLevels = '@relation r\n@attribute a numeric\n@attribute y {1,2.5}\n@data\n1,1\n2,2.5\n';
  const ds = toDataset(parseArff(numericLevels, 'n.arff'), { task: 'regression' });
  assert.deepEqual(ds.target.kind === 'numeric' && [...ds.target.values], [1, 2.5]);
});

test('task inference: declared numeric is regression, inferred small integer sets are classes', () => {
  const column = { name: 't', kind: 'numeric' as const, values: Float64Array.from([0, 1, 1, 0, 2]) };
  assert.equal(inferTask(column, 'declared'), 'regression');
  assert.equal(inferTask(column, 'inferred'), 'classification');
  const many = { name: 't', kind: 'numeric' as const, values: Float64Array.from({ length: 50 }, (_, i) => i) };
  assert.equal(inferTask(many, 'inferred'), 'regression');
  const fractional = { name: 't', kind: 'numeric' as const, values: Float64Array.from([0.5, 1, 1]) };
  assert.equal(inferTask(fractional, 'inferred'), 'regression');
});

test('bad targets are DatasetErrors naming the file and column', () => {
  const table: DataTable = parseArff(ARFF, 'd.arff');
  const cases: [Parameters<typeof toDataset>[1], RegExp][] = [
    [{ target: 'nope' }, /^d\.arff, column 'nope': unknown target column/],
    [{ target: 9 }, /^d\.arff, column '9': target index out of range/],
  ];
  for (const [options, pattern] of cases) {
    assert.throws(() => toDataset(table, options), (e: unknown) => e instanceof DatasetError && pattern.test(e.message));
  }
  const single = parseArff('@relation r\n@attribute a numeric\n@attribute y {p,q}\n@data\n1,p\n2,p\n3,?\n', 's.arff');
  assert.throws(() => toDataset(single), { name: 'DatasetError', message: "s.arff, column 'y': classification needs at least 2 classes, the target has 1" });
  const allMissing = parseArff('@relation r\n@attribute a numeric\n@attribute y {p,q}\n@data\n1,?\n2,?\n', 'm.arff');
  assert.throws(() => toDataset(allMissing), { name: 'DatasetError', message: "m.arff, column 'y': the target is missing in every row" });
});
