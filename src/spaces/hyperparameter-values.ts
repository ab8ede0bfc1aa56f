/**
 * What a single hyperparameter allows and how its values map to and from the unit interval.
 *
 * Two maps exist on purpose:
 * - {@link valueFromUnit} turns a uniform draw `u ∈ [0,1)` into a value so that every legal value
 *   gets its fair share (integers own equal-width buckets `[k-½, k+½]`, on a log axis for `log`);
 *   samplers use it.
 * - {@link normalizeValue} / {@link denormalizeValue} are an exact, invertible encoding where
 *   `lower → 0` and `upper → 1` (log axis for `log`) and choice `i` of `k` → `i/(k-1)`;
 *   vectors for meta-models use it.
 */

import type { Hyperparameter, HyperparameterValue } from './types.ts';

/** Significant digits kept for float values, so equal configurations serialise identically. */
export const FLOAT_SIGNIFICANT_DIGITS = 10;

/**
 * Rounds a float to {@link FLOAT_SIGNIFICANT_DIGITS} significant digits; `-0` becomes `0`.
 * @param x - a finite number
 * @returns the rounded number
 */
export function roundSignificant(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x === 0 ? 0 : x;
  return Number(x.toPrecision(FLOAT_SIGNIFICANT_DIGITS));
}

/** @returns the finite list of values of a choice or constant hyperparameter, or undefined */
export function valueList(hp: Hyperparameter): readonly HyperparameterValue[] | undefined {
  switch (hp.type) {
    case 'categorical':
      return hp.choices;
    case 'ordinal':
      return hp.sequence;
    case 'constant':
      return [hp.value];
    default:
      return undefined;
  }
}

/**
 * @param hp - the hyperparameter
 * @param value - a candidate value
 * @returns whether `value` is legal for `hp` (type, integrality, range or membership)
 */
export function isLegalValue(hp: Hyperparameter, value: unknown): value is HyperparameterValue {
  if (hp.type === 'uniform_float' || hp.type === 'uniform_int') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    if (hp.type === 'uniform_int' && !Number.isInteger(value)) return false;
    return value >= hp.lower && value <= hp.upper;
  }
  return valueList(hp)?.some((v) => v === value) ?? false;
}

/**
 * Describes what `hp` accepts, for error messages.
 * @returns e.g. `an integer in [16, 1024] (log scale)` or `one of "relu", "elu"`
 */
export function describeDomain(hp: Hyperparameter): string {
  switch (hp.type) {
    case 'uniform_float':
    case 'uniform_int': {
      const kind = hp.type === 'uniform_int' ? 'an integer' : 'a number';
      return `${kind} in [${hp.lower}, ${hp.upper}]${hp.log ? ' (log scale)' : ''}`;
    }
    default:
      return `one of ${(valueList(hp) ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

function interpolate(lower: number, upper: number, log: boolean, t: number): number {
  if (!log) return lower + t * (upper - lower);
  return Math.exp(Math.log(lower) + t * (Math.log(upper) - Math.log(lower)));
}

function position(lower: number, upper: number, log: boolean, x: number): number {
  if (!log) return (x - lower) / (upper - lower);
  return (Math.log(x) - Math.log(lower)) / (Math.log(upper) - Math.log(lower));
}

/**
 * Turns a uniform draw into a legal value, giving each integer and each choice an equal share.
 * @param hp - the hyperparameter
 * @param u - a number in [0, 1)
 * @returns a legal value; floats are rounded to {@link FLOAT_SIGNIFICANT_DIGITS} digits
 */
export function valueFromUnit(hp: Hyperparameter, u: number): HyperparameterValue {
  switch (hp.type) {
    case 'uniform_float':
      return clamp(roundSignificant(interpolate(hp.lower, hp.upper, hp.log, u)), hp.lower, hp.upper);
    case 'uniform_int': {
      const x = interpolate(hp.lower - 0.5, hp.upper + 0.5, hp.log, u);
      return clamp(Math.round(x), hp.lower, hp.upper);
    }
    default: {
      const values = valueList(hp) ?? [];
      return values[clamp(Math.floor(u * values.length), 0, values.length - 1)];
    }
  }
}

/**
 * Encodes a legal value on [0, 1]: `lower → 0`, `upper → 1` (log axis when `log`); choice `i`
 * of `k` → `i / (k - 1)`; a constant or a single choice → 0.
 * @param hp - the hyperparameter
 * @param value - a legal value of `hp`
 * @returns the normalised coordinate
 */
export function normalizeValue(hp: Hyperparameter, value: HyperparameterValue): number {
  if (hp.type === 'uniform_float' || hp.type === 'uniform_int') {
    return clamp(position(hp.lower, hp.upper, hp.log, Number(value)), 0, 1);
  }
  const values = valueList(hp) ?? [];
  return values.length <= 1 ? 0 : values.indexOf(value) / (values.length - 1);
}

/**
 * Inverse of {@link normalizeValue}: clamps `x` to [0, 1] and returns the nearest legal value.
 * @param hp - the hyperparameter
 * @param x - a coordinate, ideally in [0, 1]
 * @returns the decoded value; floats rounded to {@link FLOAT_SIGNIFICANT_DIGITS} digits
 */
export function denormalizeValue(hp: Hyperparameter, x: number): HyperparameterValue {
  const t = clamp(x, 0, 1);
  switch (hp.type) {
    case 'uniform_float':
      return clamp(roundSignificant(interpolate(hp.lower, hp.upper, hp.log, t)), hp.lower, hp.upper);
    case 'uniform_int':
      return clamp(Math.round(interpolate(hp.lower, hp.upper, hp.log, t)), hp.lower, hp.upper);
    default: {
      const values = valueList(hp) ?? [];
      return values[values.length <= 1 ? 0 : Math.round(t * (values.length - 1))];
    }
  }
}
