
/**
 * Where a migration runs its DDL: a better-sqlite3 `Database`, or the PostgreSQL store's
 * connection, which translates the SQLite DDL to PostgreSQL's types (`postgres/dialect.ts`), so
 * both backends run the same numbered migrations.
 */
export interface SchemaExecutor {
  exec(sql: string): unknown;
}

/**
 * One numbered schema change. Migrations run in order, each exactly once, inside the upgrade's
 * transaction; a released migration is never edited (add a new one instead), because fixture
 * databases of every old version are upgraded through it in the tests.
 */
export interface Migration {
  /** The schema version this migration produces: 1, 2, 3... */
  readonly version: number;
  /** What it changes, in a few words. */
  readonly description: string;
  /** Applies the change. */
  up(db: SchemaExecutor): void;
}
