/** `metatune db configs`: configurations ranked by mean normalised score. */
import { StoreError } from '../../errors.ts';
import { configurationLookup, rankConfigurations, type RankedConfiguration } from '../../store/summary.ts';
import { formatTable, printJson } from '../format.ts';
import { formatConfig, withStore, type DbContext } from './db.action.ts';

export interface DbConfigsContext extends DbContext {
  readonly task?: string;
  readonly space?: string;
  readonly top: number;
}

/**
 * Prints the top configurations.
 * @throws StoreError for an unknown task
 */
export async function runDbConfigs(context: DbConfigsContext): Promise<void> {
  const ranked = await withStore(context, (store) => {
    if (context.task !== undefined && store.getTask(context.task) === undefined) {
      throw new StoreError(`unknown task '${context.task}' (see \`metatune db tasks\`)`);
    }
    const scores = store.listEvaluationScores({ task: context.task, space: context.space });
    return rankConfigurations(scores, configurationLookup(store, context.space)).slice(0, context.top);
  });
  if (context.json) printJson(ranked);
  else process.stdout.write(formatRanking(ranked));
}

/** @returns the ranking as a table */
export function formatRanking(ranked: readonly RankedConfiguration[]): string {
  if (ranked.length === 0) return 'no successful evaluations match\n';
  return formatTable(
    ['rank', 'space', 'config', 'tasks', 'mean normalised', 'mean score', 'failed', 'configuration'],
    ranked.map((c, i) => [i + 1, c.space, c.configHash, c.tasks, c.meanNormalizedScore, c.meanScore, c.failed, c.config === null ? '' : formatConfig(c.config)]),
  );
}
