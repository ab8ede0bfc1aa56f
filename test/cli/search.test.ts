/**
 * `metatune search` as a user runs it: bad options exit 2, an end-to-end search on a dataset that
 * is not in the store (JSON, then resumed with the human table), and a search killed with SIGKILL
 * that resumes with the same --study with no trial lost or repeated.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import type { TrialRecord } from '../../src/store/records.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const iris = fileURLToPath(new URL('../../meta-db/corpus/classification/iris.arff.gz', import.meta.url));
const FAST = ['--epochs', '2', '--workers', '1', '--seed', '1'];
let dir = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-search-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function env(): NodeJS.ProcessEnv {
  return { ...process.env, METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: 'none' };
}

function metatune(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: env() });
}

function trialsOf(db: string, study: string): TrialRecord[] {
  if (!existsSync(db)) return [];
  const store = SqliteMetaStore.open(db, { readonly: true }); // never migrates or locks the child's database
  try {
    return store.getStudy(study) === undefined ? [] : store.listTrials(study);
  } finally {
    store.close();
  }
}

interface SearchJson {
  study: string;
  task: string;
  sampler: string;
  samplerFallback: string | null;
  interrupted: boolean;
  evaluationsStored: number;
  trials: { number: number; origin: string; state: string; configHash: string; value: number | null }[];
  best: { number: number; value: number } | undefined;
}

test('metatune search: bad options exit 2', async () => {
  const db = join(dir, 'bad.sqlite');
  const cases = [
    ['--budget', '0'],
    ['--budget', '3', '--sampler', 'grid'],
    ['--budget', '3', '--pruner', 'hyperband'],
    ['--budget', '3', '--warm-start', '-1'],
    ['--budget', '3', '--study', 'two words'],
    ['--budget', '3', '--workers', '0'],
    [],
  ];
  for (const args of cases) {
    assert.equal(await main(['node', 'metatune', 'search', iris, '--db', db, ...args]), 2, args.join(' '));
  }
  assert.equal(existsSync(db), false, 'nothing was written');
});

test('metatune search: end to end on a dataset not in the store, then resumed with a larger budget', { timeout: 120_000 }, () => {
  const db = join(dir, 'e2e.sqlite');
  const first = metatune('search', iris, '--budget', '3', '--batch', '3', '--db', db, '--study', 'e2e', '--json', ...FAST);
  assert.equal(first.status, 0, first.stderr);
  const result: SearchJson = JSON.parse(first.stdout);
  assert.equal(result.task, 'iris');
  assert.equal(result.sampler, 'tpe');
  assert.match(first.stderr, /falling back to TPE/);
  assert.deepEqual(result.trials.map((t) => t.number), [0, 1, 2]);
  assert.equal(result.trials[0].origin, 'default');
  assert.equal(result.evaluationsStored, 3);

  const resumed = metatune('search', iris, '--budget', '5', '--batch', '2', '--db', db, '--study', 'e2e', ...FAST);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming study 'e2e' \(3 trials stored\)/);
  assert.match(resumed.stdout, /^study e2e · task iris · space mlp · sampler tpe/);
  assert.match(resumed.stdout, /best: trial \d+ \(/);
  assert.match(resumed.stdout, /balancedAccuracy/);
  const trials = trialsOf(db, 'e2e');
  assert.deepEqual(trials.map((t) => t.number), [0, 1, 2, 3, 4]);
  assert.equal(new Set(trials.map((t) => t.configHash)).size, 5);
});

test('metatune search killed with SIGKILL resumes with the same --study: no trial lost or repeated', { timeout: 180_000 }, async () => {
  const db = join(dir, 'kill.sqlite');
  const args = ['search', iris, '--budget', '6', '--batch', '1', '--db', db, '--study', 'killed', '--sampler', 'random', ...FAST];
  const atKill = await new Promise<TrialRecord[]>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: env(), stdio: 'ignore' });
    let seen: TrialRecord[] = [];
    const poll = setInterval(() => {
      try {
        seen = trialsOf(db, 'killed');
      } catch {
        return; // the database is being created
      }
      if (seen.length >= 2) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 100);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve(seen);
      else reject(new Error('the search ended before it was killed'));
    });
  });
  assert.ok(atKill.length >= 2 && atKill.length < 6);
  const running = atKill.filter((t) => t.state === 'running');

  const rerun = metatune(...args, '--json');
  assert.equal(rerun.status, 0, rerun.stderr);
  const result: SearchJson = JSON.parse(rerun.stdout);
  assert.deepEqual(result.trials.map((t) => t.number), [0, 1, 2, 3, 4, 5]);
  assert.ok(result.trials.every((t) => t.state === 'complete'));
  assert.equal(new Set(result.trials.map((t) => t.configHash)).size, 6, 'no configuration repeated');
  for (const t of atKill) assert.equal(result.trials[t.number].configHash, t.configHash, `trial ${t.number} kept its configuration`);
  for (const t of running) assert.equal(result.trials[t.number].state, 'complete', `interrupted trial ${t.number} was re-run`);
});

test('metatune search stops cleanly on Ctrl-C (SIGINT): best so far printed, the study resumes to its budget', { timeout: 180_000 }, async () => {
  const db = join(dir, 'sigint.sqlite');
  const args = ['search', iris, '--budget', '5', '--batch', '1', '--db', db, '--study', 'stopped', '--sampler', 'random', ...FAST];
  const stopped = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const poll = setInterval(() => {
      try {
        if (trialsOf(db, 'stopped').length >= 2) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      } catch {
        // the database is being created
      }
    }, 100);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr });
    });
  });
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stderr, /stopped early; resume with --study stopped/);
  assert.match(stopped.stdout, /best: trial \d+ \(/);
  const rerun = metatune(...args, '--json');
  assert.equal(rerun.status, 0, rerun.stderr);
  const result: SearchJson = JSON.parse(rerun.stdout);
  assert.deepEqual(result.trials.map((t) => t.number), [0, 1, 2, 3, 4]);
  assert.ok(result.trials.every((t) => t.state === 'complete'));
  assert.equal(new Set(result.trials.map((t) => t.configHash)).size, 5);
});
