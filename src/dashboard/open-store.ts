/**
 * Opening the store read-only for reports and the dashboard: every database is opened with
 * SQLite's read-only flag, so nothing a report or a dashboard request does can write (a search
 * writing the same file meanwhile is seen at the next read: SQLite's write-ahead log).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError, UsageError } from '../errors.ts';
import { LayeredMetaStore } from '../store/layered-store.ts';
import { shippedDatabasePath, userDatabasePath } from '../store/locations.ts';
import { SqliteMetaStore } from '../store/sqlite-store.ts';
import type { MetaStore } from '../store/types.ts';

/**
 * A storage URL or path to a SQLite file, read as SQLAlchemy (and so Optuna) reads SQLite URLs:
 * `sqlite:///relative.sqlite`, `sqlite:////absolute/path.sqlite`; also `file:///absolute/path.sqlite`
 * or a plain path.
 * @returns the file's path
 * @throws UsageError for another scheme or an empty path
 */
export function storagePath(url: string): string {
  const trimmed = url.trim();
  if (trimmed === '') throw new UsageError('--storage needs a URL or a path', { column: '--storage' });
  if (trimmed.startsWith('sqlite:')) {
    if (!trimmed.startsWith('sqlite:///') || trimmed.length === 'sqlite:///'.length) {
      throw new UsageError(`--storage '${url}': a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path`, { column: '--storage' });
    }
    return resolve(trimmed.slice('sqlite:///'.length));
  }
  if (trimmed.startsWith('file:')) return fileURLToPath(trimmed);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new UsageError(`--storage '${url}': only SQLite files are supported (sqlite:////absolute/path, file:///path or a path)`, { column: '--storage' });
  }
  return trimmed;
}

/**
 * @param db - one database (`--db`, `--storage`), else the user database over the shipped one
 * @returns the store, every database opened read-only
 * @throws StoreError when `db` does not exist or a database cannot be opened
 */
export function openStoreReadOnly(db?: string, env: NodeJS.ProcessEnv = process.env): MetaStore {
  if (db !== undefined) {
    if (!existsSync(db)) throw new StoreError('no database at this path', { file: db });
    return SqliteMetaStore.open(db, { readonly: true, role: 'single' });
  }
  const shippedPath = shippedDatabasePath(env);
  const userPath = userDatabasePath(env);
  const shipped = shippedPath !== null && existsSync(shippedPath) ? SqliteMetaStore.open(shippedPath, { readonly: true, role: 'shipped' }) : undefined;
  try {
    const user = existsSync(userPath) ? SqliteMetaStore.open(userPath, { readonly: true, role: 'user' }) : undefined;
    return new LayeredMetaStore({ user, shipped });
  } catch (error) {
    shipped?.close();
    throw error;
  }
}
