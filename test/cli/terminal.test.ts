import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'metatune-terminal-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Characters that act on a terminal. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const ESC_NAME = 'na\u001b[31mme';
const BIDI_LABEL = '\u202eyes';

/** A CSV whose header and class labels carry an ANSI colour code and a bidi override. */
const hostile = path.join(dir, 'hostile.csv');
writeFileSync(hostile, [`${ESC_NAME},b,y`, ...Array.from({ length: 40 }, (_, i) => `${i % 5},${(i * 7) % 13},${i % 2 === 0 ? BIDI_LABEL : 'no'}`)].join('\n') + '\n');

function metatune(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, METATUNE_HOME: path.join(dir, 'home') } });
}

test('data big.csv | head -1: a closed stdout ends the command quietly with exit 0', { skip: process.platform === 'win32' }, () => {
  const wide = path.join(dir, 'wide.csv');
  const columns = Array.from({ length: 4000 }, (_, i) => `column_${i}`);
  writeFileSync(wide, [columns.join(','), ...[1, 2, 3].map((r) => columns.map((_, i) => i * r).join(','))].join('\n') + '\n');
  // The schema is ~300 KB, far beyond a pipe's buffer, so metatune is still writing when head exits.
  const script = 'node "$0" data "$1" 2>"$2" | head -1 >/dev/null; echo "${PIPESTATUS[0]}"';
  const stderrFile = path.join(dir, 'epipe-stderr.txt');
  const r = spawnSync('bash', ['-c', script, bin, wide, stderrFile], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.stdout.trim(), '0', r.stderr);
  assert.equal(readFileSync(stderrFile, 'utf8'), '');
});

test('names and values with escape codes and bidi overrides are escaped in human output, faithful in --json', () => {
  const human = metatune('data', hostile);
  assert.equal(human.status, 0, human.stderr);
  assert.doesNotMatch(human.stdout, RAW);
  assert.match(human.stdout, /^na\\x1b\[31mme +numeric/m);
  assert.match(human.stdout, /^\\u202eyes +20 +0\.5$/m);
  const json = metatune('data', hostile, '--json');
  const schema = JSON.parse(json.stdout);
  assert.equal(schema.columns[0].name, ESC_NAME);
  assert.ok(schema.classBalance.some((c: { label: string }) => c.label === BIDI_LABEL));

  const mf = metatune('metafeatures', hostile, '--groups', 'general');
  assert.equal(mf.status, 0, mf.stderr);
  assert.doesNotMatch(mf.stdout, RAW);

  const evaluated = metatune('evaluate', hostile, '--epochs', '1', '--backend', 'cpu');
  assert.equal(evaluated.status, 0, evaluated.stderr);
  assert.doesNotMatch(evaluated.stdout, RAW);
});

test('an option value or a name quoted in an error message is escaped, and the message stays one line', () => {
  const r = metatune('data', hostile, '--target', 'x\u001b]0;pwned\u0007\nerror: fake');
  assert.equal(r.status, 2);
  assert.doesNotMatch(r.stderr, RAW);
  assert.match(r.stderr, /x\\x1b\]0;pwned\\x07\\nerror: fake/);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /na\\x1b\[31mme/);
  const unknown = metatune('data', hostile, '--\u001b[2Jwipe');
  assert.equal(unknown.status, 2);
  assert.doesNotMatch(unknown.stderr, RAW);
});

test('--json prints one JSON document on stdout for every data command', () => {
  const runs: [string, string[]][] = [
    ['data', ['data', hostile, '--json']],
    ['metafeatures', ['metafeatures', hostile, '--json', '--groups', 'general,statistical']],
    ['evaluate', ['evaluate', hostile, '--json', '--epochs', '1', '--backend', 'cpu']],
    ['recommend', ['recommend', hostile, '--json', '--space', 'mlp', '--top', '2', '--pool', '0']],
  ];
  for (const [name, args] of runs) {
    const r = metatune(...args);
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    assert.doesNotThrow(() => JSON.parse(r.stdout), name);
  }
});
