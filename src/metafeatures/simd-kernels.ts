/**
 * Small WebAssembly SIMD kernels for the hot loops of the meta-features, assembled below from
 * named opcodes (no toolchain, no dependency; the module is a few hundred bytes). Each kernel puts
 * independent sums in the two lanes of a 128-bit vector and adds to each exactly as the scalar
 * code does — same terms, same order, multiply then add (no fused multiply-add) — so results are
 * bit-identical to the scalar loops. Where WebAssembly SIMD is unavailable, {@link simdKernels}
 * returns null and callers keep their scalar loops.
 *
 * - `sqdist(q, xt, stride, p, j0, j1, out)`: squared Euclidean distances from a query (p values at
 *   byte offset q) to candidates j0 ≤ j < j1 stored coordinate-major (coordinate k of candidate j
 *   at xt + 8·(k·stride + j)); each d = 0, then d += (c_k − q_k)² for k = 0, 1, …; written at
 *   out + 8·j, in whole blocks of eight candidates (so up to seven past j1).
 * - `dots2(x, y, z, bytes, out)`: the four-lane dot products x·y and x·z of
 *   `correlation.ts` — lane r sums x[i]·y[i] over i ≡ r (mod 4), i in order, over the first
 *   `bytes` / 8 entries (a multiple of four); the lanes are written at out (x·y lanes 0–3, then x·z).
 * - `cov8(r, acc, pp)`: one block of pca.ts's covariance: eight rows r_0..r_7 of pp doubles (pp
 *   even; row q at r + 8·q·pp) added to every cell a ≤ b of the pp × pp matrix at acc as
 *   acc + (x0·w0 + x1·w1 + x2·w2 + x3·w3) + (x4·w4 + x5·w5 + x6·w6 + x7·w7), x_q = r_q[a],
 *   w_q = r_q[b], left to right; two rows a, a + 1 by two cells b, b + 1 at a time (cells just
 *   below the diagonal are written too, and must not be read).
 * - `count2(x, y0, y1, n, t0, t1)` (plain WebAssembly, no SIMD: it only avoids the bounds checks of
 *   typed arrays): the pair tables of info-theory's attr_conc — for k < n, with s = x[k] (16-bit
 *   scaled codes at byte offset x), cell s + y0[k] of the 32-bit table t0 and cell s + y1[k] of t1
 *   (8-bit codes) gain one.
 */

/** Opcodes used (WebAssembly core and SIMD). */
const OP = {
  block: 0x02, loop: 0x03, end: 0x0b, br: 0x0c, brIf: 0x0d, void: 0x40,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, i32GeS: 0x4e, i32Add: 0x6a, i32Mul: 0x6c, i32Shl: 0x74,
  f64Load: 0x2b, f64Const: 0x44, i32Load: 0x28, i32Load8U: 0x2d, i32Load16U: 0x2f, i32Store: 0x36,
  simd: 0xfd,
} as const;
const SIMD = { v128Load: [0x00], v128Store: [0x0b], f64x2Splat: [0x14], f64x2Add: [0xf0, 0x01], f64x2Sub: [0xf1, 0x01], f64x2Mul: [0xf2, 0x01] } as const;
const I32 = 0x7f;
const V128 = 0x7b;
const FUNC = 0x60;

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
/** v128.load / store with an 8-byte alignment hint and a constant offset. */
const load = (offset: number) => simd(SIMD.v128Load, 3, ...uleb(offset));
const store = (offset: number) => simd(SIMD.v128Store, 3, ...uleb(offset));
const zeroVector = [OP.f64Const, 0, 0, 0, 0, 0, 0, 0, 0, ...simd(SIMD.f64x2Splat)];
const addInt = (local: number, value: number) => [...get(local), OP.i32Const, ...uleb(value), OP.i32Add, ...set(local)];
/** `block loop (exit when a ≥ b) … br 0 end end`. */
const whileLess = (a: number, b: number, body: number[]) => [OP.block, OP.void, OP.loop, OP.void, ...get(a), ...get(b), OP.i32GeS, OP.brIf, 1, ...body, OP.br, 0, OP.end, OP.end];

/** sqdist's code. Parameters 0–6: q, xt, stride, p, j0, j1, out; locals: j, k, ptr, qp, strideBytes (i32), a0..a3, qk, t (v128). */
function sqdistBody(): number[] {
  const [Q, XT, STRIDE, P, J0, J1, OUT, J, K, PTR, QP, STRIDE_BYTES, A0, QK, T] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 17];
  const accumulate = (lane: number) => [
    ...get(A0 + lane), ...get(PTR), ...load(16 * lane), ...get(QK), ...simd(SIMD.f64x2Sub), ...tee(T), ...get(T), ...simd(SIMD.f64x2Mul),
    ...simd(SIMD.f64x2Add), ...set(A0 + lane),
  ];
  const coordinates = whileLess(K, P, [
    ...get(QP), OP.f64Load, 3, 0, ...simd(SIMD.f64x2Splat), ...set(QK),
    ...accumulate(0), ...accumulate(1), ...accumulate(2), ...accumulate(3),
    ...get(PTR), ...get(STRIDE_BYTES), OP.i32Add, ...set(PTR),
    ...addInt(QP, 8), ...addInt(K, 1),
  ]);
  const candidates = whileLess(J, J1, [
    ...zeroVector, ...tee(A0), ...tee(A0 + 1), ...tee(A0 + 2), ...set(A0 + 3),
    ...get(XT), ...get(J), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(PTR),
    ...get(Q), ...set(QP), OP.i32Const, 0, ...set(K),
    ...coordinates,
    ...get(OUT), ...get(J), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...tee(PTR), ...get(A0), ...store(0),
    ...get(PTR), ...get(A0 + 1), ...store(16), ...get(PTR), ...get(A0 + 2), ...store(32), ...get(PTR), ...get(A0 + 3), ...store(48),
    ...addInt(J, 8),
  ]);
  const locals = [2, 5, I32, 6, V128];
  return [...locals, ...get(STRIDE), OP.i32Const, 3, OP.i32Shl, ...set(STRIDE_BYTES), ...get(J0), ...set(J), ...candidates, OP.end];
}

/** dots2's code. Parameters 0–4: x, y, z, bytes, out; locals: b (i32), p01, p23, q01, q23, x01, x23 (v128). */
function dots2Body(): number[] {
  const [X, Y, Z, BYTES, OUT, B, P01, P23, Q01, Q23, X01, X23] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const at = (base: number, offset: number) => [...get(base), ...get(B), OP.i32Add, ...load(offset)];
  const madd = (acc: number, xs: number, base: number, offset: number) => [
    ...get(acc), ...get(xs), ...at(base, offset), ...simd(SIMD.f64x2Mul), ...simd(SIMD.f64x2Add), ...set(acc),
  ];
  const rows = whileLess(B, BYTES, [
    ...at(X, 0), ...set(X01), ...at(X, 16), ...set(X23),
    ...madd(P01, X01, Y, 0), ...madd(P23, X23, Y, 16), ...madd(Q01, X01, Z, 0), ...madd(Q23, X23, Z, 16),
    ...addInt(B, 32),
  ]);
  const locals = [2, 1, I32, 6, V128];
  return [
    ...locals, ...zeroVector, ...tee(P01), ...tee(P23), ...tee(Q01), ...set(Q23), OP.i32Const, 0, ...set(B),
    ...rows,
    ...get(OUT), ...get(P01), ...store(0), ...get(OUT), ...get(P23), ...store(16), ...get(OUT), ...get(Q01), ...store(32), ...get(OUT), ...get(Q23), ...store(48),
    OP.end,
  ];
}

/** cov8's code. Parameters 0–2: r, acc, pp; locals: rb, a, b, wp, ap, cp, tmp (i32), x0..x7, y0..y7, w0..w7, s, t (v128). */
function cov8Body(): number[] {
  const [R, ACC, PP, RB, A, B, WP, AP, CP, TMP, X, Y, W, S, T] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 26, 34, 35];
  const mul = (xs: number, q: number) => [...get(xs + q), ...get(W + q), ...simd(SIMD.f64x2Mul)];
  const add = () => simd(SIMD.f64x2Add);
  /** ((x0·w0 + x1·w1) + x2·w2) + x3·w3 for q = first..first+3. */
  const four = (xs: number, first: number) => [...mul(xs, first), ...mul(xs, first + 1), ...add(), ...mul(xs, first + 2), ...add(), ...mul(xs, first + 3), ...add()];
  /** cell vector at ptr: (acc + four(0)) + four(4). */
  const update = (xs: number, ptr: number) => [
    ...four(xs, 0), ...set(S), ...four(xs, 4), ...set(T),
    ...get(ptr), ...get(ptr), ...load(0), ...get(S), ...add(), ...get(T), ...add(), ...store(0),
  ];
  const splatRow = (xs: number, offset: number) => {
    const code = [...get(R), ...get(A), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(TMP)];
    for (let q = 0; q < 8; q++) {
      code.push(...get(TMP), OP.f64Load, 3, ...uleb(offset), ...simd(SIMD.f64x2Splat), ...set(xs + q));
      if (q < 7) code.push(...get(TMP), ...get(RB), OP.i32Add, ...set(TMP));
    }
    return code;
  };
  const loadW = [...get(WP), ...set(TMP)];
  for (let q = 0; q < 8; q++) {
    loadW.push(...get(TMP), ...load(0), ...set(W + q));
    if (q < 7) loadW.push(...get(TMP), ...get(RB), OP.i32Add, ...set(TMP));
  }
  const cells = whileLess(B, PP, [
    ...loadW, ...update(X, AP), ...update(Y, CP),
    ...addInt(WP, 16), ...addInt(AP, 16), ...addInt(CP, 16), ...addInt(B, 2),
  ]);
  const rows = whileLess(A, PP, [
    ...splatRow(X, 0), ...splatRow(Y, 8),
    ...get(A), ...set(B),
    ...get(R), ...get(A), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(WP),
    // ap = acc + 8·(a·pp + a), cp = ap + rb
    ...get(ACC), ...get(A), ...get(PP), OP.i32Mul, ...get(A), OP.i32Add, OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...tee(AP),
    ...get(RB), OP.i32Add, ...set(CP),
    ...cells,
    ...addInt(A, 2),
  ]);
  const locals = [2, 7, I32, 26, V128];
  return [...locals, ...get(PP), OP.i32Const, 3, OP.i32Shl, ...set(RB), OP.i32Const, 0, ...set(A), ...rows, OP.end];
}

/** count2's code. Parameters 0–5: x, y0, y1, n, t0, t1; locals: k, s, cell (i32). */
function count2Body(): number[] {
  const [X, Y0, Y1, N, T0, T1, K, S, CELL] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const increment = (y: number, table: number) => [
    ...get(table), ...get(S), ...get(y), ...get(K), OP.i32Add, OP.i32Load8U, 0, 0, OP.i32Add, OP.i32Const, 2, OP.i32Shl, OP.i32Add, ...tee(CELL),
    ...get(CELL), OP.i32Load, 2, 0, OP.i32Const, 1, OP.i32Add, OP.i32Store, 2, 0,
  ];
  const rows = whileLess(K, N, [
    ...get(X), ...get(K), OP.i32Const, 1, OP.i32Shl, OP.i32Add, OP.i32Load16U, 1, 0, ...set(S),
    ...increment(Y0, T0), ...increment(Y1, T1),
    ...addInt(K, 1),
  ]);
  return [1, 3, I32, OP.i32Const, 0, ...set(K), ...rows, OP.end];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function moduleBytes(): Uint8Array {
  const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const bodies = [sqdistBody(), dots2Body(), cov8Body(), count2Body()];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [4, FUNC, 7, ...Array<number>(7).fill(I32), 0, FUNC, 5, ...Array<number>(5).fill(I32), 0, FUNC, 3, I32, I32, I32, 0, FUNC, 6, ...Array<number>(6).fill(I32), 0]), // types
    ...section(3, [4, 0, 1, 2, 3]), // function i has type i
    ...section(5, [1, 0, 1]), // one growable memory, 1 page to start
    ...section(7, [5, ...name('memory'), 2, 0, ...name('sqdist'), 0, 0, ...name('dots2'), 0, 1, ...name('cov8'), 0, 2, ...name('count2'), 0, 3]),
    ...section(10, [bodies.length, ...bodies.flatMap((b) => [...uleb(b.length), ...b])]),
  ]);
}

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Readonly<Record<string, unknown>> };
}

/** A WebAssembly memory: its current buffer, and growth by 64 KiB pages. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

type KernelFunction = (...args: number[]) => unknown;

/** One instance of the kernels, with its own memory (freed with the instance). */
export interface SimdKernels {
  /** The memory as doubles, at least `doubles` long (grows it, and so replaces earlier views, when needed). */
  doubles(doubles: number): Float64Array;
  /** See the module comment; offsets in bytes. */
  sqdist(q: number, xt: number, stride: number, p: number, j0: number, j1: number, out: number): void;
  dots2(x: number, y: number, z: number, bytes: number, out: number): void;
  cov8(r: number, acc: number, pp: number): void;
  count2(x: number, y0: number, y1: number, n: number, t0: number, t1: number): void;
}

/** Largest memory a caller should ask for; beyond it, use the scalar loops. */
export const SIMD_MEMORY_LIMIT = 256 * 1024 * 1024;

function isWasmApi(api: unknown): api is WasmApi {
  return typeof api === 'object' && api !== null && 'validate' in api && typeof api.validate === 'function'
    && 'Module' in api && typeof api.Module === 'function' && 'Instance' in api && typeof api.Instance === 'function';
}

function isMemory(m: unknown): m is WasmMemory {
  return typeof m === 'object' && m !== null && 'buffer' in m && m.buffer instanceof ArrayBuffer && 'grow' in m && typeof m.grow === 'function';
}

function isFunction(f: unknown): f is KernelFunction {
  return typeof f === 'function';
}

let compiled: { api: WasmApi; module: object } | null | undefined;

/**
 * A fresh instance of the kernels (the module is compiled once per process).
 * @returns the kernels, or null where WebAssembly SIMD is unavailable
 */
export function simdKernels(): SimdKernels | null {
  if (compiled === undefined) {
    const api: unknown = Reflect.get(globalThis, 'WebAssembly');
    const bytes = moduleBytes();
    compiled = isWasmApi(api) && api.validate(bytes) ? { api, module: new api.Module(bytes) } : null;
  }
  if (compiled === null) return null;
  const { memory, sqdist, dots2, cov8, count2 } = new compiled.api.Instance(compiled.module, {}).exports;
  if (!isMemory(memory) || !isFunction(sqdist) || !isFunction(dots2) || !isFunction(cov8) || !isFunction(count2)) return null;
  let view = new Float64Array(memory.buffer);
  return {
    doubles(doubles) {
      const bytes = 8 * doubles;
      if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
      if (view.buffer !== memory.buffer) view = new Float64Array(memory.buffer);
      return view;
    },
    sqdist: (...args) => void sqdist(...args),
    dots2: (...args) => void dots2(...args),
    cov8: (...args) => void cov8(...args),
    count2: (...args) => void count2(...args),
  };
}
