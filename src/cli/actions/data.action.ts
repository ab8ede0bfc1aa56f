/**
 * The `metatune data` action: load the dataset through the library, describe it, print the schema
 * as text tables or JSON.
 */
import { loadDataset } from '../../data/index.ts';
import { describeDataset, type DatasetSchema } from '../../data/schema.ts';
import type { TaskType } from '../../data/table.ts';
import { escapeText, formatTable, printJson, terminalWidth } from '../format.ts';

/** The validated options of `metatune data`. */
export interface DataContext {
  readonly file: string;
  readonly target?: string;
  readonly task?: TaskType;
  readonly header?: boolean;
  readonly format?: 'arff' | 'csv';
  readonly json: boolean;
}

/**
 * Loads the file and prints its schema on stdout.
 * @param context - validated options
 * @throws DatasetError when the file cannot be read as a dataset
 */
export async function runData(context: DataContext): Promise<void> {
  const dataset = await loadDataset(context.file, {
    target: context.target,
    task: context.task,
    header: context.header,
    format: context.format,
  });
  const schema = describeDataset(dataset);
  if (context.json) printJson(schema);
  else process.stdout.write(formatSchema(schema));
}

/**
 * Formats a schema as text: a summary line, the columns table, and the class balance or the
 * target's range.
 */
export function formatSchema(schema: DatasetSchema): string {
  const dropped = schema.droppedRows > 0 ? ` (${schema.droppedRows} rows with a missing target dropped)` : '';
  const layout = { maxWidth: terminalWidth() };
  const lines = [
    `${escapeText(schema.source)}: '${escapeText(schema.name)}', ${schema.rows} rows${dropped}, ${schema.columns.length} columns`,
    `target: ${escapeText(schema.target)} (${schema.task})`,
    '',
    formatTable(
      ['column', 'type', 'role', 'missing', 'distinct', 'levels'],
      schema.columns.map((c) => [c.name, c.type, c.role, c.missing, c.cardinality, c.levels]),
      layout,
    ),
  ];
  if (schema.classBalance !== undefined) {
    lines.push('class balance:', formatTable(['class', 'count', 'fraction'], schema.classBalance.map((c) => [c.label, c.count, c.fraction]), layout));
  }
  const summary = schema.targetSummary;
  if (summary !== undefined) {
    lines.push('target:', formatTable(['min', 'max', 'mean', 'std'], [[summary.min, summary.max, summary.mean, summary.std]]));
  }
  return lines.join('\n');
}
