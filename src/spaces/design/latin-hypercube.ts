/**
 * Latin hypercube design: each axis is cut into `n` equal slices and every slice holds exactly one
 * of the `n` points, at a uniform position inside it; the slices are matched across axes by
 * independent random permutations.
 */

import { Random } from '../../random.ts';

/**
 * Draws a Latin hypercube of `n` points in `[0, 1)^dimension`.
 * @param n - number of points
 * @param dimension - number of coordinates
 * @param seed - seed; equal seeds give equal designs
 * @returns `n` points
 */
export function latinHypercube(n: number, dimension: number, seed: number): Float64Array[] {
  const rng = new Random(seed);
  const points = Array.from({ length: n }, () => new Float64Array(dimension));
  for (let d = 0; d < dimension; d++) {
    const slices = rng.permutation(n);
    for (let i = 0; i < n; i++) points[i][d] = (slices[i] + rng.next()) / n;
  }
  return points;
}
