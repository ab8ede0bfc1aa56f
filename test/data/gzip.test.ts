/**
 * gzip-compressed data files read like their plain versions (CSV streamed, ARFF whole), by their
 * content's magic number; corrupt or truncated compressed data is a DatasetError naming the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dataFileFormat, dataFileStem, loadDataset, loadTable } from '../../src/data/index.ts';
import { DatasetError } from '../../src/errors.ts';
import { fileSha256 } from '../../src/store/canonical.ts';

const CSV = 'a,b,label\n1,x,yes\n2,y,no\n3,x,yes\n4,y,no\n5,"q, r",yes\n';
const ARFF = '@relation tiny\n@attribute a numeric\n@attribute label {yes,no}\n@data\n1,yes\n2,no\n3,yes\n';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'metatune-gzip-'));
}

test('a .csv.gz reads exactly like its plain CSV, and is named without .gz', async () => {
  const dir = folder();
  writeFileSync(join(dir, 'plain.csv'), CSV);
  writeFileSync(join(dir, 'plain.csv.gz'), gzipSync(CSV));
  const plain = await loadTable(join(dir, 'plain.csv'));
  const packed = await loadTable(join(dir, 'plain.csv.gz'));
  assert.equal(packed.name, 'plain');
  assert.deepEqual({ ...packed, source: '' }, { ...plain, source: '' });
});

test('a large .csv.gz spanning many read chunks parses every row', async () => {
  const dir = folder();
  const rows = ['x,y,c'];
  for (let i = 0; i < 200_000; i++) rows.push(`${i},${(i * 7919) % 1000},${i % 3 === 0 ? 'a' : 'b'}`);
  const text = rows.join('\n') + '\n';
  writeFileSync(join(dir, 'big.csv.gz'), gzipSync(text));
  const dataset = await loadDataset(join(dir, 'big.csv.gz'));
  assert.equal(dataset.nRows, 200_000);
  assert.equal(dataset.task, 'classification');
});

test('an .arff.gz reads exactly like its plain ARFF; a gzip file is recognised by content, not name', async () => {
  const dir = folder();
  writeFileSync(join(dir, 'tiny.arff'), ARFF);
  writeFileSync(join(dir, 'tiny.arff.gz'), gzipSync(ARFF));
  const plain = await loadTable(join(dir, 'tiny.arff'));
  assert.deepEqual({ ...(await loadTable(join(dir, 'tiny.arff.gz'))), source: '' }, { ...plain, source: '' });
  writeFileSync(join(dir, 'misnamed.csv'), gzipSync(CSV));
  assert.equal((await loadTable(join(dir, 'misnamed.csv'))).nRows, 5);
});

test('the content hash of a .gz file is that of its decompressed bytes', async () => {
  const dir = folder();
  writeFileSync(join(dir, 'tiny.arff'), ARFF);
  writeFileSync(join(dir, 'tiny.arff.gz'), gzipSync(ARFF));
  assert.equal(await fileSha256(join(dir, 'tiny.arff.gz')), await fileSha256(join(dir, 'tiny.arff')));
});

test('truncated or corrupt gzip data is a DatasetError naming the file', async () => {
  const dir = folder();
  const packed = gzipSync(CSV + CSV.slice(10).repeat(50));
  for (const [name, bytes] of [
    ['cut.csv.gz', packed.subarray(0, packed.length - 12)],
    ['cut.arff.gz', gzipSync(ARFF).subarray(0, 20)],
    ['bad.csv.gz', Buffer.concat([packed.subarray(0, 10), Buffer.alloc(40, 0x55)])],
  ] as const) {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    await assert.rejects(loadTable(file), (e: unknown) => e instanceof DatasetError && e.message.includes(file) && /gzip data is corrupt or truncated/.test(e.message), name);
  }
});

test('file names: format and stem ignore .gz', () => {
  assert.equal(dataFileFormat('x/iris.arff.gz'), 'arff');
  assert.equal(dataFileFormat('x/IRIS.ARFF'), 'arff');
  assert.equal(dataFileFormat('x/data.csv.gz'), 'csv');
  assert.equal(dataFileStem('x/iris.arff.gz'), 'iris');
  assert.equal(dataFileStem('x/kr.vs.kp.arff.gz'), 'kr.vs.kp');
  assert.equal(dataFileStem('data.csv'), 'data');
});
