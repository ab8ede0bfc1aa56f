/**
 * Nearest tasks by meta-features, as auto-sklearn's k-nearest-datasets: every meta-feature is
 * min-max scaled over the stored tasks and the query, and the distance is L1 over the features the
 * query has. A stored task missing a feature takes that feature's mean scaled value (so a missing
 * value neither attracts nor repels); a feature constant over all tasks contributes nothing.
 */
import type { MetaFeatureRecord } from './records.ts';

/** A stored task and its distance to the query. */
export interface TaskNeighbor {
  readonly task: string;
  /** L1 distance over min-max scaled meta-features. */
  readonly distance: number;
  /** Extractor version of the task's vector (compare with the query's). */
  readonly extractorVersion: string;
  /** Features the task actually had (the rest were imputed). */
  readonly compared: number;
}

export interface NearestOptions {
  /** How many neighbours; default 5. */
  readonly k?: number;
  /** A task to leave out (the query itself, when it is stored). */
  readonly exclude?: string;
}

/**
 * Picks one vector per task: the one with `extractorVersion` when the task has it, else its newest.
 * @param vectors - every stored vector (any versions)
 * @returns one vector per task, in task order
 */
export function vectorPerTask(vectors: readonly MetaFeatureRecord[], extractorVersion?: string): MetaFeatureRecord[] {
  const chosen = new Map<string, MetaFeatureRecord>();
  for (const v of vectors) {
    const current = chosen.get(v.task);
    const better = current === undefined
      || (v.extractorVersion === extractorVersion && current.extractorVersion !== extractorVersion)
      || (current.extractorVersion !== extractorVersion && v.createdAt > current.createdAt);
    if (better) chosen.set(v.task, v);
  }
  return [...chosen.values()];
}

/**
 * Finds the stored tasks nearest to a meta-feature vector.
 * @param query - the new task's values (null = missing)
 * @param stored - one vector per stored task (see {@link vectorPerTask})
 * @returns up to k neighbours, nearest first (ties by task name)
 */
export function nearestTasks(
  query: Readonly<Record<string, number | null>>,
  stored: readonly MetaFeatureRecord[],
  options: NearestOptions = {},
): TaskNeighbor[] {
  const candidates = stored.filter((v) => v.task !== options.exclude);
  const features = Object.keys(query).filter((f) => isFiniteNumber(query[f]) && candidates.some((v) => isFiniteNumber(v.values[f])));
  const scales = features.map((f) => featureScale(f, query[f], candidates));
  const neighbors = candidates.map((v) => {
    let distance = 0;
    let compared = 0;
    features.forEach((f, i) => {
      const { scale, mean } = scales[i];
      const value = v.values[f];
      if (isFiniteNumber(value)) compared++;
      distance += Math.abs(scale(query[f] ?? 0) - (isFiniteNumber(value) ? scale(value) : mean));
    });
    return { task: v.task, distance, extractorVersion: v.extractorVersion, compared };
  });
  neighbors.sort((a, b) => a.distance - b.distance || (a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
  return neighbors.slice(0, options.k ?? 5);
}

function featureScale(feature: string, queryValue: number | null, stored: readonly MetaFeatureRecord[]) {
  const values = stored.map((v) => v.values[feature]).filter(isFiniteNumber);
  const all = isFiniteNumber(queryValue) ? [...values, queryValue] : values;
  const min = Math.min(...all);
  const range = Math.max(...all) - min;
  const scale = (x: number) => (range > 0 ? (x - min) / range : 0);
  const mean = values.reduce((s, x) => s + scale(x), 0) / values.length;
  return { scale, mean };
}

function isFiniteNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
