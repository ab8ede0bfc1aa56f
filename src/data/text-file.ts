/**
 * Reading small text files whole (ARFF headers and data), with the checks every reader needs:
 * the file exists, it is not binary (nor UTF-16/UTF-32), it is valid UTF-8. A UTF-8 byte-order
 * mark is dropped. Invalid UTF-8 is an error naming the line and the byte offset, never decoded
 * leniently: two distinct invalid bytes would both become U+FFFD and merge two categories.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { DatasetError } from '../errors.ts';
import { inflateIfGzip, MAX_TEXT_BYTES, tooLargeToReadWhole } from './source.ts';
import { firstInvalidUtf8 } from './utf8.ts';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads a whole file as UTF-8 text, decompressing it first when it is gzip.
 * @param path - the file
 * @returns its text without a byte-order mark
 * @throws DatasetError when the file is missing, unreadable, binary or not UTF-8
 */
export async function readTextFile(path: string): Promise<string> {
  return decodeText(inflateIfGzip(await readBytes(path), path), path);
}

/** {@link readTextFile}, synchronously. */
export function readTextFileSync(path: string): string {
  return decodeText(readBytesSync(path), path);
}

/**
 * A whole file's (decompressed) bytes, read synchronously.
 * @throws DatasetError when the file is missing or unreadable, or its gzip data is corrupt
 */
export function readBytesSync(path: string): Buffer {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new DatasetError(describeIoError(error), { file: path });
  }
  const content = inflateIfGzip(bytes, path);
  return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

function decodeText(bytes: Uint8Array, path: string): string {
  assertText(bytes.subarray(0, 65536), path);
  if (bytes.length > MAX_TEXT_BYTES) {
    throw tooLargeToReadWhole(path, `${bytes.length} bytes`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const line = 1 + countLineFeeds(bytes.subarray(0, nul));
    throw new DatasetError(`binary data, not text: NUL byte at byte offset ${nul}`, { file: path, line });
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw invalidUtf8Error(bytes, 0, path, 1, 0);
  }
}

export { MAX_TEXT_BYTES } from './source.ts';

function countLineFeeds(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b === 10) n++;
  return n;
}

/**
 * Describes the first invalid UTF-8 sequence of `bytes[from, ...)`.
 * @param bytes - the bytes, known to hold an invalid sequence at or after `from`
 * @param from - where to start looking
 * @param path - the file, for the message
 * @param line - the 1-based line of `bytes[from]`
 * @param fileOffset - the offset in the file of `bytes[0]`
 * @returns a DatasetError naming the file, the line and the byte's offset in the file
 */
export function invalidUtf8Error(bytes: Uint8Array, from: number, path: string, line: number, fileOffset: number): DatasetError {
  const at = firstInvalidUtf8(bytes, from);
  for (let i = from; i < at; i++) if (bytes[i] === 10) line++;
  const hex = (bytes[at] ?? 0).toString(16).padStart(2, '0');
  return new DatasetError(`not valid UTF-8: byte 0x${hex} at byte offset ${fileOffset + at} (save the file as UTF-8)`, { file: path, line });
}

/**
 * Rejects bytes that look binary (a NUL byte, or many control characters).
 * @param sample - the first bytes of the file
 * @param path - for the error message
 * @throws DatasetError when the sample looks binary
 */
export function assertText(sample: Uint8Array, path: string): void {
  const wide = wideEncoding(sample);
  if (wide !== null) throw new DatasetError(`${wide} text (byte-order mark); save the file as UTF-8`, { file: path, line: 1 });
  let control = 0;
  let line = 1;
  let firstControlLine = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i];
    if (b === 10) line++;
    else if (b === 0) throw new DatasetError(`binary file, not text: NUL byte at offset ${i}`, { file: path, line });
    else if (b < 32 && b !== 9 && b !== 13 && b !== 12) {
      control++;
      if (firstControlLine === 0) firstControlLine = line;
    }
  }
  if (control > 0 && control * 20 > sample.length) {
    throw new DatasetError(`binary file, not text: ${control} control bytes in the first ${sample.length}`, { file: path, line: firstControlLine });
  }
}

/** @returns the encoding a UTF-16 or UTF-32 byte-order mark announces, or null */
function wideEncoding(b: Uint8Array): string | null {
  if (b[0] === 0xff && b[1] === 0xfe) return b[2] === 0 && b[3] === 0 ? 'UTF-32LE' : 'UTF-16LE';
  if (b[0] === 0xfe && b[1] === 0xff) return 'UTF-16BE';
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32BE';
  return null;
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new DatasetError(describeIoError(error), { file: path });
  }
}

/** @returns a user-facing message for a file-system error */
export function describeIoError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES') return 'permission denied';
  return `cannot read the file (${error instanceof Error ? error.message : String(error)})`;
}
