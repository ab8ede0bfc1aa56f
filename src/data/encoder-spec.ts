/**
 * What a fitted encoder remembers, as plain JSON-safe data: per feature the statistics of the
 * training rows, and the target's classes or scale. `encode.ts` applies it; this module defines
 * it and validates it when it is loaded back.
 */
import { InputError } from '../errors.ts';
import type { ResolvedEncoderOptions } from './encode-options.ts';

/** A numeric feature: impute the median, then (optionally) standardise. */
export interface NumericFeatureSpec {
  readonly kind: 'numeric';
  readonly name: string;
  readonly median: number;
  readonly mean: number;
  /** 1 when standardisation is off or the training values are constant. */
  readonly scale: number;
  /** Whether a 0/1 missing-indicator column follows. */
  readonly indicator: boolean;
}

/** A categorical feature: one column per kept level, then `other` when some levels are grouped. */
export interface CategoricalFeatureSpec {
  readonly kind: 'categorical';
  readonly name: string;
  /** Levels with their own column, most frequent first. */
  readonly levels: readonly string[];
  /** Whether an `other` column collects the levels not kept. */
  readonly other: boolean;
  /** The level a missing value is imputed with (the most frequent), or null when none was seen. */
  readonly mode: string | null;
  readonly indicator: boolean;
}

export type FeatureSpec = NumericFeatureSpec | CategoricalFeatureSpec;

/** The target: class labels, or the scale of a regression target. */
export type TargetSpec =
  | { readonly kind: 'classification'; readonly name: string; readonly classes: readonly string[] }
  | { readonly kind: 'regression'; readonly name: string; readonly mean: number; readonly scale: number };

/** The serialised encoder. */
export interface EncoderJSON {
  readonly type: 'metatune.encoder';
  readonly version: 1;
  readonly options: ResolvedEncoderOptions;
  readonly features: readonly FeatureSpec[];
  readonly target: TargetSpec;
}

/**
 * Validates a parsed JSON value as an encoder.
 * @param value - e.g. `JSON.parse(text)`
 * @returns the typed encoder description
 * @throws InputError naming the first field that does not match
 */
export function parseEncoderJSON(value: unknown): EncoderJSON {
  const root = record(value, 'encoder');
  if (root.type !== 'metatune.encoder') throw new InputError(`encoder: type must be 'metatune.encoder'`);
  if (root.version !== 1) throw new InputError(`encoder: unsupported version ${String(root.version)} (expected 1)`);
  const options = record(root.options, 'encoder.options');
  const features = array(root.features, 'encoder.features').map((f, i) => parseFeature(f, `encoder.features[${i}]`));
  return {
    type: 'metatune.encoder',
    version: 1,
    options: {
      standardize: bool(options.standardize, 'encoder.options.standardize'),
      missingIndicators: bool(options.missingIndicators, 'encoder.options.missingIndicators'),
      maxLevels: num(options.maxLevels, 'encoder.options.maxLevels'),
      minLevelCount: num(options.minLevelCount, 'encoder.options.minLevelCount'),
      standardizeTarget: bool(options.standardizeTarget, 'encoder.options.standardizeTarget'),
    },
    features,
    target: parseTarget(root.target),
  };
}

function parseFeature(value: unknown, path: string): FeatureSpec {
  const f = record(value, path);
  const name = str(f.name, `${path}.name`);
  const indicator = bool(f.indicator, `${path}.indicator`);
  if (f.kind === 'numeric') {
    return { kind: 'numeric', name, indicator, median: num(f.median, `${path}.median`), mean: num(f.mean, `${path}.mean`), scale: num(f.scale, `${path}.scale`) };
  }
  if (f.kind === 'categorical') {
    const levels = array(f.levels, `${path}.levels`).map((l, i) => str(l, `${path}.levels[${i}]`));
    const mode = f.mode === null ? null : str(f.mode, `${path}.mode`);
    return { kind: 'categorical', name, indicator, levels, other: bool(f.other, `${path}.other`), mode };
  }
  throw new InputError(`${path}.kind must be 'numeric' or 'categorical'`);
}

function parseTarget(value: unknown): TargetSpec {
  const t = record(value, 'encoder.target');
  const name = str(t.name, 'encoder.target.name');
  if (t.kind === 'classification') {
    return { kind: 'classification', name, classes: array(t.classes, 'encoder.target.classes').map((c, i) => str(c, `encoder.target.classes[${i}]`)) };
  }
  if (t.kind === 'regression') {
    return { kind: 'regression', name, mean: num(t.mean, 'encoder.target.mean'), scale: num(t.scale, 'encoder.target.scale') };
  }
  throw new InputError(`encoder.target.kind must be 'classification' or 'regression'`);
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${path} must be an object`);
  return Object.fromEntries(Object.entries(value));
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new InputError(`${path} must be an array`);
  return value;
}

function str(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new InputError(`${path} must be a string`);
  return value;
}

function num(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(`${path} must be a finite number`);
  return value;
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new InputError(`${path} must be true or false`);
  return value;
}
