/**
 * The configurations of a search space with their scores across tasks (the dashboard's space
 * page): each task's scores normalised to [0, 1] between its worst and best configuration, so
 * tasks of different difficulty share one colour scale, and the configurations ranked by their
 * mean normalised score (as `db configs` ranks them).
 */
import type { EvaluationScore } from '../store/types.ts';

/** A configurations × tasks matrix of normalised scores. */
export interface ConfigurationMatrix {
  readonly tasks: readonly string[];
  /** Configurations by mean normalised score, best first (at most `top`). */
  readonly configurations: readonly { readonly hash: string; readonly meanNormalized: number; readonly tasks: number }[];
  /** [configuration][task]: normalised score, null where not evaluated. */
  readonly cells: readonly (readonly (number | null)[])[];
}

/**
 * @param scores - evaluations of one space (`store.listEvaluationScores({ space })`)
 * @param top - how many configurations to keep (default 40)
 * @returns the matrix; a (task, configuration) evaluated several times (seeds, fidelities) takes
 *   its highest-fidelity mean; a task whose configurations all score the same is left out
 */
export function configurationMatrix(scores: readonly EvaluationScore[], top = 40): ConfigurationMatrix {
  const best = new Map<string, { fidelity: number; sum: number; n: number }>();
  for (const e of scores) {
    if (e.status !== 'ok' || e.primaryScore === null || !Number.isFinite(e.primaryScore)) continue;
    const key = `${e.task}\u0000${e.configHash}`;
    const cur = best.get(key);
    if (cur === undefined || e.fidelity > cur.fidelity) best.set(key, { fidelity: e.fidelity, sum: e.primaryScore, n: 1 });
    else if (e.fidelity === cur.fidelity) best.set(key, { fidelity: cur.fidelity, sum: cur.sum + e.primaryScore, n: cur.n + 1 });
  }
  const byTask = new Map<string, Map<string, number>>();
  for (const [key, v] of best) {
    const [task, hash] = key.split('\u0000');
    const m = byTask.get(task) ?? new Map<string, number>();
    m.set(hash, v.sum / v.n);
    byTask.set(task, m);
  }
  const normalized = new Map<string, Map<string, number>>();
  for (const [task, m] of byTask) {
    const values = [...m.values()];
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    if (!(hi > lo)) continue;
    normalized.set(task, new Map([...m].map(([h, v]) => [h, (v - lo) / (hi - lo)])));
  }
  const tasks = [...normalized.keys()].sort();
  const totals = new Map<string, { sum: number; n: number }>();
  for (const m of normalized.values()) {
    for (const [h, v] of m) {
      const t = totals.get(h) ?? { sum: 0, n: 0 };
      totals.set(h, { sum: t.sum + v, n: t.n + 1 });
    }
  }
  // a configuration tried on one task only (a search's proposals) would top the ranking with a
  // mean of 1: rank those evaluated on more than half as many tasks as the most evaluated one
  const most = Math.max(0, ...[...totals.values()].map((t) => t.n));
  const configurations = [...totals]
    .filter(([, t]) => 2 * t.n > most)
    .map(([hash, t]) => ({ hash, meanNormalized: t.sum / t.n, tasks: t.n }))
    .sort((a, b) => b.meanNormalized - a.meanNormalized || b.tasks - a.tasks || (a.hash < b.hash ? -1 : 1))
    .slice(0, top);
  const cells = configurations.map((c) => tasks.map((t) => normalized.get(t)?.get(c.hash) ?? null));
  return { tasks, configurations, cells };
}
