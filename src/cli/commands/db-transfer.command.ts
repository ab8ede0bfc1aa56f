/** `metatune db export | import | add | upgrade`: options validated into typed contexts. */
import type { Command } from 'commander';
import { runDbAdd } from '../actions/db-add.action.ts';
import { runDbExport, runDbImport } from '../actions/db-transfer.action.ts';
import { runDbUpgrade } from '../actions/db-upgrade.action.ts';
import { DB_OPTION_HELP, parseStoreOptions, STORAGE_OPTION_HELP } from './db-options.command.ts';

interface CommonFlags {
  db?: string;
  storage?: string;
  json?: boolean;
}

/**
 * Registers the transfer subcommands on `db`.
 * @param db - the `db` command
 */
export function registerDbTransferCommands(db: Command): void {
  db.command('export')
    .description('Write the store as JSON Lines (deterministic: equal stores export to equal bytes).')
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .action((flags: CommonFlags & { out?: string }) => runDbExport({ db: parseStoreOptions(flags), out: flags.out }));

  db.command('import')
    .description('Merge a JSON Lines export into the store, in one transaction, skipping what is stored.')
    .argument('<file>', 'a file written by `metatune db export`')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--json', 'print JSON')
    .action((file: string, flags: CommonFlags) => runDbImport({ db: parseStoreOptions(flags), json: flags.json === true, file }));

  db.command('add')
    .description('Register a dataset as a task with its meta-features.')
    .argument('<file>', 'an .arff or .csv file')
    .option('--target <name|index>', 'target column (default: the last)')
    .option('--name <name>', 'task name (default: the dataset name)')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--json', 'print JSON')
    .action((file: string, flags: CommonFlags & { target?: string; name?: string }) =>
      runDbAdd({ db: parseStoreOptions(flags), json: flags.json === true, file, target: flags.target, name: flags.name }));

  db.command('upgrade')
    .description('Apply pending schema migrations to a store (the user database, --db, or --storage: SQLite or PostgreSQL), in one transaction.')
    .option('--db <path>', 'the database to upgrade (default: the user database)')
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--json', 'print JSON')
    .action((flags: CommonFlags) => runDbUpgrade({ db: parseStoreOptions(flags), json: flags.json === true }));
}
