/** `metatune recommend <file>`: the dataset's meta-features through a meta-model to ranked configurations. */
import { loadDataset } from '../../data/index.ts';
import { StoreError } from '../../errors.ts';
import { extractMetaFeatures } from '../../metafeatures/index.ts';
import { prepareTensorBackend } from '../../metamodel/backend.ts';
import { KnnMetaModel } from '../../metamodel/knn.ts';
import { loadStoredMetaModel, metaModelName } from '../../metamodel/serialize.ts';
import { canonicalize, evaluatedConfigurations, loadTrainingSet } from '../../metamodel/training-set.ts';
import type { MetaFeatureValues, MetaModel, MetaModelType, RankedCandidate } from '../../metamodel/types.ts';
import type { Configuration } from '../../spaces/types.ts';
import type { MetaStore } from '../../store/types.ts';
import { formatTable, printJson } from '../format.ts';
import { formatConfig, withStore } from './db.action.ts';

export interface RecommendContext {
  readonly file: string;
  readonly top: number;
  readonly spaces: readonly string[];
  readonly target?: string;
  readonly model: MetaModelType;
  readonly pool: number;
  readonly db?: string;
  readonly json: boolean;
}

/** The recommendations of one space. */
interface SpaceRecommendation {
  readonly space: string;
  /** The model used, e.g. `learned-mlp@2026-…` or `knn (fitted now)`. */
  readonly model: string;
  readonly candidates: number;
  readonly top: readonly RankedCandidate[];
}

/**
 * Prints the top configurations per space, with timings (loading, meta-features, ranking).
 * @throws StoreError when a requested space has no usable task in the store
 */
export async function runRecommend(context: RecommendContext): Promise<void> {
  const t0 = performance.now();
  const dataset = await loadDataset(context.file, { target: context.target });
  const t1 = performance.now();
  const vector = extractMetaFeatures(dataset);
  const t2 = performance.now();
  await prepareTensorBackend();
  const results = await withStore({ db: context.db }, (store) => recommendAll(store, vector.values, context));
  const t3 = performance.now();
  const timings = { loadSeconds: (t1 - t0) / 1000, metaFeatureSeconds: (t2 - t1) / 1000, recommendSeconds: (t3 - t2) / 1000 };
  const output = { file: context.file, rows: dataset.nRows, task: dataset.task, timings, spaces: results };
  if (context.json) printJson(output);
  else process.stdout.write(formatRecommendations(results, timings));
}

/**
 * Recommends in every requested space. With several spaces (`--space all`), a space the store has
 * no usable task for is skipped, unless every space is.
 * @throws StoreError when a single requested space, or every space, has no usable task
 */
function recommendAll(store: MetaStore, metaFeatures: MetaFeatureValues, context: RecommendContext): SpaceRecommendation[] {
  if (context.spaces.length === 1) return [recommendInSpace(store, context.spaces[0], metaFeatures, context)];
  const results: SpaceRecommendation[] = [];
  let lastError: unknown;
  for (const space of context.spaces) {
    try {
      results.push(recommendInSpace(store, space, metaFeatures, context));
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      process.stderr.write(`note: space '${space}' skipped: ${error.message}\n`);
      lastError = error;
    }
  }
  if (results.length === 0) throw lastError;
  return results;
}

function recommendInSpace(store: MetaStore, space: string, metaFeatures: MetaFeatureValues, context: RecommendContext): SpaceRecommendation {
  const { model, label, stored } = chooseModel(store, space, context.model);
  try {
    const candidates = candidatePool(model, stored, context.pool);
    const ranked = model.rank({ metaFeatures }, candidates);
    return { space, model: label, candidates: candidates.length, top: ranked.slice(0, context.top) };
  } finally {
    model.dispose();
  }
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

/** Stored configurations, plus space-filling samples for the learned model (which can score unseen ones). */
function candidatePool(model: MetaModel, stored: readonly Configuration[], pool: number): Configuration[] {
  const samples = model.type === 'learned' && pool > 0 ? model.space.sampleSpaceFilling(pool, 0) : [];
  const byHash = new Map<string, Configuration>();
  for (const config of [...stored, ...samples]) {
    const valid = canonicalize(model.space, config);
    if (valid !== undefined) byHash.set(valid.hash, valid.config);
  }
  return [...byHash.values()];
}

function formatRecommendations(results: readonly SpaceRecommendation[], timings: Record<string, number>): string {
  const blocks = results.map((r) => {
    const table = formatTable(
      ['rank', 'predicted', '± unc.', 'configuration', 'nearest tasks (distance: normalised score there)'],
      r.top.map((c, i) => [i + 1, c.score, c.uncertainty, formatConfig(c.config), c.why.nearestTasks.map((n) => `${n.name} (${n.distance.toFixed(2)}: ${n.scoreThere === null ? 'not run' : n.scoreThere.toFixed(2)})`).join(', ')]),
    );
    return `space ${r.space} — ${r.model}, ${r.candidates} candidates\n${table}`;
  });
  const footer = `load ${timings.loadSeconds.toFixed(2)} s, meta-features ${timings.metaFeatureSeconds.toFixed(2)} s, recommendation ${timings.recommendSeconds.toFixed(2)} s\n`;
  return blocks.join('\n') + footer;
}
