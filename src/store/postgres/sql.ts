/**
 * The store's queries on PostgreSQL: a {@link SqlConnection} over a {@link SyncPgConnection},
 * each statement translated to PostgreSQL's dialect once (`dialect.ts`) and cached.
 */
import type { SqlConnection, SqlRunResult, SqlStatement } from '../sql-connection.ts';
import { toPostgresDdl, toPostgresStatement, type PgStatementText } from './dialect.ts';
import type { SyncPgConnection } from './sync-client.ts';

/** {@link SqlConnection} on PostgreSQL. */
export class PostgresSql implements SqlConnection {
  private readonly statements = new Map<string, PgStatementText>();

  /** @param connection - the open connection the statements run on */
  constructor(readonly connection: SyncPgConnection) {}

  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqlStatement<P, R> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = toPostgresStatement(sql);
      this.statements.set(sql, statement);
    }
    const { text, returnsId } = statement;
    const rows = (params: P): R[] => {
      // the rows are what the statement's own SELECT names: the caller's row type describes them
      const result: unknown[] = this.connection.query(text, params).rows;
      return result as R[];
    };
    return {
      get: (...params: P) => rows(params)[0],
      all: (...params: P) => rows(params),
      run: (...params: P): SqlRunResult => {
        const result = this.connection.query(text, params);
        const id = returnsId ? result.rows[0]?.id : undefined;
        return { changes: result.rowCount, lastInsertRowid: typeof id === 'number' ? id : 0 };
      },
    };
  }

  /** Runs a migration's SQLite DDL, translated (`SchemaExecutor` of the migrations). */
  exec(ddl: string): void {
    this.connection.query(toPostgresDdl(ddl));
  }
}
