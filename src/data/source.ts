/**
 * Opening data files, plain or gzip-compressed. A file whose first two bytes are gzip's magic
 * number (`1f 8b`) is decompressed on the fly, whatever its name, so `data.csv.gz` and
 * `data.arff.gz` read like their plain versions; the format and the default task name come from
 * the name without its `.gz`.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { DatasetError } from '../errors.ts';

/**
 * The largest file read whole (ARFF), plain or decompressed: V8's longest string is 2^29 - 24
 * UTF-16 units, and a file of at most that many bytes never decodes to more (decoding past it
 * threw a RangeError, exit 1). It also stops a small gzip file that expands past it (a bomb).
 */
export const MAX_TEXT_BYTES = 2 ** 29 - 24;

/** @returns the error for a file read whole that is larger than {@link MAX_TEXT_BYTES} */
export function tooLargeToReadWhole(path: string, size: string): DatasetError {
  return new DatasetError(`too large to read whole (${size}; at most ${MAX_TEXT_BYTES} bytes): save the data as CSV, which is streamed`, { file: path });
}

/** @returns whether the file starts with gzip's magic number (false when it cannot be read) */
export function isGzipFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && isGzipBytes(head);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** @returns whether the bytes start with gzip's magic number */
export function isGzipBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Opens a file as a stream of its (decompressed) content.
 * @param path - the file
 * @param highWaterMark - chunk size of the file reads
 * @returns a readable stream; read errors and corrupt gzip data surface as stream errors
 */
export function openDataStream(path: string, highWaterMark = 1 << 20): Readable {
  const file = createReadStream(path, { highWaterMark });
  if (!isGzipFile(path)) return file;
  return pipeline(file, createGunzip({ chunkSize: highWaterMark }), () => {});
}

/**
 * Decompresses a whole file's bytes when they are gzip, else returns them as they are.
 * @param bytes - the file's bytes
 * @param path - for the error message
 * @returns the content
 * @throws DatasetError when the gzip data is corrupt, truncated or expands past {@link MAX_TEXT_BYTES}
 */
export function inflateIfGzip(bytes: Uint8Array, path: string): Uint8Array {
  if (!isGzipBytes(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_TEXT_BYTES });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLargeToReadWhole(path, 'the gzip data expands past it');
    }
    throw new DatasetError(describeGzipError(error), { file: path });
  }
}

/** @returns a user-facing message for a zlib error */
export function describeGzipError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `the gzip data is corrupt or truncated (${message})`;
}

/** @returns whether an error came from zlib (corrupt or truncated compressed data) */
export function isZlibError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('Z_');
}

/** @returns the file's name without `.gz` and without its data extension: `iris.arff.gz` → `iris` */
export function dataFileStem(path: string): string {
  const name = basename(path).replace(/\.gz$/i, '');
  return basename(name, extname(name));
}

/** @returns the format a file name implies: `.arff` or `.arff.gz` → ARFF, anything else CSV */
export function dataFileFormat(path: string): 'arff' | 'csv' {
  return /\.arff(\.gz)?$/i.test(path) ? 'arff' : 'csv';
}
