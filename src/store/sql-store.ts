/**
 * A {@link MetaStore} over an SQL connection: every method runs the shared queries
 * (`sqlite/*.ts`, dialect-neutral despite the folder's name) inside the backend's write
 * transaction or read. SQLite (`sqlite-store.ts`) and PostgreSQL (`postgres-store.ts`) extend it
 * with their connection, transactions and `describe`.
 */
import * as evaluations from './sqlite/evaluations.ts';
import * as models from './sqlite/models.ts';
import * as spaces from './sqlite/spaces.ts';
import * as studies from './sqlite/studies.ts';
import * as tasks from './sqlite/tasks.ts';
import * as coordination from './sqlite/trial-coordination.ts';
import type { SqlConnection } from './sql-connection.ts';
import type * as R from './records.ts';
import type { EvaluationScore, MetaModelSummary, MetaStore, StoreLocation } from './types.ts';

/** The methods of {@link MetaStore} over the shared queries. */
export abstract class SqlMetaStore implements MetaStore {
  /** @param sql - the connection the queries run on */
  protected constructor(protected readonly sql: SqlConnection) {}

  abstract describe(): readonly StoreLocation[];
  abstract close(): void;

  /**
   * Runs `work` as one write transaction (joining an open one as a savepoint).
   * @throws StoreError for a read-only store, or the backend's failures a user can fix
   */
  protected abstract write<T>(work: () => T): T;
  /** Runs a read, turning the backend's failures a user can fix into StoreError. */
  protected abstract read<T>(work: () => T): T;

  batch<T>(work: () => T): T {
    return this.write(work);
  }

  addTask(task: R.TaskInput): R.TaskRecord {
    return this.write(() => tasks.addTask(this.sql, task));
  }
  getTask(name: string): R.TaskRecord | undefined {
    return this.read(() => tasks.getTask(this.sql, name));
  }
  listTasks(): R.TaskRecord[] {
    return this.read(() => tasks.listTasks(this.sql));
  }

  putMetaFeatures(task: string, features: R.MetaFeatureInput): void {
    this.write(() => tasks.putMetaFeatures(this.sql, task, features));
  }
  getMetaFeatures(task: string, extractorVersion?: string): R.MetaFeatureRecord | undefined {
    return this.read(() => tasks.getMetaFeatures(this.sql, task, extractorVersion));
  }
  listMetaFeatures(): R.MetaFeatureRecord[] {
    return this.read(() => tasks.listMetaFeatures(this.sql));
  }

  addSearchSpace(space: R.SearchSpaceInput): R.SearchSpaceRecord {
    return this.write(() => spaces.addSearchSpace(this.sql, space));
  }
  getSearchSpace(name: string, version?: string): R.SearchSpaceRecord | undefined {
    return this.read(() => spaces.getSearchSpace(this.sql, name, version));
  }
  listSearchSpaces(): R.SearchSpaceRecord[] {
    return this.read(() => spaces.listSearchSpaces(this.sql));
  }

  addConfigurations(configs: readonly R.ConfigurationInput[]): R.WriteCount {
    return this.write(() => evaluations.addConfigurations(this.sql, configs));
  }
  listConfigurations(space?: string): R.ConfigurationRecord[] {
    return this.read(() => evaluations.listConfigurations(this.sql, space));
  }

  addEvaluations(rows: readonly R.EvaluationInput[]): R.WriteCount {
    return this.write(() => evaluations.addEvaluations(this.sql, rows));
  }
  listEvaluations(query?: R.EvaluationQuery): R.EvaluationRecord[] {
    return this.read(() => evaluations.listEvaluations(this.sql, query));
  }
  listEvaluationScores(query?: R.EvaluationQuery): EvaluationScore[] {
    return this.read(() => evaluations.listEvaluationScores(this.sql, query));
  }

  createStudy(study: R.StudyInput): R.StudyRecord {
    return this.write(() => studies.createStudy(this.sql, study));
  }
  getStudy(name: string): R.StudyRecord | undefined {
    return this.read(() => studies.getStudy(this.sql, name));
  }
  listStudies(): R.StudyRecord[] {
    return this.read(() => studies.listStudies(this.sql));
  }
  startTrial(study: string, trial: R.TrialInput): R.TrialRecord {
    return this.write(() => studies.startTrial(this.sql, study, trial));
  }
  reportIntermediate(study: string, trialNumber: number, step: number, value: number): void {
    this.write(() => studies.reportIntermediate(this.sql, study, trialNumber, step, value));
  }
  finishTrial(study: string, trialNumber: number, outcome: R.TrialOutcome): R.TrialRecord {
    return this.write(() => studies.finishTrial(this.sql, study, trialNumber, outcome));
  }
  listTrials(study: string): R.TrialRecord[] {
    return this.read(() => studies.listTrials(this.sql, study));
  }
  addTrials(trials: readonly R.TrialRecord[]): R.WriteCount {
    return this.write(() => studies.addTrials(this.sql, trials));
  }
  setTrialLease(study: string, trialNumber: number, lease: Omit<R.TrialLease, 'number'> | null): void {
    this.write(() => coordination.setTrialLease(this.sql, study, trialNumber, lease));
  }
  listTrialLeases(study: string): R.TrialLease[] {
    return this.read(() => coordination.listTrialLeases(this.sql, study));
  }
  touchTrialLeases(study: string, owner: string, at: number): number {
    return this.write(() => coordination.touchTrialLeases(this.sql, study, owner, at));
  }
  enqueueTrial(study: string, entry: R.QueuedTrial): void {
    this.write(() => coordination.enqueueTrial(this.sql, study, entry));
  }
  listQueue(study: string): R.QueuedTrial[] {
    return this.read(() => coordination.listQueue(this.sql, study));
  }
  dequeueTrial(study: string): R.QueuedTrial | undefined {
    return this.write(() => coordination.dequeueTrial(this.sql, study));
  }

  addMetaModel(model: R.MetaModelInput): boolean {
    return this.write(() => models.addMetaModel(this.sql, model));
  }
  getMetaModel(name: string, version?: string): R.MetaModelRecord | undefined {
    return this.read(() => models.getMetaModel(this.sql, name, version));
  }
  listMetaModels(): MetaModelSummary[] {
    return this.read(() => models.listMetaModels(this.sql));
  }

  addProvenance(entry: R.ProvenanceInput): R.ProvenanceRecord {
    return this.write(() => models.addProvenance(this.sql, entry));
  }
  listProvenance(): R.ProvenanceRecord[] {
    return this.read(() => models.listProvenance(this.sql));
  }

}
