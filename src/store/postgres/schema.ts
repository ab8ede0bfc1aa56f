/**
 * Keeping a PostgreSQL store's schema in step with the code, as `schema.ts` does for SQLite and
 * with the same numbered migrations (translated, `dialect.ts`): an empty database gets the current
 * schema, an older one is refused with the fix (`metatune db upgrade --storage URL`), a newer one
 * too, and {@link upgradePostgresSchema} applies pending migrations in one transaction. Creating
 * and upgrading hold the store's write lock, so that workers starting at once on an empty
 * database create its schema once.
 */
import { StoreError } from '../../errors.ts';
import { nowIso } from '../canonical.ts';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS } from '../migrations/index.ts';
import { checkVersion, messageOf, type UpgradeResult } from '../schema.ts';
import { PostgresSql } from './sql.ts';

/**
 * The key of the advisory lock every write transaction takes first (`pg_advisory_xact_lock`): one
 * writer at a time, as in SQLite, so the store's read-then-write rules (next trial number, exact
 * budget, the queue once) hold across processes and machines. ('mtun' in ASCII.)
 */
export const WRITE_LOCK_KEY = 0x6d74756e;

/** The statement that opens a write transaction: BEGIN and the write lock, one round trip. */
export const BEGIN_WRITE = `BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`;

/**
 * Reads the schema version: 0 for a database without tables in its current schema.
 * @throws StoreError when the schema holds tables but is not a metatune store
 */
export function readPostgresVersion(sql: PostgresSql, label: string): number {
  // One statement, so one snapshot: whether schema_version exists and which tables there are are
  // read at the same instant, never across another opener's commit of the schema. pg_tables, not
  // to_regclass: a catalog scan sees a table just committed, where the relation cache may lag.
  const found = sql.prepare<[], { present: boolean; tables: string[] }>(
    `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_version') AS present,
       ARRAY(SELECT tablename::text FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename LIMIT 6) AS tables`,
  ).get();
  if (found?.present !== true) {
    const tables = found?.tables ?? [];
    if (tables.length > 0) {
      throw new StoreError(`not a metatune database: its schema holds tables of another application (${tables.join(', ')}), no schema_version`, { file: label });
    }
    return 0;
  }
  const row = sql.prepare<[], { version: number }>('SELECT version FROM schema_version WHERE id = 1').get();
  if (row === undefined) throw new StoreError('not a metatune database: its schema_version table is empty', { file: label });
  return row.version;
}

/** Runs the migrations after `from` and records the version (inside the caller's transaction). */
function applyMigrations(sql: PostgresSql, from: number, label: string, to: number = CURRENT_SCHEMA_VERSION): void {
  for (const migration of MIGRATIONS) {
    if (migration.version <= from || migration.version > to) continue;
    try {
      migration.up(sql);
    } catch (error) {
      throw new StoreError(`migration ${migration.version} (${migration.description}) failed: ${messageOf(error)}; the database is unchanged`, { file: label }, { cause: error });
    }
  }
  sql.prepare(
    `INSERT INTO schema_version (id, version, updated_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
  ).run(to, nowIso());
}

/** Runs `work` in a write transaction holding the store's write lock. */
function locked<T>(sql: PostgresSql, work: () => T): T {
  sql.connection.query(BEGIN_WRITE);
  try {
    const result = work();
    sql.connection.query('COMMIT');
    return result;
  } catch (error) {
    sql.connection.query('ROLLBACK');
    throw error;
  }
}

/**
 * Creates the current schema in an empty database, else checks the version.
 * @param sql - the store's connection
 * @param label - the server's redacted URL, for messages
 * @param readonly - whether the store only reads (an empty database is then an error)
 * @param toVersion - tests only: create an old schema (a fixture to upgrade)
 * @throws StoreError for another application's tables, an empty database read-only, or another schema version
 */
export function ensurePostgresSchema(sql: PostgresSql, label: string, readonly: boolean, toVersion?: number): void {
  const version = readPostgresVersion(sql, label);
  if (version === 0) {
    if (readonly) throw new StoreError('the database is empty (no metatune schema)', { file: label });
    locked(sql, () => {
      if (readPostgresVersion(sql, label) === 0) applyMigrations(sql, 0, label, toVersion);
    });
    if (toVersion !== undefined) return;
    checkVersion(readPostgresVersion(sql, label), label, `metatune db upgrade --storage ${label}`);
    return;
  }
  checkVersion(version, label, `metatune db upgrade --storage ${label}`);
}

/**
 * Applies every pending migration, in one transaction holding the write lock.
 * @returns the versions before and after, and what was applied
 * @throws StoreError for an empty database or one newer than this code
 */
export function upgradePostgresSchema(sql: PostgresSql, label: string): UpgradeResult {
  return locked(sql, () => {
    const from = readPostgresVersion(sql, label);
    if (from === 0) throw new StoreError('the database is empty: nothing to upgrade (any metatune command that writes creates the schema)', { file: label });
    if (from > CURRENT_SCHEMA_VERSION) checkVersion(from, label);
    const applied = MIGRATIONS.filter((m) => m.version > from).map((m) => ({ version: m.version, description: m.description }));
    if (applied.length > 0) applyMigrations(sql, from, label);
    return { path: label, from, to: CURRENT_SCHEMA_VERSION, applied };
  });
}
