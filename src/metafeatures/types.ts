/**
 * Types shared by every meta-feature group: the vector a dataset is summarised into, the
 * extraction options, and {@link FeatureSink}, which records each value or the reason it is missing.
 */

/** The meta-feature groups, one source file each. */
export type MetaFeatureGroup = 'general' | 'statistical' | 'info-theory' | 'pca' | 'landmarking';

/** Every group, in extraction order. */
export const METAFEATURE_GROUPS: readonly MetaFeatureGroup[] = ['general', 'statistical', 'info-theory', 'pca', 'landmarking'];

/**
 * A dataset's meta-features. Every value is a finite number, or `null` with its reason in
 * `missing`; never NaN or Infinity. Vectors from another `extractorVersion` must be recomputed.
 */
export interface MetaFeatureVector {
  /** {@link METAFEATURE_EXTRACTOR_VERSION} of the code that computed the vector. */
  extractorVersion: string;
  /** Meta-feature name → value; null where the feature is undefined for this dataset. */
  values: Record<string, number | null>;
  /** For each null value, why it is missing. */
  missing: Record<string, string>;
  /** Milliseconds spent per group, when asked for. */
  timings?: Partial<Record<MetaFeatureGroup, number>>;
}

/** Options of `extractMetaFeatures`. */
export interface ExtractOptions {
  /** Groups to compute; default all. */
  groups?: readonly MetaFeatureGroup[];
  /** Seed of every random step (landmark subsample, folds, random node, attribute sample); default 0. */
  seed?: number;
  /** Most rows the landmarks are cross-validated on (stratified subsample); default 2000. */
  landmarkCap?: number;
  /** Cross-validation folds of the landmarks; default 10. */
  folds?: number;
  /** Record per-group timings; default false. */
  timings?: boolean;
}

/**
 * Collects the values of one extraction. A non-finite value is never stored: it becomes a null
 * with the given reason, so a bug or a degenerate input cannot leak NaN into the meta-model.
 */
export class FeatureSink {
  readonly values: Record<string, number | null> = {};
  readonly missing: Record<string, string> = {};

  /**
   * Records a value.
   * @param name - meta-feature name
   * @param value - the value; NaN, ±Infinity or null are stored as null with `reason`
   * @param reason - why the value may be undefined (used only when it is)
   */
  set(name: string, value: number | null, reason = 'the value is not finite'): void {
    if (value !== null && Number.isFinite(value)) {
      this.values[name] = value === 0 ? 0 : value; // no -0 in stored vectors
      delete this.missing[name];
    } else {
      this.setMissing(name, reason);
    }
  }

  /** Records that a meta-feature is undefined for this dataset, and why. */
  setMissing(name: string, reason: string): void {
    this.values[name] = null;
    this.missing[name] = reason;
  }

  /** Marks every name in `names` as missing for the same reason. */
  setAllMissing(names: readonly string[], reason: string): void {
    for (const name of names) this.setMissing(name, reason);
  }

  /** @returns whether `name` has been recorded, as a value or as missing */
  has(name: string): boolean {
    return name in this.values;
  }
}
