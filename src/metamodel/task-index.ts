/**
 * The past tasks a meta-model remembers: their meta-features and the normalised score of every
 * configuration evaluated on them. It finds the tasks nearest to a query with the store's
 * auto-sklearn distance (`nearestTasks`: min-max scaled L1, mean imputation) and explains a
 * recommendation by how the configuration did on those tasks.
 */
import { nearestTasks, type TaskNeighbor } from '../store/similarity.ts';
import type { MetaFeatureRecord } from '../store/records.ts';
import type { MetaFeatureValues, NeighborEvidence, TrainingSet } from './types.ts';

/** One remembered task, as serialised. */
export interface IndexedTask {
  readonly name: string;
  readonly extractorVersion: string;
  readonly metaFeatures: MetaFeatureValues;
  /** configHash → normalised score. */
  readonly scores: Readonly<Record<string, number>>;
}

/** How many neighbours a recommendation's explanation lists. */
export const EXPLAINED_NEIGHBORS = 3;

/** Past tasks with their normalised scores, searchable by meta-features. */
export class TaskIndex {
  readonly tasks: readonly IndexedTask[];
  private readonly records: MetaFeatureRecord[];
  private readonly byName: ReadonlyMap<string, IndexedTask>;

  constructor(tasks: readonly IndexedTask[]) {
    this.tasks = tasks;
    this.byName = new Map(tasks.map((t) => [t.name, t]));
    this.records = tasks.map((t) => ({ task: t.name, extractorVersion: t.extractorVersion, values: t.metaFeatures, missing: {}, createdAt: '' }));
  }

  /** @returns the index of a training set's tasks */
  static fromTraining(training: TrainingSet): TaskIndex {
    return new TaskIndex(training.tasks.map((t) => ({
      name: t.name,
      extractorVersion: t.extractorVersion,
      metaFeatures: t.metaFeatures,
      scores: Object.fromEntries(t.evaluations.map((e) => [e.configHash, e.normalized])),
    })));
  }

  /**
   * @param metaFeatures - the query's meta-features
   * @param k - how many neighbours (default all)
   * @returns the nearest tasks, nearest first
   */
  nearest(metaFeatures: MetaFeatureValues, k = this.tasks.length): TaskNeighbor[] {
    return nearestTasks(metaFeatures, this.records, { k });
  }

  /** @returns the normalised score of a configuration on a task, or null when not evaluated there */
  scoreOn(task: string, configHash: string): number | null {
    return this.byName.get(task)?.scores[configHash] ?? null;
  }

  /**
   * Distance-weighted mean normalised score of a configuration over the given neighbours that evaluated it.
   * @returns the mean, or null when none of them evaluated it
   */
  weightedScore(configHash: string, neighbors: readonly TaskNeighbor[]): number | null {
    let total = 0;
    let weight = 0;
    for (const n of neighbors) {
      const s = this.scoreOn(n.task, configHash);
      if (s === null) continue;
      const w = 1 / (n.distance + 1e-3);
      total += w * s;
      weight += w;
    }
    return weight > 0 ? total / weight : null;
  }

  /**
   * The portfolio-like prior: a configuration's summed normalised score over the remembered tasks
   * divided by their number, so a task where it was not evaluated (a failed or missing run) counts
   * as its worst. This is the greedy portfolio's first criterion (auto-sklearn 2.0, FLAML).
   * @returns configHash → mean normalised score, for every configuration some task evaluated
   */
  meanScores(): Map<string, number> {
    const sums = new Map<string, number>();
    for (const task of this.tasks) for (const [hash, score] of Object.entries(task.scores)) sums.set(hash, (sums.get(hash) ?? 0) + score);
    return new Map([...sums].map(([hash, total]) => [hash, total / this.tasks.length]));
  }

  /** @returns how the configuration did on the first {@link EXPLAINED_NEIGHBORS} neighbours */
  explain(configHash: string, neighbors: readonly TaskNeighbor[]): NeighborEvidence[] {
    return neighbors.slice(0, EXPLAINED_NEIGHBORS).map((n) => ({ name: n.task, distance: n.distance, scoreThere: this.scoreOn(n.task, configHash) }));
  }
}
