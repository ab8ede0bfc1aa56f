/**
 * `metatune evaluate <file>`: declares the options, validates them into an
 * {@link EvaluateContext} (search space loaded, configurations checked) and hands it to the action.
 */
import type { Command } from 'commander';
import { parseBackendPreference } from '../../backend/index.ts';
import type { TaskType } from '../../data/table.ts';
import { UsageError } from '../../errors.ts';
import { deriveSeed, Random } from '../../random.ts';
import { loadSearchSpace, type Configuration, type HyperparameterValue, type SearchSpace } from '../../spaces/index.ts';
import { runEvaluate, type EvaluateContext } from '../actions/evaluate.action.ts';
import { parseIntOption, parseWorkersOption, SEED_RANGE, type OptionRange } from '../options.ts';
import { parseSaveModelOption } from './save-model-option.ts';

/** Raw option values as commander gives them. */
export interface EvaluateFlags {
  space?: string;
  config?: string;
  count?: string;
  seed?: string;
  folds?: string;
  backend?: string;
  target?: string;
  task?: string;
  epochs?: string;
  workers?: string;
  saveModel?: string;
  overwrite?: boolean;
  json?: boolean;
}

/** Ranges of evaluate's numeric options. */
export const EVALUATE_RANGES = {
  count: { min: 1, max: 10_000 },
  folds: { min: 2, max: 100 },
  epochs: { min: 1, max: 10_000 },
} as const satisfies Record<string, OptionRange>;

/**
 * Registers the `evaluate` command.
 * @param program - the root program
 */
export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description('Train and score configurations of a search space on a dataset under the evaluation protocol (stratified 75/25 holdout, or k-fold).')
    .argument('<file>', 'an .arff or .csv dataset')
    .option('--space <space>', "search space: 'mlp', 'linear' or a path to a space JSON file", 'mlp')
    .option('--config <config>', "'default', 'random', or a JSON object of hyperparameters (omitted ones take their defaults)", 'default')
    .option('--count <n>', "with --config random: how many configurations to draw", '1')
    .option('--seed <n>', 'seed of training (and of --config random); the split is fixed by the protocol', '0')
    .option('--folds <k>', 'stratified k-fold cross-validation instead of the holdout')
    .option('--backend <backend>', 'auto, tensorflow-gpu, tensorflow, wasm or cpu', 'auto')
    .option('--target <name|index>', 'target column (default: the last)')
    .option('--task <task>', 'classification or regression (default: inferred)')
    .option('--epochs <n>', "training budget in epochs; replaces the configuration's max_epochs")
    .option('--workers <n>', 'worker threads for training, 0: none (default: one per core when several configurations, none for one; more than the cores or than free memory holds is clamped, with a note)')
    .option('--save-model <dir>', 'save the trained model with its preprocessing into this folder (the best configuration; k-fold: its first fold); checked before training')
    .option('--overwrite', 'with --save-model: replace an existing saved model (model.json, weights.bin, preprocessing.json)')
    .option('--json', 'print the evaluations as JSON')
    .action(async (file: string, flags: EvaluateFlags) => {
      await runEvaluate(parseEvaluateFlags(file, flags, (note) => process.stderr.write(`metatune evaluate: ${note}\n`)));
    });
}

/**
 * Validates the flags of `metatune evaluate`.
 * @param file - the dataset argument
 * @param flags - commander's option values
 * @param onNote - receives notes such as a clamped --workers
 * @returns the typed context of the action
 * @throws UsageError on a bad number, backend, task or JSON; SearchSpaceError on an unknown
 *   space or a configuration that does not fit it
 */
export function parseEvaluateFlags(file: string, flags: EvaluateFlags, onNote: (note: string) => void = () => {}): EvaluateContext {
  const seed = parseIntOption(flags.seed, '--seed', SEED_RANGE, 0);
  const count = parseIntOption(flags.count, '--count', EVALUATE_RANGES.count, 1);
  const space = loadSearchSpace(flags.space ?? 'mlp');
  if (flags.overwrite === true && flags.saveModel === undefined) throw new UsageError('--overwrite applies to --save-model only', { column: '--overwrite' });
  const configs = parseConfigs(space, flags.config ?? 'default', count, seed);
  return {
    file,
    space,
    configs,
    seed,
    folds: parseIntOption(flags.folds, '--folds', EVALUATE_RANGES.folds),
    backend: parseBackendPreference(flags.backend ?? 'auto'),
    target: flags.target,
    task: flags.task === undefined ? undefined : parseTask(flags.task),
    epochs: parseIntOption(flags.epochs, '--epochs', EVALUATE_RANGES.epochs),
    workers: parseWorkersOption(flags.workers, onNote, 0),
    saveModel: flags.saveModel === undefined ? undefined : parseSaveModelOption(flags.saveModel, flags.overwrite === true),
    overwrite: flags.overwrite === true,
    json: flags.json === true,
  };
}

/**
 * Turns `--config` into configurations of the space.
 * @param space - the search space
 * @param value - `default`, `random` or a JSON object
 * @param count - how many to draw for `random` (must be 1 otherwise)
 * @param seed - seed of the random draw
 * @returns validated configurations
 * @throws UsageError on bad JSON; SearchSpaceError on a configuration the space rejects
 */
export function parseConfigs(space: SearchSpace, value: string, count: number, seed: number): Configuration[] {
  if (value !== 'random' && count !== 1) throw new UsageError('--count applies to --config random only', { column: '--count' });
  if (value === 'default') return [space.defaultConfiguration()];
  if (value === 'random') return space.sampleRandom(new Random(deriveSeed(seed, 'cli-config')), count);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new UsageError(`--config is neither 'default', 'random' nor valid JSON (${error instanceof Error ? error.message : String(error)})`, { column: '--config' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--config JSON must be an object of hyperparameter values, got ${JSON.stringify(parsed)}`, { column: '--config' });
  }
  return [space.validateConfiguration(withDefaults(space, new Map(Object.entries(parsed))))];
}

/**
 * Completes a partial configuration: hyperparameters the user left out take their defaults when
 * active; what the user gave is kept as given (so that the space reports a wrong name, type or
 * an inactive hyperparameter).
 */
function withDefaults(space: SearchSpace, given: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const assignment: Record<string, HyperparameterValue> = {};
  for (const hp of space.hyperparameters) {
    const value = given.get(hp.name);
    assignment[hp.name] = isHyperparameterValue(value) ? value : hp.defaultValue;
  }
  return { ...space.applyConditions(assignment), ...Object.fromEntries(given) };
}

function isHyperparameterValue(value: unknown): value is HyperparameterValue {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
}

function parseTask(value: string): TaskType {
  if (value === 'classification' || value === 'regression') return value;
  throw new UsageError(`--task must be 'classification' or 'regression', got '${value}'`, { column: '--task' });
}
