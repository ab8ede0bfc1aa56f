import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../../src/data/csv/reader.ts';
import { loadDataset } from '../../src/data/index.ts';
import type { Column } from '../../src/data/table.ts';
import { Random } from '../../src/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'metatune-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

function file(content: string | Buffer): string {
  const path = join(dir, `t${counter++}.csv`);
  writeFileSync(path, content);
  return path;
}

function values(column: Column): (number | string | null)[] {
  if (column.kind === 'numeric') return [...column.values].map((v) => (Number.isNaN(v) ? null : v));
  return [...column.codes].map((c) => (c < 0 ? null : column.levels[c]));
}

test('RFC 4180 quoting: quoted delimiters, doubled quotes, newlines inside quotes, CRLF', async () => {
  const table = await readCsv(file('id,text,n\r\n1,"a, b",2\r\n2,"say ""hi""",3\r\n3,"two\r\nlines",4\r\n'));
  assert.equal(table.nRows, 3);
  assert.deepEqual(values(table.columns[1]), ['a, b', 'say "hi"', 'two\r\nlines']);
  assert.deepEqual(values(table.columns[2]), [2, 3, 4]);
});

test('an error after a quoted newline reports the right line', async () => {
  await assert.rejects(readCsv(file('a,b\n1,"x\ny"\n2\n')), /, line 4: expected 2 fields, found 1$/);
});

test('delimiter detection: semicolon and tab', async () => {
  const semi = await readCsv(file('a;b;c\n1,5;2;x\n3,5;4;y\n'));
  assert.deepEqual(semi.columns.map((c) => c.name), ['a', 'b', 'c']);
  assert.deepEqual(values(semi.columns[0]), ['1,5', '3,5']);
  const tab = await readCsv(file('a\tb\n1\t2\n3\t4\n'));
  assert.deepEqual(values(tab.columns[1]), [2, 4]);
});

test('header detection and its override', async () => {
  const withHeader = await readCsv(file('height,weight\n1.5,60\n1.7,70\n'));
  assert.deepEqual(withHeader.columns.map((c) => c.name), ['height', 'weight']);
  const noHeader = await readCsv(file('1.5,60\n1.7,70\n'));
  assert.deepEqual(noHeader.columns.map((c) => c.name), ['V1', 'V2']);
  assert.equal(noHeader.nRows, 2);
  const textOnly = await readCsv(file('red,big\nblue,small\nred,small\n'));
  assert.equal(textOnly.nRows, 3, 'a first row whose values recur below is data');
  const forced = await readCsv(file('red,big\nblue,small\nred,small\n'), { header: true });
  assert.deepEqual(forced.columns.map((c) => c.name), ['red', 'big']);
  const forcedOff = await readCsv(file('x,y\n1,2\n'), { header: false });
  assert.deepEqual(values(forcedOff.columns[0]), ['x', '1']);
});

test('missing markers, padded numbers and a UTF-8 BOM', async () => {
  const table = await readCsv(file('\uFEFFa,b\n  1.5 , x\n?,NA\nnan, null \n"",N/A\n-2e3,\n'));
  assert.equal(table.columns[0].name, 'a');
  assert.deepEqual(values(table.columns[0]), [1.5, null, null, null, -2000]);
  assert.deepEqual(values(table.columns[1]), ['x', null, null, 'N/A', null]);
});

test('type inference: text makes a column categorical with numbers written canonically', async () => {
  const table = await readCsv(file('mixed,flag,count\n1.0,0,10\n01,1,20\nabc,1,30\n1,,40\n'));
  const [mixed, flag, count] = table.columns;
  assert.equal(mixed.kind, 'categorical');
  assert.deepEqual(values(mixed), ['1', '1', 'abc', '1']);
  assert.equal(flag.kind, 'categorical', 'a 0/1 column is a binary flag');
  assert.deepEqual(flag.kind === 'categorical' && flag.levels, ['0', '1']);
  assert.equal(count.kind, 'numeric');
  assert.equal(table.typeSource, 'inferred');
});

test('task inference on CSV: a few integer labels is classification, many values regression', async () => {
  const labels = await loadDataset(file('x,y\n0.1,1\n0.2,2\n0.3,3\n0.4,1\n'));
  assert.equal(labels.task, 'classification');
  assert.deepEqual(labels.target.kind === 'categorical' && labels.target.levels, ['1', '2', '3']);
  const rows = Array.from({ length: 30 }, (_, i) => `${i},${i * 1.5}`).join('\n');
  assert.equal((await loadDataset(file(`x,y\n${rows}\n`))).task, 'regression');
  assert.equal((await loadDataset(file(`x,y\n${rows}\n`), { target: 0, task: 'classification' })).target.kind, 'categorical');
});

test('streaming across chunk boundaries parses numbers exactly like Number()', async () => {
  const random = new Random(5);
  const lines = ['a,b,c,note'];
  const expected: number[] = [];
  for (let i = 0; i < 60000; i++) {
    const a = (random.normal() * 10 ** random.int(8)).toPrecision(1 + random.int(17));
    expected.push(Number(a));
    lines.push(`${a},${random.int(1000)},${(random.next() * 1e-5).toExponential(6)},"n ""${i % 7}""\nx"`);
  }
  const table = await readCsv(file(lines.join('\n')));
  assert.equal(table.nRows, 60000);
  assert.ok(lines.join('\n').length > 2 << 20, 'the file spans several 1 MiB chunks');
  const a = table.columns[0];
  assert.equal(a.kind, 'numeric');
  assert.deepEqual([...a.values], expected);
  const note = table.columns[3];
  assert.deepEqual(note.kind === 'categorical' && note.levels.length, 7);
  assert.deepEqual(values(note).slice(0, 2), ['n "0"\nx', 'n "1"\nx']);
});
