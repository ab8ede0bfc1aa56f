/**
 * The public data API: read a file into a {@link DataTable} (`loadTable`) or straight into a
 * supervised {@link Dataset} (`loadDataset`). The format follows the file extension (`.arff`,
 * anything else is CSV) unless given; gzip-compressed files (`data.csv.gz`) are read transparently.
 */
import type { DataTable, Dataset } from './table.ts';
import { readArff, readArffSync } from './arff/reader.ts';
import { readCsv, readCsvSync } from './csv/reader.ts';
import { toDataset, type DatasetOptions } from './dataset.ts';
import { dataFileFormat } from './source.ts';

/** Options of {@link loadTable}. */
export interface TableOptions {
  /** File format; default from the extension (`.arff` or `.arff.gz` → ARFF, else CSV). */
  format?: 'arff' | 'csv';
  /** CSV only: whether the first row is a header; default detected. */
  header?: boolean;
}

/** Options of {@link loadDataset}. */
export interface LoadOptions extends TableOptions, DatasetOptions {}

/**
 * Reads a data file into a table.
 * @param path - an ARFF or CSV file
 * @param options - format and header
 * @returns the table
 * @throws DatasetError naming the file and the line or column of the first problem
 */
export async function loadTable(path: string, options: TableOptions = {}): Promise<DataTable> {
  const format = options.format ?? dataFileFormat(path);
  return format === 'arff' ? readArff(path) : readCsv(path, { header: options.header });
}

/**
 * Reads a data file into a supervised task.
 * @param path - an ARFF or CSV file
 * @param options - format, header, target (name or index, default last) and task (default inferred)
 * @returns the dataset; rows with a missing target are dropped and counted in `droppedRows`
 * @throws DatasetError on unreadable files, an unknown target, or a target that cannot be learned
 */
export async function loadDataset(path: string, options: LoadOptions = {}): Promise<Dataset> {
  return toDataset(await loadTable(path, options), options);
}

/**
 * {@link loadDataset}, reading the file synchronously (for APIs that cannot await, such as
 * `createStudy({ task: 'file.csv' })`): the same readers over the whole file read at once.
 * @throws DatasetError as {@link loadDataset} does
 */
export function loadDatasetSync(path: string, options: LoadOptions = {}): Dataset {
  const format = options.format ?? dataFileFormat(path);
  return toDataset(format === 'arff' ? readArffSync(path) : readCsvSync(path, { header: options.header }), options);
}

export { readArff, parseArff } from './arff/reader.ts';
export { readCsv, type CsvOptions } from './csv/reader.ts';
export { dataFileStem, dataFileFormat } from './source.ts';
export { toDataset, inferTask, resolveTarget, MAX_INFERRED_CLASSES, type DatasetOptions } from './dataset.ts';
export { selectRows, levelCounts } from './columns.ts';
export type { EncoderOptions, ResolvedEncoderOptions } from './encode-options.ts';
export { fitEncoder, Encoder, type EncodedMatrix, type RawRow } from './encode.ts';
export type { RawCell } from './encoder-write.ts';
export type { EncoderJSON, FeatureSpec, TargetSpec } from './encoder-spec.ts';
export { resolveEncoderOptions } from './encode-options.ts';
export { stratifiedHoldout, stratifiedKFold, type Split, type SplitOptions } from './split.ts';
export { describeDataset, type DatasetSchema, type ColumnSchema, type ClassCount } from './schema.ts';
