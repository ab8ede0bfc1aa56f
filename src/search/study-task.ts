/**
 * The task a study names (`createStudy({ task })`), in any of three forms, resolved to the
 * {@link StudyTask} its sampler and warm start read:
 *
 * - **a dataset file path** (`'digits.csv'`, `.arff`, gzip too): loaded (synchronously, by the
 *   readers `loadDataset` uses), then as a `Dataset`;
 * - **a `Dataset`**: its meta-features are extracted, and over the meta-knowledge store it is
 *   registered as `metatune db add` registers a file (name: the dataset's name — the ARFF relation
 *   or the file's stem; content hash: sha256 of the file's decompressed bytes when `source` is a
 *   readable file, else of the dataset's columns). Content already registered, under this name or
 *   another (`db add --name`), is that task (its stored meta-features are used, not extracted
 *   again); other content under a registered name is a {@link TaskNameTakenError}: name the
 *   dataset otherwise (`{ ...dataset, name: 'other' }`);
 * - **a name** (`{ name, metaFeatures?, taskType? }`): a registered task is used as it is; an
 *   unregistered one is registered over the meta-knowledge store without a dataset, with
 *   placeholders the schema accepts — source `named:<name>`, content hash sha256 of
 *   `metatune named task <name>` (so the same name is the same task again), 0 rows, 0 features,
 *   target `unknown`, no class count, task type `taskType` (default classification) — and its
 *   meta-features when given (extractor version {@link METAFEATURE_EXTRACTOR_VERSION}). A task
 *   without meta-features still teaches the store, and its warm start is the portfolio of the
 *   user's past studies (`warm-start.ts`).
 *
 * Outside the meta-knowledge store (in memory) nothing is registered.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { loadDatasetSync } from '../data/index.ts';
import type { Dataset } from '../data/table.ts';
import { readBytesSync } from '../data/text-file.ts';
import { METAFEATURE_EXTRACTOR_VERSION, extractMetaFeatures } from '../metafeatures/index.ts';
import { sha256Hex } from '../store/canonical.ts';
import { registerTask, taskFromDataset } from '../store/register.ts';
import type { MetaStore } from '../store/types.ts';
import { StoreError } from '../errors.ts';
import { TaskNameTakenError } from './errors.ts';
import { MetaStoreStudyStorage } from './metastore-storage.ts';
import type { StudyStorage } from './storage.ts';
import type { StudyTask } from './types.ts';

/** A task named by its name, with optional meta-features and task type (see the module comment). */
export interface NamedStudyTask {
  readonly name: string;
  /** The task's meta-features (names as `extractMetaFeatures` gives them); none: the warm start uses the portfolio. */
  readonly metaFeatures?: Readonly<Record<string, number | null>>;
  /** Recorded when the name is registered here (default classification). */
  readonly taskType?: 'classification' | 'regression';
}

/** What `createStudy({ task })` takes: a dataset file path, a loaded `Dataset`, or a name. */
export type StudyTaskSpec = string | Dataset | NamedStudyTask;

/**
 * Resolves a study's task, registering it in the meta-knowledge store when it is not there.
 * @param spec - see {@link StudyTaskSpec}
 * @param storage - the study's storage (only a meta-knowledge store registers tasks)
 * @returns the task's name and meta-features
 * @throws DatasetError for an unreadable file
 * @throws TaskNameTakenError when the name is registered from other data
 * @throws StoreError when a named task is registered with another task type
 */
export function resolveStudyTask(spec: StudyTaskSpec, storage: StudyStorage): StudyTask {
  const store = storage instanceof MetaStoreStudyStorage ? storage.store : undefined;
  if (typeof spec === 'string') return datasetTask(loadDatasetSync(spec), store);
  if (isDataset(spec)) return datasetTask(spec, store);
  if (store !== undefined) registerNamedTask(store, spec);
  return spec.metaFeatures === undefined ? { name: spec.name } : { name: spec.name, metaFeatures: spec.metaFeatures };
}

function isDataset(spec: Dataset | NamedStudyTask): spec is Dataset {
  return 'features' in spec && 'target' in spec;
}

/** A dataset as a task: registered (with its meta-features) over the store, else its meta-features alone. */
function datasetTask(dataset: Dataset, store: MetaStore | undefined): StudyTask {
  const record = taskFromDataset(dataset, datasetContentHash(dataset));
  if (store === undefined) return { name: record.name, metaFeatures: extractMetaFeatures(dataset).values };
  return store.batch(() => {
    const byName = store.getTask(record.name);
    // the same content is the same task, whatever name it was registered under (`db add --name`)
    const existing = byName?.contentHash === record.contentHash ? byName : (store.listTasks().find((t) => t.contentHash === record.contentHash) ?? byName);
    if (existing !== undefined && existing.contentHash !== record.contentHash) {
      throw new TaskNameTakenError(
        `task '${record.name}' is already in the store with other data (sha256 ${existing.contentHash.slice(0, 12)}…, this dataset ${record.contentHash.slice(0, 12)}…): name this dataset otherwise ({ ...dataset, name: 'other' })`,
        { file: dataset.source },
      );
    }
    const name = existing?.name ?? record.name;
    const stored = existing === undefined ? undefined : store.getMetaFeatures(name)?.values;
    if (stored !== undefined) return { name, metaFeatures: stored };
    const features = extractMetaFeatures(dataset);
    registerTask(store, { ...record, name }, features);
    return { name, metaFeatures: features.values };
  });
}

/** Registers a named task without a dataset when its name is new (see the module comment). */
function registerNamedTask(store: MetaStore, task: NamedStudyTask): void {
  store.batch(() => {
    const existing = store.getTask(task.name);
    if (existing !== undefined && task.taskType !== undefined && existing.taskType !== task.taskType) {
      throw new StoreError(`task '${task.name}' is registered as ${existing.taskType}, not ${task.taskType}`);
    }
    if (existing === undefined) {
      store.addTask({
        name: task.name, source: `named:${task.name}`, contentHash: sha256Hex(`metatune named task ${task.name}`),
        nRows: 0, nFeatures: 0, taskType: task.taskType ?? 'classification', target: 'unknown', nClasses: null,
      });
    }
    if (task.metaFeatures !== undefined && store.getMetaFeatures(task.name) === undefined) {
      store.putMetaFeatures(task.name, { extractorVersion: METAFEATURE_EXTRACTOR_VERSION, values: task.metaFeatures, missing: {} });
    }
  });
}

/**
 * @returns sha256 of the dataset's file (its decompressed bytes, as `metatune db add` hashes it)
 *   when `source` is a readable file, else of its name, task, and columns
 */
export function datasetContentHash(dataset: Dataset): string {
  if (dataset.source !== '' && existsSync(dataset.source) && statSync(dataset.source).isFile()) return sha256Hex(readBytesSync(dataset.source));
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ name: dataset.name, task: dataset.task, nRows: dataset.nRows }));
  for (const column of [...dataset.features, dataset.target]) {
    hash.update(JSON.stringify({ name: column.name, kind: column.kind, levels: column.kind === 'categorical' ? column.levels : null }));
    const values = column.kind === 'numeric' ? column.values : column.codes;
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return hash.digest('hex');
}
