/**
 * The contract of the small landmark learners. A learner is fitted on some rows of a design
 * matrix and predicts other rows of the same matrix, so cross-validation never copies data.
 */
import type { DesignMatrix } from '../design.ts';
import type { SortedColumns } from './tree.ts';
import { addUpperGramOfRows, symmetrize } from './gram.ts';

/** A classifier over class indices 0..nClasses-1. */
export interface Classifier {
  /**
   * Fits on the given rows.
   * @param x - the design matrix of the whole sample
   * @param y - class index of every sample row
   * @param rows - the training rows
   */
  fit(x: DesignMatrix, y: Int32Array, rows: Int32Array): void;
  /** @returns the predicted class of each of `rows` */
  predict(x: DesignMatrix, rows: Int32Array): Int32Array;
}

/** A regressor. */
export interface Regressor {
  /** Fits on the given rows of `x` with targets `y` (indexed like the sample rows). */
  fit(x: DesignMatrix, y: Float64Array, rows: Int32Array): void;
  /** @returns the prediction for each of `rows` */
  predict(x: DesignMatrix, rows: Int32Array): Float64Array;
}

/** Squared Euclidean distance between two rows of a matrix. */
export function squaredDistance(x: DesignMatrix, a: number, b: number): number {
  const p = x.nCols;
  const d = x.data;
  let s = 0;
  for (let j = 0, ia = a * p, ib = b * p; j < p; j++) {
    const t = d[ia + j] - d[ib + j];
    s += t * t;
  }
  return s;
}

/**
 * The nearest training row of each query row (Euclidean; ties go to the earliest training row).
 * Mostly-zero matrices (one-hot encodings) use ‖q‖² + ‖t‖² − 2 q·t over the training rows'
 * non-zero entries; dense ones sum squared differences.
 * @returns for each of `queries`, the index into `train` of its nearest neighbour
 */
export function nearestNeighbors(x: DesignMatrix, train: Int32Array, queries: Int32Array): Int32Array {
  if (isMostlyZero(x)) return sparseNearestNeighbors(x, train, queries);
  const p = x.nCols;
  const data = x.data;
  const out = new Int32Array(queries.length);
  for (let q = 0; q < queries.length; q++) {
    let best = Infinity;
    let bestK = 0;
    const qBase = queries[q] * p;
    for (let k = 0; k < train.length; k++) {
      // Partial distance search: stop summing once the distance cannot beat the best.
      const tBase = train[k] * p;
      let d = 0;
      let j = 0;
      while (j < p) {
        const stop = Math.min(p, j + 8);
        for (; j < stop; j++) {
          const t = data[qBase + j] - data[tBase + j];
          d += t * t;
        }
        if (d >= best) break;
      }
      if (d < best) {
        best = d;
        bestK = k;
      }
    }
    out[q] = bestK;
  }
  return out;
}

/** Whether fewer than 35 % of the entries are non-zero (then sparse dot products pay off). */
export function isMostlyZero(x: DesignMatrix): boolean {
  let nonZero = 0;
  for (const v of x.data) if (v !== 0) nonZero++;
  return nonZero < 0.35 * x.data.length;
}

function sparseNearestNeighbors(x: DesignMatrix, train: Int32Array, queries: Int32Array): Int32Array {
  const p = x.nCols;
  const start = new Int32Array(train.length + 1);
  const index: number[] = [];
  const value: number[] = [];
  const norms = new Float64Array(train.length);
  train.forEach((r, k) => {
    for (let j = 0; j < p; j++) {
      const v = x.data[r * p + j];
      if (v !== 0) {
        index.push(j);
        value.push(v);
        norms[k] += v * v;
      }
    }
    start[k + 1] = index.length;
  });
  const idx = Int32Array.from(index);
  const val = Float64Array.from(value);
  const out = new Int32Array(queries.length);
  for (let q = 0; q < queries.length; q++) {
    const base = queries[q] * p;
    let qNorm = 0;
    for (let j = 0; j < p; j++) qNorm += x.data[base + j] * x.data[base + j];
    let best = Infinity;
    let bestK = 0;
    for (let k = 0; k < train.length; k++) {
      let dot = 0;
      for (let e = start[k]; e < start[k + 1]; e++) dot += val[e] * x.data[base + idx[e]];
      const d = qNorm + norms[k] - 2 * dot;
      if (d < best) {
        best = d;
        bestK = k;
      }
    }
    out[q] = bestK;
  }
  return out;
}

/** Index of the largest value; ties go to the first. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** What a learner may share across the folds of one sample (each part computed on first use). */
export interface LearnerContext {
  readonly x: DesignMatrix;
  readonly nClasses: number;
  /** Column-major values and each column's rows sorted by value. */
  sorted(): SortedColumns;
  /** Σ x xᵀ over every sample row (p × p, row-major). */
  gram(): Float64Array;
}

/**
 * Creates the shared context of a sample.
 * @param x - the design matrix of the sample
 * @param nClasses - number of classes (0 for regression)
 * @param presort - computes the sorted column orders
 */
export function createLearnerContext(x: DesignMatrix, nClasses: number, presort: (x: DesignMatrix) => SortedColumns): LearnerContext {
  let sorted: SortedColumns | null = null;
  let gram: Float64Array | null = null;
  return {
    x,
    nClasses,
    sorted: () => (sorted ??= presort(x)),
    gram: () => (gram ??= gramMatrix(x)),
  };
}

/** Σ x xᵀ over all rows (symmetric, both triangles filled; each cell summed in row order). */
function gramMatrix(x: DesignMatrix): Float64Array {
  const p = x.nCols;
  const g = new Float64Array(p * p);
  addUpperGramOfRows(x.data, x.nRows, p, g);
  symmetrize(g, p);
  return g;
}

/** g (upper triangle) += sign · v vᵀ for the row v = data[offset .. offset + p). */
export function addOuter(g: Float64Array, data: Float64Array, offset: number, p: number, sign: number): void {
  for (let a = 0; a < p; a++) {
    const va = data[offset + a] * sign;
    if (va === 0) continue;
    const base = a * p;
    for (let b = a; b < p; b++) g[base + b] += va * data[offset + b];
  }
}
