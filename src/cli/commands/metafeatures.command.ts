/**
 * `metatune metafeatures <file>`: declares the options, validates them into a
 * {@link MetaFeaturesContext} and hands it to the action.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import type { TaskType } from '../../data/table.ts';
import { parseGroups } from '../../metafeatures/index.ts';
import { runMetaFeatures, type MetaFeaturesContext } from '../actions/metafeatures.action.ts';
import { parseIntOption, SEED_RANGE } from '../options.ts';

/** Range of `--landmark-cap`: rows the landmarks are cross-validated on. */
export const LANDMARK_CAP_RANGE = { min: 2, max: 1_000_000 };

/** Raw option values as commander gives them. */
interface MetaFeaturesFlags {
  target?: string;
  task?: string;
  groups?: string;
  seed?: string;
  landmarkCap?: string;
  json?: boolean;
}

/**
 * Registers the `metafeatures` command.
 * @param program - the root program
 */
export function registerMetaFeaturesCommand(program: Command): void {
  program
    .command('metafeatures')
    .description('Compute the meta-features of a dataset (general, statistical, info-theory, pca, landmarking) and print name, value, and why a value is missing.')
    .argument('<file>', 'an .arff or .csv file')
    .option('--target <name|index>', 'target column: a name, or a 0-based index (negative counts from the end); default: the last column')
    .option('--task <task>', 'classification or regression; default: inferred from the target')
    .option('--groups <list>', 'comma-separated groups: general,statistical,info-theory,pca,landmarking (default: all)')
    .option('--seed <n>', 'seed of the landmark subsample, folds and random node (default 0)')
    .option('--landmark-cap <rows>', 'most rows the landmarks are cross-validated on (default 2000)')
    .option('--json', 'print the meta-feature vector as JSON')
    .action(async (file: string, flags: MetaFeaturesFlags) => {
      await runMetaFeatures(parseMetaFeaturesFlags(file, flags));
    });
}

/**
 * Validates the flags of `metatune metafeatures`.
 * @param file - the file argument
 * @param flags - commander's option values
 * @returns the typed context of the action
 * @throws UsageError on a bad --task, --groups, --seed or --landmark-cap
 */
export function parseMetaFeaturesFlags(file: string, flags: MetaFeaturesFlags): MetaFeaturesContext {
  return {
    file,
    target: flags.target,
    task: flags.task === undefined ? undefined : parseTask(flags.task),
    groups: flags.groups === undefined ? undefined : parseGroups(flags.groups),
    seed: parseIntOption(flags.seed, '--seed', SEED_RANGE),
    landmarkCap: parseIntOption(flags.landmarkCap, '--landmark-cap', LANDMARK_CAP_RANGE),
    json: flags.json === true,
  };
}

function parseTask(value: string): TaskType {
  if (value === 'classification' || value === 'regression') return value;
  throw new UsageError(`--task must be 'classification' or 'regression', got '${value}'`, { column: '--task' });
}
