/**
 * Configurations as numeric vectors for surrogate and meta-models.
 *
 * - {@link toVector}: one slot per hyperparameter, in declaration order, holding the normalised
 *   value in [0, 1] (log axis for `log`; choice `i` of `k` as `i/(k-1)`; constants 0), and NaN
 *   for an inactive hyperparameter (ConfigSpace's convention).
 * - {@link toOneHotVector}: no NaN, for models that cannot take one. Numeric, ordinal and
 *   constant hyperparameters take one slot as above; a categorical takes one slot per choice
 *   (1 for the chosen one). A conditional hyperparameter is followed by an activity slot (1 active,
 *   0 inactive) and its value slots are all 0 while inactive. {@link oneHotLabels} names the slots.
 */

import { SearchSpaceError } from '../errors.ts';
import { denormalizeValue, normalizeValue } from './hyperparameter-values.ts';
import type { SearchSpace } from './search-space.ts';
import type { Configuration, Hyperparameter, HyperparameterValue } from './types.ts';

/**
 * @param space - the search space
 * @param config - a configuration of the space (validated here)
 * @returns one coordinate per hyperparameter in [0, 1], NaN for inactive ones
 * @throws SearchSpaceError when the configuration is not valid
 */
export function toVector(space: SearchSpace, config: Configuration): Float64Array {
  const valid = space.validateConfiguration(config);
  return Float64Array.from(space.hyperparameters, (hp) => {
    const value = valid[hp.name];
    return value === undefined ? Number.NaN : normalizeValue(hp, value);
  });
}

/**
 * Decodes a vector of {@link toVector}'s layout. Coordinates are clamped to [0, 1] and rounded to
 * the nearest legal value; activity is decided by the conditions on the decoded parents, so
 * coordinates of inactive hyperparameters are ignored. Forbiddens are not checked (use
 * `validateConfiguration` or `isForbidden`).
 * @param space - the search space
 * @param vector - one coordinate per hyperparameter
 * @returns the configuration
 * @throws SearchSpaceError on a wrong length or a NaN coordinate for an active hyperparameter
 */
export function fromVector(space: SearchSpace, vector: ArrayLike<number>): Configuration {
  checkLength(space, vector, space.hyperparameters.length);
  const slotOf = new Map(space.hyperparameters.map((hp, i) => [hp.name, i]));
  return decode(space, (hp) => ({ normalized: vector[slotOf.get(hp.name) ?? -1] }));
}

/** A hyperparameter's coordinate: normalised, or already decoded (a one-hot categorical). */
type Coordinate = { readonly normalized: number } | { readonly value: HyperparameterValue };

function decode(space: SearchSpace, coordinate: (hp: Hyperparameter) => Coordinate): Configuration {
  const assignment: Record<string, HyperparameterValue> = {};
  for (const hp of space.activationOrder) {
    if (!space.isActive(hp.name, assignment)) continue;
    const c = coordinate(hp);
    if ('value' in c) {
      assignment[hp.name] = c.value;
      continue;
    }
    if (Number.isNaN(c.normalized)) {
      throw new SearchSpaceError(`vector for search space '${space.name}': '${hp.name}' is active but its coordinate is NaN`);
    }
    assignment[hp.name] = denormalizeValue(hp, c.normalized);
  }
  return space.applyConditions(assignment);
}

function checkLength(space: SearchSpace, vector: ArrayLike<number>, expected: number): void {
  if (vector.length !== expected) {
    throw new SearchSpaceError(`vector for search space '${space.name}' has ${vector.length} coordinates; expected ${expected}`);
  }
}

interface Slot {
  readonly hp: Hyperparameter;
  readonly offset: number;
  readonly width: number;
  readonly activitySlot: number | undefined;
}

function oneHotLayout(space: SearchSpace): { slots: Slot[]; length: number } {
  const slots: Slot[] = [];
  let offset = 0;
  for (const hp of space.hyperparameters) {
    const width = hp.type === 'categorical' ? hp.choices.length : 1;
    const conditional = space.conditionOn(hp.name) !== undefined;
    slots.push({ hp, offset, width, activitySlot: conditional ? offset + width : undefined });
    offset += width + (conditional ? 1 : 0);
  }
  return { slots, length: offset };
}

/** @returns a label per slot of {@link toOneHotVector}: `units`, `activation=relu`, `momentum:active` */
export function oneHotLabels(space: SearchSpace): string[] {
  const labels: string[] = [];
  for (const { hp, activitySlot } of oneHotLayout(space).slots) {
    if (hp.type === 'categorical') labels.push(...hp.choices.map((c) => `${hp.name}=${String(c)}`));
    else labels.push(hp.name);
    if (activitySlot !== undefined) labels.push(`${hp.name}:active`);
  }
  return labels;
}

/**
 * @param space - the search space
 * @param config - a configuration of the space (validated here)
 * @returns the one-hot encoding described in this module's comment; never NaN
 * @throws SearchSpaceError when the configuration is not valid
 */
export function toOneHotVector(space: SearchSpace, config: Configuration): Float64Array {
  const valid = space.validateConfiguration(config);
  const { slots, length } = oneHotLayout(space);
  const out = new Float64Array(length);
  for (const { hp, offset, activitySlot } of slots) {
    const value = valid[hp.name];
    if (value === undefined) continue;
    if (activitySlot !== undefined) out[activitySlot] = 1;
    if (hp.type === 'categorical') out[offset + hp.choices.indexOf(value)] = 1;
    else out[offset] = normalizeValue(hp, value);
  }
  return out;
}

/**
 * Decodes a vector of {@link toOneHotVector}'s layout: a categorical takes its largest slot
 * (first on ties); activity slots are ignored because the conditions decide activity.
 * @param space - the search space
 * @param vector - a vector of `oneHotLabels(space).length` slots
 * @returns the configuration (forbiddens not checked)
 * @throws SearchSpaceError on a wrong length or NaN in an active hyperparameter's slots
 */
export function fromOneHotVector(space: SearchSpace, vector: ArrayLike<number>): Configuration {
  const { slots, length } = oneHotLayout(space);
  checkLength(space, vector, length);
  const slotOf = new Map(slots.map((s) => [s.hp.name, s]));
  return decode(space, (hp) => {
    const slot = slotOf.get(hp.name);
    if (slot === undefined || hp.type !== 'categorical') return { normalized: vector[slot?.offset ?? -1] };
    let best = 0;
    for (let i = 1; i < slot.width; i++) if (vector[slot.offset + i] > vector[slot.offset + best]) best = i;
    return Number.isNaN(vector[slot.offset + best]) ? { normalized: Number.NaN } : { value: hp.choices[best] };
  });
}
