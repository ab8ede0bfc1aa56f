/**
 * The part of a database connection that the store's queries (`src/store/sqlite/*.ts`) use:
 * prepared statements with `?` placeholders that get one row, all rows or run. better-sqlite3's
 * `Database` is one; `PostgresSql` (`postgres/sql.ts`) is the other, translating each statement
 * to PostgreSQL's dialect once. So both backends run the same queries and the same rules
 * (validation, idempotent inserts, conflicts), and only the schema, transactions and locking
 * differ per backend.
 */

/** What a statement that writes reports. */
export interface SqlRunResult {
  /** Rows inserted, updated or deleted. */
  readonly changes: number;
  /** The `id` of the row an INSERT created (into a table with an integer `id`). */
  readonly lastInsertRowid: number | bigint;
}

/** A prepared statement. */
export interface SqlStatement<P extends unknown[], R> {
  get(...params: P): R | undefined;
  all(...params: P): R[];
  run(...params: P): SqlRunResult;
}

/** A connection the store's queries run on. */
export interface SqlConnection {
  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqlStatement<P, R>;
}
