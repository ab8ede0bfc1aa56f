/** `metatune db build`: options validated into a typed context for the build action. */
import type { Command } from 'commander';
import { runDbBuild } from '../actions/db-build.action.ts';
import { UsageError } from '../../errors.ts';
import { BACKEND_NAMES, parseBackendPreference } from '../../backend/index.ts';
import { parseStoreOptions, STORAGE_OPTION_HELP } from './db-options.command.ts';
import { parseIntOption, parseWorkersOption, SEED_RANGE } from '../options.ts';

export interface BuildFlags {
  datasets?: string;
  space: string[];
  configs?: string[];
  seed?: string;
  workers?: string;
  backend?: string;
  chunk?: string;
  only?: string;
  targets?: string;
  db?: string;
  storage?: string;
  json?: boolean;
}

/**
 * Registers `metatune db build` on the `db` group.
 * @param db - the `db` command
 */
export function registerDbBuildCommand(db: Command): void {
  db.command('build')
    .description('Build (or resume) a meta-database: meta-features and a shared design of configurations evaluated on every dataset of a folder.')
    .requiredOption('--datasets <dir>', 'folder of .arff/.csv files (searched recursively; classification/ and regression/ subfolders set the task)')
    .option('--space <name>', 'search space (repeat for several)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--configs <n>', 'configurations per task for each --space, in order (one value applies to all)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--seed <n>', 'seed of the design and of training', '0')
    .option('--workers <n>', 'training worker threads (default: one per core)')
    .option('--backend <name>', `auto|${BACKEND_NAMES.join('|')}`, 'auto')
    .option('--chunk <n>', 'configurations per round (every task gets a round before the next starts) and per transaction', '25')
    .option('--targets <file>', 'JSON object: task name → target column, for files whose target is not the last column')
    .option('--only <names>', 'comma-separated task names to build')
    .option('--db <path>', 'the database to build into (default: the user database)')
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--json', 'print the summary as JSON')
    .action((flags: BuildFlags) => runDbBuild(parseBuildFlags(flags)));
}

export function parseBuildFlags(flags: BuildFlags): Parameters<typeof runDbBuild>[0] {
  const spaces = flags.space.length > 0 ? flags.space : ['mlp'];
  const counts = (flags.configs ?? []).map((c) => parseIntOption(c, '--configs', { min: 1, max: 10_000 }, 1));
  if (counts.length > 1 && counts.length !== spaces.length) {
    throw new UsageError(`--configs was given ${counts.length} times for ${spaces.length} --space values; give one, or one per space`, { column: '--configs' });
  }
  const seed = parseIntOption(flags.seed, '--seed', SEED_RANGE, 0);
  return {
    datasets: flags.datasets ?? '',
    spaces: new Map(spaces.map((s, i) => [s, counts[i] ?? counts[0] ?? 200])),
    seed,
    workers: parseWorkersOption(flags.workers, (note) => process.stderr.write(`metatune db build: ${note}\n`)),
    backend: parseBackendPreference(flags.backend ?? 'auto'),
    chunkSize: parseIntOption(flags.chunk, '--chunk', { min: 1, max: 10_000 }, 25),
    targetsFile: flags.targets,
    only: flags.only?.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    db: parseStoreOptions(flags),
    json: flags.json === true,
    argv: process.argv.slice(2),
  };
}
