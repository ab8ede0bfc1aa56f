/** The messages between `SyncPgConnection` and its worker thread (`pg-worker.ts`). */
import type { MessagePort } from 'node:worker_threads';

/** What the worker is started with. */
export interface PgWorkerData {
  readonly port: MessagePort;
  /** 4 bytes: the worker sets the Int32 at 0 to 1 after posting a reply. */
  readonly flag: SharedArrayBuffer;
  /** The resolved path of the `pg` driver, which the worker requires. */
  readonly driver: string;
}

/** A request; the caller blocks until its reply. */
export type PgRequest =
  | { readonly op: 'connect'; readonly url: string; readonly connectTimeoutMs: number; readonly setup: readonly string[] }
  | { readonly op: 'query'; readonly sql: string; readonly params: readonly unknown[]; readonly noReply?: boolean }
  | { readonly op: 'close' };

/** A reply: rows, or the error the driver or server raised (with its SQLSTATE code). */
export type PgReply =
  | { readonly ok: true; readonly rows: Record<string, unknown>[]; readonly rowCount: number }
  | { readonly ok: false; readonly message: string; readonly code?: string; readonly detail?: string };
