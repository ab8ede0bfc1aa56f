/**
 * Adapting the learned meta-model's head to a new task, in plain JavaScript (the embeddings of the
 * candidates are computed once; only the head moves). It runs the inner loop that
 * meta-training unrolls (`train.ts`): `steps` gradient steps of size α on the mean pairwise
 * logistic loss over the evaluated configurations, log(1 + exp(−(f_i − f_j))) for every pair with
 * score_i > score_j. Only the order of the observed scores matters, so raw scores of any metric
 * can be used, without knowing the task's best and worst.
 */
import type { HeadWeights } from './shapes.ts';

/** Inner-loop steps unrolled in meta-training (support sets of 2–12 configurations). */
export const INNER_STEPS = 5;

/**
 * Steps at adaptation time. More than in training because a search accumulates more evidence
 * (up to 50 evaluations) than a training support set holds. Measured on six held-out synthetic
 * tasks with 30 evaluations each and no shrinkage: 20 steps turned a Spearman ρ of −0.79 into −0.61
 * when the task contradicted its meta-features, at a cost of about 0.03 where it did not (5 steps:
 * −0.76 and ±0.01; 100 steps: +0.4 and −0.1).
 */
export const ADAPT_STEPS = 20;

/** Settings of {@link adaptHead}. */
export interface AdaptOptions {
  /** Gradient steps (default {@link ADAPT_STEPS}). */
  readonly steps?: number;
  /**
   * Shrinkage towards the meta-trained head: each step is scaled by P / (P + priorPairs) for P
   * ordered pairs among the evaluations, so two evaluations barely move the head while fifty move
   * it almost fully (default {@link PRIOR_PAIRS}; 0 disables the shrinkage).
   */
  readonly priorPairs?: number;
  /** Correct the adapted prediction with a GP on the residuals (`residual-gp.ts`; default true). */
  readonly residualGp?: boolean;
  /** Evaluations needed before the residual GP corrects the prediction (default {@link RESIDUAL_MIN_EVALUATIONS}). */
  readonly residualMinEvaluations?: number;
}

/**
 * Default of {@link AdaptOptions.residualMinEvaluations}. The GP's residuals are raw scores
 * standardised over the evaluations, so with two or three (all near the top of the zero-shot
 * ranking) any small difference becomes a full within-task spread and the correction is noise.
 * Linear space, 108 tasks, 3 folds, expected improvement, regret after 1/3/5/10 evaluations:
 * from 2 evaluations .094/.047/.028/.014, from 4 .094/.040/.024/.012. (Scaling the residuals by
 * the network's spread over the evaluated configurations instead: .094/.039/.029/.015.)
 */
export const RESIDUAL_MIN_EVALUATIONS = 4;

/** Default of {@link AdaptOptions.priorPairs}: the pairs of about ten evaluations. */
export const PRIOR_PAIRS = 45;

/**
 * @param head - the meta-trained head
 * @param embeddings - the evaluated configurations' embeddings, row-major (s × hidden)
 * @param scores - their observed scores (larger is better)
 * @param options - steps and shrinkage
 * @returns the adapted w (the bias is unchanged: ranking does not move it)
 */
export function adaptHead(head: HeadWeights, embeddings: Float32Array, scores: readonly number[], options: AdaptOptions = {}): Float64Array {
  const hidden = head.w.length;
  const s = scores.length;
  const w = Float64Array.from(head.w);
  let pairs = 0;
  for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) if (scores[i] > scores[j]) pairs++;
  if (pairs === 0) return w;
  const steps = options.steps ?? ADAPT_STEPS;
  const rate = (head.alpha * pairs) / (pairs + (options.priorPairs ?? PRIOR_PAIRS)) / pairs;
  const f = new Float64Array(s);
  const g = new Float64Array(s);
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < s; i++) f[i] = dot(embeddings, i * hidden, w, hidden);
    g.fill(0);
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) {
        if (!(scores[i] > scores[j])) continue;
        const d = -1 / (1 + Math.exp(f[i] - f[j]));
        g[i] += d;
        g[j] -= d;
      }
    }
    for (let k = 0; k < hidden; k++) {
      let grad = 0;
      for (let i = 0; i < s; i++) grad += embeddings[i * hidden + k] * g[i];
      w[k] -= rate * grad;
    }
  }
  return w;
}

/**
 * @param embeddings - n embeddings, row-major
 * @returns h·w + b for each row
 */
export function predictRows(embeddings: Float32Array, w: ArrayLike<number>, b: number): Float64Array {
  const hidden = w.length;
  const n = hidden === 0 ? 0 : embeddings.length / hidden;
  return Float64Array.from({ length: n }, (_, i) => dot(embeddings, i * hidden, w, hidden) + b);
}

function dot(rows: Float32Array, offset: number, w: ArrayLike<number>, hidden: number): number {
  let sum = 0;
  for (let k = 0; k < hidden; k++) sum += rows[offset + k] * w[k];
  return sum;
}
