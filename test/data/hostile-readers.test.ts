/**
 * Hostile inputs to the CSV and ARFF readers (issue 20): each defect found, at the library level.
 * The CLI-level cases (exit codes, messages) are in test/fixtures/hostile/data-*.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv, MAX_FIELDS } from '../../src/data/csv/reader.ts';
import { readArff } from '../../src/data/arff/reader.ts';
import { compileDateFormat } from '../../src/data/arff/date.ts';
import { loadDataset } from '../../src/data/index.ts';
import { parseDecimal } from '../../src/data/number.ts';
import { firstInvalidUtf8 } from '../../src/data/utf8.ts';
import { DatasetError } from '../../src/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'metatune-hostile-readers-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

function file(content: string | Buffer, ext = 'csv'): string {
  const path = join(dir, `t${counter++}.${ext}`);
  writeFileSync(path, content);
  return path;
}

/** Asserts a DatasetError whose message (after `path, `) matches. */
async function rejects(promise: Promise<unknown>, path: string, expected: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DatasetError, String(error));
    assert.ok(error.message.startsWith(`${path}, `), error.message);
    assert.match(error.message, expected);
    return true;
  });
}

test('a header longer than 64 KiB is still the header (the sample reads whole lines)', async () => {
  const n = 6000;
  const names = Array.from({ length: n }, (_, j) => `feature_number_${j}`);
  const rows = Array.from({ length: 20 }, (_, i) => [...names.map((_, j) => (i * j) % 7), i % 2 === 0 ? 'a' : 'b'].join(','));
  const header = [...names, 'label'].join(',');
  assert.ok(header.length > 1 << 16);
  const table = await readCsv(file(`${header}\n${rows.join('\n')}\n`));
  assert.equal(table.nRows, 20);
  assert.equal(table.columns[0].name, 'feature_number_0');
  assert.equal(table.columns[n].name, 'label');
  assert.equal(table.columns[5].kind, 'numeric');
  const label = table.columns[n];
  assert.ok(label.kind === 'categorical');
  assert.deepEqual(label.levels, ['a', 'b']);
});

test('a first line that does not end within 32 MiB is refused, not guessed at', async () => {
  const path = file('1,'.repeat(17 << 20));
  await rejects(readCsv(path), path, /line 1: the first line does not end within the first 32 MiB/);
});

test(`a row of more than ${MAX_FIELDS} fields is refused with its line`, async () => {
  const path = file(`${'1,'.repeat(MAX_FIELDS)}1\n${'1,'.repeat(MAX_FIELDS)}1\n`);
  await rejects(readCsv(path), path, /line 1, column \d+: more than 100000 fields in one row/);
});

test('a row longer than the read chunks costs linear time and is read whole', async () => {
  const long = 'q'.repeat(5 << 20);
  const table = await readCsv(file(`a,b\n1,x\n2,"${long}"\n3,y\n`));
  assert.equal(table.nRows, 3);
  const b = table.columns[1];
  assert.ok(b.kind === 'categorical');
  assert.equal(b.levels[b.codes[1]].length, long.length);
});

test('CR-only line ends are named as such', async () => {
  const path = file('a,b,c\r1,2,x\r3,4,y\r5,6,x\r');
  await rejects(readCsv(path), path, /line 1: line ends are CR only/);
});

test('invalid UTF-8 is an error naming the line and byte offset, never a merged category (CSV)', async () => {
  const bytes = Buffer.concat([Buffer.from('a,b\n1,x\n2,'), Buffer.from([0xff]), Buffer.from('\n3,'), Buffer.from([0xfe]), Buffer.from('\n')]);
  const path = file(bytes);
  await rejects(readCsv(path), path, /line 3: not valid UTF-8: byte 0xff at byte offset 10 /);
});

test('invalid UTF-8 far into a CSV (past the sample, across chunks) gives the right line and offset', async () => {
  const head = 'a,b\n' + '1,x\n2,y\n'.repeat(200_000);
  const bytes = Buffer.concat([Buffer.from(head), Buffer.from('3,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
  const path = file(bytes);
  await rejects(readCsv(path), path, new RegExp(`line ${400_002}: not valid UTF-8: byte 0xc3 at byte offset ${head.length + 2} `));
});

test('invalid UTF-8 in the header is reported as such, not as a duplicate name', async () => {
  const path = file(Buffer.concat([Buffer.from([0xff]), Buffer.from(','), Buffer.from([0xfe]), Buffer.from('\n1,2\n')]));
  await rejects(readCsv(path), path, /line 1: not valid UTF-8: byte 0xff at byte offset 0 /);
});

test('invalid UTF-8 in an ARFF file names the line and byte offset', async () => {
  const path = file(Buffer.concat([Buffer.from('@relation r\n@attribute c string\n@data\n'), Buffer.from([0xe2, 0x82]), Buffer.from('\n')]), 'arff');
  await rejects(readArff(path), path, /line 4: not valid UTF-8: byte 0xe2 at byte offset 38 /);
});

test('UTF-16 and UTF-32 byte-order marks are named', async () => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]);
  const csv = file(utf16);
  await rejects(readCsv(csv), csv, /line 1: UTF-16LE text \(byte-order mark\); save the file as UTF-8/);
  const arff = file(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('@relation r\n')]), 'arff');
  await rejects(readArff(arff), arff, /UTF-16BE text/);
});

test('a NUL byte past the first 64 KiB is refused with its offset', async () => {
  const head = 'a,b\n' + '1,x\n2,y\n'.repeat(20_000);
  const path = file(Buffer.concat([Buffer.from(head), Buffer.from('3,a'), Buffer.from([0]), Buffer.from('b\n')]));
  await rejects(readCsv(path), path, new RegExp(`line 40002: binary data, not text: NUL byte at byte offset ${head.length + 3}$`));
});

test('numbers beyond ±1e50 in a numeric column are refused at load (CSV)', async () => {
  for (const bad of ['1e400', '-1.7e308', 'inf', '-Infinity', '1e51', '1e99']) {
    const path = file(`a,y\n1,1.5\n2,${bad}\n3,4.5\n4,5.1\n`);
    await rejects(loadDataset(path), path, new RegExp(`line 3, column 'y': value '${bad}' is not a finite number within ±1e50`));
  }
  const ok = await readCsv(file('a,y\n1,1e50\n2,-1e50\n3,1e-400\n'));
  assert.ok(ok.columns[1].kind === 'numeric');
  assert.deepEqual([...ok.columns[1].values], [1e50, -1e50, 0]);
});

test('a text column may hold an overflowing literal: it stays a distinct level', async () => {
  const table = await readCsv(file('a,c\n1,x\n2,1e400\n3,2e400\n4,inf\n'));
  const c = table.columns[1];
  assert.ok(c.kind === 'categorical');
  assert.deepEqual(c.levels, ['x', '1e400', '2e400', 'inf']);
});

test('numbers beyond ±1e50 are refused at load (ARFF)', async () => {
  const path = file('@relation r\n@attribute a numeric\n@attribute c {x,y}\n@data\n1,x\n1.7e308,y\n', 'arff');
  await rejects(readArff(path), path, /line 6, column 1: value '1\.7e308' of attribute 'a' is not a finite number within ±1e50/);
  const inf = file('@relation r\n@attribute a numeric\n@attribute c {x,y}\n@data\n1,x\n-inf,y\n', 'arff');
  await rejects(readArff(inf), inf, /line 6, column 1: value '-inf' of attribute 'a' is not a finite number/);
});

test('parseDecimal is linear on a long run of digits followed by a letter', () => {
  const text = `${'1'.repeat(200_000)}x`;
  assert.ok(Number.isNaN(parseDecimal(text))); // quadratic backtracking took minutes here
  assert.equal(parseDecimal('12.'), 12);
  assert.equal(parseDecimal('.5e-3'), 0.0005);
  assert.equal(parseDecimal('-INF'), -Infinity);
  assert.ok(Number.isNaN(parseDecimal('1.2.3')));
});

test('date formats parse in one pass: adjacent single-letter fields against 40 digits and a letter', () => {
  const parse = compileDateFormat('yMdHmsSyMdHmsS');
  assert.ok(Number.isNaN(parse(`${'1'.repeat(40)}x`))); // 35 digits took 56 s with a backtracking regex
  assert.equal(parse('11111111111111'), Date.UTC(1, 0, 1, 1, 1, 1, 1));
});

test('date formats: abutting fields take their width, separated fields all their digits', () => {
  assert.equal(compileDateFormat('yyyyMMdd')('20240105'), Date.UTC(2024, 0, 5));
  assert.equal(compileDateFormat('yyyy-M-d')('2024-1-15'), Date.UTC(2024, 0, 15));
  assert.equal(compileDateFormat("yyyy-MM-dd'T'HH:mm:ss")('2024-01-05T10:20:30'), Date.UTC(2024, 0, 5, 10, 20, 30));
  assert.equal(compileDateFormat('dd MMM yyyy hh:mm a')('05 Feb 2024 03:20 PM'), Date.UTC(2024, 1, 5, 15, 20));
  assert.equal(compileDateFormat("''yyyy''")("'2024'"), Date.UTC(2024, 0, 1));
  assert.ok(Number.isNaN(compileDateFormat('yyyy-MM-dd')('2024-13-01')));
  assert.ok(Number.isNaN(compileDateFormat('yyyy-MM-dd')('2024-01-01x')));
  assert.ok(Number.isNaN(compileDateFormat('yyyy')(`${'9'.repeat(400)}`)));
});

test('firstInvalidUtf8 rejects overlong forms, surrogates, code points above U+10FFFF and cut sequences', () => {
  const at = (bytes: number[]): number => firstInvalidUtf8(Uint8Array.from(bytes));
  assert.equal(at([0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]), 10);
  assert.equal(at([0x61, 0xc0, 0x80]), 1);
  assert.equal(at([0xe0, 0x80, 0x80]), 0);
  assert.equal(at([0x61, 0xed, 0xa0, 0x80]), 1);
  assert.equal(at([0xf4, 0x90, 0x80, 0x80]), 0);
  assert.equal(at([0x61, 0x62, 0xe2, 0x82]), 2);
  assert.equal(at([0x80]), 0);
});

test('a header with an empty name (a pandas index column) is still the header', async () => {
  const table = await readCsv(file(',height,label\n0,1.5,x\n1,1.7,y\n2,1.6,x\n'));
  assert.equal(table.nRows, 3);
  assert.deepEqual(table.columns.map((c) => c.name), ['V1', 'height', 'label']);
  const label = table.columns[2];
  assert.ok(label.kind === 'categorical');
  assert.deepEqual(label.levels, ['x', 'y']);
  const data = await readCsv(file(',x,y\n1,x,y\n2,y,x\n'));
  assert.equal(data.nRows, 3, 'a first row with a missing value whose text recurs below is data');
});

test("C's signed NaN (-nan, +nan) is missing, not text that turns the column categorical", async () => {
  const table = await readCsv(file('a,y\n1,x\n-nan,y\n+NaN,x\n4,y\n'));
  assert.equal(table.columns[0].kind, 'numeric');
  assert.equal(Number.isNaN(table.columns[0].kind === 'numeric' ? table.columns[0].values[1] : 0), true);
});

test('an ARFF file with CR-only line ends is named as such (it read as one line: "missing @data")', async () => {
  const path = file('@relation r\r@attribute a numeric\r@attribute c {x,y}\r@data\r1,x\r2,y\r', 'arff');
  await rejects(readArff(path), path, /line 1: line ends are CR only/);
});

test('integer column names (pandas frames made from arrays) are a header, not a data row', async () => {
  const named = await readCsv(file('0,1,2,target\n0.5,1,3,7\n1.5,2,4,8\n2.5,0,5,7\n'));
  assert.equal(named.nRows, 3);
  assert.deepEqual(named.columns.map((c) => c.name), ['0', '1', '2', 'target']);
  assert.equal(named.columns[3].kind, 'numeric');
  const classes = await readCsv(file('0,1,2,target\n0.5,1,3,a\n1.5,2,4,b\n2.5,0,5,a\n'));
  assert.equal(classes.nRows, 3, 'counting integer names and a name that does not recur below');
  assert.equal(classes.columns[3].name, 'target');
  const sequence = await readCsv(file('0,1,2,3\n5.1,3.5,1.4,0\n4.9,3.0,1.4,1\n6.2,2.9,4.3,2\n'));
  assert.equal(sequence.nRows, 3);
  assert.deepEqual(sequence.columns.map((c) => c.name), ['0', '1', '2', '3']);
  const data = await readCsv(file('1,2,3\n4,5,6\n7,8,9\n'));
  assert.equal(data.nRows, 3, 'integers above integers are data');
  const repeated = await readCsv(file('1,1,x\n2,3,5\n4,5,6\n'));
  assert.equal(repeated.nRows, 3, 'repeated integers are not names');
  const fractional = await readCsv(file('1.5,x\n2,3\n4,5\n'));
  assert.equal(fractional.nRows, 3, 'a fraction is not a name');
});

test('a NUL byte past the first 64 KiB of an ARFF file is refused with its line and offset', async () => {
  const head = '@relation r\n@attribute s string\n@attribute c {x,y}\n@data\n' + 'a,x\nb,y\n'.repeat(10_000);
  const path = file(Buffer.concat([Buffer.from(head), Buffer.from('c'), Buffer.from([0]), Buffer.from(',x\n')]), 'arff');
  await rejects(readArff(path), path, new RegExp(`line 20005: binary data, not text: NUL byte at byte offset ${head.length + 1}$`));
});
