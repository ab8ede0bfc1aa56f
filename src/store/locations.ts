/**
 * Where the stores live and how the CLI opens them (see README.md in this folder):
 * - the **shipped** database, `meta-db/metatune.sqlite` in the package, read-only
 *   (`$METATUNE_SHIPPED_DB` overrides the path; `none` disables it);
 * - the **user** database, `$METATUNE_HOME/metatune.sqlite`, by default `~/.metatune/metatune.sqlite`,
 *   created on the first write;
 * - `--db PATH`: one database for reads and writes, no layering;
 * - `--storage URL` (`storage-url.ts`): `sqlite:///…` as `--db`, or `postgresql://…`: a PostgreSQL
 *   database as the user store, shared by every machine, still layered over the shipped database.
 */
import { existsSync, lstatSync, mkdirSync, readlinkSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from '../errors.ts';
import { LayeredMetaStore } from './layered-store.ts';
import { PostgresMetaStore } from './postgres-store.ts';
import { SqliteMetaStore } from './sqlite-store.ts';
import { parseStorageUrl } from './storage-url.ts';
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
  /**
   * A storage URL (`--storage`): `sqlite:///…`, `file:` or a path is one database as `db`;
   * `postgresql://…` is the user store, layered over the shipped database.
   */
  readonly storage?: string;
  /** Whether the caller writes: creates the database (and its folder) when missing. */
  readonly write?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Opens the store the CLI works on. A command that only reads (`write` false) opens every
 * database read-only: nothing is created, no journal mode is set, the files keep their bytes, and
 * a database the user may read but not write works. The shipped database is always read-only.
 * @returns with `db`, that database; else the user database layered over the shipped one (either may
 *   be absent for reads: a fresh install reads an empty store)
 * @throws StoreError when `db` names a missing file for a read, a database is not a current metatune
 *   store, or `METATUNE_HOME` points at a missing directory or a file
 */
export function openMetaStore(options: OpenStoreOptions = {}): MetaStore {
  const write = options.write === true;
  const spec = options.storage ?? options.db;
  if (spec !== undefined) {
    const location = parseStorageUrl(spec, options.storage !== undefined ? '--storage' : '--db');
    if (location.kind === 'postgresql') {
      return layerOverShipped(options.env, () => PostgresMetaStore.open(location.url, { role: 'user', readonly: !write }));
    }
    const path = location.path;
    if (!write && path !== ':memory:' && !existsSync(path) && lstatOrUndefined(path) === undefined) {
      throw new StoreError('no database at this path', { file: path });
    }
    if (write) ensureFolder(path, options.storage !== undefined ? '--storage' : '--db');
    return SqliteMetaStore.open(path, { readonly: !write });
  }
  const userPath = userDatabasePath(options.env);
  checkHome(dirname(userPath), options.env);
  return layerOverShipped(options.env, () => {
    if (write) ensureFolder(userPath, 'METATUNE_HOME');
    return write || existsSync(userPath) ? SqliteMetaStore.open(userPath, { role: 'user', readonly: !write }) : undefined;
  });
}

/**
 * @param openUser - opens the user store (undefined: none yet)
 * @returns the user store over the shipped database (read-only), when it is installed
 */
function layerOverShipped(env: NodeJS.ProcessEnv | undefined, openUser: () => MetaStore | undefined): MetaStore {
  const shippedPath = shippedDatabasePath(env);
  const shipped = shippedPath !== null && existsSync(shippedPath)
    ? SqliteMetaStore.open(shippedPath, { readonly: true, role: 'shipped' })
    : undefined;
  try {
    return new LayeredMetaStore({ user: openUser(), shipped });
  } catch (error) {
    shipped?.close();
    throw error;
  }
}

/**
 * Refuses a user-database folder that cannot be one: a symbolic link (or a folder under one) to a
 * missing directory, or a path that is a file.
 * @throws StoreError naming METATUNE_HOME and the link
 */
function checkHome(home: string, env: NodeJS.ProcessEnv = process.env): void {
  const what = env.METATUNE_HOME !== undefined && env.METATUNE_HOME !== '' ? 'METATUNE_HOME' : 'the user database folder';
  const dangling = danglingLink(home);
  if (dangling !== undefined) {
    throw new StoreError(
      `${what} points at a missing directory: ${dangling.link === resolve(home) ? 'it' : dangling.link} is a symbolic link to ${dangling.target}, which does not exist; ` +
        'create it or set METATUNE_HOME to an existing folder',
      { file: home },
    );
  }
  const stats = statOrUndefined(home);
  if (stats !== undefined && !stats.isDirectory()) {
    throw new StoreError(`${what} is a file, not a directory; set METATUNE_HOME to a folder`, { file: home });
  }
}

/** @returns the first symbolic link on `path` (itself or an ancestor) whose target is missing */
function danglingLink(path: string): { link: string; target: string } | undefined {
  for (let p = resolve(path); ; p = dirname(p)) {
    const lstats = lstatOrUndefined(p);
    if (lstats?.isSymbolicLink() === true && statOrUndefined(p) === undefined) {
      return { link: p, target: readlinkSync(p) };
    }
    if (dirname(p) === p) return undefined;
  }
}

/**
 * Creates the folder of a database file.
 * @throws StoreError when it cannot be created (a file in the way, no permission)
 */
function ensureFolder(path: string, what: string): void {
  if (path === ':memory:') return;
  const folder = dirname(path);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const dangling = danglingLink(folder);
    const why = dangling !== undefined
      ? `${dangling.link} is a symbolic link to ${dangling.target}, which does not exist`
      : error instanceof Error ? error.message : String(error);
    throw new StoreError(`cannot create the database folder ${folder} (${what}): ${why}`, { file: path }, { cause: error });
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
