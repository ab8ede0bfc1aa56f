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
    ...pairedSection(result),
  ].join('\n');
}

/** @returns a difference with its sign, 3 decimals */
function signed(x: number): string {
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(3)}`;
}

/** The paired-differences table, or nothing when the run has no reference method. */
function pairedSection(result: BenchResult): string[] {
  const paired = result.summary.paired;
  if (paired.length === 0) return [];
  const reference = paired[0].reference;
  const header = `| ${reference} − | ${result.budgets.map((b) => `@${b}`).join(' | ')} |`;
  const rule = `|---|${result.budgets.map(() => '---:').join('|')}|`;
  const rows = paired.map((p) => {
    const cells = result.budgets.map((_, b) => {
      const clear = p.high[b] < 0 || p.low[b] > 0;
      const difference = `${signed(p.mean[b])} [${signed(p.low[b])}, ${signed(p.high[b])}]`;
      return `${clear ? `**${difference}**` : difference} ${p.wins[b]}/${p.ties[b]}/${p.losses[b]}`;
    });
    return `| ${p.method} | ${cells.join(' | ')} |`;
  });
  return [
    `Paired difference in regret, \`${reference}\` minus each method (negative: \`${reference}\` better), mean over ${paired[0].tasks} tasks with a 95 % bootstrap interval over tasks (bold: the interval excludes 0), then tasks won/tied/lost by \`${reference}\`:`,
    '',
    header,
    rule,
    ...rows,
    '',
  ];
}

/** @returns the result as pretty JSON */
export function benchJson(result: BenchResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
