/**
 * The contract of the small landmark learners. A learner is fitted on some rows of a design
 * matrix and predicts other rows of the same matrix, so cross-validation never copies data.
 */
import type { DesignMatrix } from '../design.ts';

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
 * @returns for each of `queries`, the index into `train` of its nearest neighbour
 */
export function nearestNeighbors(x: DesignMatrix, train: Int32Array, queries: Int32Array): Int32Array {
  const out = new Int32Array(queries.length);
  for (let q = 0; q < queries.length; q++) {
    let best = Infinity;
    let bestK = 0;
    for (let k = 0; k < train.length; k++) {
      const d = squaredDistance(x, queries[q], train[k]);
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
