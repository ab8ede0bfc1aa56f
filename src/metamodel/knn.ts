/**
 * The k-nearest-datasets meta-model of auto-sklearn 1.0 (Feurer et al., 2015): past tasks are
 * compared by min-max scaled meta-features under the L1 distance, and the warm start is the best
 * configuration of the nearest task, then the best of the second nearest, and so on (auto-sklearn
 * uses 25). Candidates beyond that sequence follow by their distance-weighted mean normalised
 * score on the `k` nearest tasks that evaluated them. The model ignores evaluations on the new task.
 */
import { configHash } from '../spaces/canonical.ts';
import type { SearchSpace } from '../spaces/search-space.ts';
import type { Configuration } from '../spaces/types.ts';
import { definitionOf } from './space-json.ts';
import { TaskIndex, type IndexedTask } from './task-index.ts';
import type { MetaModel, RankQuery, RankedCandidate, SerializedMetaModel, TrainingSet } from './types.ts';

/** Settings of {@link KnnMetaModel}. */
export interface KnnOptions {
  /** Length of the nearest-task sequence (auto-sklearn: 25). */
  readonly warmStart?: number;
  /** Neighbours averaged for the scores of the other candidates (default 5). */
  readonly k?: number;
}

interface KnnState {
  readonly warmStart: number;
  readonly k: number;
  readonly tasks: readonly IndexedTask[];
}

/** auto-sklearn 1.0's meta-learning warm start as a {@link MetaModel}. */
export class KnnMetaModel implements MetaModel {
  readonly type = 'knn';
  private constructor(readonly space: SearchSpace, private readonly index: TaskIndex, private readonly warmStart: number, private readonly k: number) {}

  /** Remembers the training tasks. */
  static fit(training: TrainingSet, options: KnnOptions = {}): KnnMetaModel {
    return new KnnMetaModel(training.space, TaskIndex.fromTraining(training), options.warmStart ?? 25, options.k ?? 5);
  }

  /** Rebuilds a model from {@link KnnMetaModel.toJSON}'s state. */
  static fromState(space: SearchSpace, state: KnnState): KnnMetaModel {
    return new KnnMetaModel(space, new TaskIndex(state.tasks), state.warmStart, state.k);
  }

  rank(query: RankQuery, candidates: readonly Configuration[]): RankedCandidate[] {
    const neighbors = this.index.nearest(query.metaFeatures);
    const hashes = candidates.map((c) => configHash(c));
    const scoreOf = hashes.map((h) => this.index.weightedScore(h, neighbors.slice(0, this.k)) ?? this.index.weightedScore(h, neighbors) ?? 0);
    const order: number[] = [];
    const taken = new Set<number>();
    for (const n of neighbors) {
      if (order.length >= this.warmStart) break;
      const best = bestOnTask(hashes, (h) => this.index.scoreOn(n.task, h), taken);
      if (best >= 0) {
        order.push(best);
        taken.add(best);
      }
    }
    const rest = hashes.map((_, i) => i).filter((i) => !taken.has(i)).sort((a, b) => scoreOf[b] - scoreOf[a] || (hashes[a] < hashes[b] ? -1 : 1));
    return [...order, ...rest].map((i) => ({
      config: candidates[i],
      configHash: hashes[i],
      score: scoreOf[i],
      why: { nearestTasks: this.index.explain(hashes[i], neighbors) },
    }));
  }

  toJSON(): SerializedMetaModel {
    const state: KnnState = { warmStart: this.warmStart, k: this.k, tasks: this.index.tasks };
    return { type: 'knn', formatVersion: 1, space: definitionOf(this.space), state, weights: new Float32Array(0) };
  }

  dispose(): void {}
}

/** @returns the index of the candidate with the best score on a task, not yet taken; -1 when none was evaluated there */
function bestOnTask(hashes: readonly string[], scoreOn: (hash: string) => number | null, taken: ReadonlySet<number>): number {
  let best = -1;
  let bestScore = -Infinity;
  hashes.forEach((h, i) => {
    const s = scoreOn(h);
    if (s !== null && !taken.has(i) && s > bestScore) {
      best = i;
      bestScore = s;
    }
  });
  return best;
}
