/** `metatune dashboard [--port N] [--storage URL]`: declare the options, validate them, start the action. */
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { runDashboard, type DashboardContext } from '../actions/dashboard.action.ts';
import { parseStoreOptions, STORAGE_OPTION_HELP } from './db-options.command.ts';
import { parseIntOption } from '../options.ts';

export { STORAGE_OPTION_HELP };

interface DashboardFlags {
  port?: string;
  host?: string;
  storage?: string;
  db?: string;
  refresh?: string;
}

/**
 * Registers `dashboard`.
 * @param program - the root program
 */
export function registerDashboardCommand(program: Command): void {
  program
    .command('dashboard')
    .description('A local, read-only web app over the store: studies with live progress, their reports, the tasks and their meta-features, the configurations of each space across tasks.')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--host <address>', 'interface to bind', '127.0.0.1')
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--db <path>', 'read this one SQLite database (default: the user database over the shipped one)')
    .option('--refresh <seconds>', 'reload period of pages with running trials', '5')
    .action(async (flags: DashboardFlags) => runDashboard(parseDashboardFlags(flags)));
}

/**
 * @returns the typed context
 * @throws UsageError on a bad option
 */
export function parseDashboardFlags(flags: DashboardFlags): DashboardContext {
  const port = parseIntOption(flags.port, '--port', { min: 0, max: 65535 }, 8080);
  const refresh = parseIntOption(flags.refresh, '--refresh', { min: 1, max: 3600 }, 5);
  const host = (flags.host ?? '127.0.0.1').trim();
  if (host === '') throw new UsageError('--host needs an address', { column: '--host' });
  return { port, host, refreshSeconds: refresh, db: parseStoreOptions(flags) };
}
