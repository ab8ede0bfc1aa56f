/**
 * The per-model matrix products of a fused group, as block specifications for `blockMatMul`
 * (one op per layer and pass) and `stackBlocks` (one op per transposed operand). Offsets refer to
 * the flat parameter vector (see layout.ts), to stacked feature-major activations (`Σunits ×
 * batch`, model k's rows at `rowOffsets[k]`), or to stacked transposed blocks (model after model).
 */
import type { Block } from '../backend/block-kernels.ts';
import type { BlockProduct } from '../backend/block-matmul.ts';
import type { GroupLayout } from './layout.ts';

/** Block specifications of one group, memoised per layer and batch size. */
export class GroupProducts {
  private readonly productCache = new Map<string, readonly BlockProduct[]>();
  private readonly blockCache = new Map<string, readonly Block[]>();

  constructor(private readonly layout: GroupLayout) {}

  private memo(key: string, make: () => readonly BlockProduct[]): readonly BlockProduct[] {
    const found = this.productCache.get(key) ?? make();
    this.productCache.set(key, found);
    return found;
  }

  private memoBlocks(key: string, make: () => readonly Block[]): readonly Block[] {
    const found = this.blockCache.get(key) ?? make();
    this.blockCache.set(key, found);
    return found;
  }

  private offsets(sizes: readonly number[]): number[] {
    let cursor = 0;
    return sizes.map((size) => ((cursor += size) - size));
  }

  /** Model k's rows of layer `layer`'s stacked outputs, each `units × batch`. */
  rowBlocks(layer: number, batch: number): readonly Block[] {
    return this.memoBlocks(`rows:${layer}:${batch}`, () => {
      const shape = this.layout.layers[layer];
      return shape.outputs.map((rows, k) => ({ offset: shape.rowOffsets[k] * batch, rows, cols: batch }));
    });
  }

  /** Model k's kernel of layer `layer` in the parameter vector, as stored. */
  kernelBlocks(layer: number, inByOut: boolean): readonly Block[] {
    return this.memoBlocks(`kernels:${layer}:${inByOut}`, () => {
      const shape = this.layout.layers[layer];
      const seg = this.layout.segment(layer, 'kernel');
      return seg.modelOffsets.map((offset, k) => (inByOut
        ? { offset, rows: shape.inputs[k], cols: shape.outputs[k] }
        : { offset, rows: shape.outputs[k], cols: shape.inputs[k] }));
    });
  }

  /** Hidden layer forward: `z_k = W_k · h_k` (kernels from the parameters, h from the previous layer). */
  hiddenForward(layer: number, batch: number): readonly BlockProduct[] {
    return this.memo(`hf:${layer}:${batch}`, () => {
      const shape = this.layout.layers[layer];
      const kernels = this.kernelBlocks(layer, false);
      const inputs = this.rowBlocks(layer - 1, batch);
      return kernels.map((w, k) => ({ aOffset: w.offset, bOffset: inputs[k].offset, rows: shape.outputs[k], inner: shape.inputs[k], cols: batch }));
    });
  }

  /** Hidden layer kernel gradient: `dW_k = dz_k · h_kᵀ` (h transposed and stacked). */
  hiddenKernelGrad(layer: number, batch: number): readonly BlockProduct[] {
    return this.memo(`hk:${layer}:${batch}`, () => {
      const shape = this.layout.layers[layer];
      const dz = this.rowBlocks(layer, batch);
      const hT = this.offsets(shape.inputs.map((n) => n * batch));
      return dz.map((d, k) => ({ aOffset: d.offset, bOffset: hT[k], rows: shape.outputs[k], inner: batch, cols: shape.inputs[k] }));
    });
  }

  /** Hidden layer input gradient: `dh_k = W_kᵀ · dz_k` (kernels transposed and stacked). */
  hiddenInputGrad(layer: number, batch: number): readonly BlockProduct[] {
    return this.memo(`hi:${layer}:${batch}`, () => {
      const shape = this.layout.layers[layer];
      const wT = this.offsets(shape.inputs.map((n, k) => n * shape.outputs[k]));
      const dz = this.rowBlocks(layer, batch);
      return dz.map((d, k) => ({ aOffset: wT[k], bOffset: d.offset, rows: shape.inputs[k], inner: shape.outputs[k], cols: batch }));
    });
  }

  /** Output layer forward: `out_k = h_kᵀ · W_k` (h transposed and stacked; W stored in × out). */
  outputForward(layer: number, batch: number): readonly BlockProduct[] {
    return this.memo(`of:${layer}:${batch}`, () => {
      const shape = this.layout.layers[layer];
      const hT = this.offsets(shape.inputs.map((n) => n * batch));
      return this.kernelBlocks(layer, true).map((w, k) => ({ aOffset: hT[k], bOffset: w.offset, rows: batch, inner: shape.inputs[k], cols: shape.outputs[k] }));
    });
  }

  /** Each model's `batch × outputs` block of the stacked output gradient. */
  outputBlocks(layer: number, batch: number): readonly Block[] {
    return this.memoBlocks(`ob:${layer}:${batch}`, () => {
      const shape = this.layout.layers[layer];
      const offsets = this.offsets(shape.outputs.map((c) => c * batch));
      return offsets.map((offset, k) => ({ offset, rows: batch, cols: shape.outputs[k] }));
    });
  }

  /** Output layer kernel gradient: `dW_k = h_k · dOut_k` (in × out). */
  outputKernelGrad(layer: number, batch: number): readonly BlockProduct[] {
    return this.memo(`ok:${layer}:${batch}`, () => {
      const shape = this.layout.layers[layer];
      const h = this.rowBlocks(layer - 1, batch);
      const dOut = this.outputBlocks(layer, batch);
      return h.map((block, k) => ({ aOffset: block.offset, bOffset: dOut[k].offset, rows: shape.inputs[k], inner: batch, cols: shape.outputs[k] }));
    });
  }

  /** Output layer input gradient: `dh_k = W_k · dOut_kᵀ` (dOut transposed and stacked). */
  outputInputGrad(layer: number, batch: number): readonly BlockProduct[] {
    return this.memo(`oi:${layer}:${batch}`, () => {
      const shape = this.layout.layers[layer];
      const dOutT = this.outputBlocks(layer, batch);
      return this.kernelBlocks(layer, true).map((w, k) => ({ aOffset: w.offset, bOffset: dOutT[k].offset, rows: shape.inputs[k], inner: shape.outputs[k], cols: batch }));
    });
  }
}
