/**
 * The one parser of storage URLs, used wherever a database is chosen (`--storage`, `--db`,
 * `openMetaStore({ storage })`, `createStudy({ storage })`, the dashboard and reports). SQLite
 * URLs read as SQLAlchemy, and so Optuna, reads them:
 *
 * | written                          | means                                  |
 * |----------------------------------|----------------------------------------|
 * | `sqlite:///relative/path.sqlite` | `relative/path.sqlite` in the working directory |
 * | `sqlite:////absolute/path.sqlite`| `/absolute/path.sqlite`                |
 * | `sqlite://` or `sqlite:///:memory:` | an in-memory database               |
 * | `file:///absolute/path.sqlite`   | that file                              |
 * | `postgresql://user:password@host:port/database` (or `postgres://`) | a PostgreSQL database (libpq's URI: `?sslmode=require`, `?host=/socket/dir` ...) |
 * | anything else without a scheme   | a path to an SQLite file               |
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.ts';
import { redactUrl } from './postgres/errors.ts';

/** Where a store lives. */
export type StorageLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgresql'; readonly url: string };

/** How storage URLs are written, for messages. */
export const STORAGE_URL_FORMS = 'postgresql://user@host:port/database, sqlite:///relative/path, sqlite:////absolute/path, file:///path or a path';

/**
 * @param spec - a storage URL or a path
 * @param option - what the user wrote it as, for messages (`--storage`)
 * @returns the database it names
 * @throws UsageError for an empty spec, an SQLite URL with a host, an unparseable PostgreSQL URL
 *   or one without a database, or another scheme
 */
export function parseStorageUrl(spec: string, option = '--storage'): StorageLocation {
  const trimmed = spec.trim();
  const refuse = (why: string) => new UsageError(`${option} '${spec}': ${why}`, { column: option });
  if (trimmed === '') throw new UsageError(`${option} needs a URL or a path (${STORAGE_URL_FORMS})`, { column: option });
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1].toLowerCase();
  if (scheme === 'sqlite') return { kind: 'sqlite', path: sqlitePath(trimmed, refuse) };
  if (scheme === 'file') {
    try {
      return { kind: 'sqlite', path: fileURLToPath(trimmed) };
    } catch (error) {
      throw refuse(`not a file URL (${error instanceof Error ? error.message : String(error)}); write file:///absolute/path`);
    }
  }
  if (scheme === 'postgresql' || scheme === 'postgres') return { kind: 'postgresql', url: checkedPostgresUrl(trimmed, refuse) };
  if (scheme !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw refuse(`unsupported storage '${scheme}': metatune stores in SQLite or PostgreSQL (${STORAGE_URL_FORMS})`);
  }
  return { kind: 'sqlite', path: trimmed };
}

/** SQLAlchemy's rule: after `sqlite://` comes a (here empty) host, a slash, then the path as written. */
function sqlitePath(url: string, refuse: (why: string) => UsageError): string {
  if (url === 'sqlite://' || url === 'sqlite:///:memory:') return ':memory:';
  if (!url.startsWith('sqlite:///')) {
    throw refuse('an SQLite URL has no host: write sqlite:///relative/path or sqlite:////absolute/path (three slashes, then the path)');
  }
  const path = url.slice('sqlite:///'.length);
  if (path === '') throw refuse('no path: write sqlite:///relative/path or sqlite:////absolute/path');
  return path.startsWith('/') ? path : resolve(path);
}

function checkedPostgresUrl(url: string, refuse: (why: string) => UsageError): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse('not a valid URL: write postgresql://user:password@host:port/database (percent-encode special characters in the password)');
  }
  if (decodeURIComponent(parsed.pathname.replace(/^\//, '')) === '') {
    throw refuse('no database: write postgresql://user@host:port/database');
  }
  return url;
}

/**
 * @param location - a parsed storage
 * @returns how to name it in a command line that is printed: `--storage URL` (its password
 *   replaced by `***`: pass it in PGPASSWORD or ~/.pgpass) for PostgreSQL, `--db PATH` for SQLite
 */
export function storageOption(location: StorageLocation): string[] {
  return location.kind === 'postgresql' ? ['--storage', redactUrl(location.url)] : ['--db', location.path];
}
