/**
 * What a configuration is expected to score on a new task, in the task's own metric (balanced
 * accuracy, R²), with an interval. Each past task of the same type is a scenario, weighted as in
 * the task-conditioned portfolio (`conditioned.ts`); its raw score of the configuration is moved by
 * the difference between the new task's and its own best landmark (the cross-validated score of a
 * small, fast learner — `LandmarkLDA`, `LandmarkDecisionTree`… — a meta-feature every task has),
 * because how hard a dataset is transfers through the landmarks far better than through raw scores:
 * a configuration that beats the best landmark by 3 points on similar tasks is expected to do so
 * here. The expected score is the weighted mean of those scenario values; the interval holds the
 * weighted central {@link INTERVAL_LEVEL} of them, widened by a factor fitted so that, on the past
 * tasks themselves (each left out in turn), that fraction of actual scores falls inside. How well it
 * is calibrated on datasets the store never saw is measured by `scripts/bench-external.ts`.
 */
import { CLASSIFICATION_LANDMARKS, REGRESSION_LANDMARKS } from '../metafeatures/landmarking.ts';
import { nearestTasks, vectorPerTask, type TaskNeighbor } from '../store/similarity.ts';
import type { MetaStore } from '../store/types.ts';
import { scenarioWeights, type ScenarioSettings } from './conditioned.ts';
import type { MetaFeatureValues } from './types.ts';

/**
 * The scenario weights of the expected score: a kernel on the meta-feature distance (τ 0.2 median
 * distances) with a 30 % uniform share. Chosen on the corpus's training part by leave-one-task-out
 * over each task's 10 configurations best on average (mlp: mean absolute error .121 against .128 with
 * τ 0.5 and .135 with uniform weights; linear .148, .153, .161), each at 81–82 % coverage.
 */
export const EXPECTED_SCORE_SCENARIOS: ScenarioSettings = Object.freeze({ tau: 0.2, lambda: 0.3 });

/** The nominal coverage of the interval. */
export const INTERVAL_LEVEL = 0.8;

/** A past task as the score model sees it. */
export interface ScoredTask {
  readonly name: string;
  readonly taskType: 'classification' | 'regression';
  readonly metaFeatures: MetaFeatureValues;
  /** configHash → raw primary score (balanced accuracy, R²). */
  readonly scores: ReadonlyMap<string, number>;
}

/** An expected score with its interval. */
export interface ExpectedScore {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  /** Past tasks that evaluated the configuration (the interval is wide when few did). */
  readonly support: number;
}

/** @returns the task's best landmark score of its type, or undefined when it has none */
export function landmarkLevel(metaFeatures: MetaFeatureValues, taskType: 'classification' | 'regression'): number | undefined {
  const names = taskType === 'classification' ? CLASSIFICATION_LANDMARKS : REGRESSION_LANDMARKS;
  let best: number | undefined;
  for (const name of names) {
    const v = metaFeatures[name];
    if (typeof v === 'number' && Number.isFinite(v) && (best === undefined || v > best)) best = v;
  }
  return best;
}

/** Metric bounds: balanced accuracy in [0, 1], R² at most 1 (floored at 0 as in the store's normalisation). */
const clamp = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Predicts raw scores on a new task from past tasks of its type.
 * @param tasks - past tasks (any type; only those of `taskType` with a landmark level are used)
 * @param neighbors - their distances to the new task (`TaskIndex.nearest`)
 * @param widen - the interval's calibration factor ({@link calibrateWidening})
 */
export function expectedScores(
  tasks: readonly ScoredTask[], neighbors: readonly TaskNeighbor[], metaFeatures: MetaFeatureValues, taskType: 'classification' | 'regression',
  hashes: readonly string[], settings: ScenarioSettings, widen: number,
  /** Per hash, a predicted normalised score (the meta-model's) used on a past task that did not evaluate the configuration: its raw score is read off that task's range. */
  normalized?: readonly (number | undefined)[],
): (ExpectedScore | undefined)[] {
  const level = landmarkLevel(metaFeatures, taskType);
  const usable = tasks.filter((t) => t.taskType === taskType);
  if (usable.length === 0) return hashes.map(() => undefined);
  // without landmarks (a store built without that group, or a query without it) the level is not used
  const withLevels = level !== undefined && usable.every((t) => landmarkLevel(t.metaFeatures, taskType) !== undefined);
  const weights = scenarioWeights(neighbors, usable.map((t) => t.name), settings);
  const levels = usable.map((t) => (withLevels ? landmarkLevel(t.metaFeatures, taskType)! : 0));
  const ranges = usable.map((t) => {
    const values = [...t.scores.values()].filter(Number.isFinite).map(clamp);
    return { min: Math.min(...values), max: Math.max(...values) };
  });
  return hashes.map((hash, h) => {
    const rows: { x: number; y: number; w: number }[] = [];
    const fallback = normalized?.[h];
    usable.forEach((t, j) => {
      const s = t.scores.get(hash);
      if (s !== undefined && Number.isFinite(s)) rows.push({ x: levels[j], y: clamp(s), w: weights[j] });
      else if (fallback !== undefined && Number.isFinite(fallback)) rows.push({ x: levels[j], y: ranges[j].min + clamp(fallback) * (ranges[j].max - ranges[j].min), w: weights[j] });
    });
    if (rows.length === 0) return undefined;
    // weighted least squares of the score on the landmark level (slope shrunk toward 1 with few tasks)
    const total = rows.reduce((a, r) => a + r.w, 0);
    const mx = rows.reduce((a, r) => a + r.w * r.x, 0) / total;
    const my = rows.reduce((a, r) => a + r.w * r.y, 0) / total;
    const sxx = rows.reduce((a, r) => a + r.w * (r.x - mx) ** 2, 0);
    const sxy = rows.reduce((a, r) => a + r.w * (r.x - mx) * (r.y - my), 0);
    const prior = SLOPE_PRIOR * total / rows.length;
    const slope = (sxy + prior * 1) / (sxx + prior);
    const fit = (x: number) => my + slope * (x - mx);
    const at = withLevels ? level : mx;
    const mean = clamp(fit(at));
    const residuals = rows.map((r) => ({ v: r.y - fit(r.x), w: r.w }));
    const tail = (1 - INTERVAL_LEVEL) / 2;
    const lowQ = weightedQuantile(residuals, total, tail);
    const highQ = weightedQuantile(residuals, total, 1 - tail);
    return { mean, low: clamp(mean + widen * lowQ), high: clamp(mean + widen * highQ), support: rows.length };
  });
}

/** Pseudo-observations pulling the slope toward 1 (a point of landmark, a point of score). */
const SLOPE_PRIOR = 0.05;

function weightedQuantile(values: readonly { v: number; w: number }[], total: number, q: number): number {
  const sorted = [...values].sort((a, b) => a.v - b.v);
  let acc = 0;
  for (const x of sorted) {
    acc += x.w;
    if (acc >= q * total) return x.v;
  }
  return sorted[sorted.length - 1].v;
}

/**
 * The smallest widening factor (on a grid) at which, leaving each past task out in turn, at least
 * {@link INTERVAL_LEVEL} of its actual scores of the given configurations fall inside their interval.
 * @param distances - (task, other tasks) → neighbours, e.g. from `TaskIndex.nearest`
 */
export function calibrateWidening(tasks: readonly ScoredTask[], hashes: readonly string[], settings: ScenarioSettings, distances: (task: ScoredTask, others: readonly ScoredTask[]) => TaskNeighbor[]): { widen: number; coverage: number } {
  const cases: { actual: number; mean: number; low: number; high: number }[] = [];
  for (const task of tasks) {
    const others = tasks.filter((t) => t !== task);
    const predicted = expectedScores(others, distances(task, others), task.metaFeatures, task.taskType, hashes, settings, 1);
    predicted.forEach((p, i) => {
      const actual = task.scores.get(hashes[i]);
      if (p !== undefined && actual !== undefined && Number.isFinite(actual)) cases.push({ actual: clamp(actual), ...p });
    });
  }
  for (let widen = 0.5; widen <= 4; widen += 0.05) {
    const inside = cases.filter((c) => c.actual >= clamp(c.mean - widen * (c.mean - c.low)) - 1e-12 && c.actual <= clamp(c.mean + widen * (c.high - c.mean)) + 1e-12).length;
    if (inside >= INTERVAL_LEVEL * cases.length) return { widen: Math.round(widen * 100) / 100, coverage: inside / cases.length };
  }
  return { widen: 4, coverage: NaN };
}

/**
 * Reads the past tasks' raw scores of one space from a store (the primary score at each
 * (task, configuration)'s highest fidelity, averaged over seeds) with their types and meta-features.
 */
export function scoredTasks(store: MetaStore, space: string): ScoredTask[] {
  const vectors = new Map(vectorPerTask(store.listMetaFeatures()).map((v) => [v.task, v.values]));
  const types = new Map(store.listTasks().map((t) => [t.name, t.taskType]));
  const cells = new Map<string, Map<string, { fidelity: number; sum: number; n: number }>>();
  for (const e of store.listEvaluationScores({ space, status: 'ok' })) {
    if (e.primaryScore === null || !Number.isFinite(e.primaryScore)) continue;
    const task = cells.get(e.task) ?? new Map();
    cells.set(e.task, task);
    const cell = task.get(e.configHash);
    if (cell === undefined || e.fidelity > cell.fidelity) task.set(e.configHash, { fidelity: e.fidelity, sum: e.primaryScore, n: 1 });
    else if (e.fidelity === cell.fidelity) { cell.sum += e.primaryScore; cell.n++; }
  }
  const out: ScoredTask[] = [];
  for (const [name, task] of [...cells].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const metaFeatures = vectors.get(name);
    const taskType = types.get(name);
    if (metaFeatures === undefined || taskType === undefined) continue;
    out.push({ name, taskType, metaFeatures, scores: new Map([...task].map(([h, c]) => [h, c.sum / c.n])) });
  }
  return out;
}

/** @returns the past tasks' distances to a query, as `TaskIndex.nearest` computes them */
export function distancesTo(metaFeatures: MetaFeatureValues, tasks: readonly ScoredTask[]): TaskNeighbor[] {
  return nearestTasks(metaFeatures, tasks.map((t) => ({ task: t.name, extractorVersion: '', values: t.metaFeatures, missing: {}, createdAt: '' })), { k: tasks.length });
}

/** How many of the configurations most evaluated (then best on average) the interval is calibrated on. */
export const CALIBRATION_CONFIGS = 10;

/**
 * The interval's widening for one task type, calibrated ({@link calibrateWidening}) on the
 * {@link CALIBRATION_CONFIGS} configurations most past tasks of that type evaluated (ties: the best
 * mean score, then the smaller hash).
 */
export function intervalWidening(tasks: readonly ScoredTask[], taskType: 'classification' | 'regression'): number {
  const same = tasks.filter((t) => t.taskType === taskType);
  const count = new Map<string, { n: number; sum: number }>();
  for (const t of same) {
    for (const [h, s] of t.scores) {
      const c = count.get(h) ?? { n: 0, sum: 0 };
      c.n++;
      c.sum += s;
      count.set(h, c);
    }
  }
  const common = [...count].sort((a, b) => b[1].n - a[1].n || b[1].sum - a[1].sum || (a[0] < b[0] ? -1 : 1)).slice(0, CALIBRATION_CONFIGS).map(([h]) => h);
  return calibrateWidening(same, common, EXPECTED_SCORE_SCENARIOS, (task, others) => distancesTo(task.metaFeatures, others)).widen;
}
