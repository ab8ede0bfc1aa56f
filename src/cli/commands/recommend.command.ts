/**
 * `metatune recommend <file>`: declare the options, validate them into a {@link RecommendContext},
 * hand it to the action.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { DEFAULT_RECOMMEND_POOL } from '../../metamodel/recommend.ts';
import { META_MODEL_TYPES } from '../../metamodel/types.ts';
import { runRecommend, type RecommendContext } from '../actions/recommend.action.ts';
import { DB_OPTION_HELP, parseStoreOptions, STORAGE_OPTION_HELP } from './db-options.command.ts';
import { parseIntOption } from '../options.ts';

/** Range of `--top`. */
export const TOP_RANGE = { min: 1, max: 1000 };
/**
 * Range of `--pool`: space-filling samples scored besides the stored configurations. Scoring is
 * linear in the pool: `recommend examples/wdbc.csv --space mlp` took 2.1 s with the default 256
 * and 218 s (968 MB peak RSS) with 100,000, so 10,000 (about 20 s) is the cap.
 */
export const POOL_RANGE = { min: 0, max: 10_000 };
import { parseSpaceName } from './meta-train.command.ts';

interface RecommendFlags {
  top?: string;
  space?: string;
  target?: string;
  model?: string;
  pool?: string;
  db?: string;
  storage?: string;
  json?: boolean;
  wide?: boolean;
}

/**
 * Registers `recommend`.
 * @param program - the root program
 */
export function registerRecommendCommand(program: Command): void {
  program
    .command('recommend')
    .description('Recommend hyperparameters for a dataset: its meta-features, the meta-model, the top configurations with predicted score, uncertainty and the nearest past tasks.')
    .argument('<file>', 'an .arff or .csv dataset')
    .option('--top <k>', 'how many configurations', '5')
    .option('--space <name>', 'search space: mlp, linear or all (every space the store has evaluations for)', 'all')
    .option('--target <name|index>', 'target column (default: the last)')
    .option('--model <type>', 'meta-model: learned (the stored one), knn or portfolio; falls back to knn fitted on the fly when none is stored', 'learned')
    .option('--pool <n>', 'learned: also score this many space-filling samples besides the stored configurations', String(DEFAULT_RECOMMEND_POOL))
    .option('--db <path>', DB_OPTION_HELP)
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--wide', 'print every hyperparameter of each configuration (wider than 120 columns)')
    .option('--json', 'print JSON')
    .action(async (file: string, flags: RecommendFlags) => runRecommend(parseRecommendFlags(file, flags)));
}

/**
 * @returns the typed context
 * @throws UsageError on a bad option
 */
export function parseRecommendFlags(file: string, flags: RecommendFlags): RecommendContext {
  const model = META_MODEL_TYPES.find((t) => t === (flags.model ?? 'learned'));
  if (model === undefined) throw new UsageError(`--model must be one of ${META_MODEL_TYPES.join(', ')}, got '${flags.model}'`, { column: '--model' });
  const space = parseSpaceName(flags.space ?? 'all', '--space');
  return {
    file,
    top: parseIntOption(flags.top, '--top', TOP_RANGE, 5),
    spaces: space === 'all' ? ['mlp', 'linear'] : [space],
    target: flags.target,
    model,
    pool: parseIntOption(flags.pool, '--pool', POOL_RANGE, DEFAULT_RECOMMEND_POOL),
    db: parseStoreOptions(flags),
    json: flags.json === true,
    wide: flags.wide === true,
  };
}
