/**
 * Output formatting for the CLI: aligned text tables, JSON, and a progress bar with ETA on stderr.
 * The library never prints; only the CLI uses this module.
 */

export type Cell = string | number | boolean | null | undefined;

/**
 * Characters that must not reach a terminal raw from an untrusted string (a file's column names
 * and values, a dataset name, a path, an error message quoting them): C0 controls (ESC starts
 * escape sequences that recolour, move the cursor or retitle the window), DEL, C1 controls, the
 * Unicode line and paragraph separators, zero-width and bidirectional formatting characters
 * (which reorder what the reader sees), and lone surrogates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Makes an untrusted string safe to print on a terminal: every control, bidi or invisible
 * formatting character is shown as an escape (`\x1b`, `\n`, `\u202e`) instead of acting.
 * Every string from a file goes through this before human output; `--json` output does not (it
 * is faithful, and JSON escapes controls itself).
 * @param text - the untrusted string
 * @param keepNewlines - leave `\n` as a line break (for multi-line messages the CLI composed)
 * @returns the string with unsafe characters escaped
 */
export function escapeText(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? UNSAFE_EXCEPT_NEWLINE : UNSAFE, escapeChar);
}

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Shortens text to at most `width` characters, ending in an ellipsis when cut (code points, so
 * that no surrogate pair is split).
 * @param text - the text (already escaped)
 * @param width - the most characters to keep, ≥ 1
 * @returns the text, or its start and `…`
 */
export function truncateText(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}

/** The width tables fit into: the terminal's columns when stdout is one, 120 otherwise. */
export function terminalWidth(): number {
  return process.stdout.isTTY === true && (process.stdout.columns ?? 0) >= 40 ? process.stdout.columns : DEFAULT_TABLE_WIDTH;
}

/** Width of tables when stdout is not a terminal. */
export const DEFAULT_TABLE_WIDTH = 120;

/** How a table fits a width. */
export interface TableLayout {
  /** Total width to fit into by cutting the widest text columns (default: no limit). */
  readonly maxWidth?: number;
  /** Indices of columns that are never cut (the payload, such as a configuration). */
  readonly keep?: readonly number[];
}

/** Narrowest a column is cut to (its header stays whole). */
const MIN_COLUMN_WIDTH = 12;

/**
 * Formats rows as an aligned text table with a header line. Numbers are right-aligned. Every
 * text cell is escaped ({@link escapeText}); with `layout.maxWidth`, the widest text columns
 * are cut with an ellipsis (never wrapped) until the table fits, down to 12 characters or the
 * header's width.
 * @param headers - column titles
 * @param rows - one array of cells per row
 * @param layout - the width to fit and the columns never cut
 * @returns the table as a string ending in a newline
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[], layout: TableLayout = {}): string {
  const titles = headers.map((h) => escapeText(h));
  const text = rows.map((row) => row.map(formatCell));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] == null));
  const widths = fitWidths(titles.map((h, i) => Math.max(charCount(h), ...text.map((r) => charCount(r[i] ?? '')))), titles, numeric, layout);
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => {
      const cut = truncateText(c, widths[i]);
      return numeric[i] ? cut.padStart(widths[i]) : padEnd(cut, widths[i]);
    }).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(titles), rule, ...text.map(line)].join('\n') + '\n';
}

/** Narrows the widest cuttable columns until the table fits `layout.maxWidth`. */
function fitWidths(widths: number[], titles: readonly string[], numeric: readonly boolean[], layout: TableLayout): number[] {
  if (layout.maxWidth === undefined) return widths;
  const floor = (i: number) => Math.max(MIN_COLUMN_WIDTH, charCount(titles[i]));
  const cuttable = widths.map((_, i) => !numeric[i] && !(layout.keep ?? []).includes(i));
  let excess = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1) - layout.maxWidth;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (cuttable[i] && widths[i] > floor(i) && (widest < 0 || widths[i] > widths[widest])) widest = i;
    }
    if (widest < 0) break;
    const cut = Math.min(excess, widths[widest] - floor(widest), Math.max(1, widths[widest] - secondWidest(widths, cuttable, widest)));
    widths[widest] -= cut;
    excess -= cut;
  }
  return widths;
}

function secondWidest(widths: readonly number[], cuttable: readonly boolean[], widest: number): number {
  let second = 0;
  for (let i = 0; i < widths.length; i++) if (i !== widest && cuttable[i]) second = Math.max(second, widths[i]);
  return second;
}

function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - charCount(text)));
}

/** Formats one cell: numbers to at most 6 significant digits, null as '-', text escaped. */
export function formatCell(value: Cell): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
  }
  return escapeText(String(value));
}

/** Writes a value as pretty JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/**
 * A progress bar with ETA on stderr. It draws only when stderr is a terminal, so piped and
 * `--json` output stays clean.
 */
export class ProgressBar {
  private readonly start = Date.now();
  private lastDraw = 0;
  private readonly enabled: boolean;

  constructor(private readonly total: number, private readonly label = '', enabled = process.stderr.isTTY === true) {
    this.enabled = enabled;
  }

  /**
   * Redraws the bar (at most 10 times a second).
   * @param done - units finished so far
   * @param suffix - extra text, such as the best score so far
   */
  update(done: number, suffix = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && done < this.total) return;
    this.lastDraw = now;
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const elapsed = (now - this.start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (this.total - done) : NaN;
    const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
    const text = `${this.label} [${bar}] ${done}/${this.total} ${formatDuration(elapsed)} ETA ${formatDuration(eta)} ${suffix}`;
    process.stderr.write(`\r${text.slice(0, (process.stderr.columns ?? 120) - 1)}\x1b[K`);
  }

  /** Ends the bar's line. */
  finish(): void {
    if (this.enabled) process.stderr.write('\n');
  }
}

/** Formats seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}
