/**
 * `metatune db ...`: the meta-knowledge store's commands. Inspection commands live in
 * db-inspect.command.ts, import/export/add/upgrade in db-transfer.command.ts; this file registers
 * the group (shared option parsing is in db-options.command.ts).
 */
import type { Command } from 'commander';
import { registerDbInspectCommands } from './db-inspect.command.ts';
import { registerDbTransferCommands } from './db-transfer.command.ts';
import { registerDbBuildCommand } from './db-build.command.ts';

/**
 * Registers `metatune db` and its subcommands.
 * @param program - the root program
 */
export function registerDbCommand(program: Command): void {
  const db = program
    .command('db')
    .description('Inspect and manage the meta-knowledge store (tasks, meta-features, evaluations, studies, meta-models).');
  registerDbInspectCommands(db);
  registerDbTransferCommands(db);
  registerDbBuildCommand(db);
}
