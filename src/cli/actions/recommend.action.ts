/** `metatune recommend <file>`: the dataset's meta-features through a meta-model to ranked configurations. */
import { loadDataset } from '../../data/index.ts';
import { extractMetaFeatures } from '../../metafeatures/index.ts';
import { prepareTensorBackend } from '../../metamodel/backend.ts';
import { recommend, type SpaceRecommendation } from '../../metamodel/recommend.ts';
import type { MetaModelType } from '../../metamodel/types.ts';
import { escapeText, formatTable, printJson, truncateText } from '../format.ts';

/** Longest nearest-task name shown in the table (the JSON has them whole). */
const TASK_NAME_WIDTH = 40;
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
  const found = await withStore({ db: context.db }, (store) => recommend(store, vector.values, { spaces: context.spaces, top: context.top, model: context.model, pool: context.pool }));
  const t3 = performance.now();
  for (const { space, reason } of found.skipped) process.stderr.write(`note: space '${escapeText(space)}' skipped: ${escapeText(reason)}\n`);
  const timings = { loadSeconds: (t1 - t0) / 1000, metaFeatureSeconds: (t2 - t1) / 1000, recommendSeconds: (t3 - t2) / 1000 };
  const output = { file: context.file, rows: dataset.nRows, task: dataset.task, timings, spaces: found.spaces, skipped: found.skipped };
  if (context.json) printJson(output);
  else process.stdout.write(formatRecommendations(found.spaces, timings));
}

function formatRecommendations(results: readonly SpaceRecommendation[], timings: Record<string, number>): string {
  const blocks = results.map((r) => {
    const table = formatTable(
      ['rank', 'predicted', '± unc.', 'configuration', 'nearest tasks (distance: normalised score there)'],
      r.top.map((c, i) => [i + 1, c.score, c.uncertainty, formatConfig(c.config), c.why.nearestTasks.map((n) => `${truncateText(escapeText(n.name), TASK_NAME_WIDTH)} (${n.distance.toFixed(2)}: ${n.scoreThere === null ? 'not run' : n.scoreThere.toFixed(2)})`).join(', ')]),
    );
    return `space ${escapeText(r.space)} — ${escapeText(r.model)}, ${r.candidates} candidates\n${table}`;
  });
  const footer = `load ${timings.loadSeconds.toFixed(2)} s, meta-features ${timings.metaFeatureSeconds.toFixed(2)} s, recommendation ${timings.recommendSeconds.toFixed(2)} s\n`;
  return blocks.join('\n') + footer;
}
