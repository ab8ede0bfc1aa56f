/**
 * The dashboard over a real store with a real study: every page answers, unknown names are 404
 * pages, methods other than GET/HEAD are 405 and the database files stay byte-identical, a trial
 * started by another process shows up live (a reloading page, the running count) and stops the
 * reloads once told; the CLI binds 127.0.0.1, prints its address and stops on SIGTERM.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStoreReadOnly, storagePath } from '../../src/dashboard/open-store.ts';
import { startDashboard, type Dashboard } from '../../src/dashboard/server.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import type { MetaStore } from '../../src/store/types.ts';
import { makeStudy, STUDY } from '../report/fixtures.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
let dir = '';
let db = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-dashboard-'));
  db = (await makeStudy(dir)).db;
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The database file's hash and the size of its write-ahead log (a read-only SQLite connection may create an empty one, and the -shm index). */
function digest(path: string): string {
  const wal = `${path}-wal`;
  return `${createHash('sha256').update(readFileSync(path)).digest('hex')} wal ${existsSync(wal) ? readFileSync(wal).length : 0} bytes`;
}

async function serve(path: string): Promise<{ dashboard: Dashboard; store: MetaStore; close: () => Promise<void> }> {
  const store = openStoreReadOnly(path);
  const dashboard = await startDashboard(store, { port: 0, refreshSeconds: 2 });
  return { dashboard, store, close: async () => { await dashboard.close(); store.close(); } };
}

test('every page answers; unknown names are 404 pages; other methods are 405; the database is untouched', { timeout: 60_000 }, async () => {
  const before = digest(db);
  const { dashboard, close } = await serve(db);
  try {
    assert.match(dashboard.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const get = async (path: string) => {
      const r = await fetch(new URL(path, dashboard.url));
      return { status: r.status, body: await r.text(), type: r.headers.get('content-type') ?? '' };
    };
    const home = await get('/');
    assert.equal(home.status, 200);
    assert.match(home.body, new RegExp(`href="/studies/${STUDY}"`));
    assert.doesNotMatch(home.body, /http-equiv="refresh"/, 'nothing running: no reload');
    const study = await get(`/studies/${STUDY}`);
    assert.equal(study.status, 200);
    assert.equal((study.body.match(/<svg [^>]*data-plot=/g) ?? []).length, 6);
    assert.match(study.body, /href="\/tasks\/tiny"/);
    const tasks = await get('/tasks');
    assert.equal(tasks.status, 200);
    assert.match(tasks.body, /synthetic-007/);
    const task = await get('/tasks/tiny');
    assert.equal(task.status, 200);
    assert.match(task.body, /NumberOfInstances/);
    assert.match(task.body, new RegExp(`/studies/${STUDY}`));
    const spaces = await get('/spaces');
    assert.equal(spaces.status, 200);
    const space = await get('/spaces/mlp');
    assert.equal(space.status, 200);
    assert.match(space.body, /data-plot="space-heatmap"/);
    const api = JSON.parse((await get('/api/studies')).body) as { name: string; trials: number; running: number; complete: number; pruned: number }[];
    assert.deepEqual(api.map((s) => [s.name, s.trials, s.running, s.complete + s.pruned]), [[STUDY, 12, 0, 12]]);
    for (const path of ['/studies/no-such-study', '/tasks/nope', '/spaces/nope', '/nothing', `/studies/${STUDY}/extra`, '/studies/%3Cscript%3E']) {
      const r = await get(path);
      assert.equal(r.status, 404, path);
      assert.match(r.type, /text\/html/);
      assert.match(r.body, /Not found/);
      assert.doesNotMatch(r.body, /<script>/);
    }
    assert.equal((await get('/studies/%E0%A4%A')).status, 400);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await fetch(new URL(`/studies/${STUDY}`, dashboard.url), { method, body: method === 'DELETE' ? undefined : '{}' });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get('allow'), 'GET, HEAD');
    }
    const head = await fetch(new URL('/', dashboard.url), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  } finally {
    await close();
  }
  assert.equal(digest(db), before, 'database byte-identical, nothing in the write-ahead log');
});

test('live progress: a trial started by another writer appears with reloads, and the reloads stop once it ends', { timeout: 60_000 }, async () => {
  const copy = join(dir, 'live.sqlite');
  copyFileSync(db, copy);
  const writer = SqliteMetaStore.open(copy);
  const { dashboard, close } = await serve(copy);
  try {
    const page = async (path: string) => (await fetch(new URL(path, dashboard.url))).text();
    const config = writer.listTrials(STUDY)[0].config;
    const started = writer.startTrial(STUDY, { configHash: 'live-trial', config, origin: 'enqueued' });
    const home = await page('/');
    assert.match(home, /http-equiv="refresh" content="2"/);
    assert.match(home, /1 running/);
    assert.match(await page(`/studies/${STUDY}`), /http-equiv="refresh" content="2"/);
    writer.reportIntermediate(STUDY, started.number, 2, 0.7);
    writer.finishTrial(STUDY, started.number, { state: 'complete', value: 0.7 });
    const after = await page('/');
    assert.doesNotMatch(after, /http-equiv="refresh"/);
    assert.match(after, /13 trials/);
  } finally {
    await close();
    writer.close();
  }
});

test('storage URLs as SQLAlchemy reads them: sqlite:///relative, sqlite:////absolute; file:/// and plain paths; postgresql://; other schemes refused', () => {
  assert.equal(storagePath('sqlite:////tmp/x.sqlite'), '/tmp/x.sqlite');
  assert.equal(storagePath('sqlite:///rel.sqlite'), join(process.cwd(), 'rel.sqlite'));
  assert.equal(storagePath('file:///tmp/x.sqlite'), '/tmp/x.sqlite');
  assert.equal(storagePath('/tmp/x.sqlite'), '/tmp/x.sqlite');
  assert.throws(() => storagePath('sqlite:rel.sqlite'), /sqlite:\/\/\/relative/);
  assert.throws(() => storagePath('sqlite:///'), /sqlite:\/\/\/relative/);
  assert.equal(storagePath('postgresql://host/db'), 'postgresql://host/db');
  assert.throws(() => storagePath('mysql://host/db'), /unsupported storage 'mysql'/);
  assert.throws(() => storagePath(' '), /needs a URL/);
});

test('metatune dashboard: binds 127.0.0.1, prints its address, serves, 404 for a bad study, exits 0 on SIGTERM', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, [bin, 'dashboard', '--port', '0', '--storage', `sqlite:///${db}`], { env: { ...process.env, METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: 'none' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /on (http:\/\/\S+)/.exec(stdout);
      if (m !== null) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(stdout, /read-only/);
    assert.equal((await fetch(url)).status, 200);
    const bad = await fetch(new URL('/studies/typo', url));
    assert.equal(bad.status, 404);
    assert.match(await bad.text(), /no study named &#39;typo&#39;/);
  } finally {
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exit, 0, stderr);
  }
  assert.equal(stderr, '');
});

test('metatune dashboard: bad options and a missing database exit 2', () => {
  const run = (...args: string[]) => spawnSyncCli(args);
  assert.equal(run('dashboard', '--port', '70000').status, 2);
  assert.equal(run('dashboard', '--port', 'abc').status, 2);
  assert.equal(run('dashboard', '--storage', 'postgresql://x/y').status, 2);
  const missing = run('dashboard', '--db', join(dir, 'absent.sqlite'), '--port', '0');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /absent\.sqlite/);
});

function spawnSyncCli(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: 'none' }, timeout: 30_000 });
}
