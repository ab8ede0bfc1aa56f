/**
 * Evaluates conditions and forbidden clauses on a configuration.
 *
 * Semantics (as in ConfigSpace): a condition clause on a parent that is absent (inactive) is
 * false, whatever its type; a forbidden clause on an absent hyperparameter does not match, so a
 * forbidden combination only applies when all its hyperparameters are active.
 */

import type { Configuration, ConditionClause, ForbiddenClause, Hyperparameter, HyperparameterValue } from './types.ts';

type HyperparameterIndex = ReadonlyMap<string, Hyperparameter>;

/**
 * @param clause - a condition clause
 * @param config - the values decided so far (parents come before children)
 * @param hps - hyperparameters by name, to order ordinal values
 * @returns whether the clause holds
 */
export function conditionHolds(clause: ConditionClause, config: Configuration, hps: HyperparameterIndex): boolean {
  switch (clause.type) {
    case 'and':
      return clause.conditions.every((c) => conditionHolds(c, config, hps));
    case 'or':
      return clause.conditions.some((c) => conditionHolds(c, config, hps));
    default:
      break;
  }
  const actual = config[clause.parent];
  if (actual === undefined) return false;
  switch (clause.type) {
    case 'equals':
      return actual === clause.value;
    case 'not_equals':
      return actual !== clause.value;
    case 'in':
      return clause.values.includes(actual);
    case 'greater_than':
      return compare(hps.get(clause.parent), actual, clause.value) > 0;
    case 'less_than':
      return compare(hps.get(clause.parent), actual, clause.value) < 0;
  }
}

/** Orders two values of a numeric or ordinal hyperparameter; NaN when they cannot be ordered. */
function compare(hp: Hyperparameter | undefined, a: HyperparameterValue, b: HyperparameterValue): number {
  if (hp?.type === 'ordinal') return hp.sequence.indexOf(a) - hp.sequence.indexOf(b);
  return typeof a === 'number' && typeof b === 'number' ? a - b : Number.NaN;
}

/**
 * @param clause - a forbidden clause
 * @param config - a configuration
 * @returns whether the configuration matches the clause (and is therefore forbidden)
 */
export function forbiddenMatches(clause: ForbiddenClause, config: Configuration): boolean {
  switch (clause.type) {
    case 'and':
      return clause.clauses.every((c) => forbiddenMatches(c, config));
    case 'equals':
      return config[clause.name] !== undefined && config[clause.name] === clause.value;
    case 'in': {
      const actual = config[clause.name];
      return actual !== undefined && clause.values.includes(actual);
    }
  }
}

/**
 * Writes a condition clause for people: `optimizer = "sgd-momentum"`, `(a > 1 or b in [1, 2])`.
 * @param clause - a condition clause
 * @returns the readable form
 */
export function describeCondition(clause: ConditionClause): string {
  const show = (v: HyperparameterValue) => JSON.stringify(v);
  switch (clause.type) {
    case 'and':
    case 'or':
      return `(${clause.conditions.map(describeCondition).join(` ${clause.type} `)})`;
    case 'equals':
      return `${clause.parent} = ${show(clause.value)}`;
    case 'not_equals':
      return `${clause.parent} != ${show(clause.value)}`;
    case 'in':
      return `${clause.parent} in [${clause.values.map(show).join(', ')}]`;
    case 'greater_than':
      return `${clause.parent} > ${show(clause.value)}`;
    case 'less_than':
      return `${clause.parent} < ${show(clause.value)}`;
  }
}

/** @returns the names of the parents a condition clause reads */
export function conditionParents(clause: ConditionClause): string[] {
  if (clause.type === 'and' || clause.type === 'or') return clause.conditions.flatMap(conditionParents);
  return [clause.parent];
}

/** @returns the names of the hyperparameters a forbidden clause reads */
export function forbiddenNames(clause: ForbiddenClause): string[] {
  return clause.type === 'and' ? clause.clauses.flatMap(forbiddenNames) : [clause.name];
}
