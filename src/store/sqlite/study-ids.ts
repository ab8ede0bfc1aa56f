/**
 * Row ids of studies by name, remembered per connection: every trial operation names its study,
 * and on a server each lookup is a round trip. A study's id never changes (the store has no way to
 * delete or rename a study), so an id once read stays right — unless the transaction that created
 * the study rolls back: the stores call {@link forgetStudyIds} whenever a write fails.
 */
import { StoreError } from '../../errors.ts';
import type { SqlConnection } from '../sql-connection.ts';

const known = new WeakMap<SqlConnection, Map<string, number>>();

/**
 * @returns the row id of the study
 * @throws StoreError for an unknown study
 */
export function studyId(db: SqlConnection, name: string): number {
  let ids = known.get(db);
  const cached = ids?.get(name);
  if (cached !== undefined) return cached;
  const row = db.prepare<[string], { id: number }>('SELECT id FROM studies WHERE name = ?').get(name);
  if (row === undefined) throw new StoreError(`unknown study '${name}'`);
  if (ids === undefined) {
    ids = new Map();
    known.set(db, ids);
  }
  ids.set(name, row.id);
  return row.id;
}

/** Forgets the ids read on a connection (a write on it failed and rolled back). */
export function forgetStudyIds(db: SqlConnection): void {
  known.delete(db);
}
