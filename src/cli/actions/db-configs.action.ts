/** `metatune db configs`: configurations ranked by mean normalised score. */
import { StoreError } from '../../errors.ts';
import { configurationLookup, rankConfigurations, type RankedConfiguration } from '../../store/summary.ts';
import type { MetaStore } from '../../store/types.ts';
import { formatTable, printJson } from '../format.ts';
import { formatConfig, withStore, type DbContext } from './db.action.ts';

export interface DbConfigsContext extends DbContext {
  readonly task?: string;
  readonly space?: string;
  readonly top: number;
}

/**
 * Prints the top configurations.
 * @throws StoreError for an unknown task or search space
 */
export async function runDbConfigs(context: DbConfigsContext): Promise<void> {
  const ranked = await withStore(context, (store) => {
    if (context.task !== undefined && store.getTask(context.task) === undefined) {
      throw new StoreError(`unknown task '${context.task}' (see \`metatune db tasks\`)`);
    }
    if (context.space !== undefined) checkSpaceKnown(store, context.space);
    const scores = store.listEvaluationScores({ task: context.task, space: context.space });
    return rankConfigurations(scores, configurationLookup(store, context.space)).slice(0, context.top);
  });
  if (context.json) printJson(ranked);
  else process.stdout.write(formatRanking(ranked));
}

/**
 * @throws StoreError when no stored space or configuration has this name (a typo would otherwise
 *   print 'no successful evaluations match')
 */
function checkSpaceKnown(store: MetaStore, space: string): void {
  const spaces = new Set([...store.listSearchSpaces().map((s) => s.name), ...store.listEvaluationScores({ space }).map((e) => e.space)]);
  if (spaces.has(space)) return;
  const stored = [...new Set(store.listSearchSpaces().map((s) => s.name))].sort();
  throw new StoreError(`unknown search space '${space}'; the store has ${stored.length > 0 ? stored.join(', ') : 'none'}`, { column: '--space' });
}

/** @returns the ranking as a table */
export function formatRanking(ranked: readonly RankedConfiguration[]): string {
  if (ranked.length === 0) return 'no successful evaluations match\n';
  return formatTable(
    ['rank', 'space', 'config', 'tasks', 'mean normalised', 'mean score', 'failed', 'configuration'],
    ranked.map((c, i) => [i + 1, c.space, c.configHash, c.tasks, c.meanNormalizedScore, c.meanScore, c.failed, c.config === null ? '' : formatConfig(c.config)]),
  );
}
