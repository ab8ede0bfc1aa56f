/**
 * The SQLite backend of {@link MetaStore}, on better-sqlite3: WAL journal, a 10 s busy timeout and
 * foreign keys. Every write runs in an IMMEDIATE transaction (a nested one joins the outer
 * transaction as a savepoint), so concurrent writers queue on the busy timeout instead of failing.
 */
import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { StoreError } from '../errors.ts';
import { CURRENT_SCHEMA_VERSION } from './migrations/index.ts';
import { openDatabase } from './schema.ts';
import { translateSqliteError } from './sqlite-file.ts';
import * as evaluations from './sqlite/evaluations.ts';
import * as models from './sqlite/models.ts';
import * as spaces from './sqlite/spaces.ts';
import * as studies from './sqlite/studies.ts';
import * as tasks from './sqlite/tasks.ts';
import * as coordination from './sqlite/trial-coordination.ts';
import type * as R from './records.ts';
import type { EvaluationScore, MetaModelSummary, MetaStore, StoreLocation } from './types.ts';

export interface SqliteStoreOptions {
  /**
   * Open read-only: the shipped database always, any database a command only reads. The file must
   * exist and is neither written nor switched to WAL; writes through this store throw StoreError.
   */
  readonly readonly?: boolean;
  /** How `describe()` labels this database. */
  readonly role?: StoreLocation['role'];
}

/** A {@link MetaStore} in one SQLite file (or ':memory:'). */
export class SqliteMetaStore implements MetaStore {
  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly options: SqliteStoreOptions,
  ) {}

  /**
   * Opens (creating when missing, unless read-only) a store file.
   * @param path - the SQLite file, or ':memory:'
   * @throws StoreError when the file is not a store or its schema is not this code's (run `metatune db upgrade`)
   */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteMetaStore {
    return new SqliteMetaStore(openDatabase(path, { readonly: options.readonly }), path, options);
  }

  describe(): readonly StoreLocation[] {
    return [{
      path: this.path,
      role: this.options.role ?? 'single',
      readonly: this.options.readonly === true,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      sizeBytes: this.path === ':memory:' ? 0 : fileSize(this.path) + fileSize(`${this.path}-wal`),
    }];
  }

  batch<T>(work: () => T): T {
    return this.write(work);
  }

  private write<T>(work: () => T): T {
    if (this.options.readonly === true) {
      throw new StoreError('this database was opened read-only (the shipped database, or a command that only reads); write to a user database', { file: this.path });
    }
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      throw translateSqliteError(error, this.path);
    }
  }

  /** Runs a read, turning SQLite failures the user can fix (a corrupt page, a lock) into StoreError. */
  private read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw translateSqliteError(error, this.path);
    }
  }

  addTask(task: R.TaskInput): R.TaskRecord {
    return this.write(() => tasks.addTask(this.db, task));
  }
  getTask(name: string): R.TaskRecord | undefined {
    return this.read(() => tasks.getTask(this.db, name));
  }
  listTasks(): R.TaskRecord[] {
    return this.read(() => tasks.listTasks(this.db));
  }

  putMetaFeatures(task: string, features: R.MetaFeatureInput): void {
    this.write(() => tasks.putMetaFeatures(this.db, task, features));
  }
  getMetaFeatures(task: string, extractorVersion?: string): R.MetaFeatureRecord | undefined {
    return this.read(() => tasks.getMetaFeatures(this.db, task, extractorVersion));
  }
  listMetaFeatures(): R.MetaFeatureRecord[] {
    return this.read(() => tasks.listMetaFeatures(this.db));
  }

  addSearchSpace(space: R.SearchSpaceInput): R.SearchSpaceRecord {
    return this.write(() => spaces.addSearchSpace(this.db, space));
  }
  getSearchSpace(name: string, version?: string): R.SearchSpaceRecord | undefined {
    return this.read(() => spaces.getSearchSpace(this.db, name, version));
  }
  listSearchSpaces(): R.SearchSpaceRecord[] {
    return this.read(() => spaces.listSearchSpaces(this.db));
  }

  addConfigurations(configs: readonly R.ConfigurationInput[]): R.WriteCount {
    return this.write(() => evaluations.addConfigurations(this.db, configs));
  }
  listConfigurations(space?: string): R.ConfigurationRecord[] {
    return this.read(() => evaluations.listConfigurations(this.db, space));
  }

  addEvaluations(rows: readonly R.EvaluationInput[]): R.WriteCount {
    return this.write(() => evaluations.addEvaluations(this.db, rows));
  }
  listEvaluations(query?: R.EvaluationQuery): R.EvaluationRecord[] {
    return this.read(() => evaluations.listEvaluations(this.db, query));
  }
  listEvaluationScores(query?: R.EvaluationQuery): EvaluationScore[] {
    return this.read(() => evaluations.listEvaluationScores(this.db, query));
  }

  createStudy(study: R.StudyInput): R.StudyRecord {
    return this.write(() => studies.createStudy(this.db, study));
  }
  getStudy(name: string): R.StudyRecord | undefined {
    return this.read(() => studies.getStudy(this.db, name));
  }
  listStudies(): R.StudyRecord[] {
    return this.read(() => studies.listStudies(this.db));
  }
  startTrial(study: string, trial: R.TrialInput): R.TrialRecord {
    return this.write(() => studies.startTrial(this.db, study, trial));
  }
  reportIntermediate(study: string, trialNumber: number, step: number, value: number): void {
    this.write(() => studies.reportIntermediate(this.db, study, trialNumber, step, value));
  }
  finishTrial(study: string, trialNumber: number, outcome: R.TrialOutcome): R.TrialRecord {
    return this.write(() => studies.finishTrial(this.db, study, trialNumber, outcome));
  }
  listTrials(study: string): R.TrialRecord[] {
    return this.read(() => studies.listTrials(this.db, study));
  }
  addTrials(trials: readonly R.TrialRecord[]): R.WriteCount {
    return this.write(() => studies.addTrials(this.db, trials));
  }
  setTrialLease(study: string, trialNumber: number, lease: Omit<R.TrialLease, 'number'> | null): void {
    this.write(() => coordination.setTrialLease(this.db, study, trialNumber, lease));
  }
  listTrialLeases(study: string): R.TrialLease[] {
    return coordination.listTrialLeases(this.db, study);
  }
  touchTrialLeases(study: string, owner: string, at: number): number {
    return this.write(() => coordination.touchTrialLeases(this.db, study, owner, at));
  }
  enqueueTrial(study: string, entry: R.QueuedTrial): void {
    this.write(() => coordination.enqueueTrial(this.db, study, entry));
  }
  listQueue(study: string): R.QueuedTrial[] {
    return coordination.listQueue(this.db, study);
  }
  dequeueTrial(study: string): R.QueuedTrial | undefined {
    return this.write(() => coordination.dequeueTrial(this.db, study));
  }

  addMetaModel(model: R.MetaModelInput): boolean {
    return this.write(() => models.addMetaModel(this.db, model));
  }
  getMetaModel(name: string, version?: string): R.MetaModelRecord | undefined {
    return this.read(() => models.getMetaModel(this.db, name, version));
  }
  listMetaModels(): MetaModelSummary[] {
    return this.read(() => models.listMetaModels(this.db));
  }

  addProvenance(entry: R.ProvenanceInput): R.ProvenanceRecord {
    return this.write(() => models.addProvenance(this.db, entry));
  }
  listProvenance(): R.ProvenanceRecord[] {
    return this.read(() => models.listProvenance(this.db));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
