/**
 * Helpers shared by the search space parsers: typed reads of untrusted JSON that fail with a
 * {@link SearchSpaceError} naming the file, the JSON path and what was expected.
 */

import { SearchSpaceError } from '../errors.ts';
import { formatJsonPath, locateJsonPath, type JsonPath } from './json-location.ts';
import type { HyperparameterValue } from './types.ts';

/** A JSON object read from an untrusted document. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Where a document came from: its path (for messages) and its text (for line and column). */
export class ParseContext {
  /**
   * @param file - path of the file as the user gave it, or undefined for in-memory documents
   * @param text - the document's text, used to turn JSON paths into line and column
   */
  constructor(
    readonly file?: string,
    readonly text?: string,
  ) {}

  /**
   * Builds an error located at `path`.
   * @param path - JSON path of the offending value
   * @param message - what is wrong and what was expected
   * @returns the error, for the caller to throw
   */
  error(path: JsonPath, message: string): SearchSpaceError {
    const at = this.text === undefined ? undefined : locateJsonPath(this.text, path);
    return new SearchSpaceError(`${formatJsonPath(path)}: ${message}`, {
      file: this.file,
      line: at?.line,
      column: at?.column,
    });
  }

  /** @returns `value` as an object, or throws naming `path` */
  object(value: unknown, path: JsonPath): JsonObject {
    if (!isJsonObject(value)) throw this.error(path, `expected an object, got ${describe(value)}`);
    return value;
  }

  /** @returns `value` as an array, or throws naming `path` */
  array(value: unknown, path: JsonPath): readonly unknown[] {
    if (!Array.isArray(value)) throw this.error(path, `expected an array, got ${describe(value)}`);
    return value;
  }

  /** @returns `value` as a non-empty string, or throws naming `path` */
  string(value: unknown, path: JsonPath): string {
    if (typeof value !== 'string' || value.length === 0) {
      throw this.error(path, `expected a non-empty string, got ${describe(value)}`);
    }
    return value;
  }

  /** @returns `value` as a finite number, or throws naming `path` */
  number(value: unknown, path: JsonPath): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw this.error(path, `expected a finite number, got ${describe(value)}`);
    }
    return value;
  }

  /** @returns `value` as a boolean, or throws naming `path` */
  boolean(value: unknown, path: JsonPath): boolean {
    if (typeof value !== 'boolean') throw this.error(path, `expected true or false, got ${describe(value)}`);
    return value;
  }

  /** @returns `value` as a hyperparameter value (string, finite number or boolean), or throws */
  value(value: unknown, path: JsonPath): HyperparameterValue {
    if (typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    throw this.error(path, `expected a string, a finite number or a boolean, got ${describe(value)}`);
  }

  /**
   * Rejects keys outside `allowed`, so that a typo such as `defualt_value` is not silently ignored.
   * @throws SearchSpaceError naming the first unknown key and the allowed ones
   */
  onlyKeys(obj: JsonObject, allowed: readonly string[], path: JsonPath): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        throw this.error([...path, key], `unknown key '${key}'; expected one of ${allowed.join(', ')}`);
      }
    }
  }
}

/** @returns whether `value` is a plain JSON object (not an array, not null) */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Describes a value for an error message: `"relu"`, `3`, `an array`, `null`, `nothing`.
 * @param value - any JSON value or undefined
 * @returns a short description
 */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  // JSON.stringify writes ±Infinity (from a literal such as 1e400) as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value} (a number too large for a double)`;
  return JSON.stringify(value) ?? String(value);
}
