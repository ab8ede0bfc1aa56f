/**
 * Writes a search space back in its file format, so that it can be stored (e.g. in the
 * meta-knowledge store) and reloaded, and fingerprints what determines its configurations.
 */

import { createHash } from 'node:crypto';
import type { ConditionClause, ForbiddenClause, Hyperparameter, SearchSpaceDefinition } from './types.ts';

/** A JSON value as written to a search space file. */
export type SpaceJson = string | number | boolean | null | SpaceJson[] | { [key: string]: SpaceJson };

function hyperparameterToJson(hp: Hyperparameter): SpaceJson {
  switch (hp.type) {
    case 'uniform_float':
      return { name: hp.name, type: hp.type, lower: hp.lower, upper: hp.upper, log: hp.log, default_value: hp.defaultValue };
    case 'uniform_int': {
      const json = { name: hp.name, type: hp.type, lower: hp.lower, upper: hp.upper, log: hp.log, default_value: hp.defaultValue };
      return hp.fidelity ? { ...json, fidelity: true } : json;
    }
    case 'categorical':
      return { name: hp.name, type: hp.type, choices: [...hp.choices], default_value: hp.defaultValue };
    case 'ordinal':
      return { name: hp.name, type: hp.type, sequence: [...hp.sequence], default_value: hp.defaultValue };
    case 'constant':
      return { name: hp.name, type: hp.type, value: hp.value };
  }
}

function clauseToJson(clause: ConditionClause): { [key: string]: SpaceJson } {
  switch (clause.type) {
    case 'and':
    case 'or':
      return { type: clause.type, conditions: clause.conditions.map(clauseToJson) };
    case 'in':
      return { type: clause.type, parent: clause.parent, values: [...clause.values] };
    default:
      return { type: clause.type, parent: clause.parent, value: clause.value };
  }
}

function forbiddenToJson(clause: ForbiddenClause): SpaceJson {
  switch (clause.type) {
    case 'and':
      return { type: 'and', clauses: clause.clauses.map(forbiddenToJson) };
    case 'in':
      return { type: 'in', name: clause.name, values: [...clause.values] };
    case 'equals':
      return { type: 'equals', name: clause.name, value: clause.value };
  }
}

/**
 * @param definition - a parsed space
 * @returns the space as a document of the file format (`parseSearchSpace` reads it back to an
 *   equal definition); per-hyperparameter descriptions are not kept
 */
export function definitionToJson(definition: SearchSpaceDefinition): { [key: string]: SpaceJson } {
  return {
    name: definition.name,
    format_version: definition.formatVersion,
    // An absent description parses to '' and must be written back absent: '' itself is refused.
    ...(definition.description === '' ? {} : { description: definition.description }),
    ...(definition.taskTypes === undefined ? {} : { task_types: [...definition.taskTypes] }),
    hyperparameters: definition.hyperparameters.map(hyperparameterToJson),
    conditions: definition.conditions.map((c) => ({ child: c.child, ...clauseToJson(c.when) })),
    forbiddens: definition.forbiddens.map(forbiddenToJson),
  };
}

/**
 * Fingerprints what decides which configurations a space holds and how they are encoded: its
 * name, format version, hyperparameters, conditions and forbiddens (not its descriptions).
 * @param definition - a parsed space
 * @returns the first 16 hex digits of the SHA-256 of that part of {@link definitionToJson}
 */
export function definitionFingerprint(definition: SearchSpaceDefinition): string {
  const { description: _description, task_types: _taskTypes, ...rest } = definitionToJson(definition);
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
}
