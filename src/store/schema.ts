/**
 * Opening SQLite databases and keeping their schema in step with the code: a new file gets the
 * current schema, an older schema is refused with the fix (`metatune db upgrade`), a newer one is
 * refused too, and {@link upgradeStore} applies pending migrations in one transaction.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { SetupError, StoreError } from '../errors.ts';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS } from './migrations/index.ts';
import { nowIso } from './canonical.ts';
import { busyTimeoutMs, checkDatabaseFile, translateSqliteError } from './sqlite-file.ts';

export { BUSY_TIMEOUT_MS, busyTimeoutMs } from './sqlite-file.ts';

/** Page size of new databases. */
export const PAGE_SIZE = 16_384;

export interface OpenDatabaseOptions {
  /**
   * Open read-only (SQLite's `SQLITE_OPEN_READONLY`): the file must exist, and nothing in it is
   * created or changed, not even its journal mode, so a read works on a file the user cannot write
   * and leaves its bytes as they were.
   */
  readonly readonly?: boolean;
}

/**
 * Opens a database file (or ':memory:') with a busy timeout and foreign keys; read-write, it
 * creates the current schema in a new, empty database and switches the file to WAL.
 * @param path - the file; created when missing unless read-only
 * @returns the open connection, its schema current
 * @throws StoreError when the file cannot be opened, is not a metatune store (not SQLite, empty,
 *   truncated, another application's), has another schema version, or stays locked past the busy timeout
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database.Database {
  const readonly = options.readonly === true;
  const db = connect(path, readonly);
  try {
    ensureCurrentSchema(db, path, readonly);
    if (!readonly) useWriteAheadLog(db, path);
    return db;
  } catch (error) {
    db.close();
    throw translateSqliteError(error, path);
  }
}

/**
 * better-sqlite3's native module is missing or built for another Node.js: most often npm 12 (or
 * `--ignore-scripts`) skipped its build script, which installs must approve.
 */
function missingDriver(error: unknown): SetupError {
  return new SetupError(
    "better-sqlite3's native module is not built for this Node.js (its install script did not run: npm 12 runs a " +
      "dependency's install script only once approved). Fix: in your project run 'npm install-scripts approve better-sqlite3' " +
      "then 'npm rebuild better-sqlite3' (global install: 'npm install -g --allow-scripts=better-sqlite3 metatune')",
    { cause: error },
  );
}

/**
 * Opens a connection with a busy timeout and foreign keys, and no schema check. The path is
 * checked first ({@link checkDatabaseFile}), so that a directory, a device or a CSV is refused by name.
 * @throws StoreError when the file cannot be opened, does not exist (read-only) or is no SQLite database
 */
export function connect(path: string, readonly: boolean): Database.Database {
  if (!checkDatabaseFile(path, readonly) && readonly) {
    throw new StoreError('no database at this path', { file: path });
  }
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: busyTimeoutMs() });
  } catch (error) {
    if (/bindings file|better_sqlite3\.node|NODE_MODULE_VERSION/.test(messageOf(error))) throw missingDriver(error);
    const translated = translateSqliteError(error, path);
    if (translated !== error) throw translated;
    throw new StoreError(`cannot open the database: ${messageOf(error)}`, { file: path }, { cause: error });
  }
  db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
  db.pragma('foreign_keys = ON');
  return db;
}

/**
 * Switches a file database to write-ahead logging, so readers never block the writer, with
 * `synchronous = NORMAL` (a crashed or killed process loses no committed transaction). Done only
 * after the schema check, so that refusing an old store leaves its file untouched.
 */
function useWriteAheadLog(db: Database.Database, path: string): void {
  if (path === ':memory:') return;
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}

/**
 * Reads the schema version: 0 for an empty database.
 * @throws StoreError when the database has tables but is not a metatune store
 */
export function readSchemaVersion(db: Database.Database, path: string): number {
  const hasVersion = db
    .prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .get();
  if (hasVersion === undefined || hasVersion.n === 0) {
    const tables = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get();
    if (tables !== undefined && tables.n > 0) {
      throw new StoreError(`not a metatune database: an SQLite database of another application (tables ${tableNames(db)}, no schema_version)`, { file: path });
    }
    return 0;
  }
  const row = db.prepare<[], { version: unknown }>('SELECT version FROM schema_version WHERE id = 1').get();
  if (row === undefined) throw new StoreError('not a metatune database: its schema_version table is empty', { file: path });
  if (typeof row.version !== 'number' || !Number.isSafeInteger(row.version) || row.version < 1) {
    throw new StoreError(`not a metatune database: schema version ${JSON.stringify(row.version)} is not a positive integer`, { file: path });
  }
  return row.version;
}

/** @returns the first few table names of a database, for a message */
function tableNames(db: Database.Database): string {
  const names = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name LIMIT 6").all().map((r) => r.name);
  return names.length > 5 ? `${names.slice(0, 5).join(', ')}, ...` : names.join(', ');
}

function ensureCurrentSchema(db: Database.Database, path: string, readonly: boolean): void {
  const version = readSchemaVersion(db, path);
  if (version === 0) {
    if (readonly) throw new StoreError('the database is empty (no metatune schema)', { file: path });
    // Rows carry learning curves of a kilobyte or two: 16 KiB pages pack them without the half-empty
    // pages 4 KiB gives. The page size is fixed when the first table is created.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.transaction(() => {
      if (readSchemaVersion(db, path) === 0) applyMigrations(db, 0);
    }).immediate();
    return;
  }
  checkVersion(version, path);
}

/**
 * Refuses a schema version other than the code's.
 * @param upgrade - the command that upgrades this store (named in the message)
 * @throws StoreError naming the fix: `metatune db upgrade` for an older schema, a newer metatune for a newer one
 */
export function checkVersion(version: number, path: string, upgrade = `metatune db upgrade --db ${path}`): void {
  if (version < CURRENT_SCHEMA_VERSION) {
    throw new StoreError(
      `the store has schema version ${version} but this metatune needs version ${CURRENT_SCHEMA_VERSION}; ` +
        `run \`${upgrade}\` to upgrade it`,
      { file: path },
    );
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    throw new StoreError(
      `the store has schema version ${version}, written by a newer metatune; this one reads version ` +
        `${CURRENT_SCHEMA_VERSION}: upgrade metatune (npm install metatune@latest)`,
      { file: path },
    );
  }
}

/**
 * Runs the migrations after `from` (inside the caller's transaction).
 * @throws StoreError naming the migration that failed; the transaction then rolls back
 */
function applyMigrations(db: Database.Database, from: number): void {
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue;
    try {
      migration.up(db);
    } catch (error) {
      throw new StoreError(
        `migration ${migration.version} (${migration.description}) failed: ${messageOf(error)}; the database is unchanged`,
        { file: db.name },
        { cause: error },
      );
    }
  }
  db.prepare(
    `INSERT INTO schema_version (id, version, updated_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
  ).run(CURRENT_SCHEMA_VERSION, nowIso());
}

/** What an upgrade did. */
export interface UpgradeResult {
  readonly path: string;
  readonly from: number;
  readonly to: number;
  /** The migrations applied, in order. */
  readonly applied: readonly { readonly version: number; readonly description: string }[];
}

/**
 * Applies every pending migration to a store file, all in one transaction: either the schema ends
 * current or the file is left as it was.
 * @param path - an existing store file
 * @returns the versions before and after, and what was applied
 * @throws StoreError when the file does not exist, is not a store, or is newer than this code
 */
export function upgradeStore(path: string): UpgradeResult {
  if (!checkDatabaseFile(path, true)) throw new StoreError('no database at this path', { file: path });
  const db = connect(path, false);
  try {
    return db.transaction((): UpgradeResult => {
      const from = readSchemaVersion(db, path);
      if (from > CURRENT_SCHEMA_VERSION) checkVersion(from, path);
      const applied = MIGRATIONS.filter((m) => m.version > from).map((m) => ({ version: m.version, description: m.description }));
      if (applied.length > 0) applyMigrations(db, from);
      return { path, from, to: CURRENT_SCHEMA_VERSION, applied };
    }).immediate();
  } catch (error) {
    throw translateSqliteError(error, path);
  } finally {
    db.close();
  }
}

/** @returns an error's message */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Prepares a finished store file to ship read-only (meta-db/metatune.sqlite): folds the
 * write-ahead log into the file, switches the journal back to DELETE (a read-only WAL database
 * needs a writable `-shm` file, which an installed package may not allow) and vacuums.
 * @param path - a store file no other process has open
 * @returns the file's size in bytes afterwards
 * @throws StoreError when the file is not a current store
 */
export function prepareForShipping(path: string): number {
  const db = openDatabase(path);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.exec('VACUUM');
  } finally {
    db.close();
  }
  return statSync(path).size;
}
