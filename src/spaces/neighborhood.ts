/**
 * The one-exchange neighbourhood of a configuration (as ConfigSpace's, used by SMAC's local
 * search): configurations that differ from it in exactly one active hyperparameter.
 */

import type { Random } from '../random.ts';
import { canonicalJson } from './canonical.ts';
import { denormalizeValue, normalizeValue } from './hyperparameter-values.ts';
import type { SearchSpace } from './search-space.ts';
import type { Configuration, Hyperparameter, HyperparameterValue } from './types.ts';

/** Options of {@link neighbors}. */
export interface NeighborOptions {
  /** Standard deviation of a numeric move, on the normalised [0, 1] axis. Default 0.2. */
  readonly stdev?: number;
  /** Moves drawn per numeric hyperparameter. Default 4. */
  readonly movesPerNumeric?: number;
}

const TRIES_PER_MOVE = 10;

function numericMoves(hp: Hyperparameter, value: HyperparameterValue, rng: Random, stdev: number, moves: number): HyperparameterValue[] {
  const x = normalizeValue(hp, value);
  const out: HyperparameterValue[] = [];
  for (let m = 0; m < moves; m++) {
    for (let t = 0; t < TRIES_PER_MOVE; t++) {
      const moved = denormalizeValue(hp, x + stdev * rng.normal());
      if (moved !== value) {
        out.push(moved);
        break;
      }
    }
  }
  return out;
}

function candidateValues(hp: Hyperparameter, value: HyperparameterValue, rng: Random, options: NeighborOptions): HyperparameterValue[] {
  switch (hp.type) {
    case 'uniform_float':
    case 'uniform_int':
      return numericMoves(hp, value, rng, options.stdev ?? 0.2, options.movesPerNumeric ?? 4);
    case 'categorical':
      return hp.choices.filter((c) => c !== value);
    case 'ordinal': {
      const i = hp.sequence.indexOf(value);
      return [hp.sequence[i - 1], hp.sequence[i + 1]].filter((v) => v !== undefined);
    }
    case 'constant':
      return [];
  }
}

/**
 * Lists configurations that change one active hyperparameter of `config`: every other choice of
 * a categorical, the adjacent values of an ordinal, and Gaussian moves of a numeric one.
 * Hyperparameters that become active take their default; forbidden and repeated neighbours are
 * dropped. The order is deterministic given `rng`.
 * @param space - the search space
 * @param config - a valid configuration
 * @param rng - the random stream for numeric moves
 * @param options - move size and count
 * @returns the neighbours, each valid
 * @throws SearchSpaceError when `config` is not valid
 */
export function neighbors(space: SearchSpace, config: Configuration, rng: Random, options: NeighborOptions = {}): Configuration[] {
  const base = space.validateConfiguration(config);
  const defaults = Object.fromEntries(space.hyperparameters.map((hp) => [hp.name, hp.defaultValue]));
  const seen = new Set([canonicalJson(base)]);
  const out: Configuration[] = [];
  for (const hp of space.hyperparameters) {
    const value = base[hp.name];
    if (value === undefined) continue;
    for (const candidate of candidateValues(hp, value, rng, options)) {
      const neighbor = space.applyConditions({ ...defaults, ...base, [hp.name]: candidate });
      const key = canonicalJson(neighbor);
      if (seen.has(key) || space.isForbidden(neighbor)) continue;
      seen.add(key);
      out.push(neighbor);
    }
  }
  return out;
}
