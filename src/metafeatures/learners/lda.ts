/**
 * Linear discriminant analysis with the same decision rule as scikit-learn's default `svd`
 * solver: features are scaled by their pooled within-class standard deviation (0 → 1), the
 * within-class covariance of the scaled features is eigendecomposed (ml-matrix EVD), and
 * directions with eigenvalue ≤ 1e-8 (singular value ≤ 1e-4, scikit-learn's `tol`) are discarded.
 * In the remaining whitened space a row goes to the class maximising z·m_c − ½‖m_c‖² + log π_c.
 * A singular covariance (collinear or constant columns, one-hot groups) is therefore handled by
 * rank truncation, a pseudo-inverse, rather than by a ridge.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { DesignMatrix } from '../design.ts';
import { argmax, type Classifier } from './learner.ts';

const EIGEN_TOLERANCE = 1e-8;

/** LDA classifier. */
export class LinearDiscriminantAnalysis implements Classifier {
  private classes: number[] = [];
  /** Maps a scaled, whitened row: z = W^T (x / std). Stored p × r, row-major. */
  private projection: Float64Array = new Float64Array(0);
  private rank = 0;
  private scale: Float64Array = new Float64Array(0);
  private centers: Float64Array[] = [];
  private offsets: number[] = [];

  constructor(private readonly nClasses: number) {}

  fit(x: DesignMatrix, y: Int32Array, rows: Int32Array): void {
    const p = x.nCols;
    const { classes, means, counts } = classMeans(x, y, rows, this.nClasses);
    this.classes = classes;
    const slot = new Int32Array(this.nClasses).fill(-1);
    classes.forEach((c, i) => (slot[c] = i));
    const std = pooledStd(x, y, rows, means, slot);
    const dof = Math.max(1, rows.length - classes.length);
    const scatter = withinScatter(x, y, rows, means, slot, std, dof);
    const evd = new EigenvalueDecomposition(new Matrix(scatter), { assumeSymmetric: true });
    const keep = evd.realEigenvalues.map((v, i) => [v, i]).filter(([v]) => v > EIGEN_TOLERANCE);
    this.rank = keep.length;
    this.projection = new Float64Array(p * this.rank);
    keep.forEach(([value, col], k) => {
      for (let j = 0; j < p; j++) this.projection[j * this.rank + k] = evd.eigenvectorMatrix.get(j, col) / Math.sqrt(value);
    });
    this.scale = std;
    this.centers = means.map((m) => this.whiten(m, 0));
    this.offsets = this.centers.map((c, i) => -0.5 * dot(c, c) + Math.log(counts[i] / rows.length));
  }

  predict(x: DesignMatrix, rows: Int32Array): Int32Array {
    const scores = new Float64Array(this.classes.length);
    return rows.map((r) => {
      const z = this.whiten(x.data, r * x.nCols);
      for (let i = 0; i < this.classes.length; i++) scores[i] = dot(z, this.centers[i]) + this.offsets[i];
      return this.classes[argmax(scores)];
    });
  }

  private whiten(source: Float64Array, offset: number): Float64Array {
    const p = this.scale.length;
    const z = new Float64Array(this.rank);
    for (let j = 0; j < p; j++) {
      const v = source[offset + j] / this.scale[j];
      if (v === 0) continue;
      const base = j * this.rank;
      for (let k = 0; k < this.rank; k++) z[k] += v * this.projection[base + k];
    }
    return z;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function classMeans(x: DesignMatrix, y: Int32Array, rows: Int32Array, nClasses: number) {
  const p = x.nCols;
  const count = new Float64Array(nClasses);
  const sums = Array.from({ length: nClasses }, () => new Float64Array(p));
  for (const r of rows) {
    count[y[r]]++;
    for (let j = 0; j < p; j++) sums[y[r]][j] += x.data[r * p + j];
  }
  const classes = [...count.keys()].filter((c) => count[c] > 0);
  return { classes, means: classes.map((c) => sums[c].map((s) => s / count[c])), counts: classes.map((c) => count[c]) };
}

/** Standard deviation of the class-centred features over all training rows (0 → 1). */
function pooledStd(x: DesignMatrix, y: Int32Array, rows: Int32Array, means: Float64Array[], slot: Int32Array): Float64Array {
  const p = x.nCols;
  const ss = new Float64Array(p);
  for (const r of rows) {
    const m = means[slot[y[r]]];
    for (let j = 0; j < p; j++) ss[j] += (x.data[r * p + j] - m[j]) ** 2;
  }
  return ss.map((s) => {
    const sd = Math.sqrt(s / rows.length);
    return sd > 0 ? sd : 1;
  });
}

function withinScatter(
  x: DesignMatrix, y: Int32Array, rows: Int32Array, means: Float64Array[], slot: Int32Array, std: Float64Array, dof: number,
): number[][] {
  const p = x.nCols;
  const acc = new Float64Array(p * p);
  const d = new Float64Array(p);
  for (const r of rows) {
    const m = means[slot[y[r]]];
    for (let j = 0; j < p; j++) d[j] = (x.data[r * p + j] - m[j]) / std[j];
    for (let a = 0; a < p; a++) {
      if (d[a] === 0) continue;
      for (let b = a; b < p; b++) acc[a * p + b] += d[a] * d[b];
    }
  }
  return Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => (a <= b ? acc[a * p + b] : acc[b * p + a]) / dof));
}
