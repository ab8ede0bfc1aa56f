/**
 * `metatune search <file>`: runs {@link runSearch} with a progress bar (stderr), stops cleanly on
 * Ctrl-C or SIGTERM (the trials in training are handed back, so the study resumes with `--study`
 * at once; a second signal exits at once), and prints the best configuration with its metrics and
 * every trial with its origin, or JSON. An interrupted search prints the same summary and how to
 * resume, and exits with the shell's status for the signal: 130 (SIGINT) or 143 (SIGTERM).
 */
import { InterruptedError, TrainingError, UsageError } from '../../errors.ts';
import { parseStorageUrl, storageOption } from '../../store/storage-url.ts';
import { TaskNameTakenError } from '../../search/errors.ts';
import { runSearch, type SearchProgress, type SearchResult } from '../../search/run-search.ts';
import type { FrozenTrial } from '../../search/types.ts';
import { formatTable, printJson, ProgressBar } from '../format.ts';
import { formatConfig } from './db.action.ts';

/** The validated options of `metatune search`. */
export interface SearchContext {
  readonly file: string;
  readonly budget: number;
  readonly warmStart: number;
  readonly sampler: 'meta' | 'tpe' | 'random';
  readonly pruner: 'sh' | 'none';
  readonly study?: string;
  readonly name?: string;
  readonly staleAfterMs?: number;
  readonly workers?: number;
  readonly batchSize?: number;
  readonly seed: number;
  readonly space: string;
  readonly target?: string;
  readonly epochs?: number;
  readonly minEpochs?: number;
  readonly saveModel?: string;
  /** Replace an existing `model.json` in {@link saveModel}. */
  readonly overwrite?: boolean;
  readonly db?: string;
  readonly json: boolean;
}

/**
 * Runs the search and prints its result on stdout; notices and progress go to stderr.
 * @throws TrainingError (exit 1) when the search ran to its budget and no trial completed;
 *   whatever {@link runSearch} throws (the error handler maps it to an exit code)
 */
export async function runSearchCommand(context: SearchContext): Promise<void> {
  const controller = new AbortController();
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(interruption(signalled ?? signal).exitCode); // a second signal: quit now
    signalled = signal;
    process.stderr.write(`\ninterrupted (${signal}): stopping; the trials in training will re-run on resume (${signal === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to quit now)\n`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let bar: ProgressBar | undefined;
  try {
    const result = await runSearch(context.file, {
      ...context,
      signal: controller.signal,
      onNotice: (message) => process.stderr.write(`metatune search: ${message}\n`),
      onProgress: (progress) => {
        bar ??= new ProgressBar(progress.budget, 'search');
        bar.update(progress.finished, describeProgress(progress));
      },
    }).catch(rethrowNamingFlags);
    bar?.finish();
    bar = undefined;
    if (context.json) printJson(result);
    else process.stdout.write(formatSearch(result));
    if (result.interrupted) {
      process.stderr.write(describeInterruption(result, context));
      throw interruption(signalled ?? 'SIGINT'); // exit 130 or 143 through the error handler
    } else if (result.best === undefined) throw new TrainingError(`no trial of study '${result.study}' completed (each failed or was pruned); the trials' errors are in the --json output`);
  } finally {
    bar?.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** @returns the interruption for the signal that stopped the search */
function interruption(signal: NodeJS.Signals): InterruptedError {
  return new InterruptedError(signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
}

/** A task name taken by other data: the message names the option that fixes it. */
function rethrowNamingFlags(error: unknown): never {
  if (error instanceof TaskNameTakenError) throw new UsageError(`${error.message}; give one with --name NAME`, {}, { cause: error });
  throw error;
}

/** The interrupted search's summary line: trials done, best so far, how to resume. */
function describeInterruption(result: SearchResult, context: SearchContext): string {
  const done = result.trials.filter((t) => t.state !== 'running').length;
  const best = result.best === undefined ? 'no trial completed yet' : `best so far: trial ${result.best.number}, ${result.primaryMetric} ${result.best.value?.toFixed(4) ?? '-'}`;
  const resume = ['metatune search', context.file, '--study', result.study, '--budget', String(context.budget), ...(context.db === undefined ? [] : storageOption(parseStorageUrl(context.db, '--db')))].join(' ');
  return `metatune search: interrupted: ${done} of ${context.budget} trials done; ${best}; the study is saved: resume with\n  ${resume}\n`;
}

/** @returns the bar's suffix: the best score so far and the round in training */
function describeProgress(progress: SearchProgress): string {
  const best = progress.bestValue === undefined ? 'best -' : `best ${progress.bestValue.toFixed(4)}`;
  const training = progress.training;
  if (training === undefined) return best;
  const epochs = training.epochs === undefined ? 'full budget' : `${training.epochs} epochs`;
  return `${best} · training ${training.trials} at ${epochs} ${Math.round(100 * training.done)}%`;
}

/** Formats a search result for a terminal. */
export function formatSearch(result: SearchResult): string {
  const counts = countStates(result.trials);
  const lines = [
    `study ${result.study} · task ${result.task} · space ${result.space} · sampler ${result.sampler}${result.samplerFallback === null ? '' : ' (meta unavailable)'} · pruner ${result.pruner}`,
    `warm start: ${result.warmStartModel ?? 'none (no evaluations in the store: default configuration)'} · ${result.trials.length} trials (${counts}) · ` +
      `${result.evaluationsStored} evaluations added to the store · ${result.wallSeconds.toFixed(1)} s`,
    '',
  ];
  lines.push(...formatBest(result), '');
  lines.push(formatTable(['trial', 'origin', 'state', result.primaryMetric, 'epochs'], result.trials.map((t) => [t.number, t.origin, t.state, t.value, lastStep(t)])));
  if (result.savedModel !== null) lines.push(`best model saved to ${result.savedModel}`);
  return lines.join('\n') + '\n';
}

function formatBest(result: SearchResult): string[] {
  const best = result.best;
  if (best === undefined) return ['no trial completed'];
  const evaluation = result.bestEvaluation;
  const out = [`best: trial ${best.number} (${best.origin}), ${result.primaryMetric} ${best.value?.toFixed(4) ?? '-'}`, `config: ${formatConfig(best.config)}`];
  if (evaluation !== undefined) {
    const metrics = Object.entries(evaluation.metrics).sort(([a], [b]) => (a < b ? -1 : 1));
    out.push(formatTable(['metric', 'value'], metrics.map(([name, value]) => [name, value])).trimEnd());
  }
  return out;
}

function countStates(trials: readonly FrozenTrial[]): string {
  const counts = new Map<string, number>();
  for (const t of trials) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
}

function lastStep(trial: FrozenTrial): number | undefined {
  for (let step = trial.intermediate.length - 1; step >= 0; step--) if (trial.intermediate[step] !== null) return step;
  return undefined;
}
