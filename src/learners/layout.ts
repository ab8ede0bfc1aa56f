/**
 * Where each model's parameters live inside the single flat parameter vector of a fused group.
 *
 * A network is a stack of dense layers `l = 0..L` (L hidden layers, then the output layer), each
 * stored transposed — kernel `out × in`, as the trainer works feature-major (features × batch) —
 * except the output layer after hidden layers, stored `in × out` (see network.ts).
 * A model's own parameter vector lists, per layer, kernel, bias, then (hidden layers with batch
 * normalisation) gamma and beta. The group vector is segment-major: for each layer and piece kind,
 * the pieces of all models one after the other. So layer 0's kernels of all models form one
 * `Σout × nFeatures` matrix (one matMul for the whole group, the input being shared), every bias
 * segment is one `Σout` column, and a model's kernel of a deeper layer is one contiguous block.
 */
import type { ModelSpec } from './config.ts';

/** Piece kinds of a dense layer. */
export type PieceKind = 'kernel' | 'bias' | 'gamma' | 'beta';

/** One piece kind of one layer, for all models of the group. */
export interface Segment {
  readonly layer: number;
  readonly kind: PieceKind;
  /** Offset of the segment in the group vector. */
  readonly offset: number;
  /** Offset of each model's piece in the group vector. */
  readonly modelOffsets: readonly number[];
  /** Offset of each model's piece in that model's own vector. */
  readonly localOffsets: readonly number[];
  /** Size of each model's piece. */
  readonly sizes: readonly number[];
  readonly size: number;
}

/** Shapes of one layer for every model of a group. */
export interface LayerShape {
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Row offset of each model in the stacked `Σout × batch` activation matrix. */
  readonly rowOffsets: readonly number[];
  readonly totalOutputs: number;
  readonly totalInputs: number;
  readonly hidden: boolean;
}

/** The parameter layout of a group of models that share depth and batch normalisation. */
export class GroupLayout {
  readonly layers: readonly LayerShape[];
  readonly segments: readonly Segment[];
  readonly size: number;
  /** Length of each model's own parameter vector. */
  readonly modelSizes: readonly number[];

  /**
   * @param specs - the models (same `hiddenLayers` and `batchNorm`)
   * @param nFeatures - input width
   * @param nOutputs - classes, or 1 for regression
   */
  constructor(readonly specs: readonly ModelSpec[], readonly nFeatures: number, readonly nOutputs: number) {
    const depth = specs[0].hiddenLayers;
    this.layers = Array.from({ length: depth + 1 }, (_, l) => layerShape(specs, l, depth, nFeatures, nOutputs));
    const segments: Segment[] = [];
    const localCursor = specs.map(() => 0);
    let offset = 0;
    this.layers.forEach((layer, l) => {
      const kinds: PieceKind[] = layer.hidden && specs[0].batchNorm ? ['kernel', 'bias', 'gamma', 'beta'] : ['kernel', 'bias'];
      for (const kind of kinds) {
        const sizes = layer.outputs.map((out, k) => (kind === 'kernel' ? out * layer.inputs[k] : out));
        const modelOffsets = prefixSums(sizes, offset);
        const localOffsets = sizes.map((size, k) => ((localCursor[k] += size) - size));
        const size = sizes.reduce((a, b) => a + b, 0);
        segments.push({ layer: l, kind, offset, modelOffsets, localOffsets, sizes, size });
        offset += size;
      }
    });
    this.segments = segments;
    this.size = offset;
    this.modelSizes = localCursor;
  }

  /** @returns the segment of a layer's piece kind */
  segment(layer: number, kind: PieceKind): Segment {
    const found = this.segments.find((s) => s.layer === layer && s.kind === kind);
    if (found === undefined) throw new Error(`layout has no ${kind} in layer ${layer}`);
    return found;
  }

  /** Copies each model's own vector into a group vector. */
  pack(perModel: readonly Float32Array[]): Float32Array {
    const out = new Float32Array(this.size);
    for (const s of this.segments) {
      s.sizes.forEach((size, k) => out.set(perModel[k].subarray(s.localOffsets[k], s.localOffsets[k] + size), s.modelOffsets[k]));
    }
    return out;
  }

  /** Splits a group vector into each model's own vector. */
  unpack(group: Float32Array): Float32Array[] {
    const out = this.modelSizes.map((size) => new Float32Array(size));
    for (const s of this.segments) {
      s.sizes.forEach((size, k) => out[k].set(group.subarray(s.modelOffsets[k], s.modelOffsets[k] + size), s.localOffsets[k]));
    }
    return out;
  }

  /**
   * Builds a per-element vector from per-model values.
   * @param value - (model index, piece kind) → value for each element of that piece
   */
  perElement(value: (model: number, kind: PieceKind) => number): Float32Array {
    const out = new Float32Array(this.size);
    for (const s of this.segments) {
      s.sizes.forEach((size, k) => out.fill(value(k, s.kind), s.modelOffsets[k], s.modelOffsets[k] + size));
    }
    return out;
  }

  /**
   * @param layer - the layer
   * @param selected - per model, whether it is selected
   * @param value - what a selected model's rows get (default 1)
   * @returns per row of the layer's stacked activations, `value` when its model is selected, else 0
   */
  rowMask(layer: number, selected: readonly boolean[], value = 1): Float32Array {
    const shape = this.layers[layer];
    const out = new Float32Array(shape.totalOutputs);
    shape.outputs.forEach((size, k) => {
      if (selected[k]) out.fill(value, shape.rowOffsets[k], shape.rowOffsets[k] + size);
    });
    return out;
  }
}

function layerShape(specs: readonly ModelSpec[], l: number, depth: number, nFeatures: number, nOutputs: number): LayerShape {
  const inputs = specs.map((s) => (l === 0 ? nFeatures : s.units));
  const outputs = specs.map((s) => (l === depth ? nOutputs : s.units));
  const rowOffsets = prefixSums(outputs, 0);
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  return { inputs, outputs, rowOffsets, totalOutputs: sum(outputs), totalInputs: sum(inputs), hidden: l < depth };
}

function prefixSums(sizes: readonly number[], start: number): number[] {
  let cursor = start;
  return sizes.map((size) => ((cursor += size) - size));
}
