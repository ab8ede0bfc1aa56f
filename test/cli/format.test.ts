import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeText, formatTable, truncateText } from '../../src/cli/format.ts';
import { handleError } from '../../src/cli/error-handler.ts';
import { DatasetError } from '../../src/errors.ts';

/** Characters that act on a terminal, from any source. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

test('escapeText shows controls, bidi overrides and invisible characters as escapes', () => {
  assert.equal(escapeText('plain name ünïcödé 名前 😀'), 'plain name ünïcödé 名前 😀');
  assert.equal(escapeText('red\u001b[31mtext'), 'red\\x1b[31mtext');
  assert.equal(escapeText('a\nb\tc\rd\u0000e\u007f\u009b'), 'a\\nb\\tc\\rd\\x00e\\x7f\\x9b');
  assert.equal(escapeText('evil\u202egnp.exe'), 'evil\\u202egnp.exe');
  assert.equal(escapeText('\u2066x\u2069\u200b\ufeff\u2028'), '\\u2066x\\u2069\\u200b\\ufeff\\u2028');
  assert.equal(escapeText('lone \ud800 surrogate'), 'lone \\ud800 surrogate');
  assert.equal(escapeText('title\u001b]0;pwned\u0007', true), 'title\\x1b]0;pwned\\x07');
  assert.equal(escapeText('two\nlines', true), 'two\nlines');
  for (let code = 0; code < 0x10000; code++) {
    assert.doesNotMatch(escapeText(String.fromCharCode(code)), RAW, `U+${code.toString(16)}`);
  }
});

test('tables escape every cell and header', () => {
  const table = formatTable(['col\u001b[2J'], [['x\u001b[31m'], ['\u202eabc']]);
  assert.doesNotMatch(table, RAW);
  assert.match(table, /col\\x1b\[2J/);
  assert.match(table, /x\\x1b\[31m/);
  assert.match(table, /\\u202eabc/);
});

test('a table with very long names fits 120 columns: text is cut with an ellipsis, never wrapped; numbers and kept columns stay whole', () => {
  const long = 'n'.repeat(5000);
  const rows = [[long, 'numeric', 12345.5, 'm'.repeat(300)], ['short', 'categorical', 1, 'fine']];
  const table = formatTable(['column', 'type', 'count', 'note'], rows, { maxWidth: 120 });
  const lines = table.trimEnd().split('\n');
  assert.equal(lines.length, 4, 'one line per row: nothing wrapped');
  for (const line of lines) assert.ok(line.length <= 120, `${line.length}: ${line.slice(0, 40)}`);
  assert.match(lines[2], /^n+… +numeric +12345\.5 +m+…$/);
  assert.match(lines[3], /^short +categorical +1 +fine$/);
  const kept = formatTable(['config', 'name'], [['c'.repeat(150), long]], { maxWidth: 120, keep: [0] });
  assert.match(kept, new RegExp(`^${'c'.repeat(150)}  n{11}…$`, 'm'));
  const free = formatTable(['name'], [[long]]);
  assert.ok(free.includes(long), 'without a width, nothing is cut');
});

test('truncateText never splits a surrogate pair', () => {
  assert.equal(truncateText('😀😀😀', 2), '😀…');
  assert.equal(truncateText('abc', 3), 'abc');
});

test('error messages reach stderr escaped, on one line', (t) => {
  const written: string[] = [];
  t.mock.method(process.stderr, 'write', (chunk: string) => {
    written.push(chunk);
    return true;
  });
  const code = handleError(new DatasetError("unknown target column 'x\u001b]0;pwned\u0007\nfake: line'", { file: 'a\u202e.csv' }));
  t.mock.restoreAll();
  assert.equal(code, 2);
  assert.equal(written.join(''), "error: a\\u202e.csv: unknown target column 'x\\x1b]0;pwned\\x07\\nfake: line'\n");
});
