/**
 * Byte-level helpers for the CSV hot path: number parsing straight from a Buffer (no string is
 * made for a numeric cell) and missing-value markers.
 */

import { infinityValue } from '../number.ts';

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Character codes used by the CSV parser. */
export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const QUESTION = 63;
const UPPER_E = 69;
const LOWER_E = 101;

/**
 * Parses a decimal number from `bytes[start, end)` (already trimmed). Up to 15 significant
 * digits and a decimal exponent within ±22 are computed exactly (one correctly rounded multiply
 * or divide, Clinger's fast path); anything longer falls back to `Number()`.
 * @returns the number, or NaN when the bytes are not a decimal number
 */
export function parseNumberBytes(bytes: Uint8Array, start: number, end: number): number {
  let pos = start;
  let negative = false;
  let c = bytes[pos];
  if (c === MINUS || c === PLUS) {
    negative = c === MINUS;
    c = bytes[++pos];
  }
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  while (pos < end && (c = bytes[pos]) >= ZERO && c <= NINE) {
    mantissa = mantissa * 10 + (c - ZERO);
    if (mantissa > 0) digits++;
    pos++;
  }
  let anyDigit = pos > start + (negative || bytes[start] === PLUS ? 1 : 0);
  if (pos < end && bytes[pos] === DOT) {
    pos++;
    const fractionStart = pos;
    while (pos < end && (c = bytes[pos]) >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      if (mantissa > 0) digits++;
      pos++;
    }
    scale = fractionStart - pos;
    anyDigit ||= pos > fractionStart;
  }
  if (!anyDigit) return NaN;
  if (pos < end && (bytes[pos] === LOWER_E || bytes[pos] === UPPER_E)) {
    const exponent = parseExponent(bytes, pos + 1, end);
    if (Number.isNaN(exponent)) return NaN;
    scale += exponent;
    pos = end;
  }
  if (pos !== end) return NaN;
  if (digits > 15 || scale > 22 || scale < -22) return Number(latin1(bytes, start, end));
  const magnitude = scale < 0 ? mantissa / POW10[-scale] : mantissa * POW10[scale];
  return negative ? -magnitude : magnitude;
}

function parseExponent(bytes: Uint8Array, pos: number, end: number): number {
  let sign = 1;
  if (bytes[pos] === MINUS || bytes[pos] === PLUS) {
    if (bytes[pos] === MINUS) sign = -1;
    pos++;
  }
  if (pos >= end) return NaN;
  let exponent = 0;
  for (; pos < end; pos++) {
    const c = bytes[pos];
    if (c < ZERO || c > NINE) return NaN;
    exponent = exponent * 10 + (c - ZERO);
  }
  return sign * exponent;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/**
 * Reads infinity written out in `bytes[start, end)` (trimmed): `inf`, `Infinity`, `-INF`...
 * @returns ±Infinity, or NaN when the bytes are not such a spelling
 */
export function infinityBytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 3 || end - start > 9) return NaN;
  return infinityValue(latin1(bytes, start, end));
}

/**
 * Missing-value markers, compared case-insensitively: `?`, `NA`, `NaN`, `null` (and empty), and
 * the signed NaN C's printf writes (`-nan`, `+nan`), which made a numeric column text.
 */
const MISSING = new Set(['?', 'na', 'nan', 'null', '-nan', '+nan']);

/**
 * @returns true when `bytes[start, end)` (trimmed) is empty or a missing-value marker
 */
export function isMissingBytes(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length === 0) return true;
  if (length > 4) return false;
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] | 0x20);
  return MISSING.has(text) || (length === 1 && bytes[start] === QUESTION);
}

/** @returns true when a trimmed text cell is empty or a missing-value marker */
export function isMissingText(text: string): boolean {
  return text.length === 0 || (text.length <= 4 && MISSING.has(text.toLowerCase()));
}
