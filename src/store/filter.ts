/**
 * Task filters for `db tasks --filter`: clauses such as `NumberOfInstances>1000` joined by `&&`,
 * `and` or `,`. A clause compares a meta-feature or a task field (name, taskType, source, target,
 * nRows, nFeatures, nClasses) with a number or a word; a task missing the feature fails the clause.
 */
import { UsageError } from '../errors.ts';
import type { TaskRecord } from './records.ts';

export type Comparison = '>' | '>=' | '<' | '<=' | '=' | '!=';

/** One parsed clause. */
export interface FilterClause {
  readonly field: string;
  readonly op: Comparison;
  readonly value: number | string;
}

/** A task with its meta-feature values, as filters and sorts see it. */
export interface TaskView {
  readonly task: TaskRecord;
  readonly features: Readonly<Record<string, number | null>>;
}

const CLAUSE = /^([A-Za-z_][\w.-]*)\s*(>=|<=|!=|==|=|>|<)\s*(.*)$/;
const SEPARATOR = /\s*(?:&&|,|\band\b)\s*/gi;

/**
 * Parses a filter expression.
 * @param text - e.g. `NumberOfInstances>1000 && taskType=classification`
 * @returns the clauses, all of which must hold
 * @throws UsageError at the column of the first malformed clause
 */
export function parseFilter(text: string): FilterClause[] {
  const clauses: FilterClause[] = [];
  let start = 0;
  for (const match of [...text.matchAll(SEPARATOR), null]) {
    const end = match === null ? text.length : match.index;
    clauses.push(parseClause(text.slice(start, end), start));
    if (match !== null) start = match.index + match[0].length;
  }
  return clauses;
}

function parseClause(raw: string, offset: number): FilterClause {
  const text = raw.trim();
  const column = offset + raw.indexOf(text) + 1;
  const match = CLAUSE.exec(text);
  if (match === null || match[3].trim() === '') {
    throw new UsageError(`--filter: expected FEATURE OP VALUE (OP one of > >= < <= = !=), got '${text}'`, { column });
  }
  const op: Comparison = match[2] === '==' ? '=' : parseOp(match[2]);
  const field = match[1];
  const literal = match[3].trim().replace(/^(['"])(.*)\1$/, '$2');
  if (STRING_FIELDS.has(field)) return { field, op, value: literal };
  const number = Number(literal);
  if (literal !== '' && Number.isFinite(number)) return { field, op, value: number };
  if (op === '=' || op === '!=') return { field, op, value: literal };
  throw new UsageError(`--filter: '${field} ${op} ${literal}' compares a number with '${literal}', which is not a finite number`, { column });
}

/** Task fields that hold text; every other field (nRows, nFeatures, nClasses, meta-features) is a number. */
const STRING_FIELDS: ReadonlySet<string> = new Set(['name', 'taskType', 'source', 'target']);

/** Task fields a filter or sort may name besides meta-features. */
export const TASK_FIELDS: readonly string[] = ['name', 'taskType', 'source', 'target', 'nRows', 'nFeatures', 'nClasses'];

/**
 * Refuses a field that is neither a task field nor a meta-feature of any of the tasks: a typo
 * would otherwise match no task, silently.
 * @param field - the field a filter or sort names
 * @param features - the meta-feature names the stored tasks have
 * @param option - `--filter` or `--sort`, for the message
 * @throws UsageError naming the option, with a name that differs only in case when there is one
 */
export function checkFieldKnown(field: string, features: ReadonlySet<string>, option: string): void {
  if (TASK_FIELDS.includes(field) || features.has(field)) return;
  const lower = field.toLowerCase();
  const near = [...TASK_FIELDS, ...features].find((f) => f.toLowerCase() === lower);
  const hint = near !== undefined ? `did you mean '${near}'?` : `task fields are ${TASK_FIELDS.join(', ')}; \`metatune db show <task>\` lists the meta-features`;
  throw new UsageError(`no stored task has a field or meta-feature '${field}'; ${hint}`, { column: option });
}

function parseOp(op: string): Comparison {
  const ops: readonly Comparison[] = ['>', '>=', '<', '<=', '=', '!='];
  const found = ops.find((o) => o === op);
  if (found === undefined) throw new UsageError(`--filter: unknown comparison '${op}'`);
  return found;
}

/**
 * Reads a field of a task: a task field by name, else a meta-feature.
 * @returns the value, or null when the task lacks it
 */
export function fieldValue(view: TaskView, field: string): number | string | null {
  const { task } = view;
  switch (field) {
    case 'name': return task.name;
    case 'taskType': return task.taskType;
    case 'source': return task.source;
    case 'target': return task.target;
    case 'nRows': return task.nRows;
    case 'nFeatures': return task.nFeatures;
    case 'nClasses': return task.nClasses;
    default: return view.features[field] ?? null;
  }
}

/** @returns whether the task satisfies every clause */
export function matchesFilter(view: TaskView, clauses: readonly FilterClause[]): boolean {
  return clauses.every((clause) => compare(fieldValue(view, clause.field), clause.op, clause.value));
}

function compare(actual: number | string | null, op: Comparison, expected: number | string): boolean {
  if (actual === null) return false;
  if (typeof actual !== typeof expected) return op === '!=';
  switch (op) {
    case '>': return actual > expected;
    case '>=': return actual >= expected;
    case '<': return actual < expected;
    case '<=': return actual <= expected;
    case '=': return actual === expected;
    case '!=': return actual !== expected;
  }
}
