/**
 * Maps a JSON path (`hyperparameters[3].lower`) to the line and column where that value starts in
 * the source text, so that errors in a search space file point at the offending spot as a
 * compiler would.
 */

/** A path into a JSON document: object keys and array indices. */
export type JsonPath = readonly (string | number)[];

/** 1-based line and column of a position in a text. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Formats a path the way a reader writes it: `hyperparameters[3].lower`.
 * @param path - keys and indices from the document root
 * @returns the dotted path, or `(root)` for the empty path
 */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Finds where the value at `path` starts in `text`. When the path does not exist in full, the
 * position of its deepest existing prefix is returned (e.g. the object that lacks a key).
 * @param text - a syntactically valid JSON document
 * @param path - keys and indices from the root
 * @returns the 1-based line and column, or undefined when the text is not valid JSON
 */
export function locateJsonPath(text: string, path: JsonPath): TextPosition | undefined {
  try {
    const scanner = new Scanner(text);
    const offset = scanner.find(path);
    return positionOf(text, offset);
  } catch {
    return undefined;
  }
}

function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A minimal JSON walker: skips values it does not need and descends along the path. */
class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  find(path: JsonPath): number {
    this.skipSpace();
    let start = this.pos;
    for (const part of path) {
      const found = typeof part === 'number' ? this.enterIndex(part) : this.enterKey(part);
      if (!found) return start;
      start = this.pos;
    }
    return start;
  }

  private enterKey(key: string): boolean {
    if (this.text[this.pos] !== '{') return false;
    this.pos++;
    this.skipSpace();
    while (this.text[this.pos] !== '}') {
      const name = this.readString();
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      if (name === key) return true;
      this.skipValue();
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      this.skipSpace();
    }
    return false;
  }

  private enterIndex(index: number): boolean {
    if (this.text[this.pos] !== '[') return false;
    this.pos++;
    this.skipSpace();
    for (let i = 0; this.text[this.pos] !== ']'; i++) {
      if (i === index) return true;
      this.skipValue();
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      this.skipSpace();
    }
    return false;
  }

  private skipValue(): void {
    const c = this.text[this.pos];
    if (c === '"') {
      this.readString();
    } else if (c === '{' || c === '[') {
      this.skipBracketed();
    } else {
      while (this.pos < this.text.length && !',}] \t\r\n'.includes(this.text[this.pos])) this.pos++;
    }
  }

  private skipBracketed(): void {
    let depth = 0;
    do {
      const c = this.text[this.pos];
      if (c === '"') {
        this.readString();
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
      this.pos++;
      if (this.pos > this.text.length) throw new Error('unterminated');
    } while (depth > 0);
  }

  private readString(): string {
    this.expect('"');
    const begin = this.pos - 1;
    while (this.text[this.pos] !== '"') {
      if (this.pos >= this.text.length) throw new Error('unterminated string');
      this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    }
    this.pos++;
    const parsed: unknown = JSON.parse(this.text.slice(begin, this.pos));
    return typeof parsed === 'string' ? parsed : '';
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) throw new Error(`expected ${c}`);
    this.pos++;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos])) this.pos++;
  }
}
