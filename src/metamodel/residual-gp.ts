/**
 * A Gaussian-process correction of the adapted network on the new task, as FSBO's deep kernel: the
 * residuals of the evaluated configurations (observed minus predicted) are smoothed over the
 * learned embedding space with a squared-exponential kernel, so configurations close to a
 * surprisingly good (or bad) evaluation move with it, and the posterior variance grows away from
 * the evaluations. Raw scores are put on the normalised scale by standardising them over the
 * evaluations and multiplying by the typical within-task spread of normalised scores in training
 * (no need for the task's unknown best and worst).
 */

/** Settings of {@link residualCorrection}. */
export interface ResidualGpSettings {
  /** Kernel length scale in embedding space. */
  readonly lengthscale: number;
  /** Prior standard deviation of the correction (normalised-score units). */
  readonly signalStd: number;
  /** Observation noise variance as a share of the signal variance. */
  readonly noiseShare: number;
}

/** Posterior of the correction at the candidates. */
export interface ResidualPosterior {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

/**
 * @param observed - embedding (all members concatenated) of each evaluated configuration
 * @param residuals - calibrated observation minus network prediction, per evaluated configuration
 * @param candidates - embedding of each candidate
 * @returns the GP posterior mean and variance of the correction at each candidate
 */
export function residualCorrection(observed: readonly Float64Array[], residuals: readonly number[], candidates: readonly Float64Array[], settings: ResidualGpSettings): ResidualPosterior {
  const signal = settings.signalStd ** 2;
  const kernel = (a: Float64Array, b: Float64Array) => signal * Math.exp(-squaredDistance(a, b) / (2 * settings.lengthscale ** 2));
  const gram = observed.map((a, i) => observed.map((b, j) => kernel(a, b) + (i === j ? settings.noiseShare * signal : 0)));
  const chol = cholesky(gram);
  const alpha = solveCholesky(chol, residuals);
  const mean = new Float64Array(candidates.length);
  const variance = new Float64Array(candidates.length);
  candidates.forEach((c, k) => {
    const kx = observed.map((o) => kernel(c, o));
    mean[k] = kx.reduce((s, v, i) => s + v * alpha[i], 0);
    const v = forwardSubstitute(chol, kx);
    variance[k] = Math.max(0, signal - v.reduce((s, x) => s + x * x, 0));
  });
  return { mean, variance };
}

/** @returns the median pairwise Euclidean distance among (up to the first 64) points, 1 when undefined */
export function medianDistance(points: readonly Float64Array[]): number {
  const sample = points.slice(0, 64);
  const distances: number[] = [];
  for (let i = 0; i < sample.length; i++) for (let j = i + 1; j < sample.length; j++) distances.push(Math.sqrt(squaredDistance(sample[i], sample[j])));
  distances.sort((a, b) => a - b);
  const median = distances[Math.floor(distances.length / 2)];
  return median !== undefined && median > 0 ? median : 1;
}

function squaredDistance(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) d += (a[k] - b[k]) ** 2;
  return d;
}

/** Lower Cholesky factor of a symmetric positive-definite matrix (jitter added when needed). */
function cholesky(matrix: readonly (readonly number[])[]): Float64Array[] {
  const n = matrix.length;
  const l = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i][j];
      for (let k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j][j];
    }
  }
  return l;
}

function forwardSubstitute(l: readonly Float64Array[], b: readonly number[]): Float64Array {
  const x = new Float64Array(b.length);
  for (let i = 0; i < b.length; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i][k] * x[k];
    x[i] = sum / l[i][i];
  }
  return x;
}

function solveCholesky(l: readonly Float64Array[], b: readonly number[]): Float64Array {
  const y = forwardSubstitute(l, b);
  const n = b.length;
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < n; k++) sum -= l[k][i] * x[k];
    x[i] = sum / l[i][i];
  }
  return x;
}
