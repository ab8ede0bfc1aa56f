import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { makeEvaluation, makeSpace, makeTask } from '../store/records.ts';

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
  store.addSearchSpace(makeSpace());
  const sizes: Record<string, number> = { big: 5000, mid: 1200, small: 100 };
  for (const [name, n] of Object.entries(sizes)) {
    store.addTask(makeTask(name, { nRows: n }));
    store.putMetaFeatures(name, { extractorVersion: '1', values: { NumberOfInstances: n, LogNumberOfInstances: Math.log(n) }, missing: {} });
    store.addEvaluations([0, 1, 2].map((i) => {
      const score = (i + 1) / 4 + n / 1e5;
      return makeEvaluation(name, i, { primaryScore: score, metrics: { accuracy: score } });
    }));
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
  assert.match(upgraded.stdout, /upgraded schema version 1 → 3\n  2: configuration origin.*\n  3: trial leases/);
  assert.equal(json<{ counts: { evaluations: number } }>('stats', '--db', old).counts.evaluations, 2);
});

const shippedDb = fileURLToPath(new URL('../../meta-db/metatune.sqlite', import.meta.url));

/**
 * How to run a command as a user who may not write a root-owned file: root ignores file
 * permissions, so under root the commands run through `setpriv` as `nobody` when that works here.
 * @returns the argv prefix (empty when the commands run as the current user)
 */
function unprivilegedPrefix(): string[] {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv')) return [];
  const prefix = ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
  const probe = spawnSync(prefix[0], [...prefix.slice(1), process.execPath, bin, '--version'], { encoding: 'utf8' });
  return probe.status === 0 ? prefix : [];
}

/** A small classification table, written by the test (no shared datasets). */
function writeSmallCsv(path: string): void {
  const rows = ['a,b,c,label'];
  for (let i = 0; i < 60; i++) {
    const a = ((i * 37) % 100) / 100;
    const b = ((i * 61) % 100) / 100;
    rows.push(`${a},${b},${i % 3 === 0 ? 'x' : 'z'},${a + b > 1 ? 'p' : 'n'}`);
  }
  writeFileSync(path, `${rows.join('\n')}\n`);
}

test('read-only commands leave a read-only copy of the shipped database byte-identical, with no -wal file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'metatune-readonly-'));
  try {
    const db = join(folder, 'metatune.sqlite');
    copyFileSync(shippedDb, db);
    chmodSync(db, 0o444);
    chmodSync(folder, 0o755);
    const out = join(folder, 'out');
    mkdirSync(out);
    chmodSync(out, 0o777);
    const dataset = join(folder, 'small.csv');
    writeSmallCsv(dataset);
    chmodSync(dataset, 0o644);
    const hash = (): string => createHash('sha256').update(readFileSync(db)).digest('hex');
    const before = hash();
    const prefix = unprivilegedPrefix();
    const env = { ...process.env, METATUNE_HOME: join(out, 'home'), METATUNE_SHIPPED_DB: 'none' };
    const run = (args: string[], extraEnv: Record<string, string> = {}) => {
      const argv = [...prefix, process.execPath, bin, ...args];
      return spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env: { ...env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 });
    };
    const firstTask = (JSON.parse(run(['db', 'tasks', '--db', db, '--limit', '1', '--json']).stdout) as { name: string }[])[0].name;
    const commands = [
      ['db', 'export', '--db', db, '--out', join(out, 'export.jsonl')],
      ['db', 'stats', '--db', db],
      ['db', 'tasks', '--db', db],
      ['db', 'show', firstTask, '--db', db],
      ['recommend', dataset, '--db', db, '--top', '1', '--pool', '8'],
    ];
    for (const args of commands) {
      const r = run(args);
      assert.equal(r.status, 0, `${args.join(' ')} (${prefix.length > 0 ? 'as nobody' : 'as the current user'}): ${r.stderr}`);
      assert.equal(hash(), before, `${args.join(' ')} changed the file`);
      assert.equal(existsSync(`${db}-wal`), false, `${args.join(' ')} left a -wal file`);
      assert.equal(existsSync(`${db}-shm`), false, `${args.join(' ')} left a -shm file`);
    }
    assert.match(readFileSync(join(out, 'export.jsonl'), 'utf8').slice(0, 60), /^\{"format":"metatune-store","formatVersion":1\}\n/);
    if (prefix.length > 0) {
      const write = run(['db', 'import', join(out, 'export.jsonl'), '--db', db]);
      assert.equal(write.status, 2, write.stderr);
      assert.match(write.stderr, /metatune\.sqlite: cannot write to the database \(attempt to write a readonly database\): the file or its folder is read-only/);
      assert.equal(hash(), before);
    }
    const layered = run(['db', 'stats', '--json'], { METATUNE_SHIPPED_DB: db });
    assert.equal(layered.status, 0, layered.stderr);
    assert.equal(hash(), before);
    assert.equal(existsSync(join(out, 'home')), false, 'a read-only command created the user database folder');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('files that are not a database exit 2 naming the file, and are left as they were', () => {
  const csv = join(dir, 'table.csv');
  writeFileSync(csv, 'a,b\n1,2\n');
  const cases: [string[], RegExp][] = [
    [['stats', '--db', csv], /table\.csv: not a metatune database: the file is not SQLite/],
    [['import', csv, '--db', csv], /table\.csv: not a metatune database/],
    [['stats', '--db', '/dev/null'], /\/dev\/null: is not a regular file/],
    [['tasks', '--db', dir], /is a directory; expected a metatune SQLite database file/],
  ];
  for (const [args, pattern] of cases) {
    const r = metatune(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /please report this as a bug|\n\s+at /);
  }
  assert.equal(readFileSync(csv, 'utf8'), 'a,b\n1,2\n');
});

test('db export --out refuses the database itself (which the rename would destroy), a directory and a missing folder', () => {
  const db = join(dir, 'keep.sqlite');
  copyFileSync(dbPath, db);
  const before = createHash('sha256').update(readFileSync(db)).digest('hex');
  const cases: [string, RegExp][] = [
    [db, /keep\.sqlite, option --out: is the database being exported .* would destroy it/],
    [`${db}-wal`, /is the database being exported/],
    [join(dir, '.', 'keep.sqlite'), /is the database being exported/],
    [dir, /option --out: is a directory/],
    [join(dir, 'no', 'such', 'x.jsonl'), /option --out: its folder .* does not exist/],
  ];
  for (const [out, pattern] of cases) {
    const r = metatune('export', '--db', db, '--out', out);
    assert.equal(r.status, 2, `${out}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  }
  assert.equal(createHash('sha256').update(readFileSync(db)).digest('hex'), before);
  assert.equal(json<{ counts: { tasks: number } }>('stats', '--db', db).counts.tasks, 3);
});

test('db configs --space naming no stored space exits 2 listing the stored ones, instead of an empty ranking', () => {
  const r = metatune('configs', '--db', dbPath, '--space', 'mpl');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /option --space: unknown search space 'mpl'; the store has mlp/);
  assert.equal(metatune('configs', '--db', dbPath, '--space', 'mlp').status, 0);
});

test('a database locked by another writer past the busy timeout exits 2 naming it, not an internal error', () => {
  const db = join(dir, 'locked.sqlite');
  copyFileSync(dbPath, db);
  const exported = join(dir, 'locked-source.jsonl');
  assert.equal(metatune('export', '--db', dbPath, '--out', exported).status, 0);
  const holder = new Database(db);
  holder.exec('BEGIN IMMEDIATE');
  try {
    const env = { ...process.env, METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: 'none', METATUNE_BUSY_TIMEOUT_MS: '100' };
    const r = spawnSync(process.execPath, [bin, 'db', 'import', exported, '--db', db], { encoding: 'utf8', env });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /locked\.sqlite: the database is locked by another process .* busy timeout \(100 ms, METATUNE_BUSY_TIMEOUT_MS\)/);
    assert.doesNotMatch(r.stderr, /please report this as a bug/);
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }
});
