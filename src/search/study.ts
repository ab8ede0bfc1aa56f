/**
 * An ask/tell study: `ask` hands out the next trial (an interrupted trial first, then the
 * warm-start queue, then the sampler), `tell` records how it ended, and every step is written
 * through the {@link StudyStorage} at once. Create one with `createStudy` or resume one with
 * `loadStudy` (`open-study.ts`).
 */
import { deriveSeed, Random } from '../random.ts';
import { configHash, type Configuration, type SearchSpace } from '../spaces/index.ts';
import { StudyError } from './errors.ts';
import { optimize, type Objective, type OptimizeOptions, type OptimizeResult } from './optimize.ts';
import type { Pruner } from './pruners/pruner.ts';
import type { Sampler } from './samplers/sampler.ts';
import type { StudyStorage } from './storage.ts';
import { Trial } from './trial.ts';
import { isBetter, lastIntermediate, ORIGIN_PATTERN, type FrozenTrial, type SearchHistory, type StudyDirection, type StudyTask, type TellOutcome } from './types.ts';

/** Proposals tried before a duplicate of an earlier trial is accepted (a nearly exhausted space). */
const MAX_DUPLICATE_PROPOSALS = 8;

/** Everything a study is made of. */
export interface StudyParts {
  readonly name: string;
  readonly space: SearchSpace;
  readonly direction: StudyDirection;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly storage: StudyStorage;
  readonly seed: number;
  readonly task?: StudyTask;
  /** Running trials of a crashed process, handed out again (same number) before anything else. */
  readonly resumable?: readonly FrozenTrial[];
}

/** Options of {@link Study.enqueue}. */
export interface EnqueueOptions {
  /** Why the configuration is tried: 'warm-start:<model>', 'default', 'enqueued' (the default)... */
  readonly origin?: string;
  /** Skip a configuration already tried or queued in this study (default true). */
  readonly skipIfTried?: boolean;
}

/** An ask/tell study; see the module comment. */
export class Study {
  readonly name: string;
  readonly space: SearchSpace;
  readonly direction: StudyDirection;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly storage: StudyStorage;
  readonly seed: number;
  readonly task: StudyTask | undefined;
  private readonly resumable: FrozenTrial[];
  private readonly live = new Map<number, Trial>();

  /** @param parts - see {@link StudyParts}; use `createStudy` or `loadStudy` rather than this */
  constructor(parts: StudyParts) {
    this.name = parts.name;
    this.space = parts.space;
    this.direction = parts.direction;
    this.sampler = parts.sampler;
    this.pruner = parts.pruner;
    this.storage = parts.storage;
    this.seed = parts.seed;
    this.task = parts.task;
    this.resumable = [...(parts.resumable ?? [])];
  }

  /** Every trial, sorted by number, as stored now. */
  get trials(): FrozenTrial[] {
    return this.storage.listTrials(this.name);
  }

  /** The best complete trial (the lowest number on ties), or undefined before one completes. */
  get bestTrial(): FrozenTrial | undefined {
    let best: FrozenTrial | undefined;
    for (const t of this.trials) {
      if (t.state !== 'complete' || t.value === null) continue;
      if (best === undefined || best.value === null || isBetter(t.value, best.value, this.direction)) best = t;
    }
    return best;
  }

  /**
   * Starts the next trial: an interrupted trial of a killed process (same number and
   * configuration), else the oldest queued configuration, else the sampler's proposal.
   * @returns the running trial
   */
  ask(): Trial {
    const resumed = this.resumable.shift();
    if (resumed !== undefined) return this.track(resumed);
    const waiting = this.storage.startWaitingTrial(this.name);
    if (waiting !== undefined) return this.track(waiting);
    const { config, origin } = this.propose(this.storage.listTrials(this.name));
    return this.track(this.storage.startTrial(this.name, { configHash: configHash(config), config, origin }));
  }

  /**
   * Starts `n` trials to evaluate at once; each proposal sees the earlier ones as pending, so the
   * sampler spreads them out and never repeats a pending configuration.
   * @param n - number of trials
   * @returns the running trials
   */
  askBatch(n: number): Trial[] {
    if (!Number.isInteger(n) || n < 0) throw new StudyError(`askBatch: n must be an integer ≥ 0, got ${n}`);
    return Array.from({ length: n }, () => this.ask());
  }

  /**
   * Adds a configuration to the warm-start queue: it is asked before the sampler is consulted.
   * @param config - a configuration of the study's space
   * @param options - origin and duplicate handling
   * @returns false when it was skipped as already tried or queued
   * @throws SearchSpaceError when the configuration is not legal in the space
   * @throws StudyError for a malformed origin
   */
  enqueue(config: Configuration, options: EnqueueOptions = {}): boolean {
    const origin = options.origin ?? 'enqueued';
    if (!ORIGIN_PATTERN.test(origin)) throw new StudyError(`origin '${origin}' must look like 'kind' or 'kind:detail' (e.g. 'warm-start:knn')`);
    const valid = this.space.validateConfiguration(config);
    const hash = configHash(valid);
    if (options.skipIfTried ?? true) {
      const known = [...this.storage.listTrials(this.name), ...this.storage.listWaiting(this.name)];
      if (known.some((t) => t.configHash === hash)) return false;
    }
    this.storage.enqueueTrial(this.name, { configHash: hash, config: valid, origin });
    return true;
  }

  /**
   * Ends a running trial. A non-finite value ends it as failed; a pruned trial keeps its last
   * reported value.
   * @param trial - the trial or its number
   * @param outcome - `{ value }`, `{ state: 'failed', error }` or `{ state: 'pruned' }`
   * @returns the finished trial as stored
   * @throws StoreError when the trial is not running
   */
  tell(trial: Trial | number, outcome: TellOutcome): FrozenTrial {
    const number = typeof trial === 'number' ? trial : trial.number;
    const handle = this.live.get(number);
    let finished: FrozenTrial;
    if (outcome.state === 'failed') {
      finished = this.storage.finishTrial(this.name, number, { state: 'failed', value: null, error: outcome.error });
    } else if (outcome.state === 'pruned') {
      const reported = handle === undefined ? this.stored(number) : handle.snapshot();
      finished = this.storage.finishTrial(this.name, number, { state: 'pruned', value: lastIntermediate(reported)?.value ?? null });
    } else if (!Number.isFinite(outcome.value)) {
      finished = this.storage.finishTrial(this.name, number, { state: 'failed', value: null, error: `objective value ${outcome.value} is not finite` });
    } else {
      finished = this.storage.finishTrial(this.name, number, { state: 'complete', value: outcome.value });
    }
    handle?.markFinished(finished.state);
    this.live.delete(number);
    return finished;
  }

  /**
   * Hands a running trial back unfinished (its evaluation was aborted): the next `ask` returns it
   * again with the same number, as after a crash.
   * @param trial - a running trial of this study
   */
  release(trial: Trial): void {
    if (trial.state !== 'running' || !this.live.has(trial.number)) throw new StudyError(`trial ${trial.number} is not running here`);
    this.live.delete(trial.number);
    this.resumable.unshift(this.stored(trial.number));
  }

  /**
   * Runs `objective` on asked trials until the budget is spent; see {@link optimize}.
   * @param objective - the function to optimise
   * @param options - budget, concurrency, abort signal, callback
   * @returns the trials told and the best trial
   */
  optimize(objective: Objective, options: OptimizeOptions): Promise<OptimizeResult> {
    return optimize(this, objective, options);
  }

  /** Runs the sampler's asynchronous preparation (if it has one) on the current history. */
  async prepareSampler(): Promise<void> {
    await this.sampler.prepare?.(this.space, this.history(this.storage.listTrials(this.name)));
  }

  /**
   * @param trials - trials of this study (e.g. `study.trials`)
   * @returns the history a sampler sees: finished and pending trials, direction, task
   */
  history(trials: readonly FrozenTrial[]): SearchHistory {
    return {
      direction: this.direction,
      trials: trials.filter((t) => t.state !== 'running'),
      pending: trials.filter((t) => t.state === 'running'),
      task: this.task,
    };
  }

  /** The sampler's proposal, redrawn while it repeats a trial or a queued configuration; a uniform draw as last resort. */
  private propose(trials: readonly FrozenTrial[]): { config: Configuration; origin: string } {
    const next = trials.length === 0 ? 0 : trials[trials.length - 1].number + 1;
    const rng = new Random(deriveSeed(this.seed, 'ask', next));
    const history = this.history(trials);
    const tried = new Set([...trials, ...this.storage.listWaiting(this.name)].map((t) => t.configHash));
    for (let attempt = 0; attempt < MAX_DUPLICATE_PROPOSALS; attempt++) {
      const config = this.checked(this.sampler.sample(this.space, history, rng));
      if (!tried.has(configHash(config))) return { config, origin: this.sampler.originOf?.(history) ?? `sampler:${this.sampler.name}` };
    }
    for (let attempt = 0; attempt < 4 * MAX_DUPLICATE_PROPOSALS; attempt++) {
      const config = this.space.sampleRandom(rng, 1)[0];
      if (!tried.has(configHash(config))) return { config, origin: 'sampler:random' };
    }
    return { config: this.space.sampleRandom(rng, 1)[0], origin: 'sampler:random' };
  }

  private checked(config: Configuration): Configuration {
    return this.space.validateConfiguration(config);
  }

  private stored(number: number): FrozenTrial {
    const found = this.storage.listTrials(this.name).find((t) => t.number === number);
    if (found === undefined) throw new StudyError(`study '${this.name}' has no trial ${number}`);
    return found;
  }

  private track(record: FrozenTrial): Trial {
    const trial = new Trial(
      {
        reportIntermediate: (number, step, value) => this.storage.reportIntermediate(this.name, number, step, value),
        shouldPrune: (snapshot) => this.pruner.shouldPrune(snapshot, { direction: this.direction, trials: this.storage.listTrials(this.name) }),
      },
      record,
    );
    this.live.set(record.number, trial);
    return trial;
  }
}
