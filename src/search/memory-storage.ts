/** A {@link StudyStorage} in process memory: for tests, benchmarks and studies that need not survive. */
import { StoreError } from '../errors.ts';
import type { StudyInput, StudyRecord, StudyStorage, TrialInput, TrialOutcome, WaitingTrial } from './storage.ts';
import type { FrozenTrial } from './types.ts';

interface StoredStudy {
  readonly record: StudyRecord;
  readonly trials: FrozenTrial[];
  readonly queue: WaitingTrial[];
}

/** Studies held in a Map; every method is synchronous, so each call is atomic. */
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
    this.studies.set(study.name, { record, trials: [], queue: [] });
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
  reportIntermediate(study: string, trialNumber: number, step: number, value: number): void {
    const trial = this.running(study, trialNumber);
    if (!Number.isSafeInteger(step) || step < 0) throw new StoreError(`step must be an integer ≥ 0, got ${step}`);
    const intermediate = [...trial.intermediate];
    while (intermediate.length <= step) intermediate.push(null);
    intermediate[step] = Number.isFinite(value) ? value : null;
    this.replace(study, { ...trial, intermediate });
  }

  /** @inheritdoc */
  finishTrial(study: string, trialNumber: number, outcome: TrialOutcome): FrozenTrial {
    const trial = this.running(study, trialNumber);
    const value = outcome.value !== null && Number.isFinite(outcome.value) ? outcome.value : null;
    const finished: FrozenTrial = {
      ...trial,
      state: outcome.state,
      value,
      error: outcome.error ?? null,
      finishedAt: outcome.finishedAt ?? new Date().toISOString(),
    };
    this.replace(study, finished);
    return finished;
  }

  /** @inheritdoc */
  listTrials(study: string): FrozenTrial[] {
    return [...this.study(study).trials];
  }

  /** @inheritdoc */
  enqueueTrial(study: string, entry: WaitingTrial): void {
    this.study(study).queue.push(entry);
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

  private running(study: string, number: number): FrozenTrial {
    const trial = this.study(study).trials[number];
    if (trial === undefined) throw new StoreError(`study '${study}' has no trial ${number}`);
    if (trial.state !== 'running') throw new StoreError(`trial ${number} of study '${study}' is ${trial.state}, not running`);
    return trial;
  }

  private replace(study: string, trial: FrozenTrial): void {
    this.study(study).trials[trial.number] = trial;
  }
}
