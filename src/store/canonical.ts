/**
 * Canonical JSON and hashing for the store: equal values serialise to equal bytes, which makes
 * exports deterministic and content hashes stable.
 */
import { createHash } from 'node:crypto';
import { openDataStream } from '../data/source.ts';
import type { CurveSeries, JsonValue, StoredCurve } from './records.ts';

/**
 * Serialises a value as JSON with object keys sorted (by UTF-16 code units) at every depth and no
 * whitespace. Non-finite numbers become null, as in `JSON.stringify`; `undefined` members are dropped.
 * @param value - a JSON-compatible value
 * @returns the canonical JSON text
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(Reflect.get(value, key));
    return sorted;
  }
  return value;
}

/** @returns the lower-case hex sha256 of a string (UTF-8) or bytes */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Hashes a data file's content without reading it whole into memory. A gzip-compressed file is
 * hashed decompressed, so `iris.arff` and `iris.arff.gz` are the same task's data.
 * @param path - the file
 * @returns the lower-case hex sha256 of its (decompressed) content
 */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of openDataStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** @returns the number when finite, else null (how the store keeps NaN and ±Infinity) */
export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** @returns a copy of a number record with non-finite values as null */
export function finiteRecord(values: Readonly<Record<string, number | null>>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [key, v] of Object.entries(values)) out[key] = finiteOrNull(v);
  return out;
}

/** Significant digits a learning curve keeps: float32 precision, what TensorFlow.js trains in. */
export const CURVE_DIGITS = 7;

/** @returns a curve value to {@link CURVE_DIGITS} significant digits, or null when not finite */
export function curveValue(value: number | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Number(value.toPrecision(CURVE_DIGITS)) : null;
}

/**
 * @returns a learning curve as the store keeps it: non-finite values as null, the rest to
 *   {@link CURVE_DIGITS} significant digits (which halves the database; rounding is idempotent, so
 *   export → import round-trips exactly)
 */
export function storedCurve(curve: StoredCurve): StoredCurve {
  if (isSeries(curve)) return curve.map(curveValue);
  return { trainLoss: curve.trainLoss.map(curveValue), validLoss: curve.validLoss.map(curveValue) };
}

function isSeries(curve: StoredCurve): curve is CurveSeries {
  return Array.isArray(curve);
}

/** @returns the current time as ISO-8601 UTC */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Parses JSON the store itself wrote. */
export function parseStoredJson(text: string): JsonValue {
  const value: JsonValue = JSON.parse(text);
  return value;
}
