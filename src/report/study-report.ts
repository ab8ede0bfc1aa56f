/**
 * A study report: what `metatune report <study>` writes and the dashboard shows for a study.
 * {@link collectStudyReport} reads the store (study, trials, task, meta-features, the trials'
 * evaluations) and computes every plot's data; {@link studySections} draws them;
 * {@link studyReportHtml} makes the self-contained page.
 */
import { StoreError } from '../errors.ts';
import { DEFAULT_PROTOCOL } from '../evaluation/protocol.ts';
import { decodeSettings } from '../search/settings.ts';
import { ParseContext, parseSearchSpace, type SearchSpace } from '../spaces/index.ts';
import type { EvaluationRecord, JsonValue, StudyRecord, TaskRecord, TrialRecord } from '../store/records.ts';
import { vectorPerTask } from '../store/similarity.ts';
import type { MetaStore } from '../store/types.ts';
import { emptyPlot, escapeHtml, htmlPage, htmlTable, type Section } from './html.ts';
import { studyImportances, type StudyImportances } from './importance.ts';
import { projectTasks, type TaskMap } from './projection.ts';
import {
  ORIGIN_KINDS, bestTrialOf, intermediateValues, learningCurves, optimisationHistory, parallelCoordinatesData, stateCounts,
  type HistoryPoint, type IntermediateData, type OriginKind, type ParallelData, type TrialCurve,
} from './study-data.ts';
import { PALETTE, VIRIDIS, barChart, formatNumber, lineChart, parallelCoordinates, scatterMap, viridis, type AxisSpec, type Series } from './svg.ts';

/** Colours of the origin families. */
export const ORIGIN_COLORS: Readonly<Record<OriginKind, string>> = {
  'warm-start': '#e69f00', default: '#009e73', enqueued: '#cc79a7', sampler: '#0072b2', other: '#7f7f7f',
};

/** Everything a study report shows. */
export interface StudyReport {
  readonly study: StudyRecord;
  readonly task: TaskRecord | undefined;
  /** The study's space, when its settings or the store can rebuild it. */
  readonly space: SearchSpace | undefined;
  /** The name of the trials' value (the protocol's primary metric, else 'score'). */
  readonly metric: string;
  readonly sampler: string;
  readonly pruner: string;
  readonly seed: number | null;
  readonly trials: readonly TrialRecord[];
  readonly counts: ReturnType<typeof stateCounts>;
  readonly history: readonly HistoryPoint[];
  readonly parallel: ParallelData | undefined;
  readonly importances: StudyImportances | undefined;
  readonly intermediate: IntermediateData;
  readonly curves: readonly TrialCurve[];
  readonly taskMap: TaskMap | undefined;
  readonly best: { readonly trial: TrialRecord; readonly evaluation: EvaluationRecord | undefined } | undefined;
}

/** Settings of {@link collectStudyReport}. */
export interface StudyReportOptions {
  /** Nearest tasks to name (default 5). */
  readonly neighbors?: number;
  /** Seed of the importance forest (default 0). */
  readonly seed?: number;
}

function objectAt(json: JsonValue | undefined, key: string): JsonValue | undefined {
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { readonly [k: string]: JsonValue })[key] : undefined;
}

function describeComponent(json: JsonValue | undefined): string {
  const name = objectAt(json, 'name');
  return typeof name === 'string' ? name : json === undefined || json === null ? 'unknown' : 'custom';
}

function spaceOf(store: MetaStore, study: StudyRecord): SearchSpace | undefined {
  try {
    return decodeSettings(study.name, study.settings).space;
  } catch {
    const stored = store.getSearchSpace(study.space);
    if (stored === undefined) return undefined;
    try {
      return parseSearchSpace(stored.definition, new ParseContext(`search space '${study.space}' in the store`));
    } catch {
      return undefined;
    }
  }
}

/**
 * Reads a study and everything its report plots.
 * @param store - any store (read only)
 * @param name - the study's name
 * @returns the report's data
 * @throws StoreError when the store has no study of that name (the message lists some that exist)
 */
export function collectStudyReport(store: MetaStore, name: string, options: StudyReportOptions = {}): StudyReport {
  const study = store.getStudy(name);
  if (study === undefined) {
    const names = store.listStudies().map((s) => s.name);
    const hint = names.length === 0 ? 'the store has no studies (run metatune search first)' : `stored studies: ${names.slice(0, 8).join(', ')}${names.length > 8 ? `, … (${names.length})` : ''}`;
    throw new StoreError(`no study named '${name}'; ${hint}`);
  }
  const trials = store.listTrials(name);
  const task = study.task === null ? undefined : store.getTask(study.task);
  const space = spaceOf(store, study);
  const sampler = describeComponent(objectAt(study.settings, 'sampler'));
  const pruner = describeComponent(objectAt(study.settings, 'pruner'));
  const seedValue = objectAt(study.settings, 'seed');
  const evaluations: EvaluationRecord[] = [];
  if (task !== undefined) {
    for (const hash of new Set(trials.map((t) => t.configHash))) evaluations.push(...store.listEvaluations({ task: task.name, space: study.space, configHash: hash, status: 'ok' }));
  }
  const bestTrial = bestTrialOf(trials, study.direction);
  const bestEvaluation = bestTrial === undefined ? undefined : evaluations
    .filter((e) => e.configHash === bestTrial.configHash)
    .reduce<EvaluationRecord | undefined>((top, e) => (top === undefined || e.fidelity > top.fidelity ? e : top), undefined);
  const primary = task === undefined ? undefined : DEFAULT_PROTOCOL.primaryMetric[task.taskType];
  const metric = primary !== undefined && (bestEvaluation === undefined || bestEvaluation.metrics[primary] === bestEvaluation.primaryScore) ? primary : 'score';
  const vectors = vectorPerTask(store.listMetaFeatures());
  return {
    study, task, space, metric, sampler, pruner, seed: typeof seedValue === 'number' ? seedValue : null,
    trials, counts: stateCounts(trials),
    history: optimisationHistory(trials, study.direction),
    parallel: space === undefined ? undefined : parallelCoordinatesData(space, trials, study.direction),
    importances: space === undefined ? undefined : studyImportances(space, trials, { seed: options.seed ?? 0 }),
    intermediate: intermediateValues(trials, objectAt(study.settings, 'pruner')),
    curves: learningCurves(trials, evaluations),
    taskMap: vectors.length === 0 ? undefined : projectTasks(vectors, { task: task?.name, k: options.neighbors ?? 5 }),
    best: bestTrial === undefined ? undefined : { trial: bestTrial, evaluation: bestEvaluation },
  };
}

/** The plots of a study report, by `data-plot` name, in page order. */
export const STUDY_PLOTS = ['history', 'parallel-coordinates', 'importance', 'intermediate-values', 'learning-curves', 'task-map'] as const;

function kindsPresent(kinds: readonly OriginKind[]): OriginKind[] {
  return ORIGIN_KINDS.filter((k) => kinds.includes(k));
}

function historyPlot(report: StudyReport): string {
  const points = report.history.filter((p) => p.value !== null);
  if (points.length === 0) return emptyPlot('history', 'Optimisation history', 'no trial has a value yet');
  const series: Series[] = [];
  for (const kind of kindsPresent(points.map((p) => p.kind))) {
    for (const state of ['complete', 'pruned'] as const) {
      const ofKind = points.filter((p) => p.kind === kind && p.state === state);
      if (ofKind.length === 0) continue;
      series.push({
        label: state === 'complete' ? kind : `${kind} (pruned)`, color: ORIGIN_COLORS[kind], kind: 'points', marker: state === 'complete' ? 'circle' : 'cross',
        points: ofKind.map((p) => [p.number, p.value as number]),
        tooltips: ofKind.map((p) => `trial ${p.number} · ${p.origin} · ${p.state} · ${report.metric} ${formatNumber(p.value as number)}`),
        hideInLegend: state === 'pruned',
      });
    }
  }
  const best = report.history.filter((p) => p.bestSoFar !== null);
  if (best.length > 0) {
    const last = report.history[report.history.length - 1].number;
    series.unshift({ label: 'best so far', color: '#222', kind: 'step', width: 1.6, points: [...best.map((p) => [p.number, p.bestSoFar as number] as const), [last, best[best.length - 1].bestSoFar as number]] });
  }
  const pruned = points.some((p) => p.state === 'pruned');
  return lineChart({
    id: 'history', title: 'Optimisation history', x: { label: 'trial' }, y: { label: report.metric }, series,
    notes: pruned ? [{ label: 'pruned (last rung value)', color: '#444', marker: 'cross' }] : [],
  });
}

function parallelPlot(report: StudyReport): string {
  const data = report.parallel;
  if (data === undefined) return emptyPlot('parallel-coordinates', 'Parallel coordinates', "the study's search space could not be rebuilt");
  if (data.lines.length === 0) return emptyPlot('parallel-coordinates', 'Parallel coordinates', 'no complete trial yet');
  const [lo, hi] = data.scoreRange;
  const t = (v: number) => (hi > lo ? (v - lo) / (hi - lo) : 1);
  const sign = report.study.direction === 'maximize' ? 1 : -1;
  return parallelCoordinates({
    id: 'parallel-coordinates', title: `Parallel coordinates (${data.lines.length} complete trials; colour: ${report.metric})`,
    axes: data.axes.map((a) => ({ label: a.name, ticks: a.ticks })),
    lines: data.lines.map((l) => ({ values: l.coordinates, color: l.best ? '#d62728' : viridis(sign > 0 ? t(l.value) : 1 - t(l.value)), emphasis: l.best, tooltip: `trial ${l.number}: ${report.metric} ${formatNumber(l.value)}${l.best ? ' (best)' : ''}` })),
    colorLegend: { colors: sign > 0 ? VIRIDIS : [...VIRIDIS].reverse(), low: formatNumber(lo), high: formatNumber(hi), label: report.metric },
  });
}

function importancePlot(report: StudyReport): string {
  const imp = report.importances;
  if (imp === undefined) return emptyPlot('importance', 'Hyperparameter importance', "the study's search space could not be rebuilt");
  if (imp.note !== null) return emptyPlot('importance', 'Hyperparameter importance', `not computed: ${imp.note}`);
  return barChart({
    id: 'importance', title: `Hyperparameter importance (fANOVA, ${imp.trials} complete trials)`, xLabel: 'share of the first-order variance', max: 1,
    bars: imp.importances.map((r) => ({
      label: r.name, value: r.importance, spread: r.varianceFraction > 0 ? (r.std * r.importance) / r.varianceFraction : 0,
      tooltip: `${r.name}: importance ${formatNumber(r.importance)}, explains ${formatNumber(100 * r.varianceFraction)} % of the variance alone (± ${formatNumber(100 * r.std)} over trees)`,
    })),
  });
}

function intermediatePlot(report: StudyReport): string {
  const data = report.intermediate;
  if (data.curves.length === 0) return emptyPlot('intermediate-values', 'Intermediate values', 'no trial has reported an intermediate value yet');
  const series: Series[] = data.curves.map((c) => ({
    label: `trial ${c.number} (${c.state})`, color: ORIGIN_COLORS[c.kind], kind: 'line', marker: c.state === 'pruned' ? 'cross' : 'circle', dashed: c.state === 'pruned', width: 1.4, opacity: 0.85,
    points: c.points, tooltips: c.points.map(([step, v]) => `trial ${c.number} · step ${step} · ${formatNumber(v)}${c.state === 'pruned' ? ' · pruned' : ''}`), hideInLegend: true,
  }));
  const kinds = kindsPresent(data.curves.map((c) => c.kind));
  return lineChart({
    id: 'intermediate-values', title: 'Intermediate values (reported score per step)', y: { label: report.metric }, series,
    // successive halving's rungs are geometric (1, 3, 9, 27…): a log axis spaces them evenly
    x: data.rungs.length > 1 && data.curves.every((c) => c.points.every((p) => p[0] >= 1)) ? logStepAxis(data) : { label: 'step (epochs)' },
    rules: data.rungs.map((r, i) => ({ x: r, label: `rung ${i}` })),
    notes: [...kinds.map((k) => ({ label: k, color: ORIGIN_COLORS[k], marker: 'line' as const })), ...(data.curves.some((c) => c.state === 'pruned') ? [{ label: 'pruned', color: '#444', marker: 'dashed' as const }] : [])],
  });
}

/** A log step axis with the rungs as ticks (and the last step, unless it is next to the last rung). */
function logStepAxis(data: IntermediateData): AxisSpec {
  const steps = data.curves.flatMap((c) => c.points.map((p) => p[0]));
  const first = Math.min(...data.rungs, ...steps);
  const last = Math.max(...steps);
  const ticks = last > 1.3 * data.rungs[data.rungs.length - 1] ? [...data.rungs, last] : data.rungs;
  return { label: 'step (epochs, log scale)', log: true, min: first / 1.25, max: Math.max(last, ...data.rungs) * 1.25, ticks: ticks.map((v) => ({ at: v, label: String(v) })) };
}

function curvesPlot(report: StudyReport): string {
  const curves = report.curves.filter((c) => c.validLoss.some((v) => v !== null));
  if (curves.length === 0) return emptyPlot('learning-curves', 'Learning curves', 'no stored evaluation with a learning curve for these trials');
  const series: Series[] = curves.map((c) => ({
    label: `trial ${c.number}`, color: ORIGIN_COLORS[c.kind], kind: 'line', dashed: c.state === 'pruned', width: 1.3, opacity: 0.8, hideInLegend: true,
    points: c.validLoss.flatMap((v, i) => (v === null ? [] : [[i + 1, v] as const])),
  }));
  const kinds = kindsPresent(curves.map((c) => c.kind));
  const maxEpoch = Math.max(...curves.map((c) => c.validLoss.length));
  // a few near-zero losses (a small validation split fitted perfectly) would squash the rest: the
  // axis starts at the decade below the 5th percentile and lower points are clipped
  const losses = curves.flatMap((c) => c.validLoss.filter((v): v is number => v !== null && v > 0)).sort((a, b) => a - b);
  const floor = losses.length === 0 ? undefined : 10 ** Math.floor(Math.log10(losses[Math.floor(0.05 * (losses.length - 1))]));
  return lineChart({
    id: 'learning-curves', title: 'Learning curves (validation loss per epoch, longest evaluation of each trial)', x: { label: 'epoch' }, y: { label: 'validation loss (log)', log: true, min: floor }, series,
    rules: report.intermediate.rungs.filter((r) => r < maxEpoch).map((r, i) => ({ x: r, label: `rung ${i}` })),
    notes: [...kinds.map((k) => ({ label: k, color: ORIGIN_COLORS[k], marker: 'line' as const })), ...(curves.some((c) => c.state === 'pruned') ? [{ label: 'pruned', color: '#444', marker: 'dashed' as const }] : [])],
  });
}

/**
 * @param map - the projection
 * @param title - the plot's title
 * @returns the task-map plot
 */
export function taskMapPlot(map: TaskMap | undefined, title = 'The task among the store’s tasks'): string {
  if (map === undefined || map.points.length === 0) return emptyPlot('task-map', title, 'the store has no meta-features');
  const near = new Map(map.neighbors.map((n, i) => [n.task, i]));
  const axis = (c: 0 | 1) => `PC${c + 1} (${formatNumber(100 * map.explained[c])} %${map.loadings[c].length > 0 ? `: ${map.loadings[c].map((l) => `${l.weight < 0 ? '−' : ''}${l.feature}`).join(', ')}` : ''})`;
  return scatterMap({
    id: 'task-map', title, xLabel: axis(0), yLabel: axis(1),
    points: map.points.map((p) => {
      const self = p.task === map.task;
      const rank = near.get(p.task);
      return {
        x: p.x, y: p.y, label: rank === undefined ? p.task : `${rank + 1}. ${p.task}`, showLabel: self || rank !== undefined, size: self ? 7 : rank !== undefined ? 5 : 3.5,
        color: self ? '#d62728' : rank !== undefined ? PALETTE[0] : '#9aa3ad',
        tooltip: self ? `${p.task} (this study's task)` : rank !== undefined ? `${p.task}: nearest #${rank + 1}, distance ${formatNumber(map.neighbors[rank].distance)}` : p.task,
      };
    }),
    notes: [...(map.task === null ? [] : [{ label: 'this task', color: '#d62728' }]), ...(map.neighbors.length > 0 ? [{ label: 'nearest tasks', color: PALETTE[0] }] : []), { label: map.task === null ? 'stored tasks' : 'other stored tasks', color: '#9aa3ad' }],
  });
}

function configTable(config: Readonly<Record<string, number | string | boolean>>): string {
  return htmlTable(['hyperparameter', 'value'], Object.entries(config).map(([k, v]) => [escapeHtml(k), escapeHtml(typeof v === 'number' ? formatNumber(v) : String(v))]));
}

/** Options of {@link studySections}. */
export interface SectionOptions {
  /** Makes task names links (the dashboard). */
  readonly taskHref?: (task: string) => string;
}

/**
 * @returns the report's sections: summary, best configuration, the six plots, the trials
 */
export function studySections(report: StudyReport, options: SectionOptions = {}): Section[] {
  const { study, counts } = report;
  const taskName = (t: string) => (options.taskHref === undefined ? escapeHtml(t) : `<a href="${escapeHtml(options.taskHref(t))}">${escapeHtml(t)}</a>`);
  const summaryRows: [string, string][] = [
    ['task', report.task === undefined ? escapeHtml(study.task ?? '—') : `${taskName(report.task.name)} (${escapeHtml(report.task.taskType)}, ${report.task.nRows} rows, ${report.task.nFeatures} features${report.task.nClasses === null ? '' : `, ${report.task.nClasses} classes`})`],
    ['search space', escapeHtml(study.space)],
    ['direction', escapeHtml(study.direction)],
    ['sampler · pruner · seed', escapeHtml(`${report.sampler} · ${report.pruner} · ${report.seed ?? '—'}`)],
    ['trials', `${report.trials.length}: ${(['complete', 'pruned', 'failed', 'running'] as const).filter((s) => counts[s] > 0).map((s) => `<span class="pill ${s}">${counts[s]} ${s}</span>`).join(' ')}`],
    ['created', escapeHtml(study.createdAt)],
  ];
  const best = report.best;
  const bestBody = best === undefined
    ? '<p class="note">No complete trial yet.</p>'
    : `<p>Trial <b>${best.trial.number}</b> (${escapeHtml(best.trial.origin)}): ${escapeHtml(report.metric)} <b>${escapeHtml(formatNumber(best.trial.value as number))}</b>${best.evaluation === undefined ? '' : `, trained ${best.evaluation.epochsRun} epochs (budget ${best.evaluation.fidelity}) in ${formatNumber(best.evaluation.wallTimeMs / 1000)} s`}.</p>`
      + `<div class="grid"><div>${configTable(best.trial.config)}</div><div>${best.evaluation === undefined ? '<p class="note">No stored evaluation of this configuration.</p>' : htmlTable(['metric (held-out test split)', 'value'], Object.entries(best.evaluation.metrics).map(([k, v]) => [escapeHtml(k), v]), [false, true])}</div></div>`;
  const imp = report.importances;
  const impNote = imp === undefined ? '' : imp.notRated.length === 0 ? '' : `<p class="note">Not rated: ${imp.notRated.map((r) => `${escapeHtml(r.name)} (${escapeHtml(r.reason)})`).join('; ')}.</p>`;
  const map = report.taskMap;
  const neighbors = map === undefined || map.neighbors.length === 0
    ? '<p class="note">No nearest tasks (the task has no stored meta-features, or it is the only task).</p>'
    : htmlTable(['#', 'nearest task', 'distance (L1, min-max scaled)', 'features compared'], map.neighbors.map((n, i) => [i + 1, taskName(n.task), n.distance, n.compared]), [true, false, true, true]);
  const trialRows = [...report.trials].sort((a, b) => a.number - b.number).map((t) => {
    const last = t.intermediate.reduce<number>((s, v, i) => (v === null ? s : i), -1);
    return [t.number, escapeHtml(t.origin), `<span class="pill ${t.state}">${t.state}</span>`, t.value, last < 0 ? null : last, escapeHtml(t.error ?? '')];
  });
  return [
    { id: 'summary', heading: 'Study', body: htmlTable(['', ''], summaryRows) },
    { id: 'best', heading: 'Best configuration', body: bestBody },
    { id: 'history', heading: 'Optimisation history', body: `${historyPlot(report)}<p class="note">Each trial's ${escapeHtml(report.metric)} by trial number, coloured by why it was tried; crosses are pruned trials at their last reported value; the line is the best complete trial so far.${counts.failed > 0 ? ` ${counts.failed} failed trial(s) have no value.` : ''}</p>` },
    { id: 'parallel', heading: 'Parallel coordinates', body: `${parallelPlot(report)}<p class="note">One line per complete trial across the hyperparameters that varied (log axes where the space says log; a break where a conditional hyperparameter was inactive), the best in red.</p>` },
    { id: 'importance', heading: 'Hyperparameter importance', body: `${importancePlot(report)}<p class="note">fANOVA on a random forest of 64 trees fitted to the complete trials: the share of the score's variance each hyperparameter explains on its own (whiskers: spread over the trees).</p>${impNote}` },
    { id: 'intermediate', heading: 'Intermediate values', body: `${intermediatePlot(report)}<p class="note">The values each trial reported while training (at the successive-halving rungs, dashed vertical lines, and at its full budget); dashed trials were pruned.</p>` },
    { id: 'curves', heading: 'Learning curves', body: curvesPlot(report) },
    { id: 'tasks', heading: 'The task among the stored tasks', body: `${taskMapPlot(map)}<p class="note">Principal components of the meta-features, min-max scaled over ${map?.points.length ?? 0} tasks (${map?.features.length ?? 0} features); the nearest tasks are those <code>metatune db similar</code> names.</p>${neighbors}` },
    { id: 'trials', heading: 'Trials', body: htmlTable(['trial', 'origin', 'state', report.metric, 'last step', 'error'], trialRows, [true, false, false, true, true, false]) },
  ];
}

/**
 * @returns the self-contained report page of a study (no script, no external resource)
 */
export function studyReportHtml(report: StudyReport, options: { readonly generatedAt?: string } = {}): string {
  const task = report.task?.name ?? report.study.task ?? 'no task';
  return htmlPage({
    title: `metatune report · ${report.study.name}`,
    heading: `Study ${report.study.name}`,
    subtitle: escapeHtml(`task ${task} · space ${report.study.space} · ${report.trials.length} trials${options.generatedAt === undefined ? '' : ` · generated ${options.generatedAt}`}`),
    sections: studySections(report),
  });
}
