/**
 * A {@link MetaStore} that layers a user store over the read-only shipped store: reads merge both
 * (the user's record wins where both hold a key), writes go to the user store only. A write that
 * refers to a task known only to the shipped store first copies that task (and its meta-features)
 * into the user store, so the user store is always self-contained.
 */
import { StoreError } from '../errors.ts';
import { canonicalJson } from './canonical.ts';
import { evaluationKey, latest, mergeByKey } from './merge.ts';
import type * as R from './records.ts';
import type { EvaluationScore, MetaModelSummary, MetaStore, StoreLocation } from './types.ts';

export interface StoreLayers {
  /** Where writes go; absent for a read-only view (a fresh install before anything was written). */
  readonly user?: MetaStore;
  /** The database shipped in the package, read-only; absent when not installed. */
  readonly shipped?: MetaStore;
}

/** The user store over the shipped store. */
export class LayeredMetaStore implements MetaStore {
  private readonly layers: readonly MetaStore[];

  constructor(private readonly stores: StoreLayers) {
    this.layers = [stores.user, stores.shipped].filter((s): s is MetaStore => s !== undefined);
  }

  private get user(): MetaStore {
    if (this.stores.user === undefined) throw new StoreError('no user database to write to');
    return this.stores.user;
  }

  private read<T>(fn: (store: MetaStore) => T): T[] {
    return this.layers.map(fn);
  }

  describe(): readonly StoreLocation[] {
    return this.layers.flatMap((s) => s.describe());
  }

  batch<T>(work: () => T): T {
    return this.user.batch(work);
  }

  /** Copies a task (with its meta-features) that only the shipped store has into the user store. */
  private ensureUserTask(name: string): void {
    const user = this.user;
    if (user.getTask(name) !== undefined) return;
    const shipped = this.stores.shipped?.getTask(name);
    if (shipped === undefined) throw new StoreError(`unknown task '${name}' (see \`metatune db tasks\`)`);
    user.batch(() => {
      user.addTask(shipped);
      for (const features of this.stores.shipped?.listMetaFeatures() ?? []) {
        if (features.task === name) user.putMetaFeatures(name, features);
      }
    });
  }

  addTask(task: R.TaskInput): R.TaskRecord {
    const shipped = this.stores.shipped?.getTask(task.name);
    if (shipped !== undefined && this.user.getTask(task.name) === undefined) {
      if (shipped.contentHash !== task.contentHash) {
        throw new StoreError(`task '${task.name}' is in the shipped database with other data; register it under another name`);
      }
      return shipped;
    }
    return this.user.addTask(task);
  }
  getTask(name: string): R.TaskRecord | undefined {
    return this.read((s) => s.getTask(name)).find((t) => t !== undefined);
  }
  listTasks(): R.TaskRecord[] {
    return mergeByKey(this.read((s) => s.listTasks()), (t) => [t.name]);
  }

  putMetaFeatures(task: string, features: R.MetaFeatureInput): void {
    this.user.batch(() => {
      this.ensureUserTask(task);
      this.user.putMetaFeatures(task, features);
    });
  }
  getMetaFeatures(task: string, extractorVersion?: string): R.MetaFeatureRecord | undefined {
    const found = this.read((s) => s.getMetaFeatures(task, extractorVersion));
    return extractorVersion === undefined ? latest(found) : found.find((f) => f !== undefined);
  }
  listMetaFeatures(): R.MetaFeatureRecord[] {
    return mergeByKey(this.read((s) => s.listMetaFeatures()), (f) => [f.task, f.extractorVersion]);
  }

  addSearchSpace(space: R.SearchSpaceInput): R.SearchSpaceRecord {
    const shipped = this.stores.shipped?.getSearchSpace(space.name, String(space.version));
    if (shipped !== undefined && this.user.getSearchSpace(space.name, String(space.version)) === undefined) {
      if (canonicalJson(shipped.definition) !== canonicalJson(space.definition)) {
        throw new StoreError(`search space '${space.name}' version ${shipped.version} is shipped with another definition; bump its version`);
      }
      return shipped;
    }
    return this.user.addSearchSpace(space);
  }
  getSearchSpace(name: string, version?: string): R.SearchSpaceRecord | undefined {
    const found = this.read((s) => s.getSearchSpace(name, version));
    return version === undefined ? latest(found) : found.find((f) => f !== undefined);
  }
  listSearchSpaces(): R.SearchSpaceRecord[] {
    return mergeByKey(this.read((s) => s.listSearchSpaces()), (s) => [s.name, s.version]);
  }

  /**
   * Copies into the user store the shipped configurations that these (space, hash) pairs name, so
   * that the user store's own check refuses a different configuration under a shipped hash.
   */
  private checkShippedConfigurations(configs: readonly R.ConfigurationInput[]): void {
    const shipped = this.stores.shipped;
    if (shipped === undefined || configs.length === 0) return;
    const bySpace = new Map<string, Map<string, R.ConfigurationRecord>>();
    for (const c of configs) {
      let known = bySpace.get(c.space);
      if (known === undefined) {
        known = new Map(shipped.listConfigurations(c.space).map((s) => [s.hash, s]));
        bySpace.set(c.space, known);
      }
      const stored = known.get(c.hash);
      if (stored !== undefined) this.user.addConfigurations([{ space: stored.space, hash: stored.hash, config: stored.config, origin: stored.origin }]);
    }
  }

  addConfigurations(configs: readonly R.ConfigurationInput[]): R.WriteCount {
    return this.user.batch(() => {
      this.checkShippedConfigurations(configs);
      return this.user.addConfigurations(configs);
    });
  }
  listConfigurations(space?: string): R.ConfigurationRecord[] {
    return mergeByKey(this.read((s) => s.listConfigurations(space)), (c) => [c.space, c.hash]);
  }

  addEvaluations(rows: readonly R.EvaluationInput[]): R.WriteCount {
    return this.user.batch(() => {
      const shippedKeys = new Set<string>();
      for (const task of new Set(rows.map((r) => r.task))) {
        this.ensureUserTask(task);
        for (const k of this.stores.shipped?.listEvaluationScores({ task }) ?? []) shippedKeys.add(JSON.stringify(evaluationKey(k)));
      }
      const fresh = rows.filter((r) => !shippedKeys.has(JSON.stringify(evaluationKey(r))));
      this.checkShippedConfigurations(rows.map((r) => ({ space: r.space, hash: r.configHash, config: r.config })));
      const count = this.user.addEvaluations(fresh);
      return { inserted: count.inserted, skipped: rows.length - count.inserted };
    });
  }
  listEvaluations(query?: R.EvaluationQuery): R.EvaluationRecord[] {
    return mergeByKey(this.read((s) => s.listEvaluations(query)), evaluationKey);
  }
  listEvaluationScores(query?: R.EvaluationQuery): EvaluationScore[] {
    return mergeByKey(this.read((s) => s.listEvaluationScores(query)), evaluationKey);
  }

  createStudy(study: R.StudyInput): R.StudyRecord {
    const shipped = this.shippedOnlyStudy(study.name);
    if (shipped !== undefined) {
      if (shipped.direction !== study.direction || shipped.space !== study.space || shipped.task !== study.task) {
        throw new StoreError(`study '${study.name}' is in the shipped database (read-only) with other settings; choose another name`);
      }
      return shipped;
    }
    return this.user.batch(() => {
      if (study.task !== null) this.ensureUserTask(study.task);
      return this.user.createStudy(study);
    });
  }

  /** @returns the study when only the shipped store has it */
  private shippedOnlyStudy(name: string): R.StudyRecord | undefined {
    const shipped = this.stores.shipped?.getStudy(name);
    return shipped !== undefined && this.stores.user?.getStudy(name) === undefined ? shipped : undefined;
  }
  getStudy(name: string): R.StudyRecord | undefined {
    return this.read((s) => s.getStudy(name)).find((s) => s !== undefined);
  }
  listStudies(): R.StudyRecord[] {
    return mergeByKey(this.read((s) => s.listStudies()), (s) => [s.name]);
  }
  startTrial(study: string, trial: R.TrialInput): R.TrialRecord {
    return this.user.startTrial(study, trial);
  }
  reportIntermediate(study: string, trialNumber: number, step: number, value: number): void {
    this.user.reportIntermediate(study, trialNumber, step, value);
  }
  finishTrial(study: string, trialNumber: number, outcome: R.TrialOutcome): R.TrialRecord {
    return this.user.finishTrial(study, trialNumber, outcome);
  }
  listTrials(study: string): R.TrialRecord[] {
    const owner = this.layers.find((s) => s.getStudy(study) !== undefined);
    if (owner === undefined) throw new StoreError(`unknown study '${study}'`);
    return owner.listTrials(study);
  }
  setTrialLease(study: string, trialNumber: number, lease: Omit<R.TrialLease, 'number'> | null): void {
    this.user.setTrialLease(study, trialNumber, lease);
  }
  listTrialLeases(study: string): R.TrialLease[] {
    return this.shippedOnlyStudy(study) !== undefined ? [] : this.user.listTrialLeases(study);
  }
  touchTrialLeases(study: string, owner: string, at: number): number {
    return this.user.touchTrialLeases(study, owner, at);
  }
  enqueueTrial(study: string, entry: R.QueuedTrial): void {
    this.user.enqueueTrial(study, entry);
  }
  listQueue(study: string): R.QueuedTrial[] {
    return this.shippedOnlyStudy(study) !== undefined ? [] : this.user.listQueue(study);
  }
  dequeueTrial(study: string): R.QueuedTrial | undefined {
    return this.user.dequeueTrial(study);
  }
  addTrials(trials: readonly R.TrialRecord[]): R.WriteCount {
    const own: R.TrialRecord[] = [];
    const shippedNumbers = new Map<string, Set<number>>();
    for (const trial of trials) {
      if (this.shippedOnlyStudy(trial.study) === undefined) {
        own.push(trial);
        continue;
      }
      let numbers = shippedNumbers.get(trial.study);
      if (numbers === undefined) {
        numbers = new Set(this.stores.shipped?.listTrials(trial.study).map((t) => t.number));
        shippedNumbers.set(trial.study, numbers);
      }
      if (!numbers.has(trial.number)) {
        throw new StoreError(`study '${trial.study}' is in the shipped database (read-only); trial ${trial.number} cannot be added`);
      }
    }
    const count = this.user.addTrials(own);
    return { inserted: count.inserted, skipped: trials.length - count.inserted };
  }

  addMetaModel(model: R.MetaModelInput): boolean {
    if (this.stores.shipped?.getMetaModel(model.name, model.version) !== undefined) return false;
    return this.user.addMetaModel(model);
  }
  getMetaModel(name: string, version?: string): R.MetaModelRecord | undefined {
    const found = this.read((s) => s.getMetaModel(name, version));
    return version === undefined ? latest(found) : found.find((m) => m !== undefined);
  }
  listMetaModels(): MetaModelSummary[] {
    return mergeByKey(this.read((s) => s.listMetaModels()), (m) => [m.name, m.version]);
  }

  addProvenance(entry: R.ProvenanceInput): R.ProvenanceRecord {
    return this.user.addProvenance(entry);
  }
  listProvenance(): R.ProvenanceRecord[] {
    return mergeByKey(this.read((s) => s.listProvenance()), (p) => [p.createdAt, p.id]);
  }

  close(): void {
    for (const store of this.layers) store.close();
  }
}
