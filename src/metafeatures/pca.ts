/**
 * auto-sklearn's PCA meta-features (Bardenet et al. 2013), on the design matrix of all rows
 * (numeric features mean-imputed and standardised, nominal ones one-hot, constant columns dropped).
 * The principal axes are the eigenvectors of the covariance matrix (ml-matrix's symmetric EVD,
 * on flat arrays: `eigen.ts`).
 */
import type { FeatureSink } from './types.ts';
import { symmetricEigen } from './eigen.ts';
import type { DatasetView } from './view.ts';
import { MAX_FACTORIZED_COLUMNS, encodeRows, type DesignMatrix } from './design.ts';
import { kurtosis, moments, skewness } from './moments.ts';
import { simdKernels, type SimdKernels } from './simd-kernels.ts';

/** Names of the pca group, in output order. */
export const PCA_FEATURES = ['PCAFractionOfComponentsFor95PercentVariance', 'PCAKurtosisFirstPC', 'PCASkewnessFirstPC'] as const;

/**
 * Computes the pca group.
 * @param view - the prepared dataset
 * @param sink - receives every name of {@link PCA_FEATURES}
 */
export function extractPca(view: DatasetView, sink: FeatureSink): void {
  const all = new Int32Array(view.nRows);
  for (let i = 0; i < all.length; i++) all[i] = i;
  // With the kernels, the design matrix goes into their memory after the covariance's own
  // block rows, sums, column means and the row list of the column sums (no fresh allocation of
  // the largest array of the group; see kernelLayout).
  const placed: { work: KernelWork | null } = { work: null }; // set by allocate
  const allocate = (length: number): Float64Array => {
    const layout = kernelLayout(view.nRows, view.nRows > 0 ? length / view.nRows : 0);
    const kernel = length > 0 ? simdKernels(layout.eigen + layout.pp * layout.pp, layout.design) : null;
    placed.work = kernel !== null ? { kernel, layout } : null;
    return kernel !== null ? kernel.memory.subarray(layout.design, layout.design + length) : new Float64Array(length);
  };
  const x = encodeRows(view, all, { allocate });
  if (x.nCols === 0 || x.nRows < 2) {
    sink.setAllMissing(PCA_FEATURES, x.nRows < 2 ? 'PCA needs at least two rows' : 'no feature varies (all columns constant or empty)');
    return;
  }
  if (x.nCols > MAX_FACTORIZED_COLUMNS) {
    sink.setAllMissing(PCA_FEATURES, `the design matrix has ${x.nCols} columns, more than the ${MAX_FACTORIZED_COLUMNS} PCA is computed for`);
    return;
  }
  const work = placed.work;
  const { means, covariance } = covarianceOf(x, work);
  const evd = symmetricEigen(covariance, work !== null ? { kernel: work.kernel, offset: work.layout.eigen } : undefined);
  const values = Array.from(evd.values, (v) => Math.max(0, v));
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a]);
  const total = values.reduce((s, v) => s + v, 0);
  if (!(total > 0)) {
    sink.setAllMissing(PCA_FEATURES, 'the design matrix has no variance');
    return;
  }
  let kept = 0;
  let explained = 0;
  while (explained < 0.95 && kept < order.length) explained += values[order[kept++]] / total;
  sink.set('PCAFractionOfComponentsFor95PercentVariance', kept / x.nCols);
  const axis = Array.from(evd.vectors.subarray(order[0] * x.nCols, (order[0] + 1) * x.nCols));
  const scores = project(x, means, axis);
  const m = moments(scores);
  sink.set('PCAKurtosisFirstPC', kurtosis(m), 'the first principal component is constant');
  sink.set('PCASkewnessFirstPC', skewness(m), 'the first principal component is constant');
}

/**
 * Where pca.ts keeps its work in the kernels' memory, in doubles: eight block rows of pp (the
 * width padded to even), the pp × pp sums, pp column means, then n 32-bit row indices and n zero
 * class indices (`classSums` with one class sums the columns), then the design matrix, then p²
 * for the eigenvectors while `symmetricEigen` works (its `rotate` kernel).
 */
function kernelLayout(nRows: number, p: number): KernelLayout {
  const pp = paddedWidth(p);
  const acc = 8 * pp;
  const means = acc + pp * pp;
  const rows = means + pp;
  const classes = rows + nRows / 2; // in doubles: n 32-bit integers take n / 2
  const design = rows + nRows;
  return { pp, acc, means, rows, classes, design, eigen: design + nRows * p };
}

/** {@link kernelLayout}'s offsets, in doubles (pp: the padded width). */
interface KernelLayout {
  readonly pp: number;
  readonly acc: number;
  readonly means: number;
  readonly rows: number;
  readonly classes: number;
  readonly design: number;
  readonly eigen: number;
}

/** The kernels and where pca.ts's arrays lie in their memory (the design matrix among them). */
interface KernelWork {
  readonly kernel: SimdKernels;
  readonly layout: KernelLayout;
}

/** Column means and the (n − 1)-normalised covariance matrix, as nested arrays (rows). */
function covarianceOf(x: DesignMatrix, work: KernelWork | null): { means: Float64Array; covariance: number[][] } {
  const p = x.nCols;
  const means = work !== null ? kernelColumnSums(x, work) : scalarColumnSums(x);
  for (let j = 0; j < p; j++) means[j] /= x.nRows;
  const acc = work !== null ? kernelCovarianceSums(x, means, work) : scalarCovarianceSums(x, means);
  const covariance: number[][] = [];
  for (let a = 0; a < p; a++) {
    covariance.push(Array.from({ length: p }, (_, b) => (a <= b ? acc(a, b) : acc(b, a)) / (x.nRows - 1)));
  }
  return { means, covariance };
}

/** Each column of the design matrix summed row by row. */
function scalarColumnSums(x: DesignMatrix): Float64Array {
  const p = x.nCols;
  const sums = new Float64Array(p);
  for (let i = 0; i < x.nRows; i++) for (let j = 0; j < p; j++) sums[j] += x.data[i * p + j];
  return sums;
}

/**
 * The same sums by `classSums` over all rows in order with one class (the row list and the zero
 * classes at {@link kernelLayout}'s places).
 */
function kernelColumnSums(x: DesignMatrix, { kernel, layout }: KernelWork): Float64Array {
  const rows = new Int32Array(kernel.memory.buffer, 8 * layout.rows, x.nRows);
  for (let i = 0; i < rows.length; i++) rows[i] = i;
  kernel.classSums(x.data.byteOffset, x.nCols, 8 * layout.rows, x.nRows, 8 * layout.classes, 0, 8 * layout.means);
  return kernel.memory.slice(layout.means, layout.means + x.nCols);
}

/**
 * Σ (x − mean)(x − mean)ᵀ cell by cell (upper triangle), by {@link accumulateBlocks}.
 * @returns a reader of cell (a, b), a ≤ b
 */
function scalarCovarianceSums(x: DesignMatrix, means: Float64Array): (a: number, b: number) => number {
  const p = x.nCols;
  const acc = new Float64Array(p * p);
  // Rows in blocks of four (each cell gains a0·r0[b] + a1·r1[b] + a2·r2[b] + a3·r3[b] per block,
  // blocks in row order), two blocks and two cells per inner step: each loaded value and each
  // accumulator load serves twice as much arithmetic, with the same sums as block by block. Rows
  // past the end are zeros: their block adds ±0, which leaves every sum unchanged.
  const r = Array.from({ length: 8 }, () => new Float64Array(p));
  for (let i = 0; i < x.nRows; i += 8) {
    for (let q = 0; q < 8; q++) {
      const target = r[q];
      if (i + q >= x.nRows) target.fill(0);
      else for (let j = 0; j < p; j++) target[j] = x.data[(i + q) * p + j] - means[j];
    }
    accumulateBlocks(acc, p, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
  }
  return (a, b) => acc[a * p + b];
}

/** The width padded to even (cov8 takes two cells a step). */
function paddedWidth(p: number): number {
  return p + (p % 2);
}

/**
 * The same sums by the SIMD kernel `cov8` (same blocks of eight rows, same expression per cell),
 * with the width padded to even by a zero column: the block's eight rows, then the sums, at the
 * start of the kernels' memory (zero on entry).
 * @returns a reader of cell (a, b), a ≤ b
 */
function kernelCovarianceSums(x: DesignMatrix, means: Float64Array, { kernel, layout }: KernelWork): (a: number, b: number) => number {
  const p = x.nCols;
  const { pp, acc, means: meansAt } = layout;
  const memory = kernel.memory;
  memory.set(means, meansAt); // the means where subRows reads them (over the column sums)
  for (let i = 0; i < x.nRows; i += 8) {
    const count = Math.min(8, x.nRows - i);
    for (let q = count; q < 8; q++) memory.fill(0, q * pp, q * pp + p); // rows past the end: zeros
    kernel.subRows(x.data.byteOffset + 8 * i * p, p, count, 8 * meansAt, 0, pp);
    kernel.cov8(0, 8 * acc, pp);
  }
  return (a, b) => memory[acc + a * pp + b];
}

/** acc (upper triangle) += block (r0..r3), then += block (r4..r7), cell by cell. */
function accumulateBlocks(
  acc: Float64Array, p: number,
  r0: Float64Array, r1: Float64Array, r2: Float64Array, r3: Float64Array,
  r4: Float64Array, r5: Float64Array, r6: Float64Array, r7: Float64Array,
): void {
  let a = 0;
  for (; a + 1 < p; a += 2) {
    const x0 = r0[a], x1 = r1[a], x2 = r2[a], x3 = r3[a], x4 = r4[a], x5 = r5[a], x6 = r6[a], x7 = r7[a];
    const c = a + 1;
    const y0 = r0[c], y1 = r1[c], y2 = r2[c], y3 = r3[c], y4 = r4[c], y5 = r5[c], y6 = r6[c], y7 = r7[c];
    const base = a * p;
    const next = c * p;
    acc[base + a] = acc[base + a] + (x0 * r0[a] + x1 * r1[a] + x2 * r2[a] + x3 * r3[a]) + (x4 * r4[a] + x5 * r5[a] + x6 * r6[a] + x7 * r7[a]);
    for (let b = c; b < p; b++) {
      const w0 = r0[b], w1 = r1[b], w2 = r2[b], w3 = r3[b], w4 = r4[b], w5 = r5[b], w6 = r6[b], w7 = r7[b];
      acc[base + b] = acc[base + b] + (x0 * w0 + x1 * w1 + x2 * w2 + x3 * w3) + (x4 * w4 + x5 * w5 + x6 * w6 + x7 * w7);
      acc[next + b] = acc[next + b] + (y0 * w0 + y1 * w1 + y2 * w2 + y3 * w3) + (y4 * w4 + y5 * w5 + y6 * w6 + y7 * w7);
    }
  }
  if (a < p) {
    const base = a * p;
    acc[base + a] = acc[base + a] + (r0[a] * r0[a] + r1[a] * r1[a] + r2[a] * r2[a] + r3[a] * r3[a]) + (r4[a] * r4[a] + r5[a] * r5[a] + r6[a] * r6[a] + r7[a] * r7[a]);
  }
}

/**
 * Scores of every row on one axis. The axis sign follows scikit-learn's `svd_flip` as used by
 * auto-sklearn (u-based): the row with the largest absolute score gets a positive score.
 */
function project(x: DesignMatrix, means: Float64Array, axis: readonly number[]): Float64Array {
  const p = x.nCols;
  const scores = new Float64Array(x.nRows);
  let extreme = 0;
  for (let i = 0; i < x.nRows; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += (x.data[i * p + j] - means[j]) * axis[j];
    scores[i] = s;
    if (Math.abs(s) > Math.abs(extreme)) extreme = s;
  }
  if (extreme < 0) for (let i = 0; i < scores.length; i++) scores[i] = -scores[i];
  return scores;
}
