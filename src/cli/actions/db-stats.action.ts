/** `metatune db stats`: counts, sizes, evaluations per status and coverage per space. */
import { storeStats, type StoreStats } from '../../store/summary.ts';
import { formatTable, printJson } from '../format.ts';
import { formatBytes, withStore, type DbContext } from './db.action.ts';

/** Prints the store's statistics. */
export async function runDbStats(context: DbContext): Promise<void> {
  const stats = await withStore(context, storeStats);
  if (context.json) printJson(stats);
  else process.stdout.write(formatStats(stats));
}

/** @returns the statistics as text tables */
export function formatStats(stats: StoreStats): string {
  const locations = stats.locations.length === 0
    ? 'no database yet (run `metatune db add <file>` or `metatune db import <file>`)\n'
    : formatTable(
        ['database', 'role', 'schema', 'size'],
        stats.locations.map((l) => [l.path, l.readonly ? `${l.role} (read-only)` : l.role, l.schemaVersion, formatBytes(l.sizeBytes)]),
      );
  const counts = formatTable(['records', 'count'], Object.entries(stats.counts).map(([k, v]) => [k, v]));
  const status = `evaluations: ${stats.evaluationsByStatus.ok} ok, ${stats.evaluationsByStatus.failed} failed\n`;
  const coverage = stats.coverage.length === 0
    ? 'no evaluations yet\n'
    : formatTable(
        ['space', 'tasks', 'configs', 'task×config evaluated', 'density', 'evaluations'],
        stats.coverage.map((c) => [c.space, c.tasks, c.configurations, c.pairs, `${(100 * c.density).toFixed(1)}%`, c.evaluations]),
      );
  return [locations, counts, status, coverage].join('\n');
}
