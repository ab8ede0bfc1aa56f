/**
 * Quality measures of a ranking on one task, in HPO-B's terms: the normalised regret of the best
 * configuration found so far, (best − best so far) / (best − worst) over the task's evaluated
 * configurations (0 = the task's best was found, 1 = only its worst), Spearman's rank correlation
 * between predicted and observed scores (ranks tie-averaged by `averageRanks` of src/evaluation).
 */
import { averageRanks } from '../evaluation/roc-auc.ts';

/**
 * @param scoresInOrder - observed scores in the order the configurations were tried
 * @param best - the task's best score
 * @param worst - the task's worst score
 * @param budgets - numbers of evaluations, e.g. [1, 3, 5, 10, 25, 50]
 * @returns the normalised regret after each budget (a budget beyond the picks reads the last pick)
 */
export function regretCurve(scoresInOrder: readonly number[], best: number, worst: number, budgets: readonly number[]): number[] {
  const range = best - worst;
  const bestSoFar: number[] = [];
  let running = -Infinity;
  for (const s of scoresInOrder) bestSoFar.push((running = Math.max(running, s)));
  return budgets.map((b) => {
    if (bestSoFar.length === 0) return 1;
    const found = bestSoFar[Math.min(b, bestSoFar.length) - 1];
    return range > 0 ? Math.max(0, (best - found) / range) : 0;
  });
}

/** @returns Spearman's ρ (Pearson correlation of tie-averaged ranks); 0 when either side is constant */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return pearson(averageRanks(a), averageRanks(b));
}

/** @returns Pearson's correlation; 0 when either side is constant */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    sa += a[i];
    sb += b[i];
  }
  const ma = sa / n;
  const mb = sb / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) ** 2;
    vb += (b[i] - mb) ** 2;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}
