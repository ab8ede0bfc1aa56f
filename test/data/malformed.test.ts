import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../../src/data/index.ts';
import { DatasetError } from '../../src/errors.ts';
import { MALFORMED_CASES } from '../fixtures/malformed/cases.ts';

const dir = fileURLToPath(new URL('../fixtures/malformed/', import.meta.url));

test('there are at least 20 malformed inputs', () => {
  assert.ok(MALFORMED_CASES.length >= 20);
});

for (const c of MALFORMED_CASES) {
  test(`${c.file}${c.target === undefined ? '' : ` --target ${c.target}`} gives a located DatasetError`, async () => {
    const path = dir + c.file;
    await assert.rejects(
      loadDataset(path, { target: c.target, task: c.task }),
      (error: unknown) => {
        assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${String(error)}`);
        assert.ok(error.message.startsWith(`${path}, `), error.message);
        assert.match(error.message.slice(path.length + 2), c.expect);
        assert.ok(error.location.line !== undefined || error.location.column !== undefined);
        return true;
      },
    );
  });
}
