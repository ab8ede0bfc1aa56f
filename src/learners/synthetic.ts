/**
 * Seeded synthetic tasks for tests and benchmarks: Gaussian clusters around random centroids
 * (classification) or a noisy non-linear function (regression), already standardised.
 */
import { Random } from '../random.ts';
import type { TrainTask, TrainingData } from './types.ts';

/** Shape of a synthetic task. */
export interface SyntheticOptions {
  readonly seed: number;
  readonly nRows: number;
  readonly nCols: number;
  /** Classes (classification) or 1 (regression). */
  readonly nClasses: number;
  /** Share of rows in the validation split (default 0.2). */
  readonly validFraction?: number;
  /** Noise around the centroids (default 1.5: classes overlap, so there is something to learn). */
  readonly noise?: number;
}

/**
 * Makes a task.
 * @returns a task whose splits are independent draws of the same distribution
 */
export function syntheticTask(options: SyntheticOptions): TrainTask {
  const random = new Random(options.seed);
  const nValid = Math.max(1, Math.round(options.nRows * (options.validFraction ?? 0.2)));
  const regression = options.nClasses === 1;
  const centroids = Array.from({ length: regression ? 4 : options.nClasses }, () => Array.from({ length: options.nCols }, () => random.normal()));
  const weights = Array.from({ length: options.nCols }, () => random.normal());
  const draw = (n: number): TrainingData => {
    const X = new Float32Array(n * options.nCols);
    const y = regression ? new Float32Array(n) : new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const label = random.int(centroids.length);
      let target = 0;
      for (let j = 0; j < options.nCols; j++) {
        const v = centroids[label][j] + (options.noise ?? 1.5) * random.normal();
        X[i * options.nCols + j] = v;
        target += weights[j] * Math.tanh(v);
      }
      y[i] = regression ? target / Math.sqrt(options.nCols) + 0.1 * random.normal() : label;
    }
    return { X, nRows: n, nCols: options.nCols, y };
  };
  return { task: regression ? 'regression' : 'classification', nClasses: options.nClasses, train: draw(options.nRows - nValid), valid: draw(nValid) };
}
