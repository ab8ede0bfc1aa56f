/**
 * A benchmark report (`metatune report --bench DIR`): the mean normalised regret and the average
 * rank of every method after each budget, as curves and tables, from a saved `bench.json`
 * (`readBenchResult` checks it and recomputes the summary from the per-task curves).
 */
import type { BenchResult } from '../bench/loto.ts';
import { escapeHtml, htmlPage, htmlTable, type Section } from './html.ts';
import { PALETTE, formatNumber, lineChart, type Series } from './svg.ts';

/** One method's curve over the budgets. */
export interface MethodCurve {
  readonly method: string;
  readonly values: readonly number[];
}

/** What a benchmark report plots. */
export interface BenchCurves {
  readonly budgets: readonly number[];
  readonly regret: readonly MethodCurve[];
  readonly rank: readonly MethodCurve[];
  /** Per method and budget, the share of tasks whose mean regret (over seeds) is exactly 0. */
  readonly solved: readonly MethodCurve[];
}

/**
 * @param result - a benchmark result
 * @returns its mean regret and average rank per method and budget, and the share of tasks solved
 */
export function benchCurves(result: BenchResult): BenchCurves {
  const solved = result.methods.map((m) => {
    const rows = result.perTask.filter((r) => r.method === m);
    return {
      method: m,
      values: result.budgets.map((_, b) => (rows.length === 0 ? 0 : rows.filter((r) => r.regrets.reduce((s, seed) => s + seed[b], 0) === 0).length / rows.length)),
    };
  });
  return {
    budgets: result.budgets,
    regret: result.methods.map((m) => ({ method: m, values: result.summary.meanRegret[m] ?? [] })),
    rank: result.methods.map((m) => ({ method: m, values: result.summary.averageRank[m] ?? [] })),
    solved,
  };
}

/** The plots of a benchmark report, by `data-plot` name. */
export const BENCH_PLOTS = ['bench-regret', 'bench-rank'] as const;

function curveSeries(budgets: readonly number[], curves: readonly MethodCurve[], floor: number): Series[] {
  return curves.map((c, i) => ({
    label: c.method, color: PALETTE[i % PALETTE.length], kind: 'line', marker: 'circle', width: 2,
    points: c.values.map((v, b) => [budgets[b], Math.max(floor, v)] as const),
    tooltips: c.values.map((v, b) => `${c.method} after ${budgets[b]}: ${formatNumber(v)}`),
  }));
}

/**
 * @returns the sections of a benchmark report
 */
export function benchSections(result: BenchResult): Section[] {
  const curves = benchCurves(result);
  const regretPlot = lineChart({
    id: 'bench-regret', title: `Mean normalised regret, space ${result.space} (lower is better)`, x: { label: 'evaluations (log scale)', log: true, ticks: result.budgets.map((b) => ({ at: b, label: String(b) })) },
    y: { label: 'mean normalised regret (log)', log: true }, series: curveSeries(result.budgets, curves.regret, 1e-4),
  });
  const rankPlot = lineChart({
    id: 'bench-rank', title: `Average rank (1 = best of ${result.methods.length})`, x: { label: 'evaluations (log scale)', log: true, ticks: result.budgets.map((b) => ({ at: b, label: String(b) })) },
    y: { label: 'average rank', min: 1, max: result.methods.length }, series: curveSeries(result.budgets, curves.rank, -Infinity),
  });
  const table = (rows: readonly MethodCurve[], digits: number) => {
    const best = result.budgets.map((_, b) => Math.min(...rows.map((r) => r.values[b])));
    return htmlTable(['method', ...result.budgets.map((b) => `@${b}`)], rows.map((r) => [escapeHtml(r.method), ...r.values.map((v, b) => (v === best[b] ? `<b>${v.toFixed(digits)}</b>` : v.toFixed(digits)))]), [false, ...result.budgets.map(() => true)]);
  };
  return [
    {
      id: 'summary', heading: 'Benchmark',
      body: `<p>Leave-one-task-out benchmark (HPO-B protocol) on search space <b>${escapeHtml(result.space)}</b>: ${result.tasks} tasks, ${result.folds} folds, ${result.seeds} seeds, ${result.methods.length} methods, ${formatNumber(result.seconds)} s.</p>`,
    },
    { id: 'regret', heading: 'Regret', body: `${regretPlot}${table(curves.regret, 3)}<p class="note">Normalised regret (best − best so far) / (best − worst) over each task's evaluated configurations, averaged over tasks and seeds; zero is drawn at 1e-4.</p>` },
    { id: 'rank', heading: 'Average rank', body: `${rankPlot}${table(curves.rank, 3)}<p class="note">Methods ranked by regret on every task, seed and budget (ties share their mean rank), then averaged.</p>` },
    { id: 'solved', heading: 'Tasks solved', body: `${htmlTable(['method', ...result.budgets.map((b) => `@${b}`)], curves.solved.map((c) => [escapeHtml(c.method), ...c.values.map((v) => `${(100 * v).toFixed(0)} %`)]), [false, ...result.budgets.map(() => true)])}<p class="note">Share of tasks on which the method found the task's best configuration in every seed.</p>` },
  ];
}

/**
 * @param source - where the result was read from (shown in the subtitle)
 * @returns the self-contained report page of a benchmark
 */
export function benchReportHtml(result: BenchResult, source: string): string {
  return htmlPage({
    title: `metatune bench report · ${result.space}`,
    heading: `Benchmark · space ${result.space}`,
    subtitle: escapeHtml(`from ${source}`),
    sections: benchSections(result),
  });
}
