/**
 * Reads a CSV file into a {@link DataTable}, streaming: the file is read in 1 MiB chunks and
 * parsed at the byte level into growing typed arrays, so it is never held whole in memory nor
 * turned into one string. A sample of whole rows decides the delimiter and whether there is a
 * header (see `sniff.ts`): at least the first 64 KiB and the first {@link SAMPLE_ROWS} complete
 * rows, however long they are, up to {@link MAX_SAMPLE_BYTES} (a row is never cut, so a header
 * longer than 64 KiB is still read as one row). A UTF-8 byte-order mark is skipped.
 *
 * Types are inferred: a column is numeric when every non-missing cell is a number, categorical
 * otherwise; a numeric column of integers with at most two distinct values is categorical (a
 * binary flag). Missing markers: empty, `?`, `NA`, `NaN` (or `-nan`), `null` (any case). A numeric column
 * with a value beyond ±1e50 (`inf`, `1e400`, `1.7e308`) is refused (see `number.ts`).
 *
 * Refused with a DatasetError naming the line: invalid UTF-8 and NUL bytes (with the byte offset),
 * line ends that are CR only, a row of more than {@link MAX_FIELDS} fields, a row longer than
 * {@link MAX_ROW_BYTES}.
 */
import { DatasetError } from '../../errors.ts';
import type { DataTable } from '../table.ts';
import { USABLE_NUMBER } from '../number.ts';
import { TooManyLevelsError } from '../growable.ts';
import { assertText, describeIoError, readBytesSync } from '../text-file.ts';
import { dataFileStem, describeGzipError, isZlibError, openDataStream } from '../source.ts';
import { BodyScanner } from './body-scanner.ts';
import { CsvColumnBuilder } from './column-builder.ts';
import { CsvRowScanner, FIELD_ESCAPED, MAX_FIELDS, type RowFields } from './parser.ts';
import { detectDelimiter, detectHeader, sampleRows, type Delimiter } from './sniff.ts';
import { readSample, readSampleSync, type Sample } from './sample.ts';

export { MAX_FIELDS };
export { MAX_SAMPLE_BYTES, SAMPLE_ROWS } from './sample.ts';

const CHUNK_BYTES = 1 << 20;
export { MAX_ROW_BYTES } from './body-scanner.ts';

/** Options of {@link readCsv}. */
export interface CsvOptions {
  /** Whether the first row names the columns; default detected. */
  header?: boolean;
  /** The delimiter; default detected among `,` `;` and tab. */
  delimiter?: Delimiter;
}

/**
 * Reads a CSV file.
 * @param path - the file
 * @param options - header and delimiter overrides
 * @returns the table (name: the file's base name without extension, nor `.gz`)
 * @throws DatasetError naming the file and line of the first problem: an empty or binary file,
 *   a header without rows, ragged rows, an unterminated quote, duplicate column names, invalid
 *   UTF-8, CR-only line ends, a number beyond ±1e50, a row too wide or too long
 */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<DataTable> {
  const chunks = chunksOf(path);
  try {
    return await parseChunks(chunks, path, options);
  } finally {
    await chunks.return?.();
  }
}

/**
 * {@link readCsv}, reading the whole file synchronously (for `createStudy({ task: 'file.csv' })`,
 * which cannot await): the same parser over the same 1 MiB chunks, the same errors.
 * @throws DatasetError as {@link readCsv} does, and for a file whose content exceeds 512 MiB
 */
export function readCsvSync(path: string, options: CsvOptions = {}): DataTable {
  const content = readBytesSync(path);
  let offset = 0;
  const next = (): Buffer | null => {
    if (offset >= content.length) return null;
    const chunk = content.subarray(offset, offset + CHUNK_BYTES);
    offset += chunk.length;
    return chunk;
  };
  const sample = readSampleSync(next, path);
  const { table, body } = startBody(sample, path, options);
  if (!sample.done) {
    body.begin();
    for (let chunk = next(); chunk !== null; chunk = next()) body.push(chunk);
  }
  body.finish();
  return table.build();
}

/** Sniffs the sample and sets up the table and the body scanner (shared by the sync and async readers). */
function startBody(sample: Parameters<typeof sniff>[0], path: string, options: CsvOptions): { table: TableBuilder; body: BodyScanner } {
  const { delimiter, header } = sniff(sample, path, options);
  const table = new TableBuilder(path, header);
  const scanner = new CsvRowScanner(path, delimiter.charCodeAt(0), (row) => table.addRow(row));
  return { table, body: new BodyScanner(scanner, path, sample.bytes, hasBom(sample.bytes) ? 3 : 0) };
}

async function parseChunks(chunks: AsyncIterator<Buffer>, path: string, options: CsvOptions): Promise<DataTable> {
  const sample = await readSample(() => nextChunk(chunks, path), path);
  const { table, body } = startBody(sample, path, options);
  if (!sample.done) {
    body.begin();
    for await (const chunk of rest(chunks, path)) body.push(chunk);
  }
  body.finish();
  return table.build();
}

/** Picks the delimiter and the header from the sample (options win). */
function sniff(sample: Sample, path: string, options: CsvOptions): { delimiter: Delimiter; header: boolean } {
  if (sample.bytes.length === 0) throw new DatasetError('empty file', { file: path, line: 1 });
  assertText(sample.bytes.subarray(0, 1 << 16), path);
  const text = sample.bytes.toString('utf8', hasBom(sample.bytes) ? 3 : 0, sample.rowsEnd);
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const header = options.header ?? detectHeader(sampleRows(text, delimiter, sample.done));
  return { delimiter, header };
}


function chunksOf(path: string): AsyncIterator<Buffer> {
  return openDataStream(path, CHUNK_BYTES)[Symbol.asyncIterator]();
}

async function* rest(chunks: AsyncIterator<Buffer>, path: string): AsyncGenerator<Buffer> {
  for (let next = await nextChunk(chunks, path); next !== null; next = await nextChunk(chunks, path)) yield next;
}

async function nextChunk(chunks: AsyncIterator<Buffer>, path: string): Promise<Buffer | null> {
  try {
    const result = await chunks.next();
    return result.done === true ? null : result.value;
  } catch (error) {
    throw new DatasetError(isZlibError(error) ? describeGzipError(error) : describeIoError(error), { file: path });
  }
}

function hasBom(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** A numeric cell beyond ±1e50, remembered until its column's type is known. */
interface UnusableNumber {
  readonly line: number;
  readonly text: string;
}

/** Turns scanned rows into columns: the first row may name them, every row must have as many fields. */
class TableBuilder {
  private columns: CsvColumnBuilder[] | null = null;
  private unusable: (UnusableNumber | undefined)[] = [];
  private nRows = 0;
  private headerLine = 0;

  constructor(
    private readonly file: string,
    private readonly header: boolean,
  ) {}

  addRow(row: RowFields): void {
    if (this.columns === null) {
      this.columns = this.createColumns(row);
      this.headerLine = row.line;
      if (this.header) return;
    }
    const columns = this.columns;
    if (row.count !== columns.length) {
      throw new DatasetError(`expected ${columns.length} fields, found ${row.count}`, { file: this.file, line: row.line });
    }
    const { bytes, starts, ends, flags, numbers } = row;
    let j = 0;
    try {
      for (; j < columns.length; j++) {
        const value = numbers[j];
        if (value === value) columns[j].pushNumber(value);
        else if (!columns[j].push(bytes, starts[j], ends[j], (flags[j] & FIELD_ESCAPED) !== 0) && this.unusable[j] === undefined) {
          this.unusable[j] = { line: row.line, text: fieldText(row, j) };
        }
      }
    } catch (error) {
      if (error instanceof TooManyLevelsError) throw new DatasetError(error.message, { file: this.file, line: row.line, column: columns[j].name });
      throw error;
    }
    this.nRows++;
  }

  private createColumns(row: RowFields): CsvColumnBuilder[] {
    const names: string[] = [];
    for (let j = 0; j < row.count; j++) {
      const name = this.header ? fieldText(row, j) : '';
      names.push(name === '' ? `V${j + 1}` : name);
    }
    const seen = new Map<string, number>();
    names.forEach((name, j) => {
      const previous = seen.get(name);
      if (previous !== undefined) {
        throw new DatasetError(`duplicate column name '${clip(name)}' (columns ${previous + 1} and ${j + 1})`, {
          file: this.file,
          line: row.line,
        });
      }
      seen.set(name, j);
    });
    return names.map((name) => new CsvColumnBuilder(name));
  }

  build(): DataTable {
    if (this.columns === null) throw new DatasetError('no rows: the file has only blank lines', { file: this.file, line: 1 });
    if (this.nRows === 0) {
      throw new DatasetError('a header but no data rows', { file: this.file, line: this.headerLine });
    }
    this.checkNumbers(this.columns);
    const name = dataFileStem(this.file);
    return { source: this.file, name, nRows: this.nRows, columns: this.columns.map((c) => c.build()), typeSource: 'inferred' };
  }

  /** @throws DatasetError at the first number beyond ±1e50 in a column that stayed numeric */
  private checkNumbers(columns: readonly CsvColumnBuilder[]): void {
    let first: { at: UnusableNumber; name: string } | undefined;
    columns.forEach((column, j) => {
      const at = this.unusable[j];
      if (at !== undefined && column.numeric && (first === undefined || at.line < first.at.line)) first = { at, name: column.name };
    });
    if (first !== undefined) {
      throw new DatasetError(`value '${clip(first.at.text)}' is not ${USABLE_NUMBER} (larger magnitudes overflow in training)`, {
        file: this.file,
        line: first.at.line,
        column: first.name,
      });
    }
  }
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function fieldText(row: RowFields, j: number): string {
  const text = row.bytes.toString('utf8', row.starts[j], row.ends[j]);
  return (row.flags[j] & FIELD_ESCAPED) !== 0 ? text.replaceAll('""', '"') : text;
}
