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

/**
 * Greedy maximisation of the weighted expected best normalised score.
 * @param scores - per scenario: configHash → normalised score (a configuration missing there scores 0, as a failed run)
 * @param weights - per scenario
 * @param pool - candidate hashes
 * @param size - list length
 * @param start - members already chosen (the list continues after them; they are returned first)
 * @param tieBreak - hash → value that orders candidates of equal gain (default: the smaller hash)
 * @returns the list, in pick order (ties: the smaller hash)
 */
export function conditionedPortfolio(scores: readonly ReadonlyMap<string, number>[], weights: ArrayLike<number>, pool: readonly string[], size: number, start: readonly string[] = [], tieBreak?: ReadonlyMap<string, number>): string[] {
  const bestSoFar = new Float64Array(scores.length).fill(-Infinity);
  const members: string[] = [...start];
  for (const chosen of start) for (let t = 0; t < scores.length; t++) bestSoFar[t] = Math.max(bestSoFar[t], scores[t].get(chosen) ?? 0);
  if (start.length === 0) bestSoFar.fill(0);
  const remaining = [...pool].filter((h) => !start.includes(h)).sort();
  while (members.length < size && remaining.length > 0) {
    let bestIndex = 0;
    let bestGain = -Infinity;
    for (let i = 0; i < remaining.length; i++) {
      let gain = 0;
      for (let t = 0; t < scores.length; t++) {
        const s = scores[t].get(remaining[i]) ?? 0;
        gain += weights[t] * Math.max(0, s - bestSoFar[t]);
      }
      if (gain > bestGain || (gain === bestGain && tieBreak !== undefined && (tieBreak.get(remaining[i]) ?? -Infinity) > (tieBreak.get(remaining[bestIndex]) ?? -Infinity))) {
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
