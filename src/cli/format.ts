/**
 * Output formatting for the CLI: aligned text tables, JSON, and a progress bar with ETA on stderr.
 * The library never prints; only the CLI uses this module.
 */

export type Cell = string | number | boolean | null | undefined;

/**
 * Formats rows as an aligned text table with a header line. Numbers are right-aligned.
 * @param headers - column titles
 * @param rows - one array of cells per row
 * @returns the table as a string ending in a newline
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map(formatCell));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] == null));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers), rule, ...text.map(line)].join('\n') + '\n';
}

/** Formats one cell: numbers to at most 6 significant digits, null as '-'. */
export function formatCell(value: Cell): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
  }
  return String(value);
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
