/**
 * PostgreSQL's failures that a user can fix — a server that cannot be reached, a refused login, a
 * missing database, a write lock held past the busy timeout — as {@link StoreError}s naming the
 * server (its URL without the password). A busy database says "database is busy", which the
 * searches' `retryBusy` waits out as it does SQLite's "database is locked".
 */
import { StoreError } from '../../errors.ts';
import { busyTimeoutMs } from '../sqlite-file.ts';
import { PgQueryError } from './sync-client.ts';

/** @returns the URL with its password replaced by `***` (it goes into messages) */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

const CONNECTION_CODES = /^(08|28|3D|57P0[1-3]|53300)/;
const NETWORK_MESSAGE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|timeout expired|Connection terminated/i;

/**
 * @param error - whatever a PostgreSQL store operation threw
 * @param label - the server's redacted URL
 * @returns the StoreError, or `error` itself when it is not a failure the user can fix
 */
export function translatePgError(error: unknown, label: string): unknown {
  if (error instanceof StoreError || !(error instanceof PgQueryError)) return error;
  const code = error.code ?? '';
  const message = error.message;
  const store = (text: string) => new StoreError(text, { file: label }, { cause: error });
  if (code === '55P03' || code === '40P01' || code === '40001') {
    return store(`the database is busy: another process held the store's write lock past the lock timeout (${busyTimeoutMs()} ms, ` +
      `METATUNE_BUSY_TIMEOUT_MS) (${message}); wait for the other command to finish and run this again`);
  }
  if (CONNECTION_CODES.test(code) || /^E[A-Z]+$/.test(code) || NETWORK_MESSAGE.test(message)) {
    return store(`cannot use the PostgreSQL server: ${message}; check the host, port, user, password and database of the URL, and that the server runs`);
  }
  if (code === '42P01' || code === '42703') return store(`not a metatune database, or a damaged one: ${message}, which its schema version promises`);
  if (code === '25006') return store(`cannot write: this store was opened read-only (${message})`);
  if (code === '53100') return store(`the server's disk is full (${message}); nothing of this command was written`);
  if (code === '42501') return store(`permission denied (${message}): the user of the URL needs CREATE, SELECT, INSERT, UPDATE and DELETE on the database`);
  return error;
}
