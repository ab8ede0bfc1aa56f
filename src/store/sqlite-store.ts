/**
 * The SQLite backend of {@link MetaStore}, on better-sqlite3: WAL journal, a 10 s busy timeout and
 * foreign keys. Every write runs in an IMMEDIATE transaction (a nested one joins the outer
 * transaction as a savepoint), so concurrent writers queue on the busy timeout instead of failing.
 */
import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { StoreError } from '../errors.ts';
import { CURRENT_SCHEMA_VERSION } from './migrations/index.ts';
import { openDatabase } from './schema.ts';
import { translateSqliteError } from './sqlite-file.ts';
import { SqlMetaStore } from './sql-store.ts';
import { forgetStudyIds } from './sqlite/study-ids.ts';
import type { StoreLocation } from './types.ts';

export interface SqliteStoreOptions {
  /**
   * Open read-only: the shipped database always, any database a command only reads. The file must
   * exist and is neither written nor switched to WAL; writes through this store throw StoreError.
   */
  readonly readonly?: boolean;
  /** How `describe()` labels this database. */
  readonly role?: StoreLocation['role'];
}

/** A {@link MetaStore} in one SQLite file (or ':memory:'). */
export class SqliteMetaStore extends SqlMetaStore {
  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly options: SqliteStoreOptions,
  ) {
    super(db);
  }

  /**
   * Opens (creating when missing, unless read-only) a store file.
   * @param path - the SQLite file, or ':memory:'
   * @throws StoreError when the file is not a store or its schema is not this code's (run `metatune db upgrade`)
   */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteMetaStore {
    return new SqliteMetaStore(openDatabase(path, { readonly: options.readonly }), path, options);
  }

  describe(): readonly StoreLocation[] {
    return [{
      path: this.path,
      role: this.options.role ?? 'single',
      readonly: this.options.readonly === true,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      sizeBytes: this.path === ':memory:' ? 0 : fileSize(this.path) + fileSize(`${this.path}-wal`),
    }];
  }

  protected write<T>(work: () => T): T {
    if (this.options.readonly === true) {
      throw new StoreError('this database was opened read-only (the shipped database, or a command that only reads); write to a user database', { file: this.path });
    }
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      forgetStudyIds(this.db);
      throw translateSqliteError(error, this.path);
    }
  }

  /** Runs a read, turning SQLite failures the user can fix (a corrupt page, a lock) into StoreError. */
  protected read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw translateSqliteError(error, this.path);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
