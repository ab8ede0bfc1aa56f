/**
 * A running trial as the objective sees it: its configuration and origin, `report` for
 * intermediate values (one per epoch) and `shouldPrune` to ask the study's pruner.
 */
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
}

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

  /** 'running' until told. */
  get state(): TrialState {
    return this.currentState;
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
