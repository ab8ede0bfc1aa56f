/**
 * Typed access to the fields of one parsed JSON object (a line of an import file), with errors
 * that name the file, the line and the field.
 */
import { StoreError } from '../errors.ts';
import type { SourceLocation } from '../errors.ts';
import type { JsonValue, StoredConfiguration, StoredCurve } from './records.ts';

/** Reads fields of a JSON object, throwing StoreError at its file and line. */
export class RecordReader {
  private readonly fields: Readonly<Record<string, unknown>>;

  constructor(value: unknown, private readonly location: SourceLocation) {
    if (!isObject(value)) throw new StoreError('expected a JSON object', location);
    this.fields = value;
  }

  /** @returns a StoreError about a field, at this record's location */
  error(field: string, expected: string): StoreError {
    return new StoreError(`field '${field}': expected ${expected}, got ${JSON.stringify(this.fields[field]) ?? 'nothing'}`, {
      ...this.location,
      column: field,
    });
  }

  string(field: string): string {
    const v = this.fields[field];
    if (typeof v !== 'string') throw this.error(field, 'a string');
    return v;
  }

  nullableString(field: string): string | null {
    return this.fields[field] === null || this.fields[field] === undefined ? null : this.string(field);
  }

  number(field: string): number {
    const v = this.fields[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.error(field, 'a finite number');
    return v;
  }

  nullableNumber(field: string): number | null {
    return this.fields[field] === null ? null : this.number(field);
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T {
    const v = this.fields[field];
    const found = values.find((x) => x === v);
    if (found === undefined) throw this.error(field, `one of ${values.join(', ')}`);
    return found;
  }

  json(field: string): JsonValue {
    const v = this.fields[field];
    if (!isJson(v)) throw this.error(field, 'a JSON value');
    return v;
  }

  /** @returns an object of finite numbers (or nulls: the store keeps NaN and ±Infinity as null, so an export never holds them) */
  numberRecord(field: string): Record<string, number | null> {
    const v = this.fields[field];
    if (!isObject(v)) throw this.error(field, 'an object of numbers');
    const out: Record<string, number | null> = {};
    for (const [key, x] of Object.entries(v)) {
      if (x !== null && (typeof x !== 'number' || !Number.isFinite(x))) throw this.error(field, 'an object of finite numbers (null where missing)');
      out[key] = x;
    }
    return out;
  }

  stringRecord(field: string): Record<string, string> {
    const v = this.fields[field];
    if (!isObject(v)) throw this.error(field, 'an object of strings');
    const out: Record<string, string> = {};
    for (const [key, x] of Object.entries(v)) {
      if (typeof x !== 'string') throw this.error(field, 'an object of strings');
      out[key] = x;
    }
    return out;
  }

  numberArray(field: string): (number | null)[] {
    const v = this.fields[field];
    if (!Array.isArray(v) || !v.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)))) {
      throw this.error(field, 'an array of finite numbers (null where missing)');
    }
    return v.map((x) => (typeof x === 'number' ? x : null));
  }

  /** @returns a learning curve: an array of numbers, or `{ trainLoss, validLoss }` arrays */
  curve(field: string): StoredCurve {
    const v = this.fields[field];
    if (Array.isArray(v)) return this.numberArray(field);
    if (isObject(v) && Object.keys(v).length === 2) {
      const series = new RecordReader(v, { ...this.location, column: field });
      return { trainLoss: series.numberArray('trainLoss'), validLoss: series.numberArray('validLoss') };
    }
    throw this.error(field, 'an array of numbers or { trainLoss, validLoss }');
  }

  configuration(field: string): StoredConfiguration {
    const v = this.fields[field];
    if (!isObject(v)) throw this.error(field, 'a configuration object');
    const out: Record<string, number | string | boolean> = {};
    for (const [key, x] of Object.entries(v)) {
      if (typeof x !== 'number' && typeof x !== 'string' && typeof x !== 'boolean') {
        throw this.error(field, 'a configuration of numbers, strings and booleans');
      }
      out[key] = x;
    }
    return out;
  }
}

/** @returns whether a value is a plain JSON object */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @returns whether a value is JSON (as JSON.parse produces) */
export function isJson(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  return isObject(value) && Object.values(value).every(isJson);
}
