/**
 * What a path given as a database must be before SQLite opens it, and how SQLite's own failures
 * become {@link StoreError}s that name the file and what was expected: a directory, a device, a
 * CSV, an empty or truncated file, a locked or read-only database are the user's to fix, not bugs.
 */
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { StoreError } from '../errors.ts';

/** How long a write waits for another process's transaction before giving up. */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * @returns the busy timeout of new connections: `$METATUNE_BUSY_TIMEOUT_MS` when it is an integer
 *   ≥ 0 (a shared database under heavy load may want longer, a test shorter), else {@link BUSY_TIMEOUT_MS}
 */
export function busyTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.METATUNE_BUSY_TIMEOUT_MS;
  const value = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isSafeInteger(value) && value >= 0 ? value : BUSY_TIMEOUT_MS;
}

/** The 16 bytes every SQLite 3 database file starts with. */
const SQLITE_MAGIC = 'SQLite format 3\0';

/** Size of the SQLite file header. */
const HEADER_BYTES = 100;

/**
 * Checks that an existing path can be an SQLite database, without opening it with SQLite.
 * @param path - the file the user named
 * @param readonly - whether the command only reads (an empty file is then no database at all)
 * @returns false when nothing exists at `path` (the caller decides whether that is an error)
 * @throws StoreError for a directory, a device or pipe, an empty file (read-only), a file that is
 *   not SQLite, or one shorter than its header says (truncated)
 */
export function checkDatabaseFile(path: string, readonly: boolean): boolean {
  if (path === ':memory:') return true;
  const stats = statOrUndefined(path);
  if (stats === undefined) return false;
  if (stats.isDirectory()) throw new StoreError('is a directory; expected a metatune SQLite database file', { file: path });
  if (!stats.isFile()) throw new StoreError('is not a regular file (a device, pipe or socket); expected a metatune SQLite database file', { file: path });
  if (stats.size === 0) {
    if (readonly) throw new StoreError('the file is empty (0 bytes): not a metatune database', { file: path });
    return true;
  }
  const header = readHeader(path);
  if (header.length < 16 || header.subarray(0, 16).toString('latin1') !== SQLITE_MAGIC) {
    throw new StoreError(`not a metatune database: the file is not SQLite (it starts with ${describeBytes(header.subarray(0, 16))})`, { file: path });
  }
  if (header.length < HEADER_BYTES) throw new StoreError(`the database is truncated: ${stats.size} bytes, shorter than the SQLite header`, { file: path });
  checkLength(path, header, stats.size);
  return true;
}

/**
 * Refuses a file shorter than the page count its header declares (a partial copy or download).
 * The count is only trusted when valid (its change counter matches) and no write-ahead log holds
 * pages the file has not received yet.
 */
function checkLength(path: string, header: Buffer, size: number): void {
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  const countValid = header.readUInt32BE(24) === header.readUInt32BE(92) && pages > 0;
  if (!countValid || pageSize < 512 || hasWriteAheadLog(path)) return;
  if (size < pages * pageSize) {
    throw new StoreError(
      `the database is truncated: its header declares ${pages} pages of ${pageSize} bytes (${pages * pageSize} bytes) but the file has ${size}; ` +
        'copy it again or restore it from a backup',
      { file: path },
    );
  }
}

function hasWriteAheadLog(path: string): boolean {
  const wal = statOrUndefined(`${path}-wal`);
  return wal !== undefined && wal.size > 0;
}

function readHeader(path: string): Buffer {
  const buffer = Buffer.alloc(HEADER_BYTES);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new StoreError(`cannot read the file: ${messageOf(error)}`, { file: path }, { cause: error });
  }
  try {
    const n = readSync(fd, buffer, 0, HEADER_BYTES, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** @returns bytes as a quoted printable string, non-printable ones escaped */
function describeBytes(bytes: Buffer): string {
  const text = [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
  return `'${text}'`;
}

/** SQLite result codes a user causes (the file, its permissions, another process), by prefix. */
const USER_CAUSED: readonly [string, (path: string, message: string) => string][] = [
  ['SQLITE_BUSY', (_p, m) => `the database is locked by another process (${m}) and stayed locked past the busy timeout ` +
    `(${busyTimeoutMs()} ms, METATUNE_BUSY_TIMEOUT_MS); wait for the other command to finish and run this again`],
  ['SQLITE_LOCKED', (_p, m) => `the database is locked (${m}); wait for the other command to finish`],
  ['SQLITE_READONLY', (_p, m) => `cannot write to the database (${m}): the file or its folder is read-only; ` +
    'use a writable --db or METATUNE_HOME'],
  ['SQLITE_CORRUPT', (_p, m) => `the database is truncated or corrupt (${m}); restore it from a backup or an export`],
  ['SQLITE_NOTADB', (_p, m) => `not a metatune database: the file is not SQLite or is encrypted (${m})`],
  ['SQLITE_CANTOPEN', (_p, m) => `cannot open the database (${m}): check that its folder exists and is accessible`],
  ['SQLITE_PERM', (_p, m) => `permission denied (${m})`],
  ['SQLITE_FULL', (_p, m) => `the disk is full (${m}); nothing of this command was written`],
  ['SQLITE_IOERR', (_p, m) => `cannot read or write the file (${m}); is it on a removed disk or truncated?`],
];

/**
 * Turns an SQLite failure the user can fix into a StoreError naming the database.
 * @param error - whatever a store operation threw
 * @param path - the database it ran on
 * @returns the StoreError, or `error` itself when it is not such a failure
 */
export function translateSqliteError(error: unknown, path: string): unknown {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error);
  if (code === undefined) return error;
  const message = messageOf(error);
  if (code === 'SQLITE_ERROR' && /^no such (table|column)/.test(message)) {
    return new StoreError(`not a metatune database, or a damaged one: ${message}, which its schema version promises`, { file: path }, { cause: error });
  }
  const entry = USER_CAUSED.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`));
  if (entry === undefined) return error;
  return new StoreError(entry[1](path, message), { file: path }, { cause: error });
}

function sqliteCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error)) return undefined;
  const code = error.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** @returns an error's message */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
