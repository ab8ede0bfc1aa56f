/**
 * Area under the ROC curve, computed exactly from ranks (the Mann–Whitney U statistic), so tied
 * scores count one half as in scikit-learn's `roc_auc_score`.
 */

/** The macro one-vs-rest AUC together with the classes it could not score. */
export interface MacroAucResult {
  /** Mean of the per-class AUCs over the classes that could be scored; NaN when none could. */
  readonly value: number;
  /** Classes skipped because the fold holds none of them, or nothing else (AUC undefined). */
  readonly skippedClasses: readonly number[];
}

/**
 * Binary ROC AUC: the probability that a random positive scores higher than a random negative,
 * ties counting one half.
 * @param positive - `positive[i]` is true when row i belongs to the positive class
 * @param scores - one score per row, higher meaning "more positive"
 * @returns the AUC in [0, 1], or NaN when there are no positives or no negatives
 */
export function binaryRocAuc(positive: ArrayLike<boolean>, scores: ArrayLike<number>): number {
  const n = scores.length;
  if (positive.length !== n) throw new RangeError(`binaryRocAuc: ${positive.length} labels but ${n} scores`);
  const ranks = averageRanks(scores);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i++) {
    if (positive[i]) {
      nPos++;
      rankSum += ranks[i];
    }
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Macro-averaged one-vs-rest ROC AUC over `nClasses` classes, as scikit-learn's
 * `roc_auc_score(y, p, multi_class='ovr', average='macro')` but tolerant of folds where a class is
 * absent: such classes are skipped and reported instead of raising. For two classes it equals the
 * binary AUC of the positive class.
 * @param yTrue - class index of each row, in [0, nClasses)
 * @param proba - row-major `yTrue.length × nClasses` class scores (probabilities)
 * @param nClasses - number of classes the model predicts
 * @returns the macro AUC and the skipped classes
 */
export function macroOvrRocAuc(yTrue: Int32Array, proba: ArrayLike<number>, nClasses: number): MacroAucResult {
  const n = yTrue.length;
  const positive = new Array<boolean>(n);
  const scores = new Float64Array(n);
  const skippedClasses: number[] = [];
  let sum = 0;
  let scored = 0;
  for (let c = 0; c < nClasses; c++) {
    for (let i = 0; i < n; i++) {
      positive[i] = yTrue[i] === c;
      scores[i] = proba[i * nClasses + c];
    }
    const auc = binaryRocAuc(positive, scores);
    if (Number.isNaN(auc)) {
      skippedClasses.push(c);
    } else {
      sum += auc;
      scored++;
    }
  }
  return { value: scored > 0 ? sum / scored : NaN, skippedClasses };
}

/**
 * 1-based ranks with ties given their average rank (scipy's `rankdata(method='average')`).
 * @param values - the values to rank
 * @returns one rank per value
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}
