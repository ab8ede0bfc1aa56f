/**
 * Samplers that turn points of the unit cube into configurations: independent uniform draws, and
 * space-filling designs (scrambled Sobol' by default, Latin hypercube on request).
 *
 * A point has one coordinate per non-constant hyperparameter, in declaration order, decoded with
 * `valueFromUnit` (equal shares for every integer and choice, log axis for `log`). Conditions are
 * then applied (inactive hyperparameters dropped) and a configuration matching a forbidden is
 * rejected and replaced by the next point of the same stream.
 */

import { SearchSpaceError } from '../errors.ts';
import { deriveSeed, type Random } from '../random.ts';
import { latinHypercube } from './design/latin-hypercube.ts';
import { SOBOL_MAX_DIMENSION, SobolSequence } from './design/sobol.ts';
import { valueFromUnit } from './hyperparameter-values.ts';
import type { SearchSpace } from './search-space.ts';
import type { Configuration, HyperparameterValue } from './types.ts';

/** Which space-filling design to use. */
export type SpaceFillingDesign = 'sobol' | 'lhs';

/** Options of {@link sampleSpaceFilling}. */
export interface SpaceFillingOptions {
  /** `sobol` (default; falls back to `lhs` beyond 53 varying hyperparameters) or `lhs`. */
  readonly design?: SpaceFillingDesign;
  /**
   * Sobol only: configurations of the sequence to skip first, to continue a design drawn earlier
   * with the same seed: `(n, seed, {skip: k})` returns configurations `k … k+n-1` of the sequence.
   * A Latin hypercube is not a sequence (it depends on `n`), so `skip` with `lhs` is refused.
   * Default 0.
   */
  readonly skip?: number;
}

/** Draws allowed per requested configuration before the forbiddens are judged too restrictive. */
const MAX_DRAWS_PER_CONFIGURATION = 1000;

function decodePoint(space: SearchSpace, point: ArrayLike<number>): Configuration {
  const assignment: Record<string, HyperparameterValue> = {};
  let d = 0;
  for (const hp of space.hyperparameters) {
    assignment[hp.name] = hp.type === 'constant' ? hp.value : valueFromUnit(hp, point[d++]);
  }
  return space.applyConditions(assignment);
}

/** @returns the number of coordinates a point needs: one per non-constant hyperparameter */
export function designDimension(space: SearchSpace): number {
  return space.hyperparameters.filter((hp) => hp.type !== 'constant').length;
}

function collect(space: SearchSpace, n: number, nextPoint: () => ArrayLike<number>): Configuration[] {
  checkCount(n);
  const out: Configuration[] = [];
  const budget = Math.max(n, 1) * MAX_DRAWS_PER_CONFIGURATION;
  for (let draws = 0; out.length < n; draws++) {
    if (draws >= budget) {
      throw new SearchSpaceError(
        `search space '${space.name}': found only ${out.length} of ${n} configurations outside the forbiddens in ${budget} draws`,
      );
    }
    const config = decodePoint(space, nextPoint());
    if (!space.isForbidden(config)) out.push(config);
  }
  return out;
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`expected a non-negative integer count, got ${n}`);
}

/**
 * Draws `n` independent configurations: every coordinate uniform from `rng`, conditions applied,
 * forbidden draws rejected and redrawn.
 * @param space - the search space
 * @param rng - the random stream (advanced by the draws)
 * @param n - number of configurations
 * @returns `n` legal configurations
 * @throws SearchSpaceError when the forbiddens reject nearly every draw
 */
export function sampleRandom(space: SearchSpace, rng: Random, n: number): Configuration[] {
  const dimension = designDimension(space);
  return collect(space, n, () => Float64Array.from({ length: dimension }, () => rng.next()));
}

/**
 * Draws `n` configurations from a space-filling design, deterministic in `seed`.
 *
 * `sobol` (default): a scrambled Sobol' sequence (Joe–Kuo direction numbers, linear matrix
 * scramble and digital shift seeded by `seed`), taken in order from its first point; its balance
 * is best when `n` is a power of two. `lhs`: a Latin hypercube of `n` points; forbidden points are
 * replaced by points of further Latin hypercubes from derived seeds.
 * @param space - the search space
 * @param n - number of configurations
 * @param seed - seed of the scramble or the permutations
 * @param options - the design
 * @returns `n` legal configurations
 * @throws SearchSpaceError when the forbiddens reject nearly every point
 */
export function sampleSpaceFilling(
  space: SearchSpace,
  n: number,
  seed: number,
  options: SpaceFillingOptions = {},
): Configuration[] {
  checkCount(n);
  const skip = options.skip ?? 0;
  checkCount(skip);
  const total = n + skip;
  const dimension = Math.max(designDimension(space), 1);
  const design = options.design ?? (dimension <= SOBOL_MAX_DIMENSION ? 'sobol' : 'lhs');
  if (design === 'sobol') {
    const sobol = new SobolSequence(dimension, seed);
    return collect(space, total, () => sobol.next()).slice(skip);
  }
  if (skip > 0) throw new RangeError('skip needs the sobol design; a Latin hypercube is not a sequence');
  let batch: Float64Array[] = [];
  let round = 0;
  return collect(space, n, () => {
    if (batch.length === 0) batch = latinHypercube(Math.max(n, 1), dimension, deriveSeed(seed, 'lhs', round++)).reverse();
    return batch.pop() ?? new Float64Array(dimension);
  });
}
