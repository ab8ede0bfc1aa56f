/**
 * Squared Euclidean distances from one query row to a range of candidate rows, in a small
 * WebAssembly SIMD kernel (two candidates per 128-bit lane pair, eight per pass over the
 * coordinates). Each candidate's distance is its own lane, summed as the scalar code sums it:
 * d = 0, then d += (c_k − q_k)² for k = 0, 1, …, p − 1 — no fused multiply-add, no reordering — so
 * the distances are bit-identical to the plain loops'. The module (about 200 bytes) is assembled
 * below from named opcodes; where WebAssembly SIMD is unavailable, {@link simdDistanceKernel}
 * returns null and callers keep their scalar loops.
 */

/** Opcodes used by the kernel (WebAssembly core and SIMD proposals). */
const OP = {
  block: 0x02, loop: 0x03, end: 0x0b, br: 0x0c, brIf: 0x0d, void: 0x40,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, i32GeS: 0x4e, i32Add: 0x6a, i32Shl: 0x74,
  f64Load: 0x2b, f64Const: 0x44,
  simd: 0xfd,
} as const;
const SIMD = { v128Load: [0x00], v128Store: [0x0b], f64x2Splat: [0x14], f64x2Add: [0xf0, 0x01], f64x2Sub: [0xf1, 0x01], f64x2Mul: [0xf2, 0x01] } as const;
const I32 = 0x7f;
const V128 = 0x7b;

// Parameters: q (byte offset of the query's p values), xt (byte offset of the candidates stored
// coordinate-major: coordinate k of candidate j at xt + 8·(k·stride + j)), stride, p, j0, j1, out
// (distance of candidate j written at out + 8·j; whole blocks of eight, so up to seven past j1).
const [Q, XT, STRIDE, P, J0, J1, OUT] = [0, 1, 2, 3, 4, 5, 6];
// Locals: j, k, ptr, qp, strideBytes (i32); a0..a3, qk, t (v128).
const [J, K, PTR, QP, STRIDE_BYTES, A0, QK, T] = [7, 8, 9, 10, 11, 12, 16, 17];

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const get = (i: number) => [OP.localGet, i];
const set = (i: number) => [OP.localSet, i];
const tee = (i: number) => [OP.localTee, i];
const simd = (op: readonly number[], ...memarg: number[]) => [OP.simd, ...op, ...memarg];

/** a_lane += (load(ptr + offset) − qk)², for one accumulator. */
function accumulate(lane: number): number[] {
  return [
    ...get(A0 + lane),
    ...get(PTR), ...simd(SIMD.v128Load, 3, ...uleb(16 * lane)), ...get(QK), ...simd(SIMD.f64x2Sub), ...tee(T), ...get(T), ...simd(SIMD.f64x2Mul),
    ...simd(SIMD.f64x2Add), ...set(A0 + lane),
  ];
}

function kernelBody(): number[] {
  const zero = [OP.f64Const, 0, 0, 0, 0, 0, 0, 0, 0, ...simd(SIMD.f64x2Splat)];
  const coordinateLoop = [
    OP.block, OP.void, OP.loop, OP.void,
    ...get(K), ...get(P), OP.i32GeS, OP.brIf, 1,
    ...get(QP), OP.f64Load, 3, 0, ...simd(SIMD.f64x2Splat), ...set(QK),
    ...accumulate(0), ...accumulate(1), ...accumulate(2), ...accumulate(3),
    ...get(PTR), ...get(STRIDE_BYTES), OP.i32Add, ...set(PTR),
    ...get(QP), OP.i32Const, 8, OP.i32Add, ...set(QP),
    ...get(K), OP.i32Const, 1, OP.i32Add, ...set(K),
    OP.br, 0, OP.end, OP.end,
  ];
  const store = [
    ...get(OUT), ...get(J), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...tee(PTR), ...get(A0), ...simd(SIMD.v128Store, 3, 0),
    ...get(PTR), ...get(A0 + 1), ...simd(SIMD.v128Store, 3, 16),
    ...get(PTR), ...get(A0 + 2), ...simd(SIMD.v128Store, 3, 32),
    ...get(PTR), ...get(A0 + 3), ...simd(SIMD.v128Store, 3, 48),
  ];
  return [
    ...get(STRIDE), OP.i32Const, 3, OP.i32Shl, ...set(STRIDE_BYTES),
    ...get(J0), ...set(J),
    OP.block, OP.void, OP.loop, OP.void,
    ...get(J), ...get(J1), OP.i32GeS, OP.brIf, 1,
    ...zero, ...tee(A0), ...tee(A0 + 1), ...tee(A0 + 2), ...set(A0 + 3),
    ...get(XT), ...get(J), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(PTR),
    ...get(Q), ...set(QP),
    OP.i32Const, 0, ...set(K),
    ...coordinateLoop,
    ...store,
    ...get(J), OP.i32Const, 8, OP.i32Add, ...set(J),
    OP.br, 0, OP.end, OP.end,
    OP.end,
  ];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function moduleBytes(): Uint8Array {
  const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const body = [2, 5, I32, 6, V128, ...kernelBody()]; // local declarations, then code
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 7, I32, I32, I32, I32, I32, I32, I32, 0]), // type: (7 × i32) → ()
    ...section(3, [1, 0]), // one function of type 0
    ...section(5, [1, 0, 1]), // memory: 1 page, growable
    ...section(7, [2, ...name('memory'), 2, 0, ...name('sqdist'), 0, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Readonly<Record<string, unknown>> };
}

/** A WebAssembly memory: its current buffer, and growth by 64 KiB pages. */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The compiled kernel and its memory. */
export interface SimdDistanceKernel {
  readonly memory: KernelMemory;
  /** See the parameter comment above: all offsets in bytes, ranges in candidates. */
  readonly sqdist: (q: number, xt: number, stride: number, p: number, j0: number, j1: number, out: number) => void;
}

function isWasmApi(api: unknown): api is WasmApi {
  return typeof api === 'object' && api !== null && 'validate' in api && typeof api.validate === 'function'
    && 'Module' in api && typeof api.Module === 'function' && 'Instance' in api && typeof api.Instance === 'function';
}

function isMemory(m: unknown): m is KernelMemory {
  return typeof m === 'object' && m !== null && 'buffer' in m && m.buffer instanceof ArrayBuffer && 'grow' in m && typeof m.grow === 'function';
}

function isKernel(f: unknown): f is (...args: number[]) => unknown {
  return typeof f === 'function';
}

let cached: SimdDistanceKernel | null | undefined;

/** @returns the kernel (compiled once per process), or null where WebAssembly SIMD is unavailable */
export function simdDistanceKernel(): SimdDistanceKernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  if (!isWasmApi(api)) return cached;
  const bytes = moduleBytes();
  if (!api.validate(bytes)) return cached;
  const { memory, sqdist } = new api.Instance(new api.Module(bytes), {}).exports;
  if (isMemory(memory) && isKernel(sqdist)) {
    cached = { memory, sqdist: (...args) => void sqdist(...args) };
  }
  return cached;
}
