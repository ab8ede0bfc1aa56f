/**
 * The meta-model contract: one interface, {@link MetaModel}, that ranks candidate configurations of
 * a search space for a task described by its meta-features (and, when some configurations were
 * already evaluated there, by those evaluations). Every implementation (`knn.ts`, `portfolio.ts`,
 * `learned.ts`) is fitted on a {@link TrainingSet} read from the store, serialises itself with a
 * type tag, and explains each recommendation by the nearest past tasks.
 */
import type { SearchSpace } from '../spaces/search-space.ts';
import type { Configuration } from '../spaces/types.ts';

/** Meta-feature name → value, null when missing (as `extractMetaFeatures` returns them). */
export type MetaFeatureValues = Readonly<Record<string, number | null>>;

/** One configuration's score on one past task. */
export interface TaskEvaluation {
  readonly configHash: string;
  readonly config: Configuration;
  /** The protocol's primary score (larger is better), averaged over seeds. */
  readonly score: number;
  /** (score − task's worst) / (task's best − worst), in [0, 1]. */
  readonly normalized: number;
}

/** A past task: its meta-features and every configuration evaluated on it. */
export interface MetaTask {
  readonly name: string;
  readonly metaFeatures: MetaFeatureValues;
  readonly extractorVersion: string;
  /** Sorted by configuration hash; at least two distinct scores. */
  readonly evaluations: readonly TaskEvaluation[];
}

/** What a meta-model is fitted on: past tasks of one search space. */
export interface TrainingSet {
  readonly space: SearchSpace;
  readonly tasks: readonly MetaTask[];
}

/** A configuration already evaluated on the new task, with its raw primary score. */
export interface ObservedEvaluation {
  readonly config: Configuration;
  readonly score: number;
}

/** The task to recommend for. */
export interface RankQuery {
  readonly metaFeatures: MetaFeatureValues;
  /** Configurations evaluated there so far (adaptation data); none for a zero-shot ranking. */
  readonly evaluated?: readonly ObservedEvaluation[];
}

/** A past task near the query, and how the recommended configuration did there. */
export interface NeighborEvidence {
  readonly name: string;
  /** L1 distance over min-max scaled meta-features (as `metatune db similar`). */
  readonly distance: number;
  /** The configuration's normalised score on that task; null when it was not evaluated there. */
  readonly scoreThere: number | null;
}

/** One ranked candidate, best first in {@link MetaModel.rank}'s result. */
export interface RankedCandidate {
  readonly config: Configuration;
  readonly configHash: string;
  /** Predicted normalised performance on the task (1 ≈ as good as the task's best). */
  readonly score: number;
  /** Standard deviation of the prediction, when the model has one. */
  readonly uncertainty?: number;
  readonly why: { readonly nearestTasks: readonly NeighborEvidence[] };
  /**
   * The expected score in the task's own metric with an interval (`recommend` with a task type,
   * from the past tasks that evaluated the configuration); absent when none did.
   */
  readonly expected?: ExpectedMetricScore;
}

/** An expected score in a task's metric (see `expected-score.ts`). */
export interface ExpectedMetricScore {
  /** e.g. `balancedAccuracy`, `r2`. */
  readonly metric: string;
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  /** Nominal coverage of [low, high], e.g. 0.8. */
  readonly level: number;
  /** Past tasks that evaluated the configuration. */
  readonly support: number;
}

/** The kinds of meta-model. */
export type MetaModelType = 'knn' | 'portfolio' | 'learned';

/** Every meta-model type, the default first. */
export const META_MODEL_TYPES: readonly MetaModelType[] = ['learned', 'knn', 'portfolio'];

/**
 * A serialised meta-model: JSON with a type tag, plus the numeric weights (empty for models that
 * have none) kept apart so they can go into a BLOB.
 */
export interface SerializedMetaModel {
  readonly type: MetaModelType;
  readonly formatVersion: number;
  /** The search space's definition (file format), so a model reloads without the space file. */
  readonly space: unknown;
  readonly state: unknown;
  readonly weights: Float32Array;
}

/**
 * A fitted meta-model.
 *
 * Contract: `rank` returns every candidate exactly once, best first, with `score` non-increasing
 * except where a model's documented ordering says otherwise (knn's warm-start order); it is
 * deterministic for equal inputs; it never mutates the model (adaptation to `evaluated` is local to
 * the call) and, for tensor models, frees every tensor it creates.
 */
export interface MetaModel {
  readonly type: MetaModelType;
  readonly space: SearchSpace;
  /**
   * @param query - the task's meta-features and its evaluations so far
   * @param candidates - valid configurations of {@link MetaModel.space}
   * @returns the candidates ranked, best first
   */
  rank(query: RankQuery, candidates: readonly Configuration[]): RankedCandidate[];
  /** @returns the model as data (see `serialize.ts` for the byte format) */
  toJSON(): SerializedMetaModel;
  /** Frees tensors the model holds (no-op for models without any). */
  dispose(): void;
}
