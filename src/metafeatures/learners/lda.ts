/**
 * Linear discriminant analysis with the decision rule of scikit-learn's default `svd` solver:
 * features are scaled by their pooled within-class standard deviation (0 → 1) and the
 * within-class covariance S of the scaled features (divided by n − K) is inverted on its range
 * only ({@link pseudoInverse}: pivoted Cholesky, directions with remaining variance ≤ 1e-8 are
 * dropped, as scikit-learn drops singular values ≤ 1e-4). A row x goes to the class maximising
 * xᵀS⁺μ_c − ½ μ_cᵀS⁺μ_c + log π_c. A singular covariance (collinear or constant columns, one-hot
 * groups) is thus handled by rank truncation rather than by a ridge. The within-class scatter is
 * the sample's Gram matrix minus the held-out rows minus the class-mean terms, so a fold costs
 * O(test rows · p²) instead of O(train rows · p²).
 */
import type { DesignMatrix } from '../design.ts';
import { addOuter, argmax, type Classifier, type LearnerContext } from './learner.ts';
import { pseudoInverse } from './whitening.ts';
import { addUpperGramOfRows, symmetrize } from './gram.ts';

const PIVOT_TOLERANCE = 1e-8;

/** LDA classifier. */
export class LinearDiscriminantAnalysis implements Classifier {
  private classes: number[] = [];
  private scale: Float64Array = new Float64Array(0);
  private weights: Float64Array[] = [];
  private offsets: number[] = [];

  constructor(private readonly context: LearnerContext) {}

  fit(x: DesignMatrix, y: Int32Array, rows: Int32Array): void {
    const p = x.nCols;
    const nClasses = this.context.nClasses;
    const count = new Float64Array(nClasses);
    const sums = Array.from({ length: nClasses }, () => new Float64Array(p));
    const data = x.data;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      count[y[r]]++;
      const s = sums[y[r]];
      const base = r * p;
      for (let j = 0; j < p; j++) s[j] += data[base + j];
    }
    this.classes = [...count.keys()].filter((c) => count[c] > 0);
    const means = this.classes.map((c) => sums[c].map((s) => s / count[c]));
    const scatter = withinScatter(this.context, rows, means, this.classes.map((c) => count[c]));
    this.scale = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      const sd = Math.sqrt(Math.max(0, scatter[j * p + j]) / rows.length);
      this.scale[j] = sd > 1e-12 ? sd : 1;
    }
    const dof = Math.max(1, rows.length - this.classes.length);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) scatter[a * p + b] /= this.scale[a] * this.scale[b] * dof;
    const { solve } = pseudoInverse(scatter, p, PIVOT_TOLERANCE);
    const scaledMeans = means.map((m) => m.map((v, j) => v / this.scale[j]));
    this.weights = scaledMeans.map((m) => solve(m));
    this.offsets = scaledMeans.map((m, i) => -0.5 * dot(m, this.weights[i]) + Math.log(count[this.classes[i]] / rows.length));
  }

  predict(x: DesignMatrix, rows: Int32Array): Int32Array {
    const p = x.nCols;
    const scores = new Float64Array(this.classes.length);
    const data = x.data;
    const scale = this.scale;
    return rows.map((r) => {
      const base = r * p;
      for (let i = 0; i < this.classes.length; i++) {
        const w = this.weights[i];
        let s = this.offsets[i];
        for (let j = 0; j < p; j++) s += (data[base + j] / scale[j]) * w[j];
        scores[i] = s;
      }
      return this.classes[argmax(scores)];
    });
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Σ_train (x − μ_c)(x − μ_c)ᵀ = Gram(all) − Gram(held out) − Σ_c n_c μ_c μ_cᵀ (full matrix). */
function withinScatter(context: LearnerContext, rows: Int32Array, means: Float64Array[], counts: number[]): Float64Array {
  const x = context.x;
  const p = x.nCols;
  const w = context.gram().slice();
  const inTrain = new Uint8Array(x.nRows);
  for (const r of rows) inTrain[r] = 1;
  const heldOut: number[] = [];
  for (let i = 0; i < x.nRows; i++) if (!inTrain[i]) heldOut.push(i);
  // w −= v vᵀ for each held-out row v, in row order: (−v) vᵀ added, cell by cell.
  const held = Int32Array.from(heldOut);
  addUpperGramOfRows(x.data, x.nRows, p, w, held, true);
  means.forEach((m, c) => addOuter(w, m, 0, p, -counts[c]));
  symmetrize(w, p);
  return w;
}
