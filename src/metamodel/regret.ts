/**
 * Quality measures of a ranking on one task, in HPO-B's terms: the normalised regret of the best
 * configuration found so far, (best − best so far) / (best − worst) over the task's evaluated
 * configurations (0 = the task's best was found, 1 = only its worst), Spearman's rank correlation
 * between predicted and observed scores, and average ranks of methods with ties shared.
 */

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
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const n = ra.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (ra[i] - ma) * (rb[i] - mb);
    va += (ra[i] - ma) ** 2;
    vb += (rb[i] - mb) ** 2;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/**
 * @param values - one value per item
 * @returns 1-based ranks in ascending order of value (smallest = 1), ties sharing their mean rank
 */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].v === order[start].v) end++;
    for (let k = start; k <= end; k++) ranks[order[k].i] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return ranks;
}
