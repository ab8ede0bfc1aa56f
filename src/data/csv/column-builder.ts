/**
 * One CSV column under construction. A column starts numeric and stays numeric while every
 * non-missing cell parses as a number; the first cell that does not turns it categorical. Its
 * earlier numbers then become levels written canonically (`String(value)`), and numeric-looking
 * cells of a categorical column are written the same way, so `01`, `1.0` and `1` are one level.
 */
import type { Column } from '../table.ts';
import { GrowableFloat64, GrowableInt32, LevelDictionary } from '../growable.ts';
import { isUsableNumber } from '../number.ts';
import { infinityBytes, isMissingBytes, parseNumberBytes } from './bytes.ts';

/**
 * The cardinality rule: a numeric column whose non-missing values are at most two distinct
 * values among -1, 0 and 1 is a binary flag (0/1, -1/1), so it is categorical, with levels in
 * ascending numeric order. Wider integer ranges stay numeric: two ages in a tiny file are numbers.
 */
export const FLAG_VALUES: readonly number[] = [-1, 0, 1];

/** Accumulates the cells of one column. */
export class CsvColumnBuilder {
  private numbers: GrowableFloat64 | null = new GrowableFloat64();
  private codes: GrowableInt32 | null = null;
  private dictionary: LevelDictionary | null = null;

  constructor(readonly name: string) {}

  /** Appends a cell already parsed as a number (the scanner's fast path). */
  pushNumber(value: number): void {
    if (this.numbers !== null) this.numbers.push(value);
    else this.internLevel(String(value));
  }

  /**
   * Appends the cell `bytes[start, end)` (trimmed, quotes removed).
   * @param escaped - the cell was quoted and contains doubled quotes `""`
   * @returns false when the column is numeric so far and the cell is a number beyond ±1e50
   *   (infinity written out, or a literal that overflows): the caller decides, once the column's
   *   type is known, whether that is an error
   */
  push(bytes: Buffer, start: number, end: number, escaped: boolean): boolean {
    if (this.numbers !== null) {
      let value = parseNumberBytes(bytes, start, end);
      if (Number.isNaN(value)) value = infinityBytes(bytes, start, end);
      if (!Number.isNaN(value)) {
        this.numbers.push(value);
        return isUsableNumber(value);
      }
      if (isMissingBytes(bytes, start, end)) {
        this.numbers.push(NaN);
        return true;
      }
      this.becomeCategorical();
    }
    this.pushCategorical(bytes, start, end, escaped);
    return true;
  }

  /** @returns whether the column is (so far) numeric */
  get numeric(): boolean {
    return this.numbers !== null;
  }

  private pushCategorical(bytes: Buffer, start: number, end: number, escaped: boolean): void {
    if (isMissingBytes(bytes, start, end)) {
      this.internLevel(null);
      return;
    }
    const value = parseNumberBytes(bytes, start, end);
    let text: string;
    if (Number.isFinite(value)) text = String(value);
    else {
      text = bytes.toString('utf8', start, end);
      if (escaped) text = text.replaceAll('""', '"');
    }
    this.internLevel(text);
  }

  /** Appends a level (null: missing) to a categorical column. */
  private internLevel(text: string | null): void {
    if (this.codes === null || this.dictionary === null) throw new Error('unreachable: categorical column without codes');
    this.codes.push(text === null ? -1 : this.dictionary.intern(text));
  }

  private becomeCategorical(): void {
    const numbers = this.numbers;
    const codes = new GrowableInt32();
    const dictionary = new LevelDictionary();
    if (numbers !== null) {
      for (const v of numbers.toArray()) codes.push(Number.isNaN(v) ? -1 : dictionary.intern(String(v)));
    }
    this.numbers = null;
    this.codes = codes;
    this.dictionary = dictionary;
  }

  /** @returns the finished column, applying the binary-flag rule to numeric columns */
  build(): Column {
    if (this.numbers !== null) {
      const values = this.numbers.toArray();
      const flagLevels = binaryLevels(values);
      if (flagLevels === null) return { name: this.name, kind: 'numeric', values };
      const codes = new Int32Array(values.length);
      for (let i = 0; i < values.length; i++) codes[i] = Number.isNaN(values[i]) ? -1 : flagLevels.indexOf(values[i]);
      return { name: this.name, kind: 'categorical', levels: flagLevels.map(String), codes };
    }
    if (this.codes === null || this.dictionary === null) throw new Error('unreachable: column without values');
    return { name: this.name, kind: 'categorical', levels: this.dictionary.levels, codes: this.codes.toArray() };
  }
}

/**
 * @returns the ascending distinct values when the column is a binary flag (see
 *   {@link FLAG_VALUES}), else null
 */
function binaryLevels(values: Float64Array): number[] | null {
  const distinct: number[] = [];
  for (const v of values) {
    if (Number.isNaN(v) || distinct.includes(v)) continue;
    if (!FLAG_VALUES.includes(v) || distinct.length === 2) return null;
    distinct.push(v);
  }
  return distinct.length === 0 ? null : distinct.sort((a, b) => a - b);
}
