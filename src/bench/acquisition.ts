/** Acquisition functions for Bayesian optimisation over a candidate set. */

/**
 * Expected improvement of a Gaussian prediction over an incumbent (Jones et al., 1998).
 * @param mean - predicted mean
 * @param std - predicted standard deviation (0: the improvement itself)
 * @param incumbent - the best value so far
 * @returns E[max(0, Y − incumbent)] for Y ~ N(mean, std²)
 */
export function expectedImprovement(mean: number, std: number, incumbent: number): number {
  const gain = mean - incumbent;
  if (!(std > 1e-12)) return Math.max(0, gain);
  const z = gain / std;
  return gain * normalCdf(z) + std * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** @returns Φ(z), the standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7) */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
