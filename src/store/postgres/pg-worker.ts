/**
 * The worker thread of {@link SyncPgConnection} (`sync-client.ts`), as JavaScript source that the
 * worker evaluates: it owns one `pg` client and answers the blocked caller's requests one at a
 * time. Each reply is posted on the port first and then signalled through the shared flag
 * (`Atomics.notify`), so the caller, woken, always finds it with `receiveMessageOnPort`. Every
 * request gets a reply, an error included: the caller blocks until one arrives.
 *
 * Source text rather than a module file, so that the worker starts without a loader in every
 * setting (the compiled package, and the TypeScript sources under tsx, whose loader would
 * otherwise have to be started in each worker: hundreds of milliseconds per connection). The
 * messages are typed in `protocol.ts`. `workerData.driver` is the resolved path of `pg`.
 */
export const PG_WORKER_SOURCE = String.raw`
'use strict';
const { workerData } = require('node:worker_threads');
const pg = require(workerData.driver);
const port = workerData.port;
const flag = new Int32Array(workerData.flag);
let client;
let broken; // an error the connection raised between requests: the next request reports it
let failedUnanswered; // the error of a request sent without waiting for its reply: the next request reports it

function reply(message) {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function describe(error) {
  if (!(error instanceof Error)) return { ok: false, message: String(error) };
  return {
    ok: false,
    message: error.message,
    code: typeof error.code === 'string' ? error.code : undefined,
    detail: typeof error.detail === 'string' ? error.detail : undefined,
  };
}

// Binary parameters arrive as Uint8Array (structured clone drops Buffer's prototype); bytea wants a Buffer.
function toPgValue(value) {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value === undefined ? null : value;
}

// BIGINT (int8, also count(*)) as a JS number: every integer the store keeps is a safe integer.
const types = { getTypeParser: (oid, format) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) };

async function connect(request) {
  const created = new pg.Client({
    connectionString: request.url,
    connectionTimeoutMillis: request.connectTimeoutMs,
    keepAlive: true,
    application_name: 'metatune',
    types,
  });
  created.on('error', (error) => { broken = error; });
  await created.connect();
  client = created;
  for (const statement of request.setup) await created.query(statement);
  return { ok: true, rows: [], rowCount: 0 };
}

async function handle(request) {
  if (request.op === 'connect') return connect(request);
  if (request.op === 'close') {
    const open = client;
    client = undefined;
    if (open !== undefined) await open.end().catch(() => undefined);
    return { ok: true, rows: [], rowCount: 0 };
  }
  if (broken !== undefined) throw broken;
  if (client === undefined) throw new Error('not connected');
  const result = await client.query(request.sql, request.params.length === 0 ? undefined : request.params.map(toPgValue));
  // a multi-statement text (BEGIN; SELECT ...) yields one result per statement: the last one counts
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return { ok: true, rows: last.rows, rowCount: last.rowCount ?? 0 };
}

port.on('message', (request) => {
  if (request.noReply === true) {
    // pg queues queries in order: the caller's next request runs after this one
    handle(request).catch((error) => { if (failedUnanswered === undefined) failedUnanswered = error; });
    return;
  }
  handle(request).then((answer) => {
    const failed = failedUnanswered;
    failedUnanswered = undefined;
    reply(failed === undefined ? answer : describe(failed));
  }, (error) => {
    const failed = failedUnanswered;
    failedUnanswered = undefined;
    reply(describe(failed ?? error));
  });
});
`;
