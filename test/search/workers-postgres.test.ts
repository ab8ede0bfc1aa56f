/**
 * Many workers on one study through PostgreSQL, as users run them: `metatune search FILE --study
 * NAME --storage postgresql://…` in several processes (on one machine here; the database is all
 * they share). Three workers with budget 9 end with exactly 9 complete trials numbered 0–8, each
 * trained by one worker, the warm-start queue consumed once; a resume adds nothing. A worker
 * killed with SIGKILL mid-trial leaves it running; after the grace period the other worker re-runs
 * it under the same number, and nothing is lost or repeated.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresMetaStore } from '../../src/store/postgres-store.ts';
import type { TrialLease, TrialRecord } from '../../src/store/records.ts';
import { postgresMissing, startPostgres, type PostgresServer } from '../store/postgres-server.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
/** Epochs, workers and batch as small as the CLI allows: these tests measure coordination, not learning. */
const TINY = ['--epochs', '1', '--workers', '1', '--batch', '1', '--seed', '1'];
const missing = postgresMissing();
let server: PostgresServer | undefined;
let dir = '';
let tinyCsv = '';

interface SearchJson {
  trials: { number: number; origin: string; state: string; configHash: string }[];
  ranTrials: number[];
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Reads the study's trials and leases (empty before the study exists). */
function snapshot(url: string, study: string): { trials: TrialRecord[]; leases: TrialLease[] } {
  const store = PostgresMetaStore.open(url, { readonly: true });
  try {
    if (store.getStudy(study) === undefined) return { trials: [], leases: [] };
    // leases first: a trial and its lease are written together, so the trials read after include every leased one
    const leases = store.listTrialLeases(study);
    return { trials: store.listTrials(study), leases };
  } finally {
    store.close();
  }
}

/** Spawns `metatune search`; `kill(pid)`, polled every 100 ms, says when to SIGKILL it. */
function worker(args: readonly string[], kill?: (pid: number) => boolean): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: 'none' };
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const poll = kill === undefined ? undefined : setInterval(() => {
      try {
        if (child.pid === undefined || !kill(child.pid)) return;
      } catch {
        return; // the schema or the study is being created
      }
      clearInterval(poll);
      child.kill('SIGKILL');
    }, 100);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

if (missing !== false) {
  test('search workers on PostgreSQL', (t) => t.skip(missing));
} else {
  before(async () => {
    server = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'metatune-workers-'));
    tinyCsv = join(dir, 'tiny.csv');
    const rows = Array.from({ length: 60 }, (_, i) => {
      const a = ((i * 37) % 60) / 60;
      const b = ((i * 17) % 60) / 60;
      return `${a.toFixed(3)},${b.toFixed(3)},${a + b > 1 ? 'yes' : 'no'}`;
    });
    writeFileSync(tinyCsv, ['a,b,label', ...rows, ''].join('\n'));
  });
  after(() => {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('3 workers on one study, budget 9, then a resume: exactly 9 complete trials 0–8, each trained once, the queue consumed once', { timeout: 300_000 }, async () => {
    const url = server?.createDatabase('workers') ?? '';
    const args = ['search', tinyCsv, '--budget', '9', '--storage', url, '--study', 'shared', '--sampler', 'tpe', '--json', ...TINY];
    const runs = await Promise.all([1, 2, 3].map(() => worker(args)));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const results: SearchJson[] = runs.map((run) => JSON.parse(run.stdout));
    const { trials, leases } = snapshot(url, 'shared');
    assert.deepEqual(trials.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6, 7, 8], 'exactly the budget');
    assert.ok(trials.every((t) => t.state === 'complete'));
    assert.equal(new Set(trials.map((t) => t.configHash)).size, 9, 'nine distinct configurations');
    assert.deepEqual(results.flatMap((r) => r.ranTrials).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8], 'every trial trained by exactly one worker');
    assert.equal(trials.filter((t) => t.origin === 'default').length, 1, 'the warm-start queue consumed once');
    assert.deepEqual(leases, []);
    process.stderr.write(`# 3 workers, budget 9: trained per worker [${results.map((r) => r.ranTrials.length).join(', ')}]\n`);

    const resumed = await worker(args);
    assert.equal(resumed.code, 0, resumed.stderr);
    const again: SearchJson = JSON.parse(resumed.stdout);
    assert.deepEqual(again.ranTrials, [], 'the resume trains nothing: the budget is spent');
    assert.deepEqual(again.trials.map((t) => [t.number, t.state]), trials.map((t) => [t.number, 'complete']));
    assert.deepEqual(snapshot(url, 'shared').trials.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('a worker killed with SIGKILL mid-trial: after the grace period the other worker re-runs that trial under its number; nothing lost or repeated', { timeout: 300_000 }, async () => {
    const url = server?.createDatabase('killed') ?? '';
    const args = ['search', tinyCsv, '--budget', '4', '--storage', url, '--study', 'beat', '--sampler', 'random', '--grace', '2', '--json', ...TINY];
    let lost: TrialRecord | undefined;
    const killedRun = worker(args, (pid) => {
      const { trials, leases } = snapshot(url, 'beat');
      const held = leases.find((l) => l.pid === pid);
      if (held === undefined) return false;
      lost = trials.find((t) => t.number === held.number);
      return true;
    });
    const survivor = worker(args);
    const [killed, done] = await Promise.all([killedRun, survivor]);
    assert.equal(killed.signal, 'SIGKILL');
    assert.equal(done.code, 0, done.stderr);
    assert.ok(lost !== undefined);
    const result: SearchJson = JSON.parse(done.stdout);
    const { trials, leases } = snapshot(url, 'beat');
    assert.deepEqual(trials.map((t) => [t.number, t.state]), [[0, 'complete'], [1, 'complete'], [2, 'complete'], [3, 'complete']], 'exactly the budget, all complete');
    assert.ok(result.ranTrials.includes(lost.number), `the killed worker's trial ${lost.number} was re-run by the survivor`);
    assert.equal(result.ranTrials.filter((n) => n === lost?.number).length, 1, 'once');
    assert.equal(trials[lost.number].configHash, lost.configHash, 'under the same number and configuration');
    assert.deepEqual(leases, []);
    assert.match(done.stderr, /waiting for 1 trial\(s\) that other processes are running|re-run/);
  });
}
