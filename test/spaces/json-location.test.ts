import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatJsonPath, locateJsonPath } from '../../src/spaces/json-location.ts';

const TEXT = `{
  "a": "x\\"}]",
  "list": [1, {"k": [true, null]}, "q"],
  "b": {
    "c": 3
  }
}`;

test('locates values through keys, indices and strings with escapes', () => {
  assert.deepEqual(locateJsonPath(TEXT, []), { line: 1, column: 1 });
  assert.deepEqual(locateJsonPath(TEXT, ['a']), { line: 2, column: 8 });
  assert.deepEqual(locateJsonPath(TEXT, ['list', 2]), { line: 3, column: 36 });
  assert.deepEqual(locateJsonPath(TEXT, ['list', 1, 'k', 1]), { line: 3, column: 28 });
  assert.deepEqual(locateJsonPath(TEXT, ['b', 'c']), { line: 5, column: 10 });
});

test('a path that does not exist resolves to its deepest existing prefix', () => {
  assert.deepEqual(locateJsonPath(TEXT, ['b', 'missing']), { line: 4, column: 8 });
  assert.deepEqual(locateJsonPath(TEXT, ['list', 9]), { line: 3, column: 11 });
});

test('paths are formatted as a reader writes them', () => {
  assert.equal(formatJsonPath(['hyperparameters', 3, 'lower']), 'hyperparameters[3].lower');
  assert.equal(formatJsonPath([]), '(root)');
});
