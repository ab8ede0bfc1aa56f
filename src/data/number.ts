/**
 * Strict decimal number parsing shared by the readers. `Number()` alone accepts `''`, `'0x1f'`
 * and `' '`; a data file's numeric cell must be a plain decimal (optionally signed, with an
 * exponent), or `Infinity`/`-Infinity`.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a trimmed decimal number.
 * @param text - the cell text, already trimmed
 * @returns the number, or NaN when the text is not a decimal number
 */
export function parseDecimal(text: string): number {
  if (DECIMAL.test(text)) return Number(text);
  if (text === 'Infinity' || text === '+Infinity' || text === 'inf') return Infinity;
  if (text === '-Infinity' || text === '-inf') return -Infinity;
  return NaN;
}
