/**
 * Where a study lives: the {@link StudyStorage} interface with its contract. Every `ask`, `report`
 * and `tell` is written through it at once, so that a killed process loses nothing and
 * `loadStudy` resumes. Implementations: {@link InMemoryStudyStorage} (`memory-storage.ts`, for
 * tests and throw-away studies) and {@link MetaStoreStudyStorage} (`metastore-storage.ts`, the
 * meta-knowledge store: SQLite by default).
 *
 * Several workers (processes, or study objects in one process) may share a study: a trial is
 * created only by {@link StudyStorage.claimTrial}, one atomic operation (one transaction in SQLite,
 * the same in a server database), and each running trial carries a lease — its owner and a
 * heartbeat — so that only a dead worker's trial is ever re-run (`claim.ts`).
 */
import type { QueuedTrial, StudyInput, StudyRecord, TrialInput, TrialLease, TrialOutcome } from '../store/records.ts';
import type { FrozenTrial } from './types.ts';

export type { StudyInput, StudyRecord, TrialInput, TrialLease, TrialOutcome };

/** A configuration waiting in a study's warm-start queue, asked before the sampler is. */
export type WaitingTrial = QueuedTrial;

/** A worker that claims trials: unique `id` (host, pid and a random token), for messages its host and pid. */
export interface TrialOwner {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
}

/** What {@link StudyStorage.claimTrial} is asked for. */
export interface TrialClaim {
  readonly owner: TrialOwner;
  /** The study may hold at most this many trials (every state counts, running ones included); none: no limit. */
  readonly budget?: number;
  /**
   * A running trial of another owner whose heartbeat is older than this many milliseconds belongs
   * to a dead worker and is re-claimed, under its number; `Infinity`: never.
   */
  readonly staleAfterMs: number;
  /** The time of the claim in ms since the epoch (default `Date.now()`). */
  readonly now?: number;
  /**
   * The sampler's proposal, called inside the claim's transaction (so it sees every other worker's
   * running trial and no one claims meanwhile) only when neither a stale trial nor the queue
   * supplies one.
   * @param trials - the study's trials now, sorted by number
   * @param waiting - the queue now
   */
  propose(trials: readonly FrozenTrial[], waiting: readonly WaitingTrial[]): TrialInput;
  /**
   * Optional: completes a dequeued entry (partial parameters of a declared space) inside the same
   * transaction, before its trial starts.
   * @param entry - the dequeued entry
   * @param trials - the study's trials now
   * @param waiting - the queue now (the entry removed)
   */
  complete?(entry: WaitingTrial, trials: readonly FrozenTrial[], waiting: readonly WaitingTrial[]): TrialInput;
}

/** How a claim ended: a trial, or the budget is spent (`running`: trials that other live workers still run). */
export type ClaimResult =
  | { readonly trial: FrozenTrial; readonly source: 'stale' | 'queue' | 'sampler' }
  | { readonly trial: undefined; readonly running: number };

/**
 * Storage of studies, their trials, leases and warm-start queues.
 *
 * Contract, for every implementation (checked by `test/search/storage-contract.ts`):
 * - **Studies by name.** `createStudy` returns the stored study when name, direction, space and
 *   task match, and throws `StoreError` when the name holds a different study.
 * - **Numbers.** `startTrial` and `claimTrial` give the next free number (0, 1, 2... per study)
 *   atomically, so concurrent writers never share one; numbers are never reused.
 * - **Claims.** `claimTrial` is atomic: it re-claims the lowest-numbered running trial of another
 *   owner whose heartbeat is older than `staleAfterMs` (or that has no lease), else creates a
 *   trial only while the study holds fewer than `budget` trials — from the oldest queued entry,
 *   else from `propose` — and leases it to the claimant with the heartbeat `now`.
 * - **Owners.** `reportIntermediate` and `finishTrial` given an `owner` throw
 *   {@link TrialNotOwnedError} unless that owner holds the running trial; `releaseTrial` drops the
 *   owner's lease so any worker may claim the trial at once.
 * - **Write-through.** Each method commits before it returns; a crash after a return loses nothing.
 * - **Parameters at the end.** `finishTrial` with `outcome.config` (a define-by-run trial's
 *   suggested parameters) replaces the trial's configuration and hash.
 * - **Running only.** `reportIntermediate` and `finishTrial` throw `StoreError` for a trial that
 *   does not exist or is no longer running.
 * - **Queue.** `enqueueTrial` appends (atomically skipping, with `skipIfKnown`, a configuration the
 *   study has tried or queued); `startWaitingTrial` atomically removes the oldest entry and starts
 *   it as a trial with that entry's configuration and origin, or returns undefined.
 * - **Reads.** `listTrials` is sorted by number; `listWaiting` in queue order; `listLeases` by number.
 */
export interface StudyStorage {
  /** Creates a study or returns the matching stored one. @throws StoreError on a conflicting study */
  createStudy(study: StudyInput): StudyRecord;
  /** @returns the study of that name, or undefined */
  getStudy(name: string): StudyRecord | undefined;
  /** Starts a trial in state 'running' with the next number, without a lease. @throws StoreError for an unknown study */
  startTrial(study: string, trial: TrialInput): FrozenTrial;
  /** Claims the next trial for a worker; see the contract. @throws StoreError for an unknown study */
  claimTrial(study: string, claim: TrialClaim): ClaimResult;
  /** Sets the heartbeat of the running trials `owner` holds (default now). @returns how many */
  heartbeat(study: string, owner: string, at?: number): number;
  /** Drops `owner`'s lease on a running trial (no-op when it holds none), so it can be claimed at once. */
  releaseTrial(study: string, trialNumber: number, owner: string): void;
  /** @returns the leases of the running trials, sorted by number */
  listLeases(study: string): TrialLease[];
  /** Records a running trial's value at a step; a repeated step overwrites. */
  reportIntermediate(study: string, trialNumber: number, step: number, value: number, owner?: string): void;
  /** Ends a running trial. */
  finishTrial(study: string, trialNumber: number, outcome: TrialOutcome, owner?: string): FrozenTrial;
  /** @returns the study's trials sorted by number */
  listTrials(study: string): FrozenTrial[];
  /**
   * Appends a configuration to the study's warm-start queue.
   * @returns false when `skipIfKnown` and the configuration is tried or queued already
   */
  enqueueTrial(study: string, entry: WaitingTrial, options?: { readonly skipIfKnown?: boolean }): boolean;
  /** Starts the oldest queued configuration as a trial, or returns undefined when the queue is empty. */
  startWaitingTrial(study: string): FrozenTrial | undefined;
  /** @returns the queue, oldest first */
  listWaiting(study: string): WaitingTrial[];
  /** Whether the queue survives the process (true for both implementations: the store has a queue table). */
  readonly persistentQueue: boolean;
}
