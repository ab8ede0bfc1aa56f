/** Gaussian helpers for the Parzen estimators: log density, log mass of an interval, truncated draws. */
import type { Random } from '../../random.ts';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The complementary error function, Chebyshev fit of Numerical Recipes (relative error < 1.2e-7
 * everywhere, also in the far tail, where `1 - erf` would cancel).
 * @param x - any real
 * @returns erfc(x)
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z - 1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** @returns the standard normal CDF Φ(z) */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** @returns log of the N(mu, sigma) density at x */
export function normalLogPdf(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / sigma;
  return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma);
}

/**
 * @returns log P(a ≤ X ≤ b) for X ~ N(mu, sigma), computed on the side of the tail that keeps
 *   precision (no `1 − 1` cancellation)
 */
export function logNormalMass(mu: number, sigma: number, a: number, b: number): number {
  const za = (a - mu) / sigma;
  const zb = (b - mu) / sigma;
  const mass = za > 0 ? normalCdf(-za) - normalCdf(-zb) : normalCdf(zb) - normalCdf(za);
  return Math.log(Math.max(mass, 1e-300));
}

/** @returns log Σ exp(terms), stable */
export function logSumExp(terms: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const t of terms) if (t > max) max = t;
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return max + Math.log(sum);
}

/**
 * Draws from N(mu, sigma) truncated to [0, 1] by rejection (acceptance ≥ 1/3 for mu in [0, 1]
 * and sigma ≤ 1); after 64 rejections, a uniform draw, which cannot happen in practice.
 * @returns a number in [0, 1]
 */
export function sampleTruncatedNormal(mu: number, sigma: number, rng: Random): number {
  for (let i = 0; i < 64; i++) {
    const x = mu + sigma * rng.normal();
    if (x >= 0 && x <= 1) return x;
  }
  return rng.next();
}
