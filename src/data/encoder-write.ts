/**
 * Writers that turn one feature into its output columns, for whole dataset columns and for raw
 * cells. Built once from the fitted {@link FeatureSpec}s; the output matrix is zero-filled, so
 * one-hot writers only set ones.
 */
import type { Column } from './table.ts';
import type { CategoricalFeatureSpec, FeatureSpec, NumericFeatureSpec } from './encoder-spec.ts';
import { parseDecimal } from './number.ts';
import { isMissingText } from './csv/bytes.ts';

/** A raw input cell: text or a number; null/undefined is missing. */
export type RawCell = string | number | null | undefined;

/** Writes one feature's output columns. */
export interface CellWriter {
  /** Number of output columns. */
  readonly width: number;
  /** Output column names. */
  readonly names: readonly string[];
  /** Writes the feature for `rows` of `column` into row-major `X` at column `offset`. */
  writeColumn(column: Column, rows: Int32Array | undefined, X: Float32Array, offset: number, stride: number): void;
  /**
   * Writes one raw cell at `X[at..at+width)`.
   * @returns null, or what is wrong with the cell
   */
  writeRaw(cell: RawCell, X: Float32Array, at: number): string | null;
}

/**
 * Builds the writers of all features.
 * @returns the writers and the output column names, in order
 */
export function compileFeatures(features: readonly FeatureSpec[]): { writers: CellWriter[]; names: string[] } {
  const writers = features.map((f): CellWriter => (f.kind === 'numeric' ? new NumericWriter(f) : new CategoricalWriter(f)));
  return { writers, names: writers.flatMap((w) => w.names) };
}

class NumericWriter implements CellWriter {
  readonly width: number;
  readonly names: readonly string[];
  constructor(private readonly spec: NumericFeatureSpec) {
    this.width = spec.indicator ? 2 : 1;
    this.names = spec.indicator ? [spec.name, `${spec.name}:missing`] : [spec.name];
  }

  writeColumn(column: Column, rows: Int32Array | undefined, X: Float32Array, offset: number, stride: number): void {
    if (column.kind !== 'numeric') throw new Error(`column '${column.name}' is not numeric`);
    const { median, mean, scale, indicator } = this.spec;
    const n = rows?.length ?? column.values.length;
    for (let i = 0; i < n; i++) {
      const v = column.values[rows === undefined ? i : rows[i]];
      const missing = !Number.isFinite(v);
      const base = i * stride + offset;
      X[base] = ((missing ? median : v) - mean) / scale;
      if (indicator && missing) X[base + 1] = 1;
    }
  }

  writeRaw(cell: RawCell, X: Float32Array, at: number): string | null {
    let v = NaN;
    if (typeof cell === 'number') v = cell;
    else if (typeof cell === 'string' && !isMissingText(cell.trim())) {
      v = parseDecimal(cell.trim());
      if (Number.isNaN(v)) return `'${cell}' is not a number`;
    }
    const missing = !Number.isFinite(v);
    X[at] = ((missing ? this.spec.median : v) - this.spec.mean) / this.spec.scale;
    if (this.spec.indicator && missing) X[at + 1] = 1;
    return null;
  }
}

class CategoricalWriter implements CellWriter {
  readonly width: number;
  readonly names: readonly string[];
  private readonly position: Map<string, number>;
  private readonly otherPosition: number;
  private readonly modePosition: number;

  constructor(private readonly spec: CategoricalFeatureSpec) {
    this.position = new Map(spec.levels.map((level, k) => [level, k]));
    this.otherPosition = spec.other ? spec.levels.length : -1;
    this.modePosition = spec.mode === null ? -1 : (this.position.get(spec.mode) ?? this.otherPosition);
    const names = spec.levels.map((level) => `${spec.name}=${level}`);
    if (spec.other) names.push(`${spec.name}=<other>`);
    if (spec.indicator) names.push(`${spec.name}:missing`);
    this.names = names;
    this.width = names.length;
  }

  writeColumn(column: Column, rows: Int32Array | undefined, X: Float32Array, offset: number, stride: number): void {
    if (column.kind !== 'categorical') throw new Error(`column '${column.name}' is not categorical`);
    const map = Int32Array.from(column.levels, (level) => this.levelPosition(level));
    const n = rows?.length ?? column.codes.length;
    for (let i = 0; i < n; i++) {
      const code = column.codes[rows === undefined ? i : rows[i]];
      const base = i * stride + offset;
      const position = code < 0 ? this.modePosition : map[code];
      if (position >= 0) X[base + position] = 1;
      if (this.spec.indicator && code < 0) X[base + this.width - 1] = 1;
    }
  }

  writeRaw(cell: RawCell, X: Float32Array, at: number): string | null {
    const text = typeof cell === 'number' ? (Number.isNaN(cell) ? '' : String(cell)) : (cell ?? '').trim();
    const missing = isMissingText(text);
    const position = missing ? this.modePosition : this.levelPosition(text);
    if (position >= 0) X[at + position] = 1;
    if (this.spec.indicator && missing) X[at + this.width - 1] = 1;
    return null;
  }

  /** Kept level → its column; a number written another way (`1.0`) → its canonical level; else `other` or -1. */
  private levelPosition(level: string): number {
    const direct = this.position.get(level);
    if (direct !== undefined) return direct;
    const value = parseDecimal(level);
    const canonical = Number.isNaN(value) ? undefined : this.position.get(String(value));
    return canonical ?? this.otherPosition;
  }
}
