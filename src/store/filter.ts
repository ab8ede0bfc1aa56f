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
  const literal = match[3].trim().replace(/^(['"])(.*)\1$/, '$2');
  const number = Number(literal);
  return { field: match[1], op, value: literal !== '' && Number.isFinite(number) ? number : literal };
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
