/** `metatune db tasks`: list tasks, filtered and sorted by meta-features or task fields. */
import { checkFieldKnown, fieldValue, matchesFilter, type FilterClause, type TaskView } from '../../store/filter.ts';
import { vectorPerTask } from '../../store/similarity.ts';
import type { MetaStore } from '../../store/types.ts';
import { formatTable, printJson, type Cell } from '../format.ts';
import { withStore, type DbContext } from './db.action.ts';

export interface DbTasksContext extends DbContext {
  readonly filter: readonly FilterClause[];
  readonly sort?: string;
  readonly desc: boolean;
  readonly limit?: number;
}

/** One listed task. */
interface TaskRow extends TaskView {
  readonly evaluations: number;
}

/** Lists the tasks that pass the filter, sorted. */
export async function runDbTasks(context: DbTasksContext): Promise<void> {
  const rows = await withStore(context, (store) => selectTasks(store, context));
  const extra = [...new Set([...context.filter.map((c) => c.field), ...(context.sort === undefined ? [] : [context.sort])])]
    .filter((f) => !['name', 'taskType', 'nRows', 'nFeatures', 'nClasses'].includes(f));
  if (context.json) {
    printJson(rows.map((r) => ({ ...r.task, evaluations: r.evaluations, features: Object.fromEntries(extra.map((f) => [f, fieldValue(r, f)])) })));
    return;
  }
  const headers = ['task', 'type', 'rows', 'features', 'classes', 'evaluations', ...extra];
  const cells = rows.map((r): Cell[] => [r.task.name, r.task.taskType, r.task.nRows, r.task.nFeatures, r.task.nClasses, r.evaluations, ...extra.map((f) => fieldValue(r, f))]);
  process.stdout.write(formatTable(headers, cells));
}

/**
 * Filters, sorts and limits the tasks. Tasks lacking the sort field come last either way.
 * @throws UsageError when a filter or the sort names a field no stored task has (a typo)
 * @returns the selected tasks with their meta-features and evaluation counts
 */
export function selectTasks(store: MetaStore, context: Omit<DbTasksContext, 'json' | 'db'>): TaskRow[] {
  const features = new Map(vectorPerTask(store.listMetaFeatures()).map((v) => [v.task, v.values]));
  if (features.size > 0) {
    const names = new Set([...features.values()].flatMap((values) => Object.keys(values)));
    for (const clause of context.filter) checkFieldKnown(clause.field, names, '--filter');
    if (context.sort !== undefined) checkFieldKnown(context.sort, names, '--sort');
  }
  const counts = new Map<string, number>();
  for (const key of store.listEvaluationScores()) counts.set(key.task, (counts.get(key.task) ?? 0) + 1);
  let rows: TaskRow[] = store
    .listTasks()
    .map((task) => ({ task, features: features.get(task.name) ?? {}, evaluations: counts.get(task.name) ?? 0 }))
    .filter((row) => matchesFilter(row, context.filter));
  const sort = context.sort;
  if (sort !== undefined) {
    const sign = context.desc ? -1 : 1;
    rows = rows.slice().sort((a, b) => compareValues(fieldValue(a, sort), fieldValue(b, sort), sign));
  }
  return context.limit === undefined ? rows : rows.slice(0, context.limit);
}

function compareValues(a: number | string | null, b: number | string | null, sign: number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return sign * (a - b);
  return sign * (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
}
