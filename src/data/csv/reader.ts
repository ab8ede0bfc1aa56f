/**
 * Reads a CSV file into a {@link DataTable}, streaming: the file is read in 1 MiB chunks and
 * parsed at the byte level into growing typed arrays, so it is never held whole in memory nor
 * turned into one string. The first 64 KiB decide the delimiter and whether there is a header
 * (see `sniff.ts`); a UTF-8 byte-order mark is skipped.
 *
 * Types are inferred: a column is numeric when every non-missing cell is a number, categorical
 * otherwise; a numeric column of integers with at most two distinct values is categorical (a
 * binary flag). Missing markers: empty, `?`, `NA`, `NaN`, `null` (any case).
 */
import { DatasetError } from '../../errors.ts';
import type { DataTable } from '../table.ts';
import { assertText, describeIoError } from '../text-file.ts';
import { dataFileStem, describeGzipError, isZlibError, openDataStream } from '../source.ts';
import { CsvColumnBuilder } from './column-builder.ts';
import { CsvRowScanner, FIELD_ESCAPED, type RowFields } from './parser.ts';
import { detectDelimiter, detectHeader, sampleRows, type Delimiter } from './sniff.ts';

const CHUNK_BYTES = 1 << 20;
const SAMPLE_BYTES = 1 << 16;

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
 *   a header without rows, ragged rows, an unterminated quote, duplicate column names
 */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<DataTable> {
  const chunks = chunksOf(path);
  try {
    return await parseChunks(chunks, path, options);
  } finally {
    await chunks.return?.();
  }
}

async function parseChunks(chunks: AsyncIterator<Buffer>, path: string, options: CsvOptions): Promise<DataTable> {
  const sample = await readSample(chunks, path);
  if (sample.bytes.length === 0) throw new DatasetError('empty file', { file: path, line: 1 });
  assertText(sample.bytes.subarray(0, SAMPLE_BYTES), path);
  const text = sample.bytes.subarray(0, SAMPLE_BYTES).toString('utf8');
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const header = options.header ?? detectHeader(sampleRows(text, delimiter, sample.done));
  const table = new TableBuilder(path, header);
  const scanner = new CsvRowScanner(path, delimiter.charCodeAt(0), (row) => table.addRow(row));
  let pending = sample.bytes;
  let offset = hasBom(pending) ? 3 : 0;
  if (!sample.done) {
    for await (const chunk of rest(chunks, path)) {
      const bytes = offset < pending.length ? Buffer.concat([pending.subarray(offset), chunk]) : chunk;
      pending = bytes;
      offset = scanner.scan(bytes, 0, false);
    }
  }
  scanner.scan(pending, offset, true);
  return table.build();
}

interface Sample {
  bytes: Buffer;
  done: boolean;
}

function chunksOf(path: string): AsyncIterator<Buffer> {
  return openDataStream(path, CHUNK_BYTES)[Symbol.asyncIterator]();
}

async function readSample(chunks: AsyncIterator<Buffer>, path: string): Promise<Sample> {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < SAMPLE_BYTES) {
    const next = await nextChunk(chunks, path);
    if (next === null) return { bytes: Buffer.concat(parts), done: true };
    parts.push(next);
    size += next.length;
  }
  return { bytes: Buffer.concat(parts), done: false };
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

/** Turns scanned rows into columns: the first row may name them, every row must have as many fields. */
class TableBuilder {
  private columns: CsvColumnBuilder[] | null = null;
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
    for (let j = 0; j < columns.length; j++) {
      const value = numbers[j];
      if (value === value) columns[j].pushNumber(value);
      else columns[j].push(bytes, starts[j], ends[j], (flags[j] & FIELD_ESCAPED) !== 0);
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
        throw new DatasetError(`duplicate column name '${name}' (columns ${previous + 1} and ${j + 1})`, {
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
    const name = dataFileStem(this.file);
    return { source: this.file, name, nRows: this.nRows, columns: this.columns.map((c) => c.build()), typeSource: 'inferred' };
  }
}

function fieldText(row: RowFields, j: number): string {
  const text = row.bytes.toString('utf8', row.starts[j], row.ends[j]);
  return (row.flags[j] & FIELD_ESCAPED) !== 0 ? text.replaceAll('""', '"') : text;
}
