/**
 * An ask/tell study: `ask` claims the next trial (a dead worker's interrupted trial first, then the
 * warm-start queue, then the sampler; see `claim.ts`), `tell` records how it ended, and every step
 * is written through the {@link StudyStorage} at once. Each study object is one worker: it holds
 * the trials it claimed under a lease that its heartbeat keeps fresh, so other processes sharing
 * the study never re-run them. Create one with `createStudy` or resume one with `loadStudy`
 * (`open-study.ts`).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { deriveSeed, Random } from '../random.ts';
import { configHash, describeDomain, isLegalValue, type Configuration, type HyperparameterValue, type SearchSpace } from '../spaces/index.ts';
import { containsValue, declaredKindMatches, describeDistribution, distributionSpace, SINGLE_PARAMETER, type Distribution } from './distributions.ts';
import { SearchSpaceError } from '../errors.ts';
import { StudyError, TrialNotOwnedError } from './errors.ts';
import { optimize, type Objective, type OptimizeOptions, type OptimizeResult } from './optimize.ts';
import type { Pruner } from './pruners/pruner.ts';
import type { Sampler } from './samplers/sampler.ts';
import { retryBusy } from './busy.ts';
import { teachTrial, type StudyTeacher } from './teach.ts';
import { isSpaceName } from './discovered-space.ts';
import { relativeProposal, storedSpace } from './relative.ts';
import type { StudyStorage, TrialOwner, WaitingTrial } from './storage.ts';
import { Trial, type TrialParams } from './trial.ts';
import { isBetter, lastIntermediate, ORIGIN_PATTERN, type FrozenTrial, type SearchHistory, type StudyDirection, type StudyTask, type TellOutcome } from './types.ts';
import type { TrialOutcome } from './storage.ts';

/** Proposals tried before a duplicate of an earlier trial is accepted (a nearly exhausted space). */
const MAX_DUPLICATE_PROPOSALS = 8;

/**
 * The default grace period: a running trial whose worker has not beaten for this long (60 s) is
 * taken as abandoned (its process died) and re-claimed under its number by another worker.
 */
export const DEFAULT_STALE_AFTER_MS = 60_000;

/** @returns a new worker identity for this process: host, pid and a random token */
export function newTrialOwner(): TrialOwner {
  const host = hostname();
  return { id: `${host}:${process.pid}:${randomUUID().slice(0, 8)}`, host, pid: process.pid };
}

/** What {@link Study.claim} found: a trial, or none because the budget is spent. */
export type StudyClaim = { readonly trial: Trial } | { readonly trial: undefined; readonly runningElsewhere: number };

/** Everything a study is made of. */
export interface StudyParts {
  readonly name: string;
  /** The declared space; none: the objective defines the parameters (`trial.suggest*`). */
  readonly space: SearchSpace | undefined;
  /** The name the study's space is stored under (default the declared space's name, else 'define-by-run'). */
  readonly spaceName?: string;
  readonly direction: StudyDirection;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly storage: StudyStorage;
  readonly seed: number;
  readonly task?: StudyTask;
  /** Writes each finished trial as an evaluation (a study created with a `protocol`); see `teach.ts`. */
  readonly teacher?: StudyTeacher;
  /** Called by {@link Study.close} (e.g. closing the store that `createStudy` opened from a URL). */
  readonly onClose?: () => void;
  /** This worker (default: a new identity for this process). */
  readonly owner?: TrialOwner;
  /** Grace period of other workers' heartbeats (default {@link DEFAULT_STALE_AFTER_MS}; `Infinity`: never re-claim). */
  readonly staleAfterMs?: number;
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
  /** The declared space, or undefined for a define-by-run study. */
  readonly declaredSpace: SearchSpace | undefined;
  /** The name the study's space is stored under. */
  readonly spaceName: string;
  readonly direction: StudyDirection;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly storage: StudyStorage;
  readonly seed: number;
  readonly task: StudyTask | undefined;
  /** The worker this study object is: it holds the trials it claimed. */
  readonly owner: TrialOwner;
  /** A running trial of another worker whose heartbeat is older than this is re-claimed. */
  readonly staleAfterMs: number;
  private readonly live = new Map<number, Trial>();
  /** Define-by-run with a relative sampler: each live trial's whole-configuration proposal (null: no known space). */
  private readonly proposals = new Map<number, Configuration | null>();
  private readonly onClose: (() => void) | undefined;
  /** Where finished trials are written as evaluations, when the study teaches the store. */
  readonly teacher: StudyTeacher | undefined;

  /** @param parts - see {@link StudyParts}; use `createStudy` or `loadStudy` rather than this */
  constructor(parts: StudyParts) {
    this.name = parts.name;
    this.declaredSpace = parts.space;
    this.spaceName = parts.spaceName ?? parts.space?.name ?? DEFINE_BY_RUN_SPACE;
    this.onClose = parts.onClose;
    this.teacher = parts.teacher;
    this.direction = parts.direction;
    this.sampler = parts.sampler;
    this.pruner = parts.pruner;
    this.storage = parts.storage;
    this.seed = parts.seed;
    this.task = parts.task;
    this.owner = parts.owner ?? newTrialOwner();
    this.staleAfterMs = parts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    if (!(this.staleAfterMs >= 0)) throw new StudyError(`staleAfterMs must be ≥ 0, got ${this.staleAfterMs}`);
  }

  /**
   * The declared space.
   * @throws StudyError for a define-by-run study (its parameters are what the objective suggests)
   */
  get space(): SearchSpace {
    if (this.declaredSpace === undefined) throw new StudyError(`study '${this.name}' is define-by-run: it has no declared space`);
    return this.declaredSpace;
  }

  /** Whether the objective defines the parameters (`trial.suggestFloat`...) instead of a declared space. */
  get definesByRun(): boolean {
    return this.declaredSpace === undefined;
  }

  /** The best complete trial's parameters. @throws StudyError before a trial completes */
  get bestParams(): TrialParams {
    return this.requireBest().config;
  }

  /** The best complete trial's value. @throws StudyError before a trial completes */
  get bestValue(): number {
    return this.requireBest().value as number;
  }

  private requireBest(): FrozenTrial {
    const best = this.bestTrial;
    if (best === undefined) throw new StudyError(`study '${this.name}' has no complete trial yet`);
    return best;
  }

  /** Closes what the study opened itself (the store of a storage URL); a no-op otherwise. */
  close(): void {
    this.onClose?.();
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
   * Starts the next trial: an interrupted trial of a dead worker (same number and configuration),
   * else the oldest queued configuration, else the sampler's proposal.
   * @returns the running trial, held by this worker
   */
  ask(): Trial {
    const claimed = this.claim();
    if (claimed.trial === undefined) throw new StudyError(`study '${this.name}': no trial could be claimed`);
    return claimed.trial;
  }

  /**
   * Claims the next trial as {@link ask} does, but only while the study holds fewer than `budget`
   * trials (every state counts, other workers' included): several processes sharing a study with
   * the same budget end with exactly `budget` trials. One atomic storage operation.
   * @param budget - the most trials the study may hold (none: no limit)
   * @returns the trial, or none with how many trials other live workers still run
   */
  claim(budget?: number): StudyClaim {
    const result = this.storage.claimTrial(this.name, {
      owner: this.owner, budget, staleAfterMs: this.staleAfterMs,
      propose: (trials, waiting) => {
        // a define-by-run trial starts empty: its parameters are sampled as the objective asks
        if (this.declaredSpace === undefined) return { configHash: configHash({}), config: {}, origin: this.defineByRunOrigin() };
        const { config, origin } = this.propose(trials, waiting);
        return { configHash: configHash(config), config, origin };
      },
      complete: (entry, trials, waiting) => {
        if (this.declaredSpace === undefined || this.isComplete(entry.config)) return entry;
        const config = this.completePartial(entry.config, trials, waiting);
        return { configHash: configHash(config), config, origin: entry.origin };
      },
    });
    return result.trial === undefined ? { trial: undefined, runningElsewhere: result.running } : { trial: this.track(result.trial) };
  }

  /** Refreshes the heartbeat of the trials this worker runs. @returns how many */
  heartbeat(): number {
    return this.storage.heartbeat(this.name, this.owner.id);
  }

  /**
   * Beats every `intervalMs` (default a quarter of the grace period, at most 15 s) until the
   * returned function is called; the timer does not keep the process alive. A beat that fails
   * (a busy database past its retries) is skipped: the next one tries again.
   * @returns stops the heartbeat
   */
  startHeartbeat(intervalMs: number = Math.max(50, Math.min(15_000, this.staleAfterMs / 4))): () => void {
    const timer = setInterval(() => {
      try {
        if (this.live.size > 0) this.heartbeat();
      } catch {
        // the next beat tries again; a missed beat only matters past the grace period
      }
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
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
    const valid = this.declaredSpace === undefined ? checkedParams(config) : this.space.validateConfiguration(config);
    // the check and the append are one storage operation: processes enqueueing the same warm start
    // at once queue each configuration once
    return this.storage.enqueueTrial(this.name, { configHash: configHash(valid), config: valid, origin }, { skipIfKnown: options.skipIfTried ?? true });
  }

  /**
   * Queues parameters for a coming trial (Optuna's `enqueue_trial`): they may be partial. In a
   * declared space the missing hyperparameters are drawn when the trial is claimed (the sampler's
   * proposal, the given values kept; the given values must be legal and their conditions hold);
   * in a define-by-run study `suggest*` returns a given value (it must lie in the distribution
   * asked) and samples the others.
   * @param params - values of some or all parameters
   * @param options - origin (default 'enqueued') and duplicate handling
   * @returns false when it was skipped as already tried or queued
   * @throws SearchSpaceError when a given value is not legal in the declared space
   */
  enqueueTrial(params: TrialParams, options: EnqueueOptions = {}): boolean {
    const origin = options.origin ?? 'enqueued';
    if (!ORIGIN_PATTERN.test(origin)) throw new StudyError(`origin '${origin}' must look like 'kind' or 'kind:detail' (e.g. 'warm-start:knn')`);
    const checked = this.declaredSpace === undefined ? checkedParams(params) : this.checkedPartial(params);
    return this.storage.enqueueTrial(this.name, { configHash: configHash(checked), config: checked, origin }, { skipIfKnown: options.skipIfTried ?? true });
  }

  /**
   * Ends a running trial. A non-finite value ends it as failed; a pruned trial keeps its last
   * reported value.
   * @param trial - the trial or its number
   * @param outcome - `{ value }`, `{ state: 'failed', error }` or `{ state: 'pruned' }`
   * @returns the finished trial as stored
   * @throws TrialNotOwnedError when this worker no longer holds the trial (it was re-claimed)
   * @throws StoreError when the trial is not running
   */
  tell(trial: Trial | number, outcome: TellOutcome): FrozenTrial {
    const number = typeof trial === 'number' ? trial : trial.number;
    const handle = this.live.get(number);
    // a define-by-run trial's parameters are those the objective suggested, written with its outcome
    const params = this.declaredSpace === undefined && handle !== undefined ? handle.suggestedParams : undefined;
    const withParams = (o: TrialOutcome): TrialOutcome => (params === undefined ? o : { ...o, config: params, configHash: configHash(params) });
    const finish = (o: TrialOutcome) => this.storage.finishTrial(this.name, number, withParams(o), this.owner.id);
    let finished: FrozenTrial;
    try {
      if (outcome.state === 'failed') {
        finished = finish({ state: 'failed', value: null, error: outcome.error });
      } else if (outcome.state === 'pruned') {
        const reported = handle === undefined ? this.stored(number) : handle.snapshot();
        finished = finish({ state: 'pruned', value: lastIntermediate(reported)?.value ?? null });
      } else if (!Number.isFinite(outcome.value)) {
        finished = finish({ state: 'failed', value: null, error: `objective value ${outcome.value} is not finite` });
      } else {
        finished = finish({ state: 'complete', value: outcome.value });
      }
    } catch (error) {
      if (error instanceof TrialNotOwnedError) this.live.delete(number);
      throw error;
    }
    handle?.markFinished(finished.state);
    this.live.delete(number);
    this.proposals.delete(number);
    this.teach(finished, handle);
    return finished;
  }

  /** Writes a finished trial as an evaluation when the study teaches the store (busy database: retried). */
  private teach(trial: FrozenTrial, handle: Trial | undefined): void {
    const teacher = this.teacher;
    if (teacher === undefined) return;
    retryBusy(() => teachTrial(teacher, trial, handle?.distributions ?? new Map()));
  }

  /**
   * Hands a running trial back unfinished (its evaluation was aborted): its lease is dropped, so
   * the next `ask` of any worker (this one or a resumed process) claims it again with the same
   * number, without waiting for the grace period.
   * @param trial - a running trial of this study
   */
  release(trial: Trial): void {
    if (trial.state !== 'running' || !this.live.has(trial.number)) throw new StudyError(`trial ${trial.number} is not running here`);
    this.live.delete(trial.number);
    this.proposals.delete(trial.number);
    this.storage.releaseTrial(this.name, trial.number, this.owner.id);
  }

  /** @returns the trials this worker runs now */
  get running(): readonly Trial[] {
    return [...this.live.values()];
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
    const space = this.declaredSpace ?? (this.sampler.independentSampler === undefined ? undefined : storedSpace(this.storage, this.spaceName));
    if (space === undefined) return;
    await this.sampler.prepare?.(space, this.history(this.storage.listTrials(this.name)));
  }

  /** A define-by-run trial's origin: `sampler:<name>`, or `sampler:<name>:<independent>` for a relative sampler whose space is not known yet (`relative.ts`). */
  private defineByRunOrigin(): string {
    const independent = this.sampler.independentSampler;
    if (independent === undefined || storedSpace(this.storage, this.spaceName) !== undefined) return `sampler:${this.sampler.name}`;
    return `sampler:${this.sampler.name}:${independent.name}`;
  }

  /** The relative sampler's proposal for a define-by-run trial, made at its first suggest call (`relative.ts`); null without a known space. */
  private proposalOf(trial: Trial): Configuration | null {
    let proposal = this.proposals.get(trial.number);
    if (proposal === undefined) {
      const space = storedSpace(this.storage, this.spaceName);
      proposal = space === undefined ? null : relativeProposal(this.sampler, space, this.storage.listTrials(this.name), { direction: this.direction, task: this.task }, this.seed, trial.number);
      this.proposals.set(trial.number, proposal);
    }
    return proposal;
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

  /**
   * The sampler's proposal, redrawn while it repeats a trial or a queued configuration; a uniform
   * draw as last resort. Called inside the claim's transaction: `trials` holds every worker's
   * running trials, which the sampler sees as pending (constant liar).
   */
  private propose(trials: readonly FrozenTrial[], waiting: readonly WaitingTrial[]): { config: Configuration; origin: string } {
    const next = trials.length === 0 ? 0 : trials[trials.length - 1].number + 1;
    const rng = new Random(deriveSeed(this.seed, 'ask', next));
    const history = this.history(trials);
    const tried = new Set([...trials, ...waiting].map((t) => t.configHash));
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

  /** Whether a queued configuration of the declared space is whole (every active hyperparameter given). */
  private isComplete(config: Configuration): boolean {
    try {
      this.space.validateConfiguration(config);
      return true;
    } catch {
      return false;
    }
  }

  /** Checks the given values of a partial configuration of the declared space. */
  private checkedPartial(params: TrialParams): Configuration {
    const out: Record<string, HyperparameterValue> = {};
    for (const [name, value] of Object.entries(checkedParams(params))) {
      const hp = this.space.hyperparameter(name);
      if (!isLegalValue(hp, value)) throw new SearchSpaceError(`search space '${this.space.name}': ${JSON.stringify(value)} is not a legal value of '${name}' (${describeDomain(hp)})`);
      out[name] = value;
    }
    return out;
  }

  /**
   * Completes a partial queued configuration of the declared space: the sampler's proposals (then
   * uniform draws) with the given values put in, until one is legal with them active.
   */
  private completePartial(partial: Configuration, trials: readonly FrozenTrial[], waiting: readonly WaitingTrial[]): Configuration {
    const next = trials.length === 0 ? 0 : trials[trials.length - 1].number + 1;
    const rng = new Random(deriveSeed(this.seed, 'complete', next));
    const history = this.history(trials);
    const fill = (base: Configuration): Configuration | undefined => {
      // every hyperparameter gets a value (a draw of a fully active assignment), the given ones win
      const whole: Record<string, HyperparameterValue> = { ...this.space.defaultConfiguration(), ...base, ...partial };
      for (const hp of this.space.hyperparameters) if (whole[hp.name] === undefined) whole[hp.name] = this.space.defaultConfiguration()[hp.name] ?? hp.defaultValue;
      const config = this.space.applyConditions(whole);
      if (Object.keys(partial).some((name) => config[name] === undefined)) return undefined;
      return this.isComplete(config) ? this.space.validateConfiguration(config) : undefined;
    };
    for (let attempt = 0; attempt < MAX_DUPLICATE_PROPOSALS; attempt++) {
      const found = fill(this.sampler.sample(this.space, history, rng));
      if (found !== undefined) return found;
    }
    const everyHp = (): Configuration => {
      const out: Record<string, HyperparameterValue> = {};
      for (const hp of this.space.hyperparameters) out[hp.name] = this.space.sampleRandom(rng, 1)[0][hp.name] ?? hp.defaultValue;
      return out;
    };
    for (let attempt = 0; attempt < 8 * MAX_DUPLICATE_PROPOSALS; attempt++) {
      const found = fill(everyHp());
      if (found !== undefined) return found;
    }
    void waiting;
    throw new StudyError(`study '${this.name}': the enqueued values ${JSON.stringify(partial)} cannot be completed to a legal configuration (an inactive or forbidden combination)`);
  }

  /**
   * The value of a parameter a define-by-run objective asks for: an enqueued (fixed) value, else
   * the sampler's draw from the distribution given the finished trials that have the parameter
   * (Optuna's independent sampling; pending trials' parameters are not known before they end).
   * In a declared space, the configuration's value.
   */
  private suggestValue(trial: Trial, name: string, distribution: Distribution): HyperparameterValue {
    if (this.declaredSpace !== undefined) return this.declaredValue(trial, name, distribution);
    if (this.teacher !== undefined && !isSpaceName(name)) {
      throw new StudyError(`parameter '${name}': a study that stores its trials as evaluations needs names that start with a letter, then letters, digits, _, - or .`);
    }
    const fixed = trial.fixedParams[name];
    if (fixed !== undefined) {
      if (!containsValue(distribution, fixed)) throw new StudyError(`trial ${trial.number}: the enqueued value ${JSON.stringify(fixed)} of '${name}' is not a ${describeDistribution(distribution)}`);
      return fixed;
    }
    const independent = this.sampler.independentSampler;
    if (independent !== undefined) {
      const proposed = this.proposalOf(trial)?.[name];
      if (proposed !== undefined && containsValue(distribution, proposed)) return proposed;
    }
    const space = distributionSpace(distribution);
    const project = (t: FrozenTrial): FrozenTrial => ({ ...t, config: { [SINGLE_PARAMETER]: t.config[name] } });
    const finished = this.storage.listTrials(this.name).filter((t) => t.state !== 'running' && t.number !== trial.number);
    const kindClash = finished.find((t) => t.config[name] !== undefined && !sameKind(distribution, t.config[name]));
    if (kindClash !== undefined) {
      throw new StudyError(`trial ${trial.number}: parameter '${name}' is asked as ${describeDistribution(distribution)}, but trial ${kindClash.number} holds ${JSON.stringify(kindClash.config[name])}; a name keeps its kind within a study`);
    }
    // the history of this parameter: finished trials whose value lies in today's distribution
    const history: SearchHistory = {
      direction: this.direction,
      trials: finished.filter((t) => containsValue(distribution, t.config[name])).map(project),
      pending: [],
      task: this.task,
    };
    const rng = new Random(deriveSeed(this.seed, 'suggest', trial.number, name));
    const sampler = independent ?? this.sampler;
    const value = sampler.sample(space, history, rng)[SINGLE_PARAMETER];
    if (value === undefined) throw new StudyError(`sampler '${sampler.name}' drew no value for '${name}'`);
    return value;
  }

  private declaredValue(trial: Trial, name: string, distribution: Distribution): HyperparameterValue {
    const value = trial.config[name];
    let hp;
    try {
      hp = this.space.hyperparameter(name);
    } catch {
      throw new StudyError(`trial ${trial.number}: '${name}' is not a hyperparameter of search space '${this.space.name}'`);
    }
    if (!declaredKindMatches(hp, distribution)) throw new StudyError(`trial ${trial.number}: '${name}' is a ${hp.type} hyperparameter of '${this.space.name}', asked as ${describeDistribution(distribution)}`);
    if (value === undefined) throw new StudyError(`trial ${trial.number}: '${name}' is inactive in this configuration (its condition does not hold); ask for it only when it applies`);
    return value;
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
        reportIntermediate: (number, step, value) => {
          try {
            this.storage.reportIntermediate(this.name, number, step, value, this.owner.id);
          } catch (error) {
            if (error instanceof TrialNotOwnedError) this.live.delete(number);
            throw error;
          }
        },
        shouldPrune: (snapshot) => this.pruner.shouldPrune(snapshot, { direction: this.direction, trials: this.storage.listTrials(this.name) }),
        suggest: (handle, name, distribution) => this.suggestValue(handle, name, distribution),
        definesByRun: () => this.declaredSpace === undefined,
      },
      record,
    );
    this.live.set(record.number, trial);
    return trial;
  }
}

/** The space name of a define-by-run study that names none. */
export const DEFINE_BY_RUN_SPACE = 'define-by-run';

/** @returns the parameters, checked to be strings, finite numbers or booleans */
function checkedParams(params: TrialParams): Configuration {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new StudyError('parameters must be an object of name → value');
  for (const [name, value] of Object.entries(params)) {
    const ok = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) throw new StudyError(`parameter '${name}': a value must be a string, a finite number or a boolean, got ${String(value)}`);
  }
  return { ...params };
}

function sameKind(d: Distribution, value: HyperparameterValue | undefined): boolean {
  if (value === undefined) return true;
  if (d.type === 'categorical') return true;
  return typeof value === 'number';
}
