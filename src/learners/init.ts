/**
 * Seeded, per-model random draws of the trainer: initial weights and dropout masks. Each model
 * draws from its own streams (derived from its request's seed), so what a model gets does not
 * depend on which other models share its group — the basis of "batched equals alone".
 */
import { Random, deriveSeed } from '../random.ts';
import type { GroupLayout } from './layout.ts';

/**
 * A model's initial parameter vector: Glorot-uniform kernels (Keras's Dense default), zero biases,
 * batch-normalisation gamma 1 and beta 0.
 * @param layout - the group layout
 * @param model - the model's index in the group
 * @param seed - the model's seed
 */
export function initialParameters(layout: GroupLayout, model: number, seed: number): Float32Array {
  const random = new Random(deriveSeed(seed, 'init'));
  const out = new Float32Array(layout.modelSizes[model]);
  for (const segment of layout.segments) {
    const start = segment.localOffsets[model];
    const end = start + segment.sizes[model];
    if (segment.kind === 'gamma') out.fill(1, start, end);
    if (segment.kind !== 'kernel') continue;
    const shape = layout.layers[segment.layer];
    const limit = Math.sqrt(6 / (shape.inputs[model] + shape.outputs[model]));
    for (let i = start; i < end; i++) out[i] = random.uniform(-limit, limit);
  }
  return out;
}

/** Draws inverted-dropout masks for the hidden layers of a group, one stream per model. */
export class DropoutMasks {
  private readonly streams: Random[];
  private readonly thresholds: number[];
  private readonly scales: number[];

  /**
   * @param layout - the group layout
   * @param seeds - each model's seed
   */
  constructor(private readonly layout: GroupLayout, seeds: readonly number[], streams?: Random[]) {
    this.streams = streams ?? seeds.map((seed) => new Random(deriveSeed(seed, 'dropout')));
    this.thresholds = layout.specs.map((s) => Math.floor((1 - s.dropout) * 4294967296));
    this.scales = layout.specs.map((s) => 1 / (1 - s.dropout));
  }

  /**
   * The masks of some models only, continuing their streams.
   * @param layout - the layout of those models
   * @param models - their indices in this group
   */
  subset(layout: GroupLayout, models: readonly number[]): DropoutMasks {
    return new DropoutMasks(layout, [], models.map((k) => this.streams[k]));
  }

  /** @returns true when some model of the group drops units */
  get active(): boolean {
    return this.layout.specs.some((s) => s.dropout > 0);
  }

  /**
   * Masks for one step: per hidden layer a row-major `Σunits × batch` array of 0 or 1/keep.
   * @param batch - the step's batch size
   */
  next(batch: number): Float32Array[] {
    return this.layout.layers.filter((l) => l.hidden).map((shape) => {
      const mask = new Float32Array(shape.totalOutputs * batch);
      shape.outputs.forEach((rows, k) => this.fill(mask, k, shape.rowOffsets[k] * batch, rows * batch));
      return mask;
    });
  }

  private fill(mask: Float32Array, model: number, start: number, length: number): void {
    const end = start + length;
    if (this.layout.specs[model].dropout === 0) {
      mask.fill(1, start, end);
      return;
    }
    const stream = this.streams[model];
    const threshold = this.thresholds[model];
    const scale = this.scales[model];
    stream.fillBelow(mask, start, end, threshold, scale);
  }
}
