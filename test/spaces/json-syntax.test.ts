import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findJsonSyntaxError } from '../../src/spaces/json-syntax.ts';

test('valid documents have no syntax error, whatever JSON.parse accepts', () => {
  for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\"\\u00e9"], "b": {}} ', '"s"', '0']) {
    JSON.parse(text);
    assert.equal(findJsonSyntaxError(text), undefined, text);
  }
});

test('the first error is found where JSON.parse fails, with what was expected', () => {
  const cases: [string, number, RegExp][] = [
    ['{"a": tru }', 6, /a value/],
    ['{"a": 1,, "b": 2}', 8, /double-quoted property name/],
    ['{"a" 1}', 5, /':'/],
    ['{"a": 1 "b": 2}', 8, /',' or '}'/],
    ['[1, 2', 5, /',' or ']'/],
    ['{"a": "x\n"}', 8, /closing double quote/],
    ['{"a": 01}', 7, /',' or '}'/],
    ['{} x', 3, /end of document/],
    ["{'a': 1}", 1, /double-quoted property name/],
  ];
  for (const [text, offset, expected] of cases) {
    assert.throws(() => JSON.parse(text));
    const found = findJsonSyntaxError(text);
    assert.equal(found?.offset, offset, text);
    assert.match(found?.expected ?? '', expected, text);
  }
});
