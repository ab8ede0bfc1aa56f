/**
 * The shared configuration design of a meta-database build: the space's default configuration
 * first, then a scrambled Sobol design drawn with the build seed. Every task is evaluated on the
 * same list, so the store holds a dense task × configuration matrix.
 */
import { configHash, type Configuration, type SearchSpace } from '../spaces/index.ts';

/** One configuration of the design, with why it is there. */
export interface DesignPoint {
  readonly config: Configuration;
  readonly hash: string;
  /** 'default' or 'design:sobol'. */
  readonly origin: string;
}

/**
 * Builds the shared design of `n` distinct configurations.
 * @param space - the search space
 * @param n - number of configurations (≥ 1)
 * @param seed - seed of the space-filling design; equal seeds give equal designs
 * @returns `n` design points, the default first, no two with the same hash
 */
export function sharedDesign(space: SearchSpace, n: number, seed: number): DesignPoint[] {
  const points: DesignPoint[] = [];
  const seen = new Set<string>();
  const push = (config: Configuration, origin: string) => {
    const valid = space.validateConfiguration(config);
    const hash = configHash(valid);
    if (seen.has(hash) || points.length >= n) return;
    seen.add(hash);
    points.push({ config: valid, hash, origin });
  };
  push(space.defaultConfiguration(), 'default');
  let skip = 0;
  while (points.length < n) {
    const want = n - points.length;
    for (const config of space.sampleSpaceFilling(want, seed, { skip })) push(config, 'design:sobol');
    skip += want;
  }
  return points;
}
