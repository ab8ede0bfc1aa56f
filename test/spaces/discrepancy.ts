/**
 * Centered L2 discrepancy (Hickernell 1998) of points in [0, 1]^d: lower is more uniform. Used by
 * the tests to compare space-filling designs with independent uniform draws.
 * @param points - n points of equal dimension
 * @returns the discrepancy (not squared)
 */
export function centeredL2Discrepancy(points: readonly ArrayLike<number>[]): number {
  const n = points.length;
  const d = points[0].length;
  let single = 0;
  for (const p of points) {
    let prod = 1;
    for (let k = 0; k < d; k++) {
      const z = Math.abs(p[k] - 0.5);
      prod *= 1 + 0.5 * z - 0.5 * z * z;
    }
    single += prod;
  }
  let pairs = 0;
  for (const p of points) {
    for (const q of points) {
      let prod = 1;
      for (let k = 0; k < d; k++) {
        prod *= 1 + 0.5 * Math.abs(p[k] - 0.5) + 0.5 * Math.abs(q[k] - 0.5) - 0.5 * Math.abs(p[k] - q[k]);
      }
      pairs += prod;
    }
  }
  return Math.sqrt((13 / 12) ** d - (2 / n) * single + pairs / (n * n));
}
