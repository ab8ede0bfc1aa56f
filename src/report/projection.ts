/**
 * Where a task sits among the store's tasks: a 2-D projection of the meta-features and the
 * nearest tasks by name.
 *
 * The projection is principal component analysis of the meta-features min-max scaled over the
 * tasks, the same scaling `db similar` (`nearestTasks`) measures distances in, so the picture and
 * the named neighbours agree. A feature that fewer than half of the tasks have, or that is constant,
 * is left out; a task missing a kept feature takes that feature's mean scaled value (as
 * `nearestTasks` imputes). Components are signed so that each one's largest loading is positive,
 * which makes the picture deterministic.
 */
import { Matrix, SVD } from 'ml-matrix';
import type { MetaFeatureRecord } from '../store/records.ts';
import { nearestTasks, type TaskNeighbor } from '../store/similarity.ts';

/** One task on the map. */
export interface TaskMapPoint {
  readonly task: string;
  readonly x: number;
  readonly y: number;
}

/** What {@link projectTasks} computed. */
export interface TaskMap {
  readonly points: readonly TaskMapPoint[];
  /** Share of the scaled features' variance on each axis. */
  readonly explained: readonly [number, number];
  /** Features the projection used. */
  readonly features: readonly string[];
  /** The highlighted task, when it has meta-features. */
  readonly task: string | null;
  /** Its nearest tasks (L1 over min-max scaled meta-features, as `db similar`), nearest first. */
  readonly neighbors: readonly TaskNeighbor[];
  /** The largest loadings of each axis (feature, weight), for the axis labels. */
  readonly loadings: readonly [readonly { feature: string; weight: number }[], readonly { feature: string; weight: number }[]];
}

/**
 * @param vectors - one meta-feature vector per task (`vectorPerTask(store.listMetaFeatures())`)
 * @param options - `task`: the task to place and find neighbours of; `k`: how many (default 5)
 * @returns the 2-D coordinates of every task, with the neighbours of `task`
 */
export function projectTasks(vectors: readonly MetaFeatureRecord[], options: { readonly task?: string; readonly k?: number } = {}): TaskMap {
  const n = vectors.length;
  const names = [...new Set(vectors.flatMap((v) => Object.keys(v.values)))].sort();
  const kept: { name: string; min: number; range: number; mean: number }[] = [];
  for (const name of names) {
    const values = vectors.map((v) => v.values[name]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    if (values.length * 2 < n || values.length === 0) continue;
    const min = Math.min(...values);
    const range = Math.max(...values) - min;
    if (!(range > 0)) continue;
    kept.push({ name, min, range, mean: values.reduce((s, x) => s + (x - min) / range, 0) / values.length });
  }
  const self = options.task === undefined ? undefined : vectors.find((v) => v.task === options.task);
  const neighbors = self === undefined ? [] : nearestTasks(self.values, vectors, { k: options.k ?? 5, exclude: self.task });
  const empty = { explained: [0, 0] as const, features: kept.map((f) => f.name), task: self?.task ?? null, neighbors, loadings: [[], []] as const };
  if (n === 0) return { points: [], ...empty };
  if (kept.length === 0 || n < 2) return { points: vectors.map((v) => ({ task: v.task, x: 0, y: 0 })), ...empty };
  const data = vectors.map((v) => kept.map((f) => {
    const x = v.values[f.name];
    return typeof x === 'number' && Number.isFinite(x) ? (x - f.min) / f.range : f.mean;
  }));
  const centers = kept.map((_, j) => data.reduce((s, r) => s + r[j], 0) / n);
  const centered = new Matrix(data.map((r) => r.map((x, j) => x - centers[j])));
  const svd = new SVD(centered, { computeLeftSingularVectors: false, computeRightSingularVectors: true, autoTranspose: true });
  const v = svd.rightSingularVectors;
  const singular = svd.diagonal;
  const total = singular.reduce((s, x) => s + x * x, 0);
  const components = [0, 1].map((c) => {
    if (c >= v.columns) return kept.map(() => 0);
    const column = kept.map((_, j) => v.get(j, c));
    let largest = 0;
    for (let j = 1; j < column.length; j++) if (Math.abs(column[j]) > Math.abs(column[largest]) + 1e-12) largest = j;
    return column[largest] < 0 ? column.map((x) => -x) : column;
  });
  const project = (row: readonly number[], c: number) => row.reduce((s, x, j) => s + (x - centers[j]) * components[c][j], 0);
  const points = vectors.map((vec, i) => ({ task: vec.task, x: project(data[i], 0), y: project(data[i], 1) }));
  const share = (c: number) => (total > 0 && c < singular.length ? (singular[c] ** 2) / total : 0);
  const top = (c: number) => kept
    .map((f, j) => ({ feature: f.name, weight: components[c][j] }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.feature < b.feature ? -1 : 1))
    .slice(0, 3);
  return { points, explained: [share(0), share(1)], features: kept.map((f) => f.name), task: self?.task ?? null, neighbors, loadings: [top(0), top(1)] };
}
