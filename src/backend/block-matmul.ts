/**
 * Many small matrix products in one op: `out_i = A_i · B_i`, where every A_i, B_i and out_i is a
 * contiguous block of a larger tensor. The fused trainer's per-model products (one per model,
 * layer and pass) are each too small to pay for a tfjs op of their own; on the wasm backend this
 * kernel runs them all through XNNPACK's fast path (the same `BatchMatMul` export tfjs calls, on
 * zero-copy views registered at the blocks' heap addresses), so a whole layer is one op. Other
 * backends compose `takeBlocks`, `matMul` and `concat`; both paths compute the same products.
 */
import { tf } from './tf.ts';
import { type Block, takeBlocks } from './block-kernels.ts';

/** Kernel name of the wasm implementation. */
export const BLOCK_MATMUL = 'MetatuneBlockMatMul';

/** One product: `rows × inner` block of A at `aOffset` times `inner × cols` block of B at `bOffset`. */
export interface BlockProduct {
  readonly aOffset: number;
  readonly bOffset: number;
  readonly rows: number;
  readonly inner: number;
  readonly cols: number;
}

let registered = false;

/**
 * Registers the wasm kernel (idempotent).
 * @param wasm - the loaded `@tensorflow/tfjs-backend-wasm` module
 */
export function registerBlockMatMul(wasm: typeof import('@tensorflow/tfjs-backend-wasm')): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: BLOCK_MATMUL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs;
      const spec = attrs?.spec;
      if (!(backend instanceof wasm.BackendWasm) || a === undefined || b === undefined || !isNumbers(spec)) {
        throw new Error(`${BLOCK_MATMUL} needs the wasm backend, inputs a and b and a numeric spec`);
      }
      return runBlocks(backend, a, b, spec);
    },
  });
}

type WasmBackend = InstanceType<typeof import('@tensorflow/tfjs-backend-wasm').BackendWasm>;

function runBlocks(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, spec: number[]): tf.TensorInfo {
  const products = spec.length / 5;
  let total = 0;
  for (let i = 0; i < products; i++) total += spec[i * 5 + 2] * spec[i * 5 + 4];
  const out = backend.makeOutput([total], 'float32');
  const matMul = exported(backend, '_BatchMatMul');
  const malloc = exported(backend, '_malloc');
  const free = exported(backend, '_free');
  const shapes = Number(malloc(24));
  try {
    const base = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)?.memoryOffset ?? fail('block input is not on the wasm heap');
    const [aBase, bBase, outBase] = [base(a), base(b), base(out)];
    let outOffset = 0;
    for (let i = 0; i < products; i++) {
      const [aOffset, bOffset, rows, inner, cols] = spec.slice(i * 5, i * 5 + 5);
      const views = [
        backend.makeOutput([rows, inner], 'float32', aBase + 4 * aOffset),
        backend.makeOutput([inner, cols], 'float32', bBase + 4 * bOffset),
        backend.makeOutput([rows, cols], 'float32', outBase + 4 * outOffset),
      ];
      const ids = views.map((v) => backend.dataIdMap.get(v.dataId)?.id ?? fail('view not registered'));
      heap32(backend).set([1, rows, inner, 1, inner, cols], shapes / 4);
      matMul(ids[0], shapes, 3, ids[1], shapes + 12, 3, 0, 0, ids[2]);
      for (const [k, view] of views.entries()) {
        backend.wasm.tfjs.disposeData(ids[k]); // unregisters only: the memory belongs to a, b and out
        backend.dataIdMap.delete(view.dataId);
      }
      outOffset += rows * cols;
    }
  } finally {
    free(shapes);
  }
  return out;
}

function exported(backend: WasmBackend, name: string): (...args: number[]) => unknown {
  const fn: unknown = Reflect.get(backend.wasm, name);
  if (typeof fn !== 'function') throw new Error(`the wasm module exports no ${name}`);
  return (...args: number[]) => Reflect.apply(fn, backend.wasm, args);
}

function heap32(backend: WasmBackend): Int32Array {
  const heap: unknown = Reflect.get(backend.wasm, 'HEAP32');
  if (!(heap instanceof Int32Array)) throw new Error('the wasm module has no HEAP32');
  return heap;
}

function fail(message: string): never {
  throw new Error(message);
}

function isNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}

/**
 * Computes every product and stacks the results (each `rows × cols`, row-major) in one flat tensor.
 * @param a - tensor holding the left blocks
 * @param b - tensor holding the right blocks
 * @param products - where each product's operands lie and their sizes
 * @returns a 1-D tensor of `Σ rows·cols` values
 */
export function blockMatMul(a: tf.Tensor, b: tf.Tensor, products: readonly BlockProduct[]): tf.Tensor {
  if (registered && tf.getBackend() === 'wasm') {
    const spec = products.flatMap((p) => [p.aOffset, p.bOffset, p.rows, p.inner, p.cols]);
    const out = tf.engine().runKernel(BLOCK_MATMUL, { a, b }, { spec });
    if (out instanceof tf.Tensor) return out;
    throw new Error(`${BLOCK_MATMUL} returned several tensors`);
  }
  const uniform = uniformRun(products);
  if (uniform !== undefined) return batchedProducts(a, b, uniform);
  return tf.tidy(() => {
    const left = takeBlocks(a, products.map((p): Block => ({ offset: p.aOffset, rows: p.rows, cols: p.inner })));
    const right = takeBlocks(b, products.map((p): Block => ({ offset: p.bOffset, rows: p.inner, cols: p.cols })));
    return tf.concat(left.map((l, i) => tf.reshape(tf.matMul(l, right[i]), [-1])), 0);
  });
}

/** Products of one shape whose operands follow each other: `count` products from `aStart`, `bStart`. */
interface UniformRun {
  readonly count: number;
  readonly aStart: number;
  readonly bStart: number;
  readonly rows: number;
  readonly inner: number;
  readonly cols: number;
}

/** @returns the run when every product has the first's shape and operands lie back to back */
function uniformRun(products: readonly BlockProduct[]): UniformRun | undefined {
  const [first] = products;
  if (first === undefined || products.length < 2) return undefined;
  const { rows, inner, cols } = first;
  const aSize = rows * inner;
  const bSize = inner * cols;
  const same = products.every((p, k) => p.rows === rows && p.inner === inner && p.cols === cols
    && p.aOffset === first.aOffset + k * aSize && p.bOffset === first.bOffset + k * bSize);
  return same ? { count: products.length, aStart: first.aOffset, bStart: first.bOffset, rows, inner, cols } : undefined;
}

/** One batched `matMul` over `count × rows × inner` and `count × inner × cols`. */
function batchedProducts(a: tf.Tensor, b: tf.Tensor, run: UniformRun): tf.Tensor {
  return tf.tidy(() => {
    const operand = (x: tf.Tensor, start: number, rows: number, cols: number) => {
      const size = run.count * rows * cols;
      const flat = tf.reshape(x, [-1]);
      return tf.reshape(start === 0 && size === flat.size ? flat : tf.slice(flat, start, size), [run.count, rows, cols]);
    };
    return tf.reshape(tf.matMul(operand(a, run.aStart, run.rows, run.inner), operand(b, run.bStart, run.inner, run.cols)), [-1]);
  });
}
