/**
 * `loadDatasetSync` (what `createStudy({ task: 'file.csv' })` reads with) gives what `loadDataset`
 * gives: the same dataset for every corpus file and test fixture that loads, the same located
 * error for every malformed one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { loadDataset, loadDatasetSync } from '../../src/data/index.ts';
import { MALFORMED_CASES } from '../fixtures/malformed/cases.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const malformed = fileURLToPath(new URL('../fixtures/malformed/', import.meta.url));

test('the corpus loads the same synchronously (ARFF and CSV, gzip)', { timeout: 120_000 }, async () => {
  const files = ['classification', 'regression'].flatMap((kind) => readdirSync(`${root}meta-db/corpus/${kind}`).filter((f) => /\.(arff|csv)(\.gz)?$/.test(f)).map((f) => `${root}meta-db/corpus/${kind}/${f}`));
  assert.ok(files.length > 50);
  for (const file of files) assert.deepEqual(loadDatasetSync(file), await loadDataset(file), file);
});

test('a CSV of several 1 MiB chunks loads the same synchronously, plain and gzip', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-sync-'));
  try {
    const rows = ['a;b;colour;"quoted; field";y'];
    for (let i = 0; i < 90_000; i++) rows.push(`${i * 0.125};${i % 7};${['red', 'green', ''][i % 3]};"x ${i % 11}";${i % 3 === 0 ? 'yes' : 'no'}`);
    const text = rows.join('\r\n') + '\r\n';
    assert.ok(text.length > 2 << 20);
    writeFileSync(join(dir, 'big.csv'), text);
    writeFileSync(join(dir, 'big.csv.gz'), gzipSync(text));
    for (const file of ['big.csv', 'big.csv.gz']) {
      const path = join(dir, file);
      const dataset = loadDatasetSync(path);
      assert.equal(dataset.nRows, 90_000);
      assert.deepEqual(dataset, await loadDataset(path));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const c of MALFORMED_CASES) {
  test(`${c.file}: the same error synchronously`, async () => {
    const options = { target: c.target, task: c.task };
    const asynchronous = await loadDataset(malformed + c.file, options).then(() => undefined, (error: unknown) => error);
    assert.ok(asynchronous instanceof Error);
    assert.throws(() => loadDatasetSync(malformed + c.file, options), (error: unknown) => {
      assert.equal(String(error), String(asynchronous));
      assert.equal(error?.constructor, asynchronous.constructor);
      return true;
    });
  });
}

test('a missing file is a located DatasetError', () => {
  assert.throws(() => loadDatasetSync(`${malformed}no-such-file.csv`), /no such file/);
});
