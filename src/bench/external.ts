/**
 * The external check's arithmetic: given, per held-out dataset, every method's ranked list and the
 * fresh scores (the user's protocol) of every configuration any method listed, plus the space's
 * default and random configurations, it computes what a user sees — normalised regret of the best
 * of the first 1, 3 and 5 (over the pool of all configurations scored on that dataset; R² floored
 * at 0 as in the store's normalisation), the raw score gap to the pool's best, and wins and losses
 * of each method's first pick against the space's default. Orchestration (fitting models on the
 * training part, evaluating) is in `scripts/bench-external.ts`.
 */

/** One held-out dataset's fresh results. */
export interface ExternalTask {
  readonly task: string;
  readonly taskType: 'classification' | 'regression';
  readonly rows: number;
  /** configHash → fresh primary score (NaN or absent when the evaluation failed). */
  readonly scores: ReadonlyMap<string, number>;
  readonly defaultHash: string;
  /** Random configurations' hashes (drawn from the store's design). */
  readonly randomHashes: readonly string[];
  /** method → ranked config hashes (at least `max(ks)` long). */
  readonly lists: ReadonlyMap<string, readonly string[]>;
}

/** A method's figures on one dataset. */
export interface ExternalMethodResult {
  readonly method: string;
  /** Normalised regret of the best of the first k, per k. */
  readonly regret: readonly number[];
  /** Raw score gap (pool best − best of the first k), per k. */
  readonly gap: readonly number[];
  /** Sign of (first pick − default): 1 win, −1 loss, 0 tie (equal scores or the same configuration). */
  readonly vsDefault: -1 | 0 | 1;
}

/** One dataset's figures. */
export interface ExternalTaskResult {
  readonly task: string;
  readonly taskType: 'classification' | 'regression';
  readonly rows: number;
  readonly poolSize: number;
  readonly best: number;
  readonly defaultScore: number;
  readonly defaultRegret: number;
  /** Expected normalised regret of the best of k random configurations (exact, over the random draws), per k. */
  readonly randomRegret: readonly number[];
  readonly methods: readonly ExternalMethodResult[];
}

/** The floor that the store's normalisation uses on regression tasks (R² of predicting the mean). */
const R2_FLOOR = 0;

/**
 * @param ks - list lengths, e.g. [1, 3, 5]
 * @returns the dataset's figures per method
 */
export function scoreExternalTask(task: ExternalTask, ks: readonly number[]): ExternalTaskResult {
  const floor = task.taskType === 'regression' ? R2_FLOOR : -Infinity;
  const value = (hash: string): number => {
    const s = task.scores.get(hash);
    return s === undefined || !Number.isFinite(s) ? -Infinity : Math.max(s, floor);
  };
  const pool = [...task.scores.keys()].map(value).filter((v) => v > -Infinity);
  const best = Math.max(...pool);
  const worst = Math.min(...pool);
  const range = best - worst;
  const regretOf = (v: number) => (range > 0 ? (best - Math.max(v, worst)) / range : 0);
  const defaultScore = value(task.defaultHash);
  const methods = [...task.lists].map(([method, list]): ExternalMethodResult => {
    const bestOf = (k: number) => Math.max(...list.slice(0, k).map(value));
    const first = value(list[0]);
    const vsDefault = list[0] === task.defaultHash || first === defaultScore ? 0 : first > defaultScore ? 1 : -1;
    return {
      method,
      regret: ks.map((k) => regretOf(bestOf(k))),
      gap: ks.map((k) => best - Math.max(bestOf(k), worst)),
      vsDefault,
    };
  });
  const randomScores = task.randomHashes.map(value);
  return {
    task: task.task, taskType: task.taskType, rows: task.rows, poolSize: pool.length, best,
    defaultScore, defaultRegret: regretOf(defaultScore),
    randomRegret: ks.map((k) => expectedBestOfK(randomScores.map(regretOf), k)),
    methods,
  };
}

/**
 * @param regrets - the regrets of n equally likely configurations
 * @returns the expected smallest regret among k drawn without replacement (k ≥ n: the smallest)
 */
export function expectedBestOfK(regrets: readonly number[], k: number): number {
  const n = regrets.length;
  if (n === 0) return NaN;
  if (k >= n) return Math.min(...regrets);
  const sorted = [...regrets].sort((a, b) => a - b);
  // P(the i-th smallest is the best of the draw) = C(n-1-i, k-1) / C(n, k)
  let total = 0;
  let p = k / n; // i = 0
  for (let i = 0; i <= n - k; i++) {
    total += p * sorted[i];
    p *= (n - k - i) / (n - 1 - i);
  }
  return total;
}

/** Spearman's rank correlation (average ranks for ties); NaN with fewer than 3 pairs. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length < 3) return NaN;
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (a.length + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : NaN;
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Mean over datasets of each method's figures, and win/loss counts against the default. */
export interface ExternalSummary {
  readonly tasks: number;
  readonly ks: readonly number[];
  readonly defaultRegret: number;
  readonly randomRegret: readonly number[];
  readonly methods: readonly {
    readonly method: string;
    readonly regret: readonly number[];
    readonly gap: readonly number[];
    readonly wins: number;
    readonly losses: number;
    readonly ties: number;
  }[];
}

/** @returns the means over `results` (pass a subset, e.g. the classification datasets, for a row of its own) */
export function summarizeExternal(results: readonly ExternalTaskResult[], ks: readonly number[]): ExternalSummary {
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const names = [...new Set(results.flatMap((r) => r.methods.map((m) => m.method)))];
  return {
    tasks: results.length,
    ks,
    defaultRegret: mean(results.map((r) => r.defaultRegret)),
    randomRegret: ks.map((_, i) => mean(results.map((r) => r.randomRegret[i]))),
    methods: names.map((method) => {
      const rows = results.map((r) => r.methods.find((m) => m.method === method)!).filter((m) => m !== undefined);
      return {
        method,
        regret: ks.map((_, i) => mean(rows.map((m) => m.regret[i]))),
        gap: ks.map((_, i) => mean(rows.map((m) => m.gap[i]))),
        wins: rows.filter((m) => m.vsDefault === 1).length,
        losses: rows.filter((m) => m.vsDefault === -1).length,
        ties: rows.filter((m) => m.vsDefault === 0).length,
      };
    }),
  };
}
