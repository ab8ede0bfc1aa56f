/**
 * Paired comparisons of two methods over the benchmark's tasks: per task, the difference of their
 * regrets (each averaged over seeds) at each budget; its mean over tasks with a percentile
 * bootstrap interval (tasks resampled with replacement, seeded), and how many tasks each side won.
 * The methods see the same tasks, so the paired difference is far less noisy than comparing two
 * means, and the interval says whether a lead in the mean-regret table is more than the luck of
 * which tasks the database holds.
 */
import { Random } from '../random.ts';
import type { BenchMethod } from './methods.ts';
import type { TaskRegrets } from './loto.ts';

/** Settings of {@link pairedDifferences}. */
export interface PairedOptions {
  /** Bootstrap resamples (default 2,000). */
  readonly resamples?: number;
  /** Coverage of the interval (default 0.95). */
  readonly level?: number;
  readonly seed?: number;
}

/** `reference` − `method`, per budget: negative means the reference found better configurations. */
export interface PairedDifference {
  readonly reference: BenchMethod;
  readonly method: BenchMethod;
  /** Tasks both methods ran on. */
  readonly tasks: number;
  readonly mean: readonly number[];
  readonly low: readonly number[];
  readonly high: readonly number[];
  /** Tasks where the reference's regret was lower / equal / higher. */
  readonly wins: readonly number[];
  readonly ties: readonly number[];
  readonly losses: readonly number[];
}

/** Differences below this are ties (regrets are ratios of stored scores: exact equality is common). */
const TIE = 1e-12;

/**
 * @param perTask - the benchmark's curves
 * @param reference - the method compared with each of `methods`
 * @param methods - the others (the reference itself is skipped)
 * @param budgets - the budgets the curves were recorded at
 * @returns one comparison per other method that shares at least one task with the reference
 */
export function pairedDifferences(
  perTask: readonly TaskRegrets[],
  reference: BenchMethod,
  methods: readonly BenchMethod[],
  budgets: readonly number[],
  options: PairedOptions = {},
): PairedDifference[] {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const curves = new Map<BenchMethod, Map<string, number[]>>();
  for (const r of perTask) {
    const byTask = curves.get(r.method) ?? new Map<string, number[]>();
    byTask.set(r.task, budgets.map((_, b) => r.regrets.reduce((s, row) => s + row[b], 0) / Math.max(1, r.regrets.length)));
    curves.set(r.method, byTask);
  }
  const ours = curves.get(reference) ?? new Map<string, number[]>();
  const out: PairedDifference[] = [];
  for (const method of methods) {
    const theirs = curves.get(method);
    if (method === reference || theirs === undefined) continue;
    const tasks = [...ours.keys()].filter((t) => theirs.has(t)).sort();
    if (tasks.length === 0) continue;
    const diffs = tasks.map((t) => budgets.map((_, b) => (ours.get(t) as number[])[b] - (theirs.get(t) as number[])[b]));
    const rng = new Random(options.seed ?? 0);
    const boot = budgets.map(() => new Float64Array(resamples));
    for (let r = 0; r < resamples; r++) {
      const sums = budgets.map(() => 0);
      for (let k = 0; k < tasks.length; k++) {
        const row = diffs[rng.int(tasks.length)];
        for (let b = 0; b < budgets.length; b++) sums[b] += row[b];
      }
      for (let b = 0; b < budgets.length; b++) boot[b][r] = sums[b] / tasks.length;
    }
    for (const values of boot) values.sort();
    const tail = (1 - level) / 2;
    const column = (b: number) => diffs.map((row) => row[b]);
    out.push({
      reference, method, tasks: tasks.length,
      mean: budgets.map((_, b) => column(b).reduce((s, x) => s + x, 0) / tasks.length),
      low: boot.map((values) => quantile(values, tail)),
      high: boot.map((values) => quantile(values, 1 - tail)),
      wins: budgets.map((_, b) => column(b).filter((d) => d < -TIE).length),
      ties: budgets.map((_, b) => column(b).filter((d) => Math.abs(d) <= TIE).length),
      losses: budgets.map((_, b) => column(b).filter((d) => d > TIE).length),
    });
  }
  return out;
}

/** @returns the q-quantile of sorted values, linear between order statistics */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}
