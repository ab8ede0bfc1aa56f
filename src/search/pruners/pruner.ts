/**
 * The pruner plug-in point: after a running trial reports an intermediate value, decide whether
 * to stop it early. Implementations, one file each: `none.ts` (never prunes) and
 * `successive-halving.ts` (asynchronous successive halving).
 */
import type { FrozenTrial, JsonValue, StudyDirection } from '../types.ts';

/** What a pruner may compare a trial with. */
export interface PruningContext {
  readonly direction: StudyDirection;
  /** Every trial of the study (the one being judged included, as last stored), sorted by number. */
  readonly trials: readonly FrozenTrial[];
}

/** Decides early stopping from intermediate values (reported in the study's direction). */
export interface Pruner {
  readonly name: string;
  /**
   * @param trial - the running trial, with the values it reported in this run
   * @param context - the study's direction and trials
   * @returns whether the trial should stop now
   */
  shouldPrune(trial: FrozenTrial, context: PruningContext): boolean;
  /** @returns the pruner's name and settings, stored with the study */
  toJSON(): JsonValue;
}
