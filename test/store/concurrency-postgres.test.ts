/**
 * The concurrency tests of the SQLite store (concurrency.test.ts) on PostgreSQL, with twice the
 * processes: 8 writers adding evaluations and starting trials at once lose nothing and never share
 * a trial number, and a writer killed with SIGKILL loses at most its transaction in flight.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PostgresMetaStore } from '../../src/store/postgres-store.ts';
import { postgresMissing, startPostgres, type PostgresServer } from './postgres-server.ts';

const writerScript = fileURLToPath(new URL('./concurrent-writer.ts', import.meta.url));
const missing = postgresMissing();
let server: PostgresServer | undefined;

function runWriter(url: string, writer: number, rows: number, batch: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, url, String(writer), String(rows), String(batch)]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

if (missing !== false) {
  test('PostgreSQL concurrency', (t) => t.skip(missing));
} else {
  before(async () => {
    server = await startPostgres();
  });
  after(() => server?.stop());

  test('8 processes adding evaluations and trials at once lose nothing, never share a trial number, never fail busy', { timeout: 240_000 }, async () => {
    const url = server?.createDatabase('concurrency') ?? '';
    const setup = PostgresMetaStore.open(url);
    setup.createStudy({ name: 'shared-study', direction: 'maximize', space: 'mlp', task: null, settings: {} });
    setup.close();
    const rows = 150;
    const writers = 8;
    const results = await Promise.all(Array.from({ length: writers }, (_, w) => runWriter(url, w, rows, 10)));
    for (const r of results) {
      assert.doesNotMatch(r.stderr, /locked|busy/i);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).inserted, rows);
    }
    const store = PostgresMetaStore.open(url);
    try {
      const keys = store.listEvaluationScores({ task: 'shared' });
      assert.equal(keys.length, writers * rows);
      for (let w = 0; w < writers; w++) assert.equal(keys.filter((k) => k.seed === w).length, rows);
      assert.equal(store.listConfigurations('mlp').length, rows, 'each configuration stored once though 8 writers added it');
      assert.equal(store.listTasks().length, 1);
      const numbers = results.flatMap((r) => JSON.parse(r.stdout).trials).sort((a, b) => a - b);
      assert.deepEqual(numbers, Array.from({ length: writers * 10 }, (_, i) => i));
      assert.equal(store.listTrials('shared-study').length, writers * 10);
    } finally {
      store.close();
    }
  });

  test('kill -9 of a writer loses at most the transaction in flight', { timeout: 120_000 }, async () => {
    const url = server?.createDatabase('kill') ?? '';
    PostgresMetaStore.open(url).close();
    const batch = 7;
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, url, '0', '100000', String(batch)]);
    const watcher = PostgresMetaStore.open(url, { readonly: true });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (watcher.listEvaluationScores().length < 5 * batch) return;
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }, 50);
        child.on('exit', () => {
          clearInterval(timer);
          reject(new Error('the writer ended before it was killed'));
        });
      });
      await new Promise((resolve) => child.on('close', resolve));
      const count = watcher.listEvaluationScores().length;
      assert.ok(count >= 5 * batch);
      assert.equal(count % batch, 0, `${count} rows is not a whole number of ${batch}-row transactions`);
    } finally {
      watcher.close();
    }
    const store = PostgresMetaStore.open(url);
    assert.equal(store.addEvaluations([]).inserted, 0, 'the write lock was released with the killed connection');
    store.batch(() => store.addTask({ name: 'after', source: 'x', contentHash: 'b'.repeat(64), nRows: 1, nFeatures: 1, taskType: 'regression', target: 'y', nClasses: null }));
    store.close();
  });
}
