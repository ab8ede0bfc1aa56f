/**
 * A search whose process is killed (SIGKILL) mid-way resumes with no trial lost and none repeated:
 * a real child process, a real SQLite store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { mlp } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./fixtures/killable-search.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BUDGET = 20;

/** Runs the child; with `killAfterStart`, kills it with SIGKILL when that trial starts. */
function runChild(db: string, killAfterStart?: number): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db, String(BUDGET)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (killAfterStart !== undefined && out.includes(`start ${killAfterStart}\n`)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => (code !== 0 && signal === null ? reject(new Error(err)) : resolve({ code, signal, out })));
  });
}

test('a search killed mid-way resumes: no trial lost, none repeated, numbering continues', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-resume-'));
  const db = join(dir, 'store.sqlite');
  try {
    const killed = await runChild(db, 9);
    assert.equal(killed.signal, 'SIGKILL');
    const inspect = SqliteMetaStore.open(db);
    const atKill = inspect.listTrials('killed');
    inspect.close();
    const interrupted = atKill.filter((t) => t.state === 'running');
    assert.ok(interrupted.length >= 1, 'the kill left running trials');

    const resumed = await runChild(db);
    assert.match(resumed.out, /done/);
    for (const t of interrupted) assert.match(resumed.out, new RegExp(`^start ${t.number}$`, 'm'), `trial ${t.number} re-run`);

    const store = SqliteMetaStore.open(db);
    const trials = store.listTrials('killed');
    store.close();
    assert.deepEqual(trials.map((t) => t.number), Array.from({ length: BUDGET }, (_, i) => i));
    assert.deepEqual(new Set(trials.map((t) => t.state)), new Set(['complete']));
    assert.equal(new Set(trials.map((t) => t.configHash)).size, BUDGET, 'no configuration evaluated twice');
    for (const t of interrupted) {
      const after = trials[t.number];
      assert.deepEqual([after.configHash, after.origin], [t.configHash, t.origin]);
    }
    for (const t of atKill.filter((x) => x.state === 'complete')) assert.equal(trials[t.number].value, t.value);
    const warm = trials.filter((t) => t.origin === 'warm-start:test').map((t) => t.configHash).sort();
    const expected = mlp.sampleSpaceFilling(3, 1).map((c) => mlp.configHash(c)).sort();
    assert.deepEqual(warm, expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
