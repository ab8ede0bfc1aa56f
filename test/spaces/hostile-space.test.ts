/**
 * Hostile search space files (issue 20): each defect found in the space parser, at the library
 * level. The CLI-level cases are in test/fixtures/hostile/space-*.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SearchSpaceError } from '../../src/errors.ts';
import { loadSearchSpace, parseSearchSpaceText } from '../../src/spaces/index.ts';
import { findJsonSyntaxError, MAX_JSON_DEPTH } from '../../src/spaces/json-syntax.ts';

const dir = mkdtempSync(join(tmpdir(), 'metatune-hostile-space-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function space(hyperparameters: string): string {
  return `{"name":"t","format_version":1,"task_types":["classification"],"hyperparameters":[${hyperparameters}],"conditions":[],"forbiddens":[]}`;
}

function rejects(text: string, expected: RegExp): void {
  assert.throws(
    () => parseSearchSpaceText(text, 'toy.json'),
    (error: unknown) => {
      assert.ok(error instanceof SearchSpaceError, String(error));
      assert.match(error.message, expected);
      return true;
    },
  );
}

test('invalid JSON nested deeper than the checker allows is a located error, not a stack overflow', () => {
  rejects('['.repeat(200_000), new RegExp(`toy\\.json, line 1, column ${MAX_JSON_DEPTH + 1}: invalid JSON: expected at most ${MAX_JSON_DEPTH} levels`));
});

test('a 20 MB unterminated string is a located error, not a regex stack overflow', () => {
  const found = findJsonSyntaxError(`{"name":"${'a'.repeat(20_000_000)}"`);
  assert.equal(found?.offset, 20_000_010);
});

test('a key given twice is refused (JSON.parse would keep the last silently)', () => {
  rejects(
    space('{"name":"x","type":"uniform_float","lower":0,"upper":1,"default_value":0.2,"default_value":0.9}'),
    /toy\.json, line 1, column \d+: key "default_value" given twice in one object/,
  );
  rejects('{"name":"t","n\\u0061me":"u"}', /key "name" given twice/);
});

test('integer bounds beyond 2^53 and float ranges whose width overflows are refused', () => {
  rejects(space('{"name":"n","type":"uniform_int","lower":0,"upper":1e300}'), /hyperparameters\[0\]\.upper: expected an integer within ±2\^53/);
  rejects(space('{"name":"x","type":"uniform_float","lower":-1.7e308,"upper":1.7e308}'), /hyperparameters\[0\]\.upper: the range .* is too wide/);
  rejects(space('{"name":"x","type":"uniform_float","lower":-1e400,"upper":1}'), /lower: expected a finite number, got -Infinity \(a number too large for a double\)/);
});

test('defaults of extreme ranges do not overflow', () => {
  const s = parseSearchSpaceText(space('{"name":"a","type":"uniform_float","lower":1e200,"upper":1e300,"log":true},{"name":"b","type":"uniform_float","lower":1e308,"upper":1.7e308}'));
  const config = s.defaultConfiguration();
  assert.ok(Math.abs(Number(config.a) / 1e250 - 1) < 1e-9, String(config.a));
  assert.equal(config.b, 1.35e308);
});

test('a categorical of 200 000 choices loads in linear time (the duplicate check was quadratic: 56 s)', () => {
  const choices = Array.from({ length: 200_000 }, (_, i) => `"c${i}"`).join(',');
  const s = parseSearchSpaceText(space(`{"name":"c","type":"categorical","choices":[${choices}]}`));
  assert.equal(s.defaultConfiguration().c, 'c0');
});

test('invalid UTF-8 in a space file is an error naming line and byte offset; a UTF-8 BOM is dropped', () => {
  const text = space('{"name":"c","type":"categorical","choices":["A","B"]}');
  const bad = Buffer.from(text.replace('"A","B"', '"\u00ff","\u00fe"'), 'latin1');
  const badPath = join(dir, 'bad.json');
  writeFileSync(badPath, bad);
  assert.throws(() => loadSearchSpace(badPath), /bad\.json, line 1: not valid UTF-8: byte 0xff at byte offset \d+/);
  const bomPath = join(dir, 'bom.json');
  writeFileSync(bomPath, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
  assert.deepEqual(loadSearchSpace(bomPath).defaultConfiguration(), { c: 'A' });
});
