/**
 * Benchmark reports: a markdown table of mean normalised regret and average rank per budget, and
 * the whole result as JSON (settings, summary and every per-task, per-seed curve).
 */
import type { BenchResult } from './loto.ts';

/** @returns a number with 3 decimals, as HPO-B reports regrets */
function fixed(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : '-';
}

/**
 * @returns the report as markdown: a settings line, then one table of mean regret and one of
 *   average rank, methods as rows and budgets as columns (the best of each column in bold)
 */
export function benchMarkdown(result: BenchResult): string {
  const header = `| method | ${result.budgets.map((b) => `@${b}`).join(' | ')} |`;
  const rule = `|---|${result.budgets.map(() => '---:').join('|')}|`;
  const table = (values: Readonly<Record<string, readonly number[]>>) => {
    const bestPerColumn = result.budgets.map((_, b) => Math.min(...result.methods.map((m) => values[m][b])));
    const rows = result.methods.map((m) => `| ${m} | ${values[m].map((v, b) => (v === bestPerColumn[b] ? `**${fixed(v)}**` : fixed(v))).join(' | ')} |`);
    return [header, rule, ...rows].join('\n');
  };
  return [
    `Leave-one-task-out benchmark on search space \`${result.space}\`: ${result.tasks} tasks, ${result.folds} folds, ${result.seeds} seeds, ${result.seconds.toFixed(1)} s.`,
    '',
    'Mean normalised regret after N evaluations (lower is better):',
    '',
    table(result.summary.meanRegret),
    '',
    `Average rank after N evaluations (1 = best of ${result.methods.length}):`,
    '',
    table(result.summary.averageRank),
    '',
  ].join('\n');
}

/** @returns the result as pretty JSON */
export function benchJson(result: BenchResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
