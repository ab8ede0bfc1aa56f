/**
 * `metatune recommend <file>`: declare the options, validate them into a {@link RecommendContext},
 * hand it to the action.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { DEFAULT_RECOMMEND_POOL } from '../../metamodel/recommend.ts';
import { META_MODEL_TYPES } from '../../metamodel/types.ts';
import { runRecommend, type RecommendContext } from '../actions/recommend.action.ts';
import { DB_OPTION_HELP, parseDbPath, parsePositiveInt } from './db-options.command.ts';
import { parseSpaceName } from './meta-train.command.ts';

interface RecommendFlags {
  top?: string;
  space?: string;
  target?: string;
  model?: string;
  pool?: string;
  db?: string;
  json?: boolean;
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
    top: parsePositiveInt(flags.top, '--top', 5),
    spaces: space === 'all' ? ['mlp', 'linear'] : [space],
    target: flags.target,
    model,
    pool: flags.pool === '0' ? 0 : parsePositiveInt(flags.pool, '--pool', DEFAULT_RECOMMEND_POOL),
    db: parseDbPath(flags.db),
    json: flags.json === true,
  };
}
