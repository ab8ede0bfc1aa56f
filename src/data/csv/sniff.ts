/**
 * Sniffing a CSV sample (the first 64 KiB): which delimiter, and whether the first row is a
 * header.
 *
 * Delimiter: among `,` `;` and tab, the one that appears (outside quotes) the same non-zero number
 * of times on the most sample lines; ties go to the higher count, then to `,`. A file where none
 * appears is a single column.
 *
 * Header: the first row is a header when none of its cells is a number or a missing marker (`?`,
 * `NA`...), not all are empty, and either some column named by a non-empty cell is mostly numeric
 * in the rows below, or none of its non-empty cells reappears in its column below (with no rows
 * below, a row of text is a header). Empty names are allowed — pandas writes its index column's
 * header as one — and give no evidence either way.
 *
 * Integer names: pandas names the columns of a frame made from an array `0, 1, 2, ...`, so
 * `0,1,2,target` is a header too when its integers are distinct and some text cell heads a column
 * that is all numbers below, or its integers count up from 0 or 1 and its text cells do not
 * reappear in their columns below; and a first row that is exactly `0,1,...,n-1` (or `1,...,n`, n >= 3)
 * above a column holding non-integers is a header. Otherwise a row with a number is data.
 */
import { isMissingText } from './bytes.ts';
import { parseDecimal } from '../number.ts';

/** The delimiters the sniffer considers, in order of preference on ties. */
export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

const MAX_SAMPLE_ROWS = 100;

/**
 * Picks the delimiter of a sample.
 * @param sample - the start of the file as text
 * @returns the delimiter
 */
export function detectDelimiter(sample: string): Delimiter {
  const lines = physicalLines(sample);
  let best: Delimiter = ',';
  let bestScore = -1;
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const { mode, frequency } = modeOf(counts);
    const score = mode === 0 ? 0 : frequency;
    if (score > bestScore || (score === bestScore && mode > bestCount)) {
      best = delimiter;
      bestScore = score;
      bestCount = mode;
    }
  }
  return best;
}

/**
 * Splits a sample into rows of cells (RFC 4180 quoting), at most 100 rows; an incomplete last row
 * (cut by the sample's end) is dropped unless `complete`.
 */
export function sampleRows(sample: string, delimiter: string, complete: boolean): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  for (; i < sample.length && rows.length < MAX_SAMPLE_ROWS; i++) {
    const ch = sample[i];
    if (quoted) {
      if (ch === '"' && sample[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) row.push(cell.trim()), (cell = '');
    else if (ch === '\n') {
      row.push(cell.trim());
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (complete && i >= sample.length && (cell.trim() !== '' || row.length > 0)) rows.push([...row, cell.trim()]);
  return rows;
}

/**
 * Decides whether the first sample row is a header (see the module comment for the rule).
 * @param rows - sample rows from {@link sampleRows}
 */
export function detectHeader(rows: readonly (readonly string[])[]): boolean {
  if (rows.length === 0) return false;
  const [first, ...below] = rows;
  if (first.every((cell) => cell === '')) return false;
  if (first.some((cell) => cell !== '' && isMissingText(cell))) return false;
  if (first.some((cell) => !Number.isNaN(parseDecimal(cell)))) return integerNamesHeader(first, below);
  if (below.length === 0) return true;
  const named = [...first.keys()].filter((j) => first[j] !== '');
  const mostlyNumeric = named.some((j) => {
    const cells = below.map((r) => r[j] ?? '').filter((c) => !isMissingText(c));
    return cells.length > 0 && cells.filter((c) => !Number.isNaN(parseDecimal(c))).length * 2 > cells.length;
  });
  const reappears = named.some((j) => below.some((r) => r[j] === first[j]));
  return mostlyNumeric || !reappears;
}

/** The header rule for a first row holding numbers (see the module comment). */
function integerNamesHeader(first: readonly string[], below: readonly (readonly string[])[]): boolean {
  if (below.length === 0) return false;
  const numbers = first.map(parseDecimal);
  const integers = numbers.filter((v) => !Number.isNaN(v));
  if (!integers.every((v) => Number.isInteger(v) && v >= 0) || new Set(integers).size !== integers.length) return false;
  const columnValues = (j: number): number[] => below.map((r) => r[j] ?? '').filter((c) => !isMissingText(c)).map(parseDecimal);
  if (integers.length === first.length) {
    const offset = numbers[0];
    const sequence = first.length >= 3 && (offset === 0 || offset === 1) && numbers.every((v, j) => v === j + offset);
    return sequence && first.some((_, j) => columnValues(j).some((v) => !Number.isNaN(v) && !Number.isInteger(v)));
  }
  const texts = [...first.keys()].filter((j) => first[j] !== '' && Number.isNaN(numbers[j]));
  const headsNumbers = texts.some((j) => {
    const values = columnValues(j);
    return values.length > 0 && values.every((v) => !Number.isNaN(v));
  });
  const counting = integers.length >= 2 && (integers[0] === 0 || integers[0] === 1) && integers.every((v, k) => v === integers[0] + k);
  const reappears = texts.some((j) => below.some((r) => r[j] === first[j]));
  return headsNumbers || (counting && !reappears);
}

function physicalLines(sample: string): string[] {
  const lines = sample.split('\n').slice(0, MAX_SAMPLE_ROWS);
  if (lines.length > 1 && !sample.endsWith('\n')) lines.pop();
  return lines.filter((l) => l.trim() !== '');
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}

function modeOf(counts: readonly number[]): { mode: number; frequency: number } {
  const frequency = new Map<number, number>();
  let mode = 0;
  let best = 0;
  for (const c of counts) {
    const f = (frequency.get(c) ?? 0) + 1;
    frequency.set(c, f);
    if (f > best || (f === best && c > mode)) (mode = c), (best = f);
  }
  return { mode, frequency: best };
}
