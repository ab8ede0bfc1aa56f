/**
 * The fused trainer's optimizer update (`src/learners/optimizer.ts`) as one pass of WebAssembly
 * SIMD over the tfjs wasm backend's heap, instead of ~12 tfjs ops that each read and write the
 * whole flat parameter vector (and allocate a tensor). Per element, with every operation rounded to
 * float32 exactly as the tfjs ops do (IEEE single precision, same operations, same grouping, no
 * fused multiply-add), so the results are bit-identical to the op-by-op path:
 *
 *   lr = adam·bc + plain      (each term only when present; 0 when neither)
 *   g  = ∇ + l2·w + l1·sign(w)
 *   m  = a1·m + c1·g          (or g without momentum)
 *   s  = a2·s + c2·(g·g)      (second moment, when used)
 *   d  = m / (√s + ε)         (or m)
 *   w' = w − lr·d − (lr·λ)·w  (decoupled decay, when present)
 *
 * The code is generated per combination of present terms (at most 2⁷ small modules, compiled on
 * first use) and instantiated on the backend's own `WebAssembly.Memory`, so it reads and writes
 * the tensors in place: four lanes a step, then the remaining elements one by one.
 */
import { tf } from './tf.ts';
import { I32, OP, assembleModule, get, instantiateOnMemory, set, simd, uleb, type WasmFunction } from '../wasm/assembler.ts';

/** Which terms an update has. */
export interface FlatUpdateTerms {
  readonly adam: boolean;
  readonly plain: boolean;
  readonly l2: boolean;
  readonly l1: boolean;
  readonly moment: boolean;
  readonly second: boolean;
  readonly decay: boolean;
}

const F32 = 0x7d;
const V128 = 0x7b;
/** The tensors an update reads, in parameter order (after `n`); absent terms are passed as address 0. */
const INPUTS = ['params', 'grad', 'm', 's', 'adam', 'plain', 'a1', 'c1', 'a2', 'c2', 'epsilon', 'l2', 'l1', 'decay'] as const;
/** The tensors it writes, in parameter order (after the inputs). */
const OUTPUTS = ['outParams', 'outM', 'outS'] as const;
type Pointer = (typeof INPUTS)[number] | (typeof OUTPUTS)[number];
/** Parameters: n (i32), the input and output byte addresses (i32), then the bias correction (f32). */
const ARG: Readonly<Record<Pointer | 'n' | 'bc', number>> = Object.fromEntries([
  ['n', 0], ...[...INPUTS, ...OUTPUTS].map((name, i) => [name, i + 1]), ['bc', INPUTS.length + OUTPUTS.length + 1],
]) as Record<Pointer | 'n' | 'bc', number>;
// Locals after the 19 parameters: offset, end of the vector part, end (i32); then the values.
const OFFSET = ARG.bc + 1;
const VECTOR_END = 20;
const END = 21;
const [W, G, M, S, D, LR, BC] = [22, 23, 24, 25, 26, 27, 28];

/** The instructions of one lane width: four-lane SIMD or scalar float32. */
interface Lanes {
  readonly bytes: number;
  load(pointer: Pointer): number[];
  store(pointer: Pointer, value: number): number[];
  readonly add: number[];
  readonly sub: number[];
  readonly mul: number[];
  readonly div: number[];
  readonly sqrt: number[];
  /** sign(x) = (x > 0) − (x < 0) as floats: 0 for ±0 and NaN, as tfjs's Sign. */
  sign(local: number): number[];
  readonly zero: number[];
  readonly bc: number[];
}

const address = (pointer: Pointer) => [...get(ARG[pointer]), ...get(OFFSET), OP.i32Add];

const VECTOR: Lanes = {
  bytes: 16,
  load: (p) => [...address(p), ...simd([0x00], 2, 0)],
  store: (p, value) => [...address(p), ...get(value), ...simd([0x0b], 2, 0)],
  add: simd([0xe4, 0x01]),
  sub: simd([0xe5, 0x01]),
  mul: simd([0xe6, 0x01]),
  div: simd([0xe7, 0x01]),
  sqrt: simd([0xe3, 0x01]),
  // convert(x < 0) − convert(x > 0): the comparison masks are −1 where true.
  sign: (x) => [...get(x), ...zeroF32x4(), ...simd([0x43]), ...simd([0xfa, 0x01]), ...get(x), ...zeroF32x4(), ...simd([0x44]), ...simd([0xfa, 0x01]), ...simd([0xe5, 0x01])],
  zero: zeroF32x4(),
  bc: get(BC),
};

const SCALAR: Lanes = {
  bytes: 4,
  load: (p) => [...address(p), 0x2a, 2, 0],
  store: (p, value) => [...address(p), ...get(value), 0x38, 2, 0],
  add: [0x92],
  sub: [0x93],
  mul: [0x94],
  div: [0x95],
  sqrt: [0x91],
  sign: (x) => [...get(x), ...f32Zero(), 0x5e, 0xb2, ...get(x), ...f32Zero(), 0x5d, 0xb2, 0x93],
  zero: f32Zero(),
  bc: get(ARG.bc),
};

function f32Zero(): number[] {
  return [0x43, 0, 0, 0, 0];
}

function zeroF32x4(): number[] {
  return [...f32Zero(), ...simd([0x13])];
}

/** One element (or four) of the update; value locals are offset by `base` (vector or scalar set). */
function step(t: FlatUpdateTerms, l: Lanes, base: number): number[] {
  const [w, g, m, s, d, lr] = [W, G, M, S, D, LR].map((x) => x + base);
  const code: number[] = [...l.load('params'), ...set(w), ...l.load('grad'), ...set(g)];
  if (t.l2) code.push(...get(g), ...l.load('l2'), ...get(w), ...l.mul, ...l.add, ...set(g));
  if (t.l1) code.push(...get(g), ...l.load('l1'), ...l.sign(w), ...l.mul, ...l.add, ...set(g));
  if (t.moment) {
    code.push(...l.load('a1'), ...l.load('m'), ...l.mul, ...l.load('c1'), ...get(g), ...l.mul, ...l.add, ...set(m), ...l.store('outM', m));
  } else {
    code.push(...get(g), ...set(m));
  }
  if (t.second) {
    code.push(...l.load('a2'), ...l.load('s'), ...l.mul, ...l.load('c2'), ...get(g), ...get(g), ...l.mul, ...l.mul, ...l.add, ...set(s), ...l.store('outS', s));
    code.push(...get(m), ...get(s), ...l.sqrt, ...l.load('epsilon'), ...l.add, ...l.div, ...set(d));
  } else {
    code.push(...get(m), ...set(d));
  }
  if (t.adam) code.push(...l.load('adam'), ...l.bc, ...l.mul);
  if (t.plain) code.push(...l.load('plain'), ...(t.adam ? l.add : []));
  if (!t.adam && !t.plain) code.push(...l.zero);
  code.push(...set(lr));
  code.push(...get(w), ...get(lr), ...get(d), ...l.mul, ...l.sub);
  if (t.decay) code.push(...get(lr), ...l.load('decay'), ...l.mul, ...get(w), ...l.mul, ...l.sub);
  code.push(...set(d), ...l.store('outParams', d));
  return code;
}

/** `block loop (exit when offset ≥ₙ limit, unsigned) body; offset += bytes; br 0 end end`. */
function loop(limit: number, bytes: number, body: number[]): number[] {
  return [
    OP.block, OP.void, OP.loop, OP.void, ...get(OFFSET), ...get(limit), 0x4f, OP.brIf, 1,
    ...body, ...get(OFFSET), OP.i32Const, ...uleb(bytes), OP.i32Add, ...set(OFFSET), OP.br, 0, OP.end, OP.end,
  ];
}

/** @returns the update function's code for one combination of terms */
export function flatUpdateBody(t: FlatUpdateTerms): number[] {
  // Locals: 3 i32; 7 v128 (W…BC, vector lanes); 6 f32 (W…LR, scalar lanes, at base 7).
  const locals = [3, 3, I32, 7, V128, 6, F32];
  return [
    ...locals,
    ...get(ARG.n), OP.i32Const, 2, OP.i32Shl, ...set(END),
    ...get(ARG.n), OP.i32Const, ...uleb(0x7c), 0x71 /* i32.and with −4 */, OP.i32Const, 2, OP.i32Shl, ...set(VECTOR_END),
    ...get(ARG.bc), ...simd([0x13]), ...set(BC),
    ...loop(VECTOR_END, 16, step(t, VECTOR, 0)),
    ...loop(END, 4, step(t, SCALAR, 7)),
    OP.end,
  ];
}

const PARAMS = [...Array.from({ length: ARG.bc }, () => I32), F32];
/** Compiled updates per heap (a re-created backend has a new memory) and combination of terms. */
const compiled = new WeakMap<object, Map<string, WasmFunction | null>>();

/** @returns a key naming the combination */
function keyOf(t: FlatUpdateTerms): string {
  return [t.adam, t.plain, t.l2, t.l1, t.moment, t.second, t.decay].map((b) => (b ? 1 : 0)).join('');
}

/**
 * @param memory - the heap the tensors live on (`backend.wasm.asm.memory`)
 * @returns the update for this combination of terms, or null where WebAssembly SIMD is unavailable
 */
export function flatUpdateFunction(t: FlatUpdateTerms, memory: unknown): WasmFunction | null {
  if (typeof memory !== 'object' || memory === null) return null;
  const perMemory = compiled.get(memory) ?? new Map<string, WasmFunction | null>();
  compiled.set(memory, perMemory);
  const key = keyOf(t);
  if (!perMemory.has(key)) {
    const bytes = assembleModule([{ name: 'update', params: PARAMS, results: [], body: flatUpdateBody(t) }], { importedMemory: true });
    perMemory.set(key, instantiateOnMemory(bytes, memory, ['update'])?.update ?? null);
  }
  return perMemory.get(key) ?? null;
}

/** Kernel name of the wasm implementation. */
export const FLAT_UPDATE = 'MetatuneFlatUpdate';

/** The tensors of one update; absent terms are undefined. */
export interface FlatUpdateInputs {
  readonly params: tf.Tensor;
  readonly grad: tf.Tensor;
  readonly m: tf.Tensor;
  readonly s: tf.Tensor;
  readonly adam?: tf.Tensor;
  readonly plain?: tf.Tensor;
  readonly a1: tf.Tensor;
  readonly c1: tf.Tensor;
  readonly a2: tf.Tensor;
  readonly c2: tf.Tensor;
  readonly epsilon: tf.Tensor;
  readonly l2?: tf.Tensor;
  readonly l1?: tf.Tensor;
  readonly decay?: tf.Tensor;
}

let registered = false;
let enabled = true;

/**
 * Turns the fused update on or off (on by default); off, the optimizer runs its tfjs ops. For
 * tests and benchmarks that compare the two paths.
 * @returns the previous setting
 */
export function useFusedUpdate(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/**
 * Registers the wasm kernel (idempotent).
 * @param wasm - the loaded `@tensorflow/tfjs-backend-wasm` module
 */
export function registerFlatUpdate(wasm: typeof import('@tensorflow/tfjs-backend-wasm')): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: FLAT_UPDATE,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!(backend instanceof wasm.BackendWasm)) throw new Error(`${FLAT_UPDATE} needs the wasm backend`);
      const terms = termsOf(attrs);
      const fn = flatUpdateFunction(terms, heapMemory(backend));
      if (fn === null) throw new Error(`${FLAT_UPDATE}: WebAssembly SIMD is unavailable`);
      const address = (t: tf.TensorInfo | undefined) => (t === undefined ? 0 : backend.dataIdMap.get(t.dataId)?.memoryOffset ?? fail(`${FLAT_UPDATE}: a tensor is not on the wasm heap`));
      const n = sizeOf(inputs.params);
      const out = [backend.makeOutput([n], 'float32'), terms.moment ? backend.makeOutput([n], 'float32') : undefined, terms.second ? backend.makeOutput([n], 'float32') : undefined];
      fn(n, ...INPUTS.map((name) => address(inputs[name])), ...out.map(address), Number(attrs?.biasCorrection ?? 0));
      return out.filter((t): t is tf.TensorInfo => t !== undefined);
    },
  });
}

type WasmBackend = InstanceType<typeof import('@tensorflow/tfjs-backend-wasm').BackendWasm>;

function heapMemory(backend: WasmBackend): unknown {
  const asm: unknown = Reflect.get(backend.wasm, 'asm');
  return typeof asm === 'object' && asm !== null ? Reflect.get(asm, 'memory') : undefined;
}

function sizeOf(t: tf.TensorInfo | undefined): number {
  if (t === undefined) throw new Error(`${FLAT_UPDATE} needs params`);
  return t.shape.reduce((a, b) => a * b, 1);
}

function termsOf(attrs: tf.NamedAttrMap | undefined): FlatUpdateTerms {
  const flag = (name: string) => attrs?.[name] === true;
  return { adam: flag('adam'), plain: flag('plain'), l2: flag('l2'), l1: flag('l1'), moment: flag('moment'), second: flag('second'), decay: flag('decay') };
}

function fail(message: string): never {
  throw new Error(message);
}

/** Whether {@link flatUpdate} runs the fused kernel (wasm backend active, kernel registered, SIMD present). */
export function fusedUpdateAvailable(): boolean {
  if (!enabled || !registered || tf.getBackend() !== 'wasm') return false;
  const backend = tf.backend();
  return flatUpdateFunction({ adam: true, plain: false, l2: false, l1: false, moment: true, second: true, decay: false }, heapMemory(backend as WasmBackend)) !== null;
}

/**
 * One fused update on the wasm backend (call only when {@link fusedUpdateAvailable}).
 * @param terms - which terms are present (their tensors must be given)
 * @param biasCorrection - Adam's bias correction this step
 * @returns the new parameters, and the new moments where `terms.moment` / `terms.second`
 */
export function flatUpdate(inputs: FlatUpdateInputs, terms: FlatUpdateTerms, biasCorrection: number): { params: tf.Tensor; m?: tf.Tensor; s?: tf.Tensor } {
  const named: tf.NamedTensorMap = {};
  for (const [k, v] of Object.entries(inputs)) if (v instanceof tf.Tensor) named[k] = v;
  const out = tf.engine().runKernel(FLAT_UPDATE, named, { ...terms, biasCorrection });
  const list = Array.isArray(out) ? out : [out];
  let next = 1;
  return { params: list[0], m: terms.moment ? list[next++] : undefined, s: terms.second ? list[next] : undefined };
}
