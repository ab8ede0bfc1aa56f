/**
 * Regression landmark learners: ordinary least squares with an intercept (minimum-norm solution
 * through a rank-truncated eigendecomposition of the centred normal equations, so collinear
 * columns are harmless) and a variance-reducing decision stump on the best feature.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { DesignMatrix } from '../design.ts';
import type { Regressor } from './learner.ts';
import type { SortedColumns } from './tree.ts';

/** Relative eigenvalue below which a direction of XᵀX is treated as null. */
const RANK_TOLERANCE = 1e-10;

/** Least-squares linear regression. */
export class LinearRegression implements Regressor {
  private weights: Float64Array = new Float64Array(0);
  private intercept = 0;

  fit(x: DesignMatrix, y: Float64Array, rows: Int32Array): void {
    const p = x.nCols;
    const xMean = new Float64Array(p);
    let yMean = 0;
    for (const r of rows) {
      yMean += y[r];
      for (let j = 0; j < p; j++) xMean[j] += x.data[r * p + j];
    }
    yMean /= rows.length;
    for (let j = 0; j < p; j++) xMean[j] /= rows.length;
    const gram = new Float64Array(p * p);
    const xty = new Float64Array(p);
    const d = new Float64Array(p);
    for (const r of rows) {
      for (let j = 0; j < p; j++) d[j] = x.data[r * p + j] - xMean[j];
      const t = y[r] - yMean;
      for (let a = 0; a < p; a++) {
        xty[a] += d[a] * t;
        for (let b = a; b < p; b++) gram[a * p + b] += d[a] * d[b];
      }
    }
    this.weights = solveMinimumNorm(gram, xty, p);
    this.intercept = yMean - this.weights.reduce((s, w, j) => s + w * xMean[j], 0);
  }

  predict(x: DesignMatrix, rows: Int32Array): Float64Array {
    const p = x.nCols;
    return Float64Array.from(rows, (r) => {
      let s = this.intercept;
      for (let j = 0; j < p; j++) s += this.weights[j] * x.data[r * p + j];
      return s;
    });
  }
}

/** Solves G w = b for symmetric positive semi-definite G (upper triangle given), minimum norm. */
function solveMinimumNorm(upper: Float64Array, b: Float64Array, p: number): Float64Array {
  const w = new Float64Array(p);
  if (p === 0) return w;
  const g = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i <= j ? upper[i * p + j] : upper[j * p + i])));
  const evd = new EigenvalueDecomposition(new Matrix(g), { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const largest = Math.max(...values, 0);
  const v = evd.eigenvectorMatrix;
  values.forEach((lambda, k) => {
    if (!(lambda > RANK_TOLERANCE * largest)) return;
    let proj = 0;
    for (let j = 0; j < p; j++) proj += v.get(j, k) * b[j];
    for (let j = 0; j < p; j++) w[j] += (v.get(j, k) * proj) / lambda;
  });
  return w;
}

/** A depth-one regression tree: the split of one feature that most reduces the squared error. */
export class DecisionStumpRegressor implements Regressor {
  private feature = -1;
  private threshold = 0;
  private leftValue = 0;
  private rightValue = 0;

  constructor(private readonly sorted: SortedColumns) {}

  fit(x: DesignMatrix, y: Float64Array, rows: Int32Array): void {
    const inTrain = new Uint8Array(x.nRows);
    let total = 0;
    for (const r of rows) {
      inTrain[r] = 1;
      total += y[r];
    }
    const n = rows.length;
    this.feature = -1;
    this.leftValue = this.rightValue = total / n;
    let bestGain = 1e-12;
    const list = new Int32Array(n);
    this.sorted.orders.forEach((order, f) => {
      const column = this.sorted.values.subarray(f * x.nRows, (f + 1) * x.nRows);
      let k = 0;
      for (const r of order) if (inTrain[r]) list[k++] = r;
      let sumLeft = 0;
      for (let i = 0; i < n - 1; i++) {
        sumLeft += y[list[i]];
        const v = column[list[i]];
        const next = column[list[i + 1]];
        if (next <= v + 1e-7) continue;
        const nl = i + 1;
        const sumRight = total - sumLeft;
        // SSE reduction = Σ_left²/nl + Σ_right²/nr − Σ²/n
        const gain = (sumLeft * sumLeft) / nl + (sumRight * sumRight) / (n - nl) - (total * total) / n;
        if (gain > bestGain) {
          bestGain = gain;
          this.feature = f;
          this.threshold = (v + next) / 2 === next ? v : (v + next) / 2;
          this.leftValue = sumLeft / nl;
          this.rightValue = sumRight / (n - nl);
        }
      }
    });
  }

  predict(x: DesignMatrix, rows: Int32Array): Float64Array {
    return Float64Array.from(rows, (r) => {
      if (this.feature < 0) return this.leftValue;
      return x.data[r * x.nCols + this.feature] <= this.threshold ? this.leftValue : this.rightValue;
    });
  }
}
