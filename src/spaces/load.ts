/**
 * Loading search spaces: by name from the spaces shipped in `search-spaces/`, or from a file.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SearchSpaceError } from '../errors.ts';
import { findJsonSyntaxError } from './json-syntax.ts';
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
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SearchSpaceError(`cannot read the search space file: ${errorMessage(cause)}`, { file }, { cause });
  }
  return parseSearchSpaceText(text, file);
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
