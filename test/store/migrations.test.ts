import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from '../../src/errors.ts';
import { CURRENT_SCHEMA_VERSION } from '../../src/store/migrations/index.ts';
import { prepareForShipping, upgradeStore } from '../../src/store/schema.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';

const fixtureV1 = fileURLToPath(new URL('../fixtures/store/v1.sqlite', import.meta.url));

function withCopy(fn: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-migrate-'));
  try {
    const path = join(dir, 'store.sqlite');
    copyFileSync(fixtureV1, path);
    fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a version-1 store is refused with the fix, and left untouched', () => withCopy((path) => {
  const before = readFileSync(path);
  assert.throws(() => SqliteMetaStore.open(path), (error: unknown) => {
    assert.ok(error instanceof StoreError);
    assert.match(error.message, new RegExp(`schema version 1 but this metatune needs version ${CURRENT_SCHEMA_VERSION}; run \`metatune db upgrade --db `));
    return true;
  });
  assert.throws(() => SqliteMetaStore.open(path, { readonly: true }), /metatune db upgrade/);
  assert.deepEqual(readFileSync(path), before);
}));

test('db upgrade migrates a version-1 store and keeps every record', () => withCopy((path) => {
  const result = upgradeStore(path);
  assert.equal(result.from, 1);
  assert.equal(result.to, CURRENT_SCHEMA_VERSION);
  assert.deepEqual(result.applied.map((m) => m.version), [2, 3]);
  assert.deepEqual(upgradeStore(path).applied, []);
  const store = SqliteMetaStore.open(path);
  try {
    assert.deepEqual(store.listTasks().map((t) => t.name), ['iris']);
    assert.deepEqual(store.getMetaFeatures('iris')?.values, { NumberOfFeatures: 4, NumberOfInstances: 150, PCAKurtosisFirstPC: null });
    const evaluations = store.listEvaluations({ task: 'iris' });
    assert.deepEqual(evaluations.map((e) => [e.status, e.primaryScore]), [['ok', 0.9], ['failed', null]]);
    assert.deepEqual(evaluations[1].curve, [0.4, null]);
    assert.deepEqual(store.listConfigurations('mlp').map((c) => c.origin), [null, null]);
    assert.deepEqual(store.listTrials('search-1')[0].intermediate, [0.5, 0.9]);
    assert.deepEqual(store.getMetaModel('knn')?.weights, new Uint8Array([1, 2, 3]));
    assert.equal(store.listProvenance().length, 1);
    // The column that migration 002 added is writable.
    store.addConfigurations([{ space: 'mlp', hash: '00000000000000a1', config: { units: 16 }, origin: 'default' }]);
    assert.equal(store.listConfigurations('mlp')[0].origin, 'default');
    // The tables that migration 003 added (trial leases, the study queue) are writable.
    store.enqueueTrial('search-1', { configHash: '00000000000000a2', config: { units: 32 }, origin: 'enqueued' });
    assert.deepEqual(store.listQueue('search-1').map((q) => q.origin), ['enqueued']);
    assert.deepEqual(store.listTrialLeases('search-1'), []);
  } finally {
    store.close();
  }
  const db = new Database(path, { readonly: true });
  const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
  db.close();
  assert.deepEqual(indexes.map((i) => i.name), ['evaluations_by_configuration', 'meta_features_by_name', 'trial_leases_by_owner', 'trial_queue_by_study']);
}));

test('a store from a newer metatune is refused, by open and by upgrade', () => withCopy((path) => {
  const db = new Database(path);
  db.prepare('UPDATE schema_version SET version = 99').run();
  db.close();
  assert.throws(() => SqliteMetaStore.open(path), /schema version 99, written by a newer metatune/);
  assert.throws(() => upgradeStore(path), StoreError);
}));

test('a SQLite file that is not a store is refused; a missing file cannot be upgraded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-migrate-'));
  try {
    const path = join(dir, 'other.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE people (name TEXT)');
    db.close();
    assert.throws(() => SqliteMetaStore.open(path), /not a metatune database: an SQLite database of another application \(tables people/);
    assert.throws(() => upgradeStore(join(dir, 'missing.sqlite')), /no database at this path/);
    assert.throws(() => SqliteMetaStore.open(join(dir, 'missing.sqlite'), { readonly: true }), StoreError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('prepareForShipping leaves one file in rollback-journal mode that opens read-only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-ship-'));
  try {
    const path = join(dir, 'metatune.sqlite');
    const store = SqliteMetaStore.open(path);
    store.addSearchSpace({ name: 'mlp', version: 1, definition: {} });
    store.close();
    const size = prepareForShipping(path);
    assert.ok(size > 0);
    assert.equal(existsSync(`${path}-wal`), false);
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'delete');
    db.close();
    const shipped = SqliteMetaStore.open(path, { readonly: true, role: 'shipped' });
    assert.equal(shipped.listSearchSpaces().length, 1);
    assert.throws(() => shipped.addSearchSpace({ name: 'x', version: 1, definition: {} }), /read-only/);
    shipped.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a migration that fails rolls the whole upgrade back', () => withCopy((path) => {
  const db = new Database(path);
  // Migration 002 creates this index; an index of the same name makes it fail after its ALTER TABLE.
  db.exec('CREATE INDEX meta_features_by_name ON meta_features(name)');
  db.close();
  assert.throws(() => upgradeStore(path), /migration 2 \(.*\) failed: .*already exists; the database is unchanged/);
  const after = new Database(path, { readonly: true });
  const columns = after.prepare<[], { name: string }>('PRAGMA table_info(configurations)').all().map((c) => c.name);
  const version = after.prepare<[], { version: number }>('SELECT version FROM schema_version').get()?.version;
  after.close();
  assert.equal(version, 1);
  assert.equal(columns.includes('origin'), false);
}));
