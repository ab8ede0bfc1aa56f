/**
 * The dataset as every group sees it: features split by kind, classes re-indexed over the classes
 * that occur, and the rows that have a target. Built once per extraction.
 */
import type { CategoricalColumn, Dataset, NumericColumn } from '../data/table.ts';
import { moments, type Moments } from './moments.ts';

/** A prepared dataset, shared by all groups of one extraction. */
export interface DatasetView {
  readonly dataset: Dataset;
  readonly nRows: number;
  readonly numeric: readonly NumericColumn[];
  readonly categorical: readonly CategoricalColumn[];
  /** Indices of the rows whose target is present, ascending. */
  readonly labeled: Int32Array;
  /** Classification: class index 0..nClasses-1 of each row (-1 where missing); else null. */
  readonly classes: Int32Array | null;
  /** Number of classes that occur (declared but absent levels are not counted). */
  readonly nClasses: number;
  /** Rows per occurring class, indexed like `classes`. */
  readonly classCounts: readonly number[];
  /** Regression: the numeric target; else null. */
  readonly targetValues: Float64Array | null;
  /**
   * Moments of a numeric column over all rows (computed once per extraction and shared: the
   * statistical group, the centring of `cor` and the standardisation of PCA's design matrix all
   * start from the same mean and Σ(x − mean)²).
   * @param j - index into `numeric`
   */
  numericMoments(j: number): Moments;
}

/**
 * Prepares a dataset for extraction.
 * @param dataset - a classification task needs a categorical target, a regression task a numeric one
 * @returns the view
 */
export function buildView(dataset: Dataset): DatasetView {
  const numeric: NumericColumn[] = [];
  const categorical: CategoricalColumn[] = [];
  for (const column of dataset.features) {
    if (column.kind === 'numeric') numeric.push(column);
    else categorical.push(column);
  }
  const cache: (Moments | undefined)[] = [];
  const numericMoments = (j: number): Moments => (cache[j] ??= moments(numeric[j].values));
  const base = { dataset, nRows: dataset.nRows, numeric, categorical, numericMoments };
  const target = dataset.target;
  if (dataset.task === 'classification' && target.kind === 'categorical') {
    const { classes, counts } = reindexClasses(target.codes, target.levels.length);
    return { ...base, labeled: presentRows(classes), classes, nClasses: counts.length, classCounts: counts, targetValues: null };
  }
  const values = target.kind === 'numeric' ? target.values : Float64Array.from(target.codes, (c) => (c < 0 ? NaN : c));
  const labeled = presentRows(Float64Array.from(values, (v) => (Number.isNaN(v) ? -1 : 0)));
  return { ...base, labeled, classes: null, nClasses: 0, classCounts: [], targetValues: values };
}

/** Maps level codes to 0..K-1 over the levels that occur, in level order. */
function reindexClasses(codes: Int32Array, nLevels: number): { classes: Int32Array; counts: number[] } {
  const levelCounts = new Int32Array(nLevels);
  for (const c of codes) if (c >= 0) levelCounts[c]++;
  const map = new Int32Array(nLevels).fill(-1);
  const counts: number[] = [];
  for (let level = 0; level < nLevels; level++) {
    if (levelCounts[level] > 0) {
      map[level] = counts.length;
      counts.push(levelCounts[level]);
    }
  }
  const classes = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) classes[i] = codes[i] >= 0 ? map[codes[i]] : -1;
  return { classes, counts };
}

function presentRows(marks: ArrayLike<number>): Int32Array {
  let n = 0;
  for (let i = 0; i < marks.length; i++) if (marks[i] >= 0) n++;
  const rows = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < marks.length; i++) if (marks[i] >= 0) rows[k++] = i;
  return rows;
}
