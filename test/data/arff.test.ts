import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArff } from '../../src/data/arff/reader.ts';
import { DatasetError } from '../../src/errors.ts';
import type { Column } from '../../src/data/table.ts';

function categorical(column: Column): { levels: readonly string[]; codes: Int32Array } {
  assert.equal(column.kind, 'categorical');
  return column;
}

function numeric(column: Column): Float64Array {
  assert.equal(column.kind, 'numeric');
  return column.values;
}

test('keywords in any case, quoted names and values, comments, CRLF and blank lines', () => {
  const text = [
    '% a comment',
    '@RELATION \'my data\'',
    '',
    '@Attribute "first name" {\'a b\', "c,d", e}',
    '@attribute\tx\tREAL',
    '@attribute n integer [1,10]',
    '@ATTRIBUTE class {\'>50K\', \'<=50K\', never}',
    '@data',
    "'a b', 1.5, 3, '>50K' % trailing comment",
    '% a comment line inside data',
    '',
    '"c,d",?,-2,\'<=50K\'',
    "e 2e3 4 '>50K'",
  ].join('\r\n');
  const table = parseArff(text, 'mem.arff');
  assert.equal(table.name, 'my data');
  assert.equal(table.nRows, 3);
  assert.deepEqual(table.columns.map((c) => c.name), ['first name', 'x', 'n', 'class']);
  assert.deepEqual(categorical(table.columns[0]).levels, ['a b', 'c,d', 'e']);
  assert.deepEqual([...categorical(table.columns[0]).codes], [0, 1, 2]);
  assert.deepEqual([...numeric(table.columns[1])], [1.5, NaN, 2000]);
  assert.deepEqual(categorical(table.columns[3]).levels, ['>50K', '<=50K', 'never']);
  assert.equal(table.typeSource, 'declared');
});

test("a quoted '?' is a declared value, an unquoted ? is missing", () => {
  const text = "@relation r\n@attribute a {'?',y}\n@attribute b numeric\n@data\n'?',1\n?,2\ny,3\n";
  const a = categorical(parseArff(text, 'q.arff').columns[0]);
  assert.deepEqual([...a.codes], [0, -1, 1]);
});

test('escapes inside quoted values', () => {
  const text = "@relation r\n@attribute s string\n@attribute b numeric\n@data\n'it\\'s',1\n\"tab\\there\",2\n";
  assert.deepEqual(categorical(parseArff(text, 'e.arff').columns[0]).levels, ["it's", 'tab\there']);
});

test('string attributes become categorical in first-seen order', () => {
  const text = '@relation r\n@attribute s STRING\n@attribute y {a,b}\n@data\nzeta,a\nalpha,b\nzeta,b\n';
  const s = categorical(parseArff(text, 's.arff').columns[0]);
  assert.deepEqual(s.levels, ['zeta', 'alpha']);
  assert.deepEqual([...s.codes], [0, 1, 0]);
});

test('date attributes become epoch milliseconds (default and custom formats)', () => {
  const text = [
    '@relation r',
    '@attribute t date',
    "@attribute d date 'dd/MM/yyyy HH:mm'",
    '@attribute y {a,b}',
    '@data',
    '"2001-04-03T12:12:12", "03/04/2001 12:12", a',
    '?, ?, b',
  ].join('\n');
  const table = parseArff(text, 'd.arff');
  assert.deepEqual([...numeric(table.columns[0])], [Date.UTC(2001, 3, 3, 12, 12, 12), NaN]);
  assert.deepEqual([...numeric(table.columns[1])], [Date.UTC(2001, 3, 3, 12, 12), NaN]);
});

test('sparse rows fill absent entries with 0 or the first declared level', () => {
  const text = '@relation r\n@attribute a numeric\n@attribute b numeric\n@attribute c {x,y}\n@data\n{1 5, 2 y}\n{0 ?}\n{}\n';
  const table = parseArff(text, 'sp.arff');
  assert.equal(table.nRows, 3);
  assert.deepEqual([...numeric(table.columns[0])], [0, NaN, 0]);
  assert.deepEqual([...numeric(table.columns[1])], [5, 0, 0]);
  assert.deepEqual([...categorical(table.columns[2]).codes], [1, 0, 0]);
});

test('a trailing comma and space-separated values are accepted as Weka does', () => {
  const text = '@relation r\n@attribute a numeric\n@attribute b numeric\n@data\n1,2,\n3 4\n';
  const table = parseArff(text, 't.arff');
  assert.deepEqual([...numeric(table.columns[1])], [2, 4]);
});

test('errors name the file, the line and the column', () => {
  const cases: [string, RegExp][] = [
    ['@relation r\n@attribute a {x,y}\n@data\nz\n', /^bad\.arff, line 4, column 1: value 'z' of attribute 'a' is not one of the declared values/],
    ['@relation r\n@attribute a numeric\n@data\nabc\n', /^bad\.arff, line 4, column 1: value 'abc' of attribute 'a' is not a number/],
    ['@relation r\n@attribute a numeric\n@attribute b numeric\n@data\n1\n', /^bad\.arff, line 5: expected 2 values, found 1/],
    ['@relation r\n@attribute a blob\n@data\n', /^bad\.arff, line 2, column 14: unknown type 'blob'/],
    ['@relation r\n@attribute a numeric\n', /^bad\.arff, line 2: missing @data/],
    ['@relation r\n@attribute a numeric\n@attribute a real\n@data\n', /line 3: duplicate attribute name 'a'/],
    ["@relation r\n@attribute a {x,y}\n@data\n'x\n", /line 4, column 1: unterminated quoted string/],
    ['@relation r\n@attribute a numeric\n@data\n{0 1\n', /line 4, column 1: sparse row is not closed/],
    ['@relation r\n@attribute a numeric\n@data\n{3 1}\n', /line 4, column 2: sparse index 3 out of range/],
    ['', /^bad\.arff, line 1: empty ARFF file/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(() => parseArff(text, 'bad.arff'), (e: unknown) => e instanceof DatasetError && pattern.test(e.message));
  }
});
