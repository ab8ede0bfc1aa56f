/**
 * Strict decimal number parsing shared by the readers. `Number()` alone accepts `''`, `'0x1f'`
 * and `' '`; a data file's numeric cell must be a plain decimal (optionally signed, with an
 * exponent), or `Infinity`/`-Infinity`.
 *
 * The readers accept numbers up to {@link MAX_MAGNITUDE} in absolute value. Anything beyond —
 * infinity written out (`inf`, `Infinity`), a literal too large for a double (`1e400`), or a
 * finite double so large (`1.7e308`) that squaring it overflows — is refused when the file is
 * loaded, naming the line and column: standardisation sums squared deviations and meta-features
 * take moments, so such a value would only fail (or silently become NaN) later, in training.
 */

/**
 * The largest magnitude a numeric cell may have: 1e50, far beyond any measured quantity. Every
 * later stage stays finite in double precision: standardisation sums squared deviations (at most
 * (2e50)² = 4e100 each), and the kurtosis meta-features sum fourth powers of deviations (at most
 * 1.6e201 each), for any realistic number of rows; a bound of 1e100 already made those fourth
 * powers overflow (1e99 gave a NaN kurtosis, silently dropped from the meta-features).
 */
export const MAX_MAGNITUDE = 1e50;

/** @returns true when `value` is a number the readers accept: finite and within ±{@link MAX_MAGNITUDE} */
export function isUsableNumber(value: number): boolean {
  return Math.abs(value) <= MAX_MAGNITUDE;
}

/** What a numeric cell must be, for error messages. */
export const USABLE_NUMBER = 'a finite number within ±1e50';

// The integer part and the fraction cannot share digits (`\d+\.?\d*` could split a run of digits
// in as many ways as it is long, and a long run followed by a letter backtracked quadratically).
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a trimmed decimal number.
 * @param text - the cell text, already trimmed
 * @returns the number, or NaN when the text is not a decimal number
 */
export function parseDecimal(text: string): number {
  if (DECIMAL.test(text)) return Number(text);
  return infinityValue(text);
}

const INFINITY = /^([+-]?)inf(?:inity)?$/i;

/**
 * Reads infinity written out: `inf`, `Infinity`, `-INF`... (any case, optionally signed).
 * @returns ±Infinity, or NaN when the text is not such a spelling
 */
export function infinityValue(text: string): number {
  const match = text.length <= 9 ? INFINITY.exec(text) : null;
  if (match === null) return NaN;
  return match[1] === '-' ? -Infinity : Infinity;
}
