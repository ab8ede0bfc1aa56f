/** A {@link StudyStorage} in process memory: for tests, benchmarks and studies that need not survive. */
import { StoreError } from '../errors.ts';
import { claimNext, requireOwner } from './claim.ts';
import type { ClaimResult, StudyInput, StudyRecord, StudyStorage, TrialClaim, TrialInput, TrialLease, TrialOutcome, WaitingTrial } from './storage.ts';
import type { FrozenTrial } from './types.ts';

interface StoredStudy {
  readonly record: StudyRecord;
  readonly trials: FrozenTrial[];
  readonly queue: WaitingTrial[];
  readonly leases: Map<number, TrialLease>;
}

/**
 * Studies held in a Map; every method is synchronous, so each call is atomic. Several study
 * objects (workers) of one process may share a study through one instance.
 */
export class InMemoryStudyStorage implements StudyStorage {
  readonly persistentQueue = true;
  private readonly studies = new Map<string, StoredStudy>();

  /** @inheritdoc */
  createStudy(study: StudyInput): StudyRecord {
    const existing = this.studies.get(study.name);
    if (existing !== undefined) {
      const r = existing.record;
      if (r.direction !== study.direction || r.space !== study.space || r.task !== study.task) {
        throw new StoreError(`study '${study.name}' exists for space '${r.space}', task '${r.task ?? '-'}', ${r.direction}; choose another name`);
      }
      return r;
    }
    const record: StudyRecord = { ...study, createdAt: study.createdAt ?? new Date().toISOString() };
    this.studies.set(study.name, { record, trials: [], queue: [], leases: new Map() });
    return record;
  }

  /** @inheritdoc */
  getStudy(name: string): StudyRecord | undefined {
    return this.studies.get(name)?.record;
  }

  /** @inheritdoc */
  startTrial(study: string, trial: TrialInput): FrozenTrial {
    const stored = this.study(study);
    const record: FrozenTrial = {
      study,
      number: stored.trials.length,
      state: 'running',
      configHash: trial.configHash,
      config: trial.config,
      origin: trial.origin,
      value: null,
      error: null,
      intermediate: [],
      startedAt: trial.startedAt ?? new Date().toISOString(),
      finishedAt: null,
    };
    stored.trials.push(record);
    return record;
  }

  /** @inheritdoc */
  claimTrial(study: string, claim: TrialClaim): ClaimResult {
    const stored = this.study(study);
    return claimNext({
      listTrials: () => this.listTrials(study),
      listLeases: () => this.listLeases(study),
      listWaiting: () => this.listWaiting(study),
      dequeue: () => stored.queue.shift(),
      start: (trial) => this.startTrial(study, trial),
      setLease: (number, lease) => stored.leases.set(number, { number, ...lease }),
    }, claim);
  }

  /** @inheritdoc */
  heartbeat(study: string, owner: string, at: number = Date.now()): number {
    let n = 0;
    for (const lease of this.listLeases(study)) {
      if (lease.owner !== owner) continue;
      this.study(study).leases.set(lease.number, { ...lease, heartbeatAt: at });
      n++;
    }
    return n;
  }

  /** @inheritdoc */
  releaseTrial(study: string, trialNumber: number, owner: string): void {
    const leases = this.study(study).leases;
    if (leases.get(trialNumber)?.owner === owner) leases.delete(trialNumber);
  }

  /** @inheritdoc */
  listLeases(study: string): TrialLease[] {
    const stored = this.study(study);
    return [...stored.leases.values()].filter((l) => stored.trials[l.number]?.state === 'running').sort((a, b) => a.number - b.number);
  }

  /** @inheritdoc */
  reportIntermediate(study: string, trialNumber: number, step: number, value: number, owner?: string): void {
    const trial = this.running(study, trialNumber, owner);
    if (!Number.isSafeInteger(step) || step < 0) throw new StoreError(`step must be an integer ≥ 0, got ${step}`);
    const intermediate = [...trial.intermediate];
    while (intermediate.length <= step) intermediate.push(null);
    intermediate[step] = Number.isFinite(value) ? value : null;
    this.replace(study, { ...trial, intermediate });
  }

  /** @inheritdoc */
  finishTrial(study: string, trialNumber: number, outcome: TrialOutcome, owner?: string): FrozenTrial {
    const trial = this.running(study, trialNumber, owner);
    const value = outcome.value !== null && Number.isFinite(outcome.value) ? outcome.value : null;
    const finished: FrozenTrial = {
      ...trial,
      state: outcome.state,
      ...(outcome.config === undefined ? {} : { config: outcome.config, configHash: outcome.configHash ?? trial.configHash }),
      value,
      error: outcome.error ?? null,
      finishedAt: outcome.finishedAt ?? new Date().toISOString(),
    };
    this.replace(study, finished);
    this.study(study).leases.delete(trialNumber);
    return finished;
  }

  /** @inheritdoc */
  listTrials(study: string): FrozenTrial[] {
    return [...this.study(study).trials];
  }

  /** @inheritdoc */
  enqueueTrial(study: string, entry: WaitingTrial, options: { readonly skipIfKnown?: boolean } = {}): boolean {
    const stored = this.study(study);
    if (options.skipIfKnown === true && [...stored.trials, ...stored.queue].some((t) => t.configHash === entry.configHash)) return false;
    stored.queue.push(entry);
    return true;
  }

  /** @inheritdoc */
  startWaitingTrial(study: string): FrozenTrial | undefined {
    const entry = this.study(study).queue.shift();
    return entry === undefined ? undefined : this.startTrial(study, entry);
  }

  /** @inheritdoc */
  listWaiting(study: string): WaitingTrial[] {
    return [...this.study(study).queue];
  }

  private study(name: string): StoredStudy {
    const stored = this.studies.get(name);
    if (stored === undefined) throw new StoreError(`unknown study '${name}'`);
    return stored;
  }

  private running(study: string, number: number, owner: string | undefined): FrozenTrial {
    const trial = this.study(study).trials[number];
    if (trial === undefined) throw new StoreError(`study '${study}' has no trial ${number}`);
    requireOwner(study, number, owner, this.listLeases(study));
    if (trial.state !== 'running') throw new StoreError(`trial ${number} of study '${study}' is ${trial.state}, not running`);
    return trial;
  }

  private replace(study: string, trial: FrozenTrial): void {
    this.study(study).trials[trial.number] = trial;
  }
}
