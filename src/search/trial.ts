/**
 * A running trial as the objective sees it: its configuration and origin, `report` for
 * intermediate values (one per epoch) and `shouldPrune` to ask the study's pruner.
 */
import type { HyperparameterValue } from '../spaces/index.ts';
import { categoricalDistribution, describeDistribution, floatDistribution, intDistribution, sameDistribution, type Distribution, type SuggestNumberOptions } from './distributions.ts';
import { StudyError } from './errors.ts';
import type { FrozenTrial, TrialState } from './types.ts';

/** Thrown by an objective to stop a trial the pruner judged hopeless; `optimize` tells it pruned. */
export class TrialPruned extends Error {
  constructor(message = 'trial pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}

/** What a trial needs from its study: writing reports through, and asking the pruner. */
export interface TrialHost {
  reportIntermediate(trialNumber: number, step: number, value: number): void;
  shouldPrune(trial: FrozenTrial): boolean;
  /** The value of a parameter first asked in this trial: the declared configuration's, an enqueued one, or the sampler's. */
  suggest(trial: Trial, name: string, distribution: Distribution): HyperparameterValue;
  /** Whether the study's parameters are defined by the objective (no declared space). */
  definesByRun?(): boolean;
}

/** A trial's parameters: name → value (numbers for floats and integers). */
export type TrialParams = Readonly<Record<string, number | string | boolean>>;

/** A live handle on a running trial. Finish it with `study.tell`. */
export class Trial {
  readonly number: number;
  readonly config: FrozenTrial['config'];
  readonly configHash: string;
  /** Why this configuration was tried: 'warm-start:learned', 'sampler:tpe', 'default', 'enqueued'... */
  readonly origin: string;
  readonly startedAt: string;
  private readonly host: TrialHost;
  private readonly record: FrozenTrial;
  private values: (number | null)[] = [];
  private lastNonFinite = false;
  private currentState: TrialState = 'running';
  private readonly suggested = new Map<string, { readonly distribution: Distribution; readonly value: HyperparameterValue }>();

  /**
   * @param host - the study the trial belongs to
   * @param record - the stored running trial
   */
  constructor(host: TrialHost, record: FrozenTrial) {
    this.host = host;
    this.record = record;
    this.number = record.number;
    this.config = record.config;
    this.configHash = record.configHash;
    this.origin = record.origin;
    this.startedAt = record.startedAt;
  }

  /**
   * A float in [low, high] (Optuna's `suggest_float`): log-uniform with `log`, on the grid
   * `low + k·step` with `step`. Asking the same name again with the same distribution returns the
   * same value; another distribution is an error. A parameter that an objective does not ask for
   * (a conditional one) is simply not part of the trial.
   * @throws StudyError for a bad range, or a name asked before with another distribution
   */
  suggestFloat(name: string, low: number, high: number, options: SuggestNumberOptions = {}): number {
    return this.suggest(name, floatDistribution(name, low, high, options)) as number;
  }

  /**
   * An integer in [low, high] (Optuna's `suggest_int`): log-uniform with `log`, on the grid
   * `low + k·step` with `step`. Same-name rules as {@link suggestFloat}.
   */
  suggestInt(name: string, low: number, high: number, options: SuggestNumberOptions = {}): number {
    return this.suggest(name, intDistribution(name, low, high, options)) as number;
  }

  /**
   * One of `choices` (Optuna's `suggest_categorical`), typed as the union of the choices:
   * `suggestCategorical('opt', ['adam', 'sgd'])` is `'adam' | 'sgd'`. Same-name rules as
   * {@link suggestFloat}.
   */
  suggestCategorical<const T extends readonly (string | number | boolean)[]>(name: string, choices: T): T[number] {
    return this.suggest(name, categoricalDistribution(name, choices)) as T[number];
  }

  private suggest(name: string, distribution: Distribution): HyperparameterValue {
    if (this.currentState !== 'running') throw new StudyError(`trial ${this.number} is ${this.currentState}; suggest only while it runs`);
    const known = this.suggested.get(name);
    if (known !== undefined) {
      if (!sameDistribution(known.distribution, distribution)) {
        throw new StudyError(`trial ${this.number}: parameter '${name}' was suggested as ${describeDistribution(known.distribution)}, now asked as ${describeDistribution(distribution)}; one name, one distribution`);
      }
      return known.value;
    }
    const value = this.host.suggest(this, name, distribution);
    this.suggested.set(name, { distribution, value });
    return value;
  }

  /** The parameters suggested so far in this run, with their distributions, in the order asked. */
  get distributions(): ReadonlyMap<string, Distribution> {
    return new Map([...this.suggested].map(([name, s]) => [name, s.distribution]));
  }

  /** The parameters suggested so far (define-by-run), in the order asked. */
  get suggestedParams(): TrialParams {
    return Object.fromEntries([...this.suggested].map(([name, s]) => [name, s.value]));
  }

  /**
   * The trial's parameters: a declared space's configuration (every active hyperparameter), or
   * for a define-by-run study those suggested so far.
   */
  get params(): TrialParams {
    return this.host.definesByRun?.() === true ? this.suggestedParams : this.config;
  }

  /** 'running' until told. */
  get state(): TrialState {
    return this.currentState;
  }

  /**
   * The values the trial starts with: a declared space's whole configuration, or a define-by-run
   * study's enqueued (fixed) parameters.
   */
  get fixedParams(): TrialParams {
    return this.config;
  }

  /** Values reported in this run, by step (null where none; non-finite values read as null). */
  get intermediate(): readonly (number | null)[] {
    return this.values;
  }

  /**
   * Records the objective's value at a step and writes it through to storage. Report values in
   * the study's direction (e.g. validation accuracy per epoch for a maximised accuracy), since the
   * pruner compares them with that direction.
   * @param step - an integer ≥ 0, usually the number of epochs trained so far
   * @param value - the value at that step
   * @throws StudyError when the trial is no longer running or the step is not an integer ≥ 0
   */
  report(step: number, value: number): void {
    if (this.currentState !== 'running') throw new StudyError(`trial ${this.number} is ${this.currentState}; report only while it runs`);
    if (!Number.isSafeInteger(step) || step < 0) throw new StudyError(`trial ${this.number}: step must be an integer ≥ 0, got ${step}`);
    this.host.reportIntermediate(this.number, step, value);
    while (this.values.length <= step) this.values.push(null);
    this.values[step] = Number.isFinite(value) ? value : null;
    this.lastNonFinite = !Number.isFinite(value);
  }

  /** @returns whether the study's pruner says to stop now (always true after a non-finite report) */
  shouldPrune(): boolean {
    if (this.currentState !== 'running') return false;
    return this.lastNonFinite || this.host.shouldPrune(this.snapshot());
  }

  /** @returns the trial as stored now, with this run's intermediate values */
  snapshot(): FrozenTrial {
    return { ...this.record, state: this.currentState, intermediate: [...this.values] };
  }

  /** Called by the study when the trial is told; not for objectives. */
  markFinished(state: TrialState): void {
    this.currentState = state;
  }
}
