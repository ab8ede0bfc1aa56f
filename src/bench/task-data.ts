/**
 * One held-out task as the benchmark sees it: its evaluated configurations (the only ones a method
 * may pick, as in HPO-B), their stored scores (looked up, never retrained), and their one-hot
 * vectors for nearest-neighbour snapping. Built once per task and shared by every method and seed.
 */
import type { SearchSpace } from '../spaces/search-space.ts';
import type { Configuration } from '../spaces/types.ts';
import type { MetaTask } from '../metamodel/types.ts';

/** A task's candidate set with cached encodings. */
export interface BenchTask {
  readonly space: SearchSpace;
  readonly task: MetaTask;
  readonly configs: readonly Configuration[];
  readonly hashes: readonly string[];
  readonly scores: readonly number[];
  readonly vectors: readonly Float64Array[];
  /** One-hot vector of the space's default configuration. */
  readonly defaultVector: Float64Array;
  readonly indexOf: ReadonlyMap<string, number>;
  readonly best: number;
  readonly worst: number;
}

/** @returns the task's candidates, scores and vectors */
export function benchTask(space: SearchSpace, task: MetaTask): BenchTask {
  const configs = task.evaluations.map((e) => e.config);
  const scores = task.evaluations.map((e) => e.score);
  return {
    space,
    task,
    configs,
    hashes: task.evaluations.map((e) => e.configHash),
    scores,
    vectors: configs.map((c) => space.toOneHotVector(c)),
    defaultVector: space.toOneHotVector(space.defaultConfiguration()),
    indexOf: new Map(task.evaluations.map((e, i) => [e.configHash, i])),
    best: Math.max(...scores),
    worst: Math.min(...scores),
  };
}

/**
 * @param target - a one-hot vector
 * @param taken - candidates already picked
 * @returns the index of the nearest candidate (squared Euclidean) not yet taken, -1 when none is left
 */
export function nearestCandidate(data: BenchTask, target: Float64Array, taken: ReadonlySet<number>): number {
  let best = -1;
  let bestDistance = Infinity;
  data.vectors.forEach((v, i) => {
    if (taken.has(i)) return;
    let d = 0;
    for (let k = 0; k < v.length; k++) d += (v[k] - target[k]) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  });
  return best;
}
