/**
 * Column-level operations on {@link Column}: taking a subset of rows, counting distinct values,
 * converting between numeric and categorical.
 */
import type { CategoricalColumn, Column, NumericColumn } from './table.ts';

/**
 * Keeps the given rows of a column.
 * @param column - the column
 * @param rows - row indices to keep, in order
 * @returns a new column of `rows.length` entries
 */
export function selectRows(column: Column, rows: Int32Array): Column {
  if (column.kind === 'numeric') {
    const values = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]];
    return { name: column.name, kind: 'numeric', values };
  }
  const codes = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) codes[i] = column.codes[rows[i]];
  return { name: column.name, kind: 'categorical', levels: column.levels, codes };
}

/** @returns true when the entry at `row` is missing */
export function isMissingAt(column: Column, row: number): boolean {
  return column.kind === 'numeric' ? Number.isNaN(column.values[row]) : column.codes[row] < 0;
}

/**
 * Counts the rows of each level of a categorical column.
 * @returns counts indexed like `column.levels` (missing entries are not counted)
 */
export function levelCounts(column: CategoricalColumn): Int32Array {
  const counts = new Int32Array(column.levels.length);
  for (const code of column.codes) if (code >= 0) counts[code]++;
  return counts;
}

/**
 * Summarises the distinct non-missing values of a numeric column, stopping early past `limit`.
 * @returns how many distinct values were seen (at most `limit + 1`) and whether all are integers
 */
export function numericDistinct(column: NumericColumn, limit: number): { distinct: number; integers: boolean } {
  const seen = new Set<number>();
  let integers = true;
  for (const v of column.values) {
    if (Number.isNaN(v)) continue;
    if (integers && !Number.isInteger(v)) integers = false;
    if (seen.size <= limit) seen.add(v);
  }
  return { distinct: seen.size, integers };
}

/**
 * Turns a numeric column into a categorical one whose levels are the distinct values in
 * ascending numeric order, written as `String(value)`.
 */
export function numericToCategorical(column: NumericColumn): CategoricalColumn {
  const distinct = [...new Set(column.values)].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const code = new Map(distinct.map((v, i) => [v, i]));
  const codes = new Int32Array(column.values.length);
  column.values.forEach((v, i) => (codes[i] = code.get(v) ?? -1));
  return { name: column.name, kind: 'categorical', levels: distinct.map(String), codes };
}

/**
 * Turns a categorical column whose levels are all numbers into a numeric column.
 * @returns the numeric column, or null when some level is not a number
 */
export function categoricalToNumeric(column: CategoricalColumn): NumericColumn | null {
  const levelValues = column.levels.map((l) => (l.trim() === '' ? NaN : Number(l)));
  if (levelValues.some((v) => Number.isNaN(v))) return null;
  const values = new Float64Array(column.codes.length);
  column.codes.forEach((c, i) => (values[i] = c < 0 ? NaN : levelValues[c]));
  return { name: column.name, kind: 'numeric', values };
}
