/**
 * Reading small text files whole (ARFF headers and data), with the checks every reader needs:
 * the file exists, it is not binary, it is valid UTF-8. A UTF-8 byte-order mark is dropped.
 */
import { readFile } from 'node:fs/promises';
import { DatasetError } from '../errors.ts';
import { inflateIfGzip } from './source.ts';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads a whole file as UTF-8 text, decompressing it first when it is gzip.
 * @param path - the file
 * @returns its text without a byte-order mark
 * @throws DatasetError when the file is missing, unreadable, binary or not UTF-8
 */
export async function readTextFile(path: string): Promise<string> {
  const bytes = inflateIfGzip(await readBytes(path), path);
  assertText(bytes.subarray(0, 65536), path);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new DatasetError('not a text file: the bytes are not valid UTF-8', { file: path, line: firstInvalidLine(bytes) });
  }
}

/**
 * Rejects bytes that look binary (a NUL byte, or many control characters).
 * @param sample - the first bytes of the file
 * @param path - for the error message
 * @throws DatasetError when the sample looks binary
 */
export function assertText(sample: Uint8Array, path: string): void {
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

/** @returns the 1-based line of the first byte sequence that is not valid UTF-8 */
function firstInvalidLine(bytes: Uint8Array): number {
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 10) continue;
    try {
      decoder.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    line++;
    start = i + 1;
  }
  return line;
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
