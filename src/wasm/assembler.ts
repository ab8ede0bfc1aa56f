/**
 * A minimal WebAssembly assembler: named opcodes, LEB128 immediates, a few structured-control
 * helpers, and the module layout (types, functions, an own or an imported memory, exports, code).
 * Enough for the meta-features' kernels (`src/metafeatures/simd-kernels.ts`) and the trainer's
 * optimizer update (`src/backend/flat-update.ts`), without a toolchain or a dependency.
 */

/** Opcodes used (WebAssembly core and SIMD). */
export const OP = {
  block: 0x02, loop: 0x03, end: 0x0b, br: 0x0c, brIf: 0x0d, void: 0x40,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, i32GeS: 0x4e, i32Add: 0x6a, i32Mul: 0x6c, i32Shl: 0x74,
  f64Load: 0x2b, f64Const: 0x44, i32Load: 0x28, i32Load8U: 0x2d, i32Load16U: 0x2f, i32Store: 0x36, f64Store: 0x39,
  if: 0x04, else: 0x05, i32Ne: 0x47, i32Sub: 0x6b, i32LtS: 0x48, i32ShrU: 0x76, f64Add: 0xa0, f64Sub: 0xa1, f64Mul: 0xa2, f64Lt: 0x63, f64Le: 0x65,
  memoryCopy: [0xfc, 0x0a, 0x00, 0x00],
  simd: 0xfd,
} as const;
export const SIMD = { v128Load: [0x00], v128Store: [0x0b], f64x2Splat: [0x14], f64x2Add: [0xf0, 0x01], f64x2Sub: [0xf1, 0x01], f64x2Mul: [0xf2, 0x01] } as const;
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export const get = (i: number) => [OP.localGet, i];
export const set = (i: number) => [OP.localSet, i];
export const tee = (i: number) => [OP.localTee, i];
export const simd = (op: readonly number[], ...memarg: number[]) => [OP.simd, ...op, ...memarg];
/** v128.load / store with an 8-byte alignment hint and a constant offset. */
export const load = (offset: number) => simd(SIMD.v128Load, 3, ...uleb(offset));
export const store = (offset: number) => simd(SIMD.v128Store, 3, ...uleb(offset));
export const zeroVector = [OP.f64Const, 0, 0, 0, 0, 0, 0, 0, 0, ...simd(SIMD.f64x2Splat)];
export const addInt = (local: number, value: number) => [...get(local), OP.i32Const, ...uleb(value), OP.i32Add, ...set(local)];
/** `block loop (exit when a ≥ b) … br 0 end end`. */
export const whileLess = (a: number, b: number, body: number[]) => [OP.block, OP.void, OP.loop, OP.void, ...get(a), ...get(b), OP.i32GeS, OP.brIf, 1, ...body, OP.br, 0, OP.end, OP.end];

/** The eight little-endian bytes of a double, for f64.const. */
export function f64Bytes(v: number): number[] {
  return Array.from(new Uint8Array(Float64Array.of(v).buffer));
}

/** One exported function: parameter and result value types, and its body (local declarations, code, end). */
export interface AssembledFunction {
  readonly name: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
  readonly body: readonly number[];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(s: string): number[] {
  return [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
}

/**
 * Assembles a module: function i has its own type i, every function exported under its name, and
 * either its own growable memory of one page to start, exported as `memory` (the default), or,
 * with `importedMemory`, a memory imported as `env.memory` (another module's heap, for kernels
 * that work on its data in place).
 */
export function assembleModule(functions: readonly AssembledFunction[], options: { importedMemory?: boolean } = {}): Uint8Array {
  const types = functions.flatMap((f) => [0x60, f.params.length, ...f.params, f.results.length, ...f.results]);
  const exports = functions.flatMap((f, i) => [...name(f.name), 0, i]);
  const memory = options.importedMemory === true
    ? { imports: section(2, [1, ...name('env'), ...name('memory'), 2, 0, 1]), own: [], exports: section(7, [functions.length, ...exports]) }
    : { imports: [], own: section(5, [1, 0, 1]), exports: section(7, [functions.length + 1, ...name('memory'), 2, 0, ...exports]) };
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [functions.length, ...types]),
    ...memory.imports,
    ...section(3, [functions.length, ...functions.map((_, i) => i)]),
    ...memory.own,
    ...memory.exports,
    ...section(10, [functions.length, ...functions.flatMap((f) => [...uleb(f.body.length), ...f.body])]),
  ]);
}

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Readonly<Record<string, unknown>> };
}

/** A WebAssembly memory: its current buffer, and growth by 64 KiB pages. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** An exported function, called with numbers. */
export type WasmFunction = (...args: number[]) => unknown;

/** An instance's memory and functions. */
export interface WasmInstance {
  readonly memory: WasmMemory;
  readonly functions: Readonly<Record<string, WasmFunction>>;
}

function isWasmApi(api: unknown): api is WasmApi {
  return typeof api === 'object' && api !== null && 'validate' in api && typeof api.validate === 'function'
    && 'Module' in api && typeof api.Module === 'function' && 'Instance' in api && typeof api.Instance === 'function';
}

function isMemory(m: unknown): m is WasmMemory {
  return typeof m === 'object' && m !== null && 'buffer' in m && m.buffer instanceof ArrayBuffer && 'grow' in m && typeof m.grow === 'function';
}

function isFunction(f: unknown): f is WasmFunction {
  return typeof f === 'function';
}

/**
 * Compiles a module once; each call of the returned factory makes a fresh instance (own memory).
 * @returns the factory, or null where WebAssembly (or an instruction the module uses) is unavailable
 */
export function compileModule(bytes: Uint8Array, names: readonly string[]): (() => WasmInstance | null) | null {
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  if (!isWasmApi(api) || !api.validate(bytes)) return null;
  const module = new api.Module(bytes);
  return () => {
    const exports = new api.Instance(module, {}).exports;
    const functions = exportedFunctions(exports, names);
    return functions !== null && isMemory(exports.memory) ? { memory: exports.memory, functions } : null;
  };
}

/**
 * Instantiates a module assembled with `importedMemory` on the given memory (for example the
 * tfjs wasm backend's heap, `backend.wasm.asm.memory`).
 * @returns the module's functions, or null where WebAssembly (or an instruction the module uses) is unavailable
 */
export function instantiateOnMemory(bytes: Uint8Array, memory: unknown, names: readonly string[]): Readonly<Record<string, WasmFunction>> | null {
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  if (!isWasmApi(api) || !isMemory(memory) || !api.validate(bytes)) return null;
  return exportedFunctions(new api.Instance(new api.Module(bytes), { env: { memory } }).exports, names);
}

function exportedFunctions(exports: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, WasmFunction> | null {
  const functions: Record<string, WasmFunction> = {};
  for (const n of names) {
    const f = exports[n];
    if (!isFunction(f)) return null;
    functions[n] = f;
  }
  return functions;
}
