/**
 * `optimize`: a loop over ask and tell that keeps up to `concurrency` objective calls in flight.
 * An objective returns its value, throws {@link TrialPruned} when `trial.shouldPrune()` says so,
 * or throws an error (the trial is told failed with the error's message and the loop goes on,
 * unless `catchErrors` rejects the error; an error of the sampler, the storage or `onTrial`
 * stops it). `timeout` (seconds) stops asking new trials. Trials in flight always end before `optimize` returns or throws. When `signal` aborts, no new trial is asked; a trial
 * whose objective then rejects is handed back unfinished, so that a resumed study runs it again.
 *
 * Several processes may optimise one study at once: `maxTrials` is then the study's budget, each
 * trial is claimed atomically under it (`Study.claim`), the study's heartbeat runs while
 * `optimize` does, and a process whose claims are spent waits for the trials other workers still
 * run — they end, or their worker dies and they are re-claimed here after the grace period.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Study } from './study.ts';
import { TrialPruned, type Trial } from './trial.ts';
import type { FrozenTrial } from './types.ts';
import { StudyError } from './errors.ts';

/** The function being optimised. */
export type Objective = (trial: Trial, signal: AbortSignal) => number | Promise<number>;

/** Options of {@link optimize}; give `nTrials`, `maxTrials`, `timeout` or several. */
export interface OptimizeOptions {
  /** Trials to run in this call. */
  readonly nTrials?: number;
  /** The study's budget: it ends holding this many trials, all finished (survives resuming; shared by all workers). */
  readonly maxTrials?: number;
  /** Seconds after which no new trial is asked (the trials in flight end first); none: no limit. */
  readonly timeout?: number;
  /** Objective calls in flight at once (default 1). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** Called after each trial is told. */
  readonly onTrial?: (trial: FrozenTrial, study: Study) => void;
  /**
   * Whether an objective error lets the loop go on (default: every error does). The trial is told
   * failed with the error's message either way; an error this rejects stops the loop and is thrown
   * once the trials in flight end.
   */
  readonly catchErrors?: (error: unknown) => boolean;
}

/** What {@link optimize} did. */
export interface OptimizeResult {
  /** Trials told in this call, in the order they finished. */
  readonly trials: readonly FrozenTrial[];
  readonly bestTrial: FrozenTrial | undefined;
  readonly aborted: boolean;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the objective on trials asked from the study until the budget is spent.
 * @param study - the study
 * @param objective - the function to optimise
 * @param options - see {@link OptimizeOptions}
 * @returns the trials told and the study's best trial
 * @throws the first objective error that `catchErrors` rejects, or a sampler, storage or
 *   `onTrial` error, after the trials in flight end
 */
export async function optimize(study: Study, objective: Objective, options: OptimizeOptions): Promise<OptimizeResult> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new StudyError(`concurrency must be an integer ≥ 1, got ${concurrency}`);
  if (options.nTrials === undefined && options.maxTrials === undefined && options.timeout === undefined) throw new StudyError('optimize needs nTrials, maxTrials or timeout');
  const signal = options.signal ?? new AbortController().signal;
  const catchErrors = options.catchErrors ?? (() => true);
  if (options.timeout !== undefined && !(options.timeout >= 0)) throw new StudyError(`timeout must be a number of seconds ≥ 0, got ${options.timeout}`);
  const deadline = options.timeout === undefined ? Infinity : Date.now() + options.timeout * 1000;
  const told: FrozenTrial[] = [];
  const inFlight = new Set<Promise<void>>();
  let asked = 0;
  let elsewhere = 0;
  let fatal: { error: unknown } | undefined;

  const run = async (trial: Trial): Promise<void> => {
    const outcome = await settle(trial, objective, signal);
    try {
      if (outcome === 'released') return study.release(trial);
      if ('error' in outcome && !catchErrors(outcome.error)) fatal ??= { error: outcome.error };
      const frozen = study.tell(trial, 'error' in outcome ? { state: 'failed', error: errorMessage(outcome.error) } : outcome);
      told.push(frozen);
      options.onTrial?.(frozen, study);
    } catch (error) {
      fatal ??= { error };
    }
  };

  const launch = async (room: number): Promise<void> => {
    try {
      await study.prepareSampler();
      for (let i = 0; i < room; i++) {
        const claimed = study.claim(options.maxTrials);
        if (claimed.trial === undefined) {
          elsewhere = claimed.runningElsewhere;
          return;
        }
        elsewhere = 0;
        asked++;
        const task: Promise<void> = run(claimed.trial).finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
    } catch (error) {
      fatal ??= { error };
    }
  };

  const stopHeartbeat = study.startHeartbeat();
  try {
    for (;;) {
      const room = Math.min(concurrency - inFlight.size, (options.nTrials ?? Infinity) - asked);
      const going = !signal.aborted && fatal === undefined && Date.now() < deadline;
      if (room > 0 && going) await launch(room);
      if (inFlight.size > 0) await Promise.race(inFlight);
      else if (elsewhere > 0 && going && room > 0) await sleep(pollInterval(study), undefined, { signal }).catch(() => undefined);
      else break;
    }
  } finally {
    stopHeartbeat();
  }
  if (fatal !== undefined) throw fatal.error;
  return { trials: told, bestTrial: study.bestTrial, aborted: signal.aborted };
}

/** How often a worker whose budget is claimed looks again for trials of dead workers: a tenth of the grace period, 20 ms to 1 s. */
function pollInterval(study: Study): number {
  return Math.max(20, Math.min(1000, study.staleAfterMs / 10));
}

type Settled = { readonly value: number } | { readonly state: 'pruned' } | { readonly error: unknown } | 'released';

async function settle(trial: Trial, objective: Objective, signal: AbortSignal): Promise<Settled> {
  try {
    return { value: await objective(trial, signal) };
  } catch (error) {
    if (error instanceof TrialPruned) return { state: 'pruned' };
    if (signal.aborted) return 'released';
    return { error };
  }
}
