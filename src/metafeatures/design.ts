/**
 * The numeric design matrix that PCA and the landmark learners work on, in the spirit of
 * auto-sklearn's preprocessing: numeric features mean-imputed and (optionally) standardised,
 * nominal features one-hot encoded (a missing value is all zeros; beyond `maxLevels` the rarest
 * levels share one "other" column, and `maxLevels` shrinks, down to 2, so that all nominal features
 * together take at most {@link ONE_HOT_BUDGET} columns), and every column that is constant over
 * the rows dropped.
 */
import type { CategoricalColumn, NumericColumn } from '../data/table.ts';
import type { DatasetView } from './view.ts';
import type { Moments } from './moments.ts';

/** A dense row-major matrix. */
export interface DesignMatrix {
  readonly data: Float64Array;
  readonly nRows: number;
  readonly nCols: number;
}

/** How to encode. */
export interface EncodeOptions {
  /** Divide numeric columns by their standard deviation (population); default true. */
  readonly standardize?: boolean;
  /** Most one-hot columns per nominal feature; default 32. */
  readonly maxLevels?: number;
  /** Provides the matrix's storage (all of it is written); default a new array. */
  readonly allocate?: (length: number) => Float64Array;
}

/** Most one-hot columns all nominal features may take together (each keeps at least 2). */
export const ONE_HOT_BUDGET = 320;

/**
 * Widest design matrix that PCA and LDA factorise (their cost grows with the cube of the width);
 * wider matrices make those features null with a reason.
 */
export const MAX_FACTORIZED_COLUMNS = 500;

/**
 * Writes one design column for the output rows [from, to): row k's cell goes to
 * out[base + (k − from) · stride].
 */
type ColumnWriter = (out: Float64Array, base: number, stride: number, from: number, to: number) => void;

/** Rows written per block: every column writes a block before the next starts (the block stays in cache). */
const WRITE_BLOCK = 128;

/**
 * Encodes the given rows of the view's features.
 * @param view - the prepared dataset
 * @param rows - the rows to encode, in output order
 * @param options - standardisation and one-hot width
 * @returns the matrix (zero columns when no feature carries variation)
 */
export function encodeRows(view: DatasetView, rows: Int32Array, options: EncodeOptions = {}): DesignMatrix {
  const standardize = options.standardize ?? true;
  const nominal = view.categorical.length;
  const budgeted = nominal > 0 ? Math.max(2, Math.floor(ONE_HOT_BUDGET / nominal)) : 32;
  const maxLevels = options.maxLevels ?? Math.min(32, budgeted);
  const writers: ColumnWriter[] = [];
  const allRows = coversAllRows(rows, view.nRows);
  let numericIndex = 0;
  for (const column of view.dataset.features) {
    if (column.kind === 'numeric') {
      // Over all rows in order, the view's shared moments hold this column's mean and Σ(x − mean)².
      const w = numericWriter(column, rows, standardize, allRows ? view.numericMoments(numericIndex) : undefined);
      numericIndex++;
      if (w) writers.push(w);
    } else {
      writers.push(...oneHotWriters(column, rows, maxLevels));
    }
  }
  const nCols = writers.length;
  const data = options.allocate ? options.allocate(rows.length * nCols) : new Float64Array(rows.length * nCols);
  for (let from = 0; from < rows.length; from += WRITE_BLOCK) {
    const to = Math.min(rows.length, from + WRITE_BLOCK);
    for (let j = 0; j < nCols; j++) writers[j](data, from * nCols + j, nCols, from, to);
  }
  return { data, nRows: rows.length, nCols };
}

/** Whether `rows` is 0, 1, …, nRows − 1. */
function coversAllRows(rows: Int32Array, nRows: number): boolean {
  if (rows.length !== nRows) return false;
  for (let k = 0; k < rows.length; k++) if (rows[k] !== k) return false;
  return true;
}

function numericWriter(column: NumericColumn, rows: Int32Array, standardize: boolean, given?: Moments): ColumnWriter | null {
  const values = column.values;
  const { n, mu, ss } = given ? { n: given.n, mu: given.mean, ss: given.ss } : centralSums(values, rows);
  if (n === 0) return null;
  const sd = Math.sqrt(ss / rows.length); // imputed cells add zero deviation
  if (!(sd > 1e-12 * Math.max(1, Math.abs(mu)))) return null;
  const scale = standardize ? 1 / sd : 1;
  const shift = standardize ? mu : 0;
  return (out, base, stride, from, to) => {
    for (let k = from, at = base; k < to; k++, at += stride) {
      const v = values[rows[k]];
      out[at] = ((v === v ? v : mu) - shift) * scale;
    }
  };
}

/** Present values over `rows`, their mean and Σ(x − mean)², in row order (as {@link moments}). */
function centralSums(values: Float64Array, rows: Int32Array): { n: number; mu: number; ss: number } {
  let n = 0;
  let sum = 0;
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]];
    if (v === v) {
      n++;
      sum += v;
    }
  }
  const mu = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]];
    if (v === v) ss += (v - mu) * (v - mu);
  }
  return { n, mu, ss };
}

function oneHotWriters(column: CategoricalColumn, rows: Int32Array, maxLevels: number): ColumnWriter[] {
  const counts = new Int32Array(column.levels.length);
  for (let k = 0; k < rows.length; k++) {
    const c = column.codes[rows[k]];
    if (c >= 0) counts[c]++;
  }
  const levels = [...counts.keys()].filter((l) => counts[l] > 0).sort((a, b) => counts[b] - counts[a] || a - b);
  const slot = new Int32Array(column.levels.length).fill(-1);
  const width = levels.length > maxLevels ? maxLevels : levels.length;
  levels.forEach((level, i) => (slot[level] = Math.min(i, width - 1)));
  const slotCounts = new Int32Array(width);
  for (const level of levels) slotCounts[slot[level]] += counts[level];
  const writers: ColumnWriter[] = [];
  for (let s = 0; s < width; s++) {
    if (slotCounts[s] === rows.length || slotCounts[s] === 0) continue; // constant column
    writers.push((out, base, stride, from, to) => {
      for (let k = from, at = base; k < to; k++, at += stride) {
        const c = column.codes[rows[k]];
        out[at] = c >= 0 && slot[c] === s ? 1 : 0;
      }
    });
  }
  return writers;
}

/**
 * Copies some rows of a matrix.
 * @param m - the matrix
 * @param rows - row indices into `m`
 * @returns a new matrix with those rows, in that order
 */
export function selectMatrixRows(m: DesignMatrix, rows: ArrayLike<number>): DesignMatrix {
  const data = new Float64Array(rows.length * m.nCols);
  for (let k = 0; k < rows.length; k++) {
    const from = rows[k] * m.nCols;
    data.set(m.data.subarray(from, from + m.nCols), k * m.nCols);
  }
  return { data, nRows: rows.length, nCols: m.nCols };
}

/**
 * Keeps some columns of a matrix.
 * @param m - the matrix
 * @param columns - column indices to keep, in output order
 * @returns a new matrix with those columns
 */
export function selectMatrixColumns(m: DesignMatrix, columns: readonly number[]): DesignMatrix {
  const q = columns.length;
  const data = new Float64Array(m.nRows * q);
  for (let i = 0; i < m.nRows; i++) {
    for (let k = 0; k < q; k++) data[i * q + k] = m.data[i * m.nCols + columns[k]];
  }
  return { data, nRows: m.nRows, nCols: q };
}

/**
 * A seeded sample of `count` indices out of `total`, ascending (all of them when total ≤ count).
 * @param rng - the generator
 */
export function sampleIndices(total: number, count: number, rng: { permutation(n: number): Int32Array }): number[] {
  if (total <= count) return Array.from({ length: total }, (_, i) => i);
  return Array.from(rng.permutation(total).subarray(0, count)).sort((a, b) => a - b);
}
