/**
 * Column builders for the ARFF data section: one per attribute, each turning cell text into a
 * typed-array entry according to the declared type.
 */
import type { Column } from '../table.ts';
import { GrowableFloat64, GrowableInt32, LevelDictionary } from '../growable.ts';
import { USABLE_NUMBER, isUsableNumber, parseDecimal } from '../number.ts';
import type { ArffAttribute } from './header.ts';
import { compileDateFormat } from './date.ts';

/** Builds one column from the cells of successive rows. */
export interface ArffColumnBuilder {
  /**
   * Appends a cell. Unquoted `?` is missing; a quoted `'?'` is the literal text.
   * @returns null when accepted, or what was expected when the text is not a valid value
   */
  push(text: string, quoted: boolean): string | null;
  /** Appends the value an absent entry of a sparse row stands for. */
  pushSparseDefault(): void;
  /** @returns the finished column */
  build(): Column;
}

/**
 * Creates the builder for an attribute.
 * @param attribute - the declaration
 * @returns a builder that validates cells against the declared type
 * @throws Error on an unsupported date format (the caller adds the location)
 */
export function columnBuilder(attribute: ArffAttribute): ArffColumnBuilder {
  const type = attribute.type;
  switch (type.kind) {
    case 'numeric':
      return new NumericBuilder(attribute.name, parseDecimal, 'a number');
    case 'date':
      return new NumericBuilder(attribute.name, compileDateFormat(type.format), `a date in format '${type.format}'`);
    case 'nominal':
      return new NominalBuilder(attribute.name, type.levels, false);
    case 'string':
      return new NominalBuilder(attribute.name, [], true);
  }
}

class NumericBuilder implements ArffColumnBuilder {
  private readonly values = new GrowableFloat64();
  constructor(
    private readonly name: string,
    private readonly parse: (text: string) => number,
    private readonly expected: string,
  ) {}

  push(text: string, quoted: boolean): string | null {
    if (!quoted && text === '?') {
      this.values.push(NaN);
      return null;
    }
    const value = this.parse(text);
    if (Number.isNaN(value)) return this.expected;
    if (!isUsableNumber(value)) return `${USABLE_NUMBER} (larger magnitudes overflow in training)`;
    this.values.push(value);
    return null;
  }

  pushSparseDefault(): void {
    this.values.push(0);
  }

  build(): Column {
    return { name: this.name, kind: 'numeric', values: this.values.toArray() };
  }
}

class NominalBuilder implements ArffColumnBuilder {
  private readonly codes = new GrowableInt32();
  private readonly dictionary: LevelDictionary;
  constructor(
    private readonly name: string,
    declared: readonly string[],
    private readonly open: boolean,
  ) {
    this.dictionary = new LevelDictionary(declared);
  }

  push(text: string, quoted: boolean): string | null {
    if (!quoted && text === '?') {
      this.codes.push(-1);
      return null;
    }
    const code = this.open ? this.dictionary.intern(text) : this.dictionary.lookup(text);
    if (code < 0) return `one of the declared values {${preview(this.dictionary.levels)}}`;
    this.codes.push(code);
    return null;
  }

  pushSparseDefault(): void {
    this.codes.push(this.open ? this.dictionary.intern('') : 0);
  }

  build(): Column {
    return { name: this.name, kind: 'categorical', levels: this.dictionary.levels, codes: this.codes.toArray() };
  }
}

function preview(levels: readonly string[]): string {
  const shown = levels.slice(0, 8).join(',');
  return levels.length > 8 ? `${shown},... (${levels.length} values)` : shown;
}
