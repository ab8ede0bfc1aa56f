/** Option parsing shared by the `db` subcommands. */
import { UsageError } from '../../errors.ts';

/** Help text of `--db`. */
export const DB_OPTION_HELP =
  'use this one SQLite database for reads and writes (default: the user database over the shipped one)';

/**
 * Parses a positive integer option.
 * @param value - the raw value, or undefined when the option was not given
 * @param option - the option's name, for the message
 * @param fallback - the value when not given
 * @throws UsageError unless the value is an integer ≥ 1
 */
export function parsePositiveInt(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${option} must be an integer ≥ 1, got '${value}'`, { column: option });
  return n;
}

/**
 * Checks a `--db` path.
 * @throws UsageError on an empty path
 */
export function parseDbPath(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UsageError('--db needs a path', { column: '--db' });
  return value;
}
