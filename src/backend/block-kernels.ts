/**
 * A contiguous slice along the first axis that costs only what it returns. On the wasm backend,
 * tfjs's `slice`/`stridedSlice` copy the whole input into JavaScript before cutting (and `gather`
 * computes every element's address in a generic loop), which made slicing parameter pieces out of
 * a flat vector the trainer's main cost. This kernel copies the rows straight from the wasm heap.
 * Other backends use tfjs's own `slice`, which is already cheap there.
 */
import * as tf from '@tensorflow/tfjs';

/** Kernel name of the wasm implementation. */
export const CONTIGUOUS_SLICE = 'MetatuneContiguousSlice';

let registered = false;

/**
 * Registers the wasm kernel (idempotent).
 * @param wasm - the loaded `@tensorflow/tfjs-backend-wasm` module
 */
export function registerContiguousSlice(wasm: typeof import('@tensorflow/tfjs-backend-wasm')): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: CONTIGUOUS_SLICE,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x;
      const begin = attrs?.begin;
      const rows = attrs?.rows;
      if (!(backend instanceof wasm.BackendWasm) || x === undefined || typeof begin !== 'number' || typeof rows !== 'number') {
        throw new Error(`${CONTIGUOUS_SLICE} needs the wasm backend, an input x and numeric begin and rows`);
      }
      const rowSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
      const out = backend.makeOutput([rows, ...x.shape.slice(1)], x.dtype);
      const source = backend.typedArrayFromHeap(x);
      backend.typedArrayFromHeap(out).set(source.subarray(begin * rowSize, (begin + rows) * rowSize));
      return out;
    },
  });
}

/**
 * Rows `[begin, begin + rows)` of a tensor (elements, for a 1-D tensor).
 * @param x - a tensor of rank ≥ 1
 * @param begin - first row
 * @param rows - number of rows
 * @returns a new tensor of shape `[rows, ...x.shape.slice(1)]`
 */
export function sliceRows(x: tf.Tensor, begin: number, rows: number): tf.Tensor {
  if (registered && tf.getBackend() === 'wasm') {
    const out = tf.engine().runKernel(CONTIGUOUS_SLICE, { x }, { begin, rows });
    if (out instanceof tf.Tensor) return out;
    throw new Error(`${CONTIGUOUS_SLICE} returned several tensors`);
  }
  const begins = x.shape.map((_, axis) => (axis === 0 ? begin : 0));
  const sizes = x.shape.map((size, axis) => (axis === 0 ? rows : size));
  return tf.slice(x, begins, sizes);
}
