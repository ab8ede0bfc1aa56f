/**
 * Where a study lives: the {@link StudyStorage} interface with its contract. Every `ask`, `report`
 * and `tell` is written through it at once, so that a killed process loses nothing and
 * `loadStudy` resumes. Implementations: {@link InMemoryStudyStorage} (`memory-storage.ts`, for
 * tests and throw-away studies) and {@link MetaStoreStudyStorage} (`metastore-storage.ts`, the
 * meta-knowledge store: SQLite by default).
 */
import type { StudyInput, StudyRecord, TrialInput, TrialOutcome } from '../store/records.ts';
import type { FrozenTrial } from './types.ts';

export type { StudyInput, StudyRecord, TrialInput, TrialOutcome };

/** A configuration waiting in a study's warm-start queue, asked before the sampler is. */
export interface WaitingTrial {
  readonly configHash: string;
  readonly config: FrozenTrial['config'];
  /** Why it was enqueued: 'warm-start:learned', 'default', 'enqueued'... */
  readonly origin: string;
}

/**
 * Storage of studies, their trials and their warm-start queues.
 *
 * Contract, for every implementation (checked by `test/search/storage-contract.ts`):
 * - **Studies by name.** `createStudy` returns the stored study when name, direction, space and
 *   task match, and throws `StoreError` when the name holds a different study.
 * - **Numbers.** `startTrial` gives the next free number (0, 1, 2... per study) atomically, so
 *   concurrent writers never share one; numbers are never reused.
 * - **Write-through.** Each method commits before it returns; a crash after a return loses nothing.
 * - **Running only.** `reportIntermediate` and `finishTrial` throw `StoreError` for a trial that
 *   does not exist or is no longer running.
 * - **Queue.** `enqueueTrial` appends; `startWaitingTrial` atomically removes the oldest entry
 *   and starts it as a trial with that entry's configuration and origin, or returns undefined.
 * - **Reads.** `listTrials` is sorted by number; `listWaiting` in queue order.
 */
export interface StudyStorage {
  /** Creates a study or returns the matching stored one. @throws StoreError on a conflicting study */
  createStudy(study: StudyInput): StudyRecord;
  /** @returns the study of that name, or undefined */
  getStudy(name: string): StudyRecord | undefined;
  /** Starts a trial in state 'running' with the next number. @throws StoreError for an unknown study */
  startTrial(study: string, trial: TrialInput): FrozenTrial;
  /** Records a running trial's value at a step; a repeated step overwrites. */
  reportIntermediate(study: string, trialNumber: number, step: number, value: number): void;
  /** Ends a running trial. */
  finishTrial(study: string, trialNumber: number, outcome: TrialOutcome): FrozenTrial;
  /** @returns the study's trials sorted by number */
  listTrials(study: string): FrozenTrial[];
  /** Appends a configuration to the study's warm-start queue. */
  enqueueTrial(study: string, entry: WaitingTrial): void;
  /** Starts the oldest queued configuration as a trial, or returns undefined when the queue is empty. */
  startWaitingTrial(study: string): FrozenTrial | undefined;
  /** @returns the queue, oldest first */
  listWaiting(study: string): WaitingTrial[];
  /**
   * Whether the queue survives the process. When false (the meta-knowledge store has no queue
   * table yet), a resumed search must enqueue its warm-start configurations again; `enqueue`
   * skips those already tried, so doing so is idempotent.
   */
  readonly persistentQueue: boolean;
}
