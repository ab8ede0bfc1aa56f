/**
 * `metatune meta-train`: declare the options, validate them into a {@link MetaTrainContext}, hand it
 * to the action.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { META_MODEL_TYPES, type MetaModelType } from '../../metamodel/types.ts';
import { runMetaTrain, type MetaTrainContext } from '../actions/meta-train.action.ts';
import { DB_OPTION_HELP, parseStoreOptions, STORAGE_OPTION_HELP } from './db-options.command.ts';
import { parseIntOption, SEED_RANGE, type OptionRange } from '../options.ts';

/** Folds of held-out tasks (more than the tasks is exact leave-one-task-out). */
export const FOLDS_RANGE: OptionRange = { min: 1, max: 10_000 };
/** Episodic training steps per ensemble member. */
export const STEPS_RANGE: OptionRange = { min: 1, max: 1_000_000 };
/** Ensemble members. */
export const ENSEMBLE_RANGE: OptionRange = { min: 1, max: 100 };

interface MetaTrainFlags {
  model?: string;
  db?: string;
  storage?: string;
  space?: string;
  folds?: string;
  steps?: string;
  ensemble?: string;
  seed?: string;
  validate?: boolean;
  json?: boolean;
}

/**
 * Registers `meta-train`.
 * @param program - the root program
 */
export function registerMetaTrainCommand(program: Command): void {
  program
    .command('meta-train')
    .description('Fit meta-models from the store, report their leave-one-task-out quality (regret@1, Spearman) and save them into the store.')
    .option('--model <type>', `learned, knn, portfolio or all`, 'learned')
    .option('--space <name>', 'search space whose evaluations to learn from', 'mlp')
    .option('--folds <n>', 'folds of held-out tasks for the quality report (≥ tasks: exact leave-one-task-out)', '5')
    .option('--no-validate', 'skip the leave-one-task-out report')
    .option('--steps <n>', 'learned: episodic training steps per ensemble member (default: 15 passes over the evaluations, at least 500)')
    .option('--ensemble <n>', 'learned: ensemble members (their spread is the uncertainty)', '3')
    .option('--seed <n>', 'seed of training and fold assignment', '0')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--json', 'print the reports as JSON')
    .action(async (flags: MetaTrainFlags) => runMetaTrain(parseMetaTrainFlags(flags)));
}

/**
 * @returns the typed context
 * @throws UsageError on a bad option
 */
export function parseMetaTrainFlags(flags: MetaTrainFlags): MetaTrainContext {
  return {
    models: parseModelList(flags.model ?? 'learned'),
    space: parseSpaceName(flags.space ?? 'mlp', '--space'),
    folds: parseIntOption(flags.folds, '--folds', FOLDS_RANGE, 5),
    validate: flags.validate !== false,
    steps: parseIntOption(flags.steps, '--steps', STEPS_RANGE),
    ensemble: parseIntOption(flags.ensemble, '--ensemble', ENSEMBLE_RANGE, 3),
    seed: parseIntOption(flags.seed, '--seed', SEED_RANGE, 0),
    db: parseStoreOptions(flags),
    json: flags.json === true,
  };
}

/**
 * @param value - `all` or one type
 * @returns the model types
 * @throws UsageError naming the known types
 */
export function parseModelList(value: string): MetaModelType[] {
  if (value === 'all') return [...META_MODEL_TYPES];
  const type = META_MODEL_TYPES.find((t) => t === value);
  if (type === undefined) throw new UsageError(`--model must be one of ${META_MODEL_TYPES.join(', ')} or all, got '${value}'`, { column: '--model' });
  return [type];
}

/** @throws UsageError unless the name is a plain space name */
export function parseSpaceName(value: string, option: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new UsageError(`${option} must be a search space name such as mlp, got '${value}'`, { column: option });
  return value;
}
