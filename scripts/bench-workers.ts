/**
 * Many workers on one study: trials per minute with 1, 2 and 4 worker processes sharing a study on
 * PostgreSQL, against 1 process on SQLite, in one run; and the coordination overhead per trial
 * (one ask + tell round trip, objective free) on each backend, in one process.
 *
 * Each worker is a process running `study.optimize(objective, { maxTrials })` on the same study
 * (createStudy with loadIfExists, TPE, define-by-run). With `--objective cpu` (the default) the
 * objective is a fixed amount of CPU work (about `--work-ms` on an idle core), so throughput
 * scales with free cores — on a machine other jobs keep busy, it cannot. With `--objective wait`
 * it waits `--work-ms` (a trial whose work runs elsewhere: a GPU, a remote service), so
 * throughput measures how far the database lets workers overlap, whatever the machine's load.
 * Throughput counts from the first trial's start to the last trial's end (from the stored trial
 * timestamps), so process start-up is left out; wall time including start-up is printed too.
 *
 * Run: node --import tsx scripts/bench-workers.ts [--trials 24] [--work-ms 250] [--objective cpu|wait] [--storage postgresql://...]
 * Without --storage it starts a throw-away PostgreSQL server (Debian's initdb, as the tests do).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createStudy } from '../src/search/open-study.ts';
import { RandomSampler } from '../src/search/samplers/random.ts';
import { TPESampler } from '../src/search/samplers/tpe.ts';
import type { Trial } from '../src/search/trial.ts';
import { PostgresMetaStore } from '../src/store/postgres-store.ts';
import { SyncPgConnection } from '../src/store/postgres/sync-client.ts';
import { SqliteMetaStore } from '../src/store/sqlite-store.ts';
import { startPostgres, type PostgresServer } from '../test/store/postgres-server.ts';

const { values: flags } = parseArgs({
  options: {
    trials: { type: 'string', default: '24' },
    'work-ms': { type: 'string', default: '250' },
    storage: { type: 'string' },
    child: { type: 'string' }, // internal: run as one worker process on this storage URL
    study: { type: 'string', default: 'bench' },
    iterations: { type: 'string', default: '0' },
    objective: { type: 'string', default: 'cpu' },
  },
});

/** A fixed amount of floating-point work: `iterations` steps of a logistic map. */
function work(iterations: number, seed: number): number {
  let x = 0.5 + seed * 1e-9;
  for (let i = 0; i < iterations; i++) x = 3.99 * x * (1 - x);
  return x;
}

/** The objective: two suggested parameters, then the fixed work (CPU), or a wait of `--work-ms`. */
function objective(iterations: number) {
  const waitMs = Number(flags['work-ms']);
  return async (trial: Trial): Promise<number> => {
    const a = trial.suggestFloat('a', -5, 5);
    const b = trial.suggestInt('b', 1, 10);
    if (flags.objective === 'wait') await new Promise((resolve) => setTimeout(resolve, waitMs));
    return (a - 1) ** 2 + b / 10 + (flags.objective === 'wait' ? 0 : work(iterations, a) * 1e-6);
  };
}

/** Child mode: one worker on the shared study until the study holds `trials` finished trials. */
async function runChild(storage: string): Promise<void> {
  const study = createStudy({ storage, studyName: flags.study, direction: 'minimize', sampler: new TPESampler({ nStartupTrials: 5 }), seed: 1, loadIfExists: true });
  const result = await study.optimize(objective(Number(flags.iterations)), { maxTrials: Number(flags.trials) });
  process.stdout.write(`${JSON.stringify({ ran: result.trials.length })}\n`);
  study.close();
}

/** @returns iterations of {@link work} that take about `ms` on this machine now */
function calibrate(ms: number): number {
  const probe = 2_000_000;
  const start = performance.now();
  work(probe, 0);
  return Math.round((probe * ms) / (performance.now() - start));
}

interface Run {
  readonly label: string;
  readonly trials: number;
  readonly spanS: number;
  readonly wallS: number;
  readonly perWorker: number[];
}

/** Runs `workers` processes on one fresh study at `storage` and measures it. */
async function runWorkers(label: string, storage: string, workers: number, trials: number, iterations: number, read: () => { startedAt: string; finishedAt: string | null }[]): Promise<Run> {
  const started = performance.now();
  const outputs = await Promise.all(Array.from({ length: workers }, () => new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', storage, '--trials', String(trials), '--iterations', String(iterations), '--study', 'bench', '--objective', String(flags.objective), '--work-ms', String(flags['work-ms'])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`worker exited ${code}`))));
  })));
  const wallS = (performance.now() - started) / 1000;
  const stored = read();
  const first = Math.min(...stored.map((t) => Date.parse(t.startedAt)));
  const last = Math.max(...stored.map((t) => Date.parse(t.finishedAt ?? t.startedAt)));
  return { label, trials: stored.length, spanS: (last - first) / 1000, wallS, perWorker: outputs.map((o) => JSON.parse(o).ran) };
}

/** @returns ms per ask + tell (free objective, random sampler), over `n` trials after 10 warm-up ones */
function coordinationMs(storage: string, n: number): number {
  const study = createStudy({ storage, studyName: 'overhead', direction: 'minimize', sampler: new RandomSampler(), seed: 1 });
  for (let i = 0; i < 10; i++) study.tell(study.ask(), { value: 0 });
  const start = performance.now();
  for (let i = 0; i < n; i++) study.tell(study.ask(), { value: i });
  const ms = (performance.now() - start) / n;
  study.close();
  return ms;
}

async function main(): Promise<void> {
  const trials = Number(flags.trials);
  const iterations = calibrate(Number(flags['work-ms']));
  const dir = mkdtempSync(join(tmpdir(), 'metatune-bench-workers-'));
  let server: PostgresServer | undefined;
  let databases = 0;
  const pgUrl = (): string => {
    if (flags.storage !== undefined) {
      if (databases++ > 0) throw new Error('--storage: give a server to create databases on, not one database');
      return flags.storage;
    }
    if (server === undefined) throw new Error('no server');
    return server.createDatabase('bench');
  };
  try {
    if (flags.storage === undefined) server = await startPostgres();
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`# ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${trials} trials per run, ${flags.objective === 'wait' ? `objective waits ${flags['work-ms']} ms` : `objective ≈ ${flags['work-ms']} ms of CPU (${iterations} iterations)`}`);
    const runs: Run[] = [];
    const sqlitePath = join(dir, 'bench.sqlite');
    const readSqlite = () => {
      const store = SqliteMetaStore.open(sqlitePath, { readonly: true });
      try {
        return store.listTrials('bench');
      } finally {
        store.close();
      }
    };
    runs.push(await runWorkers('SQLite, 1 process', `sqlite:///${sqlitePath}`, 1, trials, iterations, readSqlite));
    for (const workers of [1, 2, 4]) {
      const url = pgUrl();
      const readPg = () => {
        const store = PostgresMetaStore.open(url, { readonly: true });
        try {
          return store.listTrials('bench');
        } finally {
          store.close();
        }
      };
      runs.push(await runWorkers(`PostgreSQL, ${workers} process${workers > 1 ? 'es' : ''}`, url, workers, trials, iterations, readPg));
    }
    const base = runs[1];
    out('');
    out('| storage, workers | trials | trials/min | vs 1 PostgreSQL process | wall incl. start-up | trials per worker |');
    out('|---|---:|---:|---:|---:|---|');
    for (const r of runs) {
      const rate = (r.trials / r.spanS) * 60;
      const baseRate = (base.trials / base.spanS) * 60;
      out(`| ${r.label} | ${r.trials} | ${rate.toFixed(1)} | ${(rate / baseRate).toFixed(2)}× | ${r.wallS.toFixed(1)} s | ${r.perWorker.join(', ')} |`);
    }
    const n = 200;
    const sqliteMs = coordinationMs(`sqlite:///${join(dir, 'overhead.sqlite')}`, n);
    const pgMs = coordinationMs(pgUrl(), n);
    const connection = SyncPgConnection.open(server?.adminUrl ?? flags.storage ?? '');
    const start = performance.now();
    for (let i = 0; i < 2000; i++) connection.query('SELECT 1');
    const roundTrip = (performance.now() - start) / 2000;
    connection.close();
    out('');
    out(`coordination overhead per trial (ask + tell, free objective, ${n} trials after 10): SQLite file ${sqliteMs.toFixed(2)} ms, PostgreSQL ${pgMs.toFixed(2)} ms`);
    out(`one synchronous PostgreSQL round trip (SELECT 1 through the worker-thread bridge): ${roundTrip.toFixed(3)} ms`);
  } finally {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (flags.child !== undefined) await runChild(flags.child);
else await main();
