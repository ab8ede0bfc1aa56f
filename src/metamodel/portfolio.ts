/**
 * The greedy portfolio of auto-sklearn 2.0 and FLAML's zero-shot AutoML: the configuration that
 * minimises the mean normalised regret over the training tasks, then the one that lowers it most
 * together with the first, and so on (auto-sklearn 2.0 builds 32). A task's regret under a portfolio
 * is 1 − the best normalised score among the members evaluated on it (1 when none was). Optionally
 * the members are reordered by their mean score on the nearest tasks. Candidates outside the
 * portfolio follow by their mean normalised score over the `k` nearest tasks.
 */
import { configHash } from '../spaces/canonical.ts';
import type { SearchSpace } from '../spaces/search-space.ts';
import type { Configuration } from '../spaces/types.ts';
import { definitionOf } from './space-json.ts';
import { TaskIndex, type IndexedTask } from './task-index.ts';
import { evaluatedConfigurations } from './training-set.ts';
import type { MetaModel, RankQuery, RankedCandidate, SerializedMetaModel, TrainingSet } from './types.ts';

/** Settings of {@link PortfolioMetaModel}. */
export interface PortfolioOptions {
  /** Portfolio size (auto-sklearn 2.0: 32). */
  readonly size?: number;
  /** Reorder the members by their mean score on the nearest tasks (default false: greedy order). */
  readonly orderByNeighbors?: boolean;
  /** Neighbours used for scores and ordering (default 5). */
  readonly k?: number;
}

interface PortfolioState {
  readonly members: readonly string[];
  readonly orderByNeighbors: boolean;
  readonly k: number;
  readonly tasks: readonly IndexedTask[];
}

/**
 * Builds a portfolio greedily.
 * @param scores - one map per task: configHash → normalised score
 * @param pool - the configuration hashes to choose from
 * @param size - how many members
 * @returns the members in the order they were added (ties broken by hash)
 */
export function greedyPortfolio(scores: readonly ReadonlyMap<string, number>[], pool: readonly string[], size: number): string[] {
  const bestSoFar = new Float64Array(scores.length);
  const members: string[] = [];
  const remaining = [...pool].sort();
  while (members.length < size && remaining.length > 0) {
    let bestIndex = 0;
    let bestGain = -1;
    remaining.forEach((hash, i) => {
      let gain = 0;
      scores.forEach((task, t) => {
        gain += Math.max(0, (task.get(hash) ?? 0) - bestSoFar[t]);
      });
      if (gain > bestGain) {
        bestGain = gain;
        bestIndex = i;
      }
    });
    const [chosen] = remaining.splice(bestIndex, 1);
    members.push(chosen);
    scores.forEach((task, t) => {
      bestSoFar[t] = Math.max(bestSoFar[t], task.get(chosen) ?? 0);
    });
  }
  return members;
}

/**
 * @returns the mean over tasks of 1 − the best normalised score of a portfolio's members there
 */
export function portfolioRegret(scores: readonly ReadonlyMap<string, number>[], members: readonly string[]): number {
  const regrets = scores.map((task) => 1 - Math.max(0, ...members.map((h) => task.get(h) ?? 0)));
  return regrets.reduce((s, x) => s + x, 0) / Math.max(1, regrets.length);
}

/** A greedy portfolio as a {@link MetaModel}. */
export class PortfolioMetaModel implements MetaModel {
  readonly type = 'portfolio';
  private constructor(readonly space: SearchSpace, private readonly index: TaskIndex, readonly members: readonly string[], private readonly orderByNeighbors: boolean, private readonly k: number) {}

  /** Builds the portfolio over every configuration evaluated on a training task. */
  static fit(training: TrainingSet, options: PortfolioOptions = {}): PortfolioMetaModel {
    const index = TaskIndex.fromTraining(training);
    const scores = index.tasks.map((t) => new Map(Object.entries(t.scores)));
    const pool = evaluatedConfigurations(training).map((c) => c.configHash);
    const members = greedyPortfolio(scores, pool, options.size ?? 32);
    return new PortfolioMetaModel(training.space, index, members, options.orderByNeighbors ?? false, options.k ?? 5);
  }

  /** Rebuilds a model from {@link PortfolioMetaModel.toJSON}'s state. */
  static fromState(space: SearchSpace, state: PortfolioState): PortfolioMetaModel {
    return new PortfolioMetaModel(space, new TaskIndex(state.tasks), state.members, state.orderByNeighbors, state.k);
  }

  rank(query: RankQuery, candidates: readonly Configuration[]): RankedCandidate[] {
    const neighbors = this.index.nearest(query.metaFeatures);
    const near = neighbors.slice(0, this.k);
    const hashes = candidates.map((c) => configHash(c));
    const scoreOf = hashes.map((h) => this.index.weightedScore(h, near) ?? this.index.weightedScore(h, neighbors) ?? 0);
    const position = new Map(this.members.map((h, i) => [h, i]));
    const memberRank = (i: number) => position.get(hashes[i]) ?? Infinity;
    const order = hashes.map((_, i) => i).sort((a, b) => {
      const inA = position.has(hashes[a]);
      const inB = position.has(hashes[b]);
      if (inA !== inB) return inA ? -1 : 1;
      if (inA && !this.orderByNeighbors) return memberRank(a) - memberRank(b);
      return scoreOf[b] - scoreOf[a] || (hashes[a] < hashes[b] ? -1 : 1);
    });
    return order.map((i) => ({ config: candidates[i], configHash: hashes[i], score: scoreOf[i], why: { nearestTasks: this.index.explain(hashes[i], neighbors) } }));
  }

  toJSON(): SerializedMetaModel {
    const state: PortfolioState = { members: this.members, orderByNeighbors: this.orderByNeighbors, k: this.k, tasks: this.index.tasks };
    return { type: 'portfolio', formatVersion: 1, space: definitionOf(this.space), state, weights: new Float32Array(0) };
  }

  dispose(): void {}
}
