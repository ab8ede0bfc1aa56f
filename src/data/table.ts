/**
 * The typed table every reader produces and every later stage consumes. Columns are stored
 * column-major in typed arrays; there are never arrays of row objects.
 */

/** A numeric column. Missing values are NaN. */
export interface NumericColumn {
  readonly name: string;
  readonly kind: 'numeric';
  readonly values: Float64Array;
}

/**
 * A categorical column: `codes[i]` indexes `levels`, -1 is missing. `levels` holds every declared
 * level (an ARFF nominal may declare levels that never occur), in declaration or first-seen order.
 */
export interface CategoricalColumn {
  readonly name: string;
  readonly kind: 'categorical';
  readonly levels: readonly string[];
  readonly codes: Int32Array;
}

export type Column = NumericColumn | CategoricalColumn;
export type ColumnKind = Column['kind'];

/** A parsed file: columns of equal length, in file order. */
export interface DataTable {
  /** Where the table came from (a path), for error messages and provenance. */
  readonly source: string;
  /** A name for the dataset: the ARFF relation or the file's base name. */
  readonly name: string;
  readonly nRows: number;
  readonly columns: readonly Column[];
  /**
   * Whether the column types were declared by the file (ARFF) or inferred from the values (CSV).
   * Task inference trusts a declared numeric target as regression. Absent means inferred.
   */
  readonly typeSource?: 'declared' | 'inferred';
}

export type TaskType = 'classification' | 'regression';

/**
 * A supervised learning task: the feature columns, the target and the task type.
 * For classification the target is categorical; for regression, numeric.
 */
export interface Dataset {
  readonly source: string;
  readonly name: string;
  readonly nRows: number;
  readonly features: readonly Column[];
  readonly target: Column;
  readonly task: TaskType;
  /** Rows of the file dropped because their target was missing (absent means none). */
  readonly droppedRows?: number;
}

/** Counts the missing values of a column. */
export function countMissing(column: Column): number {
  let n = 0;
  if (column.kind === 'numeric') {
    for (const v of column.values) if (Number.isNaN(v)) n++;
  } else {
    for (const c of column.codes) if (c < 0) n++;
  }
  return n;
}
