/**
 * Locating invalid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
 * Validation itself uses `isUtf8` from `node:buffer` (fast); this finds where it failed.
 */

/**
 * Finds the first byte of the first invalid UTF-8 sequence.
 * @param bytes - the bytes
 * @param from - where to start (must be at a character boundary)
 * @returns its offset, or `bytes.length` when every sequence from `from` is valid
 */
export function firstInvalidUtf8(bytes: Uint8Array, from = 0): number {
  let i = from;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return bytes.length;
}

/** @returns the length of the valid sequence at `i`, or 0 when it is invalid or cut short */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) length = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    length = 3;
    if (c === 0xe0) low = 0xa0; // no overlong forms
    if (c === 0xed) high = 0x9f; // no surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    length = 4;
    if (c === 0xf0) low = 0x90;
    if (c === 0xf4) high = 0x8f; // nothing above U+10FFFF
  } else return 0;
  if (i + length > b.length) return 0;
  if (b[i + 1] < low || b[i + 1] > high) return 0;
  for (let k = 2; k < length; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return 0;
  return length;
}
