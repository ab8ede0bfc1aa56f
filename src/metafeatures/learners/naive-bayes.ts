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
  /** ½ log(2π σ²) per class and feature. */
  private logNormalizers: Float64Array[] = [];

  constructor(private readonly nClasses: number) {}

  fit(x: DesignMatrix, y: Int32Array, rows: Int32Array): void {
    const p = x.nCols;
    const data = x.data;
    const count = new Float64Array(this.nClasses);
    const sums = Array.from({ length: this.nClasses }, () => new Float64Array(p));
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      count[y[r]]++;
      const s = sums[y[r]];
      const base = r * p;
      for (let j = 0; j < p; j++) s[j] += data[base + j];
    }
    this.classes = [...count.keys()].filter((c) => count[c] > 0);
    this.means = this.classes.map((c) => sums[c].map((s) => s / count[c]));
    const sq = this.classes.map(() => new Float64Array(p));
    const slot = new Int32Array(this.nClasses).fill(-1);
    this.classes.forEach((c, i) => (slot[c] = i));
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      const i = slot[y[r]];
      const mu = this.means[i];
      const acc = sq[i];
      const base = r * p;
      for (let j = 0; j < p; j++) {
        const d = data[base + j] - mu[j];
        acc[j] += d * d;
      }
    }
    const epsilon = VAR_SMOOTHING * maxFeatureVariance(x, rows);
    this.variances = this.classes.map((c, i) => sq[i].map((s) => s / count[c] + epsilon));
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
