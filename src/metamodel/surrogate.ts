/**
 * The learned meta-model as a surrogate for one task: mean and uncertainty of the normalised score
 * of any configuration, given the task's meta-features and the configurations evaluated there so
 * far. Each ensemble member adapts its head on the evaluations (`head.ts`) and predicts; the mean is
 * the members' average and the uncertainty their standard deviation (a deep ensemble of
 * independently seeded networks, Lakshminarayanan et al., 2017); from `RESIDUAL_MIN_EVALUATIONS`
 * evaluations with two or more distinct scores, a Gaussian process on the embeddings corrects the
 * residuals and adds its posterior variance (`residual-gp.ts`). Embeddings are cached per
 * configuration, so a Bayesian-optimisation loop pays the network's forward pass once per candidate.
 */
import type { Configuration } from '../spaces/types.ts';
import type { SearchSpace } from '../spaces/search-space.ts';
import { configHash } from '../spaces/canonical.ts';
import { RESIDUAL_MIN_EVALUATIONS, adaptHead, predictRows, type AdaptOptions } from './head.ts';
import { medianDistance, residualCorrection } from './residual-gp.ts';
import type { EmbeddingMember, HeadWeights } from './shapes.ts';
import type { ObservedEvaluation } from './types.ts';

/** A prediction for one configuration. */
export interface SurrogatePrediction {
  /** Predicted normalised score (ensemble mean). */
  readonly mean: number;
  /** Ensemble standard deviation. */
  readonly std: number;
}

/**
 * The training tasks' mean normalised score of each configuration, blended with the network's
 * prediction at a weight (configurations no training task evaluated get the average).
 */
export interface ConfigurationPrior {
  readonly weight: number;
  /** The weight is scaled by fade / (fade + evaluations): evidence on the task replaces the prior (0: zero-shot only). */
  readonly fade: number;
  /** configHash → mean normalised score over the training tasks. */
  readonly scores: ReadonlyMap<string, number>;
}

/** One task's view of the learned meta-model. */
export class TaskSurrogate {
  private readonly cache = new Map<string, Float32Array[]>();
  private readonly heads: readonly HeadWeights[];
  /** Kernel length scale of the residual GP, fixed at the first prediction with evaluations. */
  private lengthscale: number | undefined;

  /**
   * @param space - the search space of the configurations
   * @param members - the ensemble
   * @param taskInputs - the task's scaled meta-features
   * @param taskScoreStd - typical standard deviation of normalised scores within a training task
   * @param adapt - how strongly evaluations move the heads (see {@link AdaptOptions})
   */
  constructor(
    private readonly space: SearchSpace,
    private readonly members: readonly EmbeddingMember[],
    private readonly taskInputs: Float32Array,
    private readonly taskScoreStd: number,
    private readonly adapt: AdaptOptions = {},
    private readonly prior?: ConfigurationPrior,
  ) {
    this.heads = members.map((m) => m.head());
    const values = [...(prior?.scores.values() ?? [])];
    this.priorCentre = values.reduce((sum, x) => sum + x, 0) / Math.max(1, values.length);
  }

  private readonly priorCentre: number;

  /**
   * @param configs - configurations to score (valid in the space)
   * @param evaluated - the task's evaluations so far (none: zero-shot)
   * @returns one prediction per configuration
   * @throws SearchSpaceError for a configuration that is not valid in the space
   */
  predict(configs: readonly Configuration[], evaluated: readonly ObservedEvaluation[] = []): SurrogatePrediction[] {
    const candidates = this.embeddings(configs);
    const observed = this.embeddings(evaluated.map((e) => e.config));
    const scores = evaluated.map((e) => e.score);
    const heads = this.heads.map((head, m) => ({ w: adaptHead(head, concatRows(observed.map((o) => o[m])), scores, this.adapt), b: head.b }));
    const atCandidates = this.withPrior(ensemble(heads, candidates), configs, evaluated.length);
    if (this.adapt.residualGp === false || !hasSpread(scores) || scores.length < (this.adapt.residualMinEvaluations ?? RESIDUAL_MIN_EVALUATIONS)) return atCandidates;
    const atObserved = this.withPrior(ensemble(heads, observed), evaluated.map((e) => e.config), evaluated.length);
    const residuals = calibrate(scores, atObserved.map((p) => p.mean), this.taskScoreStd).map((y, i) => y - atObserved[i].mean);
    const candidateVectors = candidates.map(joinMembers);
    this.lengthscale ??= medianDistance(candidateVectors);
    const gp = residualCorrection(observed.map(joinMembers), residuals, candidateVectors, { lengthscale: this.lengthscale, signalStd: this.taskScoreStd, noiseShare: 0.1 });
    return atCandidates.map((p, i) => ({ mean: p.mean + gp.mean[i], std: Math.sqrt(p.std ** 2 + gp.variance[i]) }));
  }

  /**
   * The zero-shot score of each configuration as {@link LearnedMetaModel.rank} orders them after
   * `evaluations` picks: the members' mean before any adaptation to the task, blended with the
   * configuration prior at its weight then (with the default fade, the network's mean alone
   * after the first pick).
   * @param configs - configurations to score (valid in the space)
   * @param evaluations - how many configurations of the task have been evaluated
   * @returns one score per configuration
   */
  zeroShot(configs: readonly Configuration[], evaluations: number): number[] {
    this.unadapted ??= this.heads.map((head) => ({ w: Float64Array.from(head.w), b: head.b })); // as adaptHead leaves them with no evaluations
    return this.withPrior(ensemble(this.unadapted, this.embeddings(configs)), configs, evaluations).map((p) => p.mean);
  }

  /** The members' heads before adaptation, in double precision (built at the first {@link zeroShot}). */
  private unadapted: { w: Float64Array; b: number }[] | undefined;

  /**
   * @param evaluations - how many configurations of the task have been evaluated
   * @returns the prior's weight then: full with none, × fade / (fade + evaluations) after
   */
  priorWeight(evaluations: number): number {
    const prior = this.prior;
    if (prior === undefined) return 0;
    if (evaluations === 0) return prior.weight;
    return prior.fade === 0 ? 0 : (prior.weight * prior.fade) / (prior.fade + evaluations);
  }

  /** @returns per configuration, its prior score (configurations no training task evaluated: the average prior; 0 without a prior) */
  priorScores(configs: readonly Configuration[]): Float64Array {
    const scores = this.prior?.scores;
    return Float64Array.from(configs, (c) => (scores === undefined ? 0 : (scores.get(configHash(c)) ?? this.priorCentre)));
  }

  /**
   * Blends the configuration prior into the ensemble means at its weight w after `evaluations`:
   * (network + w × prior) / (1 + w), a weighted average of two estimates of the normalised score,
   * so the blend stays on that scale.
   */
  private withPrior(predictions: SurrogatePrediction[], configs: readonly Configuration[], evaluations: number): SurrogatePrediction[] {
    const weight = this.priorWeight(evaluations);
    if (weight === 0) return predictions;
    const prior = this.priorScores(configs);
    return predictions.map((p, i) => ({ mean: (p.mean + weight * prior[i]) / (1 + weight), std: p.std }));
  }

  /** @returns per configuration, its embedding under each member (computed once, then cached) */
  private embeddings(configs: readonly Configuration[]): Float32Array[][] {
    const hashes = configs.map((c) => configHash(c));
    const missing = [...new Set(hashes.filter((h) => !this.cache.has(h)))];
    if (missing.length > 0) {
      const configOf = new Map(hashes.map((h, i) => [h, configs[i]]));
      const rows = encodeRows(this.space, this.taskInputs, missing.map((h) => configOf.get(h) ?? {}));
      const hidden = this.members[0]?.shape.hidden ?? 0;
      const perMember = this.members.map((m) => m.embed(rows, missing.length));
      missing.forEach((h, i) => this.cache.set(h, perMember.map((e) => e.subarray(i * hidden, (i + 1) * hidden))));
    }
    return hashes.map((h) => this.cache.get(h) ?? []);
  }
}

/** Ensemble mean and standard deviation of adapted heads over embeddings. */
function ensemble(heads: readonly { w: Float64Array; b: number }[], points: readonly Float32Array[][]): SurrogatePrediction[] {
  const perMember = heads.map((head, m) => predictRows(concatRows(points.map((p) => p[m])), head.w, head.b));
  return points.map((_, i) => {
    const values = perMember.map((p) => p[i]);
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length;
    return { mean, std: Math.sqrt(variance) };
  });
}

/**
 * Puts raw scores on the normalised scale: standardised over the evaluations, times the typical
 * within-task spread, centred on the network's mean prediction there. Scores far below the
 * others (under {@link robustFloor}: a diverged run's R² of −10⁹ next to 0.8) are first raised to
 * that floor, so one outlier cannot squash every other score to the same value.
 */
function calibrate(raw: readonly number[], predicted: readonly number[], spread: number): number[] {
  const floor = robustFloor(raw);
  const scores = raw.map((x) => Math.max(x, floor));
  const mean = scores.reduce((s, x) => s + x, 0) / scores.length;
  const std = Math.sqrt(scores.reduce((s, x) => s + (x - mean) ** 2, 0) / scores.length);
  const centre = predicted.reduce((s, x) => s + x, 0) / predicted.length;
  return scores.map((x) => centre + ((x - mean) / std) * spread);
}

/** How many median absolute deviations below the median a score may lie before it is raised. */
export const OUTLIER_MADS = 100;

/**
 * @returns median − {@link OUTLIER_MADS} × the median absolute deviation of the scores (−∞ when
 *   that deviation is 0): far enough below that ordinary spreads (0.5 next to 0.9) are untouched
 */
export function robustFloor(scores: readonly number[]): number {
  const median = (v: readonly number[]) => {
    const sorted = [...v].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  if (scores.length === 0) return -Infinity;
  const m = median(scores);
  const mad = median(scores.map((x) => Math.abs(x - m)));
  return mad > 0 ? m - OUTLIER_MADS * mad : -Infinity;
}

function hasSpread(scores: readonly number[]): boolean {
  return scores.length >= 2 && Math.max(...scores) > Math.min(...scores);
}

function joinMembers(perMember: readonly Float32Array[]): Float64Array {
  return Float64Array.from(concatRows(perMember));
}

/**
 * @param taskInputs - the task's scaled meta-features
 * @param configs - configurations of the space
 * @returns one network input per configuration (meta-features ⊕ one-hot configuration), row-major
 */
export function encodeRows(space: SearchSpace, taskInputs: Float32Array, configs: readonly Configuration[]): Float32Array {
  const width = taskInputs.length + space.oneHotLabels().length;
  const rows = new Float32Array(configs.length * width);
  configs.forEach((config, i) => {
    rows.set(taskInputs, i * width);
    rows.set(space.toOneHotVector(config), i * width + taskInputs.length);
  });
  return rows;
}

function concatRows(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
