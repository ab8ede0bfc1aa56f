/**
 * Plain-data types of the learned meta-model's network and training (no TensorFlow.js types, so
 * the public declarations of the model never reach tfjs's own).
 */

/** Layer sizes. */
export interface NetworkShape {
  readonly input: number;
  readonly hidden: number;
}

/** The head and step size, read out for adaptation in plain JavaScript. */
export interface HeadWeights {
  readonly w: Float32Array;
  readonly b: number;
  /** Inner-loop step size α = exp(logAlpha). */
  readonly alpha: number;
}

/** Meta-training settings. */
export interface EpisodicSettings {
  readonly steps: number;
  readonly tasksPerStep: number;
  readonly querySize: number;
  /** Support sets have 2 … maxSupport configurations. */
  readonly maxSupport: number;
  readonly zeroShotShare: number;
  readonly learningRate: number;
  readonly temperature: number;
  readonly mseWeight: number;
}

/** What a fitted ensemble member offers a task surrogate: its embeddings and its head, in plain arrays. */
export interface EmbeddingMember {
  readonly shape: NetworkShape;
  /** @returns the hidden embeddings of `n` input rows (row-major), `n × shape.hidden` values */
  embed(rows: Float32Array, n: number): Float32Array;
  /** @returns the head and step size */
  head(): HeadWeights;
}
