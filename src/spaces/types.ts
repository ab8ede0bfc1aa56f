/**
 * Types of a declarative search space, modelled on ConfigSpace's JSON format: typed
 * hyperparameters, conditions that switch a hyperparameter on only for some parent values, and
 * forbidden clauses that rule out combinations.
 */

import type { TaskType } from '../data/table.ts';

/** A value a hyperparameter can take. Booleans are allowed as categorical choices. */
export type HyperparameterValue = number | string | boolean;

/**
 * One point of a search space: hyperparameter name → value. Inactive (conditional)
 * hyperparameters are absent, never `null` or `undefined`.
 */
export type Configuration = Readonly<Record<string, HyperparameterValue>>;

/** A float drawn uniformly from `[lower, upper]`, or log-uniformly when `log` is set. */
export interface UniformFloatHyperparameter {
  readonly type: 'uniform_float';
  readonly name: string;
  readonly lower: number;
  readonly upper: number;
  readonly log: boolean;
  readonly defaultValue: number;
}

/**
 * An integer drawn uniformly from `{lower, …, upper}`, or log-uniformly when `log` is set.
 * At most one integer hyperparameter of a space may be the fidelity (the training budget).
 */
export interface UniformIntHyperparameter {
  readonly type: 'uniform_int';
  readonly name: string;
  readonly lower: number;
  readonly upper: number;
  readonly log: boolean;
  readonly defaultValue: number;
  readonly fidelity: boolean;
}

/** One of unordered `choices`. */
export interface CategoricalHyperparameter {
  readonly type: 'categorical';
  readonly name: string;
  readonly choices: readonly HyperparameterValue[];
  readonly defaultValue: HyperparameterValue;
}

/** One of an ordered `sequence` (e.g. `["small", "medium", "large"]`). */
export interface OrdinalHyperparameter {
  readonly type: 'ordinal';
  readonly name: string;
  readonly sequence: readonly HyperparameterValue[];
  readonly defaultValue: HyperparameterValue;
}

/** A fixed value, kept in the space so that every configuration records it. */
export interface ConstantHyperparameter {
  readonly type: 'constant';
  readonly name: string;
  readonly value: HyperparameterValue;
  readonly defaultValue: HyperparameterValue;
}

/** Every hyperparameter type, discriminated by `type`. */
export type Hyperparameter =
  | UniformFloatHyperparameter
  | UniformIntHyperparameter
  | CategoricalHyperparameter
  | OrdinalHyperparameter
  | ConstantHyperparameter;

/** The `type` tags of {@link Hyperparameter}. */
export type HyperparameterType = Hyperparameter['type'];

/** Hyperparameters whose values are numbers on an interval. */
export type NumericHyperparameter = UniformFloatHyperparameter | UniformIntHyperparameter;

/** Hyperparameters whose values are drawn from a finite list. */
export type ChoiceHyperparameter = CategoricalHyperparameter | OrdinalHyperparameter;

/** A test on one parent hyperparameter's value. */
export type ConditionClause =
  | { readonly type: 'equals'; readonly parent: string; readonly value: HyperparameterValue }
  | { readonly type: 'not_equals'; readonly parent: string; readonly value: HyperparameterValue }
  | { readonly type: 'in'; readonly parent: string; readonly values: readonly HyperparameterValue[] }
  | { readonly type: 'greater_than'; readonly parent: string; readonly value: number | string }
  | { readonly type: 'less_than'; readonly parent: string; readonly value: number | string }
  | { readonly type: 'and'; readonly conditions: readonly ConditionClause[] }
  | { readonly type: 'or'; readonly conditions: readonly ConditionClause[] };

/**
 * Makes `child` active only when `when` holds. A clause on a parent that is itself inactive
 * is false, so a child is never active under an inactive parent.
 */
export interface Condition {
  readonly child: string;
  readonly when: ConditionClause;
}

/** A forbidden combination: a configuration matching it is illegal. */
export type ForbiddenClause =
  | { readonly type: 'equals'; readonly name: string; readonly value: HyperparameterValue }
  | { readonly type: 'in'; readonly name: string; readonly values: readonly HyperparameterValue[] }
  | { readonly type: 'and'; readonly clauses: readonly ForbiddenClause[] };

/** A parsed and validated search space definition. */
export interface SearchSpaceDefinition {
  readonly name: string;
  readonly formatVersion: number;
  readonly description: string;
  /** Task types the space is meant for; absent means any. */
  readonly taskTypes?: readonly TaskType[];
  readonly hyperparameters: readonly Hyperparameter[];
  readonly conditions: readonly Condition[];
  readonly forbiddens: readonly ForbiddenClause[];
  /** Where the space was loaded from, for error messages; absent for in-memory spaces. */
  readonly source?: string;
}

/** The `format_version` this code reads and writes. */
export const SEARCH_SPACE_FORMAT_VERSION = 1;
