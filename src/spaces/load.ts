/**
 * Loading search spaces: by name from the spaces shipped in `search-spaces/`, or from a file.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SearchSpaceError } from '../errors.ts';
import { firstInvalidUtf8 } from '../data/utf8.ts';
import { findJsonDuplicateKey, findJsonSyntaxError } from './json-syntax.ts';
import { ParseContext } from './parse-context.ts';
import { parseSpaceDocument } from './parse-space.ts';
import { SearchSpace } from './search-space.ts';

/** The directory of the spaces shipped with metatune, found relative to this module. */
export const BUILTIN_SPACES_DIR = fileURLToPath(new URL('../../search-spaces/', import.meta.url));

const BUILTIN_NAME = /^[A-Za-z0-9_-]+$/;

/** @returns the names of the shipped search spaces (`mlp`, `linear`, …), sorted */
export function builtinSearchSpaceNames(): string[] {
  return readdirSync(BUILTIN_SPACES_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * Loads and validates a search space. A bare name (letters, digits, `_`, `-`) such as `mlp` is a
 * shipped space (`search-spaces/mlp.json`); anything else is a path to a JSON file.
 * @param nameOrPath - a shipped space's name or a file path
 * @returns the validated space
 * @throws SearchSpaceError for an unknown name, an unreadable file, invalid JSON or an invalid
 *   space, naming the file, the line and column and the JSON path
 */
export function loadSearchSpace(nameOrPath: string): SearchSpace {
  const isName = BUILTIN_NAME.test(nameOrPath);
  const file = isName ? `${BUILTIN_SPACES_DIR}${nameOrPath}.json` : nameOrPath;
  if (isName && !builtinSearchSpaceNames().includes(nameOrPath)) {
    throw new SearchSpaceError(
      `unknown search space '${nameOrPath}'; shipped spaces are ${builtinSearchSpaceNames().join(', ')}, or give a path to a .json file`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new SearchSpaceError(`cannot read the search space file: ${errorMessage(cause)}`, { file }, { cause });
  }
  return parseSearchSpaceText(decodeUtf8(bytes, file), file);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a space file strictly: invalid UTF-8 is an error, never U+FFFD (two different bad bytes
 * in two choices would become one). A UTF-8 byte-order mark is dropped.
 * @throws SearchSpaceError naming the line and byte offset of the first invalid byte
 */
function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    const at = firstInvalidUtf8(bytes);
    if (at === bytes.length) throw new SearchSpaceError(`cannot decode the file (${bytes.length} bytes): ${errorMessage(cause)}`, { file }, { cause });
    const line = 1 + bytes.subarray(0, at).filter((b) => b === 10).length;
    const hex = (bytes[at] ?? 0).toString(16).padStart(2, '0');
    throw new SearchSpaceError(`not valid UTF-8: byte 0x${hex} at byte offset ${at} (save the file as UTF-8)`, { file, line }, { cause });
  }
}

/**
 * Parses and validates a search space from JSON text.
 * @param text - the JSON document
 * @param file - where it came from, for error messages
 * @returns the validated space
 * @throws SearchSpaceError with file, line and column on invalid JSON or an invalid space
 */
export function parseSearchSpaceText(text: string, file?: string): SearchSpace {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    const found = findJsonSyntaxError(text);
    const at = found === undefined ? {} : lineAndColumn(text, found.offset);
    const detail = found === undefined ? errorMessage(cause) : `expected ${found.expected}`;
    throw new SearchSpaceError(`invalid JSON: ${detail}`, { file, ...at }, { cause });
  }
  const duplicate = findJsonDuplicateKey(text);
  if (duplicate !== undefined) {
    throw new SearchSpaceError(`key ${JSON.stringify(duplicate.key)} given twice in one object (JSON would keep only the last)`, {
      file,
      ...lineAndColumn(text, duplicate.offset),
    });
  }
  return parseSearchSpace(raw, new ParseContext(file, text));
}

/**
 * Validates an already decoded search space document.
 * @param raw - the decoded JSON document
 * @param ctx - its source, for error locations; defaults to an in-memory document
 * @returns the validated space
 * @throws SearchSpaceError naming the JSON path and what was expected
 */
export function parseSearchSpace(raw: unknown, ctx: ParseContext = new ParseContext()): SearchSpace {
  return new SearchSpace(parseSpaceDocument(raw, ctx), ctx);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
