/**
 * Parses one hyperparameter of a search space file and checks its own arguments: bounds in order,
 * log scale only on positive ranges, defaults inside the range, choices unique.
 */

import type { JsonPath } from './json-location.ts';
import type { JsonObject, ParseContext } from './parse-context.ts';
import { describe } from './parse-context.ts';
import type {
  CategoricalHyperparameter,
  ConstantHyperparameter,
  Hyperparameter,
  HyperparameterValue,
  OrdinalHyperparameter,
  UniformFloatHyperparameter,
  UniformIntHyperparameter,
} from './types.ts';

const HYPERPARAMETER_TYPES = ['uniform_float', 'uniform_int', 'categorical', 'ordinal', 'constant'];

/** Hyperparameter names: a letter, then letters, digits, `_`, `-` or `.`. */
export const HYPERPARAMETER_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

function parseName(obj: JsonObject, path: JsonPath, ctx: ParseContext): string {
  const name = ctx.string(obj.name, [...path, 'name']);
  if (!HYPERPARAMETER_NAME.test(name)) {
    throw ctx.error([...path, 'name'], `bad name ${JSON.stringify(name)}; expected a letter, then letters, digits, _, - or .`);
  }
  return name;
}

/**
 * Parses and checks one entry of `hyperparameters[]`.
 * @param raw - the JSON value
 * @param path - its JSON path, e.g. `['hyperparameters', 3]`
 * @param ctx - the document, for error locations
 * @returns the typed hyperparameter
 * @throws SearchSpaceError on an unknown type, bad bounds, a bad default or a bad choice list
 */
export function parseHyperparameter(raw: unknown, path: JsonPath, ctx: ParseContext): Hyperparameter {
  const obj = ctx.object(raw, path);
  const type = obj.type;
  switch (type) {
    case 'uniform_float':
      return parseFloatHp(obj, path, ctx);
    case 'uniform_int':
      return parseIntHp(obj, path, ctx);
    case 'categorical':
      return parseCategorical(obj, path, ctx);
    case 'ordinal':
      return parseOrdinal(obj, path, ctx);
    case 'constant':
      return parseConstant(obj, path, ctx);
    default:
      throw ctx.error([...path, 'type'], `unknown hyperparameter type ${describe(type)}; expected one of ${HYPERPARAMETER_TYPES.join(', ')}`);
  }
}

interface Bounds {
  readonly name: string;
  readonly lower: number;
  readonly upper: number;
  readonly log: boolean;
}

const NUMERIC_KEYS = ['name', 'type', 'lower', 'upper', 'log', 'default_value', 'description'];

function parseBounds(obj: JsonObject, path: JsonPath, ctx: ParseContext, integer: boolean): Bounds {
  const name = parseName(obj, path, ctx);
  const lower = ctx.number(obj.lower, [...path, 'lower']);
  const upper = ctx.number(obj.upper, [...path, 'upper']);
  const log = obj.log === undefined ? false : ctx.boolean(obj.log, [...path, 'log']);
  if (integer) checkInteger(lower, [...path, 'lower'], ctx);
  if (integer) checkInteger(upper, [...path, 'upper'], ctx);
  if (lower >= upper) {
    throw ctx.error([...path, 'lower'], `lower ${lower} must be below upper ${upper} (use a constant for a fixed value)`);
  }
  if (!Number.isFinite(upper - lower)) {
    // Sampling and encoding use upper - lower; an infinite width makes every sample Infinity or NaN.
    throw ctx.error([...path, 'upper'], `the range [${lower}, ${upper}] is too wide: upper - lower overflows`);
  }
  if (log && lower <= 0) throw ctx.error([...path, 'lower'], `a log-scale range needs lower > 0, got ${lower}`);
  return { name, lower, upper, log };
}

/** Integer bounds must be exact: past 2^53 neighbouring integers are the same double. */
function checkInteger(value: number, at: JsonPath, ctx: ParseContext): void {
  if (!Number.isInteger(value)) throw ctx.error(at, `expected an integer, got ${value}`);
  if (!Number.isSafeInteger(value)) throw ctx.error(at, `expected an integer within ±2^53 (9007199254740991), got ${value}`);
}

function parseDefault(obj: JsonObject, path: JsonPath, ctx: ParseContext, b: Bounds, integer: boolean): number {
  if (obj.default_value === undefined) {
    // Written so that no intermediate overflows: lower * upper or lower + upper could.
    const mid = b.log ? Math.exp((Math.log(b.lower) + Math.log(b.upper)) / 2) : b.lower / 2 + b.upper / 2;
    return integer ? Math.round(mid) : mid;
  }
  const at = [...path, 'default_value'];
  const value = ctx.number(obj.default_value, at);
  if (integer && !Number.isInteger(value)) throw ctx.error(at, `expected an integer, got ${value}`);
  if (value < b.lower || value > b.upper) {
    throw ctx.error(at, `default ${value} is outside [${b.lower}, ${b.upper}]`);
  }
  return value;
}

function parseFloatHp(obj: JsonObject, path: JsonPath, ctx: ParseContext): UniformFloatHyperparameter {
  ctx.onlyKeys(obj, NUMERIC_KEYS, path);
  const bounds = parseBounds(obj, path, ctx, false);
  return { type: 'uniform_float', ...bounds, defaultValue: parseDefault(obj, path, ctx, bounds, false) };
}

function parseIntHp(obj: JsonObject, path: JsonPath, ctx: ParseContext): UniformIntHyperparameter {
  ctx.onlyKeys(obj, [...NUMERIC_KEYS, 'fidelity'], path);
  const bounds = parseBounds(obj, path, ctx, true);
  const fidelity = obj.fidelity === undefined ? false : ctx.boolean(obj.fidelity, [...path, 'fidelity']);
  return { type: 'uniform_int', ...bounds, defaultValue: parseDefault(obj, path, ctx, bounds, true), fidelity };
}

function parseValueList(raw: unknown, path: JsonPath, ctx: ParseContext): HyperparameterValue[] {
  const list = ctx.array(raw, path);
  if (list.length === 0) throw ctx.error(path, 'expected at least one value');
  const values = list.map((v, i) => ctx.value(v, [...path, i]));
  const seen = new Set<HyperparameterValue>(); // not indexOf per value: quadratic on a long list
  values.forEach((v, i) => {
    if (seen.has(v)) throw ctx.error([...path, i], `duplicate value ${describe(v)}`);
    seen.add(v);
  });
  return values;
}

function parseChoiceDefault(
  obj: JsonObject,
  path: JsonPath,
  ctx: ParseContext,
  values: readonly HyperparameterValue[],
): HyperparameterValue {
  if (obj.default_value === undefined) return values[0];
  const at = [...path, 'default_value'];
  const value = ctx.value(obj.default_value, at);
  if (!values.includes(value)) {
    throw ctx.error(at, `default ${describe(value)} is not one of ${values.map(describe).join(', ')}`);
  }
  return value;
}

function parseCategorical(obj: JsonObject, path: JsonPath, ctx: ParseContext): CategoricalHyperparameter {
  ctx.onlyKeys(obj, ['name', 'type', 'choices', 'default_value', 'description'], path);
  const name = parseName(obj, path, ctx);
  const choices = parseValueList(obj.choices, [...path, 'choices'], ctx);
  return { type: 'categorical', name, choices, defaultValue: parseChoiceDefault(obj, path, ctx, choices) };
}

function parseOrdinal(obj: JsonObject, path: JsonPath, ctx: ParseContext): OrdinalHyperparameter {
  ctx.onlyKeys(obj, ['name', 'type', 'sequence', 'default_value', 'description'], path);
  const name = parseName(obj, path, ctx);
  const sequence = parseValueList(obj.sequence, [...path, 'sequence'], ctx);
  return { type: 'ordinal', name, sequence, defaultValue: parseChoiceDefault(obj, path, ctx, sequence) };
}

function parseConstant(obj: JsonObject, path: JsonPath, ctx: ParseContext): ConstantHyperparameter {
  ctx.onlyKeys(obj, ['name', 'type', 'value', 'default_value', 'description'], path);
  const name = parseName(obj, path, ctx);
  const value = ctx.value(obj.value, [...path, 'value']);
  if (obj.default_value !== undefined && obj.default_value !== value) {
    throw ctx.error([...path, 'default_value'], `a constant's default must equal its value ${describe(value)}`);
  }
  return { type: 'constant', name, value, defaultValue: value };
}
