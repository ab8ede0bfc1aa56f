/**
 * A {@link StudyStorage} over the meta-knowledge store ({@link MetaStore}, SQLite by default), so
 * that a search's trials live beside the evaluations they become, survive a killed process, and
 * can be shared by several processes: each claim, heartbeat, report and tell is one write
 * transaction (`store.batch`: BEGIN IMMEDIATE in SQLite), retried with backoff while the database
 * is busy ({@link retryBusy}), so a writer that holds the lock for long delays a search but never
 * makes it lose a result.
 */
import type { MetaStore } from '../store/types.ts';
import { retryBusy } from './busy.ts';
import { claimNext, requireOwner } from './claim.ts';
import type { ClaimResult, StudyInput, StudyRecord, StudyStorage, TrialClaim, TrialInput, TrialLease, TrialOutcome, WaitingTrial } from './storage.ts';
import type { FrozenTrial } from './types.ts';

/** Studies, trials, leases and the queue in a {@link MetaStore}. */
export class MetaStoreStudyStorage implements StudyStorage {
  readonly persistentQueue = true;

  /** @param store - an open meta-knowledge store (the caller closes it) */
  constructor(readonly store: MetaStore) {}

  /** @inheritdoc */
  createStudy(study: StudyInput): StudyRecord {
    return retryBusy(() => this.store.createStudy(study));
  }

  /** @inheritdoc */
  getStudy(name: string): StudyRecord | undefined {
    return retryBusy(() => this.store.getStudy(name));
  }

  /** @inheritdoc */
  startTrial(study: string, trial: TrialInput): FrozenTrial {
    return retryBusy(() => this.store.startTrial(study, trial));
  }

  /** @inheritdoc */
  claimTrial(study: string, claim: TrialClaim): ClaimResult {
    return retryBusy(() => this.store.batch(() => claimNext({
      listTrials: () => this.store.listTrials(study),
      listLeases: () => this.store.listTrialLeases(study),
      listWaiting: () => this.store.listQueue(study),
      dequeue: () => this.store.dequeueTrial(study),
      start: (trial) => this.store.startTrial(study, trial),
      setLease: (number, lease) => this.store.setTrialLease(study, number, lease),
    }, claim)));
  }

  /**
   * @inheritdoc
   * Not retried beyond the busy timeout: a beat that fails is skipped, and the next one (a quarter
   * of the grace period later) tries again.
   */
  heartbeat(study: string, owner: string, at: number = Date.now()): number {
    return this.store.touchTrialLeases(study, owner, at);
  }

  /** @inheritdoc */
  releaseTrial(study: string, trialNumber: number, owner: string): void {
    retryBusy(() => this.store.batch(() => {
      if (this.store.listTrialLeases(study).some((l) => l.number === trialNumber && l.owner === owner)) this.store.setTrialLease(study, trialNumber, null);
    }));
  }

  /** @inheritdoc */
  listLeases(study: string): TrialLease[] {
    return retryBusy(() => this.store.listTrialLeases(study));
  }

  /** @inheritdoc */
  reportIntermediate(study: string, trialNumber: number, step: number, value: number, owner?: string): void {
    retryBusy(() => this.store.batch(() => {
      if (owner !== undefined) requireOwner(study, trialNumber, owner, this.store.listTrialLeases(study));
      this.store.reportIntermediate(study, trialNumber, step, value);
    }));
  }

  /** @inheritdoc */
  finishTrial(study: string, trialNumber: number, outcome: TrialOutcome, owner?: string): FrozenTrial {
    return retryBusy(() => this.store.batch(() => {
      if (owner !== undefined) requireOwner(study, trialNumber, owner, this.store.listTrialLeases(study));
      const finished = this.store.finishTrial(study, trialNumber, outcome);
      this.store.setTrialLease(study, trialNumber, null);
      return finished;
    }));
  }

  /** @inheritdoc */
  listTrials(study: string): FrozenTrial[] {
    return retryBusy(() => this.store.listTrials(study));
  }

  /** @inheritdoc */
  enqueueTrial(study: string, entry: WaitingTrial, options: { readonly skipIfKnown?: boolean } = {}): boolean {
    return retryBusy(() => this.store.batch(() => {
      if (options.skipIfKnown === true) {
        const known = [...this.store.listTrials(study), ...this.store.listQueue(study)];
        if (known.some((t) => t.configHash === entry.configHash)) return false;
      }
      this.store.enqueueTrial(study, entry);
      return true;
    }));
  }

  /** @inheritdoc */
  startWaitingTrial(study: string): FrozenTrial | undefined {
    return retryBusy(() => this.store.batch(() => {
      const entry = this.store.dequeueTrial(study);
      return entry === undefined ? undefined : this.store.startTrial(study, entry);
    }));
  }

  /** @inheritdoc */
  listWaiting(study: string): WaitingTrial[] {
    return retryBusy(() => this.store.listQueue(study));
  }
}
