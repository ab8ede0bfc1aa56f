/** `metatune db similar <task|file>`: nearest stored tasks by meta-features. */
import { existsSync, statSync } from 'node:fs';
import { loadDataset } from '../../data/index.ts';
import { StoreError } from '../../errors.ts';
import { extractMetaFeatures } from '../../metafeatures/index.ts';
import { nearestTasks, vectorPerTask, type TaskNeighbor } from '../../store/similarity.ts';
import type { MetaStore } from '../../store/types.ts';
import { formatTable, printJson } from '../format.ts';
import { withStore, type DbContext } from './db.action.ts';

export interface DbSimilarContext extends DbContext {
  /** A stored task's name, or a dataset file. */
  readonly query: string;
  readonly target?: string;
  readonly k: number;
}

/** The query's meta-features and what to leave out of the neighbours. */
interface Query {
  readonly values: Readonly<Record<string, number | null>>;
  readonly extractorVersion: string;
  readonly exclude?: string;
}

/**
 * Prints the k nearest tasks.
 * @throws StoreError when the query is neither a stored task nor a file, or the task has no meta-features
 */
export async function runDbSimilar(context: DbSimilarContext): Promise<void> {
  const neighbors = await withStore(context, async (store) => {
    const query = await resolveQuery(store, context);
    return nearestTasks(query.values, vectorPerTask(store.listMetaFeatures(), query.extractorVersion), { k: context.k, exclude: query.exclude });
  });
  if (context.json) printJson(neighbors);
  else process.stdout.write(formatNeighbors(neighbors));
}

async function resolveQuery(store: MetaStore, context: DbSimilarContext): Promise<Query> {
  if (store.getTask(context.query) !== undefined) {
    const features = store.getMetaFeatures(context.query);
    if (features === undefined) throw new StoreError(`task '${context.query}' has no meta-features stored`);
    return { values: features.values, extractorVersion: features.extractorVersion, exclude: context.query };
  }
  if (!existsSync(context.query) || !statSync(context.query).isFile()) {
    throw new StoreError(`'${context.query}' is neither a stored task (see \`metatune db tasks\`) nor a file`);
  }
  const dataset = await loadDataset(context.query, { target: context.target });
  const vector = extractMetaFeatures(dataset);
  return { values: vector.values, extractorVersion: vector.extractorVersion };
}

/** @returns the neighbours as a table */
export function formatNeighbors(neighbors: readonly TaskNeighbor[]): string {
  if (neighbors.length === 0) return 'no stored task has meta-features\n';
  return formatTable(
    ['rank', 'task', 'L1 distance', 'features compared', 'extractor'],
    neighbors.map((n, i) => [i + 1, n.task, n.distance, n.compared, n.extractorVersion]),
  );
}
