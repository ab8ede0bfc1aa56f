/**
 * `metatune data <file>`: declares the options, validates them into a {@link DataContext} and
 * hands it to the action.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import type { TaskType } from '../../data/table.ts';
import { runData, type DataContext } from '../actions/data.action.ts';

/** Raw option values as commander gives them. */
interface DataFlags {
  target?: string;
  task?: string;
  header?: boolean;
  format?: string;
  json?: boolean;
}

/**
 * Registers the `data` command.
 * @param program - the root program
 */
export function registerDataCommand(program: Command): void {
  program
    .command('data')
    .description('Read a dataset (ARFF or CSV) and print its schema: rows, column types, missing values, target, task, class balance.')
    .argument('<file>', 'an .arff or .csv file')
    .option('--target <name|index>', 'target column: a name, or a 0-based index (negative counts from the end); default: the last column')
    .option('--task <task>', 'classification or regression; default: inferred from the target')
    .option('--header', 'CSV: the first row names the columns (default: detected)')
    .option('--no-header', 'CSV: the first row is data')
    .option('--format <format>', 'arff or csv; default: from the file extension')
    .option('--json', 'print the schema as JSON')
    .action(async (file: string, flags: DataFlags) => {
      await runData(parseDataFlags(file, flags));
    });
}

/**
 * Validates the flags of `metatune data`.
 * @param file - the file argument
 * @param flags - commander's option values
 * @returns the typed context of the action
 * @throws UsageError on a bad --task or --format
 */
export function parseDataFlags(file: string, flags: DataFlags): DataContext {
  return {
    file,
    target: flags.target,
    task: flags.task === undefined ? undefined : parseTask(flags.task),
    header: flags.header,
    format: flags.format === undefined ? undefined : parseFormat(flags.format),
    json: flags.json === true,
  };
}

function parseTask(value: string): TaskType {
  if (value === 'classification' || value === 'regression') return value;
  throw new UsageError(`--task must be 'classification' or 'regression', got '${value}'`);
}

function parseFormat(value: string): 'arff' | 'csv' {
  const lower = value.toLowerCase();
  if (lower === 'arff' || lower === 'csv') return lower;
  throw new UsageError(`--format must be 'arff' or 'csv', got '${value}'`);
}
