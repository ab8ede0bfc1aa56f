/**
 * Parses the `conditions[]` and `forbiddens[]` of a search space file and checks that every name
 * they use is a declared hyperparameter and every value they compare with is legal for it.
 */

import type { JsonPath } from './json-location.ts';
import { describe, type JsonObject, type ParseContext } from './parse-context.ts';
import { describeDomain, isLegalValue } from './hyperparameter-values.ts';
import type { Condition, ConditionClause, ForbiddenClause, Hyperparameter, HyperparameterValue } from './types.ts';

type HyperparameterIndex = ReadonlyMap<string, Hyperparameter>;

const CONDITION_TYPES = ['equals', 'not_equals', 'in', 'greater_than', 'less_than', 'and', 'or'];
const FORBIDDEN_TYPES = ['equals', 'in', 'and'];

/**
 * Parses one entry of `conditions[]`: `{ child, type, parent, value | values }` or
 * `{ child, type: 'and' | 'or', conditions: [clauses without child] }`.
 * @throws SearchSpaceError on an unknown child or parent, an unknown type or an illegal value
 */
export function parseCondition(raw: unknown, path: JsonPath, ctx: ParseContext, hps: HyperparameterIndex): Condition {
  const obj = ctx.object(raw, path);
  const child = ctx.string(obj.child, [...path, 'child']);
  if (!hps.has(child)) throw ctx.error([...path, 'child'], `condition on unknown hyperparameter '${child}'`);
  const when = parseConditionClause(obj, path, ctx, hps, true);
  return { child, when };
}

function parseConditionClause(
  obj: JsonObject,
  path: JsonPath,
  ctx: ParseContext,
  hps: HyperparameterIndex,
  topLevel: boolean,
): ConditionClause {
  const type = obj.type;
  if (type === 'and' || type === 'or') {
    ctx.onlyKeys(obj, topLevel ? ['child', 'type', 'conditions'] : ['type', 'conditions'], path);
    const list = ctx.array(obj.conditions, [...path, 'conditions']);
    if (list.length < 2) throw ctx.error([...path, 'conditions'], `an '${type}' needs at least two conditions`);
    const conditions = list.map((c, i) => {
      const at = [...path, 'conditions', i];
      return parseConditionClause(ctx.object(c, at), at, ctx, hps, false);
    });
    return { type, conditions };
  }
  const valueKey = type === 'in' ? 'values' : 'value';
  ctx.onlyKeys(obj, topLevel ? ['child', 'type', 'parent', valueKey] : ['type', 'parent', valueKey], path);
  const parent = lookup(obj.parent, [...path, 'parent'], ctx, hps);
  switch (type) {
    case 'equals':
    case 'not_equals':
      return { type, parent: parent.name, value: legalValue(obj.value, [...path, 'value'], ctx, parent) };
    case 'in':
      return { type, parent: parent.name, values: legalValues(obj.values, [...path, 'values'], ctx, parent) };
    case 'greater_than':
    case 'less_than':
      return { type, parent: parent.name, value: orderedValue(obj.value, [...path, 'value'], ctx, parent) };
    default:
      throw ctx.error([...path, 'type'], `unknown condition type ${describe(type)}; expected one of ${CONDITION_TYPES.join(', ')}`);
  }
}

/**
 * Parses one entry of `forbiddens[]`: `{ type: 'equals', name, value }`,
 * `{ type: 'in', name, values }` or `{ type: 'and', clauses: [...] }`.
 * @throws SearchSpaceError on an unknown name or type, or an illegal value
 */
export function parseForbidden(raw: unknown, path: JsonPath, ctx: ParseContext, hps: HyperparameterIndex): ForbiddenClause {
  const obj = ctx.object(raw, path);
  switch (obj.type) {
    case 'and': {
      ctx.onlyKeys(obj, ['type', 'clauses'], path);
      const list = ctx.array(obj.clauses, [...path, 'clauses']);
      if (list.length < 2) throw ctx.error([...path, 'clauses'], "an 'and' needs at least two clauses");
      return { type: 'and', clauses: list.map((c, i) => parseForbidden(c, [...path, 'clauses', i], ctx, hps)) };
    }
    case 'equals': {
      ctx.onlyKeys(obj, ['type', 'name', 'value'], path);
      const hp = lookup(obj.name, [...path, 'name'], ctx, hps);
      return { type: 'equals', name: hp.name, value: legalValue(obj.value, [...path, 'value'], ctx, hp) };
    }
    case 'in': {
      ctx.onlyKeys(obj, ['type', 'name', 'values'], path);
      const hp = lookup(obj.name, [...path, 'name'], ctx, hps);
      return { type: 'in', name: hp.name, values: legalValues(obj.values, [...path, 'values'], ctx, hp) };
    }
    default:
      throw ctx.error([...path, 'type'], `unknown forbidden type ${describe(obj.type)}; expected one of ${FORBIDDEN_TYPES.join(', ')}`);
  }
}

function lookup(raw: unknown, path: JsonPath, ctx: ParseContext, hps: HyperparameterIndex): Hyperparameter {
  const name = ctx.string(raw, path);
  const hp = hps.get(name);
  if (hp === undefined) throw ctx.error(path, `unknown hyperparameter '${name}'; declare it in hyperparameters[]`);
  return hp;
}

function legalValue(raw: unknown, path: JsonPath, ctx: ParseContext, hp: Hyperparameter): HyperparameterValue {
  const value = ctx.value(raw, path);
  if (!isLegalValue(hp, value)) {
    throw ctx.error(path, `${describe(value)} is not a legal value of '${hp.name}'; expected ${describeDomain(hp)}`);
  }
  return value;
}

function legalValues(raw: unknown, path: JsonPath, ctx: ParseContext, hp: Hyperparameter): HyperparameterValue[] {
  const list = ctx.array(raw, path);
  if (list.length === 0) throw ctx.error(path, 'expected at least one value');
  return list.map((v, i) => legalValue(v, [...path, i], ctx, hp));
}

function orderedValue(raw: unknown, path: JsonPath, ctx: ParseContext, hp: Hyperparameter): number | string {
  if (hp.type !== 'uniform_float' && hp.type !== 'uniform_int' && hp.type !== 'ordinal') {
    throw ctx.error(path, `'${hp.name}' is ${hp.type}; greater_than and less_than need a numeric or ordinal parent`);
  }
  const value = legalValue(raw, path, ctx, hp);
  if (typeof value === 'boolean') throw ctx.error(path, 'cannot order booleans');
  return value;
}
