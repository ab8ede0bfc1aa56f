/**
 * ARFF `date` attributes: a Java SimpleDateFormat pattern compiled into a parser that returns
 * epoch milliseconds (UTC). Supported letters: y, M, d, H, h, m, s, S, a, and literal text in
 * single quotes (`''` is a quote); any other non-letter is a literal character.
 *
 * Parsing is one left-to-right pass over the pattern's fields with no backtracking, so its time
 * is linear in the value's length whatever the pattern (a regular expression of adjacent `(\d+)`
 * groups backtracked exponentially: 35 digits against `yMdHmsSyMdHmsS` took 56 s). As in Java, a
 * numeric field takes all the digits that follow, unless the next field is numeric too (abutting
 * fields, as in `yyyyMMdd`): then it takes exactly as many digits as the pattern has letters.
 */

/** Parses a date string; returns epoch ms, or NaN when it does not match the format. */
export type DateParser = (text: string) => number;

type Field = 'year' | 'month' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'milli' | 'ampm';

const LETTERS: Record<string, Field> = {
  y: 'year', M: 'month', d: 'day', H: 'hour', h: 'hour12', m: 'minute', s: 'second', S: 'milli', a: 'ampm',
};

/** One element of a compiled pattern. */
type Token =
  | { readonly kind: 'literal'; readonly text: string }
  /** `width`: exact digit count (abutting numeric fields), or 0 for as many digits as follow. */
  | { readonly kind: 'number'; readonly field: Field; readonly width: number }
  | { readonly kind: 'month-name' }
  | { readonly kind: 'ampm' };

/** A numeric field longer than this is not a date (and would lose precision). */
const MAX_DIGITS = 16;

/**
 * Compiles a SimpleDateFormat-style pattern.
 * @param pattern - e.g. `yyyy-MM-dd'T'HH:mm:ss` (Weka's default) or `dd/MM/yyyy`
 * @returns a parser from text to epoch milliseconds (UTC)
 * @throws Error when the pattern uses an unsupported letter
 */
export function compileDateFormat(pattern: string): DateParser {
  const tokens = tokenize(pattern);
  return (text) => {
    const parts = scan(tokens, text.trim());
    return parts === null ? NaN : toEpoch(parts);
  };
}

interface Run {
  readonly letter: string;
  readonly length: number;
}

function tokenize(pattern: string): Token[] {
  const runs: (Run | string)[] = [];
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i];
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      const literal = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      runs.push(literal === '' ? "'" : literal);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let length = 1;
    while (pattern[i + length] === ch) length++;
    if (LETTERS[ch] !== undefined) runs.push({ letter: ch, length });
    else if (/[A-Za-z]/.test(ch)) throw new Error(`unsupported letter '${ch}' in date format '${pattern}'`);
    else runs.push(ch.repeat(length));
    i += length;
  }
  return runs.map((run, k) => toToken(run, runs[k + 1]));
}

function toToken(run: Run | string, next: Run | string | undefined): Token {
  if (typeof run === 'string') return { kind: 'literal', text: run };
  const field = LETTERS[run.letter];
  if (field === 'ampm') return { kind: 'ampm' };
  if (field === 'month' && run.length >= 3) return { kind: 'month-name' };
  const abutting = next !== undefined && typeof next !== 'string' && isNumeric(next);
  return { kind: 'number', field, width: abutting ? run.length : 0 };
}

function isNumeric(run: Run): boolean {
  const field = LETTERS[run.letter];
  return field !== 'ampm' && !(field === 'month' && run.length >= 3);
}

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  hour12: number;
  minute: number;
  second: number;
  milli: number;
  ampm: number;
  monthName: string;
}

/** Matches the tokens against the text in one pass. @returns the fields, or null on a mismatch */
function scan(tokens: readonly Token[], text: string): DateParts | null {
  const parts: DateParts = { year: 1970, month: 1, day: 1, hour: 0, hour12: -1, minute: 0, second: 0, milli: 0, ampm: -1, monthName: '' };
  let pos = 0;
  for (const token of tokens) {
    if (token.kind === 'literal') {
      if (!text.startsWith(token.text, pos)) return null;
      pos += token.text.length;
    } else if (token.kind === 'number') {
      const end = token.width > 0 ? pos + token.width : digitsEnd(text, pos);
      if (end === pos || end - pos > MAX_DIGITS || end > text.length || digitsEnd(text, pos) < end) return null;
      parts[token.field] = Number(text.slice(pos, end));
      pos = end;
    } else if (token.kind === 'month-name') {
      let end = pos;
      while (end < text.length && /[A-Za-z]/.test(text[end])) end++;
      if (end === pos) return null;
      parts.monthName = text.slice(pos, end);
      pos = end;
    } else {
      const marker = text.slice(pos, pos + 2).toLowerCase();
      if (marker !== 'am' && marker !== 'pm') return null;
      parts.ampm = marker === 'pm' ? 1 : 0;
      pos += 2;
    }
  }
  return pos === text.length ? parts : null;
}

function digitsEnd(text: string, pos: number): number {
  while (pos < text.length && text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) pos++;
  return pos;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function toEpoch(parts: DateParts): number {
  const month = parts.monthName === '' ? parts.month : MONTHS.indexOf(parts.monthName.slice(0, 3).toLowerCase()) + 1;
  let hour = parts.hour12 >= 0 ? parts.hour12 % 12 : parts.hour;
  if (parts.ampm === 1) hour += 12;
  if (month < 1 || month > 12 || parts.day < 1 || parts.day > 31) return NaN;
  return Date.UTC(parts.year, month - 1, parts.day, hour, parts.minute, parts.second, parts.milli);
}
