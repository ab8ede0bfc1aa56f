/**
 * A dataset's schema as data: rows, columns with their type, missing counts and cardinality, the
 * target and task, and the class balance or target range. The CLI's `metatune data` prints it.
 */
import type { Column, Dataset, TaskType } from './table.ts';
import { countMissing } from './table.ts';
import { levelCounts } from './columns.ts';

/** One column of the schema. */
export interface ColumnSchema {
  readonly name: string;
  readonly type: Column['kind'];
  readonly role: 'feature' | 'target';
  readonly missing: number;
  /** Distinct non-missing values. */
  readonly cardinality: number;
  /** Categorical only: declared levels (may exceed the cardinality when some never occur). */
  readonly levels?: number;
}

/** A class of a classification target. */
export interface ClassCount {
  readonly label: string;
  readonly count: number;
  readonly fraction: number;
}

/** The schema of a dataset. */
export interface DatasetSchema {
  readonly source: string;
  readonly name: string;
  readonly rows: number;
  /** Rows dropped because their target was missing. */
  readonly droppedRows: number;
  readonly target: string;
  readonly task: TaskType;
  readonly columns: readonly ColumnSchema[];
  /** Classification: every declared class with its count (zero for classes that never occur). */
  readonly classBalance?: readonly ClassCount[];
  /** Regression: the target's range and moments. */
  readonly targetSummary?: { readonly min: number; readonly max: number; readonly mean: number; readonly std: number };
}

/**
 * Describes a dataset.
 * @param dataset - the task
 * @returns its schema; columns in file order with the target last
 */
export function describeDataset(dataset: Dataset): DatasetSchema {
  const columns = [
    ...dataset.features.map((c) => describeColumn(c, 'feature')),
    describeColumn(dataset.target, 'target'),
  ];
  const target = dataset.target;
  return {
    source: dataset.source,
    name: dataset.name,
    rows: dataset.nRows,
    droppedRows: dataset.droppedRows ?? 0,
    target: target.name,
    task: dataset.task,
    columns,
    ...(target.kind === 'categorical' ? { classBalance: classBalance(target.levels, levelCounts(target)) } : {}),
    ...(target.kind === 'numeric' ? { targetSummary: summarize(target.values) } : {}),
  };
}

function describeColumn(column: Column, role: ColumnSchema['role']): ColumnSchema {
  const missing = countMissing(column);
  if (column.kind === 'categorical') {
    const cardinality = levelCounts(column).filter((c) => c > 0).length;
    return { name: column.name, type: column.kind, role, missing, cardinality, levels: column.levels.length };
  }
  const distinct = new Set<number>();
  for (const v of column.values) if (!Number.isNaN(v)) distinct.add(v);
  return { name: column.name, type: column.kind, role, missing, cardinality: distinct.size };
}

function classBalance(levels: readonly string[], counts: Int32Array): ClassCount[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return levels.map((label, k) => ({ label, count: counts[k], fraction: total > 0 ? counts[k] / total : 0 }));
}

function summarize(values: Float64Array): { min: number; max: number; mean: number; std: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    n++;
  }
  const mean = n > 0 ? sum / n : NaN;
  let squares = 0;
  for (const v of values) if (!Number.isNaN(v)) squares += (v - mean) ** 2;
  return { min, max, mean, std: n > 0 ? Math.sqrt(squares / n) : NaN };
}
