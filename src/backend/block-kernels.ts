/**
 * Data-movement kernels that cut a tensor into many blocks in one op. The fused trainer needs, per
 * step and layer, every model's piece of the flat parameter vector and of the stacked activations,
 * some transposed. On the wasm backend tfjs's own ops are costly at this granularity: `slice` and
 * `stridedSlice` copy their whole input into JavaScript before cutting, `gather` addresses each
 * element in a generic loop, and a small `transpose` costs ~25 µs. One `takeBlocks` call instead
 * copies (or transposes) all blocks straight from the wasm heap. Other backends compose tfjs's
 * `slice`, `reshape` and `transpose`, which are cheap there; results are identical (pure copies).
 */
import { tf } from './tf.ts';

/** Kernel name of the wasm implementation. */
export const TAKE_BLOCKS = 'MetatuneTakeBlocks';

/** A block: elements `[offset, offset + rows·cols)` of the input, read as a row-major `rows × cols` matrix. */
export interface Block {
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
}

let registered = false;

/**
 * Registers the wasm kernel (idempotent).
 * @param wasm - the loaded `@tensorflow/tfjs-backend-wasm` module
 */
export function registerBlockKernels(wasm: typeof import('@tensorflow/tfjs-backend-wasm')): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: TAKE_BLOCKS,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x;
      const { offsets, rows, cols, transpose, stack } = attrs ?? {};
      if (!(backend instanceof wasm.BackendWasm) || x === undefined || !isNumbers(offsets) || !isNumbers(rows) || !isNumbers(cols)) {
        throw new Error(`${TAKE_BLOCKS} needs the wasm backend, an input x and numeric offsets, rows and cols`);
      }
      if (stack === true) {
        const out = backend.makeOutput([rows.reduce((sum, r, i) => sum + r * cols[i], 0)], 'float32');
        const source = backend.typedArrayFromHeap(x);
        const target = backend.typedArrayFromHeap(out);
        let cursor = 0;
        offsets.forEach((offset, i) => {
          const size = rows[i] * cols[i];
          if (transpose === true) transposeInto(source, offset, rows[i], cols[i], target.subarray(cursor, cursor + size));
          else target.set(source.subarray(offset, offset + size), cursor);
          cursor += size;
        });
        return out;
      }
      return offsets.map((offset, i) => {
        const out = backend.makeOutput(transpose === true ? [cols[i], rows[i]] : [rows[i], cols[i]], 'float32');
        // makeOutput may grow the heap, so views are taken after it.
        const source = backend.typedArrayFromHeap(x);
        const target = backend.typedArrayFromHeap(out);
        if (transpose === true) transposeInto(source, offset, rows[i], cols[i], target);
        else target.set(source.subarray(offset, offset + rows[i] * cols[i]));
        return out;
      });
    },
  });
}

function isNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}

function transposeInto(source: ArrayLike<number>, offset: number, rows: number, cols: number, target: { [i: number]: number }): void {
  for (let i = 0; i < rows; i++) {
    const base = offset + i * cols;
    for (let j = 0; j < cols; j++) target[j * rows + i] = source[base + j];
  }
}

/**
 * Cuts blocks out of a float32 tensor in one op.
 * @param x - any float32 tensor (read as its flat data)
 * @param blocks - where each block lies
 * @param transpose - return each block transposed (`cols × rows`)
 * @returns one matrix per block
 */
export function takeBlocks(x: tf.Tensor, blocks: readonly Block[], transpose = false): tf.Tensor[] {
  if (registered && tf.getBackend() === 'wasm') {
    const attrs = { offsets: blocks.map((b) => b.offset), rows: blocks.map((b) => b.rows), cols: blocks.map((b) => b.cols), transpose };
    const out = tf.engine().runKernel(TAKE_BLOCKS, { x }, attrs);
    return Array.isArray(out) ? out : [out];
  }
  return tf.tidy(() => {
    const flat = tf.reshape(x, [-1]);
    return blocks.map((b) => {
      const block = tf.reshape(tf.slice(flat, b.offset, b.rows * b.cols), [b.rows, b.cols]);
      return transpose ? tf.transpose(block) : block;
    });
  });
}

/**
 * Copies (or transposes) blocks one after the other into one flat tensor, in one op.
 * @param x - any float32 tensor (read as its flat data)
 * @param blocks - where each block lies
 * @param transpose - store each block transposed (`cols × rows`)
 * @returns a 1-D tensor of `Σ rows·cols` values
 */
export function stackBlocks(x: tf.Tensor, blocks: readonly Block[], transpose = false): tf.Tensor {
  if (transpose && isUniformRun(blocks)) {
    // Equal, back-to-back blocks: one batched transpose (compiled code) beats the JavaScript loop.
    const { offset, rows, cols } = blocks[0];
    const size = blocks.length * rows * cols;
    return tf.tidy(() => {
      const run = offset === 0 && size === x.size ? x : sliceRows(tf.reshape(x, [-1]), offset, size);
      return tf.reshape(tf.transpose(tf.reshape(run, [blocks.length, rows, cols]), [0, 2, 1]), [-1]);
    });
  }
  if (registered && tf.getBackend() === 'wasm') {
    const attrs = { offsets: blocks.map((b) => b.offset), rows: blocks.map((b) => b.rows), cols: blocks.map((b) => b.cols), transpose, stack: true };
    const out = tf.engine().runKernel(TAKE_BLOCKS, { x }, attrs);
    if (out instanceof tf.Tensor) return out;
    throw new Error(`${TAKE_BLOCKS} returned several tensors`);
  }
  return tf.tidy(() => tf.concat(takeBlocks(x, blocks, transpose).map((b) => tf.reshape(b, [-1])), 0));
}

/** @returns whether the blocks have one shape and follow each other without gaps */
function isUniformRun(blocks: readonly Block[]): boolean {
  const [first] = blocks;
  if (first === undefined) return false;
  const size = first.rows * first.cols;
  return blocks.every((b, k) => b.rows === first.rows && b.cols === first.cols && b.offset === first.offset + k * size);
}

/**
 * Rows `[begin, begin + rows)` of a matrix, or elements of a vector.
 * @returns a `rows × cols` matrix (`rows` elements for a vector)
 */
export function sliceRows(x: tf.Tensor, begin: number, rows: number): tf.Tensor {
  const cols = x.shape.slice(1).reduce((a, b) => a * b, 1);
  return tf.tidy(() => {
    const [block] = takeBlocks(x, [{ offset: begin * cols, rows, cols }]);
    return x.rank === 1 ? tf.reshape(block, [rows]) : block;
  });
}
