/**
 * `metatune db stats | tasks | show | configs | similar`: declare the options, validate them into
 * typed contexts, hand them to the actions.
 */
import type { Command } from 'commander';
import { parseFilter } from '../../store/filter.ts';
import { runDbConfigs } from '../actions/db-configs.action.ts';
import { runDbShow } from '../actions/db-show.action.ts';
import { runDbSimilar } from '../actions/db-similar.action.ts';
import { runDbStats } from '../actions/db-stats.action.ts';
import { runDbTasks } from '../actions/db-tasks.action.ts';
import { DB_OPTION_HELP, parseStoreOptions, STORAGE_OPTION_HELP } from './db-options.command.ts';
import { parseIntOption } from '../options.ts';

interface CommonFlags {
  db?: string;
  storage?: string;
  json?: boolean;
}

/**
 * Registers the inspection subcommands on `db`.
 * @param db - the `db` command
 */
export function registerDbInspectCommands(db: Command): void {
  db.command('stats')
    .description('Counts, size on disk, evaluations per status and coverage per search space.')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--json', 'print JSON')
    .action((flags: CommonFlags) => runDbStats({ db: parseStoreOptions(flags), json: flags.json === true }));

  db.command('tasks')
    .description('List tasks; filter and sort them by any meta-feature or task field.')
    .option('--filter <expr>', "clauses such as 'NumberOfInstances>1000 && taskType=classification'")
    .option('--sort <feature>', 'sort by a meta-feature or task field (name, nRows, nFeatures, nClasses...)')
    .option('--desc', 'sort in descending order')
    .option('--limit <n>', 'show at most n tasks')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--json', 'print JSON')
    .action((flags: CommonFlags & { filter?: string; sort?: string; desc?: boolean; limit?: string }) =>
      runDbTasks({
        db: parseStoreOptions(flags),
        json: flags.json === true,
        filter: flags.filter === undefined ? [] : parseFilter(flags.filter),
        sort: flags.sort,
        desc: flags.desc === true,
        limit: flags.limit === undefined ? undefined : parseIntOption(flags.limit, '--limit', { min: 1, max: 1_000_000 }),
      }));

  db.command('show')
    .description("A task's meta-features, best configurations and score distribution.")
    .argument('<task>', 'task name (see `metatune db tasks`)')
    .option('--top <n>', 'how many best configurations', '5')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--json', 'print JSON')
    .action((task: string, flags: CommonFlags & { top?: string }) =>
      runDbShow({ db: parseStoreOptions(flags), json: flags.json === true, task, top: parseIntOption(flags.top, '--top', { min: 1, max: 10_000 }, 5) }));

  db.command('configs')
    .description('Configurations ranked by mean normalised score over tasks (or on one task).')
    .option('--task <name>', 'only evaluations on this task')
    .option('--space <name>', 'only this search space')
    .option('--top <n>', 'how many configurations', '10')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--json', 'print JSON')
    .action((flags: CommonFlags & { task?: string; space?: string; top?: string }) =>
      runDbConfigs({
        db: parseStoreOptions(flags),
        json: flags.json === true,
        task: flags.task,
        space: flags.space,
        top: parseIntOption(flags.top, '--top', { min: 1, max: 10_000 }, 10),
      }));

  db.command('similar')
    .description('Nearest stored tasks by meta-features (min-max scaled, L1), with distances.')
    .argument('<task-or-file>', 'a stored task name, or a dataset file (its meta-features are extracted)')
    .option('-k, --k <n>', 'how many neighbours', '5')
    .option('--target <name|index>', 'for a file: the target column (default: the last)')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--json', 'print JSON')
    .action((query: string, flags: CommonFlags & { k?: string; target?: string }) =>
      runDbSimilar({
        db: parseStoreOptions(flags),
        json: flags.json === true,
        query,
        target: flags.target,
        k: parseIntOption(flags.k, '--k', { min: 1, max: 10_000 }, 5),
      }));
}
