/**
 * Encoding a dataset for learners: a dense row-major Float32 matrix and an encoded target.
 *
 * Fitted on the training rows only ({@link fitEncoder}), then applied to any rows of the same
 * dataset ({@link Encoder.transform}) or to new raw rows ({@link Encoder.transformRaw}), and saved
 * with the model ({@link Encoder.toJSON} / {@link Encoder.fromJSON}).
 *
 * Per feature, in dataset order: a numeric feature gives one column — missing (and non-finite)
 * values imputed with the training median, then standardised with the training mean and standard
 * deviation; a categorical feature gives one 0/1 column per kept level (the most frequent training
 * levels, at most `maxLevels` columns, levels rarer than `minLevelCount` excluded) plus an `other`
 * column when some levels were grouped; a missing value is imputed with the most frequent level,
 * and a level unseen in training goes to `other`, or to all zeros when there is no `other` column.
 * With `missingIndicators`, a feature that had missing training values gets a 0/1 column after its
 * own columns.
 */
import { DatasetError } from '../errors.ts';
import type { Column, Dataset } from './table.ts';
import { resolveEncoderOptions, type EncoderOptions } from './encode-options.ts';
import { parseEncoderJSON, type EncoderJSON, type FeatureSpec, type TargetSpec } from './encoder-spec.ts';
import { fitFeature, fitTarget } from './encoder-fit.ts';
import { compileFeatures, type CellWriter, type RawCell } from './encoder-write.ts';

/** An encoded feature matrix. */
export interface EncodedMatrix {
  /** Row-major `nRows × nCols`. */
  readonly X: Float32Array;
  readonly nRows: number;
  readonly nCols: number;
  readonly featureNames: readonly string[];
}

/** A raw row for {@link Encoder.transformRaw}: cells in feature order, or a record by feature name. */
export type RawRow = readonly RawCell[] | Readonly<Record<string, RawCell>>;

/**
 * Fits an encoder on the training rows of a dataset.
 * @param dataset - the task
 * @param trainRows - indices of the training rows (statistics see only these)
 * @param options - see {@link EncoderOptions}
 * @returns the fitted encoder
 */
export function fitEncoder(dataset: Dataset, trainRows: Int32Array, options: EncoderOptions = {}): Encoder {
  const resolved = resolveEncoderOptions(options);
  return new Encoder({
    type: 'metatune.encoder',
    version: 1,
    options: resolved,
    features: dataset.features.map((column) => fitFeature(column, trainRows, resolved)),
    target: fitTarget(dataset, trainRows, resolved),
  });
}

/** A fitted encoder. */
export class Encoder {
  /** Names of the output columns: `name`, `name=level`, `name=<other>`, `name:missing`. */
  readonly featureNames: readonly string[];
  private readonly writers: readonly CellWriter[];

  /** @param spec - the fitted statistics (see {@link fitEncoder}, {@link Encoder.fromJSON}) */
  constructor(private readonly spec: EncoderJSON) {
    const compiled = compileFeatures(spec.features);
    this.writers = compiled.writers;
    this.featureNames = compiled.names;
  }

  /** Number of output columns. */
  get nCols(): number {
    return this.featureNames.length;
  }

  /** The input features, in the order raw rows list their cells. */
  get inputColumns(): readonly string[] {
    return this.spec.features.map((f) => f.name);
  }

  /** The task's target as fitted. */
  get target(): TargetSpec {
    return this.spec.target;
  }

  /** Class labels (classification), indexed like the encoded target; empty for regression. */
  get classes(): readonly string[] {
    return this.spec.target.kind === 'classification' ? this.spec.target.classes : [];
  }

  /**
   * Encodes rows of a dataset with the same features as the one fitted.
   * @param dataset - the task
   * @param rows - row indices (default: all rows)
   * @throws DatasetError when the dataset's features differ from the fitted ones
   */
  transform(dataset: Dataset, rows?: Int32Array): EncodedMatrix {
    const columns = this.matchColumns(dataset);
    const nRows = rows?.length ?? dataset.nRows;
    const X = new Float32Array(nRows * this.nCols);
    let offset = 0;
    this.writers.forEach((writer, k) => {
      writer.writeColumn(columns[k], rows, X, offset, this.nCols);
      offset += writer.width;
    });
    return { X, nRows, nCols: this.nCols, featureNames: this.featureNames };
  }

  /**
   * Encodes new raw rows (e.g. to predict): arrays of cells in {@link inputColumns} order, or
   * records keyed by feature name (absent keys are missing). Numbers may be given as numbers or
   * text; `''`, `?`, `NA`, `NaN`, `null`, `null`/`undefined` values are missing.
   * @throws DatasetError naming the row and column of a cell that cannot be read
   */
  transformRaw(rows: readonly RawRow[]): EncodedMatrix {
    const nRows = rows.length;
    const X = new Float32Array(nRows * this.nCols);
    const names = this.inputColumns;
    rows.forEach((row, i) => {
      let offset = i * this.nCols;
      this.writers.forEach((writer, k) => {
        const cell = isCellArray(row) ? row[k] : row[names[k]];
        const problem = writer.writeRaw(cell, X, offset);
        if (problem !== null) throw new DatasetError(problem, { file: `raw row ${i + 1}`, column: names[k] });
        offset += writer.width;
      });
    });
    return { X, nRows, nCols: this.nCols, featureNames: this.featureNames };
  }

  /**
   * Encodes the target of the given rows: class indices over {@link classes} for classification
   * (matched by label, so a dataset read separately may order its levels differently),
   * (optionally standardised) values for regression.
   * @throws DatasetError when the dataset has a class the encoder does not know
   */
  encodeTarget(dataset: Dataset, rows?: Int32Array): Int32Array | Float32Array {
    const target = dataset.target;
    const n = rows?.length ?? dataset.nRows;
    const at = (i: number) => (rows === undefined ? i : rows[i]);
    if (target.kind === 'categorical') {
      const classIndex = this.classIndexOf(target.levels, dataset.source, target.name);
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const code = target.codes[at(i)];
        codes[i] = code < 0 ? -1 : classIndex[code];
      }
      return codes;
    }
    const { mean, scale } = this.regressionScale();
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = (target.values[at(i)] - mean) / scale;
    return values;
  }

  /** Undoes the regression target's standardisation on predictions. */
  inverseTarget(values: ArrayLike<number>): Float64Array {
    const { mean, scale } = this.regressionScale();
    return Float64Array.from(values, (v) => v * scale + mean);
  }

  /** @returns the JSON-safe description that {@link Encoder.fromJSON} reads back */
  toJSON(): EncoderJSON {
    return this.spec;
  }

  /**
   * Rebuilds an encoder from {@link Encoder.toJSON}'s output.
   * @throws InputError when the value is not a valid encoder description
   */
  static fromJSON(value: unknown): Encoder {
    return new Encoder(parseEncoderJSON(value));
  }

  /** Maps a dataset's target levels onto the fitted classes, by label. */
  private classIndexOf(levels: readonly string[], file: string, column: string): Int32Array {
    const classes = new Map(this.classes.map((label, k) => [label, k]));
    return Int32Array.from(levels, (label) => {
      const k = classes.get(label);
      if (k === undefined) throw new DatasetError(`class '${label}' was not known when the encoder was fitted`, { file, column });
      return k;
    });
  }

  private regressionScale(): { mean: number; scale: number } {
    const t = this.spec.target;
    return t.kind === 'regression' ? { mean: t.mean, scale: t.scale } : { mean: 0, scale: 1 };
  }

  private matchColumns(dataset: Dataset): Column[] {
    const byName = new Map(dataset.features.map((c) => [c.name, c]));
    return this.spec.features.map((f: FeatureSpec) => {
      const column = byName.get(f.name);
      if (column === undefined) throw new DatasetError('feature missing from the dataset', { file: dataset.source, column: f.name });
      if (column.kind !== f.kind) {
        throw new DatasetError(`feature is ${column.kind} but the encoder was fitted on a ${f.kind} one`, { file: dataset.source, column: f.name });
      }
      return column;
    });
  }
}

function isCellArray(row: RawRow): row is readonly RawCell[] {
  return Array.isArray(row);
}
