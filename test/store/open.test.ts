/**
 * Opening hostile database paths: every file that is not a current metatune store is refused with
 * a StoreError naming the file and what was expected, and a command that only reads opens the
 * database read-only, leaving its bytes as they were.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../src/errors.ts';
import { openMetaStore } from '../../src/store/locations.ts';
import { prepareForShipping } from '../../src/store/schema.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { busyTimeoutMs, translateSqliteError } from '../../src/store/sqlite-file.ts';
import { makeEvaluation, makeTask } from './records.ts';
import { CURRENT_SCHEMA_VERSION } from '../../src/store/migrations/index.ts';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-open-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a small store in rollback-journal mode (as shipped) and returns its path. */
function makeStore(dir: string, name = 'store.sqlite', tasks = 40): string {
  const path = join(dir, name);
  const store = SqliteMetaStore.open(path);
  for (let t = 0; t < tasks; t++) {
    store.addTask(makeTask(`task-${t}`));
    store.addEvaluations([0, 1, 2, 3].map((i) => makeEvaluation(`task-${t}`, i)));
  }
  store.close();
  prepareForShipping(path);
  return path;
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Asserts that `fn` throws a StoreError whose message names `file` and matches `pattern`. */
function assertStoreError(fn: () => unknown, file: string, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
    assert.equal(error.location.file, file);
    assert.match(error.message, pattern);
    return true;
  });
}

test('a read-only open leaves the file byte-identical, in its journal mode, with no -wal or -shm file', () => withDir((dir) => {
  const path = makeStore(dir);
  const before = sha256(path);
  const store = openMetaStore({ db: path });
  assert.equal(store.describe()[0].readonly, true);
  assert.equal(store.listTasks().length, 40);
  assert.equal(store.listEvaluations().length, 160);
  assert.throws(() => store.addTask(makeTask('new')), /opened read-only/);
  store.close();
  assert.equal(sha256(path), before);
  assert.equal(existsSync(`${path}-wal`), false);
  assert.equal(existsSync(`${path}-shm`), false);
  const check = new Database(path, { readonly: true });
  assert.equal(check.pragma('journal_mode', { simple: true }), 'delete');
  check.close();
}));

test('reads without --db open the user and the shipped database read-only; writes open the user one read-write', () => withDir((dir) => {
  const shipped = makeStore(dir, 'shipped.sqlite');
  const home = join(dir, 'home');
  mkdirSync(home);
  const user = makeStore(home, 'metatune.sqlite', 1);
  const env = { METATUNE_HOME: home, METATUNE_SHIPPED_DB: shipped };
  const [shippedBefore, userBefore] = [sha256(shipped), sha256(user)];
  const reader = openMetaStore({ env });
  assert.deepEqual(reader.describe().map((l) => [l.role, l.readonly]), [['user', true], ['shipped', true]]);
  assert.equal(reader.listTasks().length, 40);
  reader.close();
  assert.deepEqual([sha256(shipped), sha256(user)], [shippedBefore, userBefore]);
  const writer = openMetaStore({ env, write: true });
  assert.deepEqual(writer.describe().map((l) => [l.role, l.readonly]), [['user', false], ['shipped', true]]);
  writer.addTask(makeTask('mine'));
  writer.close();
  assert.equal(sha256(shipped), shippedBefore);
  assert.equal(existsSync(`${shipped}-wal`), false);
}));

test('files that are not a metatune database are refused by name with what was expected', () => withDir((dir) => {
  const csv = join(dir, 'data.csv');
  writeFileSync(csv, 'a,b\n1,2\n');
  assertStoreError(() => openMetaStore({ db: csv }), csv, /not a metatune database: the file is not SQLite \(it starts with 'a,b\\x0a1,2\\x0a'\)/);
  assertStoreError(() => openMetaStore({ db: csv, write: true }), csv, /the file is not SQLite/);
  assert.equal(readFileSync(csv, 'utf8'), 'a,b\n1,2\n');
  assertStoreError(() => openMetaStore({ db: dir }), dir, /is a directory; expected a metatune SQLite database file/);
  assertStoreError(() => openMetaStore({ db: '/dev/null' }), '/dev/null', /not a regular file/);
  assertStoreError(() => openMetaStore({ db: '/dev/null', write: true }), '/dev/null', /not a regular file/);
  const empty = join(dir, 'empty.sqlite');
  writeFileSync(empty, '');
  assertStoreError(() => openMetaStore({ db: empty }), empty, /the file is empty \(0 bytes\)/);
  const foreign = join(dir, 'foreign.sqlite');
  const db = new Database(foreign);
  db.exec('CREATE TABLE invoices (id INTEGER); CREATE TABLE customers (name TEXT)');
  db.close();
  assertStoreError(() => openMetaStore({ db: foreign }), foreign, /another application \(tables customers, invoices, no schema_version\)/);
  assertStoreError(() => openMetaStore({ db: foreign, write: true }), foreign, /another application/);
}));

test('an empty file given to a writing command becomes a new store', () => withDir((dir) => {
  const empty = join(dir, 'touched.sqlite');
  writeFileSync(empty, '');
  const store = openMetaStore({ db: empty, write: true });
  store.addTask(makeTask('iris'));
  store.close();
  assert.equal(openMetaStore({ db: empty }).listTasks().length, 1);
}));

test('a truncated or corrupt database is a StoreError, at open or at the first read of a bad page', () => withDir((dir) => {
  const path = makeStore(dir);
  const size = statSync(path).size;
  const truncated = join(dir, 'truncated.sqlite');
  writeFileSync(truncated, readFileSync(path).subarray(0, Math.floor(size / 2)));
  assertStoreError(() => openMetaStore({ db: truncated }), truncated, /the database is truncated: its header declares \d+ pages/);
  const stub = join(dir, 'stub.sqlite');
  writeFileSync(stub, readFileSync(path).subarray(0, 50));
  assertStoreError(() => openMetaStore({ db: stub }), stub, /truncated: 50 bytes, shorter than the SQLite header/);
  const corrupt = join(dir, 'corrupt.sqlite');
  writeFileSync(corrupt, readFileSync(path));
  const fd = openSync(corrupt, 'r+');
  writeSync(fd, Buffer.alloc(size - 2 * 16_384, 0xa5), 0, size - 2 * 16_384, 16_384);
  closeSync(fd);
  assertStoreError(() => {
    const store = openMetaStore({ db: corrupt });
    try {
      store.listEvaluations();
    } finally {
      store.close();
    }
  }, corrupt, /the database is truncated or corrupt|not a metatune database/);
  truncateSync(path, size + 1000);
  assert.equal(openMetaStore({ db: path }).listTasks().length, 40, 'a longer file is not truncated');
}));

test('a database from a newer metatune is refused with the fix, read-only or not, and left as it was', () => withDir((dir) => {
  const path = makeStore(dir, 'future.sqlite', 1);
  const db = new Database(path);
  db.prepare('UPDATE schema_version SET version = 99').run();
  db.close();
  const before = sha256(path);
  assertStoreError(() => openMetaStore({ db: path }), path, /schema version 99, written by a newer metatune/);
  assertStoreError(() => openMetaStore({ db: path, write: true }), path, /schema version 99/);
  assert.equal(sha256(path), before);
  const odd = new Database(path);
  odd.prepare("UPDATE schema_version SET version = 'two'").run();
  odd.close();
  assertStoreError(() => openMetaStore({ db: path }), path, /schema version "two" is not a positive integer/);
}));

test('a file whose schema version promises tables it lacks is a StoreError at the first read', () => withDir((dir) => {
  const path = join(dir, 'hollow.sqlite');
  const db = new Database(path);
  db.exec(`CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER, updated_at TEXT); INSERT INTO schema_version VALUES (1, ${CURRENT_SCHEMA_VERSION}, 'x')`);
  db.close();
  assertStoreError(() => {
    const store = openMetaStore({ db: path });
    try {
      store.listTasks();
    } finally {
      store.close();
    }
  }, path, /not a metatune database, or a damaged one: no such table: tasks/);
}));

test('METATUNE_HOME under a dangling symbolic link, or on a file, is refused by name', () => withDir((dir) => {
  const link = join(dir, 'home-link');
  symlinkSync(join(dir, 'gone'), link);
  for (const write of [false, true]) {
    assertStoreError(() => openMetaStore({ env: { METATUNE_HOME: link, METATUNE_SHIPPED_DB: 'none' }, write }), link,
      /METATUNE_HOME points at a missing directory: it is a symbolic link to .*gone, which does not exist/);
  }
  const below = join(link, 'sub');
  assertStoreError(() => openMetaStore({ env: { METATUNE_HOME: below, METATUNE_SHIPPED_DB: 'none' }, write: true }), below,
    /home-link is a symbolic link to .*gone/);
  const file = join(dir, 'file');
  writeFileSync(file, 'x');
  assertStoreError(() => openMetaStore({ env: { METATUNE_HOME: file, METATUNE_SHIPPED_DB: 'none' } }), file, /is a file, not a directory/);
  assert.equal(existsSync(join(dir, 'gone')), false);
}));

test('a write blocked by another writer past the busy timeout is a StoreError naming the file', () => withDir((dir) => {
  const path = makeStore(dir, 'busy.sqlite', 1);
  const wal = join(dir, 'busy-wal.sqlite');
  SqliteMetaStore.open(wal).close();
  const walHolder = new Database(wal);
  walHolder.exec('BEGIN IMMEDIATE');
  const holder = new Database(path);
  holder.exec('BEGIN IMMEDIATE');
  const saved = process.env.METATUNE_BUSY_TIMEOUT_MS;
  process.env.METATUNE_BUSY_TIMEOUT_MS = '50';
  try {
    assert.equal(busyTimeoutMs(), 50);
    assertStoreError(() => {
      const store = openMetaStore({ db: path, write: true });
      try {
        store.addTask(makeTask('late'));
      } finally {
        store.close();
      }
    }, path, /locked by another process .* busy timeout \(50 ms/);
    const store = openMetaStore({ db: wal, write: true });
    try {
      assertStoreError(() => store.addTask(makeTask('late')), wal, /locked by another process/);
    } finally {
      store.close();
    }
  } finally {
    walHolder.exec('ROLLBACK');
    walHolder.close();
    if (saved === undefined) delete process.env.METATUNE_BUSY_TIMEOUT_MS;
    else process.env.METATUNE_BUSY_TIMEOUT_MS = saved;
    holder.exec('ROLLBACK');
    holder.close();
  }
}));

test('translateSqliteError keeps errors that are not the user\'s', () => {
  const bug = new TypeError('x is undefined');
  assert.equal(translateSqliteError(bug, 'a.sqlite'), bug);
  const constraint = Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
  assert.equal(translateSqliteError(constraint, 'a.sqlite'), constraint);
  const readonly = Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
  assert.ok(translateSqliteError(readonly, 'a.sqlite') instanceof StoreError);
});
