/**
 * Gaussian naive Bayes, as scikit-learn's `GaussianNB`: per-class means and population variances,
 * every variance increased by 1e-9 × the largest feature variance of the training rows, priors
 * from the class frequencies; classes absent from the training rows are never predicted. The
 * per-class sums run in the `classSums` / `classSquares` kernels where available (each column's
 * sum in its own lane, over the rows in order: the same sums as the scalar loops).
 */
import type { DesignMatrix } from '../design.ts';
import { argmax, type Classifier } from './learner.ts';
import { simdKernels, type SimdKernels } from '../simd-kernels.ts';

const VAR_SMOOTHING = 1e-9;

/** Per present class (slot), the column means and the sums of squared deviations from them; the largest feature variance. */
export interface ClassStatistics {
  readonly means: Float64Array[];
  readonly squares: Float64Array[];
  readonly maxVariance: number;
}

/** Gaussian naive Bayes classifier. */
export class GaussianNaiveBayes implements Classifier {
  private classes: number[] = [];
  private means: Float64Array[] = [];
  private variances: Float64Array[] = [];
  private logPriors: number[] = [];
  /** ½ log(2π σ²) per class and feature. */
  private logNormalizers: Float64Array[] = [];

  constructor(private readonly nClasses: number) {}

  fit(x: DesignMatrix, y: Int32Array, rows: Int32Array): void {
    const count = new Float64Array(this.nClasses);
    for (let k = 0; k < rows.length; k++) count[y[rows[k]]]++;
    this.classes = [...count.keys()].filter((c) => count[c] > 0);
    const slot = new Int32Array(this.nClasses).fill(-1);
    this.classes.forEach((c, i) => (slot[c] = i));
    const cls = Int32Array.from(rows, (r) => slot[y[r]]);
    const stats = classStatistics(x, rows, cls, this.classes.map((c) => count[c]));
    this.means = stats.means;
    const epsilon = VAR_SMOOTHING * stats.maxVariance;
    this.variances = this.classes.map((c, i) => stats.squares[i].map((s) => s / count[c] + epsilon));
    this.logNormalizers = this.variances.map((v) => v.map((vj) => 0.5 * Math.log(2 * Math.PI * vj)));
    this.logPriors = this.classes.map((c) => Math.log(count[c] / rows.length));
  }

  predict(x: DesignMatrix, rows: Int32Array): Int32Array {
    const p = x.nCols;
    const data = x.data;
    const scores = new Float64Array(this.classes.length);
    return rows.map((r) => {
      const base = r * p;
      for (let i = 0; i < this.classes.length; i++) {
        let s = this.logPriors[i];
        const mu = this.means[i];
        const v = this.variances[i];
        const logNorm = this.logNormalizers[i];
        for (let j = 0; j < p; j++) {
          const d = data[base + j] - mu[j];
          s -= logNorm[j] + (d * d) / (2 * v[j]);
        }
        scores[i] = s;
      }
      return this.classes[argmax(scores)];
    });
  }
}

/**
 * Naive Bayes' statistics of the training rows.
 * @param x - the sample's design matrix
 * @param rows - the training rows
 * @param cls - the class slot (0..slots−1) of each training row
 * @param counts - rows per slot
 * @returns per slot the column means and the sums of squared deviations; the largest feature variance
 */
export function classStatistics(x: DesignMatrix, rows: Int32Array, cls: Int32Array, counts: readonly number[]): ClassStatistics {
  const size = x.nRows * x.nCols + 3 * rows.length + (3 * counts.length + 3) * x.nCols + 8;
  const kernel = simdKernels(size);
  return kernel !== null ? kernelStatistics(kernel, x, rows, cls, counts) : scalarStatistics(x, rows, cls, counts);
}

/** The statistics by scalar loops: each class's column sums over its rows in order, then the squares. */
function scalarStatistics(x: DesignMatrix, rows: Int32Array, cls: Int32Array, counts: readonly number[]): ClassStatistics {
  const p = x.nCols;
  const data = x.data;
  const sums = counts.map(() => new Float64Array(p));
  for (let k = 0; k < rows.length; k++) {
    const s = sums[cls[k]];
    const base = rows[k] * p;
    for (let j = 0; j < p; j++) s[j] += data[base + j];
  }
  const means = sums.map((s, i) => s.map((v) => v / counts[i]));
  const squares = counts.map(() => new Float64Array(p));
  for (let k = 0; k < rows.length; k++) {
    const mu = means[cls[k]];
    const acc = squares[cls[k]];
    const base = rows[k] * p;
    for (let j = 0; j < p; j++) {
      const d = data[base + j] - mu[j];
      acc[j] += d * d;
    }
  }
  return { means, squares, maxVariance: maxFeatureVariance(x, rows) };
}

/**
 * The same statistics in the kernels' memory: the matrix, the rows, their class slots (and all
 * zeros for the pooled variance), then the sums, means and squares per slot, then the pooled ones.
 */
function kernelStatistics(kernel: SimdKernels, x: DesignMatrix, rows: Int32Array, cls: Int32Array, counts: readonly number[]): ClassStatistics {
  const p = x.nCols;
  const m = rows.length;
  const nSlots = counts.length;
  const memory = kernel.memory;
  const doubles = (from: number, length: number) => memory.subarray(from, from + length);
  const data = 0;
  const ints = x.nRows * p; // in doubles: rows, class slots, zeros (32-bit each)
  const sums = ints + Math.ceil((3 * m) / 2) + 1;
  const means = sums + nSlots * p;
  const squares = means + nSlots * p;
  const pooled = squares + nSlots * p; // sum, mean, squares: p doubles each
  memory.set(x.data, data);
  const i32 = new Int32Array(memory.buffer, 8 * ints, 3 * m);
  i32.set(rows, 0);
  i32.set(cls, m); // the zeros after them are the kernels' fresh memory
  const [rowsAt, clsAt, zerosAt] = [8 * ints, 8 * ints + 4 * m, 8 * ints + 8 * m];
  kernel.classSums(8 * data, p, rowsAt, m, clsAt, 0, 8 * sums);
  for (let i = 0; i < nSlots; i++) for (let j = 0; j < p; j++) memory[means + i * p + j] = memory[sums + i * p + j] / counts[i];
  kernel.classSquares(8 * data, p, rowsAt, m, clsAt, 8 * means, 8 * squares);
  kernel.classSums(8 * data, p, rowsAt, m, zerosAt, 0, 8 * pooled);
  for (let j = 0; j < p; j++) memory[pooled + p + j] = memory[pooled + j] / m;
  kernel.classSquares(8 * data, p, rowsAt, m, zerosAt, 8 * (pooled + p), 8 * (pooled + 2 * p));
  let maxVariance = 0;
  for (let j = 0; j < p; j++) maxVariance = Math.max(maxVariance, memory[pooled + 2 * p + j] / m);
  return {
    means: counts.map((_, i) => doubles(means + i * p, p).slice()),
    squares: counts.map((_, i) => doubles(squares + i * p, p).slice()),
    maxVariance,
  };
}

function maxFeatureVariance(x: DesignMatrix, rows: Int32Array): number {
  const p = x.nCols;
  const data = x.data;
  // Row by row (cache friendly); each column's sums still run over the rows in order.
  const sums = new Float64Array(p);
  for (let k = 0; k < rows.length; k++) {
    const base = rows[k] * p;
    for (let j = 0; j < p; j++) sums[j] += data[base + j];
  }
  const means = sums.map((s) => s / rows.length);
  const ss = new Float64Array(p);
  for (let k = 0; k < rows.length; k++) {
    const base = rows[k] * p;
    for (let j = 0; j < p; j++) ss[j] += (data[base + j] - means[j]) ** 2;
  }
  let best = 0;
  for (let j = 0; j < p; j++) best = Math.max(best, ss[j] / rows.length);
  return best;
}
