/**
 * A synchronous PostgreSQL connection: the {@link MetaStore} interface is synchronous (it was
 * written over better-sqlite3), every PostgreSQL driver for Node.js is asynchronous. The driver
 * (`pg`) runs in a worker thread that owns one connection; {@link SyncPgConnection.query} posts
 * the statement to it and blocks on `Atomics.wait` over a shared flag until the worker has posted
 * the reply, which it then takes with `receiveMessageOnPort` — the pattern of the `synckit`
 * package, written out here (about a hundred lines) because the store needs a long-lived worker
 * holding one connection and its open transaction across calls, where synckit runs a stateless
 * function per call. Round trip on a local server: see scripts/bench-workers.ts (≈0.1 ms over
 * the server's own time).
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { SetupError } from '../../errors.ts';
import { PG_WORKER_SOURCE } from './pg-worker.ts';
import type { PgReply, PgRequest, PgWorkerData } from './protocol.ts';

/** An error PostgreSQL (or the driver) raised, with its SQLSTATE code when there is one. */
export class PgQueryError extends Error {
  constructor(message: string, readonly code: string | undefined, readonly detail: string | undefined) {
    super(message);
    this.name = 'PgQueryError';
  }
}

/** Rows of a query and how many rows it changed. */
export interface PgResult {
  readonly rows: Record<string, unknown>[];
  readonly rowCount: number;
}

export interface SyncPgOptions {
  /** How long connecting may take (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Statements run once after connecting (`SET lock_timeout = ...`). */
  readonly setup?: readonly string[];
  /** The longest a single request may block before the connection is given up (default 15 min). */
  readonly replyTimeoutMs?: number;
}

/** How long the caller sleeps between checks that the worker is still there. */
const WAIT_SLICE_MS = 1000;

/**
 * @param resolve - how a module is found (default: Node's resolution from metatune's folder)
 * @returns the path of the `pg` driver's entry module
 * @throws SetupError naming `npm install pg` when the driver is not installed
 */
export function requireDriver(resolve: (id: string) => string = createRequire(import.meta.url).resolve): string {
  try {
    return resolve('pg');
  } catch (error) {
    throw new SetupError(
      "a postgresql:// storage needs the PostgreSQL driver 'pg', an optional dependency of metatune: run 'npm install pg' in your project (or 'npm install -g pg' beside a global metatune)",
      { cause: error },
    );
  }
}

/** One PostgreSQL connection used synchronously; see the module comment. */
export class SyncPgConnection {
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private exited = false;
  private readonly replyTimeoutMs: number;

  private constructor(driver: string, options: SyncPgOptions) {
    const channel = new MessageChannel();
    this.port = channel.port1;
    const data: PgWorkerData = { port: channel.port2, flag: this.flag.buffer, driver };
    // no execArgv: the worker is plain JavaScript and needs none of the parent's loaders
    this.worker = new Worker(PG_WORKER_SOURCE, { eval: true, workerData: data, transferList: [channel.port2], execArgv: [] });
    this.worker.unref(); // a CLI that forgets close() still exits
    this.worker.on('exit', () => (this.exited = true));
    this.replyTimeoutMs = options.replyTimeoutMs ?? 15 * 60_000;
  }

  /**
   * Connects to a server.
   * @param url - a postgresql:// connection string
   * @returns the open connection
   * @throws SetupError without the `pg` driver; PgQueryError when the server refuses or is unreachable
   */
  static open(url: string, options: SyncPgOptions = {}): SyncPgConnection {
    const connection = new SyncPgConnection(requireDriver(), options);
    try {
      connection.request({ op: 'connect', url, connectTimeoutMs: options.connectTimeoutMs ?? 10_000, setup: options.setup ?? [] });
    } catch (error) {
      connection.terminate();
      throw error;
    }
    return connection;
  }

  /**
   * Runs one statement (or, without parameters, several separated by semicolons: the last one's rows).
   * @param sql - PostgreSQL SQL with $1, $2... placeholders
   * @param params - their values
   * @returns the rows and the number of rows changed
   * @throws PgQueryError with the server's SQLSTATE code
   */
  query(sql: string, params: readonly unknown[] = []): PgResult {
    return this.request({ op: 'query', sql, params });
  }

  /**
   * Sends a statement without waiting for it (a SAVEPOINT): it runs before the next request, and
   * if it fails, the next request reports its error.
   * @param sql - a statement without parameters
   */
  send(sql: string): void {
    if (this.exited) throw new PgQueryError('the PostgreSQL connection is closed', '08003', undefined);
    this.port.postMessage({ op: 'query', sql, params: [], noReply: true } satisfies PgRequest);
  }

  /** Closes the connection and stops the worker thread. */
  close(): void {
    if (this.exited) return;
    try {
      this.request({ op: 'close' });
    } finally {
      this.terminate();
    }
  }

  private terminate(): void {
    this.exited = true;
    this.port.close();
    void this.worker.terminate();
  }

  private request(request: PgRequest): PgResult {
    if (this.exited) throw new PgQueryError('the PostgreSQL connection is closed', '08003', undefined);
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
    const reply = this.awaitReply();
    if (!reply.ok) throw new PgQueryError(reply.message, reply.code, reply.detail);
    return { rows: reply.rows, rowCount: reply.rowCount };
  }

  /** Blocks until the worker's reply is on the port. */
  private awaitReply(): PgReply {
    const deadline = Date.now() + this.replyTimeoutMs;
    for (;;) {
      Atomics.wait(this.flag, 0, 0, WAIT_SLICE_MS);
      const received = receiveMessageOnPort(this.port);
      if (received !== undefined) return received.message;
      if (Date.now() > deadline) {
        this.terminate();
        throw new PgQueryError(`no reply from the PostgreSQL connection in ${this.replyTimeoutMs / 1000} s; the connection was closed`, '08006', undefined);
      }
    }
  }
}
