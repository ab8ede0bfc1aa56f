/**
 * The task-conditioned portfolio: a list chosen as a set for one new task. Each past task is a
 * scenario of what the new task's normalised scores could be, weighted by how close its
 * meta-features are (a kernel on the auto-sklearn distance, mixed with a uniform weight); the k-th
 * pick is the configuration that most raises the weighted expected best score of the list so far
 * (greedy maximisation of E[max], which is submodular, so greedy is within 1 − 1/e of the best
 * list). With uniform weights it is the greedy portfolio of auto-sklearn 2.0; with all the weight
 * on one task it is that task's best configurations. Because the first pick maximises the weighted
 * expected score over every candidate, the space's default included when it is a candidate, the
 * opener is never worse than the default in expectation under the scenarios.
 */
import type { TaskNeighbor } from '../store/similarity.ts';

/** Settings of {@link scenarioWeights}. */
export interface ScenarioSettings {
  /** Kernel temperature in units of the median distance to the past tasks (smaller: nearer tasks dominate). */
  readonly tau: number;
  /** Weight mixed in uniformly over all past tasks, in [0, 1]. */
  readonly lambda: number;
}

/**
 * @param neighbors - the past tasks with their distance to the new task (any order)
 * @param names - the scenario order wanted
 * @returns one weight per name, summing to 1
 */
export function scenarioWeights(neighbors: readonly TaskNeighbor[], names: readonly string[], settings: ScenarioSettings): Float64Array {
  const distance = new Map(neighbors.map((n) => [n.task, n.distance]));
  const sorted = [...distance.values()].sort((a, b) => a - b);
  const median = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)] : 1;
  const scale = Math.max(settings.tau * median, 1e-12);
  const nearest = sorted[0] ?? 0;
  const kernel = names.map((n) => Math.exp(-((distance.get(n) ?? Infinity) - nearest) / scale));
  const total = kernel.reduce((s, x) => s + x, 0);
  return Float64Array.from(kernel, (k) => (1 - settings.lambda) * (total > 0 ? k / total : 1 / names.length) + settings.lambda / names.length);
}

/** A normalised score below which a scenario counts the opener as a bad run (see `risk`). */
export const BAD_SCORE = 0.5;

/**
 * Greedy maximisation of the weighted expected best normalised score.
 * @param scores - per scenario: configHash → normalised score (a configuration missing there scores 0, as a failed run)
 * @param weights - per scenario
 * @param pool - candidate hashes
 * @param size - list length
 * @param risk - the opener's penalty per unit of normalised score below {@link BAD_SCORE} in a
 *   scenario (0: the weighted expected score alone); later picks are chosen for the expected best
 * @returns the list, in pick order (ties: the smaller hash)
 */
export function conditionedPortfolio(scores: readonly ReadonlyMap<string, number>[], weights: ArrayLike<number>, pool: readonly string[], size: number, risk = 0): string[] {
  const bestSoFar = new Float64Array(scores.length);
  const members: string[] = [];
  const remaining = [...pool].sort();
  while (members.length < size && remaining.length > 0) {
    let bestIndex = 0;
    let bestGain = -Infinity;
    for (let i = 0; i < remaining.length; i++) {
      let gain = 0;
      for (let t = 0; t < scores.length; t++) {
        const s = scores[t].get(remaining[i]) ?? 0;
        gain += weights[t] * (Math.max(0, s - bestSoFar[t]) - (members.length === 0 ? risk * Math.max(0, BAD_SCORE - s) : 0));
      }
      if (gain > bestGain) {
        bestGain = gain;
        bestIndex = i;
      }
    }
    const [chosen] = remaining.splice(bestIndex, 1);
    members.push(chosen);
    for (let t = 0; t < scores.length; t++) bestSoFar[t] = Math.max(bestSoFar[t], scores[t].get(chosen) ?? 0);
  }
  return members;
}
