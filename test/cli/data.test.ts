import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MALFORMED_CASES, type MalformedCase } from '../fixtures/malformed/cases.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const malformed = fileURLToPath(new URL('../fixtures/malformed/', import.meta.url));
const iris = fileURLToPath(new URL('../../meta-db/corpus/classification/iris.arff.gz', import.meta.url));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function metatune(args: readonly string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function argsOf(c: MalformedCase): string[] {
  const args = ['data', malformed + c.file];
  if (c.target !== undefined) args.push('--target', c.target);
  if (c.task !== undefined) args.push('--task', c.task);
  return args;
}

test('metatune data prints the schema of iris', async () => {
  const r = await metatune(['data', iris]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /'iris', 150 rows, 5 columns/);
  assert.match(r.stdout, /target: class \(classification\)/);
  assert.match(r.stdout, /sepallength\s+numeric\s+feature\s+0\s+35/);
  assert.match(r.stdout, /Iris-setosa\s+50\s+0\.333333/);
});

test('metatune data --json gives the schema as JSON, with --target and --task applied', async () => {
  const r = await metatune(['data', iris, '--json', '--target', 'petalwidth', '--task', 'regression']);
  assert.equal(r.code, 0, r.stderr);
  const schema = JSON.parse(r.stdout);
  assert.equal(schema.rows, 150);
  assert.equal(schema.task, 'regression');
  assert.equal(schema.target, 'petalwidth');
  assert.equal(schema.columns.length, 5);
  assert.equal(schema.targetSummary.max, 2.5);
});

test('metatune data reads a CSV with --no-header and a target index', async () => {
  const csv = fileURLToPath(new URL('../fixtures/malformed/unknown-target.csv', import.meta.url));
  const r = await metatune(['data', csv, '--no-header', '--target', '0', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const schema = JSON.parse(r.stdout);
  assert.equal(schema.rows, 3, 'the header row is read as data');
  assert.equal(schema.target, 'V1');
  assert.deepEqual(schema.columns.map((c: { name: string }) => c.name), ['V2', 'V3', 'V1']);
});

test('a bad option value exits 2 with a usage message', async () => {
  const r = await metatune(['data', iris, '--task', 'clustering']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--task must be 'classification' or 'regression'/);
});

test('every malformed input exits 2 with a located message and no stack trace', async () => {
  const results = [];
  for (let i = 0; i < MALFORMED_CASES.length; i += 4) {
    const batch = MALFORMED_CASES.slice(i, i + 4);
    results.push(...(await Promise.all(batch.map(async (c) => ({ c, r: await metatune(argsOf(c)) })))));
  }
  for (const { c, r } of results) {
    const path = malformed + c.file;
    assert.equal(r.code, 2, `${c.file}: ${r.stderr}`);
    assert.ok(r.stderr.startsWith(`error: ${path}, `), `${c.file}: ${r.stderr}`);
    assert.match(r.stderr.slice(`error: ${path}, `.length).trimEnd(), c.expect, c.file);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${c.file}: stack trace`);
    assert.equal(r.stdout, '');
  }
});
