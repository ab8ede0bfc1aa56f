/**
 * A busy database is waited on, never a lost write: `retryBusy` retries a write that SQLite refused
 * with SQLITE_BUSY while another process (a real child) holds the write lock past the busy timeout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isBusyError, retryBusy } from '../../src/search/busy.ts';

const HOLDER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.exec('BEGIN IMMEDIATE');
db.exec("INSERT INTO t (v) VALUES ('holder')");
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, 1500);
`;

test('retryBusy waits out a writer that holds the lock past the busy timeout', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-busy-'));
  const path = join(dir, 'busy.sqlite');
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT)');
    db.pragma('busy_timeout = 0');
    const child = spawn(process.execPath, ['-e', HOLDER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const closed = new Promise((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve()));
    const write = () => db.transaction(() => db.prepare("INSERT INTO t (v) VALUES ('mine')").run()).immediate();
    assert.throws(write, (error: unknown) => isBusyError(error), 'without retries the write fails');
    let retries = 0;
    retryBusy(write, { onRetry: () => retries++ });
    assert.ok(retries > 0);
    await closed;
    assert.deepEqual(db.prepare('SELECT v FROM t ORDER BY rowid').all().map((r) => (r as { v: string }).v), ['holder', 'mine']);
    assert.throws(() => retryBusy(() => { throw new Error('other'); }), /other/, 'other errors are not retried');
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
