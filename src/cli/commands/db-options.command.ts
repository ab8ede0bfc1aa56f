/** Option parsing shared by the commands that choose a database: `--db PATH` and `--storage URL`. */
import { UsageError } from '../../errors.ts';
import { parseStorageUrl, STORAGE_URL_FORMS } from '../../store/storage-url.ts';

/** Help text of `--db`. */
export const DB_OPTION_HELP =
  'use this one SQLite database for reads and writes (default: the user database over the shipped one)';

/**
 * Checks a `--db` path.
 * @throws UsageError on an empty path
 */
export function parseDbPath(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UsageError('--db needs a path', { column: '--db' });
  return value;
}

/** Help text of `--storage`. */
export const STORAGE_OPTION_HELP =
  `the store as a URL: postgresql://user@host:port/database (one database that workers on many machines share, over the shipped one; needs 'npm install pg'), ` +
  'sqlite:///relative.sqlite or sqlite:////absolute.sqlite as in Optuna (like --db), file:///path or a path';

/**
 * Checks `--db` and `--storage` (one of them at most).
 * @returns the database the command works on: an SQLite path, a postgresql:// URL, or undefined (the default stores)
 * @throws UsageError for both options, an empty path or a storage URL that is not SQLite or PostgreSQL
 */
export function parseStoreOptions(flags: { readonly db?: string; readonly storage?: string }): string | undefined {
  if (flags.db !== undefined && flags.storage !== undefined) throw new UsageError('give --db or --storage, not both', { column: '--storage' });
  if (flags.storage === undefined) return parseDbPath(flags.db);
  const location = parseStorageUrl(flags.storage, '--storage');
  return location.kind === 'postgresql' ? location.url : location.path;
}

export { STORAGE_URL_FORMS };
