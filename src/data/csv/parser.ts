/**
 * The byte-level CSV row scanner (RFC 4180): fields separated by one delimiter byte, rows ended by
 * LF or CRLF, fields optionally quoted with `"` where `""` is a literal quote and newlines are
 * allowed. Spaces around fields (and around quoted fields) are trimmed. It works on Buffers as
 * they stream in and never builds a string for a row: it hands each row to a {@link RowSink} as
 * field offsets into the current buffer.
 */
import { DatasetError } from '../../errors.ts';
import { CR, LF, QUOTE, SPACE, TAB } from './bytes.ts';

/** Field flags: the field was quoted; it contains doubled quotes to unescape. */
export const FIELD_QUOTED = 1;
export const FIELD_ESCAPED = 2;

/** The fields of one row as offsets into `bytes`. */
export interface RowFields {
  bytes: Buffer;
  starts: Int32Array;
  ends: Int32Array;
  flags: Uint8Array;
  /**
   * The value of each unquoted field that is a plain decimal number, parsed during the scan;
   * NaN for every other field (text, missing, quoted), which the consumer parses from the bytes.
   */
  numbers: Float64Array;
  count: number;
  /** 1-based line where the row starts. */
  line: number;
}

/** Receives each complete, non-blank row. */
export type RowSink = (row: RowFields) => void;

/**
 * The most fields a row may have. A wider row is an error rather than a slow death: a 50 MB file
 * of one line would otherwise become millions of columns.
 */
export const MAX_FIELDS = 100_000;

/** Scans rows from successive buffers. */
export class CsvRowScanner {
  private nextLine = 1;
  /** Output of {@link scanNumber}. */
  private scanned = NaN;
  private readonly row: RowFields = {
    bytes: Buffer.alloc(0),
    starts: new Int32Array(64),
    ends: new Int32Array(64),
    flags: new Uint8Array(64),
    numbers: new Float64Array(64),
    count: 0,
    line: 1,
  };

  /**
   * @param file - the path, for error messages
   * @param delimiter - the delimiter byte
   * @param sink - receives each row
   */
  constructor(
    private readonly file: string,
    private readonly delimiter: number,
    private readonly sink: RowSink,
  ) {}

  /** The 1-based line where the next row starts. */
  get line(): number {
    return this.nextLine;
  }

  /**
   * Scans every complete row of `bytes` from `start`.
   * @param final - no more bytes follow, so a last row without a line end is complete
   * @returns the offset of the first byte not consumed (the start of an incomplete row)
   * @throws DatasetError on an unterminated quote or text after a closing quote
   */
  scan(bytes: Buffer, start: number, final: boolean): number {
    let pos = start;
    this.row.bytes = bytes;
    while (pos < bytes.length) {
      const next = this.scanRow(bytes, pos, final);
      if (next < 0) return pos;
      pos = next;
    }
    return pos;
  }

  private scanRow(bytes: Buffer, rowStart: number, final: boolean): number {
    const row = this.row;
    const delimiter = this.delimiter;
    const length = bytes.length;
    let newlines = 0;
    let pos = rowStart;
    row.count = 0;
    for (;;) {
      let c = pos < length ? bytes[pos] : -1;
      while (c === SPACE || (c === TAB && delimiter !== TAB)) c = ++pos < length ? bytes[pos] : -1;
      let fieldStart = pos;
      let fieldEnd: number;
      let flags = 0;
      let number = NaN;
      if (c === QUOTE) {
        const close = this.findClosingQuote(bytes, pos, final, rowStart);
        if (close < 0) return -1;
        fieldStart = pos + 1;
        fieldEnd = close;
        flags = FIELD_QUOTED | (bytes.indexOf(QUOTE, fieldStart) < close ? FIELD_ESCAPED : 0);
        newlines += countNewlines(bytes, fieldStart, fieldEnd);
        pos = close + 1;
        while (pos < length && (bytes[pos] === SPACE || bytes[pos] === CR || (bytes[pos] === TAB && delimiter !== TAB))) pos++;
        if (pos < length && bytes[pos] !== delimiter && bytes[pos] !== LF) {
          throw this.error(`unexpected '${String.fromCharCode(bytes[pos])}' after a closing quote`, bytes, pos, newlines);
        }
      } else {
        pos = this.scanNumber(bytes, pos);
        const numberEnd = pos;
        while (pos < length) {
          c = bytes[pos];
          if (c === delimiter || c === LF) break;
          pos++;
        }
        fieldEnd = pos;
        if (fieldEnd !== numberEnd) while (fieldEnd > fieldStart && isTrimmable(bytes[fieldEnd - 1])) fieldEnd--;
        if (fieldEnd === numberEnd) number = this.scanned;
      }
      if (pos >= length && !final) return -1;
      const k = row.count;
      if (k === row.starts.length) this.growRow();
      if (k === MAX_FIELDS) {
        throw this.error(`more than ${MAX_FIELDS} fields in one row: tables this wide are not supported`, bytes, fieldStart, newlines);
      }
      row.starts[k] = fieldStart;
      row.ends[k] = fieldEnd;
      row.flags[k] = flags;
      row.numbers[k] = number;
      row.count = k + 1;
      if (pos < length && bytes[pos] === delimiter) {
        pos++;
        continue;
      }
      this.emit(newlines);
      return pos < length ? pos + 1 : pos;
    }
  }

  private findClosingQuote(bytes: Buffer, open: number, final: boolean, rowStart: number): number {
    let pos = open + 1;
    for (;;) {
      const q = bytes.indexOf(QUOTE, pos);
      if (q < 0 || (q + 1 >= bytes.length && !final)) {
        if (!final) return -1;
        throw this.error('unterminated quoted field (no closing ")', bytes, open, countNewlines(bytes, rowStart, open));
      }
      if (bytes[q + 1] !== QUOTE) return q;
      pos = q + 2;
    }
  }

  /**
   * Parses the decimal number that starts at `start`, if any, into `this.scanned` (NaN when no
   * digits were read).
   * @returns the position after the number's last byte
   */
  private scanNumber(bytes: Buffer, start: number): number {
    const length = bytes.length;
    let pos = start;
    let c = pos < length ? bytes[pos] : -1;
    const negative = c === MINUS;
    if (negative || c === PLUS) pos++;
    let small = 0; // the first 9 digits, in int32 arithmetic (fast)
    let large = 0; // all digits as a double, once there are more than 9
    let digits = 0;
    let dot = -1;
    for (; pos < length; pos++) {
      c = bytes[pos];
      const d = c - ZERO;
      if (d >= 0 && d <= 9) {
        if (digits < 9) small = small * 10 + d;
        else large = (digits === 9 ? small : large) * 10 + d;
        digits++;
      } else if (c === DOT && dot < 0) dot = pos;
      else break;
    }
    const mantissa = digits <= 9 ? small : large;
    const scale = dot < 0 ? 0 : dot + 1 - pos;
    if (digits === 0 || (pos < length && (c === LOWER_E || c === UPPER_E)) || mantissa > MAX_EXACT || scale < -22) {
      this.scanned = NaN; // no number, or one the careful parser must handle
      return digits === 0 ? start : pos;
    }
    const magnitude = scale === 0 ? mantissa : mantissa / POW10[-scale];
    this.scanned = negative ? -magnitude : magnitude;
    return pos;
  }

  private growRow(): void {
    const row = this.row;
    const n = row.starts.length * 2;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const flags = new Uint8Array(n);
    const numbers = new Float64Array(n);
    starts.set(row.starts);
    ends.set(row.ends);
    flags.set(row.flags);
    numbers.set(row.numbers);
    Object.assign(row, { starts, ends, flags, numbers });
  }

  private emit(newlines: number): void {
    const row = this.row;
    row.line = this.nextLine;
    this.nextLine += 1 + newlines;
    const blank = row.count === 1 && row.starts[0] === row.ends[0] && row.flags[0] === 0;
    if (!blank) this.sink(row);
  }

  private error(message: string, bytes: Buffer, at: number, newlinesBefore: number): DatasetError {
    const lineStart = at === 0 ? 0 : bytes.lastIndexOf(LF, at - 1) + 1;
    return new DatasetError(message, { file: this.file, line: this.nextLine + newlinesBefore, column: at - lineStart + 1 });
  }
}

function isTrimmable(c: number): boolean {
  return c === SPACE || c === CR || c === TAB;
}

function countNewlines(bytes: Buffer, start: number, end: number): number {
  let n = 0;
  for (let p = bytes.indexOf(LF, start); p >= 0 && p < end; p = bytes.indexOf(LF, p + 1)) n++;
  return n;
}

const ZERO = 48;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;
const MAX_EXACT = 2 ** 53 - 1;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
