/** `metatune db add <file>`: register a dataset as a task with its meta-features. */
import { loadDataset } from '../../data/index.ts';
import { extractMetaFeatures } from '../../metafeatures/index.ts';
import { fileSha256 } from '../../store/canonical.ts';
import { registerTask, taskFromDataset } from '../../store/register.ts';
import { printJson } from '../format.ts';
import { withStore, type DbContext } from './db.action.ts';

export interface DbAddContext extends DbContext {
  readonly file: string;
  readonly target?: string;
  /** The task's name; default the dataset's name. */
  readonly name?: string;
}

/**
 * Loads the dataset, extracts its meta-features and registers both in the store (the user
 * database unless --db).
 * @throws DatasetError for an unreadable file; StoreError when the name is taken by other data
 */
export async function runDbAdd(context: DbAddContext): Promise<void> {
  const dataset = await loadDataset(context.file, { target: context.target });
  const [contentHash, features] = [await fileSha256(context.file), extractMetaFeatures(dataset)];
  const task = taskFromDataset(dataset, contentHash, context.name);
  const result = await withStore({ db: context.db, write: true }, (store) => {
    const stored = registerTask(store, task, features);
    return { task: stored, extractorVersion: features.extractorVersion, metaFeatures: Object.keys(features.values).length, database: store.describe()[0]?.path };
  });
  if (context.json) {
    printJson(result);
    return;
  }
  const missing = Object.keys(features.missing).length;
  process.stdout.write(
    `registered '${result.task.name}' (${result.task.taskType}, ${result.task.nRows} rows, ${result.task.nFeatures} features) ` +
      `with ${result.metaFeatures} meta-features (${missing} missing) in ${result.database}\n`,
  );
}
