/** `metatune db build`: runs (or resumes) a meta-database build with a progress bar. */
import { readFileSync } from 'node:fs';
import type { BackendPreference } from '../../backend/index.ts';
import { buildMetaDatabase, type BuildProgress, type BuildSummary } from '../../build/build.ts';
import { defaultWorkers, TrainerPool } from '../../learners/index.ts';
import { VERSION } from '../../version.ts';
import { InputError } from '../../errors.ts';
import { formatTable, printJson, ProgressBar } from '../format.ts';
import { withStore } from './db.action.ts';

/** The validated options of `db build`. */
export interface DbBuildContext {
  readonly datasets: string;
  readonly spaces: ReadonlyMap<string, number>;
  readonly seed: number;
  readonly workers?: number;
  readonly backend: BackendPreference;
  readonly chunkSize: number;
  readonly only?: readonly string[];
  /** JSON file: task name → target column. */
  readonly targetsFile?: string;
  readonly db?: string;
  readonly json: boolean;
  /** The command line, recorded as provenance. */
  readonly argv: readonly string[];
}

/**
 * Builds into the store on a pool of training workers (one per core by default). Ctrl-C stops
 * after the chunk in flight is abandoned; everything written before stays, and a rerun resumes.
 * A provenance row is written when the build starts and another when it finishes, so a store
 * copied mid-build says so.
 */
export async function runDbBuild(context: DbBuildContext): Promise<void> {
  const pool = new TrainerPool({ workers: context.workers ?? defaultWorkers(context.backend), backend: context.backend });
  const abort = new AbortController();
  const onSigint = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  let bar: ProgressBar | undefined;
  const started = Date.now();
  try {
    const summary = await withStore({ db: context.db, write: true }, async (store) => {
      const provenance = (status: string, extra: Record<string, string | number>) => store.addProvenance({
        kind: 'build', command: ['metatune', ...context.argv].join(' '), seed: context.seed, metatuneVersion: VERSION,
        backend: context.backend, details: { status, datasets: context.datasets, spaces: Object.fromEntries(context.spaces), ...extra },
      });
      provenance('started', {});
      const result = await buildMetaDatabase(store, {
        datasets: context.datasets, spaces: context.spaces, seed: context.seed, trainer: pool,
        chunkSize: context.chunkSize, only: context.only, targets: readTargets(context.targetsFile), signal: abort.signal,
        onProgress: (p: BuildProgress) => {
          bar ??= new ProgressBar(p.todo, 'build');
          bar.update(p.done, `round ${p.round + 1}/${p.rounds} ${p.space} ${p.task}`);
        },
      });
      provenance('finished', { ...result, wallSeconds: Math.round((Date.now() - started) / 1000) });
      return result;
    });
    bar?.finish();
    report(summary, context.json);
  } finally {
    process.off('SIGINT', onSigint);
    await pool.close();
  }
}

function report(summary: BuildSummary, json: boolean): void {
  if (json) {
    printJson(summary);
    return;
  }
  process.stdout.write(formatTable(['tasks', 'evaluated', 'already stored', 'failed', 'protocol'], [[summary.tasks, summary.evaluated, summary.skipped, summary.failed, summary.protocolId]]));
}

/**
 * Reads a `--targets` file.
 * @throws InputError when it is not a JSON object of strings
 */
function readTargets(path: string | undefined): Record<string, string> | undefined {
  if (path === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`cannot read the targets file as JSON: ${error instanceof Error ? error.message : String(error)}`, { file: path });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError('expected a JSON object of task name → target column', { file: path });
  const entries = Object.entries(parsed);
  const bad = entries.find(([, v]) => typeof v !== 'string');
  if (bad) throw new InputError(`target of '${bad[0]}' must be a column name (a string)`, { file: path });
  return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
}
