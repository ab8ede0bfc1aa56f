/**
 * Recommending configurations for a new dataset from a store: per search space, the stored
 * meta-model of the requested type (or knn fitted on the spot when none is stored) ranks the
 * configurations evaluated on past tasks, plus space-filling samples for the learned model, which
 * can score configurations no task ran. What `metatune recommend` prints, as data.
 */
import { StoreError } from '../errors.ts';
import type { Configuration } from '../spaces/types.ts';
import type { MetaStore } from '../store/types.ts';
import { KnnMetaModel } from './knn.ts';
import { loadStoredMetaModel, metaModelName } from './serialize.ts';
import { canonicalize, evaluatedConfigurations, loadTrainingSet } from './training-set.ts';
import type { MetaFeatureValues, MetaModel, MetaModelType, RankedCandidate } from './types.ts';
import { DEFAULT_PROTOCOL } from '../evaluation/protocol.ts';
import { EXPECTED_SCORE_SCENARIOS, INTERVAL_LEVEL, distancesTo, expectedScores, intervalWidening, scoredTasks } from './expected-score.ts';

/** Settings of {@link recommend}. */
export interface RecommendOptions {
  /** Search spaces to recommend in (default: every space the store has configurations of). */
  readonly spaces?: readonly string[];
  /** Configurations returned per space (default 5). */
  readonly top?: number;
  /** Meta-model type (default `learned`). */
  readonly model?: MetaModelType;
  /** Space-filling samples the learned model scores beside the stored configurations (default 256; 0: stored only). */
  readonly pool?: number;
  /**
   * The new dataset's task type: each recommendation then carries its expected score in the
   * protocol's metric for that type (balanced accuracy, R²) with an 80 % interval (`expected`).
   */
  readonly taskType?: 'classification' | 'regression';
}

/** The recommendations of one space. */
export interface SpaceRecommendation {
  readonly space: string;
  /** The model used, e.g. `learned-mlp@2026-…` or `knn (fitted now; …)`. */
  readonly model: string;
  /** Configurations ranked. */
  readonly candidates: number;
  readonly top: readonly RankedCandidate[];
}

/** What {@link recommend} found. */
export interface Recommendations {
  readonly spaces: readonly SpaceRecommendation[];
  /** Spaces left out because the store has no usable task there (only when several were asked for). */
  readonly skipped: readonly { readonly space: string; readonly reason: string }[];
}

/** Default space-filling pool of the learned model. */
export const DEFAULT_RECOMMEND_POOL = 256;

/**
 * @param store - the meta-knowledge store (the layered shipped + user store in the CLI)
 * @param metaFeatures - the new dataset's meta-features (`extractMetaFeatures(dataset).values`)
 * @returns the top configurations per space; a space with no usable task is skipped when several
 *   were asked for
 * @throws StoreError when a single requested space, or every space, has no usable task
 */
export function recommend(store: MetaStore, metaFeatures: MetaFeatureValues, options: RecommendOptions = {}): Recommendations {
  const spaces = options.spaces ?? [...new Set(store.listConfigurations().map((c) => c.space))].sort();
  if (spaces.length === 0) throw new StoreError('the store has no configurations in any search space; build or add evaluations first (metatune db stats)');
  const inSpace = (space: string) => recommendInSpace(store, space, metaFeatures, options);
  if (spaces.length === 1) return { spaces: [inSpace(spaces[0])], skipped: [] };
  const results: SpaceRecommendation[] = [];
  const skipped: { space: string; reason: string }[] = [];
  let lastError: unknown;
  for (const space of spaces) {
    try {
      results.push(inSpace(space));
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      skipped.push({ space, reason: error.message });
      lastError = error;
    }
  }
  if (results.length === 0) throw lastError;
  return { spaces: results, skipped };
}

function recommendInSpace(store: MetaStore, space: string, metaFeatures: MetaFeatureValues, options: RecommendOptions): SpaceRecommendation {
  const { model, label, stored } = chooseModel(store, space, options.model ?? 'learned');
  try {
    const candidates = candidatePool(model, stored, options.pool ?? DEFAULT_RECOMMEND_POOL);
    const top = model.rank({ metaFeatures }, candidates).slice(0, options.top ?? 5);
    return { space, model: label, candidates: candidates.length, top: options.taskType === undefined ? top : withExpectedScores(store, space, metaFeatures, options.taskType, top) };
  } finally {
    model.dispose();
  }
}

function withExpectedScores(store: MetaStore, space: string, metaFeatures: MetaFeatureValues, taskType: 'classification' | 'regression', top: readonly RankedCandidate[]): RankedCandidate[] {
  const tasks = scoredTasks(store, space);
  const widen = intervalWidening(tasks, taskType);
  const expected = expectedScores(tasks, distancesTo(metaFeatures, tasks), metaFeatures, taskType, top.map((c) => c.configHash), EXPECTED_SCORE_SCENARIOS, widen, top.map((c) => c.score));
  const metric = DEFAULT_PROTOCOL.primaryMetric[taskType];
  return top.map((c, i) => {
    const e = expected[i];
    return e === undefined ? c : { ...c, expected: { metric, mean: e.mean, low: e.low, high: e.high, level: INTERVAL_LEVEL, support: e.support } };
  });
}

/**
 * The stored model of the requested type with the store's configurations of the space (a cheap
 * read), or, when none is stored, knn fitted now on the space's tasks (which reads every evaluation).
 * @throws StoreError when no model is stored and no task of the space is usable
 */
function chooseModel(store: MetaStore, space: string, type: MetaModelType): { model: MetaModel; label: string; stored: Configuration[] } {
  const model = loadStoredMetaModel(store, type, space);
  if (model !== undefined) {
    const version = store.getMetaModel(metaModelName(type, space))?.version ?? '';
    return { model, label: `${metaModelName(type, space)}@${version}`, stored: store.listConfigurations(space).map((c) => c.config) };
  }
  const training = loadTrainingSet(store, space);
  return {
    model: KnnMetaModel.fit(training),
    label: `knn (fitted now; no stored ${metaModelName(type, space)} model: run metatune meta-train)`,
    stored: evaluatedConfigurations(training).map((c) => c.config),
  };
}

/** Stored configurations, plus space-filling samples for the learned model (which can score unseen ones), each once. */
export function candidatePool(model: MetaModel, stored: readonly Configuration[], pool: number): Configuration[] {
  const samples = model.type === 'learned' && pool > 0 ? model.space.sampleSpaceFilling(pool, 0) : [];
  const byHash = new Map<string, Configuration>();
  for (const config of [...stored, ...samples]) {
    const valid = canonicalize(model.space, config);
    if (valid !== undefined) byHash.set(valid.hash, valid.config);
  }
  return [...byHash.values()];
}
