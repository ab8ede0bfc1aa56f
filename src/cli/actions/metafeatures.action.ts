/**
 * The `metatune metafeatures` action: load the dataset, extract the meta-features through the
 * library, print a name/value table (nulls with their reason) or the vector as JSON.
 */
import { loadDataset } from '../../data/index.ts';
import type { TaskType } from '../../data/table.ts';
import { extractMetaFeatures, METAFEATURE_NAMES, type MetaFeatureGroup, type MetaFeatureVector } from '../../metafeatures/index.ts';
import { formatTable, printJson, terminalWidth, type Cell } from '../format.ts';

/** The validated options of `metatune metafeatures`. */
export interface MetaFeaturesContext {
  readonly file: string;
  readonly target?: string;
  readonly task?: TaskType;
  readonly groups?: readonly MetaFeatureGroup[];
  readonly seed?: number;
  readonly landmarkCap?: number;
  readonly json: boolean;
}

/**
 * Loads the file, extracts the meta-features and prints them on stdout.
 * @param context - validated options
 * @throws DatasetError when the file cannot be read as a dataset
 */
export async function runMetaFeatures(context: MetaFeaturesContext): Promise<void> {
  const dataset = await loadDataset(context.file, { target: context.target, task: context.task });
  const vector = extractMetaFeatures(dataset, {
    groups: context.groups,
    seed: context.seed,
    landmarkCap: context.landmarkCap,
    timings: true,
  });
  if (context.json) printJson(vector);
  else process.stdout.write(formatMetaFeatures(vector));
}

/**
 * Formats a vector as one table row per meta-feature: group, name, value and, for a null, why.
 * @param vector - the extracted vector
 * @returns the text, ending with the extractor version and timings
 */
export function formatMetaFeatures(vector: MetaFeatureVector): string {
  const rows: Cell[][] = [];
  for (const [group, names] of Object.entries(METAFEATURE_NAMES)) {
    for (const name of names) {
      if (!(name in vector.values)) continue;
      const value = vector.values[name];
      rows.push([group, name, value === null ? 'null' : formatNumber(value), vector.missing[name] ?? '']);
    }
  }
  const timings = Object.entries(vector.timings ?? {}).map(([g, ms]) => `${g} ${Math.round(ms)} ms`).join(', ');
  return `${formatTable(['group', 'name', 'value', 'missing because'], rows, { maxWidth: terminalWidth(), keep: [0, 1, 2] })}extractor ${vector.extractorVersion}${timings ? `; ${timings}` : ''}\n`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
