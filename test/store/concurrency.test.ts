import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';

const writerScript = fileURLToPath(new URL('./concurrent-writer.ts', import.meta.url));

function runWriter(path: string, writer: number, rows: number, batch: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, path, String(writer), String(rows), String(batch)]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('4 processes adding evaluations and trials at once lose nothing, never share a trial number, never hit "database is locked"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-concurrency-'));
  const path = join(dir, 'store.sqlite');
  try {
    // The first open creates the schema and the study; the writers race on everything after that.
    const setup = SqliteMetaStore.open(path);
    setup.createStudy({ name: 'shared-study', direction: 'maximize', space: 'mlp', task: null, settings: {} });
    setup.close();
    const rows = 300;
    const results = await Promise.all([0, 1, 2, 3].map((w) => runWriter(path, w, rows, 10)));
    for (const r of results) {
      assert.doesNotMatch(r.stderr, /locked|busy/i);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).inserted, rows);
    }
    const store = SqliteMetaStore.open(path);
    try {
      const keys = store.listEvaluationScores({ task: 'shared' });
      assert.equal(keys.length, 4 * rows);
      for (let w = 0; w < 4; w++) assert.equal(keys.filter((k) => k.seed === w).length, rows);
      assert.equal(store.listConfigurations('mlp').length, rows);
      assert.equal(store.listTasks().length, 1);
      const numbers = results.flatMap((r) => JSON.parse(r.stdout).trials).sort((a, b) => a - b);
      assert.deepEqual(numbers, Array.from({ length: 40 }, (_, i) => i));
      assert.equal(store.listTrials('shared-study').length, 40);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kill -9 of a writer loses at most the transaction in flight and leaves a sound database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-kill-'));
  const path = join(dir, 'store.sqlite');
  try {
    SqliteMetaStore.open(path).close();
    const batch = 7;
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, path, '0', '100000', String(batch)]);
    // Kill once the writer has committed some batches.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const db = new Database(path, { readonly: true });
        const n = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM evaluations').get()?.n ?? 0;
        db.close();
        if (n >= 5 * batch) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 50);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the writer ended before it was killed'));
      });
    });
    await new Promise((resolve) => child.on('close', resolve));
    const store = SqliteMetaStore.open(path);
    try {
      const count = store.listEvaluationScores().length;
      assert.ok(count >= 5 * batch);
      assert.equal(count % batch, 0, `${count} rows is not a whole number of ${batch}-row transactions`);
    } finally {
      store.close();
    }
    const db = new Database(path);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
