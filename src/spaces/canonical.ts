/**
 * Canonical JSON and a stable hash of a configuration, so that the same configuration is stored,
 * compared and deduplicated identically wherever it came from.
 */

import { createHash } from 'node:crypto';
import { SearchSpaceError } from '../errors.ts';
import { roundSignificant } from './hyperparameter-values.ts';
import type { Configuration, HyperparameterValue } from './types.ts';

function canonicalValue(key: string, value: HyperparameterValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SearchSpaceError(`configuration value '${key}' is ${value}; expected a finite number`);
    return JSON.stringify(Number.isInteger(value) ? value : roundSignificant(value));
  }
  return JSON.stringify(value);
}

/**
 * Serialises a configuration with keys sorted by code unit, integers as integers and other
 * numbers rounded to 10 significant digits in JavaScript's shortest round-trip form (`0.001`,
 * `1e-7`), with no whitespace. Equal configurations give equal strings whatever their key order
 * or float noise below the 10th digit.
 * @param config - a configuration (validate it first; `SearchSpace.canonicalJson` does)
 * @returns the canonical JSON text
 * @throws SearchSpaceError on a NaN or infinite value, which JSON cannot hold
 */
export function canonicalJson(config: Configuration): string {
  const keys = Object.keys(config).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalValue(k, config[k])}`).join(',')}}`;
}

/**
 * @param config - a configuration (validate it first; `SearchSpace.configHash` does)
 * @returns the first 16 hexadecimal digits of the SHA-256 of its canonical JSON
 */
export function configHash(config: Configuration): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 16);
}
