/**
 * From a table to a supervised task: choose the target, infer or apply the task type, drop rows
 * whose target is missing.
 *
 * Target: a column name, or an integer index (0-based; negative counts from the end, -1 is the
 * last column). A name that exactly matches a column wins over an index. Default: the last column.
 *
 * Task inference: a categorical target is classification. A numeric target is regression when its
 * type was declared (ARFF `numeric`/`real`/`integer`). When the type was inferred (CSV), a numeric
 * target whose values are all integers with at most {@link MAX_INFERRED_CLASSES} distinct values is
 * classification, otherwise regression. An explicit `task` overrides inference: classification on
 * a numeric target turns its distinct values into levels (ascending); regression on a categorical
 * target needs every level to be a number.
 */
import { DatasetError } from '../errors.ts';
import type { Column, DataTable, Dataset, TaskType } from './table.ts';
import { categoricalToNumeric, isMissingAt, levelCounts, numericDistinct, numericToCategorical, selectRows } from './columns.ts';

/** An inferred numeric target with at most this many distinct integer values is a class label. */
export const MAX_INFERRED_CLASSES = 10;

/** How to turn a table into a task. */
export interface DatasetOptions {
  /** Target column: name or index (0-based, negative from the end). Default: the last column. */
  target?: string | number;
  /** Forces the task type instead of inferring it. */
  task?: TaskType;
}

/**
 * Builds a supervised task from a table.
 * @param table - the parsed file
 * @param options - target and task
 * @returns the dataset, without the rows whose target is missing
 * @throws DatasetError on an unknown target, a target that is all missing, a single-class or
 *   constant target, or no feature columns
 */
export function toDataset(table: DataTable, options: DatasetOptions = {}): Dataset {
  const targetIndex = resolveTarget(table, options.target);
  const raw = table.columns[targetIndex];
  const where = { file: table.source, column: raw.name };
  if (table.columns.length < 2) throw new DatasetError('no feature columns besides the target', where);
  const task = options.task ?? inferTask(raw, table.typeSource ?? 'inferred');
  const target = convertTarget(raw, task, table.source);
  const keep = rowsWithTarget(target, table.nRows);
  if (keep.length === 0) throw new DatasetError('the target is missing in every row', where);
  checkTargetVaries(target, keep, task, table.source);
  const features = table.columns.filter((_, j) => j !== targetIndex);
  const all = keep.length === table.nRows;
  return {
    source: table.source,
    name: table.name,
    nRows: keep.length,
    features: all ? features : features.map((c) => selectRows(c, keep)),
    target: all ? target : selectRows(target, keep),
    task,
    droppedRows: table.nRows - keep.length,
  };
}

/**
 * Finds the target column.
 * @returns its index in `table.columns`
 * @throws DatasetError when no column matches
 */
export function resolveTarget(table: DataTable, target: string | number | undefined): number {
  const n = table.columns.length;
  if (n === 0) throw new DatasetError('the file has no columns', { file: table.source });
  if (target === undefined) return n - 1;
  if (typeof target === 'string') {
    const byName = table.columns.findIndex((c) => c.name === target);
    if (byName >= 0) return byName;
    if (!/^-?\d+$/.test(target.trim())) {
      throw new DatasetError(`unknown target column (columns: ${listNames(table)})`, { file: table.source, column: target });
    }
    target = Number(target.trim());
  }
  const index = target < 0 ? n + target : target;
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw new DatasetError(`target index out of range (0..${n - 1}, or negative from the end)`, { file: table.source, column: String(target) });
  }
  return index;
}

/**
 * Infers the task from the target column.
 * @param typeSource - whether the column's type was declared by the file or inferred
 */
export function inferTask(target: Column, typeSource: 'declared' | 'inferred'): TaskType {
  if (target.kind === 'categorical') return 'classification';
  if (typeSource === 'declared') return 'regression';
  const { distinct, integers } = numericDistinct(target, MAX_INFERRED_CLASSES);
  return integers && distinct <= MAX_INFERRED_CLASSES ? 'classification' : 'regression';
}

function convertTarget(column: Column, task: TaskType, file: string): Column {
  if (task === 'classification') return column.kind === 'numeric' ? numericToCategorical(column) : column;
  if (column.kind === 'numeric') return column;
  const numeric = categoricalToNumeric(column);
  if (numeric === null) {
    throw new DatasetError('regression needs a numeric target, but its values are not numbers', { file, column: column.name });
  }
  return numeric;
}

function rowsWithTarget(target: Column, nRows: number): Int32Array {
  const keep = new Int32Array(nRows);
  let n = 0;
  for (let i = 0; i < nRows; i++) if (!isMissingAt(target, i)) keep[n++] = i;
  return keep.subarray(0, n);
}

function checkTargetVaries(target: Column, keep: Int32Array, task: TaskType, file: string): void {
  const where = { file, column: target.name };
  if (target.kind === 'categorical') {
    const observed = levelCounts(target).filter((c) => c > 0).length;
    if (observed < 2) throw new DatasetError(`${task} needs at least 2 classes, the target has ${observed}`, where);
    return;
  }
  const first = target.values[keep[0]];
  if (keep.every((i) => target.values[i] === first)) {
    throw new DatasetError(`the target is constant (${first}) in every row`, where);
  }
}

function listNames(table: DataTable): string {
  const names = table.columns.map((c) => c.name);
  return names.length > 10 ? `${names.slice(0, 10).join(', ')}, ...` : names.join(', ');
}
