/**
 * ARFF `date` attributes: a Java SimpleDateFormat pattern compiled into a parser that returns
 * epoch milliseconds (UTC). Supported letters: y, M, d, H, h, m, s, S, a, and literal text in
 * single quotes; anything else is a literal character.
 */

/** Parses a date string; returns epoch ms, or NaN when it does not match the format. */
export type DateParser = (text: string) => number;

type Field = 'year' | 'month' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'milli' | 'ampm';

const LETTERS: Record<string, Field> = {
  y: 'year', M: 'month', d: 'day', H: 'hour', h: 'hour12', m: 'minute', s: 'second', S: 'milli', a: 'ampm',
};

/**
 * Compiles a SimpleDateFormat-style pattern.
 * @param pattern - e.g. `yyyy-MM-dd'T'HH:mm:ss` (Weka's default) or `dd/MM/yyyy`
 * @returns a parser from text to epoch milliseconds (UTC)
 * @throws Error when the pattern uses an unsupported letter
 */
export function compileDateFormat(pattern: string): DateParser {
  const fields: Field[] = [];
  let regex = '';
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i];
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      const literal = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      regex += literal === '' ? "'" : escapeRegex(literal);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let run = 1;
    while (pattern[i + run] === ch) run++;
    const field = LETTERS[ch];
    if (field !== undefined) {
      fields.push(field);
      regex += field === 'ampm' ? '([AaPp][Mm])' : run >= 3 && field === 'month' ? '([A-Za-z]+)' : '(\\d+)';
    } else if (/[A-Za-z]/.test(ch)) {
      throw new Error(`unsupported letter '${ch}' in date format '${pattern}'`);
    } else {
      regex += escapeRegex(ch.repeat(run));
    }
    i += run;
  }
  const compiled = new RegExp(`^${regex}$`);
  return (text) => {
    const match = compiled.exec(text.trim());
    return match === null ? NaN : toEpoch(fields, match);
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function toEpoch(fields: readonly Field[], match: RegExpExecArray): number {
  const parts = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, milli: 0 };
  let pm: boolean | undefined;
  fields.forEach((field, k) => {
    const text = match[k + 1];
    if (field === 'ampm') pm = text.toLowerCase() === 'pm';
    else if (field === 'month' && /[A-Za-z]/.test(text)) parts.month = MONTHS.indexOf(text.slice(0, 3).toLowerCase()) + 1;
    else if (field === 'hour12') parts.hour = Number(text) % 12;
    else parts[field] = Number(text);
  });
  if (pm === true) parts.hour += 12;
  if (parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.day > 31) return NaN;
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.milli);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
