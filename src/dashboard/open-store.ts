/**
 * Opening the store read-only for reports and the dashboard: every database is opened read-only
 * (SQLite's read-only flag; a PostgreSQL session with read-only transactions), so nothing a report or a dashboard request does can write (a search
 * writing the same file meanwhile is seen at the next read: SQLite's write-ahead log).
 */
import { existsSync } from 'node:fs';
import { StoreError } from '../errors.ts';
import { LayeredMetaStore } from '../store/layered-store.ts';
import { shippedDatabasePath, userDatabasePath } from '../store/locations.ts';
import { PostgresMetaStore } from '../store/postgres-store.ts';
import { SqliteMetaStore } from '../store/sqlite-store.ts';
import { parseStorageUrl } from '../store/storage-url.ts';
import type { MetaStore } from '../store/types.ts';

/**
 * A storage URL or a path, parsed as everywhere (`src/store/storage-url.ts`: SQLAlchemy's
 * `sqlite:///relative`, `sqlite:////absolute`, `file:`, a path, or `postgresql://…`).
 * @returns the SQLite file's path, or the PostgreSQL URL
 * @throws UsageError for another scheme or an empty spec
 */
export function storagePath(url: string): string {
  const location = parseStorageUrl(url, '--storage');
  return location.kind === 'postgresql' ? location.url : location.path;
}

/**
 * @param db - one database (`--db`, `--storage`), else the user database over the shipped one
 * @returns the store, every database opened read-only
 * @throws StoreError when `db` does not exist or a database cannot be opened
 */
export function openStoreReadOnly(db?: string, env: NodeJS.ProcessEnv = process.env): MetaStore {
  if (db !== undefined) {
    const location = parseStorageUrl(db, '--storage');
    if (location.kind === 'postgresql') return layered(env, () => PostgresMetaStore.open(location.url, { readonly: true, role: 'user' }));
    if (!existsSync(location.path)) throw new StoreError('no database at this path', { file: location.path });
    return SqliteMetaStore.open(location.path, { readonly: true, role: 'single' });
  }
  const userPath = userDatabasePath(env);
  return layered(env, () => (existsSync(userPath) ? SqliteMetaStore.open(userPath, { readonly: true, role: 'user' }) : undefined));
}

/** @returns the user store (opened by `openUser`) over the shipped database, both read-only */
function layered(env: NodeJS.ProcessEnv, openUser: () => MetaStore | undefined): MetaStore {
  const shippedPath = shippedDatabasePath(env);
  const shipped = shippedPath !== null && existsSync(shippedPath) ? SqliteMetaStore.open(shippedPath, { readonly: true, role: 'shipped' }) : undefined;
  try {
    return new LayeredMetaStore({ user: openUser(), shipped });
  } catch (error) {
    shipped?.close();
    throw error;
  }
}
