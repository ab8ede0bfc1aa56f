/**
 * The `metatune evaluate` action: load the dataset, evaluate the configurations through the
 * library (in this thread, or on a worker pool for several), print the scores as a table or JSON,
 * and optionally save the best configuration's trained model.
 */
import { activeBackend, describeAdapter, type BackendPreference } from '../../backend/index.ts';
import { loadDataset } from '../../data/index.ts';
import type { Dataset, TaskType } from '../../data/table.ts';
import { TrainingError } from '../../errors.ts';
import { evaluate, saveTrainedModel, type Evaluation } from '../../evaluation/index.ts';
import { defaultWorkers, TrainerPool } from '../../learners/index.ts';
import type { Configuration, SearchSpace } from '../../spaces/index.ts';
import { escapeText, formatTable, printJson, ProgressBar, terminalWidth, type Cell } from '../format.ts';
import { machineWorkerCap } from '../options.ts';

/** The validated options of `metatune evaluate`. */
export interface EvaluateContext {
  readonly file: string;
  readonly space: SearchSpace;
  readonly configs: readonly Configuration[];
  readonly seed: number;
  readonly folds?: number;
  readonly backend: BackendPreference;
  readonly target?: string;
  readonly task?: TaskType;
  readonly epochs?: number;
  /** Worker threads; 0 trains in this thread. Default: 0 for one configuration, otherwise one per core within free memory. */
  readonly workers?: number;
  readonly saveModel?: string;
  /** Replace an existing `model.json` in {@link saveModel}. */
  readonly overwrite?: boolean;
  readonly json: boolean;
}

/**
 * Runs the evaluations and prints them on stdout (progress on stderr when it is a terminal).
 * @param context - validated options
 * @throws DatasetError when the file cannot be read; TrainingError (exit 1) when every
 *   configuration failed, after printing them
 */
export async function runEvaluate(context: EvaluateContext): Promise<void> {
  const dataset = await loadDataset(context.file, { target: context.target, task: context.task });
  const started = performance.now();
  const evaluations = await evaluateWithWorkers(dataset, context);
  const wallSeconds = (performance.now() - started) / 1000;
  const first = evaluations[0];
  const best = bestEvaluation(evaluations);
  const saved = context.saveModel !== undefined && best !== undefined ? await saveTrainedModel(context.saveModel, best, { overwrite: context.overwrite }) : undefined;
  if (context.json) {
    printJson({ dataset: describe(dataset), wallSeconds, adapter: activeBackend()?.adapter ?? null, savedModel: saved ?? null, evaluations: evaluations.map(withoutModel) });
  } else {
    process.stdout.write(formatEvaluations(dataset, context, evaluations, wallSeconds));
    if (saved !== undefined) process.stdout.write(`model of config ${best?.configHash ?? '?'} saved to ${escapeText(saved)}\n`);
  }
  if (evaluations.every((e) => e.status === 'failed')) {
    throw new TrainingError(`every configuration failed; first reason: ${first.error ?? 'unknown'}`);
  }
}

async function evaluateWithWorkers(dataset: Dataset, context: EvaluateContext): Promise<Evaluation[]> {
  const byDefault = context.configs.length > 1 ? Math.min(machineWorkerCap().workers, defaultWorkers(context.backend)) : 0;
  const workers = Math.min(context.workers ?? byDefault, context.configs.length);
  const pool = workers > 0 ? new TrainerPool({ workers, backend: context.backend }) : undefined;
  let bar: ProgressBar | undefined;
  try {
    return await evaluate(dataset, context.space, context.configs, {
      seed: context.seed,
      folds: context.folds,
      backend: context.backend,
      epochs: context.epochs,
      pool,
      keepModels: context.saveModel !== undefined,
      onProgress: (p) => {
        bar ??= new ProgressBar(p.epochsBudget, 'evaluate');
        bar.update(p.epochsDone, `fold ${p.fold + 1}/${p.folds}`);
      },
    });
  } finally {
    bar?.finish();
    await pool?.close();
  }
}

/** @returns the successful evaluation with the highest primary score, if any */
function bestEvaluation(evaluations: readonly Evaluation[]): Evaluation | undefined {
  let best: Evaluation | undefined;
  for (const e of evaluations) {
    if (e.status === 'ok' && (best === undefined || (e.primaryScore ?? -Infinity) > (best.primaryScore ?? -Infinity))) best = e;
  }
  return best;
}

function describe(dataset: Dataset) {
  return { name: dataset.name, source: dataset.source, task: dataset.task, rows: dataset.nRows, features: dataset.features.length };
}

function withoutModel(evaluation: Evaluation): Omit<Evaluation, 'trainedModel'> {
  const { trainedModel, ...rest } = evaluation;
  void trainedModel;
  return rest;
}

/**
 * Formats evaluations for a terminal: a header, then for one configuration its metrics (per fold
 * for k-fold) and run details, for several a table of configurations by primary score.
 */
export function formatEvaluations(dataset: Dataset, context: EvaluateContext, evaluations: readonly Evaluation[], wallSeconds: number): string {
  const first = evaluations[0];
  const lines = [
    `${escapeText(dataset.name)}: ${dataset.task}, ${dataset.nRows} rows, ${dataset.features.length} features`,
    `space ${context.space.name} · protocol ${first.protocolId} · seed ${context.seed}`,
    '',
  ];
  lines.push(evaluations.length === 1 ? formatOne(first) : formatMany(evaluations));
  const backends = [...new Set(evaluations.map((e) => e.backend))].join(', ');
  const adapter = activeBackend()?.adapter;
  lines.push(`backend ${backends}${adapter === undefined ? '' : ` on ${escapeText(describeAdapter(adapter))}`} · wall time ${wallSeconds.toFixed(1)} s`);
  return lines.join('\n') + '\n';
}

function formatOne(e: Evaluation): string {
  const out = [`config ${e.configHash}: ${escapeText(JSON.stringify(e.config))}`];
  if (e.status === 'failed') {
    out.push(`status: failed: ${escapeText(e.error ?? 'no reason given')}`);
    return out.join('\n') + '\n';
  }
  const names = Object.keys(e.metrics);
  const multiFold = e.folds.length > 1;
  const headers = multiFold ? ['metric', 'mean', ...e.folds.map((f) => `fold ${f.fold + 1}`)] : ['metric', 'value'];
  const rows = names.map((name): Cell[] => [name, e.metrics[name], ...(multiFold ? e.folds.map((f) => f.metrics[name]) : [])]);
  out.push(formatTable(headers, rows, { maxWidth: terminalWidth() }).trimEnd());
  out.push(`primary: ${e.primaryMetric} (higher-is-better score ${formatScore(e.primaryScore)})`);
  const best = e.folds.map((f) => f.bestEpoch + 1).join(', ');
  out.push(`epochs: ${formatEpochs(e.epochsRun)} of ${e.fidelity} run (best ${best}) · training ${(e.wallTimeMs / 1000).toFixed(2)} s`);
  const r = e.folds[0].rows;
  out.push(`rows per fold: fit ${r.fit}, early-stopping ${r.valid}, scored ${r.test}`);
  const skipped = [...new Set(e.folds.flatMap((f) => f.aucSkippedClasses ?? []))];
  if (skipped.length > 0) out.push(`ROC AUC skipped classes absent from a scored split: ${escapeText(skipped.join(', '))}`);
  return out.join('\n') + '\n';
}

function formatMany(evaluations: readonly Evaluation[]): string {
  const order = evaluations.map((e, i) => i).sort((a, b) => (evaluations[b].primaryScore ?? -Infinity) - (evaluations[a].primaryScore ?? -Infinity));
  const metric = evaluations[0].primaryMetric;
  const rows = order.map((i): Cell[] => {
    const e = evaluations[i];
    return [i + 1, e.configHash, e.status, e.metrics[metric] ?? null, e.epochsRun, Number((e.wallTimeMs / 1000).toFixed(2)), e.error ?? ''];
  });
  return formatTable(['#', 'config', 'status', metric, 'epochs', 'seconds', 'error'], rows, { maxWidth: terminalWidth() });
}

function formatEpochs(epochs: number): string {
  return Number.isInteger(epochs) ? String(epochs) : epochs.toFixed(1);
}

function formatScore(score: number | null): string {
  return score === null ? '-' : String(Number(score.toPrecision(6)));
}
