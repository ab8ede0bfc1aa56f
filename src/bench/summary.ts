/**
 * Summaries of a benchmark run: mean normalised regret per method and budget (over tasks and
 * seeds), and average rank per budget: on every (task, seed, budget) the methods are ranked by
 * regret (1 = lowest, ties share their mean rank), then the ranks are averaged; and the paired
 * differences between what `metatune search` does (`learned+bo`, else `learned`) and every other
 * method, with bootstrap intervals over tasks (`paired.ts`).
 */
import { averageRanks } from '../evaluation/roc-auc.ts';
import type { BenchMethod } from './methods.ts';
import type { TaskRegrets } from './loto.ts';
import { pairedDifferences, type PairedDifference } from './paired.ts';

/** Per method, one number per budget. */
export interface BenchSummary {
  readonly meanRegret: Readonly<Record<string, readonly number[]>>;
  readonly averageRank: Readonly<Record<string, readonly number[]>>;
  /** The reference method against each other method (empty when the run has neither learned method). */
  readonly paired: readonly PairedDifference[];
}

/** The methods the paired differences are taken from, first present wins. */
export const PAIRED_REFERENCES: readonly BenchMethod[] = ['learned+bo', 'learned'];

/** @returns mean regrets, average ranks and paired differences */
export function summarize(perTask: readonly TaskRegrets[], methods: readonly BenchMethod[], budgets: readonly number[]): BenchSummary {
  const meanRegret: Record<string, number[]> = {};
  const rankSum: Record<string, number[]> = {};
  for (const m of methods) {
    const rows = perTask.filter((r) => r.method === m).flatMap((r) => r.regrets);
    meanRegret[m] = budgets.map((_, b) => rows.reduce((s, row) => s + row[b], 0) / Math.max(1, rows.length));
    rankSum[m] = budgets.map(() => 0);
  }
  const byTask = new Map<string, Map<string, TaskRegrets>>();
  for (const r of perTask) {
    const entry = byTask.get(r.task) ?? new Map<string, TaskRegrets>();
    entry.set(r.method, r);
    byTask.set(r.task, entry);
  }
  let cases = 0;
  for (const entry of byTask.values()) {
    const rows = methods.map((m) => entry.get(m));
    if (rows.some((r) => r === undefined)) continue;
    const seeds = Math.min(...rows.map((r) => r?.regrets.length ?? 0));
    for (let s = 0; s < seeds; s++) {
      cases++;
      budgets.forEach((_, b) => {
        const ranks = averageRanks(rows.map((r) => r?.regrets[s][b] ?? 1));
        methods.forEach((m, i) => (rankSum[m][b] += ranks[i]));
      });
    }
  }
  const averageRank = Object.fromEntries(methods.map((m) => [m, rankSum[m].map((x) => x / Math.max(1, cases))]));
  const reference = PAIRED_REFERENCES.find((m) => methods.includes(m));
  const paired = reference === undefined ? [] : pairedDifferences(perTask, reference, methods, budgets);
  return { meanRegret, averageRank, paired };
}
