/**
 * The body of a CSV file, fed chunk by chunk to the row scanner: an incomplete last row is carried
 * over to the next chunk, and every byte is checked (valid UTF-8, no NUL) before it is scanned.
 */
import { isUtf8 } from 'node:buffer';
import { DatasetError } from '../../errors.ts';
import { invalidUtf8Error } from '../text-file.ts';
import type { CsvRowScanner } from './parser.ts';

const LF = 10;

/**
 * The longest incomplete row the reader carries from chunk to chunk; a longer one is an error.
 * (A row that ends within the chunks read at the next rescan is still read, so a row of up to
 * about twice this may load: the bound is on memory, not an exact length.)
 */
export const MAX_ROW_BYTES = 64 << 20;

/**
 * Feeds the file's bytes to the row scanner, carrying an incomplete last row over to the next
 * chunk, and checks every scanned byte: valid UTF-8, no NUL. An incomplete row is rescanned only
 * once as many new bytes have arrived as it holds, so a very long row costs linear time.
 */
export class BodyScanner {
  private pending: Buffer;
  private offset: number;
  /** Offset in the file of `pending[0]`. */
  private base = 0;
  /** File offset up to which the bytes were checked (UTF-8, no NUL). */
  private checked = 0;
  private waiting: Buffer[] = [];
  private waitingBytes = 0;

  constructor(
    private readonly scanner: CsvRowScanner,
    private readonly path: string,
    first: Buffer,
    offset: number,
  ) {
    this.pending = first;
    this.offset = offset;
  }

  /** Scans the complete rows of the first bytes (more follow). */
  begin(): void {
    this.offset = this.scan(this.pending, this.offset, false);
  }

  /** Adds the next chunk of the file; scans when enough bytes have arrived. */
  push(chunk: Buffer): void {
    this.waiting.push(chunk);
    this.waitingBytes += chunk.length;
    if (this.waitingBytes < this.pending.length - this.offset) return;
    this.base += this.offset;
    const bytes = Buffer.concat([this.pending.subarray(this.offset), ...this.waiting]);
    this.waiting = [];
    this.waitingBytes = 0;
    this.pending = bytes;
    this.offset = this.scan(bytes, 0, false);
    if (bytes.length - this.offset > MAX_ROW_BYTES) {
      throw new DatasetError(`a row longer than ${MAX_ROW_BYTES >> 20} MiB: rows this long are not supported`, {
        file: this.path,
        line: this.scanner.line,
      });
    }
  }

  /** Scans what is left, the last row included. */
  finish(): void {
    if (this.waiting.length > 0) {
      this.base += this.offset;
      this.pending = Buffer.concat([this.pending.subarray(this.offset), ...this.waiting]);
      this.offset = 0;
    }
    this.scan(this.pending, this.offset, true);
  }

  /** Checks the new complete lines of `bytes` (all of it when `final`), then scans its rows. */
  private scan(bytes: Buffer, start: number, final: boolean): number {
    const from = Math.max(start, this.checked - this.base);
    const to = final ? bytes.length : bytes.lastIndexOf(LF) + 1;
    if (to > from) {
      this.check(bytes, from, to, this.scanner.line + countByte(bytes.subarray(start, from), LF));
      this.checked = this.base + to;
    }
    return this.scanner.scan(bytes, start, final);
  }

  /**
   * Refuses invalid UTF-8 and NUL bytes in `bytes[from, to)`, before any of it becomes a value.
   * @param line - the line of `bytes[from]`
   */
  private check(bytes: Buffer, from: number, to: number, line: number): void {
    const region = bytes.subarray(from, to);
    if (!isUtf8(region)) throw invalidUtf8Error(bytes, from, this.path, line, this.base);
    const nul = region.indexOf(0);
    if (nul >= 0) {
      throw new DatasetError(`binary data, not text: NUL byte at byte offset ${this.base + from + nul}`, {
        file: this.path,
        line: line + countByte(region.subarray(0, nul), LF),
      });
    }
  }
}

function countByte(bytes: Buffer, byte: number): number {
  let n = 0;
  for (let p = bytes.indexOf(byte); p >= 0; p = bytes.indexOf(byte, p + 1)) n++;
  return n;
}
