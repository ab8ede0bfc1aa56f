/**
 * The storage interface of the meta-knowledge store, {@link MetaStore}, with its contract.
 * SQLite (`sqlite-store.ts`) is the default backend, PostgreSQL (`postgres-store.ts`) the one that
 * many machines share, {@link MetaStore} layering (`layered-store.ts`) combines a read-only shipped
 * store with a user store; every backend passes `test/store/contract.ts`.
 */
import type {
  ConfigurationInput,
  ConfigurationRecord,
  EvaluationInput,
  EvaluationQuery,
  EvaluationRecord,
  MetaFeatureInput,
  MetaFeatureRecord,
  MetaModelInput,
  MetaModelRecord,
  ProvenanceInput,
  ProvenanceRecord,
  QueuedTrial,
  SearchSpaceInput,
  SearchSpaceRecord,
  StudyInput,
  StudyRecord,
  TaskInput,
  TaskRecord,
  TrialInput,
  TrialLease,
  TrialOutcome,
  TrialRecord,
  WriteCount,
} from './records.ts';

export type * from './records.ts';

/** One physical database behind a store. */
export interface StoreLocation {
  /** File path, ':memory:', or a postgresql:// URL (its password replaced by ***). */
  readonly path: string;
  /** 'single' for `--db`, else 'shipped' (read-only) or 'user'. */
  readonly role: 'single' | 'shipped' | 'user';
  readonly readonly: boolean;
  readonly schemaVersion: number;
  /** Bytes on disk, database plus write-ahead log; 0 in memory. */
  readonly sizeBytes: number;
}

/**
 * An evaluation's key, status and primary score without its metrics, curve and configuration:
 * cheap to read for resumable builds (what is done already) and score matrices.
 */
export interface EvaluationScore {
  readonly task: string;
  readonly space: string;
  readonly configHash: string;
  readonly protocolId: string;
  readonly fidelity: number;
  readonly seed: number;
  readonly status: 'ok' | 'failed';
  readonly primaryScore: number | null;
}

/** A stored meta-model without its weights. */
export type MetaModelSummary = Omit<MetaModelRecord, 'weights'> & { readonly sizeBytes: number };

/**
 * The meta-knowledge store.
 *
 * Contract, for every backend:
 * - **Natural keys.** Records are addressed by name/hash, never by row ids (see `records.ts`).
 * - **Atomic writes.** Every method that writes several rows writes all of them or none; a method
 *   that throws leaves the store as it was. {@link MetaStore.batch} extends this to a group of calls.
 * - **Idempotent inserts.** Writing a record whose key is already stored skips it (the first write
 *   wins) and counts it as skipped; writing a *different* record under an existing key of a task,
 *   search space or configuration throws `StoreError`, because that means two different things
 *   have one name.
 * - **References.** Evaluations, meta-features and studies name a task that must be registered,
 *   else `StoreError` and nothing is written. Configurations need no registered space.
 * - **Deterministic reads.** Lists come sorted by their natural key, so equal stores read equal.
 * - **Numbers.** Non-finite numbers in scores, metrics and curves read back as null; finite
 *   scores and metrics read back exactly, learning curves to 7 significant digits (float32
 *   precision, what TensorFlow.js trains in; it halves the size of a database). `createdAt` given on input is kept (imports preserve history),
 *   else the store stamps the current time (ISO-8601, UTC).
 * - **Concurrency.** Several processes may write one store at once; a write waits for the others
 *   (up to a timeout of at least 10 s) and never fails with "database is locked" before that.
 */
export interface MetaStore {
  /** The databases behind this store. */
  describe(): readonly StoreLocation[];

  /**
   * Runs `work` as one transaction: every write inside commits together, or none does if it throws.
   * @param work - synchronous writes against this store
   * @returns what `work` returns
   */
  batch<T>(work: () => T): T;

  /**
   * Registers a task. Registering the same name with the same content hash again returns the stored task.
   * @throws StoreError when the name is taken by a task with another content hash
   */
  addTask(task: TaskInput): TaskRecord;
  /** @returns the task of that name, or undefined */
  getTask(name: string): TaskRecord | undefined;
  /** @returns every task, sorted by name */
  listTasks(): TaskRecord[];

  /**
   * Stores a task's meta-feature vector for its extractor version, replacing an older vector of the
   * same version.
   * @throws StoreError for an unknown task
   */
  putMetaFeatures(task: string, features: MetaFeatureInput): void;
  /**
   * @param extractorVersion - a version; by default the most recently stored vector
   * @returns the task's meta-features, or undefined when none are stored
   */
  getMetaFeatures(task: string, extractorVersion?: string): MetaFeatureRecord | undefined;
  /** @returns every stored vector (all versions), sorted by task then extractor version */
  listMetaFeatures(): MetaFeatureRecord[];

  /**
   * Stores a search space definition; the same name, version and definition again is a no-op.
   * @throws StoreError when that name and version hold another definition
   */
  addSearchSpace(space: SearchSpaceInput): SearchSpaceRecord;
  /** @returns that version of the space, or its most recently stored version */
  getSearchSpace(name: string, version?: string): SearchSpaceRecord | undefined;
  /** @returns every stored space version, sorted by name then version */
  listSearchSpaces(): SearchSpaceRecord[];

  /**
   * Stores configurations, one transaction.
   * @throws StoreError when a (space, hash) is stored with another configuration
   */
  addConfigurations(configs: readonly ConfigurationInput[]): WriteCount;
  /** @returns the configurations of a space (all when omitted), sorted by space then hash */
  listConfigurations(space?: string): ConfigurationRecord[];

  /**
   * Stores evaluations in one transaction, registering their configurations. An evaluation whose
   * (task, space, configHash, protocolId, fidelity, seed) is stored already is skipped, so reruns
   * never duplicate.
   * @throws StoreError for an unknown task or a hash that names another configuration; nothing is written
   */
  addEvaluations(rows: readonly EvaluationInput[]): WriteCount;
  /** @returns matching evaluations sorted by task, space, configHash, protocolId, fidelity, seed */
  listEvaluations(query?: EvaluationQuery): EvaluationRecord[];
  /** @returns key, status and primary score of matching evaluations (cheap: no metrics, curves or configurations), sorted as above */
  listEvaluationScores(query?: EvaluationQuery): EvaluationScore[];

  /**
   * Creates a study, or returns the stored one when its name, direction, space and task match
   * (so a search resumes by name).
   * @throws StoreError when the name is taken by a different study, or the task is unknown
   */
  createStudy(study: StudyInput): StudyRecord;
  getStudy(name: string): StudyRecord | undefined;
  /** @returns every study, sorted by name */
  listStudies(): StudyRecord[];
  /**
   * Starts a trial in state 'running' with the next free number (0, 1, 2... per study), atomically,
   * so concurrent workers never share a number.
   * @throws StoreError for an unknown study
   */
  startTrial(study: string, trial: TrialInput): TrialRecord;
  /**
   * Records the value of a running trial at a step (an epoch); a repeated step overwrites.
   * @throws StoreError when the trial does not exist or is no longer running
   */
  reportIntermediate(study: string, trialNumber: number, step: number, value: number): void;
  /**
   * Ends a running trial.
   * @throws StoreError when the trial does not exist or is no longer running
   */
  finishTrial(study: string, trialNumber: number, outcome: TrialOutcome): TrialRecord;
  /** @returns the study's trials sorted by number */
  listTrials(study: string): TrialRecord[];
  /**
   * Stores whole trials (as exported), one transaction; a stored (study, number) is skipped.
   * @throws StoreError for an unknown study
   */
  addTrials(trials: readonly TrialRecord[]): WriteCount;
  /**
   * Sets (null: removes) the lease of a trial: which worker holds it and its last heartbeat.
   * Leases are what lets several processes share a study (see `src/search/claim.ts`); they are
   * not exported.
   * @throws StoreError for an unknown study or trial
   */
  setTrialLease(study: string, trialNumber: number, lease: Omit<TrialLease, 'number'> | null): void;
  /** @returns the leases of the study's running trials, sorted by number */
  listTrialLeases(study: string): TrialLease[];
  /** Sets the heartbeat (ms since the epoch) of the running trials `owner` holds in the study. @returns how many */
  touchTrialLeases(study: string, owner: string, at: number): number;
  /** Appends a configuration to the study's warm-start queue. @throws StoreError for an unknown study */
  enqueueTrial(study: string, entry: QueuedTrial): void;
  /** @returns the study's queue, oldest first */
  listQueue(study: string): QueuedTrial[];
  /** Removes and returns the oldest queued configuration (undefined when none), atomically. */
  dequeueTrial(study: string): QueuedTrial | undefined;

  /** Stores a meta-model. @returns false when that name and version are stored already */
  addMetaModel(model: MetaModelInput): boolean;
  /** @returns that version of the model, or its most recently stored version */
  getMetaModel(name: string, version?: string): MetaModelRecord | undefined;
  /** @returns every model without weights, sorted by name then version */
  listMetaModels(): MetaModelSummary[];

  /** Records provenance; an identical entry again is a no-op. @returns the stored entry */
  addProvenance(entry: ProvenanceInput): ProvenanceRecord;
  /** @returns every entry sorted by time then id */
  listProvenance(): ProvenanceRecord[];

  /** Closes the underlying connections. The store is unusable afterwards. */
  close(): void;
}
