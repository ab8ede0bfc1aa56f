/**
 * Parses a whole search space document into a {@link SearchSpaceDefinition} and checks what
 * spans hyperparameters: unique names, one fidelity at most, one condition per child, no cycles.
 */

import type { TaskType } from '../data/table.ts';
import { orderByConditions } from './condition-graph.ts';
import type { JsonPath } from './json-location.ts';
import { describe, type JsonObject, type ParseContext } from './parse-context.ts';
import { parseHyperparameter } from './parse-hyperparameter.ts';
import { parseCondition, parseForbidden } from './parse-rules.ts';
import { conditionParents } from './rules.ts';
import { SEARCH_SPACE_FORMAT_VERSION, type Condition, type Hyperparameter, type SearchSpaceDefinition } from './types.ts';

const TOP_LEVEL_KEYS = [
  '$schema',
  'name',
  'format_version',
  'description',
  'task_types',
  'hyperparameters',
  'conditions',
  'forbiddens',
];

/** Definitions made by {@link parseSpaceDocument}, which need no second check. */
const parsedDefinitions = new WeakSet<SearchSpaceDefinition>();

/** @returns whether `definition` was made (and so checked) by {@link parseSpaceDocument} */
export function isParsedDefinition(definition: SearchSpaceDefinition): boolean {
  return parsedDefinitions.has(definition);
}

/**
 * Parses and checks a search space document (already decoded from JSON).
 * @param raw - the decoded document
 * @param ctx - its file and text, for error locations
 * @returns the definition, with every cross-reference checked
 * @throws SearchSpaceError naming the file, the JSON path and what was expected
 */
export function parseSpaceDocument(raw: unknown, ctx: ParseContext): SearchSpaceDefinition {
  const doc = ctx.object(raw, []);
  ctx.onlyKeys(doc, TOP_LEVEL_KEYS, []);
  const name = ctx.string(doc.name, ['name']);
  const formatVersion = ctx.number(doc.format_version, ['format_version']);
  if (formatVersion !== SEARCH_SPACE_FORMAT_VERSION) {
    throw ctx.error(['format_version'], `unsupported format_version ${formatVersion}; this metatune reads ${SEARCH_SPACE_FORMAT_VERSION}`);
  }
  const description = doc.description === undefined ? '' : ctx.string(doc.description, ['description']);
  const hyperparameters = parseHyperparameters(doc, ctx);
  const index = new Map(hyperparameters.map((hp) => [hp.name, hp]));
  const conditions = optionalList(doc, 'conditions', ctx).map((c, i) => parseCondition(c, ['conditions', i], ctx, index));
  checkConditionGraph(hyperparameters, conditions, ctx);
  const forbiddens = optionalList(doc, 'forbiddens', ctx).map((f, i) => parseForbidden(f, ['forbiddens', i], ctx, index));
  const taskTypes = parseTaskTypes(doc, ctx);
  const definition: SearchSpaceDefinition = Object.freeze({
    name,
    formatVersion,
    description,
    ...(taskTypes === undefined ? {} : { taskTypes }),
    hyperparameters,
    conditions,
    forbiddens,
    ...(ctx.file === undefined ? {} : { source: ctx.file }),
  });
  parsedDefinitions.add(definition);
  return definition;
}

function optionalList(doc: JsonObject, key: string, ctx: ParseContext): readonly unknown[] {
  return doc[key] === undefined ? [] : ctx.array(doc[key], [key]);
}

function parseHyperparameters(doc: JsonObject, ctx: ParseContext): Hyperparameter[] {
  const list = ctx.array(doc.hyperparameters, ['hyperparameters']);
  if (list.length === 0) throw ctx.error(['hyperparameters'], 'a search space needs at least one hyperparameter');
  const hps = list.map((raw, i) => parseHyperparameter(raw, ['hyperparameters', i], ctx));
  const seen = new Map<string, number>();
  let fidelityAt: number | undefined;
  hps.forEach((hp, i) => {
    const first = seen.get(hp.name);
    if (first !== undefined) {
      throw ctx.error(['hyperparameters', i, 'name'], `duplicate name '${hp.name}' (first declared at hyperparameters[${first}])`);
    }
    seen.set(hp.name, i);
    if (hp.type === 'uniform_int' && hp.fidelity) {
      if (fidelityAt !== undefined) {
        throw ctx.error(['hyperparameters', i, 'fidelity'], `only one fidelity is allowed; hyperparameters[${fidelityAt}] is one already`);
      }
      fidelityAt = i;
    }
  });
  return hps;
}

function checkConditionGraph(hps: readonly Hyperparameter[], conditions: readonly Condition[], ctx: ParseContext): void {
  const parentsOf = new Map<string, string[]>();
  conditions.forEach((c, i) => {
    const path: JsonPath = ['conditions', i];
    if (parentsOf.has(c.child)) {
      throw ctx.error([...path, 'child'], `'${c.child}' already has a condition; combine them with an 'and' or 'or'`);
    }
    const parents = conditionParents(c.when);
    if (parents.includes(c.child)) throw ctx.error(path, `'${c.child}' cannot be conditioned on itself`);
    const hp = hps.find((h) => h.name === c.child);
    if (hp?.type === 'uniform_int' && hp.fidelity) throw ctx.error([...path, 'child'], `the fidelity '${c.child}' cannot be conditional`);
    parentsOf.set(c.child, parents);
  });
  const result = orderByConditions(
    hps.map((hp) => hp.name),
    parentsOf,
  );
  if ('cycle' in result) {
    const i = conditions.findIndex((c) => c.child === result.cycle[0]);
    throw ctx.error(['conditions', i], `conditions form a cycle: ${result.cycle.join(' → ')} (each condition reads the next)`);
  }
}

function parseTaskTypes(doc: JsonObject, ctx: ParseContext): TaskType[] | undefined {
  if (doc.task_types === undefined) return undefined;
  return ctx.array(doc.task_types, ['task_types']).map((t, i) => {
    if (t === 'classification' || t === 'regression') return t;
    throw ctx.error(['task_types', i], `unknown task type ${describe(t)}; expected classification or regression`);
  });
}
