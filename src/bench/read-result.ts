/**
 * Reading a benchmark's `bench.json` back (`metatune bench --report FILE`): the settings and every
 * per-task curve are checked, and the summary is recomputed from the curves, so a report can be
 * rendered again (or with a newer report's tables) without rerunning the benchmark.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { BENCH_METHODS, type BenchMethod } from './methods.ts';
import type { BenchResult, TaskRegrets } from './loto.ts';
import { summarize } from './summary.ts';

/**
 * @param path - a `bench.json` written by `metatune bench --out`
 * @returns the result with its summary recomputed from the per-task curves
 * @throws InputError naming the file and the field that is missing or malformed
 */
export function readBenchResult(path: string): BenchResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read a benchmark result: ${error instanceof Error ? error.message : String(error)}`, { file: path });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // JSON.parse's message quotes the text, newlines included: point at the line instead
    throw new InputError('cannot read a benchmark result: not valid JSON (a bench.json written by `metatune bench --out` is expected)', { file: path, line: jsonErrorLine(text, error) });
  }
  const fail = (field: string, expected: string): never => {
    throw new InputError(`field '${field}' must be ${expected}`, { file: path });
  };
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('(top level)', 'an object as `metatune bench --out` writes');
  const o = parsed as Record<string, unknown>;
  const space = typeof o.space === 'string' ? o.space : fail('space', 'a string');
  const count = (field: string) => (Number.isInteger(o[field]) && (o[field] as number) > 0 ? (o[field] as number) : fail(field, 'a positive integer'));
  const tasks = count('tasks');
  const folds = count('folds');
  const seeds = count('seeds');
  const seconds = typeof o.seconds === 'number' && o.seconds >= 0 ? o.seconds : fail('seconds', 'a non-negative number');
  const budgets = Array.isArray(o.budgets) && o.budgets.length > 0 && o.budgets.every((b) => Number.isInteger(b) && b > 0) ? (o.budgets as number[]) : fail('budgets', 'a non-empty array of positive integers');
  const method = (value: unknown, field: string): BenchMethod => BENCH_METHODS.find((m) => m === value) ?? fail(field, `one of ${BENCH_METHODS.join(', ')}`);
  const methods = Array.isArray(o.methods) && o.methods.length > 0 ? o.methods.map((m, i) => method(m, `methods[${i}]`)) : fail('methods', 'a non-empty array of method names');
  if (!Array.isArray(o.perTask)) return fail('perTask', 'an array of per-task curves');
  const perTask: TaskRegrets[] = o.perTask.map((entry: unknown, i: number) => {
    const field = `perTask[${i}]`;
    if (typeof entry !== 'object' || entry === null) return fail(field, 'an object with task, method and regrets');
    const e = entry as Record<string, unknown>;
    const task = typeof e.task === 'string' ? e.task : fail(`${field}.task`, 'a string');
    const m = method(e.method, `${field}.method`);
    if (!methods.includes(m)) fail(`${field}.method`, `one of the run's methods (${methods.join(', ')})`);
    const rows = Array.isArray(e.regrets) && e.regrets.length > 0 ? e.regrets : fail(`${field}.regrets`, 'a non-empty array of curves');
    const regrets = rows.map((row: unknown, s: number) =>
      Array.isArray(row) && row.length === budgets.length && row.every((v) => typeof v === 'number' && v >= 0 && v <= 1)
        ? (row as number[])
        : fail(`${field}.regrets[${s}]`, `${budgets.length} regrets in [0, 1], one per budget`),
    );
    return { task, method: m, regrets };
  });
  return { space, tasks, folds, seeds, budgets, methods, perTask, summary: summarize(perTask, methods, budgets), seconds };
}

/** @returns the 1-based line of the position JSON.parse's error names, or undefined when it names none */
function jsonErrorLine(text: string, error: unknown): number | undefined {
  const at = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  return at === null ? undefined : text.slice(0, Number(at[1])).split('\n').length;
}
