/**
 * `metatune search <file>`: declares the options, validates them into a {@link SearchContext} and
 * hands it to the action.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { runSearchCommand, type SearchContext } from '../actions/search.action.ts';
import { DB_OPTION_HELP, parseStoreOptions, STORAGE_OPTION_HELP } from './db-options.command.ts';
import { machineWorkerCap, parseFloatOption, parseIntOption, parseWorkersOption, SEED_RANGE, type OptionRange } from '../options.ts';
import { DEFAULT_STALE_AFTER_MS } from '../../search/study.ts';
import { parseSaveModelOption } from './save-model-option.ts';
import { DEFAULT_WARM_START } from '../../search/run-search.ts';

/** Raw option values as commander gives them. */
export interface SearchFlags {
  budget?: string;
  warmStart?: string;
  sampler?: string;
  pruner?: string;
  study?: string;
  name?: string;
  grace?: string;
  workers?: string;
  batch?: string;
  seed?: string;
  space?: string;
  target?: string;
  epochs?: string;
  minEpochs?: string;
  saveModel?: string;
  overwrite?: boolean;
  db?: string;
  storage?: string;
  json?: boolean;
}

/** Ranges of search's numeric options. */
export const SEARCH_RANGES = {
  budget: { min: 1, max: 10_000 },
  warmStart: { min: 0, max: 1000 },
  batch: { min: 1, max: 1024 },
  epochs: { min: 1, max: 10_000 },
  /** --grace: seconds; a day at most */
  graceSeconds: { min: 0, max: 86_400 },
} as const satisfies Record<string, OptionRange>;

/** Default of --grace: the search layer's `DEFAULT_STALE_AFTER_MS` in seconds. */
const DEFAULT_GRACE_SECONDS = DEFAULT_STALE_AFTER_MS / 1000;

const SAMPLERS = ['meta', 'tpe', 'random'] as const;
const PRUNERS = ['sh', 'none'] as const;

/**
 * Registers `search`.
 * @param program - the root program
 */
export function registerSearchCommand(program: Command): void {
  program
    .command('search')
    .description('Search hyperparameters for a dataset: warm-started from the meta-model, refined by a sampler, persisted in the store (resume with --study).')
    .argument('<file>', 'an .arff or .csv dataset')
    .requiredOption('--budget <n>', 'trials the study should hold when done (pruned ones included)')
    .option('--warm-start <k>', "meta-model configurations to try first (0: the space's default configuration instead)", String(DEFAULT_WARM_START))
    .option('--sampler <name>', 'meta (Bayesian optimisation with the learned meta-model), tpe or random', 'meta')
    .option('--pruner <name>', 'sh (successive halving over epochs) or none', 'none')
    .option('--study <name>', 'study name: resumes the study when it exists (default: from the file hash, space and seed)')
    .option('--name <name>', "the dataset's task name in the store (default: its file name or ARFF relation); needed when that name holds other data, e.g. your own iris.csv")
    .option('--grace <seconds>', "several processes may share a study (same --study and database): a running trial whose process has sent no heartbeat for this long is taken as abandoned and re-run", String(DEFAULT_STALE_AFTER_MS / 1000))
    .option('--workers <n>', 'training worker threads (default: one per core; more than the cores or than free memory holds is clamped, with a note)')
    .option('--batch <n>', 'trials evaluated together per round (default: 2 × workers)')
    .option('--seed <n>', 'seed of the sampler and of training', '0')
    .option('--space <name>', "search space: 'mlp', 'linear' or a path to a space JSON file", 'mlp')
    .option('--target <name|index>', 'target column (default: the last)')
    .option('--epochs <n>', "full training budget of every trial in epochs (default: each configuration's max_epochs)")
    .option('--min-epochs <n>', 'successive halving: epochs of the first rung (default: full budget / 27)')
    .option('--save-model <dir>', 'retrain the best configuration and save it with its preprocessing into this folder (checked before the search)')
    .option('--overwrite', 'with --save-model: replace an existing saved model (model.json, weights.bin, preprocessing.json)')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: SearchFlags) => {
      const context = parseSearchFlags(file, flags, (note) => process.stderr.write(`metatune search: ${note}\n`));
      await runSearchCommand(context);
    });
}

/**
 * @returns the typed context
 * @throws UsageError on a bad option
 */
export function parseSearchFlags(file: string, flags: SearchFlags, onNote: (note: string) => void = () => {}): SearchContext {
  if (flags.overwrite === true && flags.saveModel === undefined) throw new UsageError('--overwrite applies to --save-model only', { column: '--overwrite' });
  return {
    file,
    budget: parseIntOption(flags.budget, '--budget', SEARCH_RANGES.budget, 1),
    warmStart: parseIntOption(flags.warmStart, '--warm-start', SEARCH_RANGES.warmStart, DEFAULT_WARM_START),
    sampler: oneOf(SAMPLERS, flags.sampler ?? 'meta', '--sampler'),
    pruner: oneOf(PRUNERS, flags.pruner ?? 'none', '--pruner'),
    study: parseStudyName(flags.study),
    name: flags.name === undefined ? undefined : parseTaskName(flags.name),
    staleAfterMs: parseFloatOption(flags.grace, '--grace', SEARCH_RANGES.graceSeconds, DEFAULT_GRACE_SECONDS) * 1000,
    workers: parseWorkersOption(flags.workers, onNote) ?? machineWorkerCap().workers,
    batchSize: parseIntOption(flags.batch, '--batch', SEARCH_RANGES.batch),
    seed: parseIntOption(flags.seed, '--seed', SEED_RANGE, 0),
    space: nonEmpty(flags.space ?? 'mlp', '--space'),
    target: flags.target,
    epochs: parseIntOption(flags.epochs, '--epochs', SEARCH_RANGES.epochs),
    minEpochs: parseIntOption(flags.minEpochs, '--min-epochs', SEARCH_RANGES.epochs),
    saveModel: flags.saveModel === undefined ? undefined : parseSaveModelOption(flags.saveModel, flags.overwrite === true),
    overwrite: flags.overwrite === true,
    db: parseStoreOptions(flags),
    json: flags.json === true,
  };
}

function oneOf<T extends string>(choices: readonly T[], value: string, option: string): T {
  const found = choices.find((c) => c === value);
  if (found === undefined) throw new UsageError(`${option} must be one of ${choices.join(', ')}, got '${value}'`, { column: option });
  return found;
}

function parseStudyName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) throw new UsageError(`--study must be a name of letters, digits, '.', '_' or '-', got '${value}'`, { column: '--study' });
  return value;
}

function parseTaskName(value: string): string {
  if (value.trim() === '' || value !== value.trim()) throw new UsageError(`--name must be a non-empty name without surrounding spaces, got '${value}'`, { column: '--name' });
  return value;
}

function nonEmpty(value: string, option: string): string {
  if (value.trim() === '') throw new UsageError(`${option} needs a value`, { column: option });
  return value;
}
