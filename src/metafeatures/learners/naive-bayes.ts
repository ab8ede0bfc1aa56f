/**
 * Gaussian naive Bayes, as scikit-learn's `GaussianNB`: per-class means and population variances,
 * every variance increased by 1e-9 × the largest feature variance of the training rows, priors
 * from the class frequencies; classes absent from the training rows are never predicted.
 */
import type { DesignMatrix } from '../design.ts';
import { argmax, type Classifier } from './learner.ts';

const VAR_SMOOTHING = 1e-9;

/** Gaussian naive Bayes classifier. */
export class GaussianNaiveBayes implements Classifier {
  private classes: number[] = [];
  private means: Float64Array[] = [];
  private variances: Float64Array[] = [];
  private logPriors: number[] = [];

  constructor(private readonly nClasses: number) {}

  fit(x: DesignMatrix, y: Int32Array, rows: Int32Array): void {
    const p = x.nCols;
    const count = new Float64Array(this.nClasses);
    const sums = Array.from({ length: this.nClasses }, () => new Float64Array(p));
    for (const r of rows) {
      count[y[r]]++;
      const s = sums[y[r]];
      for (let j = 0; j < p; j++) s[j] += x.data[r * p + j];
    }
    this.classes = [...count.keys()].filter((c) => count[c] > 0);
    this.means = this.classes.map((c) => sums[c].map((s) => s / count[c]));
    const sq = this.classes.map(() => new Float64Array(p));
    const slot = new Int32Array(this.nClasses).fill(-1);
    this.classes.forEach((c, i) => (slot[c] = i));
    for (const r of rows) {
      const i = slot[y[r]];
      for (let j = 0; j < p; j++) {
        const d = x.data[r * p + j] - this.means[i][j];
        sq[i][j] += d * d;
      }
    }
    const epsilon = VAR_SMOOTHING * maxFeatureVariance(x, rows);
    this.variances = this.classes.map((c, i) => sq[i].map((s) => s / count[c] + epsilon));
    this.logPriors = this.classes.map((c) => Math.log(count[c] / rows.length));
  }

  predict(x: DesignMatrix, rows: Int32Array): Int32Array {
    const p = x.nCols;
    const scores = new Float64Array(this.classes.length);
    return rows.map((r) => {
      for (let i = 0; i < this.classes.length; i++) {
        let s = this.logPriors[i];
        const mu = this.means[i];
        const v = this.variances[i];
        for (let j = 0; j < p; j++) {
          const d = x.data[r * p + j] - mu[j];
          s -= 0.5 * Math.log(2 * Math.PI * v[j]) + (d * d) / (2 * v[j]);
        }
        scores[i] = s;
      }
      return this.classes[argmax(scores)];
    });
  }
}

function maxFeatureVariance(x: DesignMatrix, rows: Int32Array): number {
  const p = x.nCols;
  let best = 0;
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (const r of rows) s += x.data[r * p + j];
    const mu = s / rows.length;
    let ss = 0;
    for (const r of rows) ss += (x.data[r * p + j] - mu) ** 2;
    best = Math.max(best, ss / rows.length);
  }
  return best;
}
