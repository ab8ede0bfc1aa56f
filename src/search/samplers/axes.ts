/**
 * How TPE sees each hyperparameter: a numeric axis on [0, 1] (floats, integers and ordinals, on a
 * log axis where `log` is set) or a categorical one. The unit coordinates are those of the space's
 * own uniform sampler (`valueFromUnit`): an integer k owns the bucket of `[k-½, k+½]` and ordinal
 * i of k owns `[i/k, (i+1)/k]`, so a discrete value's probability is a kernel's mass over its
 * bucket, as in Optuna's discrete truncated normal.
 */
import { denormalizeValue, normalizeValue, valueFromUnit } from '../../spaces/hyperparameter-values.ts';
import type { Hyperparameter, HyperparameterValue } from '../../spaces/index.ts';

/** A numeric axis: floats, integers, ordinals. */
export interface NumericAxis {
  readonly kind: 'numeric';
  readonly name: string;
  /** @returns the unit coordinate of a legal value */
  encode(value: HyperparameterValue): number;
  /** @returns the legal value at a unit coordinate */
  decode(u: number): HyperparameterValue;
  /** @returns the bucket of the discrete value at `u`, or undefined on a continuous axis */
  bucket(u: number): readonly [number, number] | undefined;
}

/** An unordered finite axis. */
export interface CategoricalAxis {
  readonly kind: 'categorical';
  readonly name: string;
  readonly choices: readonly HyperparameterValue[];
}

/** A hyperparameter with a single value. */
export interface ConstantAxis {
  readonly kind: 'constant';
  readonly name: string;
  readonly value: HyperparameterValue;
}

export type TpeAxis = NumericAxis | CategoricalAxis | ConstantAxis;

function position(lower: number, upper: number, log: boolean, x: number): number {
  const t = log ? (Math.log(x) - Math.log(lower)) / (Math.log(upper) - Math.log(lower)) : (x - lower) / (upper - lower);
  return Math.min(1, Math.max(0, t));
}

/**
 * @param hp - a hyperparameter of the space
 * @returns its TPE axis
 */
export function axisOf(hp: Hyperparameter): TpeAxis {
  switch (hp.type) {
    case 'constant':
      return { kind: 'constant', name: hp.name, value: hp.value };
    case 'categorical':
      return hp.choices.length === 1
        ? { kind: 'constant', name: hp.name, value: hp.choices[0] }
        : { kind: 'categorical', name: hp.name, choices: hp.choices };
    case 'uniform_float':
      return {
        kind: 'numeric',
        name: hp.name,
        encode: (value) => normalizeValue(hp, value),
        decode: (u) => denormalizeValue(hp, u),
        bucket: () => undefined,
      };
    case 'uniform_int': {
      const at = (x: number) => position(hp.lower - 0.5, hp.upper + 0.5, hp.log, x);
      return {
        kind: 'numeric',
        name: hp.name,
        encode: (value) => at(Number(value)),
        decode: (u) => valueFromUnit(hp, u),
        bucket: (u) => {
          const k = Number(valueFromUnit(hp, u));
          return [at(k - 0.5), at(k + 0.5)];
        },
      };
    }
    case 'ordinal': {
      const k = hp.sequence.length;
      if (k === 1) return { kind: 'constant', name: hp.name, value: hp.sequence[0] };
      return {
        kind: 'numeric',
        name: hp.name,
        encode: (value) => (hp.sequence.indexOf(value) + 0.5) / k,
        decode: (u) => valueFromUnit(hp, u),
        bucket: (u) => {
          const i = Math.min(k - 1, Math.max(0, Math.floor(u * k)));
          return [i / k, (i + 1) / k];
        },
      };
    }
  }
}
