/**
 * A data file's table as the raw rows a saved model reads: its columns matched by name against
 * the model's input columns (extra columns, the target among them, are ignored), each cell as the
 * number or text the file holds, missing as null.
 */
import type { RawCell } from '../data/encoder-write.ts';
import { isMissingText } from '../data/csv/bytes.ts';
import { parseDecimal } from '../data/number.ts';
import type { Column, DataTable } from '../data/table.ts';
import { DatasetError } from '../errors.ts';
import type { Preprocessing } from './preprocessing.ts';

/** A table's rows for a model, and the target column when the file has it. */
export interface TableRows {
  /** One array of cells per row, in the model's input column order. */
  readonly rows: RawCell[][];
  /** The target's cells (labels as text, values as numbers; missing null), when the file has the column. */
  readonly actual?: RawCell[];
}

/**
 * Matches a table's columns to a model's inputs.
 * @param table - the file, as read
 * @param preprocessing - the model's preprocessing
 * @returns the rows, and the target when present
 * @throws DatasetError naming the file and the column when an input column is missing, or when a
 *   column the model reads as numeric holds text that is not a number (naming the data row)
 */
export function tableRows(table: DataTable, preprocessing: Preprocessing): TableRows {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const features = preprocessing.encoder.toJSON().features;
  const columns = features.map((feature) => {
    const column = byName.get(feature.name);
    if (column === undefined) {
      throw new DatasetError(`the column is missing: the model reads ${features.length} columns (${describeNames(preprocessing.inputColumns)})`, { file: table.source, column: feature.name });
    }
    if (feature.kind === 'numeric' && column.kind === 'categorical') checkNumericLevels(column, table.source);
    return column;
  });
  const rows = Array.from({ length: table.nRows }, (_, i) => columns.map((column) => cellAt(column, i)));
  const target = byName.get(preprocessing.targetColumn);
  return target === undefined ? { rows } : { rows, actual: Array.from({ length: table.nRows }, (_, i) => cellAt(target, i)) };
}

function cellAt(column: Column, i: number): RawCell {
  if (column.kind === 'numeric') return Number.isNaN(column.values[i]) ? null : column.values[i];
  const code = column.codes[i];
  return code < 0 ? null : column.levels[code];
}

/** A text column the model reads as numbers: every level that occurs must be a number or missing. */
function checkNumericLevels(column: Extract<Column, { kind: 'categorical' }>, file: string): void {
  const bad = column.levels.map((level) => {
    const text = level.trim();
    return !isMissingText(text) && Number.isNaN(parseDecimal(text));
  });
  const row = column.codes.findIndex((code) => code >= 0 && bad[code]);
  if (row >= 0) {
    throw new DatasetError(`data row ${row + 1}: '${column.levels[column.codes[row]]}' is not a number, and the model was trained on numbers in this column`, { file, column: column.name });
  }
}

function describeNames(names: readonly string[]): string {
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown}, … ${names.length - 8} more` : shown;
}
