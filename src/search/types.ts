/**
 * The data of an ask/tell study: finished and running trials as samplers and pruners see them,
 * what `tell` accepts, and the task context that a meta-learning sampler reads.
 */
import type { JsonValue, StudyDirection, TrialRecord, TrialState } from '../store/records.ts';

export type { JsonValue, StudyDirection, TrialState };

/**
 * A trial as stored: its number, configuration, origin, state, value and intermediate values.
 * `intermediate[step]` is the value reported at that step (an epoch count), null where none was.
 * The same shape as the store's `TrialRecord`, so a {@link StudyStorage} over the meta-knowledge
 * store needs no conversion.
 */
export type FrozenTrial = TrialRecord;

/** How a trial ended, as given to `study.tell`. */
export type TellOutcome =
  | { readonly state?: 'complete'; readonly value: number }
  | { readonly state: 'failed'; readonly error: string }
  | { readonly state: 'pruned' };

/**
 * The task a study optimises for, as a meta-learning sampler needs it: the task's registered
 * name and its meta-features (the same vector the meta-knowledge store keeps).
 */
export interface StudyTask {
  readonly name: string;
  readonly metaFeatures?: Readonly<Record<string, number | null>>;
}

/**
 * What a sampler may learn from: every finished trial, the trials asked but not told yet (so a
 * batch of asks can avoid proposing the same region twice), the direction, and the task.
 */
export interface SearchHistory {
  readonly direction: StudyDirection;
  /** Finished trials (complete, pruned, failed) sorted by number. */
  readonly trials: readonly FrozenTrial[];
  /** Running trials, including those asked earlier in the same batch. */
  readonly pending: readonly FrozenTrial[];
  readonly task?: StudyTask;
}

/** Well-known origins of a trial's configuration (any `kind` or `kind:detail` string is allowed). */
export type KnownOrigin = 'default' | 'enqueued' | `warm-start:${string}` | `sampler:${string}`;

/** Origin format: a lower-case kind, optionally `:detail`. */
export const ORIGIN_PATTERN = /^[a-z][a-z0-9-]*(:[A-Za-z0-9._-]+)*$/;

/**
 * @param trial - a trial
 * @returns the value at its last reported step, or undefined when it reported none
 */
export function lastIntermediate(trial: Pick<FrozenTrial, 'intermediate'>): { step: number; value: number | null } | undefined {
  for (let step = trial.intermediate.length - 1; step >= 0; step--) {
    if (trial.intermediate[step] !== null) return { step, value: trial.intermediate[step] };
  }
  return undefined;
}

/**
 * @param a - a value
 * @param b - another value
 * @param direction - the study's direction
 * @returns whether `a` is strictly better than `b`
 */
export function isBetter(a: number, b: number, direction: StudyDirection): boolean {
  return direction === 'maximize' ? a > b : a < b;
}
