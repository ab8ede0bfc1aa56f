/**
 * The `metatune predict` action: load the saved model and the data file through the library,
 * predict, and print a table or JSON, or write CSV. When the file has the model's target column,
 * the predictions are scored against it (accuracy, or RMSE).
 */
import { lstat, writeFile } from 'node:fs/promises';
import { loadTable } from '../../data/index.ts';
import type { RawCell } from '../../data/encoder-write.ts';
import { UsageError } from '../../errors.ts';
import { loadSavedModel, type SavedModel } from '../../evaluation/saved-model.ts';
import type { Prediction } from '../../predictor/preprocessing.ts';
import { tableRows } from '../../predictor/table-rows.ts';
import { escapeText, formatTable, printJson, terminalWidth, type Cell } from '../format.ts';

/** The validated options of `metatune predict`. */
export interface PredictContext {
  readonly dir: string;
  readonly file: string;
  /** Write CSV here instead of printing. */
  readonly out?: string;
  readonly json: boolean;
}

/** The predictions scored against the file's target column. */
type Score = { readonly metric: 'accuracy' | 'rmse'; readonly value: number; readonly rows: number };

/**
 * Predicts on the file's rows and prints or writes them.
 * @param context - validated options
 * @throws InputError (exit 2) when the model folder or the data file cannot be read, or a column
 *   the model reads is missing; UsageError when --out names something that is not a regular file
 */
export async function runPredict(context: PredictContext): Promise<void> {
  const model = await loadSavedModel(context.dir);
  if (model.legacy) {
    process.stderr.write(`metatune predict: note: ${escapeText(context.dir)} holds a metatune 0.1 model (model.json of format "metatune.saved-model"); it predicts here, but tf.loadLayersModel and metatune/predictor cannot read it: re-save it with search/evaluate --save-model\n`);
  }
  const table = await loadTable(context.file);
  const { rows, actual } = tableRows(table, model.preprocessing);
  const prediction = model.predict(rows);
  const score = actual === undefined ? undefined : scorePredictions(prediction, actual);
  const target = model.preprocessing.targetColumn;
  if (context.out !== undefined) {
    await writeCsv(context.out, prediction, actual);
    const summary = { out: context.out, rows: rows.length, target: actual === undefined ? null : target, score: score ?? null };
    if (context.json) printJson(summary);
    else process.stdout.write(`wrote ${rows.length} predictions to ${escapeText(context.out)}\n${formatScore(score, target)}`);
    return;
  }
  if (context.json) {
    printJson({ model: describeModel(context.dir, model), file: context.file, rows: rows.length, target: actual === undefined ? null : target, score: score ?? null, predictions: jsonPredictions(prediction, actual) });
    return;
  }
  process.stdout.write(formatPredictions(prediction, actual) + formatScore(score, target));
}

function describeModel(dir: string, model: SavedModel) {
  const { dataset, learner, task, configHash, metatuneVersion } = model.info;
  return { dir, dataset, learner, task, configHash, metatuneVersion, legacy: model.legacy, inputColumns: model.inputColumns };
}

function scorePredictions(prediction: Prediction, actual: readonly RawCell[]): Score {
  let rows = 0;
  let sum = 0;
  actual.forEach((a, i) => {
    if (a === null || a === undefined) return;
    rows++;
    if (prediction.task === 'classification') sum += prediction.labels[i] === String(a) ? 1 : 0;
    else sum += (prediction.values[i] - Number(a)) ** 2;
  });
  if (prediction.task === 'classification') return { metric: 'accuracy', value: rows === 0 ? NaN : sum / rows, rows };
  return { metric: 'rmse', value: rows === 0 ? NaN : Math.sqrt(sum / rows), rows };
}

function formatScore(score: Score | undefined, target: string): string {
  if (score === undefined) return '';
  return `${score.metric} against column '${escapeText(target)}': ${Number(score.value.toPrecision(6))} (${score.rows} rows with a value)\n`;
}

/** The predicted class's probability, row by row. */
function topProbability(prediction: Extract<Prediction, { task: 'classification' }>, i: number): number {
  const k = prediction.classes.length;
  return Math.max(...prediction.probabilities.subarray(i * k, (i + 1) * k));
}

function formatPredictions(prediction: Prediction, actual: readonly RawCell[] | undefined): string {
  const withActual = actual === undefined ? [] : ['actual'];
  if (prediction.task === 'classification') {
    const rows = prediction.labels.map((label, i): Cell[] => [i + 1, label, Number(topProbability(prediction, i).toFixed(4)), ...(actual === undefined ? [] : [actual[i] ?? '?'])]);
    return formatTable(['row', 'predicted', 'probability', ...withActual], rows, { maxWidth: terminalWidth() });
  }
  const rows = Array.from(prediction.values, (v, i): Cell[] => [i + 1, v, ...(actual === undefined ? [] : [actual[i] ?? '?'])]);
  return formatTable(['row', 'predicted', ...withActual], rows, { maxWidth: terminalWidth() });
}

function jsonPredictions(prediction: Prediction, actual: readonly RawCell[] | undefined) {
  if (prediction.task === 'regression') return Array.from(prediction.values, (predicted, i) => ({ row: i + 1, predicted, ...(actual === undefined ? {} : { actual: actual[i] ?? null }) }));
  const k = prediction.classes.length;
  return prediction.labels.map((predicted, i) => ({
    row: i + 1,
    predicted,
    probabilities: Object.fromEntries(prediction.classes.map((c, j) => [c, prediction.probabilities[i * k + j]])),
    ...(actual === undefined ? {} : { actual: actual[i] ?? null }),
  }));
}

/** Writes the predictions as CSV: `row,predicted[,probability_<class>...][,actual]`; a regular file only, replaced whole. */
async function writeCsv(out: string, prediction: Prediction, actual: readonly RawCell[] | undefined): Promise<void> {
  const existing = await lstat(out).catch(() => undefined);
  if (existing !== undefined && !existing.isFile()) throw new UsageError(`--out: ${out} is not a regular file; refusing to write through it`, { column: '--out' });
  const classes = prediction.task === 'classification' ? prediction.classes : [];
  const header = ['row', 'predicted', ...classes.map((c) => `probability_${c}`), ...(actual === undefined ? [] : ['actual'])];
  const lines = [header.map(csvCell).join(',')];
  const n = prediction.task === 'classification' ? prediction.labels.length : prediction.values.length;
  for (let i = 0; i < n; i++) {
    const cells: (string | number)[] = [i + 1];
    if (prediction.task === 'classification') cells.push(prediction.labels[i], ...prediction.probabilities.subarray(i * classes.length, (i + 1) * classes.length));
    else cells.push(prediction.values[i]);
    if (actual !== undefined) cells.push(actual[i] ?? '');
    lines.push(cells.map(csvCell).join(','));
  }
  await writeFile(out, lines.join('\n') + '\n');
}

/** A CSV cell: numbers to float32's 7 significant digits, text quoted when it must be. */
function csvCell(value: string | number): string {
  const text = typeof value === 'number' ? String(Number(value.toPrecision(7))) : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}
