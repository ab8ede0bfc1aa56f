import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArff } from '../../src/data/arff/reader.ts';
import { toDataset } from '../../src/data/dataset.ts';
import { Encoder, fitEncoder } from '../../src/data/encode.ts';
import { DatasetError, InputError } from '../../src/errors.ts';

const ARFF = [
  '@relation enc',
  '@attribute x numeric',
  '@attribute color {red,green,blue,black}',
  '@attribute y {no,yes}',
  '@data',
  '1,red,no',
  '2,red,yes',
  '3,green,no',
  '?,?,yes',
  '100,blue,no', // row 4: not in the training rows below
].join('\n');
const dataset = toDataset(parseArff(ARFF, 'enc.arff'));
const train = Int32Array.from([0, 1, 2, 3]);

function row(X: Float32Array, nCols: number, i: number): number[] {
  return [...X.subarray(i * nCols, (i + 1) * nCols)].map((v) => Math.round(v * 1e3) / 1e3);
}

test('fits on the training rows only: median imputation, standardisation, one-hot of seen levels', () => {
  const encoder = fitEncoder(dataset, train, { missingIndicators: true });
  assert.deepEqual(encoder.featureNames, ['x', 'x:missing', 'color=red', 'color=green', 'color:missing']);
  const { X, nRows, nCols } = encoder.transform(dataset);
  assert.equal(nRows, 5);
  // training x = 1,2,3 and the median 2 imputed: mean 2, std sqrt(0.5)
  const s = Math.sqrt(0.5);
  assert.deepEqual(row(X, nCols, 0), [Math.round((-1 / s) * 1e3) / 1e3, 0, 1, 0, 0]);
  assert.deepEqual(row(X, nCols, 3), [0, 1, 1, 0, 1]); // missing: median x, mode 'red'
  // row 4 is outside the training rows: 'blue' was never seen in training, so no column is set
  assert.deepEqual(row(X, nCols, 4), [Math.round((98 / s) * 1e3) / 1e3, 0, 0, 0, 0]);
});

test('a cardinality cap groups the rare levels into other', () => {
  const encoder = fitEncoder(dataset, Int32Array.from([0, 1, 2, 4]), { maxLevels: 2, standardize: false });
  assert.deepEqual(encoder.featureNames, ['x', 'color=red', 'color=<other>']);
  const { X, nCols } = encoder.transform(dataset, Int32Array.from([2, 4]));
  assert.deepEqual(row(X, nCols, 0), [3, 0, 1]);
  assert.deepEqual(row(X, nCols, 1), [100, 0, 1]);
});

test('the target: class indices for classification, standardised values with an inverse for regression', () => {
  const encoder = fitEncoder(dataset, train);
  assert.deepEqual(encoder.classes, ['no', 'yes']);
  assert.deepEqual([...encoder.encodeTarget(dataset, Int32Array.from([1, 4]))], [1, 0]);
  const regression = toDataset(parseArff(ARFF, 'enc.arff'), { target: 'x' });
  const reg = fitEncoder(regression, Int32Array.from([0, 1, 2]), { standardizeTarget: true });
  const y = reg.encodeTarget(regression, Int32Array.from([0, 1, 2]));
  assert.ok(y instanceof Float32Array);
  assert.ok(Math.abs(y[0] + y[2]) < 1e-6 && Math.abs(y[1]) < 1e-6);
  assert.deepEqual([...reg.inverseTarget(y)].map((v) => Math.round(v * 1e5) / 1e5), [1, 2, 3]);
});

test('toJSON / fromJSON round trip gives the same encoding', () => {
  const encoder = fitEncoder(dataset, train, { missingIndicators: true, maxLevels: 2 });
  const copy = Encoder.fromJSON(JSON.parse(JSON.stringify(encoder.toJSON())));
  assert.deepEqual(copy.featureNames, encoder.featureNames);
  assert.deepEqual(copy.transform(dataset).X, encoder.transform(dataset).X);
  assert.throws(() => Encoder.fromJSON({ type: 'metatune.encoder', version: 1 }), InputError);
  assert.throws(() => Encoder.fromJSON({ ...encoder.toJSON(), version: 2 }), /unsupported version 2/);
});

test('transformRaw encodes arrays and records like transform encodes the dataset', () => {
  const encoder = fitEncoder(dataset, train, { missingIndicators: true });
  const fromDataset = encoder.transform(dataset, Int32Array.from([0, 3]));
  const fromArrays = encoder.transformRaw([['1', 'red'], ['?', 'NA']]);
  const fromRecords = encoder.transformRaw([{ x: 1, color: 'red' }, {}]);
  assert.deepEqual(fromArrays.X, fromDataset.X);
  assert.deepEqual(fromRecords.X, fromDataset.X);
  assert.throws(() => encoder.transformRaw([['abc', 'red']]), (e: unknown) => e instanceof DatasetError && /raw row 1, column 'x'/.test(e.message));
});

test('transform refuses a dataset whose features differ', () => {
  const encoder = fitEncoder(dataset, train);
  const other = toDataset(parseArff('@relation o\n@attribute z numeric\n@attribute y {a,b}\n@data\n1,a\n2,b\n', 'o.arff'));
  assert.throws(() => encoder.transform(other), /o\.arff, column 'x': feature missing/);
});

test('the target is encoded by class label, whatever the level order of the dataset', () => {
  const encoder = fitEncoder(dataset, train);
  const reordered = toDataset(parseArff('@relation r\n@attribute x numeric\n@attribute color {red}\n@attribute y {yes,no}\n@data\n1,red,no\n2,red,yes\n', 'r.arff'));
  assert.deepEqual([...encoder.encodeTarget(reordered)], [0, 1]);
  const unknown = toDataset(parseArff('@relation r\n@attribute x numeric\n@attribute color {red}\n@attribute y {no,maybe}\n@data\n1,red,no\n2,red,maybe\n', 'u.arff'));
  assert.throws(() => encoder.encodeTarget(unknown), /u\.arff, column 'y': class 'maybe' was not known/);
});
