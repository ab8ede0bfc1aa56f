/** `metatune recommend <file>`: the dataset's meta-features through a meta-model to ranked configurations. */
import { loadDataset } from '../../data/index.ts';
import { extractMetaFeatures } from '../../metafeatures/index.ts';
import { prepareTensorBackend } from '../../metamodel/backend.ts';
import { recommend, type SpaceRecommendation } from '../../metamodel/recommend.ts';
import type { MetaModelType, NeighborEvidence } from '../../metamodel/types.ts';
import { DEFAULT_TABLE_WIDTH, escapeText, formatTable, printJson, truncateText } from '../format.ts';
import { loadSearchSpace } from '../../spaces/load.ts';
import type { SearchSpace } from '../../spaces/search-space.ts';
import type { Configuration } from '../../spaces/types.ts';

/** Longest nearest-task name shown in the table (the JSON has them whole). */
const TASK_NAME_WIDTH = 24;
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
  /** Print every hyperparameter of each configuration (the table is then wider than 120 columns). */
  readonly wide?: boolean;
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
  const found = await withStore({ db: context.db }, (store) => recommend(store, vector.values, { spaces: context.spaces, top: context.top, model: context.model, pool: context.pool, taskType: dataset.task }));
  const t3 = performance.now();
  for (const { space, reason } of found.skipped) process.stderr.write(`note: space '${escapeText(space)}' skipped: ${escapeText(reason)}\n`);
  const timings = { loadSeconds: (t1 - t0) / 1000, metaFeatureSeconds: (t2 - t1) / 1000, recommendSeconds: (t3 - t2) / 1000 };
  const output = { file: context.file, rows: dataset.nRows, task: dataset.task, timings, spaces: found.spaces, skipped: found.skipped };
  if (context.json) printJson(output);
  else process.stdout.write(formatRecommendations(found.spaces, timings, context.wide === true));
}

function formatRecommendations(results: readonly SpaceRecommendation[], timings: Record<string, number>, wide: boolean): string {
  const blocks = results.map((r) => {
    const space = loadSearchSpaceQuietly(r.space);
    const metric = r.top.find((c) => c.expected !== undefined)?.expected;
    const headers = [
      'rank',
      metric === undefined ? 'expected' : METRIC_LABELS[metric.metric] ?? metric.metric,
      metric === undefined ? 'interval' : `${Math.round(metric.level * 100)} %`,
      wide || space === undefined ? 'configuration' : 'configuration (what differs from the default)',
      wide ? 'nearest tasks (normalised score there)' : 'nearest task',
    ];
    const rows = r.top.map((c, i) => [
      i + 1,
      c.expected === undefined ? '—' : c.expected.mean.toFixed(3),
      c.expected === undefined ? '—' : `${c.expected.low.toFixed(2)}–${c.expected.high.toFixed(2)}`,
      wide || space === undefined ? formatConfig(c.config) : formatChanges(c.config, space.defaultConfiguration()),
      wide ? c.why.nearestTasks.map(nearest).join(', ') : c.why.nearestTasks.slice(0, 1).map(nearest).join(''),
    ]);
    const table = formatTable(headers, rows, wide ? {} : { maxWidth: DEFAULT_TABLE_WIDTH });
    return `space ${escapeText(r.space)} — ${escapeText(r.model)}, ${r.candidates} candidates\n${table}`;
  });
  const note = wide ? '' : 'the full configurations: --wide or --json\n';
  const footer = `${note}load ${timings.loadSeconds.toFixed(2)} s, meta-features ${timings.metaFeatureSeconds.toFixed(2)} s, recommendation ${timings.recommendSeconds.toFixed(2)} s\n`;
  return blocks.join('\n') + footer;
}

const nearest = (n: NeighborEvidence) => `${truncateText(escapeText(n.name), TASK_NAME_WIDTH)} ${n.scoreThere === null ? 'not run' : n.scoreThere.toFixed(2)}`;

/** Column titles of the primary metrics. */
const METRIC_LABELS: Readonly<Record<string, string>> = { balancedAccuracy: 'bal.acc', r2: 'R²' };

/** @returns the hyperparameters whose value differs from the space's default (4 significant digits), or 'the default' */
function formatChanges(config: Configuration, defaults: Configuration): string {
  const changed = Object.fromEntries(Object.entries(config).filter(([k, v]) => defaults[k] !== v));
  return Object.keys(changed).length === 0 ? 'the default' : formatConfig(changed);
}

function loadSearchSpaceQuietly(name: string): SearchSpace | undefined {
  try {
    return loadSearchSpace(name);
  } catch {
    return undefined; // a space of the user's own: its definition is in the store, the table shows the whole configuration
  }
}
