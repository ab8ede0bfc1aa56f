/**
 * Finds where a JSON text stops being valid and what was expected there, because `JSON.parse`
 * does not always say where (Node 20: `Unexpected token ' ', "…" is not valid JSON`).
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

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_CHAR = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;

/**
 * @param text - a candidate JSON document
 * @returns the first syntax error, or undefined when the text is valid JSON
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const checker = new SyntaxChecker(text);
  try {
    checker.document();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxFound) return { offset: error.offset, expected: error.expected };
    throw error;
  }
}

class SyntaxChecker {
  private pos = 0;
  constructor(private readonly text: string) {}

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
    this.pos++;
    this.match(STRING_CHAR);
    if (this.text[this.pos] !== '"') this.fail('a closing double quote (or a valid escape)');
    this.pos++;
  }

  private object(): void {
    this.pos++;
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') this.fail('a double-quoted property name');
      this.string();
      this.space();
      if (this.text[this.pos] !== ':') this.fail("':' after the property name");
      this.pos++;
      this.value();
      this.space();
      const c = this.text[this.pos++];
      if (c === '}') return;
      if (c !== ',') this.fail("',' or '}' after the property value", -1);
    }
  }

  private array(): void {
    this.pos++;
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.value();
      this.space();
      const c = this.text[this.pos++];
      if (c === ']') return;
      if (c !== ',') this.fail("',' or ']' after the array element", -1);
    }
  }
}
