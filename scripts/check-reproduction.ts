/**
 * Checks that a meta-database's stored evaluations are reproducible: rebuilds the named tasks with
 * `db build`'s library call (same design, seed and protocol) into a fresh temporary database and
 * compares every evaluation with the source's: status, primary score, epochs run and every metric.
 *
 * Run: node --import tsx scripts/check-reproduction.ts --source meta-db/metatune.sqlite
 *        --datasets meta-db/corpus --targets meta-db/targets.json --tasks iris,glass,bodyfat
 *        --space linear [--configs 50] [--seed 0] [--workers 2]
 * `--configs` defaults to the number of configurations of the space the source evaluated on each
 * task (the design is prefix-stable, so its first N are the same); a smaller value compares that prefix. Exit code 0 when every
 * evaluation matches exactly, 1 otherwise.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { buildMetaDatabase } from '../src/build/build.ts';
import { TrainerPool } from '../src/learners/index.ts';
import { SqliteMetaStore } from '../src/store/sqlite-store.ts';

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: 'meta-db/metatune.sqlite' },
    datasets: { type: 'string', default: 'meta-db/corpus' },
    targets: { type: 'string' },
    tasks: { type: 'string' },
    space: { type: 'string', default: 'linear' },
    configs: { type: 'string' },
    seed: { type: 'string', default: '0' },
    workers: { type: 'string', default: '2' },
  },
});
const tasks = (values.tasks ?? '').split(',').filter((t) => t !== '');
if (tasks.length === 0) throw new Error('--tasks a,b,c is required');
const seed = Number(values.seed);

interface Row {
  task: string;
  hash: string;
  protocol: string;
  status: string;
  score: number | null;
  epochs: number;
  metrics: string;
  backend: string;
}

function readRows(path: string): Map<string, Row> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`
      SELECT t.name AS task, c.hash AS hash, e.protocol_id AS protocol, e.status AS status, e.primary_score AS score,
             e.epochs_run AS epochs, e.metrics AS metrics, e.backend AS backend
      FROM evaluations e JOIN tasks t ON t.id = e.task_id JOIN configurations c ON c.id = e.configuration_id
      WHERE c.space = ? AND e.seed = ? AND t.name IN (${tasks.map(() => '?').join(',')})`).all(values.space, seed, ...tasks) as Row[];
    return new Map(rows.map((r) => [`${r.task}|${r.hash}|${r.protocol}`, r]));
  } finally {
    db.close();
  }
}

const source = readRows(values.source);
const perTask = tasks.map((t) => [...source.values()].filter((r) => r.task === t).length);
const configs = values.configs === undefined ? Math.max(...perTask) : Number(values.configs);
if (configs === 0) throw new Error(`the source holds no ${values.space} evaluations of ${tasks.join(', ')}`);

const dir = mkdtempSync(join(tmpdir(), 'metatune-repro-'));
const path = join(dir, 'rebuild.sqlite');
const store = SqliteMetaStore.open(path);
const pool = new TrainerPool({ workers: Number(values.workers), backend: 'wasm' });
const started = performance.now();
try {
  await buildMetaDatabase(store, {
    datasets: values.datasets, spaces: new Map([[values.space, configs]]), seed, trainer: pool, only: tasks,
    targets: values.targets === undefined ? undefined : (JSON.parse(readFileSync(values.targets, 'utf8')) as Record<string, string>),
  });
} finally {
  await pool.close();
  store.close();
}
const seconds = (performance.now() - started) / 1000;
const rebuilt = readRows(path);
rmSync(dir, { recursive: true, force: true });

let mismatches = 0;
process.stdout.write(`space ${values.space}, seed ${seed}, ${configs} configurations per task, rebuilt in ${seconds.toFixed(1)} s\n`);
process.stdout.write('task                      stored  rebuilt  identical  max |Δ score|  backends\n');
for (const task of tasks) {
  const mine = [...rebuilt.values()].filter((r) => r.task === task);
  let identical = 0;
  let maxDelta = 0;
  for (const r of mine) {
    const s = source.get(`${r.task}|${r.hash}|${r.protocol}`);
    if (s === undefined) continue;
    const same = s.status === r.status && s.score === r.score && s.epochs === r.epochs && s.metrics === r.metrics;
    if (same) identical++;
    if (s.score !== null && r.score !== null) maxDelta = Math.max(maxDelta, Math.abs(s.score - r.score));
  }
  // With --configs below what the source holds, only the rebuilt design prefix is compared.
  const rebuiltKeys = new Set(mine.map((r) => `${r.hash}|${r.protocol}`));
  const stored = [...source.values()].filter((r) => r.task === task && (values.configs === undefined || rebuiltKeys.has(`${r.hash}|${r.protocol}`)));
  const backends = [...new Set(stored.map((r) => r.backend))].join(',');
  if (stored.length === 0 || identical !== stored.length || mine.length !== stored.length) mismatches++;
  process.stdout.write(`${task.padEnd(25)} ${String(stored.length).padStart(6)} ${String(mine.length).padStart(8)} ${String(identical).padStart(10)} ${maxDelta.toExponential(2).padStart(13)}  ${backends}\n`);
}
process.stdout.write(mismatches === 0 ? 'every stored evaluation reproduced exactly\n' : `${mismatches} task(s) differ\n`);
process.exitCode = mismatches === 0 ? 0 : 1;
