/**
 * Where the stores live and how the CLI opens them (see README.md in this folder):
 * - the **shipped** database, `meta-db/metatune.sqlite` in the package, read-only
 *   (`$METATUNE_SHIPPED_DB` overrides the path; `none` disables it);
 * - the **user** database, `$METATUNE_HOME/metatune.sqlite`, by default `~/.metatune/metatune.sqlite`,
 *   created on the first write;
 * - `--db PATH`: one database for reads and writes, no layering.
 */
import { existsSync, lstatSync, mkdirSync, readlinkSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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
  if (options.db !== undefined) {
    if (!write && options.db !== ':memory:' && !existsSync(options.db) && lstatOrUndefined(options.db) === undefined) {
      throw new StoreError('no database at this path', { file: options.db });
    }
    if (write) ensureFolder(options.db, '--db');
    return SqliteMetaStore.open(options.db, { readonly: !write });
  }
  const userPath = userDatabasePath(options.env);
  checkHome(dirname(userPath), options.env);
  const shippedPath = shippedDatabasePath(options.env);
  const shipped = shippedPath !== null && existsSync(shippedPath)
    ? SqliteMetaStore.open(shippedPath, { readonly: true, role: 'shipped' })
    : undefined;
  try {
    if (write) ensureFolder(userPath, 'METATUNE_HOME');
    const user = write || existsSync(userPath) ? SqliteMetaStore.open(userPath, { role: 'user', readonly: !write }) : undefined;
    return new LayeredMetaStore({ user, shipped });
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
