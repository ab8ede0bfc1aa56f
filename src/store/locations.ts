/**
 * Where the stores live and how the CLI opens them (see README.md in this folder):
 * - the **shipped** database, `meta-db/metatune.sqlite` in the package, read-only
 *   (`$METATUNE_SHIPPED_DB` overrides the path; `none` disables it);
 * - the **user** database, `$METATUNE_HOME/metatune.sqlite`, by default `~/.metatune/metatune.sqlite`,
 *   created on the first write;
 * - `--db PATH`: one database for reads and writes, no layering.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from '../errors.ts';
import { LayeredMetaStore } from './layered-store.ts';
import { SqliteMetaStore } from './sqlite-store.ts';
import type { MetaStore } from './types.ts';

/** @returns the shipped database's path, or null when disabled by `METATUNE_SHIPPED_DB=none` */
export function shippedDatabasePath(env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env.METATUNE_SHIPPED_DB;
  if (override === 'none') return null;
  if (override !== undefined && override !== '') return override;
  return fileURLToPath(new URL('../../meta-db/metatune.sqlite', import.meta.url));
}

/** @returns the user database's path: `$METATUNE_HOME/metatune.sqlite` or `~/.metatune/metatune.sqlite` */
export function userDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.METATUNE_HOME !== undefined && env.METATUNE_HOME !== '' ? env.METATUNE_HOME : join(homedir(), '.metatune');
  return join(home, 'metatune.sqlite');
}

export interface OpenStoreOptions {
  /** One database for reads and writes (`--db PATH`), instead of the shipped + user layers. */
  readonly db?: string;
  /** Whether the caller writes: creates the database (and its folder) when missing. */
  readonly write?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Opens the store the CLI works on.
 * @returns with `db`, that database; else the user database layered over the shipped one (either may
 *   be absent for reads: a fresh install reads an empty store)
 * @throws StoreError when `db` names a missing file for a read, or a database has another schema version
 */
export function openMetaStore(options: OpenStoreOptions = {}): MetaStore {
  const write = options.write === true;
  if (options.db !== undefined) {
    if (!write && options.db !== ':memory:' && !existsSync(options.db)) {
      throw new StoreError('no database at this path', { file: options.db });
    }
    if (write) ensureFolder(options.db);
    return SqliteMetaStore.open(options.db);
  }
  const shippedPath = shippedDatabasePath(options.env);
  const userPath = userDatabasePath(options.env);
  const shipped = shippedPath !== null && existsSync(shippedPath)
    ? SqliteMetaStore.open(shippedPath, { readonly: true, role: 'shipped' })
    : undefined;
  try {
    if (write) ensureFolder(userPath);
    const user = write || existsSync(userPath) ? SqliteMetaStore.open(userPath, { role: 'user' }) : undefined;
    return new LayeredMetaStore({ user, shipped });
  } catch (error) {
    shipped?.close();
    throw error;
  }
}

function ensureFolder(path: string): void {
  if (path === ':memory:') return;
  mkdirSync(dirname(path), { recursive: true });
}
