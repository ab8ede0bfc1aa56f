/**
 * The numeric design matrix that PCA and the landmark learners work on, in the spirit of
 * auto-sklearn's preprocessing: numeric features mean-imputed and (optionally) standardised,
 * nominal features one-hot encoded (a missing value is all zeros; beyond `maxLevels` the rarest
 * levels share one "other" column, and `maxLevels` shrinks, down to 2, so that all nominal features
 * together take at most {@link ONE_HOT_BUDGET} columns), and every column that is constant over
 * the rows dropped.
 */
import type { DatasetView } from './view.ts';
import type { Moments } from './moments.ts';
import { argsort } from './sort.ts';

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
 * One design column, as data: {@link writeColumn} writes it for a block of output rows. (Records and
 * one function rather than a closure per column: V8 keeps a closure's type feedback per closure, so
 * 100 column closures ran the same loop ~3× slower than one function over 100 records.)
 */
type ColumnWriter =
  /** ((cell, or mu where missing) − shift) × scale */
  | { readonly kind: 'numeric'; readonly values: Float64Array; readonly mu: number; readonly shift: number; readonly scale: number }
  /** 1 where the cell's level maps to `slot`, else 0 */
  | { readonly kind: 'one-hot'; readonly codes: Int32Array; readonly slotOf: Int32Array; readonly slot: number };

/** Writes output rows [from, to) of a column: row k's cell goes to out[base + (k − from) · stride]. */
function writeColumn(w: ColumnWriter, out: Float64Array, base: number, stride: number, from: number, to: number): void {
  if (w.kind === 'numeric') writeNumeric(w.values, w.mu, w.shift, w.scale, out, base, stride, from, to);
  else writeOneHot(w.codes, w.slotOf, w.slot, out, base, stride, from, to);
}

function writeNumeric(values: Float64Array, mu: number, shift: number, scale: number, out: Float64Array, base: number, stride: number, from: number, to: number): void {
  for (let k = from, at = base; k < to; k++, at += stride) {
    const v = values[k];
    out[at] = ((v === v ? v : mu) - shift) * scale;
  }
}

function writeOneHot(codes: Int32Array, slotOf: Int32Array, slot: number, out: Float64Array, base: number, stride: number, from: number, to: number): void {
  for (let k = from, at = base; k < to; k++, at += stride) {
    const c = codes[k];
    out[at] = c >= 0 && slotOf[c] === slot ? 1 : 0;
  }
}

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
  const gather = allRows ? null : new RowGather(rows); // the cells of a subset, in output order
  let numericIndex = 0;
  for (const column of view.dataset.features) {
    if (column.kind === 'numeric') {
      // Over all rows in order, the view's shared moments hold this column's mean and Σ(x − mean)².
      const values = gather ? gather.numeric(column.values) : column.values;
      const w = numericWriter(values, standardize, allRows ? view.numericMoments(numericIndex) : undefined);
      numericIndex++;
      if (w) writers.push(w);
    } else {
      writers.push(...oneHotWriters(gather ? gather.codes(column.codes) : column.codes, column.levels.length, maxLevels));
    }
  }
  const nCols = writers.length;
  const data = options.allocate ? options.allocate(rows.length * nCols) : new Float64Array(rows.length * nCols);
  for (let from = 0; from < rows.length; from += WRITE_BLOCK) {
    const to = Math.min(rows.length, from + WRITE_BLOCK);
    for (let j = 0; j < nCols; j++) writeColumn(writers[j], data, from * nCols + j, nCols, from, to);
  }
  return { data, nRows: rows.length, nCols };
}

/** Whether `rows` is 0, 1, …, nRows − 1. */
function coversAllRows(rows: Int32Array, nRows: number): boolean {
  if (rows.length !== nRows) return false;
  for (let k = 0; k < rows.length; k++) if (rows[k] !== k) return false;
  return true;
}

/**
 * Copies columns' cells of a row subset into arrays in output order (cell k is row rows[k]'s),
 * reading the column in ascending row order: a subsample in a shuffled order would otherwise read
 * each cell from a different cache line of a column that does not fit in cache (on 10,000 × 100,
 * most of the encoding's time). The copies hold the same values in the same order, so the
 * arithmetic on them is unchanged.
 */
class RowGather {
  /** Output positions in ascending order of their row (ties: by position). */
  private readonly byRow: Int32Array;

  constructor(private readonly rows: Int32Array) {
    this.byRow = argsort(Float64Array.from(rows));
  }

  /** values[rows[k]] for every k (a fresh array: each writer keeps its column). */
  numeric(values: Float64Array): Float64Array {
    return this.into(values, new Float64Array(this.rows.length));
  }

  /** codes[rows[k]] for every k. */
  codes(codes: Int32Array): Int32Array {
    return this.into(codes, new Int32Array(this.rows.length));
  }

  private into<T extends Float64Array | Int32Array>(source: T, out: T): T {
    const { rows, byRow } = this;
    for (let t = 0; t < byRow.length; t++) {
      const k = byRow[t];
      out[k] = source[rows[k]];
    }
    return out;
  }
}

/** @param values - the column's cells in output order */
function numericWriter(values: Float64Array, standardize: boolean, given?: Moments): ColumnWriter | null {
  const { n, mu, ss } = given ? { n: given.n, mu: given.mean, ss: given.ss } : centralSums(values);
  if (n === 0) return null;
  const sd = Math.sqrt(ss / values.length); // imputed cells add zero deviation
  if (!(sd > 1e-12 * Math.max(1, Math.abs(mu)))) return null;
  return { kind: 'numeric', values, mu, shift: standardize ? mu : 0, scale: standardize ? 1 / sd : 1 };
}

/** Present values, their mean and Σ(x − mean)², in order (as {@link moments}). */
function centralSums(values: Float64Array): { n: number; mu: number; ss: number } {
  let n = 0;
  let sum = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v === v) {
      n++;
      sum += v;
    }
  }
  const mu = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v === v) ss += (v - mu) * (v - mu);
  }
  return { n, mu, ss };
}

/** @param codes - the column's codes in output order */
function oneHotWriters(codes: Int32Array, nLevels: number, maxLevels: number): ColumnWriter[] {
  const counts = new Int32Array(nLevels);
  for (let k = 0; k < codes.length; k++) {
    const c = codes[k];
    if (c >= 0) counts[c]++;
  }
  const levels = [...counts.keys()].filter((l) => counts[l] > 0).sort((a, b) => counts[b] - counts[a] || a - b);
  const slotOf = new Int32Array(nLevels).fill(-1);
  const width = levels.length > maxLevels ? maxLevels : levels.length;
  levels.forEach((level, i) => (slotOf[level] = Math.min(i, width - 1)));
  const slotCounts = new Int32Array(width);
  for (const level of levels) slotCounts[slotOf[level]] += counts[level];
  const writers: ColumnWriter[] = [];
  for (let slot = 0; slot < width; slot++) {
    if (slotCounts[slot] === codes.length || slotCounts[slot] === 0) continue; // constant column
    writers.push({ kind: 'one-hot', codes, slotOf, slot });
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
