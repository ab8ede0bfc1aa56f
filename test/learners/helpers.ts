/** Small tasks and requests shared by the learner tests. */
import { selectBackend, type BackendName } from '../../src/backend/index.ts';
import type { Configuration, TrainRequest, TrainTask } from '../../src/learners/index.ts';
import { syntheticTask } from '../../src/learners/synthetic.ts';

/** A 300-row, 6-feature, 3-class task (240 train, 60 valid). */
export function smallClassification(seed = 1): TrainTask {
  return syntheticTask({ seed, nRows: 300, nCols: 6, nClasses: 3 });
}

/** A 300-row, 6-feature regression task. */
export function smallRegression(seed = 2): TrainTask {
  return syntheticTask({ seed, nRows: 300, nCols: 6, nClasses: 1 });
}

/** An MLP request with a small default configuration, overridden by `config`. */
export function mlp(config: Configuration = {}, seed = 1, shuffleSeed = 99): TrainRequest {
  return { learner: 'mlp', config: { n_layers: 2, units: 16, batch_size: 32, max_epochs: 6, patience: 30, learning_rate: 0.01, ...config }, seed, shuffleSeed };
}

/** Selects a backend for the whole test file. */
export async function useBackend(name: BackendName): Promise<void> {
  await selectBackend(name);
}

/** Largest absolute difference between two arrays (Infinity when lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
