/**
 * Reads an ARFF file (Weka / OpenML format) into a {@link DataTable}.
 *
 * Types: `numeric`, `real` and `integer` become numeric columns; nominal `{...}` becomes a
 * categorical column whose levels keep the declared order, including levels that never occur;
 * `string` becomes a categorical column with levels in first-seen order; `date [format]` becomes a
 * numeric column of epoch milliseconds (UTC). Unquoted `?` is missing, a quoted `'?'` is a
 * literal value. Sparse rows `{index value, ...}` are supported; absent entries are 0 for numeric
 * and date attributes, the first declared level for nominal ones and the empty string for string
 * ones. A trailing instance weight `{w}` on a dense row is ignored.
 */
import { DatasetError } from '../../errors.ts';
import type { DataTable } from '../table.ts';
import { readTextFile, readTextFileSync } from '../text-file.ts';
import { TooManyLevelsError } from '../growable.ts';
import { parseHeader, type ArffAttribute } from './header.ts';
import { columnBuilder, type ArffColumnBuilder } from './columns.ts';
import { TokenError, findClosingBrace, newFieldList, skipSpaces, splitFields, type FieldList } from './tokenize.ts';

/**
 * Reads an ARFF file.
 * @param path - the file
 * @returns the table, one column per attribute in declaration order
 * @throws DatasetError naming the file, line and column of the first problem
 */
export async function readArff(path: string): Promise<DataTable> {
  return parseArff(await readTextFile(path), path);
}

/** {@link readArff}, synchronously. */
export function readArffSync(path: string): DataTable {
  return parseArff(readTextFileSync(path), path);
}

/**
 * Parses ARFF text.
 * @param text - the whole file's content
 * @param source - the path, for error messages
 * @returns the table
 * @throws DatasetError naming the file, line and column of the first problem
 */
export function parseArff(text: string, source: string): DataTable {
  if (!text.includes('\n') && /\r[^\r]/.test(text)) {
    // Split on LF, the whole file was one line and everything after '@relation name' was ignored.
    throw new DatasetError("line ends are CR only (old Mac OS style): this reader needs LF or CRLF line ends; convert the file, e.g. with tr '\\r' '\\n'", { file: source, line: 1 });
  }
  const lines = text.split('\n');
  const header = parseHeader(lines, source);
  const builders = header.attributes.map((a) => makeBuilder(a, source));
  const fields = newFieldList();
  let nRows = 0;
  for (let i = header.dataStart; i < lines.length; i++) {
    const line = lines[i];
    const pos = skipSpaces(line, 0);
    if (pos >= line.length || line[pos] === '%') continue;
    const row = { file: source, line: i + 1, attributes: header.attributes, builders };
    if (line[pos] === '{') readSparseRow(line, pos, row);
    else readDenseRow(line, fields, row);
    nRows++;
  }
  if (nRows === 0) throw new DatasetError('no data rows after @data', { file: source, line: header.dataStart });
  return { source, name: header.relation, nRows, columns: builders.map((b) => b.build()), typeSource: 'declared' };
}

interface RowContext {
  readonly file: string;
  readonly line: number;
  readonly attributes: readonly ArffAttribute[];
  readonly builders: readonly ArffColumnBuilder[];
}

function makeBuilder(attribute: ArffAttribute, file: string): ArffColumnBuilder {
  try {
    return columnBuilder(attribute);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DatasetError(message, { file, line: attribute.line, column: attribute.name });
  }
}

function readDenseRow(line: string, fields: FieldList, row: RowContext): void {
  tokens(row, () => splitFields(line, fields));
  const n = row.attributes.length;
  let count = fields.count;
  if (count === n + 1 && !fields.quoted[n] && /^\{.*\}$/.test(fields.values[n])) count = n; // instance weight
  if (count !== n) {
    throw new DatasetError(`expected ${n} values, found ${count}`, { file: row.file, line: row.line });
  }
  for (let j = 0; j < n; j++) pushCell(row, j, fields.values[j], fields.quoted[j], fields.starts[j]);
}

function readSparseRow(line: string, open: number, row: RowContext): void {
  const close = tokens(row, () => findClosingBrace(line, open));
  if (close < 0) throw new DatasetError("sparse row is not closed with '}'", { file: row.file, line: row.line, column: open + 1 });
  const entries = tokens(row, () => parseSparseEntries(line, open + 1, close, row.attributes.length));
  let next = 0;
  for (let j = 0; j < row.attributes.length; j++) {
    const entry = entries[next];
    if (entry !== undefined && entry.index === j) {
      pushCell(row, j, entry.text, entry.quoted, entry.column);
      next++;
    } else {
      row.builders[j].pushSparseDefault();
    }
  }
}

interface SparseEntry {
  index: number;
  text: string;
  quoted: boolean;
  column: number;
}

function parseSparseEntries(line: string, from: number, to: number, nAttributes: number): SparseEntry[] {
  const entries: SparseEntry[] = [];
  const fields = newFieldList();
  splitFields(line, fields, from, to);
  if (fields.count % 2 !== 0) {
    throw new TokenError('sparse row has an index without a value (expected {index value, ...})', fields.starts[fields.count - 1]);
  }
  for (let k = 0; k < fields.count; k += 2) {
    const indexText = fields.values[k];
    const column = fields.starts[k];
    if (fields.quoted[k] || !/^\d+$/.test(indexText)) {
      throw new TokenError(`bad sparse index '${indexText}' (expected a 0-based attribute index)`, column);
    }
    const index = Number(indexText);
    if (index >= nAttributes) throw new TokenError(`sparse index ${index} out of range (0..${nAttributes - 1})`, column);
    entries.push({ index, text: fields.values[k + 1], quoted: fields.quoted[k + 1], column: fields.starts[k + 1] });
  }
  entries.sort((a, b) => a.index - b.index);
  for (let k = 1; k < entries.length; k++) {
    if (entries[k].index === entries[k - 1].index) throw new TokenError(`sparse index ${entries[k].index} given twice`, entries[k].column);
  }
  return entries;
}

function pushCell(row: RowContext, j: number, text: string, quoted: boolean, column: number): void {
  let expected: string | null;
  try {
    expected = row.builders[j].push(text, quoted);
  } catch (error) {
    if (error instanceof TooManyLevelsError) throw new DatasetError(`${error.message} ('${row.attributes[j].name}')`, { file: row.file, line: row.line, column });
    throw error;
  }
  if (expected !== null) {
    const name = row.attributes[j].name;
    throw new DatasetError(`value '${clip(text)}' of attribute '${name}' is not ${expected}`, {
      file: row.file,
      line: row.line,
      column,
    });
  }
}

function tokens<T>(row: RowContext, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TokenError) throw new DatasetError(error.message, { file: row.file, line: row.line, column: error.column });
    throw error;
  }
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
