import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { makeEvaluation, makeTask } from '../store/records.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const fixtureV1 = fileURLToPath(new URL('../fixtures/store/v1.sqlite', import.meta.url));
const iris = fileURLToPath(new URL('../../meta-db/corpus/classification/iris.arff.gz', import.meta.url));
let dir = '';
let dbPath = '';

function metatune(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: 'none' };
  return spawnSync(process.execPath, [bin, 'db', ...args], { encoding: 'utf8', env });
}

/** Runs a command with --json and parses its output as the caller's expected shape. */
function json<T>(...args: string[]): T {
  const r = metatune(...args, '--json');
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-cli-db-'));
  dbPath = join(dir, 'small.sqlite');
  const store = SqliteMetaStore.open(dbPath);
  const sizes: Record<string, number> = { big: 5000, mid: 1200, small: 100 };
  for (const [name, n] of Object.entries(sizes)) {
    store.addTask(makeTask(name, { nRows: n }));
    store.putMetaFeatures(name, { extractorVersion: '1', values: { NumberOfInstances: n, LogNumberOfInstances: Math.log(n) }, missing: {} });
    store.addEvaluations([0, 1, 2].map((i) => makeEvaluation(name, i, { primaryScore: (i + 1) / 4 + n / 1e5 })));
  }
  store.addEvaluations([makeEvaluation('small', 3, { status: 'failed', error: 'diverged', primaryScore: null })]);
  store.close();
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('db stats counts records and coverage per space', () => {
  const stats = json<{ counts: { tasks: number; evaluations: number }; evaluationsByStatus: unknown; coverage: { space: string; density: number }[] }>('stats', '--db', dbPath);
  assert.equal(stats.counts.tasks, 3);
  assert.equal(stats.counts.evaluations, 10);
  assert.deepEqual(stats.evaluationsByStatus, { ok: 9, failed: 1 });
  assert.deepEqual(stats.coverage.map((c) => [c.space, c.density]), [['mlp', 10 / 12]]);
  const text = metatune('stats', '--db', dbPath);
  assert.match(text.stdout, /evaluations: 9 ok, 1 failed/);
});

test('db tasks filters and sorts by a meta-feature', () => {
  const rows = json<{ name: string }[]>('tasks', '--db', dbPath, '--filter', 'NumberOfInstances>1000', '--sort', 'NumberOfInstances');
  assert.deepEqual(rows.map((r) => r.name), ['mid', 'big']);
  const desc = json<{ name: string }[]>('tasks', '--db', dbPath, '--sort', 'NumberOfInstances', '--desc', '--limit', '1');
  assert.deepEqual(desc.map((r) => r.name), ['big']);
});

test('db show reports a task; an unknown task exits 2 with a message', () => {
  const report = json<{ spaces: { best: { meanScore: number }[]; scores: { count: number } }[] }>('show', 'mid', '--db', dbPath, '--top', '1');
  assert.equal(report.spaces[0].scores.count, 3);
  assert.equal(report.spaces[0].best.length, 1);
  assert.ok(Math.abs(report.spaces[0].best[0].meanScore - (0.75 + 0.012)) < 1e-12);
  const missing = metatune('show', 'no-such-task', '--db', dbPath);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /unknown task 'no-such-task'/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
});

test('db configs ranks configurations; db similar lists the nearest tasks', () => {
  const ranked = json<{ tasks: number; meanNormalizedScore: number }[]>('configs', '--db', dbPath, '--top', '2');
  assert.deepEqual(ranked.map((r) => [r.tasks, r.meanNormalizedScore]), [[3, 1], [3, 0.5]]);
  const near = json<{ task: string }[]>('similar', 'mid', '--db', dbPath, '--k', '2');
  // Scaled: NumberOfInstances 100, 1200, 5000 → 0, .224, 1; its log → 0, .634, 1. mid–small .858, mid–big 1.142.
  assert.deepEqual(near.map((n) => n.task), ['small', 'big']);
});

test('db export → import into an empty database → export is byte-identical; a second import adds nothing', () => {
  const first = join(dir, 'first.jsonl');
  assert.equal(metatune('export', '--db', dbPath, '--out', first).status, 0);
  const copy = join(dir, 'copy.sqlite');
  const imported = json<Record<string, { inserted: number; skipped: number }>>('import', first, '--db', copy);
  assert.deepEqual(imported.evaluation, { inserted: 10, skipped: 0 });
  const again = json<Record<string, { inserted: number; skipped: number }>>('import', first, '--db', copy);
  assert.deepEqual(again.evaluation, { inserted: 0, skipped: 10 });
  const second = metatune('export', '--db', copy);
  assert.equal(second.stdout, readFileSync(first, 'utf8'));
});

test('db add registers a dataset file with its meta-features into the user database', () => {
  const added = json<{ task: { name: string; nRows: number; nClasses: number }; metaFeatures: number }>('add', iris);
  assert.deepEqual([added.task.name, added.task.nRows, added.task.nClasses], ['iris', 150, 3]);
  assert.ok(added.metaFeatures > 30);
  const tasks = json<{ name: string }[]>('tasks');
  assert.deepEqual(tasks.map((t) => t.name), ['iris']);
});

test('an old-schema database is refused with the fix; db upgrade fixes it', () => {
  const old = join(dir, 'old.sqlite');
  copyFileSync(fixtureV1, old);
  const refused = metatune('stats', '--db', old);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /run `metatune db upgrade --db /);
  const upgraded = metatune('upgrade', '--db', old);
  assert.equal(upgraded.status, 0, upgraded.stderr);
  assert.match(upgraded.stdout, /upgraded schema version 1 → 2/);
  assert.equal(json<{ counts: { evaluations: number } }>('stats', '--db', old).counts.evaluations, 2);
});
