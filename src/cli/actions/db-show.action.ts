/** `metatune db show <task>`: a task's meta-features, best configurations and score distribution. */
import { StoreError } from '../../errors.ts';
import type { MetaFeatureRecord, TaskRecord } from '../../store/records.ts';
import { configurationLookup, rankConfigurations, scoreDistribution, type RankedConfiguration, type ScoreDistribution } from '../../store/summary.ts';
import type { MetaStore } from '../../store/types.ts';
import { formatTable, printJson } from '../format.ts';
import { formatConfig, withStore, type DbContext } from './db.action.ts';

export interface DbShowContext extends DbContext {
  readonly task: string;
  readonly top: number;
}

/** Everything `db show` reports about a task. */
export interface TaskReport {
  readonly task: TaskRecord;
  readonly metaFeatures: MetaFeatureRecord | null;
  readonly evaluations: { readonly ok: number; readonly failed: number };
  /** Per search space: score distribution and best configurations. */
  readonly spaces: readonly { readonly space: string; readonly scores: ScoreDistribution | null; readonly best: readonly RankedConfiguration[] }[];
}

/**
 * Prints the task's report.
 * @throws StoreError for an unknown task (exit code 2)
 */
export async function runDbShow(context: DbShowContext): Promise<void> {
  const report = await withStore(context, (store) => taskReport(store, context.task, context.top));
  if (context.json) printJson(report);
  else process.stdout.write(formatTaskReport(report));
}

/**
 * Builds a task's report.
 * @throws StoreError for an unknown task
 */
export function taskReport(store: MetaStore, name: string, top: number): TaskReport {
  const task = store.getTask(name);
  if (task === undefined) throw new StoreError(`unknown task '${name}' (see \`metatune db tasks\`)`);
  const evaluations = store.listEvaluationScores({ task: name });
  const spaces = [...new Set(evaluations.map((e) => e.space))].sort().map((space) => {
    const ofSpace = evaluations.filter((e) => e.space === space);
    return { space, scores: scoreDistribution(ofSpace), best: rankConfigurations(ofSpace, configurationLookup(store, space)).slice(0, top) };
  });
  return {
    task,
    metaFeatures: store.getMetaFeatures(name) ?? null,
    evaluations: { ok: evaluations.filter((e) => e.status === 'ok').length, failed: evaluations.filter((e) => e.status === 'failed').length },
    spaces,
  };
}

/** @returns the report as text */
export function formatTaskReport(report: TaskReport): string {
  const t = report.task;
  const classes = t.nClasses === null ? '' : `, ${t.nClasses} classes`;
  const parts = [
    `${t.name}: ${t.taskType}, ${t.nRows} rows, ${t.nFeatures} features${classes}, target '${t.target}'`,
    `source ${t.source} (sha256 ${t.contentHash.slice(0, 12)}…), registered ${t.createdAt}`,
    `evaluations: ${report.evaluations.ok} ok, ${report.evaluations.failed} failed`,
    '',
  ];
  const mf = report.metaFeatures;
  if (mf === null) parts.push('no meta-features stored\n');
  else {
    parts.push(`meta-features (extractor ${mf.extractorVersion}):`);
    parts.push(formatTable(['feature', 'value', 'missing because'], Object.keys(mf.values).sort().map((k) => [k, mf.values[k], mf.missing[k] ?? ''])));
  }
  for (const s of report.spaces) {
    const q = s.scores;
    parts.push(`space ${s.space}: ` + (q === null ? 'no successful evaluation' :
      `${q.count} scores, min ${fmt(q.min)}, q25 ${fmt(q.q25)}, median ${fmt(q.median)}, q75 ${fmt(q.q75)}, q90 ${fmt(q.q90)}, max ${fmt(q.max)}`));
    parts.push(formatTable(['rank', 'config', 'score', 'configuration'], s.best.map((c, i) => [i + 1, c.configHash, c.meanScore, c.config === null ? '' : formatConfig(c.config)])));
  }
  return parts.join('\n');
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(4)));
}
