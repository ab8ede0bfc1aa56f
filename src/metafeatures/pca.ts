/**
 * auto-sklearn's PCA meta-features (Bardenet et al. 2013), on the design matrix of all rows
 * (numeric features mean-imputed and standardised, nominal ones one-hot, constant columns dropped).
 * The principal axes are the eigenvectors of the covariance matrix (ml-matrix EVD).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { FeatureSink } from './types.ts';
import type { DatasetView } from './view.ts';
import { MAX_FACTORIZED_COLUMNS, encodeRows, type DesignMatrix } from './design.ts';
import { kurtosis, moments, skewness } from './moments.ts';

/** Names of the pca group, in output order. */
export const PCA_FEATURES = ['PCAFractionOfComponentsFor95PercentVariance', 'PCAKurtosisFirstPC', 'PCASkewnessFirstPC'] as const;

/**
 * Computes the pca group.
 * @param view - the prepared dataset
 * @param sink - receives every name of {@link PCA_FEATURES}
 */
export function extractPca(view: DatasetView, sink: FeatureSink): void {
  const all = Int32Array.from({ length: view.nRows }, (_, i) => i);
  const x = encodeRows(view, all);
  if (x.nCols === 0 || x.nRows < 2) {
    sink.setAllMissing(PCA_FEATURES, x.nRows < 2 ? 'PCA needs at least two rows' : 'no feature varies (all columns constant or empty)');
    return;
  }
  if (x.nCols > MAX_FACTORIZED_COLUMNS) {
    sink.setAllMissing(PCA_FEATURES, `the design matrix has ${x.nCols} columns, more than the ${MAX_FACTORIZED_COLUMNS} PCA is computed for`);
    return;
  }
  const { means, covariance } = covarianceOf(x);
  const evd = new EigenvalueDecomposition(new Matrix(covariance), { assumeSymmetric: true });
  const values = evd.realEigenvalues.map((v) => Math.max(0, v));
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
  const axis = evd.eigenvectorMatrix.getColumn(order[0]);
  const scores = project(x, means, axis);
  const m = moments(scores);
  sink.set('PCAKurtosisFirstPC', kurtosis(m), 'the first principal component is constant');
  sink.set('PCASkewnessFirstPC', skewness(m), 'the first principal component is constant');
}

/** Column means and the (n − 1)-normalised covariance matrix, as nested arrays for ml-matrix. */
function covarianceOf(x: DesignMatrix): { means: Float64Array; covariance: number[][] } {
  const p = x.nCols;
  const means = new Float64Array(p);
  for (let i = 0; i < x.nRows; i++) for (let j = 0; j < p; j++) means[j] += x.data[i * p + j];
  for (let j = 0; j < p; j++) means[j] /= x.nRows;
  const acc = new Float64Array(p * p);
  // Four rows at a time: each accumulator cell is loaded once per four rows.
  const r0 = new Float64Array(p);
  const r1 = new Float64Array(p);
  const r2 = new Float64Array(p);
  const r3 = new Float64Array(p);
  const load = (target: Float64Array, i: number) => {
    if (i >= x.nRows) return target.fill(0);
    for (let j = 0; j < p; j++) target[j] = x.data[i * p + j] - means[j];
    return target;
  };
  for (let i = 0; i < x.nRows; i += 4) {
    load(r0, i);
    load(r1, i + 1);
    load(r2, i + 2);
    load(r3, i + 3);
    for (let a = 0; a < p; a++) {
      const a0 = r0[a];
      const a1 = r1[a];
      const a2 = r2[a];
      const a3 = r3[a];
      const base = a * p;
      for (let b = a; b < p; b++) acc[base + b] += a0 * r0[b] + a1 * r1[b] + a2 * r2[b] + a3 * r3[b];
    }
  }
  const covariance: number[][] = [];
  for (let a = 0; a < p; a++) {
    covariance.push(Array.from({ length: p }, (_, b) => (a <= b ? acc[a * p + b] : acc[b * p + a]) / (x.nRows - 1)));
  }
  return { means, covariance };
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
