/**
 * Lexical rules of ARFF shared by the header and the data section: quoted strings with backslash
 * escapes, comma-separated fields, `%` comments.
 */

/** Thrown by the tokenizer; the reader adds the file and line. */
export class TokenError extends Error {
  /** @param column - 1-based character position in the line */
  constructor(message: string, readonly column: number) {
    super(message);
  }
}

/** The fields of one line, reused from line to line to avoid allocation. */
export interface FieldList {
  values: string[];
  /** `quoted[i]` is true when field i was written in quotes (a quoted `?` is a value, not missing). */
  quoted: boolean[];
  /** 1-based character position where each field starts, for error messages. */
  starts: number[];
  count: number;
}

/** @returns an empty reusable field list */
export function newFieldList(): FieldList {
  return { values: [], quoted: [], starts: [], count: 0 };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f' };

/**
 * Reads a quoted string starting at `pos` (which holds the quote character).
 * @returns the unescaped text and the position after the closing quote
 * @throws TokenError when the quote is not closed on this line
 */
export function readQuoted(line: string, pos: number): { text: string; end: number } {
  const quote = line[pos];
  let text = '';
  let i = pos + 1;
  let runStart = i;
  while (i < line.length) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) {
      text += line.slice(runStart, i);
      const next = line[i + 1];
      text += ESCAPES[next] ?? next;
      i += 2;
      runStart = i;
    } else if (ch === quote) {
      return { text: text + line.slice(runStart, i), end: i + 1 };
    } else {
      i++;
    }
  }
  throw new TokenError(`unterminated quoted string (opened with ${quote})`, pos + 1);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10;
}

/** @returns the first position at or after `pos` that is not a space or tab */
export function skipSpaces(line: string, pos: number): number {
  while (pos < line.length && isSpace(line.charCodeAt(pos))) pos++;
  return pos;
}

/**
 * Splits `line[from, to)` into value tokens the way Weka's ARFF reader does: commas and runs of
 * spaces or tabs both separate values (so a trailing comma is harmless and values containing spaces
 * must be quoted), quoted values keep their text, and an unquoted `%` starts a comment.
 * @param out - the list to fill (its previous content is discarded)
 * @throws TokenError on an unterminated quote
 */
export function splitFields(line: string, out: FieldList, from = 0, to = line.length): void {
  out.count = 0;
  let pos = from;
  for (;;) {
    while (pos < to && isSeparator(line.charCodeAt(pos))) pos++;
    if (pos >= to || line.charCodeAt(pos) === 37 /* % */) return;
    const ch = line[pos];
    const start = pos;
    let value: string;
    let quoted = false;
    if (ch === "'" || ch === '"') {
      const q = readQuoted(line, pos);
      value = q.text;
      quoted = true;
      pos = q.end;
    } else {
      while (pos < to && !isWordEnd(line.charCodeAt(pos))) pos++;
      value = line.slice(start, pos);
    }
    out.values[out.count] = value;
    out.quoted[out.count] = quoted;
    out.starts[out.count] = start + 1;
    out.count++;
  }
}

function isSeparator(code: number): boolean {
  return code === 44 || code === 32 || code === 9 || code === 13 || code === 10;
}

function isWordEnd(code: number): boolean {
  return isSeparator(code) || code === 37 || code === 39 || code === 34;
}

/**
 * Reads one header token: a quoted string or a run of non-space characters.
 * @returns the token text and the position after it, or null at the end of the line
 */
export function readWord(line: string, pos: number): { text: string; end: number } | null {
  pos = skipSpaces(line, pos);
  if (pos >= line.length || line[pos] === '%') return null;
  if (line[pos] === "'" || line[pos] === '"') return readQuoted(line, pos);
  let end = pos;
  while (end < line.length && !isSpace(line.charCodeAt(end)) && line[end] !== '{') end++;
  return { text: line.slice(pos, end), end };
}

/**
 * Finds the `}` that closes the brace at `open`, skipping quoted text.
 * @returns its position, or -1 when the line ends first
 */
export function findClosingBrace(line: string, open: number): number {
  for (let i = open + 1; i < line.length; i++) {
    const ch = line[i];
    if (ch === "'" || ch === '"') i = readQuoted(line, i).end - 1;
    else if (ch === '}') return i;
  }
  return -1;
}
