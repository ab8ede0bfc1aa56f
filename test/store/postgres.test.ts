/**
 * The PostgreSQL backend against a real server (a throw-away cluster, `postgres-server.ts`): the
 * store contract over PostgreSQL alone and over PostgreSQL layered under the shipped SQLite
 * database, the schema (the same tables and columns as SQLite, created once by concurrent
 * openers, an old version refused with the fix and upgraded), and the failures a user can cause.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SetupError, StoreError } from '../../src/errors.ts';
import { LayeredMetaStore } from '../../src/store/layered-store.ts';
import { openMetaStore } from '../../src/store/locations.ts';
import { CURRENT_SCHEMA_VERSION } from '../../src/store/migrations/index.ts';
import { PostgresMetaStore } from '../../src/store/postgres-store.ts';
import { requireDriver, SyncPgConnection } from '../../src/store/postgres/sync-client.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { runStoreContract } from './contract.ts';
import { postgresMissing, startPostgres, type PostgresServer } from './postgres-server.ts';
import { makeEvaluation, makeTask } from './records.ts';

test('a postgresql:// store without the pg driver installed: SetupError naming npm install pg', () => {
  const notInstalled = (id: string): string => {
    throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
  };
  assert.throws(() => requireDriver(notInstalled), (error: unknown) => {
    assert.ok(error instanceof SetupError);
    assert.match(error.message, /needs the PostgreSQL driver 'pg', an optional dependency of metatune: run 'npm install pg'/);
    return true;
  });
  assert.match(requireDriver(), /node_modules\/pg\//);
});

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const missing = postgresMissing();
let server: PostgresServer | undefined;
let dir = '';

function pg(): PostgresServer {
  if (server === undefined) throw new Error('the PostgreSQL server did not start');
  return server;
}

if (missing !== false) {
  test('PostgreSQL store', (t) => t.skip(missing));
} else {
  before(async () => {
    server = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'metatune-pg-store-'));
  });
  after(() => {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  runStoreContract('postgresql', () => {
    const store = PostgresMetaStore.open(pg().createDatabase('contract'));
    return { store, dispose: () => store.close() };
  });

  runStoreContract('layered: postgresql user store over a shipped SQLite store', () => {
    const shippedPath = join(mkdtempSync(join(dir, 'shipped-')), 'shipped.sqlite');
    SqliteMetaStore.open(shippedPath).close();
    const shipped = SqliteMetaStore.open(shippedPath, { readonly: true, role: 'shipped' });
    const user = PostgresMetaStore.open(pg().createDatabase('layered'), { role: 'user' });
    const store = new LayeredMetaStore({ user, shipped });
    return { store, dispose: () => store.close() };
  });

  describe('PostgreSQL schema', () => {
    test('the same numbered migrations give the same tables and columns as SQLite', () => {
      const url = pg().createDatabase('parity');
      PostgresMetaStore.open(url).close();
      const sqlite = SqliteMetaStore.open(':memory:');
      sqlite.close();
      const db = new Database(':memory:');
      const reference = SqliteMetaStore.open(join(dir, 'parity.sqlite'));
      reference.close();
      const file = new Database(join(dir, 'parity.sqlite'), { readonly: true });
      const sqliteColumns = file
        .prepare<[], { t: string; c: string }>("SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY t, c")
        .all().map((r) => `${r.t}.${r.c}`);
      file.close();
      db.close();
      const connection = SyncPgConnection.open(url);
      const pgColumns = connection
        .query("SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' ORDER BY t, c")
        .rows.map((r) => `${String(r.t)}.${String(r.c)}`);
      const version = connection.query('SELECT version FROM schema_version').rows[0];
      connection.close();
      assert.deepEqual(pgColumns, sqliteColumns);
      assert.deepEqual(version, { version: CURRENT_SCHEMA_VERSION });
    });

    test('an old schema is refused with the fix (db upgrade --storage), then upgraded keeping every record', () => {
      const url = pg().createDatabase('old');
      const old = PostgresMetaStore.open(url, { createSchemaVersion: 2 });
      old.close();
      assert.throws(() => PostgresMetaStore.open(url), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.match(error.message, new RegExp(`schema version 2 but this metatune needs version ${CURRENT_SCHEMA_VERSION}; run \`metatune db upgrade --storage postgresql://metatune@127\\.0\\.0\\.1:\\d+/old_`));
        return true;
      });
      const upgraded = PostgresMetaStore.upgrade(url);
      assert.equal(upgraded.from, 2);
      assert.deepEqual(upgraded.applied.map((m) => m.version), [3]);
      const store = PostgresMetaStore.open(url);
      store.createStudy({ name: 's', direction: 'maximize', space: 'mlp', task: null, settings: {} });
      store.enqueueTrial('s', { configHash: 'h', config: { a: 1 }, origin: 'enqueued' });
      assert.equal(store.listQueue('s').length, 1);
      store.close();
      assert.deepEqual(PostgresMetaStore.upgrade(url).applied, []);
    });

    test('8 stores opening one empty database at once create its schema once', async () => {
      const url = pg().createDatabase('race');
      const { spawn } = await import('node:child_process');
      const script = `import { PostgresMetaStore } from ${JSON.stringify(new URL('../../src/store/postgres-store.ts', import.meta.url).href)};
        const s = PostgresMetaStore.open(process.argv[1]); s.addTask({ name: 't', source: 'x', contentHash: 'a'.repeat(64), nRows: 1, nFeatures: 1, taskType: 'regression', target: 'y', nClasses: null }); s.close();`;
      const codes = await Promise.all(Array.from({ length: 8 }, () => new Promise<[number | null, string]>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, url]);
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve([code, stderr]));
      })));
      for (const [code, stderr] of codes) assert.equal(code, 0, stderr);
      const store = PostgresMetaStore.open(url);
      assert.deepEqual(store.listTasks().map((t) => t.name), ['t']);
      store.close();
    });
  });

  describe('PostgreSQL as the store the CLI opens', () => {
    test('openMetaStore({ storage: postgresql://… }) layers the PostgreSQL user store over the shipped SQLite database', () => {
      const shippedPath = join(mkdtempSync(join(dir, 'ship-')), 'shipped.sqlite');
      const shippedWriter = SqliteMetaStore.open(shippedPath);
      shippedWriter.addTask(makeTask('iris'));
      shippedWriter.addEvaluations([makeEvaluation('iris', 0)]);
      shippedWriter.close();
      const url = pg().createDatabase('layers');
      const store = openMetaStore({ storage: url, write: true, env: { METATUNE_SHIPPED_DB: shippedPath } });
      try {
        assert.deepEqual(store.describe().map((l) => [l.role, l.readonly]), [['user', false], ['shipped', true]]);
        assert.equal(store.getTask('iris')?.name, 'iris', 'reads see the shipped database');
        assert.equal(store.addEvaluations([makeEvaluation('iris', 0), makeEvaluation('iris', 1)]).inserted, 1, 'the shipped evaluation is not copied');
      } finally {
        store.close();
      }
      const user = PostgresMetaStore.open(url, { readonly: true });
      assert.equal(user.listEvaluationScores().length, 1, 'the write went to PostgreSQL');
      assert.deepEqual(user.listTasks().map((t) => t.name), ['iris'], 'with the shipped task copied in');
      user.close();
    });

    test('metatune db upgrade --storage postgresql://… upgrades an old schema; db stats --storage reads it', () => {
      const url = pg().createDatabase('cli');
      PostgresMetaStore.open(url, { createSchemaVersion: 2 }).close();
      const env = { ...process.env, METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: 'none' };
      const refused = spawnSync(process.execPath, [bin, 'db', 'stats', '--storage', url], { encoding: 'utf8', env });
      assert.equal(refused.status, 2, refused.stderr);
      assert.match(refused.stderr, /schema version 2 but this metatune needs version \d+; run `metatune db upgrade --storage postgresql:/);
      const upgraded = spawnSync(process.execPath, [bin, 'db', 'upgrade', '--storage', url], { encoding: 'utf8', env });
      assert.equal(upgraded.status, 0, upgraded.stderr);
      assert.match(upgraded.stdout, /upgraded schema version 2 → \d+\n {2}3: trial leases/);
      const stats = spawnSync(process.execPath, [bin, 'db', 'stats', '--storage', url, '--json'], { encoding: 'utf8', env });
      assert.equal(stats.status, 0, stats.stderr);
      assert.match(stats.stdout, /postgresql:\/\/metatune@127\.0\.0\.1/);
    });
  });

  describe('PostgreSQL failures a user can fix', () => {
    test('an unreachable server, an unknown database, another application\'s tables: StoreError naming the URL without its password', () => {
      assert.throws(() => PostgresMetaStore.open('postgresql://metatune:secret@127.0.0.1:1/x'), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.match(error.message, /cannot use the PostgreSQL server: .*ECONNREFUSED/);
        assert.equal(error.location.file, 'postgresql://metatune:***@127.0.0.1:1/x');
        return true;
      });
      assert.throws(() => PostgresMetaStore.open(`postgresql://metatune@127.0.0.1:${pg().port}/no_such_db`), /cannot use the PostgreSQL server: database "no_such_db" does not exist/);
      const url = pg().createDatabase('foreign');
      const connection = SyncPgConnection.open(url);
      connection.query('CREATE TABLE accounts (id int)');
      connection.close();
      assert.throws(() => PostgresMetaStore.open(url), /not a metatune database: its schema holds tables of another application \(accounts\)/);
    });

    test('read-only: an empty database is refused, writes throw StoreError, reads work', () => {
      const url = pg().createDatabase('ro');
      assert.throws(() => PostgresMetaStore.open(url, { readonly: true }), /the database is empty/);
      const writer = PostgresMetaStore.open(url);
      writer.addTask(makeTask('iris'));
      writer.close();
      const reader = PostgresMetaStore.open(url, { readonly: true });
      assert.equal(reader.listTasks().length, 1);
      assert.throws(() => reader.addEvaluations([makeEvaluation('iris', 0)]), StoreError);
      assert.equal(reader.describe()[0].readonly, true);
      reader.close();
    });

    test('a write that waits on the write lock past the lock timeout fails with "database is busy"', () => {
      const url = pg().createDatabase('busy');
      const holder = PostgresMetaStore.open(url);
      holder.addTask(makeTask('iris'));
      const previous = process.env.METATUNE_BUSY_TIMEOUT_MS;
      process.env.METATUNE_BUSY_TIMEOUT_MS = '200';
      const waiter = PostgresMetaStore.open(url);
      if (previous === undefined) delete process.env.METATUNE_BUSY_TIMEOUT_MS;
      else process.env.METATUNE_BUSY_TIMEOUT_MS = previous;
      try {
        holder.batch(() => {
          holder.addEvaluations([makeEvaluation('iris', 0)]);
          assert.throws(() => waiter.addEvaluations([makeEvaluation('iris', 1)]), /database is busy/);
        });
        assert.equal(waiter.addEvaluations([makeEvaluation('iris', 1)]).inserted, 1, 'the lock is free again after the commit');
        assert.equal(waiter.listEvaluationScores().length, 2);
      } finally {
        holder.close();
        waiter.close();
      }
    });
  });
}
