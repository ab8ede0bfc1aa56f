/**
 * The PostgreSQL backend of {@link MetaStore}, for a store that many processes on many machines
 * share: the same queries (`sqlite/*.ts` through {@link PostgresSql}) and the same numbered
 * migrations as SQLite. Every write transaction first takes one advisory lock
 * (`pg_advisory_xact_lock`), as SQLite's BEGIN IMMEDIATE takes the database's write lock: writers
 * queue (up to the lock timeout, `METATUNE_BUSY_TIMEOUT_MS`, default 10 s) and each sees every
 * write committed before it (READ COMMITTED), so the next trial number, the exact budget and the
 * queue consumed once hold across machines. Readers never wait. A nested `batch` is a savepoint.
 * A killed process's connection drops and its transaction rolls back, releasing the lock.
 *
 * The interface is synchronous and the driver (`pg`, an optional dependency) asynchronous: it runs
 * in a worker thread (`postgres/sync-client.ts`).
 */
import { StoreError } from '../errors.ts';
import { CURRENT_SCHEMA_VERSION } from './migrations/index.ts';
import { translatePgError, redactUrl } from './postgres/errors.ts';
import { BEGIN_WRITE, ensurePostgresSchema, upgradePostgresSchema } from './postgres/schema.ts';
import { PostgresSql } from './postgres/sql.ts';
import { SyncPgConnection } from './postgres/sync-client.ts';
import type { UpgradeResult } from './schema.ts';
import { busyTimeoutMs } from './sqlite-file.ts';
import { SqlMetaStore } from './sql-store.ts';
import { forgetStudyIds } from './sqlite/study-ids.ts';
import type { StoreLocation } from './types.ts';

export interface PostgresStoreOptions {
  /** Open read-only: the schema must exist; every transaction is READ ONLY and writes throw StoreError. */
  readonly readonly?: boolean;
  /** How `describe()` labels this database. */
  readonly role?: StoreLocation['role'];
  /** Tests only: create this old schema version in an empty database instead of the current one. */
  readonly createSchemaVersion?: number;
}

/** How long a transaction may sit idle (its process stopped between statements, or lost the network) before the server ends it. */
const IDLE_IN_TRANSACTION_MS = 600_000;

/**
 * @returns the connection's session settings: the lock timeout (how long a writer queues), the idle-transaction guard, read-only
 */
function sessionSetup(readonly: boolean): string[] {
  return [
    `SET lock_timeout = ${busyTimeoutMs()}`,
    `SET idle_in_transaction_session_timeout = ${IDLE_IN_TRANSACTION_MS}`,
    ...(readonly ? ['SET default_transaction_read_only = on'] : []),
  ];
}

/** Opens a connection, turning a refused or unreachable server into StoreError. */
function connect(url: string, label: string, readonly: boolean): SyncPgConnection {
  try {
    return SyncPgConnection.open(url, { setup: sessionSetup(readonly) });
  } catch (error) {
    throw translatePgError(error, label);
  }
}

/** A {@link MetaStore} in a PostgreSQL database. */
export class PostgresMetaStore extends SqlMetaStore {
  /** Open transactions: 0 none, 1 the outer one, more: savepoints. */
  private depth = 0;

  private constructor(
    private readonly pg: PostgresSql,
    private readonly label: string,
    private readonly options: PostgresStoreOptions,
  ) {
    super(pg);
  }

  /**
   * Connects to a database and creates the schema when it has none (unless read-only).
   * @param url - `postgresql://user:password@host:port/database` (libpq's connection URI)
   * @throws SetupError when the `pg` driver is not installed
   * @throws StoreError when the server cannot be reached or refuses the login, or the database is
   *   not a metatune store or has another schema version (run `metatune db upgrade --storage URL`)
   */
  static open(url: string, options: PostgresStoreOptions = {}): PostgresMetaStore {
    const label = redactUrl(url);
    const readonly = options.readonly === true;
    const connection = connect(url, label, readonly);
    const sql = new PostgresSql(connection);
    try {
      ensurePostgresSchema(sql, label, readonly, options.createSchemaVersion);
    } catch (error) {
      connection.close();
      throw translatePgError(error, label);
    }
    return new PostgresMetaStore(sql, label, options);
  }

  /**
   * Applies pending migrations to the database at `url`.
   * @returns the versions before and after
   * @throws StoreError for an unreachable server, an empty database or one newer than this metatune
   */
  static upgrade(url: string): UpgradeResult {
    const label = redactUrl(url);
    const connection = connect(url, label, false);
    try {
      return upgradePostgresSchema(new PostgresSql(connection), label);
    } catch (error) {
      throw translatePgError(error, label);
    } finally {
      connection.close();
    }
  }

  describe(): readonly StoreLocation[] {
    const size = this.read(() => this.pg.prepare<[], { bytes: number }>('SELECT pg_database_size(current_database()) AS bytes').get());
    return [{
      path: this.label,
      role: this.options.role ?? 'single',
      readonly: this.options.readonly === true,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      sizeBytes: size?.bytes ?? 0,
    }];
  }

  protected write<T>(work: () => T): T {
    if (this.options.readonly === true) {
      throw new StoreError('this database was opened read-only (a command that only reads); run a command that writes', { file: this.label });
    }
    return this.depth > 0 ? this.savepoint(work) : this.transaction(work);
  }

  /** The outer transaction: BEGIN with the write lock, COMMIT, or ROLLBACK when `work` throws. */
  private transaction<T>(work: () => T): T {
    const connection = this.pg.connection;
    this.depth = 1;
    try {
      connection.query(BEGIN_WRITE);
      const result = work();
      connection.query('COMMIT');
      return result;
    } catch (error) {
      forgetStudyIds(this.pg);
      try {
        connection.query('ROLLBACK');
      } catch {
        // the connection is gone: the server rolled the transaction back
      }
      throw translatePgError(error, this.label);
    } finally {
      this.depth = 0;
    }
  }

  /**
   * A nested write: a savepoint, rolled back alone when `work` throws. The SAVEPOINT is sent
   * without waiting (it runs before the next statement) and never released (COMMIT releases it;
   * a later savepoint of the same name shadows it): a nested write costs no round trip of its own.
   */
  private savepoint<T>(work: () => T): T {
    const connection = this.pg.connection;
    const name = `metatune_${this.depth}`;
    connection.send(`SAVEPOINT ${name}`);
    this.depth++;
    try {
      return work();
    } catch (error) {
      forgetStudyIds(this.pg);
      connection.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    } finally {
      this.depth--;
    }
  }

  protected read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw translatePgError(error, this.label);
    }
  }

  close(): void {
    this.pg.connection.close();
  }
}
