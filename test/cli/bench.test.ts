import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticStore } from '../metamodel/synthetic.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
let dir = '';
let dbPath = '';

function metatune(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: 'none' };
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-cli-bench-'));
  dbPath = join(dir, 'store.sqlite');
  writeSyntheticStore(dbPath, { tasks: 8, configs: 30, seed: 9 });
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('bench writes markdown, JSON and an SVG plot, and prints the tables', () => {
  const out = join(dir, 'results');
  const r = metatune('bench', '--db', dbPath, '--methods', 'default,random,tpe,knn,portfolio', '--seeds', '2', '--folds', '4', '--budgets', '1,5,10', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /8 tasks, 4 folds, 2 seeds/);
  assert.match(r.stdout, /\| knn \|/);
  for (const file of ['bench.md', 'bench.json', 'regret.svg']) assert.ok(existsSync(join(out, file)), file);
  const json: { methods: string[]; budgets: number[]; summary: { meanRegret: Record<string, number[]> } } = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'));
  assert.deepEqual(json.methods, ['default', 'random', 'tpe', 'knn', 'portfolio']);
  assert.deepEqual(json.budgets, [1, 5, 10]);
  assert.equal(json.summary.meanRegret.random.length, 3);
  assert.match(readFileSync(join(out, 'regret.svg'), 'utf8'), /<polyline/);
  const again = metatune('bench', '--report', join(out, 'bench.json'));
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, readFileSync(join(out, 'bench.md'), 'utf8'));
});

test('bench --report rejects a file that is not a saved result with exit 2, naming the file and the field', () => {
  const path = join(dir, 'not-bench.json');
  writeFileSync(path, JSON.stringify({ space: 'mlp', tasks: 8, folds: 4, seeds: 2, seconds: 1, budgets: [1, 5], methods: ['random'], perTask: [{ task: 'a', method: 'oracle', regrets: [[0.1, 0]] }] }));
  const r = metatune('bench', '--report', path);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not-bench\.json.*field 'perTask\[0\]\.method' must be one of default, random/);
});

test('bench rejects unknown methods and bad budgets with exit 2', () => {
  const methods = metatune('bench', '--db', dbPath, '--methods', 'random,oracle');
  assert.equal(methods.status, 2);
  assert.match(methods.stderr, /unknown method 'oracle'/);
  const budgets = metatune('bench', '--db', dbPath, '--budgets', '1,zero');
  assert.equal(budgets.status, 2);
  assert.match(budgets.stderr, /option --budgets: expected an integer from 1 to 1000, got 'zero'/);
});
