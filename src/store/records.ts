/**
 * The meta-knowledge store's records. Every record is identified by a natural key (a task's name, a
 * configuration's space and hash, an evaluation's task × configuration × protocol × fidelity × seed...),
 * never by a row id, so that stores can be layered, merged, exported and imported, and so that another
 * backend can implement the same contract ({@link MetaStore} in `types.ts`).
 */

/** A JSON value, as stored in JSON columns and export files. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Supervised task type (the same union as `src/data/table.ts`). */
export type StoreTaskType = 'classification' | 'regression';

/** A hyperparameter configuration, as in `src/spaces` (`Configuration`). */
export type StoredConfiguration = Readonly<Record<string, number | string | boolean>>;

/** A dataset registered as a task. */
export interface TaskInput {
  /** Unique name of the task (the dataset's name); the key the CLI uses. */
  readonly name: string;
  /** Where the dataset came from: a path or a URL. */
  readonly source: string;
  /** Lower-case hex sha256 of the dataset file's bytes. */
  readonly contentHash: string;
  readonly nRows: number;
  readonly nFeatures: number;
  readonly taskType: StoreTaskType;
  /** Name of the target column. */
  readonly target: string;
  /** Number of classes for classification, null for regression. */
  readonly nClasses: number | null;
  /** ISO-8601 time of registration; the store sets it when absent. */
  readonly createdAt?: string;
}

/** A stored task. */
export interface TaskRecord extends TaskInput {
  readonly createdAt: string;
}

/** A meta-feature vector as `extractMetaFeatures` returns it. */
export interface MetaFeatureInput {
  /** Version of the extractor; vectors from another version are not comparable. */
  readonly extractorVersion: string | number;
  /** Feature name → finite value, or null when the feature is missing. */
  readonly values: Readonly<Record<string, number | null>>;
  /** Feature name → why it is missing. */
  readonly missing: Readonly<Record<string, string>>;
  readonly createdAt?: string;
}

/** A stored meta-feature vector of one task. */
export interface MetaFeatureRecord {
  readonly task: string;
  readonly extractorVersion: string;
  readonly values: Readonly<Record<string, number | null>>;
  readonly missing: Readonly<Record<string, string>>;
  readonly createdAt: string;
}

/** A search space definition (ConfigSpace-style JSON). */
export interface SearchSpaceInput {
  readonly name: string;
  readonly version: string | number;
  readonly definition: JsonValue;
  readonly createdAt?: string;
}

/** A stored search space. */
export interface SearchSpaceRecord {
  readonly name: string;
  readonly version: string;
  readonly definition: JsonValue;
  readonly createdAt: string;
}

/** A configuration of a space. `hash` is `configHash(config)` from `src/spaces`. */
export interface ConfigurationInput {
  readonly space: string;
  readonly hash: string;
  readonly config: StoredConfiguration;
  /** Why this configuration exists: 'default', 'design:sobol', 'sampler:tpe'... */
  readonly origin?: string | null;
}

/** A stored configuration; `canonicalJson` is the configuration with sorted keys. */
export interface ConfigurationRecord {
  readonly space: string;
  readonly hash: string;
  readonly config: StoredConfiguration;
  readonly canonicalJson: string;
  readonly origin: string | null;
}

/** A series of per-epoch values; null where not finite. */
export type CurveSeries = readonly (number | null)[];

/**
 * A learning curve: one series per epoch, or the training and validation losses per epoch as
 * `src/evaluation` records them (`LearningCurve`).
 */
export type StoredCurve = CurveSeries | { readonly trainLoss: CurveSeries; readonly validLoss: CurveSeries };

/** Outcome of an evaluation. */
export type EvaluationStatus = 'ok' | 'failed';

/**
 * One evaluation of a configuration on a task, as `src/evaluation` produces it, plus the task and
 * space it belongs to. Non-finite numbers (NaN, ±Infinity) in scores, metrics and curves are
 * stored as null.
 */
export interface EvaluationInput {
  readonly task: string;
  readonly space: string;
  readonly configHash: string;
  readonly config: StoredConfiguration;
  readonly protocolId: string;
  readonly fidelity: number;
  readonly seed: number;
  readonly status: EvaluationStatus;
  readonly error?: string | null;
  readonly metrics: Readonly<Record<string, number | null>>;
  /** The protocol's primary score; larger is better (protocols negate losses). */
  readonly primaryScore: number | null;
  /** The learning curve; stored to 7 significant digits (float32 precision). */
  readonly curve: StoredCurve;
  readonly epochsRun: number;
  readonly wallTimeMs: number;
  readonly backend: string;
  readonly metatuneVersion: string;
  readonly createdAt?: string;
}

/** A stored evaluation. */
export interface EvaluationRecord extends EvaluationInput {
  readonly error: string | null;
  readonly createdAt: string;
}

/** Which evaluations to read; every given field must match. */
export interface EvaluationQuery {
  readonly task?: string;
  readonly space?: string;
  readonly configHash?: string;
  readonly protocolId?: string;
  readonly status?: EvaluationStatus;
}

/** How many rows a bulk write inserted and how many it skipped as already stored. */
export interface WriteCount {
  readonly inserted: number;
  readonly skipped: number;
}

export type StudyDirection = 'maximize' | 'minimize';

/** A search (an ask/tell study). */
export interface StudyInput {
  readonly name: string;
  readonly direction: StudyDirection;
  readonly space: string;
  readonly task: string | null;
  /** Sampler, pruner and their settings. */
  readonly settings: JsonValue;
  readonly createdAt?: string;
}

export interface StudyRecord extends StudyInput {
  readonly createdAt: string;
}

export type TrialState = 'running' | 'complete' | 'failed' | 'pruned';

/** A trial to start: the configuration the sampler asked for and why. */
export interface TrialInput {
  readonly configHash: string;
  readonly config: StoredConfiguration;
  /** 'warm-start:knn', 'sampler:tpe', 'enqueued'... */
  readonly origin: string;
  readonly startedAt?: string;
}

/** A stored trial. `intermediate[i]` is the value reported at step i (null where none). */
export interface TrialRecord {
  readonly study: string;
  readonly number: number;
  readonly state: TrialState;
  readonly configHash: string;
  readonly config: StoredConfiguration;
  readonly origin: string;
  readonly value: number | null;
  readonly error: string | null;
  readonly intermediate: readonly (number | null)[];
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

/**
 * Who holds a running trial of a shared study: a worker (one process, or one study object in it)
 * and when it last said it was alive. A trial whose heartbeat is older than a grace period belongs
 * to a dead worker and may be re-claimed under its number.
 */
export interface TrialLease {
  readonly number: number;
  /** The worker's unique id (host, pid and a random token). */
  readonly owner: string;
  readonly host: string;
  readonly pid: number;
  /** Milliseconds since the epoch. */
  readonly heartbeatAt: number;
}

/** A configuration waiting in a study's queue (warm start, `enqueue`), started before the sampler is asked. */
export interface QueuedTrial {
  readonly configHash: string;
  readonly config: StoredConfiguration;
  /** Why it was queued: 'warm-start:learned', 'default', 'enqueued'... */
  readonly origin: string;
}

/** How a trial ended. */
export interface TrialOutcome {
  readonly state: Exclude<TrialState, 'running'>;
  readonly value: number | null;
  readonly error?: string | null;
  readonly finishedAt?: string;
  /** The trial's parameters when known only at its end (a define-by-run study); replaces the configuration. */
  readonly config?: StoredConfiguration;
  /** The hash of `config` (given with it). */
  readonly configHash?: string;
}

/** A trained meta-model. */
export interface MetaModelInput {
  readonly name: string;
  readonly version: string;
  readonly weights: Uint8Array;
  /** Validation report (leave-one-task-out quality...). */
  readonly report: JsonValue;
  readonly createdAt?: string;
}

export interface MetaModelRecord extends MetaModelInput {
  readonly createdAt: string;
}

/** What produced part of the store: a build, an import, a search. */
export interface ProvenanceInput {
  /** 'build', 'import', 'add', 'search'... */
  readonly kind: string;
  /** The command line that ran. */
  readonly command: string;
  readonly seed: number | null;
  readonly metatuneVersion: string;
  readonly backend: string | null;
  /** Anything else worth keeping (settings, dataset directory...). */
  readonly details: JsonValue;
  readonly createdAt?: string;
}

/** A stored provenance entry; `id` is a hash of its content, so equal entries merge. */
export interface ProvenanceRecord extends ProvenanceInput {
  readonly id: string;
  readonly createdAt: string;
}
