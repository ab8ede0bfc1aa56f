/** Option parsing shared by the `db` subcommands. */
import { UsageError } from '../../errors.ts';

/** Help text of `--db`. */
export const DB_OPTION_HELP =
  'use this one SQLite database for reads and writes (default: the user database over the shipped one)';

/**
 * Checks a `--db` path.
 * @throws UsageError on an empty path
 */
export function parseDbPath(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UsageError('--db needs a path', { column: '--db' });
  return value;
}
