/**
 * Registering a dataset as a task (`db add`, and later `db build` and `search`): the task record
 * from the loaded dataset and the file's hash, then its meta-features, in one transaction.
 */
import { dataFileStem } from '../data/source.ts';
import type { Dataset } from '../data/table.ts';
import type { MetaFeatureInput, TaskInput, TaskRecord } from './records.ts';
import type { MetaStore } from './types.ts';

/**
 * Describes a loaded dataset as a task.
 * @param dataset - the loaded dataset
 * @param contentHash - sha256 of the file's bytes
 * @param name - the task's name; default the dataset's name (ARFF relation or file name)
 * @returns the task record to store
 */
export function taskFromDataset(dataset: Dataset, contentHash: string, name?: string): TaskInput {
  const target = dataset.target;
  return {
    name: name ?? (dataset.name !== '' ? dataset.name : dataFileStem(dataset.source)),
    source: dataset.source,
    contentHash,
    nRows: dataset.nRows,
    nFeatures: dataset.features.length,
    taskType: dataset.task,
    target: target.name,
    nClasses: target.kind === 'categorical' ? new Set(target.codes.filter((c) => c >= 0)).size : null,
  };
}

/**
 * Registers a task with its meta-features, both or neither.
 * @returns the stored task
 * @throws StoreError when the name is taken by other data
 */
export function registerTask(store: MetaStore, task: TaskInput, features: MetaFeatureInput): TaskRecord {
  return store.batch(() => {
    const stored = store.addTask(task);
    store.putMetaFeatures(stored.name, features);
    return stored;
  });
}
