/**
 * Finds where a JSON text stops being valid and what was expected there, because `JSON.parse`
 * does not always say where (Node 20: `Unexpected token ' ', "…" is not valid JSON`); and finds
 * a key given twice in one object, which `JSON.parse` accepts silently, keeping the last.
 *
 * The checker recurses into arrays and objects up to {@link MAX_JSON_DEPTH} levels and scans
 * strings with a loop, so no input, however deep or long, overflows the stack.
 */

/** The first syntax error of a text: its 0-based offset and what was expected there. */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly expected: string;
}

class SyntaxFound extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(expected);
  }
}

/** A document nested deeper than this is reported as an error at the level that exceeds it. */
export const MAX_JSON_DEPTH = 512;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** A key given twice in one object: the 0-based offset of the second, and the key. */
export interface JsonDuplicateKey {
  readonly offset: number;
  readonly key: string;
}

/**
 * @param text - a candidate JSON document
 * @returns the first syntax error, or undefined when the text is valid JSON
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const checker = new SyntaxChecker(text, false);
  try {
    checker.document();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxFound) return { offset: error.offset, expected: error.expected };
    throw error;
  }
}

/**
 * @param text - a valid JSON document (`JSON.parse` accepted it)
 * @returns the first key that an object gives twice, or undefined when there is none
 */
export function findJsonDuplicateKey(text: string): JsonDuplicateKey | undefined {
  const checker = new SyntaxChecker(text, true);
  try {
    checker.document();
    return undefined;
  } catch (error) {
    if (error instanceof DuplicateFound) return { offset: error.offset, key: error.key };
    if (error instanceof SyntaxFound) return undefined;
    throw error;
  }
}

class DuplicateFound extends Error {
  constructor(
    readonly offset: number,
    readonly key: string,
  ) {
    super(key);
  }
}

class SyntaxChecker {
  private pos = 0;
  private depth = 0;
  constructor(
    private readonly text: string,
    private readonly duplicates: boolean,
  ) {}

  document(): void {
    this.value();
    this.space();
    if (this.pos < this.text.length) this.fail('end of document');
  }

  /** Throws the error at the current position, or `back` characters before it. */
  private fail(expected: string, back = 0): never {
    throw new SyntaxFound(this.pos + back, expected);
  }

  private space(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos])) this.pos++;
  }

  private value(): void {
    this.space();
    const c = this.text[this.pos];
    if ((c === '{' || c === '[') && this.depth >= MAX_JSON_DEPTH) this.fail(`at most ${MAX_JSON_DEPTH} levels of nested arrays and objects`);
    if (c === '{') this.object();
    else if (c === '[') this.array();
    else if (c === '"') this.string();
    else if (!this.literal() && !this.match(NUMBER)) this.fail('a value (object, array, string, number, true, false or null)');
  }

  private literal(): boolean {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return true;
      }
    }
    return false;
  }

  private match(pattern: RegExp): boolean {
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.text);
    if (found === null || found[0].length === 0) return false;
    this.pos += found[0].length;
    return true;
  }

  private string(): void {
    const text = this.text;
    this.pos++;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 34 /* " */) break;
      if (c === 92 /* \ */) {
        if (!this.match(ESCAPE)) break;
      } else if (c < 32 || Number.isNaN(c)) break;
      else this.pos++;
    }
    if (this.text[this.pos] !== '"') this.fail('a closing double quote (or a valid escape)');
    this.pos++;
  }

  private object(): void {
    this.pos++;
    this.depth++;
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      this.depth--;
      return;
    }
    const keys = this.duplicates ? new Set<string>() : undefined;
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') this.fail('a double-quoted property name');
      const keyStart = this.pos;
      this.string();
      if (keys !== undefined) this.checkKey(keys, keyStart);
      this.space();
      if (this.text[this.pos] !== ':') this.fail("':' after the property name");
      this.pos++;
      this.value();
      this.space();
      const c = this.text[this.pos++];
      if (c === '}') {
        this.depth--;
        return;
      }
      if (c !== ',') this.fail("',' or '}' after the property value", -1);
    }
  }

  private checkKey(keys: Set<string>, start: number): void {
    const parsed: unknown = JSON.parse(this.text.slice(start, this.pos));
    const key = typeof parsed === 'string' ? parsed : '';
    if (keys.has(key)) throw new DuplicateFound(start, key);
    keys.add(key);
  }

  private array(): void {
    this.pos++;
    this.depth++;
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      this.depth--;
      return;
    }
    for (;;) {
      this.value();
      this.space();
      const c = this.text[this.pos++];
      if (c === ']') {
        this.depth--;
        return;
      }
      if (c !== ',') this.fail("',' or ']' after the array element", -1);
    }
  }
}
