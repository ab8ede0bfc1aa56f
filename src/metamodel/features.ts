/**
 * Meta-features as network inputs. Meta-features span many orders of magnitude (row counts next to
 * entropies), so each is sign-log transformed, x ↦ sign(x)·log(1 + |x|), then standardised with the
 * training tasks' mean and standard deviation and clipped to ±{@link CLIP}. Only features present in
 * at least `minCoverage` of the training tasks and not constant there are kept; a missing value
 * becomes 0, the training mean.
 */
import type { MetaFeatureValues } from './types.ts';

/** Standardised values are clipped to ±CLIP, so an outlying new task cannot blow up the inputs. */
export const CLIP = 4;

/** The fitted selection and scaling, as serialised. */
export interface MetaFeatureScalerState {
  readonly names: readonly string[];
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** @returns sign(x)·log(1 + |x|) */
export function signLog(x: number): number {
  return Math.sign(x) * Math.log1p(Math.abs(x));
}

/** Selects, imputes and scales meta-features; fitted once on the training tasks. */
export class MetaFeatureScaler {
  private constructor(private readonly state: MetaFeatureScalerState) {}

  /**
   * @param vectors - the training tasks' meta-features
   * @param minCoverage - share of tasks that must have a feature for it to be kept (default 0.5)
   */
  static fit(vectors: readonly MetaFeatureValues[], minCoverage = 0.5): MetaFeatureScaler {
    const names = [...new Set(vectors.flatMap((v) => Object.keys(v)))].sort();
    const kept: { name: string; mean: number; std: number }[] = [];
    for (const name of names) {
      const values = vectors.map((v) => v[name]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).map(signLog);
      if (values.length < Math.max(1, minCoverage * vectors.length)) continue;
      const mean = values.reduce((s, x) => s + x, 0) / values.length;
      const std = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length);
      if (std > 1e-9) kept.push({ name, mean, std });
    }
    return new MetaFeatureScaler({ names: kept.map((k) => k.name), mean: kept.map((k) => k.mean), std: kept.map((k) => k.std) });
  }

  /** Rebuilds a scaler from {@link MetaFeatureScaler.toJSON}. */
  static fromState(state: MetaFeatureScalerState): MetaFeatureScaler {
    return new MetaFeatureScaler(state);
  }

  /** Number of inputs produced. */
  get size(): number {
    return this.state.names.length;
  }

  /** @returns the kept features' names */
  get names(): readonly string[] {
    return this.state.names;
  }

  /**
   * @param values - one task's meta-features (extra names are ignored)
   * @returns the scaled vector, one entry per kept feature
   */
  transform(values: MetaFeatureValues): Float32Array {
    const { names, mean, std } = this.state;
    return Float32Array.from(names, (name, i) => {
      const x = values[name];
      if (typeof x !== 'number' || !Number.isFinite(x)) return 0;
      return Math.max(-CLIP, Math.min(CLIP, (signLog(x) - mean[i]) / std[i]));
    });
  }

  toJSON(): MetaFeatureScalerState {
    return this.state;
  }
}
