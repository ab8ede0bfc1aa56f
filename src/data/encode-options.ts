/**
 * Options of the feature encoder (see `encode.ts`). Every field is optional; `{}` gives the
 * defaults documented on each field.
 */
export interface EncoderOptions {
  /** Standardise numeric features to zero mean and unit variance on the training rows. Default true. */
  readonly standardize?: boolean;
  /**
   * Add a 0/1 indicator column for each feature that has missing values in the training rows.
   * Default false.
   */
  readonly missingIndicators?: boolean;
  /**
   * Most one-hot columns per categorical feature. The most frequent training levels keep their
   * own column; the rest share one `other` column. Default 32.
   */
  readonly maxLevels?: number;
  /** Levels seen in fewer training rows than this join `other` as well. Default 1. */
  readonly minLevelCount?: number;
  /** Regression only: standardise the target (undone by `inverseTarget`). Default false. */
  readonly standardizeTarget?: boolean;
}

/** The options with every default filled in. */
export type ResolvedEncoderOptions = Required<EncoderOptions>;

/**
 * Fills in the defaults.
 * @param options - user options
 * @returns the complete options
 */
export function resolveEncoderOptions(options: EncoderOptions = {}): ResolvedEncoderOptions {
  return {
    standardize: options.standardize ?? true,
    missingIndicators: options.missingIndicators ?? false,
    maxLevels: options.maxLevels ?? 32,
    minLevelCount: options.minLevelCount ?? 1,
    standardizeTarget: options.standardizeTarget ?? false,
  };
}
