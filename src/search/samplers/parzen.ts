/**
 * Parzen estimators of TPE on the unit interval, after Optuna's `_ParzenEstimator` (univariate):
 * one truncated Gaussian per observation plus a prior kernel (μ = ½, σ = 1), bandwidths from the
 * distances to the neighbouring observations clipped to [1/min(100, n+2), 1] (the "magic clip"),
 * older observations down-weighted beyond 25; categorical kernels put mass 1 on the observed
 * choice plus `priorWeight / (n+1)` on every choice.
 */
import type { Random } from '../../random.ts';
import { logNormalMass, logSumExp, normalLogPdf, sampleTruncatedNormal } from './truncated-normal.ts';

/** Settings shared by both estimators. */
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

function mixtureLogWeights(n: number, priorWeight: number): number[] {
  const w = [...observationWeights(n), priorWeight];
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => Math.log(x / total));
}

function pickComponent(logWeights: readonly number[], rng: Random): number {
  let u = rng.next();
  for (let j = 0; j < logWeights.length; j++) {
    u -= Math.exp(logWeights[j]);
    if (u < 0) return j;
  }
  return logWeights.length - 1;
}

/** Bandwidths as Optuna's univariate rule with `consider_endpoints=False`. */
function bandwidths(mus: readonly number[], settings: ParzenSettings): number[] {
  const withPrior = [...mus, 0.5];
  const order = withPrior.map((_, i) => i).sort((a, b) => withPrior[a] - withPrior[b] || a - b);
  const sorted = [0, ...order.map((i) => withPrior[i]), 1];
  const sigmaSorted = order.map((_, k) => Math.max(sorted[k + 1] - sorted[k], sorted[k + 2] - sorted[k + 1]));
  if (sorted.length >= 4) {
    sigmaSorted[0] = sorted[2] - sorted[1];
    sigmaSorted[sigmaSorted.length - 1] = sorted[sorted.length - 2] - sorted[sorted.length - 3];
  }
  const sigmas = new Array<number>(withPrior.length);
  order.forEach((i, k) => (sigmas[i] = sigmaSorted[k]));
  const minSigma = settings.considerMagicClip ? 1 / Math.min(100, 1 + (mus.length + 1)) : 1e-12;
  return sigmas.slice(0, mus.length).map((s) => Math.min(1, Math.max(minSigma, s)));
}

/** A mixture of truncated Gaussians on [0, 1]. */
export class NumericParzen {
  private readonly mus: number[];
  private readonly sigmas: number[];
  private readonly logWeights: number[];
  private readonly logZ: number[];

  /**
   * @param observations - unit coordinates, oldest first
   * @param settings - prior weight and magic clip
   */
  constructor(observations: readonly number[], settings: ParzenSettings) {
    this.mus = [...observations, 0.5];
    this.sigmas = [...bandwidths(observations, settings), 1];
    this.logWeights = observations.length === 0 ? [0] : mixtureLogWeights(observations.length, settings.priorWeight);
    this.logZ = this.mus.map((mu, j) => logNormalMass(mu, this.sigmas[j], 0, 1));
  }

  /** @returns `n` draws: a kernel by weight, then its truncated Gaussian */
  sample(rng: Random, n: number): number[] {
    return Array.from({ length: n }, () => {
      const j = pickComponent(this.logWeights, rng);
      return sampleTruncatedNormal(this.mus[j], this.sigmas[j], rng);
    });
  }

  /**
   * @param x - a unit coordinate
   * @param bucket - for a discrete value, its bucket: the mass over it is returned instead
   * @returns the log density (or log mass) of the mixture
   */
  logDensity(x: number, bucket?: readonly [number, number]): number {
    const terms = this.mus.map((mu, j) => {
      const sigma = this.sigmas[j];
      const own = bucket === undefined ? normalLogPdf(x, mu, sigma) : logNormalMass(mu, sigma, bucket[0], bucket[1]);
      return this.logWeights[j] + own - this.logZ[j];
    });
    return logSumExp(terms);
  }
}

/** A mixture of categorical kernels. */
export class CategoricalParzen {
  private readonly rows: number[][];
  private readonly logWeights: number[];

  /**
   * @param observations - observed choice indices, oldest first
   * @param nChoices - number of choices
   * @param settings - prior weight
   */
  constructor(observations: readonly number[], nChoices: number, settings: ParzenSettings) {
    const n = observations.length;
    const floor = settings.priorWeight / (n + 1);
    this.rows = observations.map((c) => normalise(Array.from({ length: nChoices }, (_, i) => floor + (i === c ? 1 : 0))));
    this.rows.push(Array.from({ length: nChoices }, () => 1 / nChoices));
    this.logWeights = n === 0 ? [0] : mixtureLogWeights(n, settings.priorWeight);
  }

  /** @returns `n` choice indices */
  sample(rng: Random, n: number): number[] {
    return Array.from({ length: n }, () => {
      const row = this.rows[pickComponent(this.logWeights, rng)];
      let u = rng.next();
      for (let i = 0; i < row.length; i++) {
        u -= row[i];
        if (u < 0) return i;
      }
      return row.length - 1;
    });
  }

  /** @returns the log probability of choice `c` */
  logProbability(c: number): number {
    return logSumExp(this.rows.map((row, j) => this.logWeights[j] + Math.log(Math.max(row[c], 1e-300))));
  }
}

function normalise(row: number[]): number[] {
  const total = row.reduce((a, b) => a + b, 0);
  return row.map((x) => x / total);
}
