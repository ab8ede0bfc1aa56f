/** What the `db` actions share: opening the store for one command, and small formatters. */
import { openMetaStore } from '../../store/locations.ts';
import { translateSqliteError } from '../../store/sqlite-file.ts';
import type { MetaStore } from '../../store/types.ts';

/** Options every `db` action takes. */
export interface DbContext {
  /** `--db PATH`: one database; default the user database over the shipped one. */
  readonly db?: string;
  readonly json: boolean;
}

/**
 * Opens the store (read-only unless `write`), runs `work`, closes the store.
 * @param context - `db` and whether the command writes
 * @returns what `work` returns
 * @throws StoreError, naming the database, for an SQLite failure the user can fix (corrupt pages
 *   met mid-read, a lock held past the busy timeout, a full disk)
 */
export async function withStore<T>(context: { db?: string; write?: boolean }, work: (store: MetaStore) => T | Promise<T>): Promise<T> {
  const store = openMetaStore({ db: context.db, write: context.write });
  try {
    return await work(store);
  } catch (error) {
    throw translateSqliteError(error, store.describe().map((l) => l.path).join(' or '));
  } finally {
    store.close();
  }
}

/** Formats a byte count as `512 B`, `1.5 MB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Formats a configuration compactly for a table cell. */
export function formatConfig(config: Readonly<Record<string, number | string | boolean>>): string {
  return Object.keys(config)
    .sort()
    .map((k) => {
      const v = config[k];
      return `${k}=${typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v}`;
    })
    .join(' ');
}
