/**
 * Parzen estimators of TPE on the unit cube, after Optuna's `_ParzenEstimator`: a mixture with one
 * component per observation plus a prior component, each a product of one kernel per dimension.
 *
 * - Numeric dimensions: truncated Gaussians on [0, 1], bandwidths from the distances to the
 *   neighbouring observations clipped to [1/min(100, n+2), 1] (the "magic clip"), as in Optuna 4
 *   and 5. The prior kernel is N(½, 1).
 * - Categorical dimensions: mass 1 on the observed choice plus `priorWeight / (n+1)` on every
 *   choice, normalised; the prior kernel is uniform.
 * - Component weights: Optuna's default (older observations down-weighted beyond 25), then
 *   `priorWeight` for the prior component.
 */
import type { Random } from '../../random.ts';
import { logNormalMass, logSumExp, normalLogPdf, sampleTruncatedNormal } from './truncated-normal.ts';

/** Settings shared by every estimator. */
export interface ParzenSettings {
  readonly priorWeight: number;
  readonly considerMagicClip: boolean;
}

/**
 * Optuna's default observation weights: flat for up to 25 observations, else a linear ramp from
 * 1/n for the oldest up to 1 for the 25 most recent.
 * @param n - number of observations, oldest first
 * @returns one weight per observation
 */
export function observationWeights(n: number): number[] {
  if (n < 25) return Array.from({ length: n }, () => 1);
  const ramp = Array.from({ length: n - 25 }, (_, i) => (n - 25 === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (n - 26)));
  return [...ramp, ...Array.from({ length: 25 }, () => 1)];
}

/** One kernel per mixture component along one dimension. */
export interface KernelSet {
  /** @returns a draw from component j's kernel */
  sample(j: number, rng: Random): number;
  /** @returns log of component j's kernel at x (a unit coordinate or a choice index) */
  logKernel(j: number, x: number): number;
}

/** Truncated Gaussian kernels on [0, 1]; `bucketOf` turns densities into masses on a discrete axis. */
export class NumericKernels implements KernelSet {
  private readonly logZ: number[];

  /**
   * @param mus - centres, the prior's last
   * @param sigmas - bandwidths, the prior's last
   * @param bucketOf - for a discrete axis, the bucket of the value at a coordinate
   */
  constructor(
    private readonly mus: readonly number[],
    private readonly sigmas: readonly number[],
    private readonly bucketOf?: (u: number) => readonly [number, number] | undefined,
  ) {
    this.logZ = mus.map((mu, j) => logNormalMass(mu, sigmas[j], 0, 1));
  }

  sample(j: number, rng: Random): number {
    return sampleTruncatedNormal(this.mus[j], this.sigmas[j], rng);
  }

  logKernel(j: number, x: number): number {
    const bucket = this.bucketOf?.(x);
    const own = bucket === undefined ? normalLogPdf(x, this.mus[j], this.sigmas[j]) : logNormalMass(this.mus[j], this.sigmas[j], bucket[0], bucket[1]);
    return own - this.logZ[j];
  }
}

/** Categorical kernels. */
export class CategoricalKernels implements KernelSet {
  private readonly rows: number[][];

  /**
   * @param observations - observed choice indices, oldest first
   * @param nChoices - number of choices
   * @param priorWeight - the prior's weight
   */
  constructor(observations: readonly number[], nChoices: number, priorWeight: number) {
    const floor = priorWeight / (observations.length + 1);
    this.rows = observations.map((c) => normalise(Array.from({ length: nChoices }, (_, i) => floor + (i === c ? 1 : 0))));
    this.rows.push(Array.from({ length: nChoices }, () => 1 / nChoices));
  }

  sample(j: number, rng: Random): number {
    const row = this.rows[j];
    let u = rng.next();
    for (let i = 0; i < row.length; i++) {
      u -= row[i];
      if (u < 0) return i;
    }
    return row.length - 1;
  }

  logKernel(j: number, c: number): number {
    return Math.log(Math.max(this.rows[j][c], 1e-300));
  }
}

/**
 * Bandwidths by Optuna's rule (v4+, `consider_endpoints=False`), used per dimension in both the
 * independent and the multivariate sampler: the larger gap to a neighbouring observation, the
 * bounds 0 and 1 counting as neighbours except for the lowest and the highest observation, which
 * take the gap to their inner neighbour; then the magic clip.
 * @param mus - observations on [0, 1]
 * @param settings - the magic clip
 * @returns one bandwidth per observation
 */
export function bandwidths(mus: readonly number[], settings: ParzenSettings): number[] {
  const order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b] || a - b);
  const sorted = [0, ...order.map((i) => mus[i]), 1];
  const sigmaSorted = order.map((_, k) => Math.max(sorted[k + 1] - sorted[k], sorted[k + 2] - sorted[k + 1]));
  if (sorted.length >= 4) {
    sigmaSorted[0] = sorted[2] - sorted[1];
    sigmaSorted[sigmaSorted.length - 1] = sorted[sorted.length - 2] - sorted[sorted.length - 3];
  }
  const sigmas = new Array<number>(mus.length);
  order.forEach((i, k) => (sigmas[i] = sigmaSorted[k]));
  return clip(sigmas, mus.length, settings);
}

function clip(sigmas: number[], n: number, settings: ParzenSettings): number[] {
  const minSigma = settings.considerMagicClip ? 1 / Math.min(100, 1 + (n + 1)) : 1e-12;
  return sigmas.map((s) => Math.min(1, Math.max(minSigma, s)));
}

/** A mixture of product kernels: shared component weights, one {@link KernelSet} per dimension. */
export class ParzenMixture {
  private readonly logWeights: number[];

  /**
   * @param dimensions - the kernels of every dimension (n observation components plus the prior)
   * @param nObservations - n
   * @param priorWeight - the prior component's weight
   */
  constructor(private readonly dimensions: readonly KernelSet[], nObservations: number, priorWeight: number) {
    const w = nObservations === 0 ? [1] : [...observationWeights(nObservations), priorWeight];
    const total = w.reduce((a, b) => a + b, 0);
    this.logWeights = w.map((x) => Math.log(x / total));
  }

  /** @returns `n` points: a component by weight, then each dimension from its kernel */
  sample(rng: Random, n: number): number[][] {
    return Array.from({ length: n }, () => {
      const j = this.pickComponent(rng);
      return this.dimensions.map((kernels) => kernels.sample(j, rng));
    });
  }

  /** @returns the mixture's log density (log mass on discrete axes) at a point */
  logDensity(point: readonly number[]): number {
    return logSumExp(this.logWeights.map((lw, j) => {
      let sum = lw;
      for (let d = 0; d < this.dimensions.length; d++) sum += this.dimensions[d].logKernel(j, point[d]);
      return sum;
    }));
  }

  private pickComponent(rng: Random): number {
    let u = rng.next();
    for (let j = 0; j < this.logWeights.length; j++) {
      u -= Math.exp(this.logWeights[j]);
      if (u < 0) return j;
    }
    return this.logWeights.length - 1;
  }
}

function normalise(row: number[]): number[] {
  const total = row.reduce((a, b) => a + b, 0);
  return row.map((x) => x / total);
}
