/**
 * `metatune search` as a user runs it: bad options exit 2, an end-to-end search on a dataset that
 * is not in the store (JSON, then resumed with the human table), a search killed with SIGKILL
 * that resumes with the same --study with no trial lost or repeated, Ctrl-C and SIGTERM (exit 130
 * and 143 with the summary), and four processes sharing one study on one SQLite file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import type { TrialRecord } from '../../src/store/records.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const iris = fileURLToPath(new URL('../../meta-db/corpus/classification/iris.arff.gz', import.meta.url));
const FAST = ['--epochs', '2', '--workers', '1', '--seed', '1'];
/** Epochs, workers and batch as small as the CLI allows: the shared-study tests measure coordination, not learning. */
const TINY = ['--epochs', '1', '--workers', '1', '--batch', '1', '--seed', '1'];
let dir = '';
/** A 60-row, two-feature classification CSV written in the temp folder (no shared datasets). */
let tinyCsv = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-search-cli-'));
  tinyCsv = join(dir, 'tiny.csv');
  const rows = Array.from({ length: 60 }, (_, i) => {
    const a = ((i * 37) % 60) / 60;
    const b = ((i * 17) % 60) / 60;
    return `${a.toFixed(3)},${b.toFixed(3)},${a + b > 1 ? 'yes' : 'no'}`;
  });
  writeFileSync(tinyCsv, ['a,b,label', ...rows, ''].join('\n'));
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
  ranTrials: number[];
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns the CLI; `watch.until()`, polled every 50 ms until it says true, decides when to send `watch.signal` (if any). */
function spawnSearch(args: readonly string[], stop?: { until: () => boolean; signal?: NodeJS.Signals }, extraEnv: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...env(), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const poll = stop === undefined ? undefined : setInterval(() => {
      try {
        if (!stop.until()) return;
      } catch {
        return; // the database is being created
      }
      clearInterval(poll);
      if (stop.signal !== undefined) child.kill(stop.signal);
    }, 50);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stdout, stderr });
    });
  });
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
  const args = ['search', iris, '--budget', '6', '--batch', '1', '--db', db, '--study', 'killed', '--sampler', 'random', '--grace', '1', ...FAST];
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

for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`metatune search stops cleanly on ${signal}: exit ${status}, the summary and how to resume, the study resumes to its budget`, { timeout: 120_000 }, async () => {
    const db = join(dir, `${signal}.sqlite`);
    const args = ['search', tinyCsv, '--budget', '5', '--db', db, '--study', 'stopped', '--sampler', 'random', ...TINY];
    const stopped = await spawnSearch(args, { signal, until: () => trialsOf(db, 'stopped').some((t) => t.state === 'complete') });
    assert.equal(stopped.code, status, stopped.stderr);
    assert.match(stopped.stderr, new RegExp(`interrupted \\(${signal}\\)`));
    assert.match(stopped.stderr, /interrupted: \d of 5 trials done; best so far: trial \d+, balancedAccuracy [\d.]+; the study is saved: resume with\n {2}metatune search .*tiny\.csv --study stopped --budget 5 --db /);
    assert.match(stopped.stdout, /best: trial \d+ \(/);
    const rerun = metatune(...args, '--json');
    assert.equal(rerun.status, 0, rerun.stderr);
    const result: SearchJson = JSON.parse(rerun.stdout);
    assert.deepEqual(result.trials.map((t) => t.number), [0, 1, 2, 3, 4]);
    assert.ok(result.trials.every((t) => t.state === 'complete'));
    assert.equal(new Set(result.trials.map((t) => t.configHash)).size, 5);
  });
}

test('four search processes share one study on one SQLite file: exactly the budget, distinct configurations, each trial trained once', { timeout: 180_000 }, async () => {
  const db = join(dir, 'shared.sqlite');
  const args = ['search', tinyCsv, '--budget', '8', '--db', db, '--study', 'shared', '--sampler', 'tpe', '--json', ...TINY];
  const started = performance.now();
  const runs = await Promise.all([1, 2, 3, 4].map(() => spawnSearch(args)));
  const wallSeconds = (performance.now() - started) / 1000;
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  const results: SearchJson[] = runs.map((run) => JSON.parse(run.stdout));
  const trials = trialsOf(db, 'shared');
  assert.deepEqual(trials.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6, 7], 'exactly the budget');
  assert.ok(trials.every((t) => t.state === 'complete'));
  assert.equal(new Set(trials.map((t) => t.configHash)).size, 8, 'eight distinct configurations');
  const trained = results.flatMap((r) => r.ranTrials).sort((a, b) => a - b);
  assert.deepEqual(trained, [0, 1, 2, 3, 4, 5, 6, 7], 'every trial trained by exactly one process');
  for (const r of results) assert.equal(r.trials.length, 8, 'every process returns the finished study');
  assert.equal(trials.filter((t) => t.origin === 'default').length, 1, 'the warm-start queue consumed once');
  process.stderr.write(`# four processes, budget 8: ${trials.length} trials, ${new Set(trials.map((t) => t.configHash)).size} distinct, trained per process [${results.map((r) => r.ranTrials.length).join(', ')}], ${wallSeconds.toFixed(1)} s\n`);
});

test('a process killed (SIGKILL) mid-trial: after the grace period another process re-runs that trial under the same number', { timeout: 120_000 }, async () => {
  const db = join(dir, 'heartbeat.sqlite');
  const args = ['search', tinyCsv, '--budget', '2', '--db', db, '--study', 'beat', '--sampler', 'random', '--grace', '1', '--json', ...TINY];
  const killed = await spawnSearch(args, { signal: 'SIGKILL', until: () => trialsOf(db, 'beat').some((t) => t.state === 'running') });
  assert.equal(killed.signal, 'SIGKILL');
  const atKill = trialsOf(db, 'beat');
  const lost = atKill.filter((t) => t.state === 'running');
  assert.equal(lost.length, 1, 'killed while its first trial trained');

  const rerun = await spawnSearch(args);
  assert.equal(rerun.code, 0, rerun.stderr);
  const result: SearchJson = JSON.parse(rerun.stdout);
  assert.deepEqual(result.trials.map((t) => [t.number, t.state]), [[0, 'complete'], [1, 'complete']]);
  assert.ok(result.ranTrials.includes(lost[0].number), 'the lost trial was re-run here');
  assert.equal(result.trials[lost[0].number].configHash, lost[0].configHash, 'under the same number and configuration');
});

test('metatune search refuses a file whose name is a stored task with other data, naming --name; --name registers it', { timeout: 60_000 }, () => {
  const db = join(dir, 'names.sqlite');
  const first = metatune('search', tinyCsv, '--budget', '1', '--db', db, '--sampler', 'random', ...TINY);
  assert.equal(first.status, 0, first.stderr);
  const sameName = join(mkdtempSync(join(dir, 'other-')), 'tiny.csv');
  writeFileSync(sameName, 'a,b,label\n' + Array.from({ length: 40 }, (_, i) => `${i},${i % 7},${i % 3 === 0 ? 'p' : 'q'}`).join('\n') + '\n');
  const refused = metatune('search', sameName, '--budget', '1', '--db', db, '--sampler', 'random', ...TINY);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /tiny\.csv.*task 'tiny' is already in the store with other data.*--name NAME/);
  const named = metatune('search', sameName, '--name', 'tiny-2', '--budget', '1', '--db', db, '--sampler', 'random', '--json', ...TINY);
  assert.equal(named.status, 0, named.stderr);
  assert.equal((JSON.parse(named.stdout) as SearchJson).task, 'tiny-2');
});

test('a data error found only while training ends the trial failed (not running) and exits 2 naming the file', { timeout: 60_000 }, () => {
  const db = join(dir, 'two-rows.sqlite');
  const twoRows = join(dir, 'two-rows.csv');
  writeFileSync(twoRows, 'a,b,label\n1,2,x\n2,3,y\n');
  const run = metatune('search', twoRows, '--budget', '2', '--db', db, '--study', 'two', '--sampler', 'random', ...TINY);
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /two-rows\.csv: a holdout split needs at least 2 rows/);
  assert.deepEqual(trialsOf(db, 'two').map((t) => [t.state, t.error]), [['failed', 'a holdout split needs at least 2 rows, got 1']]);
});

const LOCK_HOLDER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1], { timeout: 30000 });
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));
`;

test('another process holding the write lock past the busy timeout delays the search, which loses no round', { timeout: 120_000 }, async () => {
  const db = join(dir, 'locked.sqlite');
  const args = ['search', tinyCsv, '--budget', '2', '--db', db, '--study', 'locked', '--sampler', 'random', '--json', ...TINY];
  let holder: Promise<void> | undefined;
  const run = await spawnSearch(args, {
    until: () => {
      // trial 0's result comes within seconds (worker start, one epoch), inside the 8 s hold and past the 0.5 s busy timeout
      if (!trialsOf(db, 'locked').some((t) => t.state === 'running')) return false;
      const child = spawn(process.execPath, ['-e', LOCK_HOLDER, db, '8000'], { cwd: fileURLToPath(new URL('../../', import.meta.url)), stdio: 'ignore' });
      holder = new Promise((resolve) => child.on('close', () => resolve()));
      return true;
    },
  }, { METATUNE_BUSY_TIMEOUT_MS: '500' });
  await holder;
  assert.equal(run.code, 0, run.stderr);
  assert.ok(holder !== undefined, 'the lock was taken while trial 0 trained');
  const result: SearchJson = JSON.parse(run.stdout);
  assert.deepEqual(result.trials.map((t) => t.state), ['complete', 'complete']);
  assert.equal(result.evaluationsStored, 2);
  assert.doesNotMatch(run.stderr, /database is locked/);
  process.stderr.write(`# lock held 8 s, busy timeout 0.5 s: ${/database is busy/.test(run.stderr) ? 'the search retried past the busy timeout' : 'the search waited within the busy timeout'}\n`);
});
