/**
 * A {@link StudyStorage} over the meta-knowledge store ({@link MetaStore}, SQLite by default), so
 * that a search's trials live beside the evaluations they become and survive a killed process.
 *
 * The store has studies and trials but no warm-start queue yet, so the queue here is held in
 * process memory (`persistentQueue` is false): a resumed search enqueues its warm-start
 * configurations again, and `Study.enqueue` skips the ones already tried.
 */
import { StoreError } from '../errors.ts';
import type { MetaStore } from '../store/types.ts';
import type { StudyInput, StudyRecord, StudyStorage, TrialInput, TrialOutcome, WaitingTrial } from './storage.ts';
import type { FrozenTrial } from './types.ts';

/** Studies and trials in a {@link MetaStore}; the queue in memory. */
export class MetaStoreStudyStorage implements StudyStorage {
  readonly persistentQueue = false;
  private readonly queues = new Map<string, WaitingTrial[]>();

  /** @param store - an open meta-knowledge store (the caller closes it) */
  constructor(private readonly store: MetaStore) {}

  /** @inheritdoc */
  createStudy(study: StudyInput): StudyRecord {
    return this.store.createStudy(study);
  }

  /** @inheritdoc */
  getStudy(name: string): StudyRecord | undefined {
    return this.store.getStudy(name);
  }

  /** @inheritdoc */
  startTrial(study: string, trial: TrialInput): FrozenTrial {
    return this.store.startTrial(study, trial);
  }

  /** @inheritdoc */
  reportIntermediate(study: string, trialNumber: number, step: number, value: number): void {
    this.store.reportIntermediate(study, trialNumber, step, value);
  }

  /** @inheritdoc */
  finishTrial(study: string, trialNumber: number, outcome: TrialOutcome): FrozenTrial {
    return this.store.finishTrial(study, trialNumber, outcome);
  }

  /** @inheritdoc */
  listTrials(study: string): FrozenTrial[] {
    return this.store.listTrials(study);
  }

  /** @inheritdoc */
  enqueueTrial(study: string, entry: WaitingTrial): void {
    this.queue(study).push(entry);
  }

  /** @inheritdoc */
  startWaitingTrial(study: string): FrozenTrial | undefined {
    const queue = this.queue(study);
    const entry = queue[0];
    if (entry === undefined) return undefined;
    const trial = this.store.startTrial(study, entry);
    queue.shift();
    return trial;
  }

  /** @inheritdoc */
  listWaiting(study: string): WaitingTrial[] {
    return [...this.queue(study)];
  }

  private queue(study: string): WaitingTrial[] {
    let queue = this.queues.get(study);
    if (queue === undefined) {
      if (this.store.getStudy(study) === undefined) throw new StoreError(`unknown study '${study}'`);
      queue = [];
      this.queues.set(study, queue);
    }
    return queue;
  }
}
